"""The server programs real sites run, each serving the same small site (tests/support/small_site.py: a
section page and three stories): what `discover`, `extract` and a build of a `site = "auto"` feed find on
each. Needs Debian's nginx, lighttpd and busybox (`.ci/run` installs them); a missing one is said so.
With `--before DIR` (a checkout of an earlier commit, e.g. `git worktree add DIR <commit>`), the same
commands of that code run beside, in the same table.

    python bench/server_matrix.py [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import commit_of, machine, report
from support import real_servers, small_site

CODE: str | None = None  # a checkout whose feedgen_app runs instead of this one


def run(*args: str) -> tuple[int, str]:
    env = {**os.environ, **({"PYTHONPATH": CODE} if CODE else {})}
    done = subprocess.run(
        [sys.executable, "-m", "feedgen_app", *args], capture_output=True, text=True, env=env, timeout=300
    )
    return done.returncode, done.stdout


def one(kind: real_servers.Kind, root: Path, work: Path) -> list[str]:
    wanted = len(small_site.STORIES)
    with real_servers.serving(kind, root, work / "server") as base:
        listing = base + small_site.SECTION
        _, out = run("discover", "--format", "json", listing)
        found = len(json.loads(out)["stories"]) if out.strip() else 0
        urls = [base + path for path in small_site.STORIES]
        _, out = run("extract", "--format", "json", *urls)
        extracted = sum(1 for line in out.splitlines() if json.loads(line)["error"] is None)
        config = work / "feeds.toml"
        config.write_text(
            f'[output]\ndir = "public"\nbase_url = "https://example.org/"\n[http]\nmin_delay = 0\n'
            f'[[feeds]]\nid = "world"\ntitle = "World"\nsite = "auto"\nlisting = "{listing}"\n'
        )
        code, _ = run("build", "--config", str(config))
        atom = work / "public" / "world.atom"
        built = atom.read_text().count("<entry>") if atom.exists() else 0
    return [f"{found}/{wanted}", f"{extracted}/{wanted}", f"{built}/{wanted} (exit {code})"]


def cells(kind: real_servers.Kind, root: Path, work: Path) -> list[str]:
    try:
        return one(kind, root, work)
    except Exception as exc:  # a program missing here: say so in its row
        return [f"not run: {exc}"[:80], "", ""]


def main() -> None:
    global CODE
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="a checkout of earlier code to run beside")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = small_site.write(Path(tmp) / "site")
        for n, kind in enumerate(real_servers.KINDS):
            CODE = None
            now = cells(kind, root, Path(tmp) / f"run-{n}")
            before = []
            if args.before:
                CODE = args.before
                before = cells(kind, root, Path(tmp) / f"before-{n}")
            rows.append(
                f"| {kind.name} | {' | '.join(now)} |" + (f" {' | '.join(before)} |" if before else "")
            )
            print(rows[-1], flush=True)
    head = "| server | discover | extract | build |"
    rule = "|---|---|---|---|"
    if args.before:
        head += " before: discover | before: extract | before: build |"
        rule += "---|---|---|"
    report(
        "server-matrix",
        [
            "### Real server programs (`bench/server_matrix.py`)",
            "",
            f"The same small site (a section page, three stories) served by each program; {machine()}. Stories "
            "found by `discover` on the section page, extracted by `extract` from the story URLs, and published by "
            'a `build` of a `site = "auto"` feed.',
            "",
            *([f"Before: the code at {commit_of(args.before)}."] if args.before else []),
            "",
            head,
            rule,
            *rows,
        ],
    )


if __name__ == "__main__":
    main()
