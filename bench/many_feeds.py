"""Many feeds on many hosts, in one run: N local sites (one port each, so each is its own host), every
response 100 ms late, 10 stories a section; `max_per_host = 4`, `min_delay = 0`.

1. a cold build of all N feeds, and a quiet poll right after (nothing changed: each listing answers 304);
2. the floor: the slowest host's own work, 100 ms x (robots + listing + ceil(10/4) rounds of stories) for a
   cold build and 100 ms x 1 for a quiet poll, had every host been worked at once;
3. the same builds with feeds one after another (`parallel_feeds = 1`), the old shape, as the baseline.

    python bench/many_feeds.py [--feeds 50,200] [--parallel 8,64,256]
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import kh_section, machine, report
from support.site_server import FIXTURES, SiteServer

from feedgen_app.config import load_config
from feedgen_app.fetching.session import new_session
from feedgen_app.running.build import run_build

DELAY = 0.1
STORIES = 10
PER_HOST = 4
MIN_DELAY = 0.0
DEFAULTS = False
PEAKS: Peaks
SOURCES = sorted((FIXTURES / "koreaherald/current/pages").glob("article-*.html"))


def site(stack: ExitStack) -> SiteServer:
    server = stack.enter_context(SiteServer(delay=DELAY))
    kh_section(server, [10880000 + i for i in range(STORIES)])
    for i in range(STORIES):
        src = SOURCES[i % len(SOURCES)]
        server.static(
            f"/article/{10880000 + i}",
            src.read_text().replace(src.stem.split("-")[1], str(10880000 + i)).encode(),
        )
    return server


def write_config(folder: Path, sites: list[SiteServer], parallel: int) -> Path:
    http = f"min_delay = {MIN_DELAY}\nmax_per_host = {PER_HOST}\nparallel_feeds = {parallel}\n"
    if DEFAULTS:
        http = ""  # the shipped defaults: min_delay 1, max_per_host 2, parallel_feeds as HttpConfig says
    feeds = "".join(
        f'[[feeds]]\nid = "f{i}"\nsite = "koreaherald"\nlisting = "{s.url("/section")}"\n'
        for i, s in enumerate(sites)
    )
    path = folder / "feeds.toml"
    path.write_text(f'[output]\ndir = "public"\nbase_url = "https://example.org/"\n[http]\n{http}{feeds}')
    return path


class Peaks:
    """Open files and resident memory of this process, sampled every 50 ms while a build runs (the local
    sites' listening sockets and threads are in the process too)."""

    def __init__(self) -> None:
        self.files = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.files = max(self.files, len(os.listdir("/proc/self/fd")))
            self._stop.wait(0.05)

    def __enter__(self) -> Peaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def peak_memory_mb() -> int:
    return (
        next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) // 1024
    )


def cold_and_quiet(sites: list[SiteServer], parallel: int) -> tuple[float, float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(write_config(Path(tmp), sites, parallel))
        clock = [datetime(2026, 11, 28, tzinfo=UTC)]
        wall, cpu = time.perf_counter(), time.process_time()
        with PEAKS:
            result = run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])
        cold, cpu = time.perf_counter() - wall, time.process_time() - cpu
        ok = sum(1 for r in result.reports if r.ok and r.new == STORIES)
        clock[0] += timedelta(minutes=30)
        wall = time.perf_counter()
        run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])
        return cold, time.perf_counter() - wall, cpu, ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", default="50,200")
    parser.add_argument("--parallel", default="1,8,64,256")
    parser.add_argument("--defaults", action="store_true", help="the shipped [http] defaults instead")
    args = parser.parse_args()
    global DEFAULTS, PER_HOST, MIN_DELAY
    DEFAULTS = args.defaults
    if DEFAULTS:
        from feedgen_app.config import HttpConfig

        shipped = HttpConfig()
        args.parallel = str(shipped.parallel_feeds)
        PER_HOST, MIN_DELAY = shipped.max_per_host, shipped.min_delay
    requests_per_host = 2 + STORIES  # robots.txt, the listing, the stories
    floor_cold = max(DELAY * (2 + math.ceil(STORIES / PER_HOST)), MIN_DELAY * (requests_per_host - 1) + DELAY)
    floor_quiet = DELAY
    rows = []
    for n in (int(x) for x in args.feeds.split(",")):
        with ExitStack() as stack:
            sites = [site(stack) for _ in range(n)]
            for parallel in (int(x) for x in args.parallel.split(",")):
                if parallel > n and parallel != max(int(x) for x in args.parallel.split(",")):
                    continue
                global PEAKS
                PEAKS = Peaks()
                cold, quiet, cpu, ok = cold_and_quiet(sites, parallel)
                rows.append(
                    f"| {n} | {parallel} | {ok}/{n} | {cold:.2f} s | {cold / (floor_cold + cpu):.2f}x "
                    f"| {cpu:.2f} s | {quiet:.2f} s | {quiet / floor_quiet:.1f}x | {PEAKS.files} "
                    f"| {peak_memory_mb()} MB |"
                )
                print(rows[-1], flush=True)
    lines = [
        "## Many feeds on many hosts (`bench/many_feeds.py`)",
        "",
        f"One local site per feed (its own port), {int(DELAY * 1000)} ms added to every response, {STORIES} stories a "
        f"section, max_per_host = {PER_HOST}, min_delay = {MIN_DELAY:g}; {machine()}. Floor: the slowest host's "
        f"own work had every host been worked at once: {floor_cold:.1f} s cold ({requests_per_host} requests "
        f"within the host's limits), {floor_quiet:.1f} s quiet (one 304). CPU is the whole process's, the "
        "local sites included (they run in the same process). "
        "`parallel_feeds = 1` is the old shape, one feed after another. Open files and memory are the whole "
        "process's, the local sites included; memory is the high-water mark so far in the run.",
        "",
        "| feeds | parallel_feeds | feeds fine | cold build | vs floor + CPU | CPU | quiet poll | vs floor "
        "| open files (peak) | memory (peak, so far) |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    report("many-feeds-defaults" if DEFAULTS else "many-feeds", lines)


if __name__ == "__main__":
    main()
