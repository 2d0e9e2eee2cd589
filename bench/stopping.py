"""Time from Ctrl-C (SIGINT) or SIGTERM to exit, for a build of 200 feeds on a slow local site: every answer
takes 2 s, the shipped [http] settings (two requests in flight to the host, a second apart), so at any moment
polls are waiting for answers and for their turn. The signal comes 5 s into the build; measured per run:
seconds until the process ended, its exit code and what it said it had done. With `--before DIR` (a
checkout of earlier code) the same runs of that code beside, cut off after 120 s.

    python bench/stopping.py [--runs 3] [--before DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import commit_of, machine, report
from support.site_server import SiteServer

FEEDS, SLOW, AFTER, CUT_OFF = 200, 2.0, 5.0, 120.0


def once(site: SiteServer, signum: int, code: str | None) -> tuple[float, int | None, str]:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "feeds.toml"
        config.write_text(
            '[output]\ndir = "public"\nbase_url = "https://example.org/"\n'
            + "".join(
                f'[[feeds]]\nid = "f{i}"\nsite = "koreaherald"\nlisting = "{site.url(f"/section-{i}")}"\n'
                for i in range(FEEDS)
            )
        )
        env = {**os.environ, **({"PYTHONPATH": code} if code else {})}
        proc = subprocess.Popen(
            [sys.executable, "-m", "feedgen_app", "build", "--config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(AFTER)
        sent = time.monotonic()
        proc.send_signal(signum)
        try:
            _, err = proc.communicate(timeout=CUT_OFF)
            took, returned = time.monotonic() - sent, proc.returncode
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
            took, returned = CUT_OFF, None
        said = re.search(r"stopped: [^\n]*", err)
        return (
            took,
            returned,
            said.group(0) if said else ("(nothing said)" if returned is not None else "killed"),
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="a checkout of earlier code to measure beside")
    args = parser.parse_args()
    rows = []
    with SiteServer("koreaherald/current", delay=SLOW) as site:
        for i in range(FEEDS):
            site.routes[f"/section-{i}"] = site.routes["/National/North-Korea"]
        for label, code in [("this code", None), *([("before", args.before)] if args.before else [])]:
            for name, signum in (("SIGINT (Ctrl-C)", signal.SIGINT), ("SIGTERM", signal.SIGTERM)):
                runs = [once(site, signum, code) for _ in range(args.runs)]
                times = [t for t, _c, _s in runs]
                row = (
                    f"| {label} | {name} | {statistics.median(times):.2f} s | {max(times):.2f} s | "
                    f"{', '.join(str(c) for _t, c, _s in runs)} | {runs[-1][2]} |"
                )
                rows.append(row)
                print(row, flush=True)
    report(
        "stopping",
        [
            "### Stopping a build (`bench/stopping.py`)",
            "",
            f"A build of {FEEDS} feeds on one local site whose every answer takes {SLOW:g} s, shipped [http] "
            f"settings; the signal {AFTER:g} s in; {args.runs} runs each; {machine()}."
            + (
                f" Before: the code at {commit_of(args.before)}, cut off at {CUT_OFF:g} s."
                if args.before
                else ""
            ),
            "",
            "| code | signal | median to exit | slowest | exit codes | what it said (last run) |",
            "|---|---|---|---|---|---|",
            *rows,
        ],
    )


if __name__ == "__main__":
    main()
