"""Incremental polling over several builds: what changes, what is fetched, what is written."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import write_config
from support.site_server import FIXTURES, Response, SiteServer

from feedgen_app.config import load_config
from feedgen_app.fetching.session import new_session
from feedgen_app.running.build import run_build

LISTING = "/National/North-Korea"
PAGES = FIXTURES / "koreaherald/current/pages"
WORDS = [
    "talks",
    "plan",
    "minister",
    "said",
    "week",
    "north",
    "south",
    "officials",
    "border",
    "trade",
    "missile",
    "meeting",
    "envoy",
    "vote",
]


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def build(config: Path, clock: Clock) -> int:
    cfg = load_config(config)
    return run_build(cfg, new_session(cfg.http.user_agent), clock).exit_code


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file but status.json, and the index but for when each feed was last checked (it says so)."""
    files = {
        p.name: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in folder.iterdir()
        if p.name not in ("status.json", "index.html")
    }
    index = re.sub(rb"<dt>Last checked</dt><dd>.*?</dd>", b"", (folder / "index.html").read_bytes())
    return {**files, "index.html (but last checked)": (index, 0)}


def test_a_quiet_poll_fetches_only_the_listing_and_writes_nothing(
    tmp_path: Path, current_site: SiteServer
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), "pages = 2")
    clock = Clock(datetime(2026, 11, 27, 0, 0, tzinfo=UTC))
    assert build(config, clock) == 0
    before = snapshot(tmp_path / "public")
    seen = len(current_site.requests)
    clock.now += timedelta(minutes=30)
    assert build(config, clock) == 0
    new = current_site.requests[seen:]
    assert [r.path for r in new] == [LISTING], "robots.txt is remembered for a day"
    assert "if-none-match" in new[-1].headers
    assert snapshot(tmp_path / "public") == before, "no feed or OPML rewritten, the index only for its times"


def test_new_revised_and_dropped_stories(tmp_path: Path, current_site: SiteServer) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), "pages = 2")
    clock = Clock(datetime(2026, 11, 27, 0, 0, tzinfo=UTC))
    assert build(config, clock) == 0
    atom = tmp_path / "public" / "north-korea.atom"
    first = atom.read_text()

    listing = (PAGES / "listing-north-korea-1.html").read_text()
    new_item = '<li><a href="/article/10872000"><p class="news_title">Brand new story</p></a></li>'
    listing = listing.replace('<ul class="news_list">\n', f'<ul class="news_list">\n{new_item}', 1)
    listing = listing.replace(
        '<li><a href="/article/10869540">', '<li><a href="/article/10869540x">'
    )  # dropped
    listing = listing.replace(
        "Unification ministry proposes Red Cross talks",
        "Unification ministry proposes Red Cross talks, North silent",
    )
    current_site.static(LISTING, listing.encode())
    story = (PAGES / "article-10871768.html").read_text()
    current_site.static(
        "/article/10872000",
        re.sub(  # another story: its own text (a copy of one in the feed would be that story again)
            r"<p>North Korea fired.*?\(Yonhap\)</p>",
            "<p>Seoul and Tokyo agreed on Thursday to resume regular shuttle diplomacy between their leaders, "
            "officials said after talks in the Japanese capital.</p><p>The two sides also discussed supply "
            "chains for chips and batteries, and a joint response to falling birth rates. (Yonhap)</p>",
            story,
            flags=re.S,
        )
        .replace("10871768", "10872000")
        .replace("N. Korea fires short-range ballistic missile", "Brand new story")
        .replace("2026-11-26T07:41:00", "2026-11-26T20:00:00")
        .replace("Nov. 26, 2026 - 07:41", "Nov. 26, 2026 - 20:00")
        .replace("2026-11-26T10:15:00", "2026-11-26T20:00:00")
        .replace("Nov. 26, 2026 - 10:15", "Nov. 26, 2026 - 20:00")
        .encode(),
    )
    revised = (
        (PAGES / "article-10871502.html")
        .read_text()
        .replace(
            "The last round of family reunions",
            "Pyongyang has not answered. The last round of family reunions",
        )
    )
    current_site.static("/article/10871502", revised.encode())
    seen = len(current_site.requests)
    clock.now += timedelta(hours=2)
    assert build(config, clock) == 0
    fetched = {r.path for r in current_site.requests[seen:]}
    assert {"/article/10872000", "/article/10871502"} <= fetched
    assert "/article/10868420" not in fetched, "an old, unchanged story is not fetched again"
    text = atom.read_text()
    assert text.count("<entry>") == 12
    assert text.count("tag:koreaherald.com,2026:/article/10871502") == 1
    assert "Pyongyang has not answered" in text
    assert "tag:koreaherald.com,2026:/article/10869540" in text, "a story that left the listing stays"
    entry = text.split("tag:koreaherald.com,2026:/article/10871502")[1].split("</entry>")[0]
    assert "<updated>2026-11-27T02:00:00+00:00</updated>" in entry, "revised without a site date: our time"
    assert first.index("10871768") < first.index("10871502")
    assert text.index("10872000") < text.index("10871768"), "newest first"


def test_young_stories_are_rechecked_conditionally(tmp_path: Path, current_site: SiteServer) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), "pages = 2")
    clock = Clock(datetime(2026, 11, 26, 6, 0, tzinfo=UTC))  # a day after most stories
    assert build(config, clock) == 0
    listing = (PAGES / "listing-north-korea-1.html").read_bytes() + b"<!-- changed -->"
    current_site.static(LISTING, listing)
    seen = len(current_site.requests)
    clock.now += timedelta(hours=3)
    assert build(config, clock) == 0
    rechecked = [r for r in current_site.requests[seen:] if r.path.startswith("/article/")]
    assert rechecked and all("if-none-match" in r.headers for r in rechecked)
    assert "/article/10868420" not in {r.path for r in rechecked}, "older than 48 hours: left alone"


def test_max_entries_and_max_age(tmp_path: Path, current_site: SiteServer) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), "pages = 2\nmax_entries = 5")
    assert build(config, Clock(datetime(2026, 11, 27, tzinfo=UTC))) == 0
    assert (tmp_path / "public" / "north-korea.atom").read_text().count("<entry>") == 5
    config = write_config(tmp_path, current_site.url(LISTING), "pages = 2\nmax_age_days = 2")
    assert build(config, Clock(datetime(2026, 11, 27, tzinfo=UTC))) == 0  # 09:00 KST: cut-off 25 Nov 09:00
    assert (tmp_path / "public" / "north-korea.atom").read_text().count("<entry>") == 3


def test_a_build_killed_midway_finishes_cleanly_next_time(tmp_path: Path) -> None:
    with SiteServer("koreaherald/current", delay=0.25) as slow:
        config = write_config(tmp_path, slow.url(LISTING), "pages = 2", max_per_host=1)
        cmd = [sys.executable, "-m", "feedgen_app", "build", "--config", str(config)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while slow.count("/article/") < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert not (tmp_path / "public" / "north-korea.atom").exists()
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        text = (tmp_path / "public" / "north-korea.atom").read_text()
        assert text.count("<entry>") == 11
        ids = [line for line in text.splitlines() if "<id>tag:" in line]
        assert len(ids) == len(set(ids)) == 11
        assert not list((tmp_path / "public").glob(".*.tmp"))


def test_a_disallowed_story_is_reported_not_fetched(tmp_path: Path, current_site: SiteServer) -> None:
    current_site.static("/robots.txt", b"User-agent: *\nDisallow: /article/10870988\n", "text/plain")
    config = write_config(tmp_path, current_site.url(LISTING), "pages = 2")
    assert build(config, Clock(datetime(2026, 11, 27, tzinfo=UTC))) == 0
    assert current_site.count("/article/10870988") == 0
    status = (tmp_path / "public" / "status.json").read_text()
    assert "10870988" in status and "robots.txt" in status


def test_a_slow_site_hits_the_build_deadline_not_forever(tmp_path: Path, current_site: SiteServer) -> None:
    for path in ("/article/10871768", "/article/10871502"):
        current_site.route(path, lambda r: Response(200, b"<p>x</p>", delay=3.0))
    config = write_config(tmp_path, current_site.url(LISTING), "", deadline=2, read_timeout=10, retries=0)
    started = time.monotonic()
    build(config, Clock(datetime(2026, 11, 27, tzinfo=UTC)))
    assert time.monotonic() - started < 8


def test_a_listing_of_thousands_publishes_its_first_stories_and_the_rest_follow(tmp_path: Path) -> None:
    """A listing of 130 links with a feed of 20 entries: 100 new stories a poll at the most, newest
    (first listed) first; the feed is published on the first poll, and the next poll fetches the 30 left."""
    with SiteServer() as site:
        site.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        items = "".join(
            f'<li><a href="/news/{20_000_000 + n}">Report number {n} on the talks</a></li>'
            for n in range(130)
        )
        site.static("/news", f"<html><body><main><ul>{items}</ul></main></body></html>".encode())
        for n in range(130):
            site.static(
                f"/news/{20_000_000 + n}",
                (
                    f"<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>"
                    f"<time datetime='2026-11-27T{n % 24:02d}:{n % 60:02d}:00Z'>x</time>"
                    f"<p>{' '.join(random.Random(n).choices(WORDS, k=60))}.</p>"  # a text of its own
                    "</article></body></html>"
                ).encode(),
            )
        config = write_config(tmp_path, site.url("/news"), "max_entries = 20", site="auto")
        clock = Clock(datetime(2026, 11, 28, tzinfo=UTC))
        assert build(config, clock) == 0
        assert site.count("/news/") == 100
        assert (tmp_path / "public" / "north-korea.atom").read_text().count("<entry>") == 20
        status = (tmp_path / "public" / "status.json").read_text()
        assert "30 more new stories on the listing are left for the next polls" in status
        clock.now += timedelta(minutes=30)
        assert build(config, clock) == 0
        assert site.count("/news/") == 130, "the listing is read again (no 304) and the 30 left are fetched"
        clock.now += timedelta(minutes=30)
        assert build(config, clock) == 0
        assert site.count("/news/") == 130, "nothing new: nothing fetched"


def _entries(atom: Path) -> list[str]:
    return re.findall(r"<id>(tag:[^<]+)</id>", atom.read_text())


def _first_build(tmp_path: Path, site: SiteServer, feed: str) -> tuple[Path, Clock, Path]:
    """A feed of the fixture section built once at 27 Nov 00:00 UTC: its config, clock and Atom file."""
    config = write_config(tmp_path, site.url(LISTING), feed)
    clock = Clock(datetime(2026, 11, 27, tzinfo=UTC))
    assert build(config, clock) == 0
    return config, clock, tmp_path / "public" / "north-korea.atom"


def test_a_quiet_feed_still_drops_stories_as_they_pass_max_age(
    tmp_path: Path, current_site: SiteServer
) -> None:
    config, clock, atom = _first_build(tmp_path, current_site, "pages = 2\nmax_age_days = 2")
    assert len(_entries(atom)) == 3  # published 25 Nov 00:03, 09:20 and 22:41 UTC
    seen = len(current_site.requests)
    clock.now += timedelta(hours=12)
    assert build(config, clock) == 0
    assert [r.path for r in current_site.requests[seen:]] == [LISTING], "a quiet poll"
    published = re.findall(r"<published>([^<]+)</published>", atom.read_text())
    assert len(published) == 1, "the two stories published over two days ago left the feed"
    assert datetime.fromisoformat(published[0]) >= clock.now - timedelta(days=2)
    kept = atom.read_bytes()
    clock.now += timedelta(days=2)  # every story is older than two days: a quiet section, not a failure
    assert build(config, clock) == 0
    assert atom.read_bytes() == kept, "a published feed is never emptied"
    status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
    assert status["state"] == "healthy"
    assert "no story from the last 2 days (max_age_days); the feed keeps its last entries" in status["note"]


def test_a_story_revised_through_one_feed_is_revised_in_another_that_lists_it(
    tmp_path: Path, current_site: SiteServer
) -> None:
    current_site.static(
        "/b",
        b"<html><body><section class='section_list'><article class='recent_news'><ul class='news_list'>"
        b"<li><a href='/article/10871502'>Red Cross talks</a></li></ul></article></section></body></html>",
    )
    other = f'\n[[feeds]]\nid = "red-cross"\ntitle = "Red Cross"\nsite = "koreaherald"\nlisting = "{current_site.url("/b")}"\n'
    config, clock, _ = _first_build(tmp_path, current_site, "pages = 2" + other)
    cfg = load_config(config)
    current_site.static(
        "/article/10871502",
        (PAGES / "article-10871502.html")
        .read_text()
        .replace(
            "The last round of family reunions",
            "Pyongyang has not answered. The last round of family reunions",
        )
        .encode(),
    )
    listing = (
        (PAGES / "listing-north-korea-1.html")
        .read_text()
        .replace(
            "Unification ministry proposes Red Cross talks",
            "Unification ministry proposes Red Cross talks, North silent",
        )
    )
    current_site.static(LISTING, listing.encode())  # the headline moved: this feed fetches the story again
    clock.now += timedelta(minutes=10)
    run_build(cfg, new_session(cfg.http.user_agent), clock, feed_ids=["north-korea"])
    assert "Pyongyang has not answered" in (tmp_path / "public" / "north-korea.atom").read_text()
    seen = len(current_site.requests)
    clock.now += timedelta(minutes=10)
    run_build(cfg, new_session(cfg.http.user_agent), clock, feed_ids=["red-cross"])
    assert [r.path for r in current_site.requests[seen:]] == ["/b"], "a quiet poll: the listing alone"
    assert "Pyongyang has not answered" in (tmp_path / "public" / "red-cross.atom").read_text()


def test_a_quiet_poll_writes_a_deleted_feed_file_again_and_follows_a_new_title(
    tmp_path: Path, current_site: SiteServer
) -> None:
    config, clock, atom = _first_build(tmp_path, current_site, "pages = 2")
    before = atom.read_bytes()
    atom.unlink()
    clock.now += timedelta(minutes=30)
    assert build(config, clock) == 0
    assert atom.read_bytes() == before
    config.write_text(config.read_text().replace("The Korea Herald: North Korea", "North Korea news"))
    clock.now += timedelta(minutes=30)
    assert build(config, clock) == 0
    assert "<title>North Korea news</title>" in atom.read_text()
