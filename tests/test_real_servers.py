"""The server programs real sites run (real_servers.KINDS: http.server in HTTP/1.0 and 1.1, nginx kept-alive
and with `keepalive_timeout 0` with and without gzip, lighttpd, busybox httpd), each serving the same small
site: `discover` and `extract` on its URLs and a build of a `site = "auto"` feed find every story."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from conftest import write_config
from support import real_servers, small_site

from feedgen_app.cli import main


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_site.write(tmp_path_factory.mktemp("site"))


@pytest.mark.parametrize("kind", real_servers.KINDS, ids=[k.name for k in real_servers.KINDS])
def test_every_story_from_every_server(
    kind: real_servers.Kind, site_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with real_servers.serving(kind, site_root, tmp_path / "server") as base:
        listing = base + small_site.SECTION
        wanted = [base + path for path in small_site.STORIES]

        assert main(["discover", "--format", "json", listing]) == 0
        found = json.loads(capsys.readouterr().out)
        assert found["error"] is None
        assert [s["url"] for s in found["stories"]] == wanted

        assert main(["extract", "--format", "json", *wanted]) == 0
        stories = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [s["title"] for s in stories] == list(small_site.STORIES.values())
        assert all(s["error"] is None and "harbour master" in s["text"] for s in stories)

        config = write_config(tmp_path, listing, site="auto")
        assert main(["build", "--config", str(config)]) == 0
        feed = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes())
        assert sorted(e.link for e in feed.entries) == sorted(wanted)
        assert all("harbour master" in e.content[0].value for e in feed.entries)
        status = json.loads((tmp_path / "public" / "status.json").read_text())
        assert status["feeds"]["north-korea"]["state"] == "healthy"


def test_check_live_judges_an_auto_feed_by_the_generic_chain(
    site_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's way to add a site (`site = "auto"`, then `check --live`) says OK when every story is."""
    with real_servers.serving(real_servers.KINDS[0], site_root, tmp_path / "server") as base:
        config = write_config(tmp_path, base + small_site.SECTION, site="auto")
        assert main(["check", "--live", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "stories via the generic chain" in out and "1 of 1 feed OK" in out
    assert "profile stopped matching" not in out and "fix the selectors" not in out
