"""Workers sharing one PostgreSQL store, against local sites that count every request.

N feeds on H local hosts (one port each, so each is its own host; N/H section listings a host, 5 stories
each), every feed `every` seconds, `min_delay` between two requests to one host. W `feedgen-app run`
workers share a PostgreSQL store (a real server, started here in a temporary folder) and one output folder;
worker 1 is SIGKILLed at 30 % of the run and started again at 60 %. Then the same feeds on one worker with
the SQLite store, for the same time, as the baseline. Reported, from the sites' own request logs:

- polls per feed per slot (listing requests per feed and `every` period): exactly 1 wanted; slots with 0
  (skipped) and with 2 or more (polled twice);
- feeds late by more than one lease (a gap between two polls of a feed over `every` + lease), and the
  longest gap;
- the shortest gap between two requests to one host, against `min_delay`;
- entries duplicated (two entries of one story in a feed file) or lost (a listed story missing);
- CPU seconds, peak memory and PostgreSQL connections per worker, and PostgreSQL's own CPU.

    python bench/cluster.py [--feeds 1000] [--hosts 200] [--workers 3] [--minutes 10] [--every 60]
"""

from __future__ import annotations

import argparse
import collections
import glob
import itertools
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import feedparser
import psycopg
from _common import kh_section, machine, report
from support.postgres import PostgresServer, postgres_server
from support.site_server import FIXTURES, SiteServer

from feedgen_app.running.slots import phase_of

STORIES = 5
MIN_DELAY = 0.2
LEASE = 20
SLACK = 0.05  # seconds of the sites' own logging delay allowed for when counting gaps under min_delay
SOURCES = sorted((FIXTURES / "koreaherald/current/pages").glob("article-*.html"))


def host(stack: ExitStack, sections: int, first_id: int) -> SiteServer:
    server = stack.enter_context(SiteServer())
    ids = [first_id + i for i in range(STORIES)]
    kh_section(server, ids)
    for n in range(sections):
        items = "".join(f'<li><a href="/article/{i}">Story {k}</a></li>' for k, i in enumerate(ids))
        server.static(
            f"/section{n}",
            (
                "<html><body><section class='section_list'><article class='recent_news'>"
                f"<ul class='news_list'>{items}</ul></article></section></body></html>"
            ).encode(),
        )
    for k, i in enumerate(ids):
        src = SOURCES[k % len(SOURCES)]
        server.static(f"/article/{i}", src.read_text().replace(src.stem.split("-")[1], str(i)).encode())
    return server


def config(folder: Path, hosts: list[SiteServer], feeds: int, every: int, state: str) -> Path:
    per_host = math.ceil(feeds / len(hosts))
    tables = []
    for n in range(feeds):
        server, section = hosts[n % len(hosts)], n // len(hosts)
        tables.append(
            f'[[feeds]]\nid = "f{n}"\nsite = "koreaherald"\nlisting = "{server.url(f"/section{section}")}"\n'
            f'every = "{every}s"\nformats = ["atom"]\n'
        )
    assert per_host >= 1
    path = folder / "feeds.toml"
    path.write_text(
        '[output]\ndir = "public"\nbase_url = "https://example.org/"\n'
        f"{state}\n[http]\nmin_delay = {MIN_DELAY}\nmax_per_host = 2\nparallel_feeds = 32\n"
        + "\n".join(tables)
    )
    return path


def start(path: Path, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", "--log-level", "WARNING", "run", "--config", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=open(log, "ab"),
        cwd=path.parent,
    )


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def postgres_cpu() -> float:
    total = 0.0
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = Path(stat).read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def connections(server: PostgresServer) -> int:
    with psycopg.connect(server.url(), password="secret", autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
        ).fetchone()
    return int(row[0]) - 1 if row else 0


def measure(
    folder: Path, hosts: list[SiteServer], feeds: int, every: int, began: float, ended: float
) -> dict[str, object]:
    """What the sites saw between `began` and `ended` (monotonic), and what the feed files hold."""
    listing_polls: dict[str, list[float]] = collections.defaultdict(list)
    host_starts: list[list[float]] = []
    for h, server in enumerate(hosts):
        starts = sorted(r.started for r in server.requests if began <= r.started <= ended)
        host_starts.append(starts)
        for r in server.requests:
            if r.path.startswith("/section") and began <= r.started <= ended:
                section = int(r.path.split("?")[0].removeprefix("/section"))
                listing_polls[f"f{section * len(hosts) + h}"].append(r.started)
    # slots as the workers count them: `every` periods of the epoch (the sites log monotonic times)
    offset = time.time() - time.monotonic()
    first, last = math.ceil((began + offset) / every), math.floor((ended + offset) / every)
    per_slot: collections.Counter[int] = collections.Counter()
    longest = steady = 0.0
    late = late_slots = 0
    for n in range(feeds):
        times = sorted(listing_polls.get(f"f{n}", []))
        slots = collections.defaultdict(list)
        for t in times:
            slots[math.floor((t + offset) / every)].append(t + offset)
        moment = phase_of(f"f{n}", every)
        behind = 0
        for s in range(first, last):
            per_slot[len(slots.get(s, []))] += 1
            # late: the slot's poll began over a lease after the feed's moment in the slot, or never
            polls = slots.get(s)
            behind += not polls or min(polls) > s * every + moment + LEASE
        late += behind > 0
        late_slots += behind
        gaps = [b - a for a, b in itertools.pairwise([began, *times, ended])]
        longest = max(longest, *gaps)
        steady = max(
            steady, *gaps[2:-1], 0.0
        )  # after the first poll's (at once, at start) and before the end
    gaps_to_hosts = [b - a for s in host_starts for a, b in itertools.pairwise(s)]
    closest = min(gaps_to_hosts, default=float("inf"))
    # the sites log a request when their thread reads it: on a busy machine two reads can bunch up
    under = sum(1 for g in gaps_to_hosts if g < MIN_DELAY - SLACK)
    duplicated = lost = 0
    for n in range(feeds):
        path = folder / "public" / f"f{n}.atom"
        entries = feedparser.parse(path.read_bytes()).entries if path.exists() else []
        ids = [e.id for e in entries]
        duplicated += len(ids) - len(set(ids))
        lost += max(0, STORIES - len(set(ids)))
    return {
        "slots": sum(per_slot.values()),
        "once": per_slot[1],
        "skipped": per_slot[0],
        "twice": sum(v for k, v in per_slot.items() if k >= 2),
        "late": late,
        "late_slots": late_slots,
        "longest": longest,
        "steady": steady,
        "closest": closest,
        "under": under,
        "gaps": len(gaps_to_hosts),
        "duplicated": duplicated,
        "lost": lost,
    }


def run_cluster(
    args: argparse.Namespace, pg: PostgresServer, hosts: list[SiteServer]
) -> tuple[dict[str, object], list[str]]:
    folder = Path(tempfile.mkdtemp(prefix="feedgen-cluster-"))
    (folder / "pw").write_text("secret")
    url = pg.new_database()
    state = f'[state]\nurl = "{url}"\npassword_file = "pw"\nlease = {LEASE}'
    path = config(folder, hosts, args.feeds, args.every, state)
    duration = args.minutes * 60
    began = time.monotonic()
    workers = [start(path, folder / f"worker{i}.log") for i in range(args.workers)]
    cpu = [0.0] * (args.workers + 1)
    peaks = [0.0] * (args.workers + 1)
    conns: list[int] = []
    pg_cpu0 = postgres_cpu()
    killed = restarted = False
    while time.monotonic() - began < duration:
        time.sleep(2)
        elapsed = time.monotonic() - began
        for i, w in enumerate(workers):
            if w.poll() is None:
                slot = i if i or not restarted else args.workers
                cpu[slot] = cpu_seconds(w.pid)
                peaks[slot] = max(peaks[slot], peak_mb(w.pid))
        conns.append(connections(pg))
        if not killed and elapsed >= 0.3 * duration:
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait()
            killed = True
            print(f"  worker 0 killed at {elapsed:.0f}s", flush=True)
        if killed and not restarted and elapsed >= 0.6 * duration:
            workers[0] = start(path, folder / "worker0.log")
            restarted = True
            print(f"  worker 0 started again at {elapsed:.0f}s", flush=True)
    ended = time.monotonic()
    for w in workers:
        w.send_signal(signal.SIGTERM)
    for w in workers:
        w.wait(60)
    found = measure(folder, hosts, args.feeds, args.every, began, ended)
    found["pg_cpu"] = postgres_cpu() - pg_cpu0
    found["connections"] = max(conns) if conns else 0
    notes = [
        f"worker {i if i < args.workers else '0 (restarted)'}: {cpu[i]:.0f} s CPU, {peaks[i]:.0f} MB peak"
        for i in range(args.workers + 1)
    ]
    return found, notes


def run_single(args: argparse.Namespace, hosts: list[SiteServer]) -> tuple[dict[str, object], str]:
    folder = Path(tempfile.mkdtemp(prefix="feedgen-single-"))
    path = config(folder, hosts, args.feeds, args.every, '[state]\npath = "state/feedgen.sqlite"')
    for server in hosts:
        server.requests.clear()
    began = time.monotonic()
    worker = start(path, folder / "worker.log")
    cpu = peak = 0.0
    while time.monotonic() - began < args.minutes * 60:
        time.sleep(2)
        cpu, peak = cpu_seconds(worker.pid), max(peak, peak_mb(worker.pid))
    ended = time.monotonic()
    worker.send_signal(signal.SIGTERM)
    worker.wait(60)
    return measure(
        folder, hosts, args.feeds, args.every, began, ended
    ), f"{cpu:.0f} s CPU, {peak:.0f} MB peak"


def row(name: str, m: dict[str, object], every: int) -> str:
    return (
        f"| {name} | {m['once']} of {m['slots']} | {m['skipped']} | {m['twice']} | {m['late']} ({m['late_slots']} slots) | "
        f"{float(m['longest']):.0f} s; {float(m['steady']):.0f} s after the first poll (every {every} s) | "  # type: ignore[arg-type]
        f"{float(m['closest']):.3f} s (min_delay {MIN_DELAY}); "  # type: ignore[arg-type]
        f"{m['under']} of {m['gaps']} gaps under {MIN_DELAY - SLACK:.2f} s | "
        f"{m['duplicated']} / {m['lost']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--every", type=int, default=60)
    args = parser.parse_args()
    with ExitStack() as stack:
        hosts = [
            host(stack, math.ceil(args.feeds / args.hosts), 20_000_000 + h * 100) for h in range(args.hosts)
        ]
        pg = stack.enter_context(postgres_server())
        print(
            f"{args.feeds} feeds on {args.hosts} hosts; {args.workers} workers for {args.minutes} min",
            flush=True,
        )
        cluster, notes = run_cluster(args, pg, hosts)
        for server in hosts:
            server.requests.clear()
        print("  baseline: one worker, SQLite", flush=True)
        single, single_note = run_single(args, hosts)
    report(
        "cluster",
        [
            "## Workers sharing a PostgreSQL store (`bench/cluster.py`)",
            "",
            f"{machine()}; {args.feeds} feeds on {args.hosts} local hosts, every {args.every} s, min_delay "
            f"{MIN_DELAY} s, lease {LEASE} s, {args.minutes:g} minutes each; {args.workers} `run` workers on "
            "one PostgreSQL 15 (started by the bench) and one output folder, worker 0 SIGKILLed at 30 % of the "
            "run and started again at 60 %; then one worker with SQLite over the same time. From the sites' own "
            "request logs; a slot is one of a feed's `every` periods of the clock, as the workers count them. "
            "The sites log a request when their thread reads it, in the bench's own process (200 sites on a "
            "machine busy with the workers and PostgreSQL), so two reads can bunch up: the gaps between "
            "requests to one host are also counted below min_delay less 50 ms.",
            "",
            "A feed is polled at once when a worker starts, then at its own moment of each slot (fixed by its "
            "id, running/slots.py): a feed is late when a slot's poll began more than a lease after that moment, "
            "or never. The gap between the first poll and the second can reach nearly two periods (a feed whose "
            "moment comes late in the slot); the longest gap after that is given beside it.",
            "",
            "| run | slots polled once | skipped | polled twice or more | feeds late by over a lease | longest "
            "gap between polls | closest two requests to a host | entries duplicated / lost |",
            "|---|---|---|---|---|---|---|---|",
            row(f"{args.workers} workers, PostgreSQL, one killed", cluster, args.every),
            row("1 worker, SQLite (baseline)", single, args.every),
            "",
            "Per worker: " + "; ".join(notes) + f". PostgreSQL: {float(cluster['pg_cpu']):.0f} s CPU, "  # type: ignore[arg-type]
            f"at most {cluster['connections']} client connections. One worker with SQLite: {single_note}.",
        ],
    )


if __name__ == "__main__":
    main()
