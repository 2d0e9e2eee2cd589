"""The embedded store under a daemon's write load (bench/store_load.py runs the long version): many feeds on
a few local hosts that publish a new story every poll, every feed polled every two seconds. The store
never refuses a poll ("database is locked"), no feed is held for it, and every story listed is stored."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from support.changing_sites import ChangingSite
from support.site_server import SiteServer

FEEDS, HOSTS, EVERY, SECONDS = 40, 8, 2.0, 45


def test_a_busy_daemon_is_never_refused_by_its_store(tmp_path: Path) -> None:
    with ExitStack() as stack:
        sites = [ChangingSite(stack.enter_context(SiteServer()), FEEDS // HOSTS, EVERY) for _ in range(HOSTS)]
        listings = [s.listing_url(n) for s in sites for n in range(FEEDS // HOSTS)]
        config = tmp_path / "feeds.toml"
        config.write_text(
            '[output]\ndir = "public"\nbase_url = "https://example.org/"\n[state]\npath = "s.sqlite"\n'
            "[http]\nmin_delay = 0\nmax_per_host = 4\n"
            + "".join(
                f'[[feeds]]\nid = "f{i}"\nsite = "koreaherald"\nlisting = "{u}"\nevery = "{EVERY:g}s"\n'
                for i, u in enumerate(listings)
            )
        )
        log = tmp_path / "daemon.log"
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "feedgen_app", "run", "--config", str(config)], stdout=out, stderr=out
            )
            time.sleep(SECONDS)
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=30) == 0
        ended = time.monotonic()
        text = log.read_text()
        assert "database is locked" not in text and "state store failed" not in text, text[-2000:]
        assert "held" not in text, text[-2000:]
        db = sqlite3.connect(tmp_path / "s.sqlite")
        stored = {row[0] for row in db.execute("SELECT url FROM stories")}
        db.close()
        listed = {s.server.base + path for s in sites for path in s.listed_before(ended - 15)}
        assert len(listed) > FEEDS * 10
        assert listed <= stored, sorted(listed - stored)[:10]
