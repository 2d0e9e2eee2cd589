"""The server programs real sites run, started on 127.0.0.1 for a test: Python's `http.server` in HTTP/1.0
and HTTP/1.1, Debian's nginx (kept-alive connections; `keepalive_timeout 0`, with and without gzip),
lighttpd and busybox httpd, each serving one folder on a free port from a temp folder of its own.

`.ci/run` installs the Debian packages. A program that is missing skips its test on a developer's machine
and fails it under CI (`CI` set), so CI never passes a matrix it did not run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SBIN = ("/usr/sbin", "/usr/bin", "/sbin", "/bin")


def program(name: str) -> str | None:
    """The program's path (root's PATH has /usr/sbin, a user's often not)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in SBIN:
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    return None


def need(name: str) -> str:
    path = program(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run installs Debian's package for it")
        pytest.skip(f"{name} is not installed here (.ci/run installs it)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes], name: str, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start ({process.returncode}): {_tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{name} did not listen on port {port} within 15 s: {_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-800:] if log.exists() else ""


def _nginx(root: Path, work: Path, port: int, extra: str) -> list[str]:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / sub).mkdir(exist_ok=True)
    user = "user root;" if os.geteuid() == 0 else ""
    conf = work / "nginx.conf"
    conf.write_text(
        f"""{user}
daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    types {{ text/html html; text/plain txt; application/xml xml; }}
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    charset utf-8;
    {extra}
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""
    )
    return [need("nginx"), "-p", str(work), "-c", str(conf)]


def _lighttpd(root: Path, work: Path, port: int) -> list[str]:
    conf = work / "lighttpd.conf"
    conf.write_text(
        f"""server.document-root = "{root}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{work}/error.log"
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html; charset=utf-8", ".txt" => "text/plain; charset=utf-8" )
"""
    )
    return [need("lighttpd"), "-D", "-f", str(conf)]


@dataclass(frozen=True)
class Kind:
    name: str
    command: Callable[[Path, Path, int], list[str]]


KINDS = [
    Kind(
        "http.server HTTP/1.0",
        lambda root, _w, port: [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "-b",
            "127.0.0.1",
            "-d",
            str(root),
        ],
    ),
    Kind(
        "http.server HTTP/1.1",
        lambda root, _w, port: [
            *[sys.executable, "-m", "http.server", str(port), "-b", "127.0.0.1", "-d", str(root)],
            *["-p", "HTTP/1.1"],
        ],
    ),
    Kind("nginx keep-alive", lambda root, work, port: _nginx(root, work, port, "keepalive_timeout 65;")),
    Kind(
        "nginx keepalive_timeout 0", lambda root, work, port: _nginx(root, work, port, "keepalive_timeout 0;")
    ),
    Kind(
        "nginx keepalive_timeout 0, gzip",
        lambda root, work, port: _nginx(
            root, work, port, "keepalive_timeout 0; gzip on; gzip_min_length 1; gzip_types text/plain;"
        ),
    ),
    Kind("lighttpd", _lighttpd),
    Kind(
        "busybox httpd",
        lambda root, _w, port: [need("busybox"), "httpd", "-f", "-p", f"127.0.0.1:{port}", "-h", str(root)],
    ),
]


@contextmanager
def serving(kind: Kind, root: Path, work: Path) -> Iterator[str]:
    """Serve `root` with the program of `kind`; yields its base address (http://127.0.0.1:PORT)."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    command = kind.command(root, work, port)
    log = work / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=work)
    try:
        _wait_listening(port, process, kind.name, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
