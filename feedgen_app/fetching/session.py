"""The HTTP session a timer can cut: connections that tell a watchdog which socket each thread's request
is using (noted before a TLS handshake), and the way to shut a socket down so that a thread blocked reading
it wakes, even one whose Python object http.client has already closed. Its connections also pass over every
1xx interim answer (103 Early Hints, 102 Processing), where http.client passes over 100 alone and takes a
103 for the answer. Used by `http.Fetcher`.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import threading
from typing import Any

import requests
import urllib3
import urllib3.connection
from requests.adapters import HTTPAdapter


class Watch:
    """The socket each thread's request is using, so a timer can cut a request that outlives its time
    however slowly the server dribbles its status line and headers (`read_timeout` only bounds each wait)."""

    def __init__(self) -> None:
        self._sockets: dict[int, socket.socket] = {}
        self._lock = threading.Lock()

    def note(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self._lock:
                self._sockets[threading.get_ident()] = sock

    def cut(self, thread: int) -> None:
        with self._lock:
            sock = self._sockets.get(thread)
        if sock is not None:
            shut(sock)

    def forget(self, thread: int) -> None:
        with self._lock:
            self._sockets.pop(thread, None)

    def cut_all(self) -> None:
        """Cut every request in flight (feedgen-app is stopping)."""
        with self._lock:
            sockets = list(self._sockets.values())
        for sock in sockets:
            shut(sock)


class _PastInterim(http.client.HTTPResponse):
    """A response that reads past 1xx interim answers (but 101, which switches protocols) to the real one."""

    def _read_status(self) -> tuple[str, int, str]:
        while True:
            version, status, reason = super()._read_status()  # type: ignore[misc]
            if not (100 < status < 200 and status != 101):
                return version, status, reason
            http.client._read_headers(self.fp)  # type: ignore[attr-defined]


def watched_adapter(watch: Watch) -> HTTPAdapter:
    """requests' adapter with connections that tell `watch` which socket they use."""

    class Noted:
        """Mixed into both connection classes: tell `watch` the socket on connect and on every request
        (a kept-alive connection does not connect again)."""

        sock: socket.socket | None
        response_class: type[http.client.HTTPResponse] = _PastInterim

        def _new_conn(self) -> socket.socket:
            sock: socket.socket = super()._new_conn()  # type: ignore[misc]
            watch.note(sock)  # before a TLS handshake, which a stalled server could hold open
            return sock

        def connect(self) -> None:
            super().connect()  # type: ignore[misc]
            watch.note(self.sock)

        def request(self, *args: Any, **kwargs: Any) -> None:
            watch.note(self.sock)
            super().request(*args, **kwargs)  # type: ignore[misc]

    class Connection(Noted, urllib3.connection.HTTPConnection):
        pass

    class SecureConnection(Noted, urllib3.connection.HTTPSConnection):
        pass

    class Pool(urllib3.HTTPConnectionPool):
        ConnectionCls = Connection

    class SecurePool(urllib3.HTTPSConnectionPool):
        ConnectionCls = SecureConnection

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": Pool, "https": SecurePool}

    return Adapter()


class WatchedSession(requests.Session):
    """A session whose requests can be cut off by a timer (see `_Watch`)."""

    def __init__(self) -> None:
        super().__init__()
        self.watch = Watch()
        adapter = watched_adapter(self.watch)
        self.mount("http://", adapter)
        self.mount("https://", adapter)


def new_session(user_agent: str) -> requests.Session:
    session = WatchedSession()
    session.headers.update(
        {
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en;q=1.0, *;q=0.5",
        }
    )
    return session


def socket_of(resp: requests.Response) -> socket.socket | None:
    """The socket the body comes from: the connection's, or, for an answer delimited by the connection's
    close (http.client then hands the socket to the response's file), the one under that file."""
    connection = getattr(resp.raw, "_connection", None) or getattr(resp.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        return sock
    raw_file = getattr(getattr(getattr(resp.raw, "_fp", None), "fp", None), "raw", None)
    sock = getattr(raw_file, "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def shut(sock: socket.socket) -> None:
    """Shut a connection down, which wakes a thread blocked reading it. A socket whose Python object was
    closed while a file still reads it (http.client's close-delimited answers) is reached through a
    duplicate of its descriptor."""
    with contextlib.suppress(OSError, ValueError):
        sock.shutdown(socket.SHUT_RDWR)
        return
    with contextlib.suppress(OSError, ValueError):
        fd = sock.fileno()
        if fd >= 0:
            with socket.socket(fileno=os.dup(fd)) as twin:
                twin.shutdown(socket.SHUT_RDWR)
