"""Shared by the benchmarks: the fixture loader and the RESULTS.md section writer."""

from __future__ import annotations

import json
import platform
import statistics
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"

from support.site_server import FIXTURES  # noqa: E402


@dataclass(frozen=True)
class Case:
    site: str
    path: str
    html: str
    gold: dict  # type: ignore[type-arg]
    boilerplate: tuple[str, ...]


def cases(sites: Sequence[str]) -> Iterator[Case]:
    for site in sites:
        gold = json.loads((FIXTURES / site / "gold.json").read_text())
        routes = json.loads((FIXTURES / site / "routes.json").read_text())
        for entry in gold["entries"]:
            html = (FIXTURES / site / "pages" / routes[entry["path"]]["file"]).read_text()
            yield Case(site, entry["path"], html, entry, tuple(gold["boilerplate"]))


def feeds_toml(
    folder: Path, feeds: str, http: str = "min_delay = 0\nmax_per_host = 4\n", top: str = ""
) -> Path:
    """A benchmark's feeds.toml in `folder`: output to ./public, the given [http] lines and feed tables."""
    path = folder / "feeds.toml"
    path.write_text(
        f'{top}[output]\ndir = "public"\nbase_url = "https://example.org/"\n[http]\n{http}{feeds}'
    )
    return path


def kh_section(server: Any, story_ids: Sequence[int]) -> None:
    """robots.txt and a Korea Herald-layout section listing naming /article/<id> for each id."""
    server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    items = "".join(f'<li><a href="/article/{i}">Story {n}</a></li>' for n, i in enumerate(story_ids))
    server.static(
        "/section",
        (
            "<html><body><section class='section_list'><article class='recent_news'><ul class='news_list'>"
            f"{items}</ul></article></section></body></html>"
        ).encode(),
    )


def median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


def machine() -> str:
    return f"Python {platform.python_version()} on {platform.machine()}, {datetime.now(UTC):%Y-%m-%d}"


def report(name: str, lines: list[str]) -> None:
    """Print a benchmark's table and put it in its section of RESULTS.md."""
    text = "\n".join(lines)
    write_section(name, text)
    print(text)


def write_section(name: str, body: str) -> None:
    """Replace this benchmark's section of RESULTS.md, leaving the others as they are."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = (
        RESULTS.read_text()
        if RESULTS.exists()
        else "# Benchmark results\n\nEach section is rewritten by its script.\n"
    )
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text)


def commit_of(folder: str) -> str:
    """The short commit a checkout (`--before DIR`) is at, for a reader of RESULTS.md."""
    import subprocess

    found = subprocess.run(
        ["git", "-C", folder, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return found.stdout.strip() or Path(folder).name
