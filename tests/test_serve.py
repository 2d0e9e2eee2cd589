"""The read-only file server's path rules, on a folder with traps in it."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from feedgen_app.errors import ConfigError
from feedgen_app.publishing.serve import parse_address, resolve, start_server


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    public = tmp_path / "public"
    public.mkdir()
    (public / "index.html").write_text("<h1>hi</h1>")
    (public / "north-korea.atom").write_text("<feed/>")
    (public / ".north-korea.atom.x1y2.tmp").write_text("half")
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", public / "link.txt")
    os.symlink("/etc", public / "etc")
    return public


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/link.txt",
        "/etc/passwd",
        "/.north-korea.atom.x1y2.tmp",
        "/nope.atom",
        "/%00",
        "//etc/passwd",
    ],
)
def test_nothing_outside_the_folder(folder: Path, path: str) -> None:
    assert resolve(folder, path) is None


def test_files_and_the_index(folder: Path) -> None:
    assert resolve(folder, "/") == (folder / "index.html").resolve()
    assert resolve(folder, "/north-korea.atom?x=1") == (folder / "north-korea.atom").resolve()


@pytest.mark.parametrize("bad", ["8080", "localhost", "host:port", ":99999"])
def test_bad_serve_address(bad: str) -> None:
    with pytest.raises(ConfigError, match="HOST:PORT"):
        parse_address(bad)


def test_headers_gzip_and_content_types(folder: Path) -> None:
    import gzip
    import http.client

    (folder / "north-korea.atom").write_text("<feed>" + "x" * 5000 + "</feed>")
    (folder / "status.json").write_text('{"feeds": {"a": {"healthy": true}}}')
    (folder / "feeds.opml").write_text("<opml/>")
    server = start_server(folder, "127.0.0.1:0")
    port = server.server_address[1]
    try:

        def ask(
            method: str, path: str, headers: dict[str, str] | None = None
        ) -> tuple[int, dict[str, str], bytes]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request(method, path, headers=headers or {})
            resp = conn.getresponse()
            result = resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
            conn.close()
            return result

        status, headers, body = ask(
            "GET", "/north-korea.atom", {"Accept-Encoding": "gzip", "Accept": "application/atom+xml"}
        )
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert headers["content-type"].startswith("application/atom+xml")
        assert gzip.decompress(body) == (folder / "north-korea.atom").read_bytes()
        _, headers, _ = ask("GET", "/north-korea.atom", {"Accept": "text/html,application/xhtml+xml,*/*"})
        assert headers["content-type"].startswith("application/xml"), "browsers get XML so feed.xsl applies"
        assert ask("GET", "/status.json")[1]["content-type"].startswith("application/json")
        assert ask("GET", "/feeds.opml")[1]["content-type"].startswith("text/x-opml")
        status, headers, body = ask("HEAD", "/index.html")
        assert status == 200 and body == b"" and int(headers["content-length"]) > 0
        assert ask("POST", "/index.html")[0] == 405
        status, _, body = ask("GET", "/healthz/feeds")
        assert status == 200 and b'"healthy": true' in body
        assert ask("GET", "/healthz")[0] == 200
    finally:
        server.shutdown()


@contextmanager
def idle_clients(folder: Path, count: int) -> Iterator[tuple[int, list[socket.socket]]]:
    """The server on a free port with `count` clients connected and saying nothing."""
    (folder / "status.json").write_text('{"feeds": {"a": {"healthy": true}}}')
    server = start_server(folder, "127.0.0.1:0")
    port = server.server_address[1]
    idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
    try:
        yield port, idle
    finally:
        for sock in idle:
            sock.close()
        server.shutdown()
        server.server_close()


def test_two_thousand_idle_connections_do_not_stop_healthz_or_a_feed(folder: Path) -> None:
    (folder / "big.atom").write_bytes(b"<feed>" + b"x" * 9_000_000 + b"</feed>")  # over GZIP_MAX: streamed
    with idle_clients(folder, 2000) as (port, _idle):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/healthz/feeds")
        health = conn.getresponse()
        assert health.status == 200 and b'"healthy": true' in health.read(), "2,000 idle clients hold nothing"
        conn.request("GET", "/big.atom", headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Content-Encoding") is None
        assert len(response.read()) == 9_000_013
        conn.close()


def test_past_the_cap_the_oldest_idle_connection_makes_room_for_healthz(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slowloris flood at the connection cap: /healthz still answers, the oldest idle client is cut."""
    import feedgen_app.publishing.serve as serve

    monkeypatch.setattr(serve, "MAX_CONNECTIONS", 50)
    with idle_clients(folder, 50) as (port, idle):
        for sock in idle:
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # a request line, then nothing: slowloris
        for _ in range(6):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            assert conn.getresponse().status == 200, "a probe is served at the cap"
            conn.close()
        assert idle[0].recv(1) == b"", "the oldest idle connection made room"
        assert sum(1 for sock in idle if _closed(sock)) <= 7, "one idle client cut a new connection, no more"


def _closed(sock: socket.socket) -> bool:
    sock.settimeout(0.05)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False


def test_idle_connections_are_closed(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import feedgen_app.publishing.serve as serve

    monkeypatch.setattr(serve, "IDLE_TIMEOUT", 1.0)
    with idle_clients(folder, 5) as (_port, idle):
        assert idle[0].recv(1) == b"", "an idle connection is closed by the server"


def test_with_systemds_1024_open_files_a_slowloris_flood_does_not_stop_healthz(folder: Path) -> None:
    """The server in a process limited to 1,024 open files (systemd's default), 1,100 idle clients."""
    (folder / "status.json").write_text('{"feeds": {"a": {"healthy": true}}}')
    port_file = folder / "port"
    script = (
        "import resource, sys, time\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))\n"
        "from pathlib import Path\n"
        "from feedgen_app.publishing.serve import start_server\n"
        f"server = start_server(Path({str(folder)!r}), '127.0.0.1:0')\n"
        f"Path({str(port_file)!r}).write_text(str(server.server_address[1]))\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 10
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        port = int(port_file.read_text())
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(1100)]
        answered = 0
        for _ in range(6):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", "/healthz")
                answered += conn.getresponse().status == 200
            except OSError:
                pass
            conn.close()
        for sock in idle:
            sock.close()
        assert answered == 6
    finally:
        proc.kill()
        proc.wait()


def test_a_server_on_another_port_than_base_url_says_so() -> None:
    from feedgen_app.running.daemon import links_elsewhere

    said = links_elsewhere("http://localhost:8000/", ("127.0.0.1", 8080), "/etc/feedgen-app/feeds.toml")
    assert said is not None and "listens on port 8080" in said and "point at port 8000" in said
    assert 'base_url = "http://localhost:8080/" in /etc/feedgen-app/feeds.toml' in said
    assert links_elsewhere("http://localhost:8000/", ("127.0.0.1", 8000)) is None
    assert "not to this server" in (links_elsewhere("https://me.github.io/feeds/", ("127.0.0.1", 8000)) or "")


def test_a_port_in_use_is_said_as_such_not_as_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from feedgen_app.cli import main

    config = tmp_path / "feeds.toml"
    config.write_text('[[feeds]]\nid = "x"\nlisting = "http://127.0.0.1:9/news/"\n')
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["run", "--config", str(config), "--serve", f"127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert f"--serve 127.0.0.1:{port}: cannot listen there" in err and "another server uses it" in err
    assert "configuration error" not in err
