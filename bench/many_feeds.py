"""Many feeds on many hosts, in one run: N local sites (one port each, so each is its own host), every
response 100 ms late, 10 stories a section; `max_per_host = 4`, `min_delay = 0`.

1. a cold build of all N feeds, then three quiet polls (nothing changed: each listing answers 304), the
   median quiet poll reported;
2. the floor: the slowest host's own work, 100 ms x (robots + listing + ceil(10/4) rounds of stories) for a
   cold build and 100 ms x 1 for a quiet poll, had every host been worked at once;
3. the same builds with feeds one after another (`parallel_feeds = 1`), the old shape, as the baseline;
4. a peer for the quiet poll: a bare `requests` client asking the same N listings the same conditional
   GET from as many threads, with nothing else to do (no robots rules, store, feeds or index): what any
   poller built on `requests` pays for the quiet poll's requests alone.

The builds run in a child process (`--client`), so CPU, open files and memory are the client's alone;
the local sites run in this process, as remote sites would run elsewhere.

    python bench/many_feeds.py [--feeds 50,200] [--parallel 8,64,256] [--defaults]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
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
    """Open files and resident memory of this process (the client), sampled every 50 ms while a build
    runs."""

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


QUIET_POLLS = 3


def client(config_path: str) -> dict[str, float]:
    """In the child process: a cold build, then quiet polls 30 minutes apart (a new session each, as a
    scheduled `build` has)."""
    cfg = load_config(Path(config_path))
    clock = [datetime(2026, 11, 28, tzinfo=UTC)]
    peaks = Peaks()
    wall, cpu = time.perf_counter(), time.process_time()
    with peaks:
        result = run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])
    cold, cold_cpu = time.perf_counter() - wall, time.process_time() - cpu
    ok = sum(1 for r in result.reports if r.ok and r.new == STORIES)
    quiet: list[tuple[float, float]] = []
    for _ in range(QUIET_POLLS):
        clock[0] += timedelta(minutes=30)
        wall, cpu = time.perf_counter(), time.process_time()
        run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])
        quiet.append((time.perf_counter() - wall, time.process_time() - cpu))
    quiet_wall, quiet_cpu = sorted(quiet)[len(quiet) // 2]
    return {
        "cold": cold,
        "cold_cpu": cold_cpu,
        "ok": ok,
        "quiet": quiet_wall,
        "quiet_cpu": quiet_cpu,
        "files": peaks.files,
        "memory": peak_memory_mb(),
    }


def peer(urls: list[str], threads: int) -> dict[str, float]:
    """In the child process: a bare `requests` client. One plain GET of each listing learns its ETag; then
    quiet rounds of the same conditional GETs, a new session each, from `threads` threads."""
    with requests.Session() as session, ThreadPoolExecutor(threads) as pool:
        etags = list(pool.map(lambda u: session.get(u, timeout=30).headers["ETag"], urls))
    rounds: list[tuple[float, float]] = []
    for _ in range(QUIET_POLLS):
        wall, cpu = time.perf_counter(), time.process_time()
        with requests.Session() as session, ThreadPoolExecutor(threads) as pool:
            codes = list(
                pool.map(
                    lambda ue: session.get(ue[0], headers={"If-None-Match": ue[1]}, timeout=30).status_code,
                    zip(urls, etags, strict=True),
                )
            )
        rounds.append((time.perf_counter() - wall, time.process_time() - cpu))
        assert set(codes) == {304}, codes
    quiet_wall, quiet_cpu = sorted(rounds)[len(rounds) // 2]
    return {"quiet": quiet_wall, "quiet_cpu": quiet_cpu}


def in_child(*args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", default="50,200")
    parser.add_argument("--parallel", default="1,8,64,256")
    parser.add_argument("--defaults", action="store_true", help="the shipped [http] defaults instead")
    parser.add_argument("--client", help=argparse.SUPPRESS)  # the child: build this config, print JSON
    parser.add_argument("--peer", nargs="+", help=argparse.SUPPRESS)  # the child: threads, then URLs
    args = parser.parse_args()
    if args.client:
        print(json.dumps(client(args.client)))
        return
    if args.peer:
        print(json.dumps(peer(args.peer[1:], int(args.peer[0]))))
        return
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
    cold_rows, quiet_rows = [], []
    for n in (int(x) for x in args.feeds.split(",")):
        with ExitStack() as stack:
            sites = [site(stack) for _ in range(n)]
            for parallel in (int(x) for x in args.parallel.split(",")):
                if parallel > n and parallel != max(int(x) for x in args.parallel.split(",")):
                    continue
                with tempfile.TemporaryDirectory() as tmp:
                    got = in_child("--client", str(write_config(Path(tmp), sites, parallel)))
                bare = in_child("--peer", str(min(parallel, n)), *(s.url("/section") for s in sites))
                cold_rows.append(
                    f"| {n} | {parallel} | {got['ok']:.0f}/{n} | {got['cold']:.2f} s | {got['cold_cpu']:.2f} s "
                    f"| {got['cold'] / (floor_cold + got['cold_cpu']):.2f}x | {got['files']:.0f} "
                    f"| {got['memory']:.0f} MB |"
                )
                quiet_rows.append(
                    f"| {n} | {parallel} | {got['quiet']:.2f} s | {got['quiet_cpu']:.2f} s "
                    f"| {got['quiet'] / floor_quiet:.1f}x | {got['quiet'] / (floor_quiet + got['quiet_cpu']):.2f}x "
                    f"| {bare['quiet']:.2f} s ({bare['quiet_cpu']:.2f} s CPU) "
                    f"| {got['quiet'] / bare['quiet']:.2f}x |"
                )
                print(cold_rows[-1], quiet_rows[-1], sep="\n", flush=True)
    lines = [
        "## Many feeds on many hosts (`bench/many_feeds.py`)",
        "",
        f"One local site per feed (its own port), {int(DELAY * 1000)} ms added to every response, {STORIES} "
        f"stories a section, max_per_host = {PER_HOST}, min_delay = {MIN_DELAY:g}; {machine()}. The builds run "
        "in a child process: CPU, open files and peak memory are the client's alone (the sites run in the "
        "benchmark's process, on the same 2 cores). Floor: the slowest host's own work had every host been "
        f"worked at once: {floor_cold:.1f} s cold ({requests_per_host} requests within the host's limits), "
        f"{floor_quiet:.1f} s quiet (one 304). `parallel_feeds = 1` is the old shape, one feed after another.",
        "",
        "| feeds | parallel_feeds | feeds fine | cold build | CPU | vs floor + CPU | open files (peak) "
        "| memory (peak) |",
        "|---|---|---|---|---|---|---|---|",
        *cold_rows,
        "",
        f"Quiet poll: the median of {QUIET_POLLS}, each a new `build` 30 minutes on, every listing answering "
        "304. The peer is a bare `requests` client asking the same conditional GETs from as many threads, "
        "with nothing else to do.",
        "",
        "| feeds | parallel_feeds | quiet poll | CPU | vs floor | vs floor + CPU | bare requests, same GETs "
        "| vs bare requests |",
        "|---|---|---|---|---|---|---|---|",
        *quiet_rows,
    ]
    report("many-feeds-defaults" if DEFAULTS else "many-feeds", lines)


if __name__ == "__main__":
    main()
