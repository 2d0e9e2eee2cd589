"""The README is what a new user follows: its commands, and its feeds.toml reference, must be real."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from feedgen_app.cli import _parser
from feedgen_app.config import config_from_dict

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_the_two_quick_start_commands() -> None:
    build, tests = code_blocks("sh")[:2]
    for command in (build, tests):
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install -q --upgrade pip")
    assert build.strip().endswith(".venv/bin/pip install -q -e . && .venv/bin/feedgen-app build")
    assert tests.strip().endswith(".venv/bin/pip install -q -e '.[dev]' && .venv/bin/python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install -q --upgrade pip" in ci and "-e '.[dev]'" in ci and ".venv/bin/python -m pytest" in ci


def test_the_feeds_toml_reference_is_a_working_config(tmp_path: Path) -> None:
    reference = next(block for block in code_blocks("toml") if "[[feeds]]" in block)
    config = config_from_dict(tomllib.loads(reference), tmp_path / "feeds.toml")
    feed = config.feeds[0]
    assert feed.formats == ("atom", "rss", "json") and feed.pages == 2 and feed.site_feed
    assert config.http.deadline == 600 and config.http.user_agent.startswith("feedgen-app/")


def test_every_command_the_readme_lists_exists() -> None:
    listed = set(re.findall(r"^feedgen-app ([a-z-]+)", README, re.M))
    parser = _parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert listed and listed <= set(sub.choices)  # type: ignore[arg-type]
    assert set(sub.choices) <= listed, "every command is documented"  # type: ignore[arg-type]
