"""`feedgen-app run`: the long-running daemon. APScheduler 3 around the same one-shot build.

One job per feed, once in each of its `every` slots at the feed's own moment of the slot (running/slots.py);
`coalesce=True`, `max_instances=1` and a misfire grace time of about the interval, so a slow poll delays the
next instead of piling up. Polls of different feeds run at once (`http.parallel_feeds` of them), sharing one
fetcher so a host they share is still paced and capped; each poll has its own deadline (`http.deadline`) and
timeouts on every request, so one hung site cannot hold the others. The index, styles, OPML and status.json
are written before the first poll (every feed "not polled yet"), again within a second of each feed's first
poll (so the index and /healthz tell the truth from the start), then once per cycle (`SITE_EVERY`) when a
poll has finished since. The first poll of every feed starts at once.
SIGTERM/SIGINT stop it within two seconds (no new requests, the ones in flight cut; files are only ever
replaced atomically), a second one at once; SIGHUP reloads feeds.toml, keeping the old configuration when
the new one is broken.
"""

from __future__ import annotations

import itertools
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import ConflictingIdError
from apscheduler.schedulers.blocking import BlockingScheduler

from feedgen_app.config import Config, load_config
from feedgen_app.errors import FeedgenError
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session
from feedgen_app.running.build import STOP_GRACE_S, catch_up_feeds, run_build, write_site_files
from feedgen_app.running.held_lease import HeldLease
from feedgen_app.running.progress import Progress
from feedgen_app.running.signals import Stopper
from feedgen_app.running.slots import SlotTrigger, next_poll, phase_of
from feedgen_app.storage.lock import exclusive_store
from feedgen_app.storage.open_store import open_store, store_location
from feedgen_app.storage.postgres import PgStore
from feedgen_app.storage.store import Store
from feedgen_app.wording import count

log = logging.getLogger("feedgen_app.running.daemon")
_DAEMONS = itertools.count(1)  # daemons made in this process
SITE_EVERY = 30.0  # seconds between rewrites of the index, OPML and status.json (when a poll has finished)
SITE_SOON = 1.0  # seconds after a feed's first poll before they are rewritten (first polls within it: once)


class Daemon:
    def __init__(
        self, config_path: str, clock: Callable[[], datetime], stopper: Stopper | None = None
    ) -> None:
        self.config_path = config_path
        self.clock = clock
        self.config: Config = load_config(config_path)
        self.stopper = stopper or Stopper()
        self.stop = self.stopper.event
        self.lock = threading.Lock()  # guards the configuration, the fetcher and the counters below
        self.idle = threading.Condition(self.lock)
        self.active = 0  # polls running now
        self.finished = 0  # polls finished since the site files were last written
        self.polled: set[str] = set()  # feeds whose first poll in this run has finished
        self.scheduler = BlockingScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers=self.config.http.parallel_feeds + 1)},
        )
        self.session = new_session(self.config.http.user_agent)
        self.fetcher = Fetcher(self.config.http, self.session, stop=self.stop)
        self.stop.on_set(self.shutdown)
        self._store: Store | None = None  # one connection for every poll and the site files
        self.clock_offset = 0.0  # the shared store's clock less this machine's: the slots are the store's
        self.started = clock()
        self.started_polls: dict[str, datetime] = {}  # feed -> when its last poll started
        self.running_polls: dict[str, datetime] = {}  # feed -> when its running poll started
        self.problems: dict[
            str, str
        ] = {}  # what the last site cycle could not write: {"output"|"store": why}
        self.site_busy = False  # the site files are being written now
        self.rendered_keys: dict[str, str] = {}  # feed -> the render key of its files in this worker's folder
        n = next(_DAEMONS)  # this worker, among a cluster's: its host and process (and which, in tests)
        self.worker = f"{socket.gethostname()}:{os.getpid()}" + (f"/{n}" if n > 1 else "")

    def store(self, config: Config) -> Store:
        """The daemon's one store (its polls share the connection: one writer, so SQLite never refuses
        one of them for another). Opened again when the configuration names another file, or when it was
        found damaged (set aside on close: the next poll starts afresh)."""
        with self.lock:
            if self._store is not None and (
                self._store.damaged or self._store.where != store_location(config)
            ):
                self._store.close()
                self._store = None
            if self._store is None:
                self._store = open_store(config)
                if isinstance(self._store, PgStore):  # other workers may ask the same hosts
                    self.fetcher.turns = self._store.host_turns()
                    with suppress(FeedgenError):
                        self.clock_offset = self._store.leases().clock_offset()
                if self._store.set_aside:
                    log.warning(
                        "the state store was damaged: moved to %s, starting afresh", self._store.set_aside
                    )
            return self._store

    def close_store(self) -> None:
        with self.lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def poll(self, feed_id: str) -> None:
        with self.lock:
            if self.stop.is_set():
                return
            config, fetcher = self.config, self.fetcher
            feed = next((f for f in config.feeds if f.id == feed_id), None)
            if feed is None:
                return
        lease = self._claim(config, feed.id, feed.every)
        if lease is None:  # another worker of the cluster polls this slot: the feed is on schedule
            with self.lock:
                self.started_polls[feed_id] = self.clock()
            return
        if lease is False:
            return  # the store could not be asked (logged): the next turn tries again
        with self.lock:
            self.active += 1
            self.started_polls[feed_id] = self.running_polls[feed_id] = self.clock()
        try:
            run_build(
                config,
                fetcher.session,
                self.clock,
                [feed_id],
                Progress(live=False),
                stop=self.stop,
                fetcher=fetcher,
                write_site=False,
                store=self.store(config),
                leases={feed_id: lease} if isinstance(lease, HeldLease) else None,
                worker=self.worker if config.state_url else None,
                rendered=self.rendered_keys,
            )
        except FeedgenError as exc:
            log.error("%s: poll failed: %s", feed_id, exc)
        except Exception:
            log.exception("%s: poll failed with an unexpected error", feed_id)
        finally:
            if isinstance(lease, HeldLease):
                lease.release()
            with self.lock:
                self.active -= 1
                self.finished += 1
                self.running_polls.pop(feed_id, None)
                first = feed_id not in self.polled
                self.polled.add(feed_id)
                self.idle.notify_all()
            if first and not self.stop.is_set():
                self.write_site_soon()

    def _claim(self, config: Config, feed_id: str, every: float) -> HeldLease | bool | None:
        """On a store that workers share, this worker's lease of the feed's slot (None: another worker's;
        False: the store could not be asked); True on a store of one worker, which needs none."""
        if not config.state_url:
            return True
        try:
            store = self.store(config)
        except FeedgenError as exc:
            log.error("%s: poll not started: %s", feed_id, exc)
            return False
        if not isinstance(store, PgStore):
            return True
        leases = store.leases()
        with self.lock:
            first = feed_id not in self.started_polls
        try:
            # a worker joining a running cluster leaves the feeds it polled lately to their moment
            if first and leases.polled_lately(feed_id, every):
                log.debug("%s: polled lately by the cluster; next at its moment", feed_id)
                return None
            slot = leases.claim(feed_id, every, self.worker, config.state_lease)
        except FeedgenError as exc:
            log.error("%s: poll not started: %s", feed_id, exc)
            return False
        if slot is None:
            log.debug("%s: this slot is another worker's", feed_id)
            return None
        return HeldLease(leases, feed_id, slot, self.worker, config.state_lease)

    def sweep(self) -> None:
        """Poll now the feeds whose worker stopped renewing its lease mid-poll (killed, cut off)."""
        config = self.config
        try:
            store = self.store(config)
            if not isinstance(store, PgStore):
                return
            leases = store.leases()
            orphans = leases.orphaned()
            self.clock_offset = leases.clock_offset()
        except FeedgenError as exc:
            log.error("the leases could not be read: %s", exc)
            return
        known = {f.id for f in config.feeds}
        for feed_id in orphans:
            if feed_id in known:
                log.warning("%s: its worker stopped mid-poll; this worker takes it", feed_id)
                with suppress(ConflictingIdError):
                    self.scheduler.add_job(
                        self.poll, args=[feed_id], id=f"takeover-{feed_id}", name=f"takeover-{feed_id}",
                        next_run_time=self.clock(), misfire_grace_time=None,
                    )  # fmt: skip

    def write_site_soon(self) -> None:
        """The site files within SITE_SOON seconds: one job, however many first polls end meanwhile (none
        while they are being written: that run or the next cycle takes these polls in)."""
        with self.lock:
            if self.site_busy:
                return
        with suppress(ConflictingIdError):  # one is already due
            self.scheduler.add_job(
                self.write_site,
                id="site-files-soon",
                name="site-files-soon",
                next_run_time=self.clock() + timedelta(seconds=SITE_SOON),
                misfire_grace_time=None,
            )

    def write_site(self, force: bool = False) -> None:
        """The index, OPML and status.json, when a poll has finished since they were last written."""
        with self.lock:
            # workers sharing a store: every cycle, for the feeds other workers polled
            shared = bool(self.config.state_url)
            if not force and ((self.finished == 0 and not shared) or self.stop.is_set()):
                return
            self.finished = 0
            config = self.config
            self.site_busy = True
        problems: dict[str, str] = {}
        try:
            if config.state_url and not force:  # feeds other workers polled: their files in this folder too
                catch_up_feeds(
                    config, self.store(config), self.clock(), Progress(live=False), self.rendered_keys
                )
            write_site_files(config, self.store(config), self.clock(), Progress(live=False), problems)
        except FeedgenError as exc:
            problems["store"] = str(exc)
            log.error("site files not written: %s", exc)
        finally:
            with self.lock:
                self.site_busy = False
        with self.lock:
            self.problems = problems

    def health(self) -> tuple[int, dict[str, object]]:
        """Whether the daemon itself works, for /healthz: its polls start on schedule (a feed whose next
        poll has not started within half its interval, at least a minute, of its moment, or whose poll runs
        past its deadline, is late), and its last site cycle could write the store and the output folder.
        A site's own trouble is not the daemon's: that is /healthz/feeds."""
        now = self.clock()
        with self.lock:
            config, problems = self.config, dict(self.problems)
            started, running = dict(self.started_polls), dict(self.running_polls)
        late = []
        for feed in config.feeds:
            # a poll may wait for a free thread or a host's turn: half its interval, at least a minute
            grace = timedelta(seconds=max(60.0, feed.every / 2))
            last = started.get(feed.id)
            due = (
                next_poll(feed.every, phase_of(feed.id, feed.every), last, self.clock_offset)
                if last is not None
                else self.started  # first polls start at once
            )
            if feed.id in running:
                overdue = config.http.deadline + feed.every + max(60.0, feed.every * 0.1)
                if now - running[feed.id] > timedelta(seconds=overdue):
                    late.append(f"{feed.id}: its poll has run for {now - running[feed.id]} (deadline passed)")
            elif now - due > grace:
                late.append(
                    f"{feed.id}: not polled since {started.get(feed.id, self.started):%Y-%m-%d %H:%M:%S} UTC"
                )
        ok = not late and not problems and not self.stop.is_set()
        body: dict[str, object] = {
            "ok": ok,
            "polls_on_schedule": not late,
            "late": late,
            "store": problems.get("store", "ok"),
            "output": problems.get("output", "ok"),
            "stopping": self.stop.is_set(),
            "feeds": len(config.feeds),
            "running_since": self.started.isoformat(),
        }
        return (200 if ok else 503), body

    def wait_idle(self, timeout: float) -> bool:
        with self.lock:
            return self.idle.wait_for(lambda: self.active == 0, timeout)

    def schedule(self) -> None:
        for job in self.scheduler.get_jobs():
            job.remove()
        now = self.clock()
        for i, feed in enumerate(self.config.feeds):
            self.scheduler.add_job(
                self.poll,
                SlotTrigger(feed.every, phase_of(feed.id, feed.every), lambda: self.clock_offset),
                args=[feed.id],
                id=feed.id,
                name=feed.id,
                next_run_time=now + timedelta(milliseconds=10 * i),  # first polls at once, in config order
                coalesce=True,
                max_instances=1,
                misfire_grace_time=max(1, int(feed.every)),
                replace_existing=True,
            )
        self.scheduler.add_job(
            self.write_site,
            "interval",
            id="site-files",
            name="site-files",
            seconds=SITE_EVERY,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
        if self.config.state_url:  # a store workers may share: take over the polls of a worker that died
            self.scheduler.add_job(
                self.sweep,
                "interval",
                id="lease-sweep",
                name="lease-sweep",
                seconds=max(1.0, self.config.state_lease / 2),
                coalesce=True,
                max_instances=1,
                replace_existing=True,
            )
        log.info(
            "scheduled %s: %s",
            count(len(self.config.feeds), "feed"),
            ", ".join(f"{f.id} every {f.every:g}s" for f in self.config.feeds),
        )

    def reload(self) -> None:
        try:
            new = load_config(self.config_path)
        except FeedgenError as exc:
            log.error("reload refused, the running configuration is kept: %s", exc)
            return
        session = new_session(new.http.user_agent)  # a new user agent or limits take effect at once
        with self.lock:
            self.config = new
            self.session = session
            self.fetcher = Fetcher(new.http, session, stop=self.stop)
        self.schedule()
        log.info("configuration reloaded from %s", self.config_path)

    def shutdown(self) -> None:
        """On the stop event (SIGTERM, SIGINT): no new polls; the fetcher cuts the requests in flight."""
        signum = self.stopper.signum
        log.info("%s: stopping", signal.Signals(signum).name if signum else "asked to stop")
        threading.Thread(target=lambda: self.scheduler.shutdown(wait=False), daemon=True).start()


def links_elsewhere(base_url: str, address: tuple[Any, ...], config: str = "feeds.toml") -> str | None:
    """What to tell a person whose feeds link to another place than the server they started: the
    index's subscribe links, the OPML and autodiscovery all use `output.base_url`."""
    host, port = str(address[0]), int(address[1])
    parts = urlsplit(base_url)
    linked_port = parts.port or (443 if parts.scheme == "https" else 80)
    loopback = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}
    same_host = (parts.hostname in loopback and host in loopback) or parts.hostname == host
    if same_host and linked_port == port:
        return None
    if parts.hostname in loopback:
        return (
            f"the feeds link to {base_url} but this server listens on port {port}: the index's subscribe "
            f"links, the OPML and feed autodiscovery point at port {linked_port}; set [output] base_url = "
            f'"http://localhost:{port}/" in {config} (or serve on port {linked_port})'
        )
    return (
        f"the feeds link to {base_url}, not to this server (port {port}): right behind a proxy or host that "
        "serves this folder there; otherwise set [output] base_url to the address readers use"
    )


def run_daemon(
    config_path: str, serve: str | None, clock: Callable[[], datetime], stopper: Stopper | None = None
) -> int:
    """Exit 0 when stopped by SIGTERM or SIGINT: the end of a daemon's life, not a failure."""
    daemon = Daemon(config_path, clock, stopper)
    with exclusive_store(daemon.config, shared=True), daemon.stopper.installed():
        return _run(daemon, serve)


def _run(daemon: Daemon, serve: str | None) -> int:
    if serve:
        from feedgen_app.publishing.serve import start_server

        server = start_server(daemon.config.output_dir, serve, daemon.health)
        log.info("serving %s on http://%s/ (health: /healthz)", daemon.config.output_dir, serve)
        mismatch = links_elsewhere(daemon.config.base_url, server.server_address[:2], daemon.config_path)
        if mismatch:
            log.warning("%s", mismatch)
    if hasattr(signal, "SIGHUP"):
        signal.signal(
            signal.SIGHUP, lambda _s, _f: threading.Thread(target=daemon.reload, daemon=True).start()
        )
    daemon.write_site(force=True)  # a server useful from its first second: the index, styles and OPML
    daemon.schedule()
    daemon.scheduler.start()  # blocks until shutdown
    if not daemon.wait_idle(STOP_GRACE_S):
        log.warning(
            "a poll did not finish within %.0fs of the stop signal; leaving it (files are written atomically)",
            STOP_GRACE_S,
        )
        logging.shutdown()
        os._exit(0)
    daemon.write_site(force=True)
    daemon.close_store()
    log.info("stopped")
    return 0
