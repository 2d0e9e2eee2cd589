"""A real HTTP server on 127.0.0.1 (port 0, threaded) that serves saved site pages, for tests and benches.

Static routes come from a fixture folder's routes.json; tests add scripted routes (status codes, delays,
Retry-After, redirects, huge bodies) and read back what the server received: every request's path and
headers, and the peak number of requests in flight.

It speaks the framings real servers use (`FRAMINGS`): kept-alive HTTP/1.1 with a length (the default),
`Connection: close` with a length, HTTP/1.0, a body ended by the connection's close, chunks; it sends the
body gzip-, deflate- or brotli-encoded when asked and the client accepts it; it can send 1xx interim answers
first, and close a kept-alive connection that idles (`idle_close`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# how an answer's end is told: a length on a kept-alive connection, a length and then the close, the close
# alone (HTTP/1.0 with no length), chunks on a kept-alive connection
FRAMINGS = ("keep-alive", "close", "http/1.0", "close-delimited", "chunked")


def _encoded(body: bytes, coding: str) -> bytes:
    if coding == "gzip":
        return gzip.compress(body, mtime=0)
    if coding == "deflate":
        return zlib.compress(body)
    if coding == "br":
        import brotli  # type: ignore[import-not-found,unused-ignore]

        return bytes(brotli.compress(body))
    raise ValueError(coding)


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    chunks_forever: bool = False  # keep sending (an endless body)
    trickle: float = 0.0  # send the body a byte at a time, this many seconds apart (a slowloris server)
    interim: tuple[int, ...] = ()  # 1xx answers sent first (100 Continue, 103 Early Hints)


Handler = Callable[["Request"], Response]


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    started: float
    ended: float = 0.0


class SiteServer:
    def __init__(
        self,
        fixture: str | Path | None = None,
        delay: float = 0.0,
        host: str = "127.0.0.1",
        framing: str = "keep-alive",
        coding: str = "gzip",
        idle_close: float | None = None,
    ) -> None:
        """`host`: another loopback address (127.0.0.2…) is another site to the code under test.
        `framing`: one of FRAMINGS. `coding`: the content coding of bodies over 512 bytes, when the client
        accepts it (gzip, deflate, br; "" for none). `idle_close`: seconds after which a kept-alive
        connection with no request on it is closed by the server."""
        if framing not in FRAMINGS:
            raise ValueError(framing)
        self.host = host
        self.framing = framing
        self.coding = coding
        self.routes: dict[str, Handler] = {}
        self.fallback: Handler | None = None  # answers paths no route names (else 404)
        self.delay = delay
        self.requests: list[Request] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()
        if fixture is not None:
            self.load_fixture(fixture)
        server = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0" if framing in ("http/1.0", "close-delimited") else "HTTP/1.1"
            timeout = idle_close
            disable_nagle_algorithm = (
                True  # headers and body go out as separate writes: no 40 ms delayed-ACK stalls
            )

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._handle(self)

        class _Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up early (a size cap, a timeout) is what these tests provoke

        self.httpd = _Server((host, 0), _H)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- routes --------------------------------------------------------------------------------
    def load_fixture(self, fixture: str | Path) -> None:
        folder = FIXTURES / fixture if not Path(fixture).is_absolute() else Path(fixture)
        routes = json.loads((folder / "routes.json").read_text())
        for target, spec in routes.items():
            body = (folder / "pages" / spec["file"]).read_bytes()
            self.static(target, body, spec.get("type", "text/html; charset=utf-8"), spec.get("status", 200))

    def static(
        self, target: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200
    ) -> None:
        """A page with an ETag and Last-Modified that answers conditional requests with 304."""
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = formatdate(1_700_000_000 + len(body), usegmt=True)

        def handler(req: Request) -> Response:
            if req.headers.get("if-none-match") == etag or (
                "if-none-match" not in req.headers and req.headers.get("if-modified-since") == modified
            ):
                return Response(304, b"", {"ETag": etag, "Last-Modified": modified})
            return Response(
                status, body, {"Content-Type": content_type, "ETag": etag, "Last-Modified": modified}
            )

        self.routes[target] = handler

    def route(self, target: str, handler: Handler) -> None:
        self.routes[target] = handler

    def count(self, prefix: str = "") -> int:
        return sum(1 for r in self.requests if r.path.startswith(prefix))

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    # --- serving -------------------------------------------------------------------------------
    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        started = time.monotonic()
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        req = Request(h.path, {k.lower(): v for k, v in h.headers.items()}, started)
        with self._lock:  # recorded before answering, so a client never sees an answer the log lacks
            index = len(self.requests)
            self.requests.append(req)
        try:
            handler = self.routes.get(h.path) or self.fallback
            resp = (
                handler(req)
                if handler
                else Response(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"})
            )
            if self.delay or resp.delay:
                time.sleep(self.delay + resp.delay)
            body = resp.body
            accepted = self.coding and self.coding in req.headers.get("accept-encoding", "")
            if accepted and len(body) > 512 and resp.status == 200:
                body = _encoded(body, self.coding)
                resp.headers["Content-Encoding"] = self.coding
            for status in resp.interim:
                h.wfile.write(
                    f"HTTP/1.1 {status} Interim\r\nLink: </style.css>; rel=preload\r\n\r\n".encode()
                )
            h.send_response(resp.status)
            for k, v in resp.headers.items():
                h.send_header(k, v)
            if resp.chunks_forever:
                h.send_header("Content-Type", "text/html")
                h.end_headers()
                try:
                    for _ in range(100_000):
                        h.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
                except OSError:
                    pass
                h.close_connection = True
                return
            self._frame(h, body if resp.status not in (204, 304) else None, resp.trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self._lock:
                self.in_flight -= 1
                self.requests[index] = Request(req.path, req.headers, started, time.monotonic())

    def _frame(self, h: BaseHTTPRequestHandler, body: bytes | None, trickle: float) -> None:
        """Headers' end and the body (None: an answer that has none, 204 or 304), in this server's framing."""
        if body is None:
            h.end_headers()
            h.close_connection = h.close_connection or self.framing in ("close", "close-delimited")
            return
        if self.framing == "chunked":
            h.send_header("Transfer-Encoding", "chunked")
        elif self.framing != "close-delimited":
            h.send_header("Content-Length", str(len(body)))
        if self.framing == "close":
            h.send_header("Connection", "close")
        h.end_headers()
        if self.framing == "chunked":
            pieces = [body[i : i + 1000] for i in range(0, len(body), 1000)]
            data = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        else:
            data = body
        if trickle:
            for i in range(len(data)):
                h.wfile.write(data[i : i + 1])
                h.wfile.flush()
                time.sleep(trickle)
        else:
            h.wfile.write(data)
        if self.framing in ("close", "close-delimited"):
            h.close_connection = True
