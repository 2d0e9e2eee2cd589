"""The read-only file server's path rules, on a folder with traps in it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from feedgen_app.errors import ConfigError
from feedgen_app.serve import parse_address, resolve


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
