"""Extraction benchmark: our chain, our fallbacks alone, trafilatura and readability-lxml, on every fixture
story in one run: mean and minimum token F1 against the gold text, boilerplate leaks, median ms per page;
then the real article set (`bench/extract_real.py`) when `../shared/benchmarks/articles` is there.

    python bench/extract.py [--repeat N]      (needs the bench extras: pip install -e '.[bench]')
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from _common import Case, cases, machine, median_ms, report
from support.scoring import html_text, leaks, token_f1

from feedgen_app.extraction.extract import extract_story, without_selectors
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

SITES = ("koreaherald/current", "koreaherald/2022", "koreatimes")
REDESIGN = ("redesign",)
KH = profile_from_table("koreaherald", builtin_table("koreaherald"), "bench")
KT = profile_from_table("koreatimes", builtin_table("koreatimes"), "bench")
FALLBACK = without_selectors(KH)


def profile_for(case: Case, selectors: bool = True):  # type: ignore[no-untyped-def]
    profile = KT if case.site == "koreatimes" else KH
    return profile if selectors else without_selectors(profile)


def ours(selectors: bool):  # type: ignore[no-untyped-def]
    def run(case: Case) -> str:
        url = "https://www.example.test" + case.path
        story = extract_story(Page(url, url, 200, case.html), profile_for(case, selectors), url, case.path)
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


def table(title: str, note: str, rows: list[dict[str, object]], n: int, repeat: int) -> list[str]:
    base = float(rows[2]["ms"])  # type: ignore[arg-type]
    lines = [
        title,
        "",
        f"{note} {n} stories, {repeat} timed runs per page; {machine()}.",
        "F1: token F1 of the extracted text against the gold text (paragraphs + caption).",
        "",
        "| extractor | mean F1 | min F1 | boilerplate leaks | median ms/page | ms vs trafilatura |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ms = float(r["ms"])  # type: ignore[arg-type]
        lines.append(
            f"| {r['name']} | {r['mean']:.4f} | {r['min']:.4f} | {r['leaks']} | {ms:.2f} | {ms / base:.2f}× |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    known = list(cases(SITES))
    rows = [
        measure("feedgen-app (profile → JSON-LD → meta → generic)", ours(True), known, args.repeat),
        measure("feedgen-app fallbacks alone (profile off)", ours(False), known, args.repeat),
        measure("trafilatura", trafilatura_run, known, args.repeat),
        measure("readability-lxml", readability_run, known, args.repeat),
    ]
    redesigned = list(cases(REDESIGN))
    rows2 = [
        measure("feedgen-app, koreaherald profile (matches nothing)", ours(True), redesigned, args.repeat),
        measure("feedgen-app fallbacks alone (profile off)", ours(False), redesigned, args.repeat),
        measure("trafilatura", trafilatura_run, redesigned, args.repeat),
        measure("readability-lxml", readability_run, redesigned, args.repeat),
    ]
    lines = table(
        "## Extraction (`bench/extract.py`)",
        f"Known layouts ({', '.join(SITES)}):",
        rows,
        len(known),
        args.repeat,
    )
    lines += [
        "",
        *table(
            "### A redesign no profile knows (tests/fixtures/redesign)",
            "The fallback chain on its own:",
            rows2,
            len(redesigned),
            args.repeat,
        ),
    ]
    report("extract", lines)
    from extract_real import REAL_SET, run_real_set

    if REAL_SET.exists():  # the real article set beside the project (../shared): see extract_real.py
        run_real_set(REAL_SET)
    else:
        print(f"(real article set not found at {REAL_SET}: only the fixtures were measured)")


if __name__ == "__main__":
    main()
