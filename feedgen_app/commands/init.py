"""`feedgen-app init [DIR]`: a first configuration for someone who installed with pip: writes the default
feeds.toml (the Korea Herald sections, every key commented) into DIR and says what to run next. It never
overwrites a file."""

from __future__ import annotations

import shlex
from importlib import resources
from pathlib import Path
from typing import TextIO

from feedgen_app.errors import ConfigError

CONFIG_NAME = "feeds.toml"


def default_config() -> str:
    return (resources.files("feedgen_app") / "assets" / CONFIG_NAME).read_text(encoding="utf-8")


def with_data_dir(text: str, data: Path) -> str:
    """The default config with its output folder and state store under `data` (absolute paths), for a
    daemon whose configuration lives in a read-only /etc."""
    text = text.replace('dir = "public"', f'dir = "{data / "public"}"', 1)
    return text.replace('path = "state/feedgen.sqlite"', f'path = "{data / "state" / "feedgen.sqlite"}"', 1)


def init(folder: str, out: TextIO, data_dir: str | None = None) -> int:
    root = Path(folder)
    text = default_config()
    if data_dir:
        if not Path(data_dir).is_absolute():
            raise ConfigError(
                "--data-dir", "", f"{data_dir!r} must be an absolute path (such as /var/lib/feedgen-app)"
            )
        text = with_data_dir(text, Path(data_dir))
    target = root / CONFIG_NAME
    if target.exists():
        raise ConfigError(
            str(target),
            "",
            "already exists; init never overwrites a configuration (move it away, or edit it)",
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(target), "", f"cannot be written: {exc.strerror}") from None
    config = shlex.quote(str(target))
    out.write(
        f"wrote {target}: the Korea Herald sections, every key explained in comments.\n"
        "Next:\n"
        f"  1. look at it, and remove the sections you don't want: {config}\n"
        f"  2. check it offline:  feedgen-app check --config {config}\n"
        f"     then against the live site (a few stories a feed):  feedgen-app check --config {config} --live\n"
        f"  3. build the feeds once (into {shlex.quote(str(Path(data_dir or root) / 'public'))}):  "
        f"feedgen-app build --config {config}\n"
        f"  4. serve them and keep them fresh:  feedgen-app run --config {config} --serve 127.0.0.1:8000\n"
        "     then open http://localhost:8000/ and subscribe your reader to a feed it lists.\n"
    )
    return 0
