"""The embedded store under a daemon's write load: `feedgen-app run` as a subprocess with N feeds on H local
hosts (N/H sections a host, each gaining a new story every `--every` seconds), every feed polled every
`--every` seconds, for a few minutes; the shipped [http] settings. Counted: the daemon's log lines that say
the store refused or failed ("database is locked", "the state store failed"), feeds held for it, and
stories lost: listed by a site at least a minute before the end and not in the store.

    python bench/store_load.py [--feeds 200] [--hosts 40] [--every 10] [--minutes 10] [--before DIR]

With `--before DIR` (a checkout of earlier code), the same run of that code follows, as a second row.
"""

from __future__ import annotations

import argparse
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from _common import commit_of, machine, report
from support.changing_sites import ChangingSite
from support.site_server import SiteServer

MARGIN = 60.0
SHOW = False  # seconds before the end: stories listed since may not have been polled yet


def run(feeds: int, hosts: int, every: float, minutes: float, code: str | None = None) -> dict[str, object]:
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        per_host = -(-feeds // hosts)
        sites = [ChangingSite(stack.enter_context(SiteServer()), per_host, every) for _ in range(hosts)]
        listings = [s.listing_url(n) for s in sites for n in range(per_host)][:feeds]
        config = Path(tmp) / "feeds.toml"
        config.write_text(
            '[output]\ndir = "public"\nbase_url = "https://example.org/"\n[state]\npath = "state/s.sqlite"\n'
            + "".join(
                f'[[feeds]]\nid = "f{i}"\nsite = "koreaherald"\nlisting = "{u}"\nevery = "{every:g}s"\n'
                for i, u in enumerate(listings)
            )
        )
        log = Path(tmp) / "daemon.log"
        with log.open("w") as out:
            env = {**os.environ, **({"PYTHONPATH": code} if code else {})}
            proc = subprocess.Popen(
                [sys.executable, "-m", "feedgen_app", "run", "--config", str(config)],
                stdout=out,
                stderr=out,
                env=env,
            )
            time.sleep(minutes * 60)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        ended = time.monotonic()
        text = log.read_text()
        if SHOW:
            Path("/tmp/store_load.log").write_text(text)
        db = sqlite3.connect(Path(tmp) / "state" / "s.sqlite")
        stored = {row[0].split("://", 1)[1].split("/", 1)[1] for row in db.execute("SELECT url FROM stories")}
        stored = {"/" + p for p in stored}
        db.close()
        # the same path on two hosts is two stories; the store keys them by URL, so compare per host
        listed = lost = 0
        for s in sites:
            wanted = s.listed_before(ended - MARGIN)
            listed += len(wanted)
            lost += len(wanted - stored_on(tmp, s.server.base))
        if lost and SHOW:
            print(
                "not stored, e.g.:",
                sorted(wanted - stored_on(tmp, s.server.base))[:5],
                sorted(stored_on(tmp, s.server.base))[:5],
            )
        return {
            "locked": text.count("database is locked"),
            "store failed": text.count("the state store failed"),
            "held": text.count("held, last good feed kept") + text.count("not published yet"),
            "listed": listed,
            "lost": lost,
            "stored": len(stored),
        }


def stored_on(tmp: str, base: str) -> set[str]:
    db = sqlite3.connect(Path(tmp) / "state" / "s.sqlite")
    try:
        return {
            row[0][len(base) :]
            for row in db.execute("SELECT url FROM stories WHERE url LIKE ?", (base + "/%",))
        }
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--hosts", type=int, default=40)
    parser.add_argument("--every", type=float, default=10)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--label", default="")
    parser.add_argument("--before", help="a checkout of earlier code, run the same way after")
    args = parser.parse_args()
    runs = [("this code", run(args.feeds, args.hosts, args.every, args.minutes))]
    if args.before:
        runs.append(
            (
                f"before ({commit_of(args.before)})",
                run(args.feeds, args.hosts, args.every, args.minutes, args.before),
            )
        )
    lines = [
        "### The embedded store under write load (`bench/store_load.py`)",
        "",
        f"`feedgen-app run`, {args.feeds} feeds on {args.hosts} local hosts, every {args.every:g} s, each section "
        f"gaining a story every {args.every:g} s, {args.minutes:g} minutes, shipped [http] settings; {machine()}."
        + (f" {args.label}" if args.label else ""),
        "",
        "| code | log lines 'database is locked' | 'the state store failed' | feed polls held | stories listed (until a minute before the end) | of them not in the store |",
        "|---|---|---|---|---|---|",
        *(
            f"| {name} | {got['locked']} | {got['store failed']} | {got['held']} | {got['listed']} | {got['lost']} |"
            for name, got in runs
        ),
    ]
    report("store-load", lines)


if __name__ == "__main__":
    main()
