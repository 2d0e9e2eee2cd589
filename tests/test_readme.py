"""The README is what a new user follows: its commands, and its feeds.toml reference, must be real."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from feedgen_app.command_line import command_line
from feedgen_app.config import config_from_dict, parse_duration

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def code_blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, re.S)


def test_the_two_quick_start_commands() -> None:
    build, tests, demo = code_blocks("sh")[:3]
    assert demo.strip().endswith(".venv/bin/pip install -q -e . && .venv/bin/feedgen-app demo")
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
    assert config.http.deadline == 600 and config.http.user_agent.startswith("my-feeds/")


def test_every_command_the_readme_lists_exists() -> None:
    listed = set(re.findall(r"^feedgen-app ([a-z-]+)", README, re.M))
    parser = command_line()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert listed and listed <= set(sub.choices)  # type: ignore[arg-type]
    assert set(sub.choices) <= listed, "every command is documented"  # type: ignore[arg-type]


def _reference() -> str:
    return next(block for block in code_blocks("toml") if "[[feeds]]" in block)


def test_every_default_the_readme_states_is_the_codes() -> None:
    """The reference shows defaults unless a line says `optional`, names another `default`, or is one of a
    feed's own names; the prose states a few more."""
    from feedgen_app.config import HttpConfig
    from feedgen_app.publishing.serve import IDLE_TIMEOUT
    from feedgen_app.running.daemon import SITE_EVERY

    table = tomllib.loads(_reference())
    http = HttpConfig()
    for key, value in table["http"].items():
        if key == "user_agent":  # an example of naming oneself; the default is stated once, in the prose
            assert value != http.user_agent and f"`{http.user_agent}`" in README
            continue
        if key == "timeout":
            continue
        assert getattr(http, key) == value, (
            f"[http] {key}: README says {value}, the code {getattr(http, key)}"
        )
    feeds_part = _reference().split("[[feeds]]")[1]
    lines = {line.split("=")[0].strip(): line for line in feeds_part.splitlines() if "=" in line}
    bare = config_from_dict({"feeds": [{"id": "x", "listing": "https://a.test/"}]}, Path("feeds.toml")).feeds[
        0
    ]
    for key, value in table["feeds"][0].items():
        comment = lines[key].split("#", 1)[1] if "#" in lines[key] else ""
        if key in ("id", "title", "listing") or "optional" in comment:
            continue
        stated = re.search(r"default (\S.*)$", comment)
        if stated:
            value = tomllib.loads(f"v = {stated[1]}")["v"]
        elif "(the default)" in comment:
            value = re.search(r'"([^"]+)" \(the default\)', comment)[1]  # type: ignore[index]
        code = getattr(bare, key)
        if key == "every":
            value = parse_duration(value)
        code = list(code) if isinstance(code, tuple) else code
        assert code == value, f"feeds.{key}: README says {value}, the code {code}"
    assert "at most two requests at a time and\n  one start a second per host by default" in README
    assert (http.max_per_host, http.min_delay) == (2, 1.0)
    assert f"closes a connection idle for {IDLE_TIMEOUT:.0f} s" in README
    assert f"rewritten every {SITE_EVERY:.0f} seconds" in README
