"""Workers sharing one PostgreSQL store (a real server): of any number of workers exactly one polls a feed's
slot; a worker that stops renewing its lease mid-poll (killed, cut off) loses the feed to another within a
lease; every worker waits its turn at a host by the server's clock, whatever its own clock says."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import write_config
from support.postgres import PostgresServer
from support.site_server import SiteServer

from feedgen_app.config import HttpConfig
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session
from feedgen_app.publishing.status import status_table
from feedgen_app.records import ItemHint, ListingRead, StoryRef
from feedgen_app.running.daemon import Daemon
from feedgen_app.running.held_lease import listing_from_json, listing_json
from feedgen_app.storage.postgres import PgStore

LISTING = "/National/North-Korea"


def _workers(
    tmp_path: Path, site: SiteServer, url: str, n: int, every: str, lease: int = 60, **http: object
) -> list[Daemon]:
    (tmp_path / "pg-password").write_text("secret")
    path = write_config(tmp_path, site.url(LISTING), extra_feed=f'every = "{every}"', **http)
    path.write_text(
        path.read_text().replace(
            '[state]\npath = "state/feedgen.sqlite"',
            f'[state]\nurl = "{url}"\npassword_file = "pg-password"\nlease = {lease}',
        )
    )
    # workers whose clocks disagree by seconds: the slots and leases go by the server's clock
    skews = [timedelta(seconds=s) for s in (0, 4, -3)]
    return [Daemon(str(path), lambda d=skews[i % 3]: datetime.now(UTC) + d) for i in range(n)]


def _listing_asked(site: SiteServer) -> int:
    return sum(1 for r in site.requests if r.path.split("?")[0] == LISTING)


def _worker_process(tmp_path: Path, stderr: Any = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    """`feedgen-app run` on the test's feeds.toml, a worker process of its own (to kill or stop)."""
    return subprocess.Popen(
        [sys.executable, "-m", "feedgen_app", "run", "--config", str(tmp_path / "feeds.toml")],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def _slow_stories(site: SiteServer, delay: float) -> None:
    """The site's story pages answer after `delay` seconds (its listing at once)."""
    for path, handler in list(site.routes.items()):
        if path.startswith("/article/"):
            site.route(path, lambda r, h=handler: replace(h(r), delay=delay))


def _woken_finds_its_lease_gone(worker: subprocess.Popen[bytes], log: Path, deadline: float) -> None:
    """Wake a stopped worker and wait until it says its poll's lease expired and it wrote nothing."""
    os.kill(worker.pid, signal.SIGCONT)
    while "nothing written" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "lease on the poll expired" in log.read_text()


def _end_stopped(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        os.kill(worker.pid, signal.SIGCONT)
        worker.terminate()
        worker.wait(20)


def _poll_at_once(workers: list[Daemon], feed_id: str) -> None:
    threads = [threading.Thread(target=w.poll, args=[feed_id]) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)


def test_three_workers_poll_each_slot_once(
    tmp_path: Path, current_site: SiteServer, postgres: PostgresServer
) -> None:
    workers = _workers(tmp_path, current_site, postgres.new_database(), 3, every="4s")
    try:
        for rounds in range(1, 4):
            _poll_at_once(workers, "north-korea")
            assert _listing_asked(current_site) == rounds, "one worker of three polled the slot"
            time.sleep(4.05 - time.time() % 4)  # the next slot, by any clock
        assert (tmp_path / "public" / "north-korea.atom").exists()
    finally:
        for w in workers:
            w.close_store()


def test_two_workers_and_a_slot_already_polled(
    tmp_path: Path, current_site: SiteServer, postgres: PostgresServer
) -> None:
    first, second = _workers(tmp_path, current_site, postgres.new_database(), 2, every="1h")
    try:
        first.poll("north-korea")
        asked = _listing_asked(current_site)
        second.poll("north-korea")  # the same hour: done by the first
        assert _listing_asked(current_site) == asked
        status = second.store(second.config).feed_status("north-korea")
        assert status["last_poll"]["worker"] == first.worker != second.worker
        table, _healthy = status_table(second.config)
        assert f"by {first.worker}" in table, "status names the worker of each poll, for the whole cluster"
    finally:
        first.close_store()
        second.close_store()


def test_a_worker_joining_a_running_cluster_leaves_a_feed_polled_lately_to_its_moment(
    tmp_path: Path, current_site: SiteServer, postgres: PostgresServer
) -> None:
    """A worker (re)started while others run does not poll at once a feed they polled in its last slot:
    it waits for the feed's moment, so the feed keeps its period."""
    url = postgres.new_database()
    [running] = _workers(tmp_path, current_site, url, 1, every="3s")
    try:
        time.sleep(3.02 - time.time() % 3)  # the start of a slot
        running.poll("north-korea")
        asked = _listing_asked(current_site)
        time.sleep(3.02 - time.time() % 3)  # the next slot, before its moment has come for any worker
        [joining] = _workers(tmp_path, current_site, url, 1, every="3s")
        joining.poll("north-korea")  # its first poll in its run
        assert _listing_asked(current_site) == asked, "left to the feed's moment"
        running.poll("north-korea")
        assert _listing_asked(current_site) == asked + 1, "the slot is polled (once) as usual"
        joining.close_store()
    finally:
        running.close_store()


@pytest.fixture
def two_workers(postgres: PostgresServer) -> Iterator[tuple[PgStore, PgStore]]:
    """Two workers' connections to one new store."""
    url = postgres.new_database()
    stores = PgStore(url, "secret"), PgStore(url, "secret")
    yield stores
    for store in stores:
        store.close()


def test_a_worker_that_stops_renewing_loses_the_feed_within_a_lease(
    two_workers: tuple[PgStore, PgStore],
) -> None:
    dead, alive = two_workers
    slot = dead.leases().claim("f", 3600, "dead:1", 1)
    assert slot is not None and alive.leases().claim("f", 3600, "alive:2", 1) is None
    assert alive.leases().orphaned() == []
    time.sleep(1.3)  # the dead worker never renews
    assert alive.leases().orphaned() == ["f"]
    assert alive.leases().claim("f", 3600, "alive:2", 30) == slot, "taken over, the same slot"
    assert not dead.leases().renew("f", slot, "dead:1", 30), "the dead worker's lease is gone"
    alive.leases().finish("f", slot, "alive:2")
    assert alive.leases().orphaned() == [] and dead.leases().claim("f", 3600, "dead:1", 30) is None


def test_a_renewed_lease_is_kept_however_long_the_poll(two_workers: tuple[PgStore, PgStore]) -> None:
    mine, other = two_workers
    slot = mine.leases().claim("f", 3600, "me:1", 1)
    assert slot is not None
    for _ in range(4):
        time.sleep(0.4)
        assert mine.leases().renew("f", slot, "me:1", 1)
    assert other.leases().orphaned() == [] and other.leases().claim("f", 3600, "other:2", 1) is None


def test_workers_take_turns_at_a_host_by_the_servers_clock(two_workers: tuple[PgStore, PgStore]) -> None:
    """Two workers' fetchers, each with its own idea of the time, ask one host: never two request starts
    closer than min_delay, as one worker would."""
    stores = two_workers
    config = HttpConfig(min_delay=0.4, max_per_host=4, retries=0)
    with SiteServer() as site:
        for i in range(6):
            site.static(f"/p{i}", b"<html><body>page</body></html>")
        fetchers = [
            Fetcher(
                config, new_session("t"), clock=lambda s=skew: time.monotonic() + s, turns=store.host_turns()
            )
            for store, skew in zip(stores, (0.0, 7.0), strict=True)
        ]
        threads = [threading.Thread(target=fetchers[i % 2].get, args=[site.url(f"/p{i}")]) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        starts = sorted(r.started for r in site.requests if r.path.startswith("/p"))
    assert len(starts) == 6
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.35, gaps


def test_a_worker_killed_mid_poll_loses_the_feed_to_another_within_a_lease(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    """A real worker process, SIGKILLed while its poll waits on a slow site: within a lease another worker
    sees the feed orphaned, claims the same slot and polls it."""
    with SiteServer("koreaherald/current", delay=1.5) as site:
        url = postgres.new_database()
        [survivor] = _workers(tmp_path, site, url, 1, every="1h", lease=2)
        worker = _worker_process(tmp_path, subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while _listing_asked(site) == 0 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _listing_asked(site) == 1, "the worker started its poll"
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
            killed = time.monotonic()
            store = PgStore(url, "secret")
            while not store.leases().orphaned() and time.monotonic() - killed < 10:
                time.sleep(0.2)
            assert store.leases().orphaned() == ["north-korea"]
            assert time.monotonic() - killed <= 2 + 1.5, "orphaned within one lease (and a sweep)"
            survivor.poll("north-korea")
            assert _listing_asked(site) == 2, "the survivor polled the dead worker's slot"
            assert store.leases().orphaned() == [] and store.leases().polls("north-korea") == 2
            store.close()
        finally:
            if worker.poll() is None:
                worker.kill()
            survivor.close_store()


def test_the_listing_a_poll_read_is_kept_with_its_slot_s_lease(two_workers: tuple[PgStore, PgStore]) -> None:
    dead, alive = two_workers
    listed = ListingRead(
        (
            StoryRef("https://example.org/a/1", "1", "First"),
            StoryRef(
                "https://example.org/a/2",
                "2",
                "",
                ItemHint("Second", datetime(2026, 12, 6, tzinfo=UTC), ("Ann",)),
            ),
        ),
        "profile:listing",
    )
    slot = dead.leases().claim("f", 3600, "dead:1", 1)
    assert slot is not None
    dead.leases().keep_listed("f", slot, "dead:1", listing_json(listed))
    time.sleep(1.3)  # the dead worker never renews
    assert alive.leases().claim("f", 3600, "alive:2", 30) == slot
    kept = alive.leases().listed("f", slot)
    assert kept is not None and listing_from_json(kept) == listed, "the survivor goes on from it"
    assert alive.leases().listed("f", slot + 1) is None, "a later slot reads its own listing"


def test_a_worker_killed_after_reading_the_listing_is_taken_over_without_asking_the_site_again(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    """A real worker process, SIGKILLed while it fetches the stories of a listing it has read: the worker
    taking over the slot goes on from that listing; the site is asked for it once in the slot."""
    with SiteServer("koreaherald/current") as site:
        _slow_stories(site, 1.0)
        url = postgres.new_database()
        [survivor] = _workers(tmp_path, site, url, 1, every="1h", lease=2)
        worker = _worker_process(tmp_path)
        try:
            deadline = time.monotonic() + 60
            while site.count("/article/") == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(10)
            store = PgStore(url, "secret")
            while not store.leases().orphaned() and time.monotonic() < deadline:
                time.sleep(0.2)
            survivor.poll("north-korea")
            assert _listing_asked(site) == 1, "the listing was asked once in the slot"
            entries = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes()).entries
            stories = {r.path for r in site.requests if r.path.startswith("/article/")}
            assert len(stories) > 1 and len(entries) == len(stories), "every story the listing named"
            store.close()
        finally:
            if worker.poll() is None:
                worker.kill()
            survivor.close_store()


def test_a_worker_that_stalled_past_its_lease_writes_nothing_when_it_wakes(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    """A worker stopped (SIGSTOP) mid-poll past its lease: another worker takes the slot and publishes; when
    the first one wakes and ends its poll, it finds the lease gone and writes neither files nor status."""
    with SiteServer("koreaherald/current", delay=0.5) as site:
        url = postgres.new_database()
        [survivor] = _workers(tmp_path, site, url, 1, every="1h", lease=2)
        log = tmp_path / "stalled.log"
        worker = _worker_process(tmp_path, log.open("wb"))
        try:
            deadline = time.monotonic() + 60
            while _listing_asked(site) == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(worker.pid, signal.SIGSTOP)
            store = PgStore(url, "secret")
            while not store.leases().orphaned() and time.monotonic() < deadline:
                time.sleep(0.2)
            survivor.poll("north-korea")  # takes the slot and publishes
            feed = tmp_path / "public" / "north-korea.atom"
            published = feed.read_bytes()
            status = store.feed_status("north-korea")
            _woken_finds_its_lease_gone(worker, log, deadline + 60)
            assert feed.read_bytes() == published, "the stalled worker's late files did not win"
            assert store.feed_status("north-korea") == status, "nor its late status"
            store.close()
        finally:
            _end_stopped(worker)
            survivor.close_store()


def test_a_worker_that_stalled_mid_story_saves_no_story_over_the_new_holder_s(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    """A worker stopped (SIGSTOP) while it fetches a listing's stories, past its lease: another worker takes
    the slot and saves them; when the first one wakes, the stories it was fetching are not saved over the
    new holder's (checked against the lease before each story is saved)."""
    with SiteServer("koreaherald/current") as site:
        _slow_stories(site, 1.0)
        url = postgres.new_database()
        # the stalled worker holds the host's request slots: they free after the longest a request may take
        timeouts = {"connect_timeout": 2, "read_timeout": 3, "retry_after_cap": 1}
        [survivor] = _workers(tmp_path, site, url, 1, every="1h", lease=2, **timeouts)
        log = tmp_path / "stalled.log"
        worker = _worker_process(tmp_path, log.open("wb"))
        try:
            deadline = time.monotonic() + 60
            while site.count("/article/") == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            os.kill(worker.pid, signal.SIGSTOP)
            store = PgStore(url, "secret")
            while not store.leases().orphaned() and time.monotonic() < deadline:
                time.sleep(0.2)
            survivor.poll("north-korea")
            saved = store.query("SELECT url, fetched_at FROM stories ORDER BY url")
            assert saved, "the new holder saved the stories"
            _woken_finds_its_lease_gone(worker, log, deadline + 60)
            assert store.query("SELECT url, fetched_at FROM stories ORDER BY url") == saved, (
                "the stalled worker saved no story over them"
            )
            store.close()
        finally:
            _end_stopped(worker)
            survivor.close_store()


def test_every_worker_s_folder_holds_every_feed_written_once_per_change(
    tmp_path: Path, current_site: SiteServer, postgres: PostgresServer
) -> None:
    """Workers on two machines (two output folders): the feed one worker polled is in the other's folder
    after its next site cycle, the same bytes; a cycle with nothing changed writes nothing again."""
    url = postgres.new_database()
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    [poller] = _workers(here, current_site, url, 1, every="1h")
    [server] = _workers(there, current_site, url, 1, every="1h")
    try:
        poller.poll("north-korea")
        mine, theirs = here / "public" / "north-korea.atom", there / "public" / "north-korea.atom"
        assert mine.exists() and not theirs.exists()
        server.write_site()
        assert theirs.read_bytes() == mine.read_bytes()
        written = theirs.stat().st_mtime_ns
        time.sleep(0.05)
        server.write_site()
        assert theirs.stat().st_mtime_ns == written, "nothing changed: not written again"
        assert "north-korea" in (there / "public" / "index.html").read_text()
    finally:
        poller.close_store()
        server.close_store()


def test_max_per_host_holds_for_the_whole_cluster(two_workers: tuple[PgStore, PgStore]) -> None:
    """Two workers, max_per_host 1, a slow host: never two of their requests in flight there at once."""
    stores = two_workers
    config = HttpConfig(min_delay=0, max_per_host=1, retries=0)
    with SiteServer(delay=0.3) as site:
        for i in range(6):
            site.static(f"/q{i}", b"<html><body>page</body></html>")
        fetchers = [Fetcher(config, new_session("t"), turns=store.host_turns()) for store in stores]
        threads = [threading.Thread(target=fetchers[i % 2].get, args=[site.url(f"/q{i}")]) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        spans = sorted((r.started, r.ended) for r in site.requests if r.path.startswith("/q"))
    assert len(spans) == 6
    assert all(b[0] >= a[1] - 0.01 for a, b in itertools.pairwise(spans)), spans


def test_a_host_request_slot_held_by_a_worker_that_stalled_frees_after_its_longest_request(
    two_workers: tuple[PgStore, PgStore],
) -> None:
    """A worker that stops (or loses power) holding a host's request slot, its connection perhaps still
    open: the slot is another worker's once the longest a request may take has passed, not never."""
    stalled, other = (store.host_turns() for store in two_workers)
    assert stalled.acquire("https://example.org", 1, set(), 1.0) == 0
    assert other.acquire("https://example.org", 1, set(), 1.0) is None, "max_per_host 1: taken"
    time.sleep(1.2)
    assert other.acquire("https://example.org", 1, set(), 30.0) == 0
    other.release("https://example.org", 0)
    stalled.release("https://example.org", 0)  # late: it no longer holds it, and frees nothing
    assert other.acquire("https://example.org", 1, set(), 30.0) == 0
    assert stalled.acquire("https://example.org", 1, set(), 30.0) is None


def test_a_host_request_slot_of_a_worker_whose_connection_went_is_free_at_once(
    postgres: PostgresServer,
) -> None:
    """A killed worker's connection goes with it: its host request slots are free at once, not after their
    hold."""
    url = postgres.new_database()
    other, killed = PgStore(url, "secret"), PgStore(url, "secret")
    assert killed.host_turns().acquire("https://example.org", 1, set(), 600.0) == 0
    assert other.host_turns().acquire("https://example.org", 1, set(), 600.0) is None
    killed.close()
    deadline = time.monotonic() + 5  # the server ends the closed session's backend
    while other.host_turns().acquire("https://example.org", 1, set(), 600.0) is None:
        assert time.monotonic() < deadline, "the slot of a worker whose connection went is still taken"
        time.sleep(0.05)
    other.close()


def test_a_feed_another_worker_polls_is_on_schedule_for_every_worker(
    tmp_path: Path, current_site: SiteServer, postgres: PostgresServer
) -> None:
    """/healthz on a worker that loses a feed's every slot to others still says its polls are on time."""
    url = postgres.new_database()
    [poller] = _workers(tmp_path, current_site, url, 1, every="1h")
    hours = [0]
    idle = Daemon(str(tmp_path / "feeds.toml"), lambda: datetime.now(UTC) + timedelta(hours=hours[0]))
    try:
        poller.poll("north-korea")
        hours[0] = 3  # three hours on for this worker: it has never polled the feed itself
        idle.poll("north-korea")  # the slot is the poller's
        code, body = idle.health()
        assert code == 200 and body["polls_on_schedule"], body
    finally:
        poller.close_store()
        idle.close_store()


def test_a_retry_after_holds_every_worker_off_the_host(two_workers: tuple[PgStore, PgStore]) -> None:
    """One worker is told 'Retry-After: 2' by a host: the other worker's next request there waits too."""
    from support.site_server import Response

    answers = iter([Response(503, b"busy", {"Retry-After": "2"})])
    config = HttpConfig(min_delay=0, max_per_host=2, retries=1)
    with SiteServer() as site:
        site.route("/busy", lambda _req: next(answers, Response(200, b"<html><body>ok</body></html>")))
        site.static("/other", b"<html><body>other</body></html>")
        told, other = (Fetcher(config, new_session("t"), turns=store.host_turns()) for store in two_workers)
        first = threading.Thread(target=told.get, args=[site.url("/busy")])
        first.start()
        while not any(r.path == "/busy" for r in site.requests):
            time.sleep(0.02)
        time.sleep(0.2)  # the 503 and its Retry-After are in
        asked = time.monotonic()
        other.get(site.url("/other"))
        first.join(30)
        waited = next(r.started for r in site.requests if r.path == "/other") - asked
    assert waited >= 1.5, f"the other worker asked after {waited:.2f} s"
