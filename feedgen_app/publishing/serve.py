"""`run --serve HOST:PORT`: the output folder over HTTP, read-only, with `/healthz` and `/healthz/feeds`.

Serves only regular files inside the folder (no `..`, encoded dots or symlinks out of it), with the right
content types, ETag and Last-Modified (304s), gzip when asked, `/` as index.html; `/healthz`: whether the
daemon itself works (it polls on schedule and can write its store and its output folder), 200 or 503, for a
load balancer or a container runtime; `/healthz/feeds`: 200 and a JSON summary while every feed polled so far
is healthy, 503 when one is held, failing or blocked (read from status.json), for monitoring the sites.
For anything beyond a small server (TLS, many readers), put nginx or Caddy in front, or serve `public/` with
them directly.
"""

from __future__ import annotations

import contextlib
import errno
import gzip
import json
import shutil
import socket
import threading
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from feedgen_app.errors import ConfigError, FeedgenError
from feedgen_app.publishing.status import ATTENTION, BLOCKED, FAILING, HEALTHY, PENDING, state_of
from feedgen_app.url_parts import parts_of, split

CONTENT_TYPES = {
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
    ".xsl": "application/xslt+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
}


def parse_address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ConfigError("--serve", "", f"{text!r} is not HOST:PORT (for example 127.0.0.1:8080)")
    return host.strip("[]"), int(port)


Health = Callable[[], tuple[int, dict[str, object]]]


def health(folder: Path) -> tuple[int, dict[str, object]]:
    """The feeds' health from status.json: 503 when a feed polled so far is not healthy (a feed not polled
    yet is pending, which is no failure)."""
    try:
        status = json.loads((folder / "status.json").read_text())
    except (OSError, ValueError):
        return 200, {"healthy": True, "feeds": 0, "reason": "no status.json yet: no feed has been polled"}
    feeds = status.get("feeds", {})
    states = {fid: state_of(f) for fid, f in feeds.items()}
    unwell = {
        fid: {"state": state, "why": why}
        for fid, (state, why) in states.items()
        if state not in (HEALTHY, PENDING)
    }
    body: dict[str, object] = {
        "healthy": not unwell,
        "feeds": len(feeds),
        "not_healthy": unwell,
        "counts": {
            s: sum(1 for st, _ in states.values() if st == s)
            for s in (HEALTHY, ATTENTION, FAILING, BLOCKED, PENDING)
        },
        "generated": status.get("generated"),
    }
    return (200 if not unwell else 503), body


def serving_only(_folder: Path) -> Health:
    """`/healthz` for a server with no daemon behind it: it answers, which is all it does."""
    return lambda: (200, {"ok": True, "serving": True})


def _browser(accept: str) -> bool:
    """A browser navigating asks for text/html first; feed readers ask for feed types."""
    return "text/html" in accept and "atom+xml" not in accept and "rss+xml" not in accept


def resolve(folder: Path, raw_path: str) -> Path | None:
    """The file a request path names, or None when it is not a regular file inside `folder`."""
    parts = split(raw_path)
    if parts is None:
        return None
    path = unquote(parts.path)
    if "\x00" in path:
        return None
    relative = path.lstrip("/") or "index.html"
    root = folder.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    if any(part.startswith(".") for part in target.relative_to(root).parts):
        return None  # temporary files and dot-files are never served
    return target


IDLE_TIMEOUT = 15.0  # seconds
MAX_CONNECTIONS = 4096  # open at once; each is a thread
GZIP_MAX = 8_000_000  # bytes: bigger files are streamed as they are


def make_handler(folder: Path, daemon_health: Health | None = None) -> type[BaseHTTPRequestHandler]:
    own_health = daemon_health or serving_only(folder)

    class Handler(BaseHTTPRequestHandler):
        server_version = "feedgen-app"
        sys_version = ""
        timeout = IDLE_TIMEOUT  # a connection that sends nothing is closed: idle clients cannot pile up

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _head(self, status: int, headers: dict[str, str]) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()

        def _send(
            self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
        ) -> None:
            self._head(
                status, {"Content-Type": content_type, **(extra or {}), "Content-Length": str(len(body))}
            )
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET()

        def parse_request(self) -> bool:
            """A whole request line and headers are in: this connection is busy until it is answered."""
            ok = super().parse_request()
            if ok and isinstance(self.server, _Server):
                self.server.mark_busy(self.connection, True)
            return ok

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            finally:  # answered: idle until its next request (a keep-alive) or its close
                if isinstance(self.server, _Server):
                    self.server.mark_busy(self.connection, False)

        def do_GET(self) -> None:
            path = parts_of(self.path).path
            if path in ("/healthz", "/healthz/feeds"):
                status, body = own_health() if path == "/healthz" else health(folder)
                self._send(
                    status,
                    json.dumps(body, sort_keys=True).encode(),
                    "application/json",
                    {"Cache-Control": "no-store"},
                )
                return
            target = resolve(folder, self.path)
            if target is None:
                self._send(404, b"Not found\n", "text/plain; charset=utf-8")
                return
            info = target.stat()
            # validators from size and time, as nginx makes them: the file is not read to answer a 304
            etag = f'"{info.st_mtime_ns:x}-{info.st_size:x}"'
            headers = {
                "ETag": etag,
                "Last-Modified": formatdate(info.st_mtime, usegmt=True),
                "Cache-Control": "max-age=300",
                "X-Content-Type-Options": "nosniff",
            }
            if self._not_modified(etag, info.st_mtime):
                self._head(304, headers)
                return
            content_type = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
            if target.suffix in (".atom", ".rss"):
                headers["Vary"] = "Accept"
                if _browser(self.headers.get("Accept", "")):
                    # Chromium shows application/atom+xml as plain text and applies feed.xsl only to XML
                    # types it renders; readers ask for feed types and get the registered one.
                    content_type = "application/xml; charset=utf-8"
            gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
            if gzip_ok and 1024 < info.st_size <= GZIP_MAX:
                data = gzip.compress(target.read_bytes(), mtime=0)
                headers["Content-Encoding"] = "gzip"
                headers["Vary"] = ", ".join(v for v in (headers.get("Vary"), "Accept-Encoding") if v)
                self._send(200, data, content_type, headers)
                return
            self._stream(target, info.st_size, content_type, headers)

        def _stream(self, target: Path, size: int, content_type: str, headers: dict[str, str]) -> None:
            """A big file goes out in pieces, never whole in memory."""
            try:
                file = target.open("rb")
            except OSError:
                self._send(404, b"Not found\n", "text/plain; charset=utf-8")
                return
            with file:
                self._head(200, {"Content-Type": content_type, **headers, "Content-Length": str(size)})
                if self.command != "HEAD":
                    shutil.copyfileobj(file, self.wfile, 64 * 1024)

        def _not_modified(self, etag: str, mtime: float) -> bool:
            if_none = self.headers.get("If-None-Match")
            if if_none is not None:
                return etag in [t.strip() for t in if_none.split(",")] or if_none.strip() == "*"
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return int(mtime) <= parsedate_to_datetime(since).timestamp()
                except (TypeError, ValueError):
                    return False
            return False

        def _refuse(self) -> None:
            self._send(405, b"Read-only\n", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})

        do_POST = do_PUT = do_DELETE = do_PATCH = _refuse

    return Handler


def connection_cap() -> int:
    """Connections served at once: MAX_CONNECTIONS, or half the open files this process may have (the
    polls need the rest), after raising the soft limit to the hard one (systemd gives 1,024 soft)."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = min(hard, 65536) if hard != resource.RLIM_INFINITY else 65536
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    except (ImportError, ValueError, OSError):  # not on this platform, or not allowed: keep what we have
        return MAX_CONNECTIONS
    return MAX_CONNECTIONS if soft == resource.RLIM_INFINITY else max(16, min(MAX_CONNECTIONS, soft // 2))


class _Server(ThreadingHTTPServer):
    """A thread per connection, up to `connection_cap()`. Past it, the oldest connection that has not
    sent a whole request (a slowloris client, an idle keep-alive) is closed to make room, so a flood of
    idle clients can neither exhaust memory or open files nor keep /healthz from answering; only when
    every connection is busy answering is a new one closed at once."""

    daemon_threads = True
    request_queue_size = 128  # connections waiting to be accepted (socketserver's default is 5)

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.cap = connection_cap()
        self._lock = threading.Lock()
        self._open: dict[Any, bool] = {}  # connection -> busy answering, oldest first

    def mark_busy(self, connection: Any, busy: bool) -> None:
        with self._lock:
            if connection in self._open:
                self._open[connection] = busy

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            if len(self._open) >= self.cap:
                idle = next((c for c, busy in self._open.items() if not busy), None)
                if idle is None:
                    self.shutdown_request(request)
                    return
                del self._open[idle]
                with contextlib.suppress(OSError):
                    idle.shutdown(socket.SHUT_RDWR)  # its thread wakes, sees the end, and exits
            self._open[request] = False
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._forget(request)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._forget(request)

    def _forget(self, request: Any) -> None:
        with self._lock:
            self._open.pop(request, None)


def start_server(folder: Path, address: str, daemon_health: Health | None = None) -> ThreadingHTTPServer:
    """Serve `folder` on `address`; `/healthz` answers `daemon_health()` (the daemon's own health)."""
    host, port = parse_address(address)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        server = _Server((host, port), make_handler(folder, daemon_health))
    except OSError as exc:  # the port is taken, or not ours to use: not a problem of the configuration
        hint = (
            " (another server uses it: choose another with --serve HOST:PORT)"
            if exc.errno == errno.EADDRINUSE
            else ""
        )
        raise FeedgenError(f"--serve {address}: cannot listen there: {exc.strerror}{hint}") from None
    threading.Thread(target=server.serve_forever, name="serve", daemon=True).start()
    return server
