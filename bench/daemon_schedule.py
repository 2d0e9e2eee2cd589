"""Daemon schedule with many feeds: `feedgen-app run` as a subprocess, N feeds on N local sites (one port
each, 100 ms added to every response, 10 stories a section), every feed `every = "1m"`, from a cold state,
for a few minutes. Each feed's gaps are read from its own site's listing requests; a feed keeps its
schedule when its median gap is within 10 % of 60 s.

    python bench/daemon_schedule.py [--feeds 200] [--minutes 5]

Each feed count has its own section in RESULTS.md. The daemon runs in its own process; the local sites run in
this one (so they do not share the daemon's interpreter), and the process's peak memory and open files are
read from /proc while it runs.
"""

from __future__ import annotations

import argparse
import itertools
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from _common import machine, report
from many_feeds import site

EVERY = 60.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=5)
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        sites = [site(stack) for _ in range(args.feeds)]
        feeds = "".join(
            f'[[feeds]]\nid = "f{i}"\nsite = "koreaherald"\nlisting = "{s.url("/section")}"\nevery = "1m"\n'
            for i, s in enumerate(sites)
        )
        config = Path(tmp) / "feeds.toml"
        config.write_text(
            f'[output]\ndir = "public"\nbase_url = "https://example.org/"\n[http]\nmin_delay = 0\n'
            f"max_per_host = 4\n{feeds}"
        )
        proc = subprocess.Popen(
            [sys.executable, "-m", "feedgen_app", "run", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        peak_files, peak_mb = 0, 0
        until = time.monotonic() + args.minutes * 60
        while time.monotonic() < until and proc.poll() is None:
            try:
                peak_files = max(peak_files, len(list(Path(f"/proc/{proc.pid}/fd").iterdir())))
                status = Path(f"/proc/{proc.pid}/status").read_text()
                peak_mb = max(peak_mb, int(status.split("VmHWM:")[1].split()[0]) // 1024)
            except (OSError, IndexError, ValueError):
                pass
            time.sleep(1)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    medians = []
    for s in sites:
        times = sorted(r.started for r in s.requests if r.path == "/section")
        if len(times) < 2:
            continue  # counted below: feeds polled at least twice
        medians.append(statistics.median(b - a for a, b in itertools.pairwise(times)))
    within = sum(1 for m in medians if abs(m - EVERY) <= EVERY * 0.1)
    lines = [
        f"## Daemon schedule, {args.feeds} feeds (`bench/daemon_schedule.py --feeds {args.feeds}`)",
        "",
        f"`feedgen-app run` with {args.feeds} feeds on {args.feeds} local sites (100 ms per response, 10 stories "
        f'each), every = "1m", cold state, {args.minutes:g} minutes, shipped `parallel_feeds`; {machine()}.',
        "",
        "| feeds polled at least twice | median of the per-feed median gaps | worst per-feed median gap "
        "| feeds within 10 % of 60 s | daemon: peak memory | daemon: peak open files |",
        "|---|---|---|---|---|---|",
        f"| {len(medians)}/{args.feeds} | {statistics.median(medians):.1f} s | {max(medians):.1f} s "
        f"| {within}/{args.feeds} | {peak_mb} MB | {peak_files} |",
    ]
    report("daemon-schedule" if args.feeds == 200 else f"daemon-schedule-{args.feeds}", lines)


if __name__ == "__main__":
    main()
