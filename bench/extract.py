"""Extraction benchmark: our chain, our fallbacks alone, trafilatura and readability-lxml, on every fixture
story in one run: mean and minimum token F1 against the gold text, boilerplate leaks, median ms per page.

    python bench/extract.py [--repeat N]      (needs the bench extras: pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from _common import Case, cases, machine, median_ms, write_section
from support.scoring import html_text, leaks, token_f1

from feedgen_app.extract import extract_story, without_selectors
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

SITES = ("koreaherald/current", "koreaherald/2022")
KH = profile_from_table("koreaherald", builtin_table("koreaherald"), "bench")
FALLBACK = without_selectors(KH)


def ours(profile):  # type: ignore[no-untyped-def]
    def run(case: Case) -> str:
        url = "https://www.koreaherald.com" + case.path
        story = extract_story(Page(url, url, 200, case.html), profile, url, case.path)
        caption = story.image.caption if story.image and story.image.caption else ""
        return story.body_text + ("\n" + caption if caption else "")

    return run


def trafilatura_run(case: Case) -> str:
    import trafilatura

    return (
        trafilatura.extract(case.html, url="https://www.koreaherald.com" + case.path, include_tables=True)
        or ""
    )


def readability_run(case: Case) -> str:
    from readability import Document

    return html_text(Document(case.html).summary(html_partial=True))


def measure(name: str, run: Callable[[Case], str], all_cases: list[Case], repeat: int) -> dict[str, object]:
    scores, leak_count, times = [], 0, []
    for case in all_cases:
        text = run(case)
        scores.append(token_f1(text, case.gold["text"]))
        leak_count += len(leaks(text, list(case.boilerplate)))
        per_page = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run(case)
            per_page.append(time.perf_counter() - t0)
        times.append(statistics.median(per_page))
    return {
        "name": name,
        "mean": statistics.mean(scores),
        "min": min(scores),
        "leaks": leak_count,
        "ms": median_ms(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    all_cases = list(cases(SITES))
    rows = [
        measure("feedgen-app (profile → JSON-LD → meta → generic)", ours(KH), all_cases, args.repeat),
        measure("feedgen-app fallbacks alone (profile off)", ours(FALLBACK), all_cases, args.repeat),
        measure("trafilatura", trafilatura_run, all_cases, args.repeat),
        measure("readability-lxml", readability_run, all_cases, args.repeat),
    ]
    base = rows[2]["ms"]
    lines = [
        "## Extraction (`bench/extract.py`)",
        "",
        f"{len(all_cases)} fixture stories ({', '.join(SITES)}), {args.repeat} timed runs per page; {machine()}.",
        "F1: token F1 of the extracted text against the gold text (paragraphs + caption).",
        "",
        "| extractor | mean F1 | min F1 | boilerplate leaks | median ms/page | ms vs trafilatura |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['mean']:.4f} | {r['min']:.4f} | {r['leaks']} | {r['ms']:.2f} | "
            f"{r['ms'] / base:.2f}× |"  # type: ignore[operator]
        )
    write_section("extract", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
