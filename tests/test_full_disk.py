"""A full disk, for real: the output folder, the state store and the page archive each on a small tmpfs
(mounted in a mount namespace of the test's own, `unshare`), filled, then a build whose site has new stories.
Each says the disk is full, naming the path, the free space and what was needed; the last good feed stays
whole, and the build exits 1."""

from __future__ import annotations

import base64
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_config
from support.site_server import Request, Response, SiteServer

LISTING = "/National/North-Korea"


def unshare() -> list[str]:
    """A mount namespace in which this user may mount a tmpfs (root, or a user namespace)."""
    found = shutil.which("unshare")
    probe = [found or "unshare", "--user", "--map-root-user", "--mount", "true"]
    if found and subprocess.run(probe, capture_output=True).returncode == 0:
        return probe[:-1]
    if os.environ.get("CI"):
        pytest.fail("cannot make a mount namespace here (util-linux's unshare and user namespaces)")
    pytest.skip("no mount namespace for a small disk here")


def on_small_disk(folder: Path, size_kb: int, script: str) -> subprocess.CompletedProcess[str]:
    """Run the shell `script` with `folder` a tmpfs of `size_kb` (`$APP` runs feedgen-app)."""
    folder.mkdir(parents=True, exist_ok=True)
    setup = f"mount -t tmpfs -o size={size_kb}k tmpfs '{folder}' && "
    env = {**os.environ, "APP": f"{sys.executable} -m feedgen_app"}
    return subprocess.run(
        [*unshare(), "sh", "-c", setup + script], capture_output=True, text=True, env=env, timeout=300
    )


def growing_site(site: SiteServer, big: bool = False) -> None:
    """A listing of one story on its first answer, three on the next ones (so a second build has work).
    `big`: the two later stories carry a megabyte that does not compress (the first is small)."""
    filler = base64.b64encode(random.Random(1).randbytes(800_000)).decode() if big else ""
    asked = [0]

    def listing(_r: Request) -> Response:
        asked[0] += 1
        n = 1 if asked[0] == 1 else 3
        items = "".join(
            f"<li><a href='/2026/11/2{i}/story-{i}'>Harbour talks, day {i} of the week</a></li>"
            for i in range(n)
        )
        return Response(
            200, f"<html><body><ul>{items}</ul></body></html>".encode(), {"Content-Type": "text/html"}
        )

    site.route(LISTING, listing)
    site.static("/robots.txt", b"", "text/plain")
    for i in range(3):
        text = "".join(
            f"<p>The harbour council met on day {i} and voted on item {k} of the agenda.</p>"
            for k in range(8)
        )
        site.static(
            f"/2026/11/2{i}/story-{i}",
            f"<html><head><title>Harbour talks, day {i}</title></head><body><article><h1>Harbour talks, day {i}"
            f"</h1><time datetime='2026-11-2{i}T09:00:00Z'>2{i} Nov</time>{text}</article>"
            f"<!-- {filler if i else ''} --></body></html>".encode(),
        )


FILL = 'dd if=/dev/zero of="$1/filler" bs=4k >/dev/null 2>&1; '


def test_a_full_output_folder(tmp_path: Path) -> None:
    with SiteServer() as site:
        growing_site(site)
        config = write_config(tmp_path, site.url(LISTING), site="auto")
        public = tmp_path / "public"
        got = on_small_disk(
            public,
            512,
            f"$APP build --config '{config}' 2>/dev/null; echo first=$?; "
            f'set -- "{public}"; {FILL}'
            f"$APP build --config '{config}'; echo second=$?; "
            f"grep -c '<entry>' '{public}/north-korea.atom'",
        )
    out = got.stdout + got.stderr
    assert "first=0" in out and "second=1" in out, out
    assert (
        f"{public}/north-korea.atom: not written (the previous version is kept): the disk holding the output folder is full"
        in out
    )
    assert f"free in {public}, at least" in out and "needed; free some space there" in out
    assert got.stdout.strip().endswith("1"), "the last good feed, whole: its one entry"


def test_a_full_state_store(tmp_path: Path) -> None:
    with SiteServer() as site:
        growing_site(site)
        config = write_config(tmp_path, site.url(LISTING), site="auto")
        state = tmp_path / "state"
        got = on_small_disk(
            state,
            1024,
            f"$APP build --config '{config}' 2>/dev/null; echo first=$?; "
            f'set -- "{state}"; {FILL}'
            f"$APP build --config '{config}'; echo second=$?",
        )
        entries = (tmp_path / "public" / "north-korea.atom").read_text().count("<entry>")
    out = got.stdout + got.stderr
    assert "first=0" in out and "second=1" in out, out
    assert f"{state}/feedgen.sqlite: the disk holding the state store is full: " in out, out
    assert f"free in {state}, at least 4.0 MB needed" in out
    assert entries == 1, "the last good feed is kept"


def test_a_full_page_archive(tmp_path: Path) -> None:
    with SiteServer() as site:
        growing_site(site, big=True)
        config = write_config(tmp_path, site.url(LISTING), site="auto")
        state = tmp_path / "state"
        got = on_small_disk(
            state,
            700,
            f"$APP build --config '{config}' 2>/dev/null; echo first=$?; $APP build --config '{config}'; echo second=$?",
        )
    out = got.stdout + got.stderr
    assert "first=0" in out and "second=1" in out, out
    assert "the disk holding the page archive (in the state store) is full" in out, out
