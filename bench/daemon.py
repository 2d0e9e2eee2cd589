"""Daemon benchmark: resident memory after 20 and after 300 polls of the fixture site (every = "1s"), and
CPU while idle between polls, in one run. The listing changes on every request (no 304), so every poll
parses it, decides, renders and compares the outputs.

    python bench/daemon.py [--polls 300]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import feeds_toml, machine, report
from support.site_server import FIXTURES, Response, SiteServer

LISTING = "/National/North-Korea"
TICK = os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def start(server: SiteServer, folder: Path, every: str) -> tuple[subprocess.Popen[str], list[float]]:
    feed = f'[[feeds]]\nid = "north-korea"\nsite = "koreaherald"\nlisting = "{server.url(LISTING)}"\n'
    config = feeds_toml(folder, feed + f'every = "{every}"\npages = 2\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", "run", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    polls: list[float] = []

    def count() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "north-korea:" in line:
                polls.append(time.monotonic())

    threading.Thread(target=count, daemon=True).start()
    return proc, polls


def wait_polls(polls: list[float], n: int, timeout: float) -> None:
    end = time.monotonic() + timeout
    while len(polls) < n:
        if time.monotonic() > end:
            raise RuntimeError(f"only {len(polls)} polls in {timeout}s")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--polls", type=int, default=300)
    args = parser.parse_args()
    listing = (FIXTURES / "koreaherald/current/pages/listing-north-korea-1.html").read_bytes()
    counter = iter(range(10**9))
    with SiteServer("koreaherald/current") as server, tempfile.TemporaryDirectory() as tmp:
        server.route(
            LISTING,
            lambda r: Response(
                200,
                listing + f"<!-- {next(counter)} -->".encode(),
                {"Content-Type": "text/html; charset=utf-8"},
            ),
        )
        proc, polls = start(server, Path(tmp), "1s")
        try:
            wait_polls(polls, 20, 120)
            rss20 = rss_kib(proc.pid)
            cpu20, t20 = cpu_seconds(proc.pid), time.monotonic()
            wait_polls(polls, args.polls, args.polls * 3)
            rss_end = rss_kib(proc.pid)
            busy_cpu = (cpu_seconds(proc.pid) - cpu20) / (time.monotonic() - t20)
        finally:
            proc.terminate()
            proc.wait(10)
        idle_proc, idle_polls = start(server, Path(tmp), "1h")
        try:
            wait_polls(idle_polls, 1, 60)
            time.sleep(1.0)
            c0, t0 = cpu_seconds(idle_proc.pid), time.monotonic()
            time.sleep(20)
            idle_cpu = (cpu_seconds(idle_proc.pid) - c0) / (time.monotonic() - t0)
        finally:
            idle_proc.terminate()
            idle_proc.wait(10)
    growth = (rss_end - rss20) / rss20 * 100
    lines = [
        "## Daemon (`bench/daemon.py`)",
        "",
        f"`feedgen-app run` as a subprocess, one feed polled every second against the local fixture site, the listing "
        f"changing on every request; {machine()}.",
        "",
        "| measurement | result | target |",
        "|---|---|---|",
        f"| resident memory after 20 polls (baseline) | {rss20 / 1024:.1f} MiB | |",
        f"| resident memory after {len(polls)} polls | {rss_end / 1024:.1f} MiB | |",
        f"| growth from 20 to {len(polls)} polls | {growth:+.1f} % | under 10 % |",
        f"| CPU while polling every second | {busy_cpu * 100:.1f} % of a core | |",
        f"| CPU while idle between polls (20 s window) | {idle_cpu * 100:.2f} % of a core | near zero |",
    ]
    report("daemon", lines)


if __name__ == "__main__":
    main()
