"""The one polite HTTP client: a URL in, a `Page` out (or a FetchError naming the URL and the cause).

Politeness lives here: a user agent that names the tool, robots.txt (cached per host), `min_delay` between
the starts of two requests to one host, at most `max_per_host` in flight per host, timeouts on every
request, a deadline for the whole build, retries with exponential back-off and jitter that honour
`Retry-After`, a response size cap, a redirect limit, and conditional requests (ETag / Last-Modified).
The session, clock and sleep are injected, so tests drive it against a real local server.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial

import requests
import urllib3
import urllib3.connection

from feedgen_app.config import HttpConfig
from feedgen_app.errors import FetchError, FetchKind
from feedgen_app.fetching.alarms import Alarms
from feedgen_app.fetching.causes import final_error, retry_after_seconds, short_cause
from feedgen_app.fetching.encoding import decode
from feedgen_app.fetching.hosts import ClusterTurns, Host, cluster_slot
from feedgen_app.fetching.robots import RobotsRules
from feedgen_app.fetching.session import Watch, new_session, shut, socket_of
from feedgen_app.records import Page
from feedgen_app.stop import StopEvent
from feedgen_app.url_parts import join
from feedgen_app.urls import origin

K = FetchKind
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_CONNECTIONS = 256  # requests in flight at once across all hosts and feeds (each host: max_per_host)
CONNECTION_FAILED = "connection failed"


log = logging.getLogger("feedgen_app.fetching.http")


class Fetcher(RobotsRules):
    def __init__(
        self,
        config: HttpConfig,
        session: requests.Session,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,  # None: wait on `stop`, so a stop wakes it at once
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        stop: threading.Event | None = None,
        turns: ClusterTurns | None = None,  # hosts' turns shared with other workers (a cluster's store)
    ) -> None:
        self.config = config
        self.turns = turns
        self.session = session
        self.session.max_redirects = config.max_redirects
        self.clock = clock
        self.sleep = sleep
        self.wall_clock = wall_clock
        self.rng = rng or random.Random()
        self.deadline = clock() + config.deadline
        # set on SIGINT or SIGTERM: no new requests, no more waiting, the requests in flight cut
        self.stop = stop or threading.Event()
        if isinstance(self.stop, StopEvent):
            self.stop.on_set(self.abandon)
        self._hosts: dict[str, Host] = {}
        self._hosts_lock = threading.Lock()
        # shared by every poll's copy of this fetcher: the cap on requests in flight in all
        self._connections = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._alarms = Alarms()  # the watchdogs of every poll's requests, from one thread
        self._down: dict[str, str] = {}  # host key -> why it did not answer, in this poll
        # host key -> why its robots.txt could not be read: the first real cause of what is not fetched
        self._robots_unread: dict[str, FetchError] = {}
        self.origins: frozenset[str] | None = None  # where this poll may go (None: anywhere)

    def for_poll(self, budget: float | None = None, origins: Iterable[str] | None = None) -> Fetcher:
        """A fetcher for one poll of one feed: the same session, hosts (pacing, per-host caps, robots
        rules) and stop event, so feeds polled at once stay polite to a host they share; its own
        deadline (`budget` seconds, default `http.deadline`) and its own record of hosts that did not
        answer, so one slow feed never eats another's time. With `origins` (scheme://host[:port]), every
        request and every redirect hop stays on them: a site cannot send the poll elsewhere."""
        child = copy.copy(self)
        child.deadline = self.clock() + (self.config.deadline if budget is None else budget)
        child._down = {}
        child._robots_unread = {}
        child.origins = None if origins is None else frozenset(o.lower() for o in origins)
        return child

    def also_allowing(self, origins: Iterable[str]) -> Fetcher:
        """This poll's fetcher, with more origins allowed (the sites a feed's items link to); the same
        deadline and records of hosts that did not answer."""
        if self.origins is None:
            return self
        child = copy.copy(self)
        child.origins = self.origins | {o.lower() for o in origins}
        return child

    @classmethod
    def for_config(cls, config: HttpConfig) -> Fetcher:
        """A fetcher with its own session, for one command (check --live, preview, save-page)."""
        return cls(config, new_session(config.user_agent))

    def abandon(self) -> None:
        """Cut every request in flight, of every poll sharing this fetcher's session."""
        watch = getattr(self.session, "watch", None)
        if isinstance(watch, Watch):
            watch.cut_all()

    def _stopped(self, url: str) -> FetchError:
        return final_error(url, "not fetched: feedgen-app is stopping", K.STOPPED)

    def _host(self, url: str) -> Host:
        key = origin(url)
        with self._hosts_lock:
            if key not in self._hosts:
                self._hosts[key] = Host(slots=threading.Semaphore(self.config.max_per_host))
            return self._hosts[key]

    def remaining(self) -> float:
        return 0.0 if self.stop.is_set() else self.deadline - self.clock()

    def _pause(self, seconds: float) -> None:
        if self.stop.is_set():
            return
        if self.sleep is None:
            self.stop.wait(seconds)
        else:
            self.sleep(seconds)

    def _wait_turn(self, host: Host, url: str) -> None:
        with host.lock:
            now = self.clock()
            start = max(now, host.next_start)
            host.next_start = start + self.config.min_delay
        wait = start - now
        if self.turns is not None:  # other workers ask this host too: the cluster's turn (this worker's own
            # requests take theirs too), by its clock; a local wait on top would push the request into
            # the turn another worker has taken next
            wait = self.turns.take(origin(url), self.config.min_delay)
        if self.stop.is_set():
            raise self._stopped(url)
        if wait > self.remaining():
            raise FetchError(
                url, "the build's deadline would pass before this host may be asked again", kind=K.DEADLINE
            )
        if wait > 0:
            self._pause(wait)

    # --- requests --------------------------------------------------------------------------------
    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page:
        """Fetch `url` politely; a 304 answer gives a Page with `not_modified=True`."""
        if self.origins is not None and origin(url) not in self.origins:
            raise final_error(
                url, f"outside the feed's site ({', '.join(sorted(self.origins))}); not fetched", K.OFF_SITE
            )
        if not self.allowed(url):
            unread = self._robots_unread.get(origin(url))
            if unread:  # the first real cause: the host is down, slow or failing, not a rule
                raise FetchError(
                    url,
                    f"{unread.cause} (asking for robots.txt); not fetched until robots.txt can be read",
                    unread.status,
                    kind=unread.kind,
                )
            raise FetchError(url, "disallowed by the site's robots.txt; not fetched", kind=K.ROBOTS)
        return self._fetch(url, etag, last_modified, retries=self.config.retries)

    def _fetch(self, url: str, etag: str | None, last_modified: str | None, retries: int) -> Page:
        key = origin(url)
        down = self._down.get(key)
        if down:
            raise FetchError(
                url, f"not tried: the host did not answer earlier in this poll ({down})", kind=K.UNREACHABLE
            )
        try:
            return self._fetch_with_retries(url, etag, last_modified, retries)
        except FetchError as exc:
            if exc.kind is K.UNREACHABLE:
                # DNS, refused, no route: retrying other URLs on this host would only wait
                self._down[key] = exc.cause
            raise

    def _fetch_with_retries(
        self, url: str, etag: str | None, last_modified: str | None, retries: int
    ) -> Page:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            if self.stop.is_set():
                raise self._stopped(url)
            if self.remaining() <= 0:
                raise FetchError(url, "not fetched: the build's deadline passed", kind=K.DEADLINE)
            try:
                return self._once(url, headers)
            except FetchError as exc:
                if self.stop.is_set():  # cut by the stop, whatever it looked like
                    raise self._stopped(url) from None
                retryable = exc.status is None or exc.status in RETRY_STATUSES
                # a server that hangs gets one more try in this poll, not `retries` more read timeouts
                limit = min(retries, 1) if exc.kind is K.TIMEOUT else retries
                if not retryable or attempt >= limit or exc.final:
                    raise
                wait = exc.retry_after
                if wait is None:
                    wait = self.config.backoff * (2**attempt) * (0.5 + self.rng.random())
                wait = min(wait, self.config.retry_after_cap)
                if exc.retry_after is not None and self.turns is not None:
                    self.turns.hold(origin(url), wait)  # every worker waits, not only this poll
                if wait >= self.remaining():
                    raise FetchError(
                        url,
                        f"{exc.cause}; a retry in {wait:.0f}s would pass the build's deadline",
                        exc.status,
                        kind=exc.kind,
                    ) from None
                self._pause(wait)
                attempt += 1

    def _once(self, url: str, headers: dict[str, str]) -> Page:
        host = self._host(url)
        limit, longest = self.config.max_per_host, self.config.retry_after_cap + self.request_budget() + 2
        stopped = partial(self._stopped, url)  # the slot outlasts a turn's wait (a Retry-After) and a request
        with host.slots, cluster_slot(self.turns, host, origin(url), limit, self, stopped, longest):
            self._wait_turn(host, url)
            with self._connections:
                return self._request(url, headers)

    def _request(self, url: str, headers: dict[str, str]) -> Page:
        """One request, once it holds a slot on its host and a place among all connections."""
        timeout = (self.config.connect_timeout, max(0.1, min(self.config.read_timeout, self.remaining())))
        # the request's whole life (connect, headers through every redirect, body) ends by `until`,
        # whatever the server does: a watchdog for the headers, per-read socket timeouts for the body
        budget = max(min(self.request_budget(), self.remaining()), 0.1)
        until = time.monotonic() + budget
        try:
            started = self.clock()
            with self._headers_within(url, until, budget):
                resp = self.session.get(
                    url,
                    headers=headers,
                    timeout=timeout,
                    stream=True,
                    allow_redirects=True,
                    hooks={"response": self._check_hop},
                )
            with resp:
                page = self._read(url, resp, until, budget)
                log.debug(
                    "GET %s -> %s%s, %d chars, %.0f ms",
                    url,
                    resp.status_code,
                    f" (from {page.final_url})" if page.final_url != url else "",
                    len(page.text),
                    (self.clock() - started) * 1000,
                )
                return page
        except _OffSite as off:
            raise final_error(url, str(off), K.OFF_SITE) from None
        except requests.TooManyRedirects:
            raise final_error(
                url, f"more than {self.config.max_redirects} redirects (a redirect loop?)", K.REDIRECTS
            ) from None
        except requests.ConnectTimeout:
            raise FetchError(
                url, f"{CONNECTION_FAILED}: no connection within {timeout[0]:.0f}s", kind=K.UNREACHABLE
            ) from None
        except requests.Timeout:
            raise FetchError(url, f"no answer within {timeout[1]:.0f}s (timeout)", kind=K.TIMEOUT) from None
        except requests.ConnectionError as exc:
            raise FetchError(url, f"{CONNECTION_FAILED}: {short_cause(exc)}", kind=K.UNREACHABLE) from None
        except requests.RequestException as exc:
            raise FetchError(url, f"request failed: {short_cause(exc)}", kind=K.UNREADABLE) from None
        finally:  # the socket stays noted through the body, so a stop can cut it there too
            watch = getattr(self.session, "watch", None)
            if isinstance(watch, Watch):
                watch.forget(threading.get_ident())

    def request_budget(self) -> float:
        """Seconds one request may take in all, headers and body: the connect timeout and twice the read
        timeout (a server sending a byte a second cannot hold a request, nor a poll, open)."""
        return self.config.connect_timeout + 2 * self.config.read_timeout

    @contextlib.contextmanager
    def _headers_within(self, url: str, until: float, budget: float) -> Iterator[None]:
        """The status line and headers (through every redirect) end by `until`: a timer cuts the socket
        (noted on connect, before any TLS handshake), and a header stream cut short is a timeout, never a
        page."""
        watch = getattr(self.session, "watch", None)
        if not isinstance(watch, Watch):
            yield
            return
        thread = threading.get_ident()
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            watch.cut(thread)

        alarm = self._alarms.at(until, expire)
        try:
            yield
        except (requests.RequestException, OSError) as exc:
            if expired.is_set():
                raise FetchError(
                    url, f"no complete answer within {budget:.1f}s (timeout)", kind=K.TIMEOUT
                ) from None
            raise exc
        finally:
            self._alarms.cancel(alarm)
        if expired.is_set():  # the cut ended the headers early: what came is no answer
            raise FetchError(url, f"no complete answer within {budget:.1f}s (timeout)", kind=K.TIMEOUT)

    def _check_hop(self, resp: requests.Response, *_args: object, **_kwargs: object) -> None:
        """Every redirect hop goes to an address and stays on the feed's origins and their robots.txt (a
        response hook: it runs before requests follows the Location)."""
        if not resp.is_redirect:
            return
        target = join(resp.url, resp.headers.get("location", ""))
        if not target:
            resp.close()
            where = resp.headers.get("location", "")[:200]
            raise _OffSite(f"redirected to {where!r}, which is no address; not followed")
        if self.origins is None:
            return
        if origin(target) not in self.origins:
            resp.close()
            raise _OffSite(
                f"redirected to {target}, outside the feed's site ({', '.join(sorted(self.origins))}); "
                "not followed"
            )
        if origin(target) != origin(resp.url) and not self.allowed(target):
            resp.close()
            raise _OffSite(f"redirected to {target}, which that site's robots.txt disallows; not followed")

    def _read(self, url: str, resp: requests.Response, until: float, budget: float) -> Page:
        if resp.status_code == 304:
            return Page(
                url=url,
                final_url=resp.url,
                status=304,
                text="",
                not_modified=True,
                etag=resp.headers.get("ETag"),
                last_modified=resp.headers.get("Last-Modified"),
            )
        if resp.status_code >= 400:
            raise FetchError(
                url,
                f"HTTP {resp.status_code} {resp.reason or ''}".strip(),
                resp.status_code,
                retry_after=retry_after_seconds(resp.headers.get("Retry-After"), self.wall_clock()),
            )
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.config.max_bytes:
            raise final_error(
                url,
                f"response of {int(declared)} bytes is over the {self.config.max_bytes}-byte cap",
                K.TOO_LARGE,
            )
        body = self._read_body(url, resp, until, budget)
        content_type = resp.headers.get("Content-Type", "")
        return Page(
            url=url,
            final_url=resp.url,
            status=resp.status_code,
            text=decode(body, content_type),
            content_type=content_type.split(";")[0].strip() or "text/html",
            etag=resp.headers.get("ETag"),
            last_modified=resp.headers.get("Last-Modified"),
        )

    def _read_body(self, url: str, resp: requests.Response, until: float, budget: float) -> bytes:
        """The body, within the size cap and by `until`, however it is framed (a length, chunks, or the
        connection's close): each read returns what one receive gives (`read1`) and waits at most the
        read timeout or the time left, so a server trickling a byte a second is cut at `until`. A timer
        shuts the socket down at `until` as a second net."""
        chunks = []
        size = 0
        # the body alone gets twice the read timeout, within the request's budget
        budget = min(budget, 2 * self.config.read_timeout)
        until = min(until, time.monotonic() + budget)
        sock = socket_of(resp)
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            if sock is not None:
                shut(sock)

        def too_slow() -> FetchError:
            return FetchError(url, f"the body took longer than {budget:.1f}s; abandoned", kind=K.TIMEOUT)

        timer = threading.Timer(max(until - time.monotonic(), 0.0), expire)
        timer.daemon = True
        timer.start()
        try:
            while True:
                left = until - time.monotonic()
                if self.stop.is_set():
                    raise self._stopped(url)
                if left <= 0 or expired.is_set():
                    raise too_slow()
                # http.client closes a connection that ends with the answer (HTTP/1.0, `Connection:
                # close`) once the last byte of a sized body is in: nothing is left to wait for
                if sock is not None and sock.fileno() >= 0:
                    sock.settimeout(min(self.config.read_timeout, left))
                chunk = resp.raw.read1(65536, decode_content=True)
                if not chunk:
                    if self.stop.is_set():  # a stop's cut looks like the end of the body
                        raise self._stopped(url)
                    if expired.is_set():  # the timer's shutdown looks like the end of the body
                        raise too_slow()
                    break
                size += len(chunk)
                if size > self.config.max_bytes:
                    raise final_error(
                        url, f"response is over the {self.config.max_bytes}-byte cap; abandoned", K.TOO_LARGE
                    )
                chunks.append(chunk)
        except FetchError:
            raise
        except (
            requests.RequestException,
            urllib3.exceptions.HTTPError,
            OSError,
            AttributeError,
            ValueError,
        ) as exc:
            if self.stop.is_set():
                raise self._stopped(url) from None
            if expired.is_set() or until - time.monotonic() <= 0:
                raise too_slow() from None
            raise FetchError(url, f"the body could not be read: {short_cause(exc)}") from None
        finally:
            timer.cancel()
        return b"".join(chunks)


class _OffSite(Exception):
    """Raised inside a response hook to stop requests from following a redirect."""
