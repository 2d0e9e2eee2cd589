"""Story discovery on real listing pages nobody here wrote, both dev sets: `../shared/benchmarks/listings`
(41 home and section pages of 2000-2015, 12 languages) and `../shared/benchmarks/listings-modern` (13 of
2016-2025: slug and id addresses, blogs, Chinese and Bengali), gold story links and most-read-only links.
With no site profile (`--site auto`, no `story_urls`), what `feedgen-app discover` takes from each page,
against what a user could reach for instead, in the same run:

- courlan (`courlan.extract_links(html, url)`: its own filter of a page's content links);
- trafilatura (its crawler's rule, `trafilatura.spider.process_links`: courlan's links with navigation,
  less those it reads as navigation pages to crawl further rather than as content);
- newspaper4k (`newspaper.build(url, input_html=..., only_homepage=True)`, its article URLs);
- the naive rule: every link to the page's own host with five or more words of anchor text.

Scored by the listings set's score.py (listings-modern has the same format and no script of its own):
mean recall and precision over pages, pages where nothing was found, most-read-only links taken, median ms
per page (parse + discovery, one page at a time, one process); then per template (one site's page design).

    python bench/discover_real.py [--set DIR ...] [--bare]
        (peers: pip install -e '.[bench]')

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
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
SETS = (BENCHMARKS / "listings", BENCHMARKS / "listings-modern")
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


def courlan_links(path: Path, url: str) -> list[str]:
    import courlan

    return sorted(courlan.extract_links(_text(path), url, external_bool=False))


def trafilatura_links(path: Path, url: str) -> list[str]:
    from courlan import extract_links
    from trafilatura.spider import is_navigation_page

    found = extract_links(pagecontent=_text(path), url=url, external_bool=False, with_nav=True, strict=False)
    return sorted(link for link in found if not is_navigation_page(link))


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


def _finders() -> list[tuple[str, Finder]]:
    finders: list[tuple[str, Finder]] = [("feedgen-app (no profile)", ours)]
    for module, name, fn in (
        ("courlan", "courlan", courlan_links),
        ("trafilatura", "trafilatura", trafilatura_links),
        ("newspaper", "newspaper4k", newspaper4k),
    ):
        if importlib.util.find_spec(module) is not None:
            finders.append((name, fn))
        else:
            print(f"  {name} is not installed: pip install -e '.[bench]'")
    finders.append(("naive rule", naive))
    return finders


def _pages(folder: Path, gold: list[dict[str, Any]], bare: bool) -> list[tuple[str, Path, str]]:
    pages_meta = {p["id"]: p for p in json.loads((folder / "pages.json").read_text())}
    work = Path("/tmp/feedgen-discover-bare") if bare else None
    pages = []
    for g in gold:
        path = folder / "html" / f"{g['id']}.html.gz"
        if work is not None:
            work.mkdir(exist_ok=True)
            bare_path = work / f"{folder.name}-{path.name}"
            bare_path.write_bytes(gzip.compress(strip_names(_text(path)).encode()))
            path = bare_path
        pages.append((g["id"], path, pages_meta[g["id"]]["url"]))
    return pages


def run(folders: list[Path], bare: bool) -> None:
    score = load_score(SETS[0])  # the listings set's metric; listings-modern has the same gold format
    finders = _finders()
    lines: list[str] = []
    what = "stripped of class/id names and HTML5 part elements " if bare else ""
    lines += [
        f"### Discovery on real listing pages {what}(`bench/discover_real.py{' --bare' if bare else ''}`)",
        "",
    ]
    lines += [f"{machine()}; no site profile. Means over pages; most-read: links found only in most-read "
              "boxes, of all links offered. Per template: mean recall / precision of its pages.", ""]  # fmt: skip
    for folder in folders:
        gold = [json.loads(line) for line in (folder / "gold.jsonl").read_text().splitlines() if line.strip()]
        meta = {p["id"]: p for p in json.loads((folder / "pages.json").read_text())}
        pages = _pages(folder, gold, bare)
        print(f"{folder.name}: {len(pages)} pages")
        rows, per_template = [], {}
        for name, fn in finders:
            found, ms = measure(name, fn, pages)
            s = summary(score, gold, found)
            together = 2 * s["recall"] * s["precision"] / ((s["recall"] + s["precision"]) or 1)
            rows.append(
                f"| {name} | {s['recall']:.3f} | {s['precision']:.3f} | {together:.3f} | {s['nothing']} | "
                f"{s['popular']} of {s['offered']} ({s['popular_share']:.1%}) | {ms:.1f} |"
            )
            for g in gold:
                r = score.page_score(g, found.get(g["id"], []))
                per_template.setdefault(meta[g["id"]].get("template") or g["id"], {}).setdefault(
                    name, []
                ).append(r)
        names = [name for name, _fn in finders]
        lines += [
            f"**`{folder.name}`** ({len(pages)} pages, {len(per_template)} templates)",
            "",
            "| finder | mean recall | mean precision | F1 of the two | pages with nothing | most-read taken "
            "| median ms/page |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            "| template | pages | " + " | ".join(names) + " |",
            "|---|---|" + "---|" * len(names),
        ]
        for template, by_name in sorted(per_template.items()):
            cells = [
                f"{statistics.mean(r['recall'] for r in rs):.2f} / {statistics.mean(r['precision'] for r in rs):.2f}"
                for rs in (by_name[n] for n in names)
            ]
            lines.append(f"| {template} | {len(by_name[names[0]])} | " + " | ".join(cells) + " |")
        lines.append("")
    report("discover-real-bare" if bare else "discover-real", lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", help="a listing set's folder (default: both dev sets)")
    parser.add_argument("--bare", action="store_true", help="strip class/id names and HTML5 part elements")
    args = parser.parse_args()
    run([Path(f) for f in args.set] if args.set else list(SETS), args.bare)


if __name__ == "__main__":
    main()
