"""The polite client against a real local server: assert what the server received, not only the result."""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from email.utils import formatdate

import pytest
from support.site_server import Response, SiteServer

from feedgen_app import __version__
from feedgen_app.config import HttpConfig
from feedgen_app.errors import FetchError
from feedgen_app.fetching.encoding import decode
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def fetcher(**overrides: object) -> tuple[Fetcher, list[float]]:
    waits: list[float] = []
    config = HttpConfig(**{"min_delay": 0.0, "retries": 2, "backoff": 0.01, **overrides})  # type: ignore[arg-type]
    return Fetcher(config, new_session(config.user_agent), sleep=waits.append), waits


@pytest.fixture
def site() -> SiteServer:
    server = SiteServer()
    server.static("/robots.txt", ROBOTS, "text/plain")
    with server:
        yield server  # type: ignore[misc]


def test_user_agent_names_the_tool_and_version(site: SiteServer) -> None:
    site.static("/a", b"<p>hi</p>")
    f, _ = fetcher()
    f.get(site.url("/a"))
    agents = {r.headers["user-agent"] for r in site.requests}
    assert agents == {f"feedgen-app/{__version__} (full-text feeds; no contact set: see http.user_agent)"}


def test_conditional_requests_get_304(site: SiteServer) -> None:
    site.static("/a", b"<p>hi</p>")
    f, _ = fetcher()
    first = f.get(site.url("/a"))
    again = f.get(site.url("/a"), first.etag, first.last_modified)
    assert again.not_modified and again.text == ""
    last = site.requests[-1]
    assert last.headers["if-none-match"] == first.etag
    assert last.headers["if-modified-since"] == first.last_modified


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(site: SiteServer, status: int) -> None:
    answers = iter([Response(status, b"slow down", {"Retry-After": "7"}), Response(200, b"<p>ok</p>")])
    site.route("/a", lambda r: next(answers))
    f, waits = fetcher()
    assert "ok" in f.get(site.url("/a")).text
    assert waits == [7.0]
    assert site.count("/a") == 2


def test_retry_after_http_date_and_cap(site: SiteServer) -> None:
    later = formatdate(time.time() + 3600, usegmt=True)
    answers = iter([Response(503, b"", {"Retry-After": later}), Response(200, b"<p>ok</p>")])
    site.route("/a", lambda r: next(answers))
    f, waits = fetcher(retry_after_cap=30.0)
    f.get(site.url("/a"))
    assert waits == [30.0]


def test_exponential_backoff_then_give_up(site: SiteServer) -> None:
    site.route("/a", lambda r: Response(502, b"bad gateway"))
    f, waits = fetcher(retries=3, backoff=1.0)
    with pytest.raises(FetchError, match="HTTP 502") as err:
        f.get(site.url("/a"))
    assert site.url("/a") in str(err.value)
    assert site.count("/a") == 4
    assert len(waits) == 3 and 0.5 <= waits[0] <= 1.5 and 1.0 <= waits[1] <= 3.0 and 2.0 <= waits[2] <= 6.0


def test_404_is_not_retried(site: SiteServer) -> None:
    f, waits = fetcher()
    with pytest.raises(FetchError, match="HTTP 404"):
        f.get(site.url("/gone"))
    assert site.count("/gone") == 1 and waits == []


def test_slow_response_times_out(site: SiteServer) -> None:
    site.route("/slow", lambda r: Response(200, b"<p>late</p>", delay=2.0))
    f, _ = fetcher(read_timeout=0.3, retries=0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timeout"):
        f.get(site.url("/slow"))
    assert time.monotonic() - started < 1.5


def test_redirect_loop_is_cut(site: SiteServer) -> None:
    site.route("/a", lambda r: Response(302, b"", {"Location": "/b"}))
    site.route("/b", lambda r: Response(302, b"", {"Location": "/a"}))
    f, _ = fetcher(max_redirects=4)
    with pytest.raises(FetchError, match="redirect"):
        f.get(site.url("/a"))
    assert site.count("/a") + site.count("/b") <= 6, "no retries of a loop"


def test_redirect_is_followed_and_reported(site: SiteServer) -> None:
    site.route("/old", lambda r: Response(301, b"", {"Location": "/new"}))
    site.static("/new", b"<p>moved</p>")
    f, _ = fetcher()
    page = f.get(site.url("/old"))
    assert page.final_url == site.url("/new") and "moved" in page.text


def test_oversized_bodies_are_abandoned(site: SiteServer) -> None:
    site.route("/declared", lambda r: Response(200, b"x" * 5000, {"Content-Type": "text/html"}))
    site.route("/endless", lambda r: Response(200, chunks_forever=True))
    f, _ = fetcher(max_bytes=2048)
    with pytest.raises(FetchError, match="cap"):
        f.get(site.url("/declared"))
    with pytest.raises(FetchError, match="cap"):
        f.get(site.url("/endless"))
    assert site.count("/endless") <= 1


def test_robots_txt_is_honoured_and_cached(site: SiteServer) -> None:
    site.static("/private/story", b"<p>secret</p>")
    site.static("/public/story", b"<p>open</p>")
    f, _ = fetcher()
    with pytest.raises(FetchError, match=r"robots\.txt"):
        f.get(site.url("/private/story"))
    f.get(site.url("/public/story"))
    f.get(site.url("/public/story"))
    assert site.count("/private") == 0
    assert site.count("/robots.txt") == 1


def test_charsets_from_header_meta_and_detection(site: SiteServer) -> None:
    korean = "<html><head><meta charset='euc-kr'></head><body><p>북한 미사일 발사</p></body></html>"
    site.route("/meta", lambda r: Response(200, korean.encode("euc-kr"), {"Content-Type": "text/html"}))
    latin = "<p>Café naïve résumé</p>"
    site.route(
        "/header",
        lambda r: Response(200, latin.encode("cp1252"), {"Content-Type": "text/html; charset=windows-1252"}),
    )
    site.route("/none", lambda r: Response(200, latin.encode("utf-8"), {"Content-Type": "text/html"}))
    f, _ = fetcher()
    assert "북한 미사일 발사" in f.get(site.url("/meta")).text
    assert "Café naïve résumé" in f.get(site.url("/header")).text
    assert "Café naïve résumé" in f.get(site.url("/none")).text


def test_per_host_concurrency_and_spacing() -> None:
    with SiteServer(delay=0.2) as server:
        server.static("/robots.txt", b"", "text/plain")
        for i in range(8):
            server.static(f"/s{i}", b"<p>x</p>")
        config = HttpConfig(min_delay=0.1, max_per_host=2, retries=0)
        f = Fetcher(config, new_session(config.user_agent))
        threads = [threading.Thread(target=f.get, args=(server.url(f"/s{i}"),)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert server.peak_in_flight == 2
        starts = sorted(r.started for r in server.requests if r.path.startswith("/s"))
        gaps = [b - a for a, b in itertools.pairwise(starts)]
        assert min(gaps) >= 0.08, gaps  # 0.1 s apart at the client; the server sees scheduling jitter


def test_deadline_stops_new_requests(site: SiteServer) -> None:
    site.static("/a", b"<p>x</p>")
    clock = [0.0]
    config = HttpConfig(min_delay=0.0, deadline=10.0)
    f = Fetcher(config, new_session(config.user_agent), clock=lambda: clock[0])
    f.get(site.url("/a"))
    clock[0] = 11.0
    with pytest.raises(FetchError, match="deadline"):
        f.get(site.url("/a"))


def test_unreachable_host_is_a_clear_error() -> None:
    with socket_closed_port() as port:
        f, _ = fetcher(retries=0, connect_timeout=1.0)
        with pytest.raises(FetchError, match="connection failed") as err:
            f.get(f"http://127.0.0.1:{port}/x")
        assert f"127.0.0.1:{port}" in str(err.value)


class socket_closed_port:
    def __enter__(self) -> int:
        import socket

        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = int(s.getsockname()[1])
        s.close()
        return self.port

    def __exit__(self, *exc: object) -> None:
        pass


def test_last_modified_alone_gives_304(site: SiteServer) -> None:
    stamp = "Wed, 25 Nov 2026 10:00:00 GMT"

    def handler(req):  # type: ignore[no-untyped-def]
        if req.headers.get("if-modified-since") == stamp:
            return Response(304, b"", {"Last-Modified": stamp})
        return Response(200, b"<p>page</p>", {"Last-Modified": stamp, "Content-Type": "text/html"})

    site.route("/lm", handler)
    f, _ = fetcher()
    first = f.get(site.url("/lm"))
    assert first.etag is None and first.last_modified == stamp
    assert f.get(site.url("/lm"), None, first.last_modified).not_modified


def test_a_host_that_does_not_answer_is_not_asked_again_in_the_same_poll() -> None:
    with socket_closed_port() as port:
        f, waits = fetcher(retries=2, connect_timeout=1.0, robots=False)
        with pytest.raises(FetchError, match="connection failed"):
            f.get(f"http://127.0.0.1:{port}/a")
        assert len(waits) == 2
        with pytest.raises(FetchError, match="did not answer earlier in this poll"):
            f.get(f"http://127.0.0.1:{port}/b")
        assert len(waits) == 2, "no more retries, no more waiting"
        with pytest.raises(FetchError, match="connection failed"):
            f.for_poll().get(f"http://127.0.0.1:{port}/c")  # the next poll asks again


def test_a_trickling_body_is_abandoned(site: SiteServer) -> None:
    site.route(
        "/drip",
        lambda r: Response(200, b"<p>" + b"x" * 200 + b"</p>", {"Content-Type": "text/html"}, trickle=0.05),
    )
    f, _ = fetcher(read_timeout=0.5, retries=0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="body took longer"):
        f.get(site.url("/drip"))
    assert time.monotonic() - started < 3.0


def test_a_hanging_server_is_tried_twice_not_retries_plus_one(site: SiteServer) -> None:
    site.route("/hang", lambda _r: Response(200, b"<p>late</p>", {"Content-Type": "text/html"}, delay=2))
    f, _ = fetcher(read_timeout=0.3, retries=3)
    with pytest.raises(FetchError, match="timeout"):
        f.get(site.url("/hang"))
    assert site.count("/hang") == 2, "one retry for a timeout within a poll; the next poll tries again"


def test_only_text_encodings_a_browser_knows_are_used() -> None:
    assert decode("<p>café</p>".encode(), "text/html; charset=punycode") == "<p>café</p>"
    assert decode("<p>café</p>".encode("cp1252"), "text/html; charset=windows-1252") == "<p>café</p>"


def test_robots_rules_by_rfc_9309_wildcards_and_longest_match() -> None:
    with SiteServer() as server:
        rules = b"User-agent: *\nDisallow: /*?print=\nDisallow: /news/\nAllow: /news/open/\n"
        server.static("/robots.txt", rules, "text/plain")
        for path in ("/a?print=1", "/news/x", "/news/open/y", "/b"):
            server.static(path.split("?")[0], b"<p>x</p>")
        f, _ = fetcher()
        with pytest.raises(FetchError, match=r"disallowed by the site's robots\.txt"):
            f.get(server.url("/a?print=1"))
        with pytest.raises(FetchError, match="disallowed"):
            f.get(server.url("/news/x"))
        assert f.get(server.url("/news/open/y")).status == 200, "the longer Allow wins"
        assert f.get(server.url("/b")).status == 200


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (410, True), (429, False), (503, False)])
def test_robots_that_cannot_be_read_stop_the_poll_until_the_next(status: int, allowed: bool) -> None:
    with SiteServer() as server:
        server.route("/robots.txt", lambda _r: Response(status, b"", {"Retry-After": "0"}))
        server.static("/a", b"<p>x</p>")
        f, _ = fetcher(retries=0)
        if allowed:
            assert f.get(server.url("/a")).status == 200
            return
        with pytest.raises(FetchError, match=f"{status}.*asking for robots.txt"):
            f.get(server.url("/a"))
        assert server.count("/a") == 0
        server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        assert f.for_poll().get(server.url("/a")).status == 200, "asked again next poll"


def test_headers_dribbled_a_byte_at_a_time_cannot_hold_a_request() -> None:
    """read_timeout bounds each wait for bytes; a server sending one header byte every 0.2 s never trips
    it, so the whole answer gets a limit of its own."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def dribble() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.recv(4096)
            with contextlib.suppress(OSError):
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
                    if stop.is_set():
                        break
                    conn.sendall(bytes([byte]))
                    time.sleep(0.2)
            conn.close()

    threading.Thread(target=dribble, daemon=True).start()
    try:
        f, _ = fetcher(read_timeout=0.5, connect_timeout=0.5, retries=0, max_redirects=0, robots=False)
        started = time.monotonic()
        with pytest.raises(FetchError, match="no complete answer within"):
            f.get(f"http://127.0.0.1:{port}/slow")
        assert time.monotonic() - started < 5, "cut at connect + 2 x read timeout, not after 200 s of bytes"
    finally:
        stop.set()
        listener.close()


def test_requests_in_flight_are_capped_across_all_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each host gets max_per_host; all hosts together get MAX_CONNECTIONS, however many feeds poll."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import feedgen_app.fetching.http as http

    monkeypatch.setattr(http, "MAX_CONNECTIONS", 3)
    servers = [SiteServer(delay=0.3) for _ in range(6)]
    for server in servers:
        server.__enter__()
        server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        server.static("/a", b"<p>a</p>")
    try:
        f, _ = fetcher(retries=0, max_per_host=2)
        peak, stop = [0], threading.Event()

        def watch() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], sum(s.in_flight for s in servers))
                stop.wait(0.01)

        watcher = threading.Thread(target=watch)
        watcher.start()
        with ThreadPoolExecutor(12) as pool:
            list(pool.map(lambda s: f.get(s.url("/a")), servers * 2))
        stop.set()
        watcher.join()
        assert peak[0] == 3, "six hosts at once, but never more than three requests in flight"
    finally:
        for server in servers:
            server.__exit__()
