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
import sys
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


BIG_LISTING = """
import sys, tempfile
from pathlib import Path
from support.site_server import SiteServer
from feedgen_app.cli import main
links = "".join(f"<a href='/2024/01/01/story-{i}'>Story number {i} of the day here</a>" for i in range(100_000))
with tempfile.TemporaryDirectory() as tmp, SiteServer() as site:
    site.static("/robots.txt", b"User-agent: *\\nAllow: /\\n", "text/plain")
    site.static("/news/", f"<html><body>{links}</body></html>".encode())
    Path(tmp, "feeds.toml").write_text(
        '[output]\\ndir = "public"\\nbase_url = "https://e.test/"\\n[http]\\nmin_delay = 0\\nretries = 0\\n'
        f'max_per_host = 8\\n[[feeds]]\\nid = "x"\\nsite = "auto"\\nlisting = "{site.url("/news/")}"\\n'
    )
    main(["build", "--config", str(Path(tmp, "feeds.toml"))])
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec
print(next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) // 1024)
"""


def big_listing_peak_mb() -> int:
    """Peak memory of a whole build whose listing has 100,000 story links (a fresh process)."""
    import subprocess

    env_path = f"{ROOT / 'tests'}"
    done = subprocess.run(
        [sys.executable, "-c", BIG_LISTING],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "PYTHONPATH": env_path},
    )
    return int(done.stdout.strip().splitlines()[-1])


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
        "each through decoding, discovery, extraction with three profiles, learning selectors from the fallbacks where a profile missed, cleaning and the three renderers.",
        "",
        "| pages | crashes | median s a page | slowest page |",
        "|---|---|---|---|",
        f"| {args.pages} | {len(crashes)} | {statistics.median(t for t, _ in times):.2f} | "
        f"{slowest[0]:.1f} s ({slowest[1]}) |",
    ]
    lines += [f"- {c[:300]}" for c in crashes[:20]]
    lines += ["", f"A build whose listing has 100,000 story links: peak memory {big_listing_peak_mb()} MB."]
    report("fuzz", lines)


if __name__ == "__main__":
    main()
