"""`feedgen-app demo` (the browser test opens its index and a feed): the sample site publishes its stories
over time, and `--keep DIR` keeps what the demo made."""

from __future__ import annotations

import html
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.demo_process import start_demo

from feedgen_app.demo.sample_site import SampleSite


def test_the_sample_site_publishes_a_story_every_period() -> None:
    now = [datetime(2026, 12, 6, 12, 0, tzinfo=UTC)]
    site = SampleSite(lambda: now[0], period=60)
    first = site.published(now[0])
    assert len(first) >= 8 and site.still_to_come(now[0]) >= 4
    home = site.page("/", now[0])[2].decode()
    assert all(html.escape(s.title) in home for s in first[:12])
    now[0] += timedelta(seconds=61)
    assert len(site.published(now[0])) == len(first) + 1
    newest = site.published(now[0])[0]
    assert newest.title in site.page(f"/{newest.section}/", now[0])[2].decode()
    status, kind, body = site.page(newest.path, now[0])
    assert (
        status == 200 and kind.startswith("text/html") and html.escape(newest.paragraphs[-1]) in body.decode()
    )
    status, kind, body = site.page(f"/pictures/{newest.slug}.png", now[0])
    assert status == 200 and kind == "image/png" and body.startswith(b"\x89PNG")
    assert site.page("/harbour/2099/01/01/not-yet.html", now[0])[0] == 404


def test_keep_keeps_the_configuration_state_and_feeds(tmp_path: Path) -> None:
    kept = tmp_path / "demo"
    proc = start_demo("--keep", str(kept), "--poll-every", "2")
    end = time.monotonic() + 60
    while not (kept / "public" / "harbour.atom").exists():
        assert time.monotonic() < end and proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    out = proc.stdout.read() if proc.stdout else ""
    assert f"Kept in {kept}" in out
    assert (kept / "feeds.toml").exists() and (kept / "state" / "feedgen.sqlite").exists()
    assert (kept / "public" / "harbour.rss").exists() and (kept / "public" / "harbour.json").exists()
