"""The long fuzzing run: real pages of `../shared/benchmarks/{articles,listings}` (and the project's fixture
pages) mutated with what broke the chain (tests/support/fuzzing.py: comments, processing instructions,
absurd dates, hostile JSON-LD, BOMs against meta charsets, UTF-16, binary bodies, 10^5 siblings, 10^4
nesting levels, megabyte attributes...), each through decoding, discovery, extraction, cleaning and the
three renderers. Reports pages, crashes (with the mutation), and the slowest page.

    python bench/fuzz.py [--pages N] [--seed S]
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import traceback

from _common import ROOT, machine, report
from support.fuzzing import SEEDS, apply, random_mutations, through_the_chain

SHARED = ROOT.parent / "shared" / "benchmarks"


def seeds() -> list[tuple[str, bytes]]:
    real = [
        *sorted((SHARED / "articles" / "pages").glob("*.gz")),
        *sorted((SHARED / "listings" / "html").glob("*.gz")),
    ]
    return [(p.name, gzip.decompress(p.read_bytes())) for p in real] + [
        (p.name, p.read_bytes()) for p in SEEDS
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pool = seeds()
    times: list[tuple[float, str]] = []
    crashes: list[str] = []
    for n in range(args.pages):
        name, body = rng.choice(pool)
        changes = random_mutations(rng)
        what = f"{name} + {', '.join(getattr(c, '__qualname__', '?').split('.')[0] for c in changes)}"
        try:
            times.append((through_the_chain(apply(changes, body)), what))
        except Exception as exc:  # what the chain let through: a bug to report
            crashes.append(f"{what}: {type(exc).__name__}: {exc}")
            traceback.print_exc()
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} pages, {len(crashes)} crashes", flush=True)
    slowest = max(times, default=(0.0, "-"))
    lines = [
        "### Fuzzing (`bench/fuzz.py`)",
        "",
        f"{machine()}; {args.pages} mutated pages (seed {args.seed}) drawn from {len(pool)} real and fixture pages, "
        "each through decoding, discovery, extraction with three profiles, cleaning and the three renderers.",
        "",
        "| pages | crashes | median s a page | slowest page |",
        "|---|---|---|---|",
        f"| {args.pages} | {len(crashes)} | {statistics.median(t for t, _ in times):.2f} | "
        f"{slowest[0]:.1f} s ({slowest[1]}) |",
    ]
    lines += [f"- {c[:300]}" for c in crashes[:20]]
    report("fuzz", lines)


if __name__ == "__main__":
    main()
