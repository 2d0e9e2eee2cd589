"""The daemon as a user runs it: a subprocess against a local fixture site, polling every 2 seconds."""

from __future__ import annotations

import collections
import json
import math
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import write_config
from support.site_server import FIXTURES, Response, SiteServer

LISTING = "/National/North-Korea"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], bool], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def start_daemon(config: Path) -> tuple[subprocess.Popen[str], str]:
    """`feedgen-app run --serve` on a free port, as a user starts it; the process and its base URL."""
    address = f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", "run", "--config", str(config), "--serve", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return proc, f"http://{address}"


@pytest.fixture
def daemon(tmp_path: Path, current_site: SiteServer) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    proc, base = start_daemon(write_config(tmp_path, current_site.url(LISTING), 'every = "2s"', retries=0))
    try:
        yield proc, base, tmp_path / "public"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_daemon_polls_serves_reports_health_and_stops_cleanly(
    daemon: tuple[subprocess.Popen[str], str, Path], current_site: SiteServer
) -> None:
    proc, base, public = daemon
    feed = public / "north-korea.atom"
    wait_for(feed.exists)
    wait_for(lambda: get(base + "/healthz")[0] == 200)
    status, headers, body = get(base + "/north-korea.atom")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    assert body == feed.read_bytes()
    assert get(base + "/north-korea.atom", {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(base + "/")[2] == (public / "index.html").read_bytes()
    assert get(base + "/feeds.opml")[1]["Content-Type"].startswith("text/x-opml")
    for attack in (
        "/../feeds.toml",
        "/%2e%2e/feeds.toml",
        "/..%2ffeeds.toml",
        "/state/feedgen.sqlite",
        "/%00",
    ):
        assert get(base + attack)[0] == 404, attack

    # a change on the site appears at a later poll
    page = (FIXTURES / "koreaherald/current/pages/article-10871768.html").read_text()
    revised = page.replace("in its first launch in about three weeks", "in its second launch this month")
    current_site.static("/article/10871768", revised.encode())
    listing = (FIXTURES / "koreaherald/current/pages/listing-north-korea-1.html").read_text()
    current_site.static(
        LISTING, listing.replace("N. Korea fires short-range", "UPDATED: N. Korea fires short-range").encode()
    )
    wait_for(lambda: "second launch this month" in feed.read_text())

    # the site breaking turns /healthz/feeds to 503 and leaves the feed as it was; the daemon itself is fine
    before = feed.read_bytes()
    current_site.route(LISTING, lambda r: Response(503, b"down"))
    wait_for(lambda: get(base + "/healthz/feeds")[0] == 503)
    health = json.loads(get(base + "/healthz/feeds")[2])
    assert health["not_healthy"]["north-korea"]["state"] == "failing"
    assert "HTTP 503" in health["not_healthy"]["north-korea"]["why"]
    assert feed.read_bytes() == before
    code, _, body = get(base + "/healthz")
    assert code == 200 and json.loads(body)["polls_on_schedule"] is True, (
        "a site's trouble is not the daemon's"
    )

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert not list(public.glob(".*.tmp")), "no half-written files left"


def test_a_feed_is_polled_once_in_each_period_of_the_clock(
    daemon: tuple[subprocess.Popen[str], str, Path], current_site: SiteServer
) -> None:
    """every = "2s": after the first poll (at once), one listing request in each 2-second period of the
    clock, never two and never none (an interval with jitter drifts across the periods' edges)."""
    proc, _, public = daemon
    wait_for((public / "north-korea.atom").exists)
    time.sleep(11)
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)
    offset = time.time() - time.monotonic()
    asked = sorted(r.started + offset for r in current_site.requests if r.path.split("?")[0] == LISTING)
    slots = [math.floor(t / 2) for t in asked]
    counts = collections.Counter(slots)
    whole = range(slots[0] + 1, slots[-1])  # the periods between the first poll's and the last
    assert len(whole) >= 3 and [counts[s] for s in whole] == [1] * len(whole), counts


def test_sighup_reloads_and_a_broken_config_is_refused(tmp_path: Path, current_site: SiteServer) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), 'every = "1h"', retries=0)
    good = config.read_text()
    proc = subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", "run", "--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        public = tmp_path / "public"
        wait_for((public / "north-korea.atom").exists)
        config.write_text(good + "\n[[feeds]]\nid = 'broken'\nlisting = 'not a url'\n")
        proc.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        assert proc.poll() is None, "a broken config does not stop the daemon"
        config.write_text(good.replace('id = "north-korea"', 'id = "nk2"'))
        proc.send_signal(signal.SIGHUP)
        wait_for((public / "nk2.atom").exists)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
        out = proc.stdout.read() if proc.stdout else ""
        assert "reload refused" in out and "feeds[1] (broken).listing" in out
        assert "configuration reloaded" in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_the_server_is_useful_from_its_first_second_and_healthz_is_true(tmp_path: Path) -> None:
    """Before the first poll ends (a slow listing): the index, styles and OPML are there, /healthz says the
    daemon works and /healthz/feeds that the feed is pending (no failure); within seconds of the first
    poll, /healthz/feeds tells its outcome."""
    with SiteServer("koreaherald/current") as slow:
        slow.route(LISTING, lambda _r: Response(503, b"busy", delay=4))
        proc, base = start_daemon(write_config(tmp_path, slow.url(LISTING), 'every = "1h"', retries=0))
        try:
            wait_for(lambda: _answers(base + "/"), timeout=10)
            for name in ("/", "/style.css", "/feed.xsl", "/feeds.opml"):
                assert get(base + name)[0] == 200, name
            assert get(base + "/healthz")[0] == 200
            code, _headers, body = get(base + "/healthz/feeds")
            assert code == 200 and json.loads(body)["counts"]["pending"] == 1
            started = time.monotonic()
            wait_for(lambda: b"HTTP 503" in get(base + "/healthz/feeds")[2], timeout=15)
            assert time.monotonic() - started < 10, "told within seconds of the poll, not at the 30 s cycle"
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=15)


def _answers(url: str) -> bool:
    try:
        return get(url)[0] == 200
    except OSError:
        return False


def test_healthz_says_when_the_daemon_cannot_write_its_output(
    tmp_path: Path, current_site: SiteServer
) -> None:
    config = write_config(tmp_path, current_site.url(LISTING), 'every = "1h"')
    (tmp_path / "public" / "index.html").mkdir(parents=True)  # the index cannot be written over it
    proc, base = start_daemon(config)
    try:
        wait_for(lambda: _answers(base + "/feeds.opml"), timeout=20)
        wait_for(lambda: get(base + "/healthz")[0] == 503, timeout=20)
        body = json.loads(get(base + "/healthz")[2])
        assert body["polls_on_schedule"] is True and "index.html" in body["output"]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)


def test_healthz_says_when_polls_fall_behind(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from feedgen_app.running.daemon import Daemon

    now = [datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    config = write_config(tmp_path, "http://127.0.0.1:9/", 'every = "10m"')
    daemon = Daemon(str(config), lambda: now[0])
    assert daemon.health()[0] == 200, "just started: nothing is due yet"
    daemon.started_polls["north-korea"] = now[0]
    now[0] += timedelta(minutes=15)
    assert daemon.health()[0] == 200, "within its interval and a grace"
    now[0] += timedelta(minutes=10)
    code, body = daemon.health()
    assert code == 503 and body["polls_on_schedule"] is False
    assert "north-korea: not polled since 2026-12-01 12:00:00 UTC" in str(body["late"])
