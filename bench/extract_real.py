"""Extraction on real pages nobody here wrote: `../shared/benchmarks/articles` (452 article pages from
many sites, gold text, title, author and date). Our chain with no site profile (`--site auto`) against
trafilatura and readability-lxml in the same run: body F1 / precision / recall (the set's own score.py),
empty pages, median ms per page (parse + extract, one page at a time, one process), and how often each
metadata field is right.

    python bench/extract_real.py [--set ../shared/benchmarks/articles] [--limit N] [--bare]
        (needs the bench extras: pip install -e '.[bench]')

`--bare` first strips every page of what a generic extractor could lean on and an older or plainer site
lacks: class and id attributes, and the HTML5 elements that name parts (article, main, section, header,
footer, nav, aside, figure, figcaption, time become div). A rule that holds only on the set's markup
loses here; the section is written as "extract-real-bare".
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import re
import statistics
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from _common import machine, report

from feedgen_app.extraction.extract import extract_story
from feedgen_app.fetching.encoding import decode
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

ROOT = Path(__file__).resolve().parent.parent
AUTO = profile_from_table("auto", builtin_table("auto"), "bench")
Result = dict[str, Any]


def ours(html: str, url: str) -> Result:
    try:
        story = extract_story(Page(url, url, 200, html), AUTO, url, url)
    except Exception as exc:  # a page we cannot read counts as empty, as for the others
        return {"text": "", "error": str(exc)}
    return {
        "text": story.body_text,
        "title": story.title,
        "authors": list(story.authors),
        "published": story.published.isoformat() if story.published else None,
        "shown": (story.updated or story.published).isoformat() if story.published else None,
        "image": story.image.url if story.image else None,
    }


def trafilatura_body(html: str, url: str) -> Result:
    import trafilatura

    return {"text": trafilatura.extract(html, url=url, include_tables=True) or ""}


def trafilatura_meta(html: str, url: str) -> Result:
    from trafilatura.metadata import extract_metadata

    m = extract_metadata(html, default_url=url)
    authors = [a.strip() for a in (m.author or "").split(";") if a.strip()] if m else []
    return {
        "title": m.title if m else None,
        "authors": authors,
        "published": m.date if m else None,
        "image": m.image if m else None,
    }


def readability_body(html: str, url: str) -> Result:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    return {"text": lxml.html.fromstring(summary).text_content() if summary.strip() else ""}


def _words(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text or "").casefold()))


def title_right(got: Result, gold: dict[str, Any]) -> bool:
    return bool(got.get("title")) and _words(got["title"]) == _words(gold["title"])


def author_right(got: Result, gold: dict[str, Any]) -> bool:
    wanted = [_words(a) for a in re.split(r",|;|&|\band\b", gold["author"]) if a.strip()]
    have = {_words(a) for a in got.get("authors") or []}
    return bool(have) and (
        all(w in have for w in wanted) or _words(" ".join(got["authors"])) == _words(gold["author"])
    )


def date_right(value: str | None, gold: dict[str, Any]) -> bool:
    return bool(value) and str(value)[:10] == gold["published"]


def picture(url: str | None) -> str | None:
    """The picture a URL shows, sizes and crops set aside: `photo-1024x683.webp?w=1200` is `photo`."""
    if not url:
        return None
    name = unquote(unquote(urlsplit(url).path)).lower().rstrip("/").rsplit("/", 1)[-1]
    name = re.sub(r"\.(jpe?g|png|webp|gif|avif|pjpeg|svg)$", "", name)
    return re.sub(r"-(min|scaled)$", "", re.sub(r"[-_]?\d{2,4}x\d{2,4}", "", name))


def lead_images(ours: dict[str, Result], theirs: dict[str, Result], ids: list[str]) -> list[str]:
    """How our lead image compares with trafilatura's metadata image (the set has no gold for it)."""
    tally = {"same picture": 0, "neither has one": 0, "only ours": 0, "only trafilatura's": 0, "different": 0}
    for pid in ids:
        a, b = picture(ours[pid].get("image")), picture(theirs[pid].get("image"))
        key = (
            ("same picture" if a == b else "different")
            if a and b
            else "only ours"
            if a
            else "only trafilatura's"
            if b
            else "neither has one"
        )
        tally[key] += 1
    return [
        "Lead image against trafilatura's `extract_metadata` image (no gold: sizes and crops of one picture"
        " count as the same; docs/decisions.md has a hand check of where they differ):",
        "",
        "| " + " | ".join(tally) + " |",
        "|" + "---|" * len(tally),
        "| " + " | ".join(str(n) for n in tally.values()) + " |",
    ]


def load_score(folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score", folder / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(
    name: str, fn: Callable[[str, str], Result], pages: list[tuple[str, str, str]]
) -> tuple[dict[str, Result], float]:
    results, times = {}, []
    for pid, html, url in pages:
        t0 = time.perf_counter()
        results[pid] = fn(html, url)
        times.append(time.perf_counter() - t0)
    print(f"  {name}: done")
    return results, statistics.median(times) * 1000


REAL_SET = ROOT.parent / "shared" / "benchmarks" / "articles"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default=str(REAL_SET))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--bare", action="store_true", help="strip classes, ids and HTML5 part names first")
    args = parser.parse_args()
    run_real_set(Path(args.set), args.limit, bare=args.bare)


_NAMING_ATTRIBUTE = re.compile(r"""\s(?:class|id)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_PART_ELEMENT = re.compile(
    r"<(/?)(?:article|main|section|header|footer|nav|aside|figure|figcaption|time)(?=[\s>/])", re.IGNORECASE
)


def strip_names(html: str) -> str:
    """The page without class and id attributes, its HTML5 part elements turned into divs."""
    return _NAMING_ATTRIBUTE.sub("", _PART_ELEMENT.sub(lambda m: f"<{m.group(1)}div", html))


def run_real_set(folder: Path, limit: int = 0, bare: bool = False) -> None:
    """Measure the three extractors on the real set and write its RESULTS.md section."""
    score = load_score(folder)
    gold = score.load_gold(folder / "gold.jsonl")
    ids = sorted(gold)[: limit or None]
    pages = []
    for pid in ids:
        html = decode(gzip.decompress((folder / "pages" / f"{pid}.html.gz").read_bytes()), "text/html")
        pages.append((pid, strip_names(html) if bare else html, gold[pid]["url"]))
    rows = []
    meta_rows = []
    metas: dict[str, dict[str, Result]] = {}
    for name, body_fn, meta_fn in (
        ("feedgen-app fallback chain (no profile)", ours, None),
        ("trafilatura `extract()`", trafilatura_body, trafilatura_meta),
        ("readability-lxml `Document().summary()`", readability_body, None),
    ):
        results, ms = run(name, body_fn, pages)
        counts = [score.page_counts(gold[pid]["text"], results[pid]["text"] or "") for pid in ids]
        s = score.summarise(counts)
        empty = sum(1 for pid in ids if not (results[pid]["text"] or "").strip())
        rows.append(
            f"| {name} | {s['f1']:.3f} | {s['precision']:.3f} | {s['recall']:.3f} | {empty} | {ms:.1f} |"
        )
        meta = results if meta_fn is None and name.startswith("feedgen") else None
        if meta_fn is not None:
            meta, _ = run(name + " metadata", meta_fn, pages)
        if meta is not None:
            metas[name] = meta
            with_author = [pid for pid in ids if gold[pid]["author"]]
            with_date = [pid for pid in ids if gold[pid]["published"]]
            line = (
                f"| {name.split(' `')[0]} | {sum(title_right(meta[p], gold[p]) for p in ids)}/{len(ids)} "
                f"| {sum(author_right(meta[p], gold[p]) for p in with_author)}/{len(with_author)} "
                f"| {sum(date_right(meta[p].get('published'), gold[p]) for p in with_date)}/{len(with_date)} |"
            )
            if "shown" in next(iter(meta.values()), {}) or name.startswith("feedgen"):
                shown = sum(date_right(meta[p].get("shown"), gold[p]) for p in with_date)
                line += f" {shown}/{len(with_date)} |"
            else:
                line += " — |"
            meta_rows.append(line)
    lines = [
        "## Extraction on real pages"
        + (", stripped bare (`bench/extract_real.py --bare`)" if bare else " (`bench/extract_real.py`)"),
        "",
        f"{len(ids)} pages of `shared/benchmarks/articles` (many sites, 2025-26), no site profile; "
        f"one page at a time in one process; {machine()}."
        + (" Every page without class and id attributes, its HTML5 part elements made divs." if bare else ""),
        "Body: the set's score.py (4-word shingles, per-page precision and recall averaged, F1 of the two).",
        "",
        "| extractor | body F1 | precision | recall | pages with no text | median ms/page |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Metadata right (title: same words; author: every gold name found; date: same day as the gold,"
        " which is the date the page shows, often its last update):",
        "",
        "| extractor | title | author | published date | date shown (updated, else published) |",
        "|---|---|---|---|---|",
        *meta_rows,
        "",
        *lead_images(metas["feedgen-app fallback chain (no profile)"], metas["trafilatura `extract()`"], ids),
    ]
    report("extract-real-bare" if bare else "extract-real", lines)


if __name__ == "__main__":
    main()
