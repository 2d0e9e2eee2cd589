"""Story discovery on real listing pages nobody here wrote: `../shared/benchmarks/listings` (41 home and
section pages of 2000-2015, 12 languages, gold story links and most-read-only links). With no site profile
(`--site auto`, no `story_urls`), what `feedgen-app discover` takes from each page, against what a user could
reach for instead, in the same run:

- newspaper4k (`newspaper.build(url, input_html=..., only_homepage=True)`, its article URLs);
- the naive rule: every link to the page's own host with five or more words of anchor text.

Scored by the set's own score.py: mean recall and precision over pages, pages where nothing was found,
most-read-only links taken, median ms per page (parse + discovery, one page at a time, one process).

    python bench/discover_real.py [--set ../shared/benchmarks/listings] [--bare]
        (newspaper4k: pip install newspaper4k)

`--bare` first strips every page of class and id attributes and HTML5 part elements (as
bench/extract_real.py --bare does): rules that lean on names lose there; written as "discover-real-bare".
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import io
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from _common import machine, report
from extract_real import load_score, strip_names

from feedgen_app.commands.discover_pages import discover_one
from feedgen_app.dom import parse, text_of
from feedgen_app.fetching.encoding import decode
from feedgen_app.profile import builtin_table, profile_from_table

ROOT = Path(__file__).resolve().parent.parent
LISTINGS = ROOT.parent / "shared" / "benchmarks" / "listings"
AUTO = profile_from_table("auto", builtin_table("auto"), "bench")
Finder = Callable[[Path, str], list[str]]


def ours(path: Path, url: str) -> list[str]:
    found = discover_one(str(path), AUTO, url, None)
    if found.error:
        print(f"  ours: {path.name}: {found.error}")
    return [v.url for v in found.taken()]


def naive(path: Path, url: str) -> list[str]:
    """Every link to the page's own host whose text has five or more words."""
    doc = parse(_text(path))
    host = urlsplit(url).hostname
    out: list[str] = []
    for a in doc.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            target = urljoin(url, href)
            same = urlsplit(target).hostname == host
        except ValueError:
            continue
        if same and len(text_of(a).split()) >= 5:
            out.append(target)
    return list(dict.fromkeys(out))


def newspaper4k(path: Path, url: str) -> list[str]:
    import newspaper

    with contextlib.redirect_stderr(io.StringIO()):
        source = newspaper.build(url, input_html=_text(path), only_homepage=True, memorize_articles=False)
    return [article.url for article in source.articles]


def _text(path: Path) -> str:
    return decode(gzip.decompress(path.read_bytes()), "text/html")


def measure(name: str, fn: Finder, pages: list[tuple[str, Path, str]]) -> tuple[dict[str, list[str]], float]:
    found: dict[str, list[str]] = {}
    times = []
    for pid, path, url in pages:
        t0 = time.perf_counter()
        try:
            found[pid] = fn(path, url)
        except Exception as exc:  # a peer that fails on a page found nothing there
            print(f"  {name}: {pid}: {type(exc).__name__}: {exc}")
            found[pid] = []
        times.append(time.perf_counter() - t0)
    print(f"  {name}: done")
    return found, statistics.median(times) * 1000


def summary(score: Any, gold: list[dict[str, Any]], found: dict[str, list[str]]) -> dict[str, float]:
    rows = [score.page_score(g, found.get(g["id"], [])) for g in gold]
    offered = sum(r["found"] for r in rows)
    popular = sum(r["popular_taken"] for r in rows)
    return {
        "recall": statistics.mean(r["recall"] for r in rows),
        "precision": statistics.mean(r["precision"] for r in rows),
        "nothing": sum(1 for r in rows if r["found"] == 0 and r["gold"]),
        "popular": popular,
        "popular_share": popular / offered if offered else 0.0,
        "offered": offered,
    }


def run(folder: Path, bare: bool) -> None:
    score = load_score(folder)
    gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text().splitlines() if line.strip()]
    pages_meta = {p["id"]: p for p in json.loads((folder / "pages.json").read_text())}
    work = Path("/tmp/feedgen-discover-bare") if bare else None
    pages = []
    for g in gold:
        path = folder / "html" / f"{g['id']}.html.gz"
        if work is not None:
            work.mkdir(exist_ok=True)
            bare_path = work / path.name
            bare_path.write_bytes(gzip.compress(strip_names(_text(path)).encode()))
            path = bare_path
        pages.append((g["id"], path, pages_meta[g["id"]]["url"]))
    finders: list[tuple[str, Finder]] = [("feedgen-app (no profile)", ours), ("naive rule", naive)]
    if importlib.util.find_spec("newspaper") is not None:
        finders.insert(1, ("newspaper4k", newspaper4k))
    else:
        print("  newspaper4k is not installed: pip install newspaper4k")
    rows = []
    for name, fn in finders:
        found, ms = measure(name, fn, pages)
        s = summary(score, gold, found)
        rows.append(
            f"| {name} | {s['recall']:.3f} | {s['precision']:.3f} | {s['nothing']} | "
            f"{s['popular']} of {s['offered']} ({s['popular_share']:.1%}) | {ms:.1f} |"
        )
    what = "stripped of class/id names and HTML5 part elements " if bare else ""
    report(
        "discover-real-bare" if bare else "discover-real",
        [
            f"### Discovery on real listing pages {what}(`bench/discover_real.py{' --bare' if bare else ''}`)",
            "",
            f"{machine()}; {len(pages)} pages of `../shared/benchmarks/listings` (2000-2015, 12 languages), "
            "no site profile. Means over pages; most-read: links found only in most-read boxes, of all "
            "links offered.",
            "",
            "| finder | mean recall | mean precision | pages with nothing | most-read taken | median ms/page |",
            "|---|---|---|---|---|---|",
            *rows,
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default=str(LISTINGS))
    parser.add_argument("--bare", action="store_true", help="strip class/id names and HTML5 part elements")
    args = parser.parse_args()
    run(Path(args.set), args.bare)


if __name__ == "__main__":
    main()
