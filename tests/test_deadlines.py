"""A request's whole life is bounded whatever the server does, against real local servers that dribble:
a body framed by a length, by chunks or by the connection's close, headers that never end, a TLS
handshake that never comes, and a build whose deadline holds with such a story among good ones."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support.site_server import FIXTURES, SiteServer

from feedgen_app.cli import main
from feedgen_app.config import HttpConfig
from feedgen_app.errors import FetchError
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session

Dribble = Callable[[socket.socket], None]
READ_TIMEOUT = 1.0  # each request may then take connect (1 s) + 2 x 1 s; its body 2 s


def _drip(head: bytes, piece: bytes) -> Dribble:
    def serve(conn: socket.socket) -> None:
        conn.sendall(head)
        for _ in range(60):
            conn.sendall(piece)
            time.sleep(0.2)

    return serve


FRAMINGS = {
    "a length": _drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n", b"x"),
    "chunks": _drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n", b"1\r\nx\r\n"),
    "the connection's close": _drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n", b"x"),
    "HTTP/1.0 with a length": _drip(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n", b"x"),
    "a length, then the close": _drip(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n", b"x"),
    "after a 103": _drip(b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", b"x"),
}  # fmt: skip


@contextmanager
def dribbling_server(serve: Dribble, host: str = "127.0.0.1", robots: Dribble | None = None) -> Iterator[int]:
    """A raw TCP server on `host`: robots.txt is a quick 404 (or `robots`), everything else goes to `serve`."""
    listener = socket.create_server((host, 0))
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                request = conn.recv(65536)
                if b"/robots.txt" in request:
                    if robots is not None:
                        robots(conn)
                        return
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                serve(conn)
            except OSError:
                pass  # the client hung up: what these tests provoke

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()


def fetcher() -> Fetcher:
    config = HttpConfig(min_delay=0, retries=0, connect_timeout=1.0, read_timeout=READ_TIMEOUT, deadline=60)
    return Fetcher(config, new_session(config.user_agent)).for_poll()


@pytest.mark.parametrize("framing", FRAMINGS)
def test_a_dribbling_body_is_cut_at_its_budget_whatever_its_framing(framing: str) -> None:
    with dribbling_server(FRAMINGS[framing]) as port:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"body took longer than 2\.0s"):
            fetcher().get(f"http://127.0.0.1:{port}/story")
        assert time.monotonic() - started < 4.0


def test_headers_that_never_end_are_a_timeout_not_a_page() -> None:
    with dribbling_server(_drip(b"HTTP/1.1 200 OK\r\n", b"X-Padding: more\r\n")) as port:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"no complete answer within 3\.0s \(timeout\)"):
            fetcher().get(f"http://127.0.0.1:{port}/story")
        assert time.monotonic() - started < 5.0


def test_a_tls_handshake_that_never_comes_is_a_timeout() -> None:
    def silent(_conn: socket.socket) -> None:
        time.sleep(30)  # accepts, then says nothing: no ServerHello

    with dribbling_server(silent) as port:
        started = time.monotonic()
        with pytest.raises(FetchError):
            fetcher().get(f"https://127.0.0.1:{port}/story")
        assert time.monotonic() - started < 5.0


def test_a_build_keeps_its_deadline_with_a_dribbling_story_among_good_ones(tmp_path: Path) -> None:
    """The dribbling story fails as a timeout, the others are published, and the build ends in time."""
    listing = (FIXTURES / "koreaherald/current/pages/listing-north-korea-1.html").read_text()
    with (
        SiteServer("koreaherald/current") as site,
        dribbling_server(FRAMINGS["the connection's close"], host="127.0.0.2") as port,
    ):
        slow = f"http://127.0.0.2:{port}/article/10871768"
        site.static("/National/North-Korea", listing.replace("/article/10871768", slow).encode())
        config = tmp_path / "feeds.toml"
        config.write_text(
            '[output]\ndir = "public"\nbase_url = "https://example.test/"\n'
            f"[http]\nmin_delay = 0\nretries = 0\nread_timeout = {READ_TIMEOUT}\nconnect_timeout = 1\n"
            f'deadline = 20\n[[feeds]]\nid = "north-korea"\ntitle = "NK"\nsite = "koreaherald"\n'
            f'listing = "{site.url("/National/North-Korea")}"\n[sites.koreaherald]\n'
            f'allowed_hosts = ["127.0.0.2"]\n'
        )
        started = time.monotonic()
        main(["build", "--config", str(config)])
        assert time.monotonic() - started < 20
        status = (tmp_path / "public" / "status.json").read_text()
        assert "body took longer than 2.0s" in status
        assert "no title found" not in status
        assert (tmp_path / "public" / "north-korea.atom").read_text().count("<entry>") >= 5


def test_a_robots_txt_whose_headers_never_end_allows_nothing_and_is_not_remembered(tmp_path: Path) -> None:
    """Cut by its budget, it is no answer: not an empty file that would allow everything for a day."""
    listing = FRAMINGS["a length"]
    endless = _drip(b"HTTP/1.1 200 OK\r\n", b"X-Padding: more\r\n")
    with dribbling_server(listing, robots=endless) as port:
        config = tmp_path / "feeds.toml"
        config.write_text(
            '[output]\ndir = "public"\nbase_url = "https://example.test/"\n'
            f"[http]\nmin_delay = 0\nretries = 0\nread_timeout = {READ_TIMEOUT}\nconnect_timeout = 1\n"
            f'[[feeds]]\nid = "x"\nsite = "auto"\nlisting = "http://127.0.0.1:{port}/news/"\n'
        )
        started = time.monotonic()
        assert main(["build", "--config", str(config)]) == 1
        assert time.monotonic() - started < 8
    status = (tmp_path / "public" / "status.json").read_text()
    assert "asking for robots.txt" in status and "not fetched until robots.txt can be read" in status
    import sqlite3

    with sqlite3.connect(tmp_path / "state" / "feedgen.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM robots").fetchone()[0] == 0, "nothing remembered"
