"""`feedgen-app init` gives someone who installed with pip the default configuration and the next steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedgen_app.cli import main
from feedgen_app.config import load_config

ROOT = Path(__file__).resolve().parent.parent


def test_the_packaged_default_is_the_shipped_feeds_toml() -> None:
    packaged = ROOT / "feedgen_app" / "assets" / "feeds.toml"
    assert packaged.read_text() == (ROOT / "feeds.toml").read_text(), "copy feeds.toml to feedgen_app/assets/"


def test_init_writes_a_working_config_and_says_what_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "my feeds"
    assert main(["init", str(folder)]) == 0
    printed = capsys.readouterr().out
    config = load_config(folder / "feeds.toml")
    assert [f.id for f in config.feeds][:1] == ["north-korea"]
    assert config.output_dir == folder / "public", "paths are relative to the config, not the shell's folder"
    check = next(line for line in printed.splitlines() if "feedgen-app check" in line)
    assert f"'{folder / 'feeds.toml'}'" in check, "a path with a space is quoted so it can be pasted"
    assert main(["check", "--config", str(folder / "feeds.toml")]) == 0
    assert "serve 127.0.0.1:8000" in printed and "http://localhost:8000/" in printed
    offline = next(line for line in printed.splitlines() if "check it offline" in line)
    assert "--live" not in offline, "the offline check is the offline command"


def test_a_missing_config_says_how_to_start_and_options_go_anywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--config", str(tmp_path / "feeds.toml"), "--log-level", "DEBUG"]) == 2
    err = capsys.readouterr().err
    assert "file not found" in err and "`feedgen-app init`" in err and "`feedgen-app demo`" in err
    assert main(["--log-level", "WARNING", "check", "--config", str(tmp_path / "feeds.toml")]) == 2


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "feeds.toml").write_text("# mine\n")
    assert main(["init", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "feeds.toml").read_text() == "# mine\n"


def test_init_for_a_daemon_puts_output_and_state_under_the_data_dir(tmp_path: Path) -> None:
    """The systemd steps: the config in a read-only /etc, what the daemon writes under /var/lib."""
    etc, data = tmp_path / "etc" / "feedgen-app", tmp_path / "var" / "lib" / "feedgen-app"
    assert main(["init", str(etc), "--data-dir", str(data)]) == 0
    config = load_config(etc / "feeds.toml")
    assert config.output_dir == data / "public"
    assert config.state_path == data / "state" / "feedgen.sqlite"
    assert main(["init", str(tmp_path / "x"), "--data-dir", "relative/path"]) == 2


def test_the_default_config_explains_every_key_the_readme_lists() -> None:
    """`init` says "every key explained in comments": every key of the README's reference is there."""
    import re
    import tomllib

    readme = (ROOT / "README.md").read_text()
    reference = next(b for b in re.findall(r"```toml\n(.*?)```", readme, re.S) if "[[feeds]]" in b)
    keys = {k for table in tomllib.loads(reference).values() if isinstance(table, dict) for k in table}
    keys |= {k for feed in tomllib.loads(reference)["feeds"] for k in feed}
    shipped = (ROOT / "feeds.toml").read_text()
    missing = sorted(k for k in keys if not re.search(rf"^#? ?{k} = ", shipped, re.M))
    assert not missing, f"feeds.toml does not show: {missing}"
