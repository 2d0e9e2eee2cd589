"""WebSub: with `[output] websub_hub`, every feed format names the hub, and a local hub server is pinged for a
feed's URL after a build that changed that feed's bytes, and only then; a failing hub is retried and never
fails the build."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest
from conftest import write_config
from support.site_server import FIXTURES, SiteServer

from feedgen_app.cli import main

LISTING = "/National/North-Korea"


class Hub:
    """A hub on 127.0.0.1 that records each ping's form, and answers with `statuses` in turn (then 204)."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.pings: list[dict[str, list[str]]] = []
        self.statuses = list(statuses or [])
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hub.pings.append(parse_qs(self.rfile.read(length).decode()))
                status = hub.statuses.pop(0) if hub.statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub()
    yield server
    server.close()


def configured(tmp_path: Path, site: SiteServer, hub_url: str) -> Path:
    config = write_config(tmp_path, site.url(LISTING))
    text = config.read_text()
    text = text.replace("[output]\n", f'[output]\nwebsub_hub = "{hub_url}"\n', 1)
    text = text.replace('site = "koreaherald"', 'site = "koreaherald"\nformats = ["atom", "rss", "json"]')
    config.write_text(text)
    return config


def test_feeds_name_the_hub_and_a_changed_feed_is_pinged_once_a_quiet_build_not_at_all(
    tmp_path: Path, hub: Hub
) -> None:
    with SiteServer("koreaherald/current") as site:
        config = configured(tmp_path, site, hub.url)
        assert main(["build", "--config", str(config)]) == 0
        public = tmp_path / "public"
        atom = feedparser.parse((public / "north-korea.atom").read_bytes()).feed
        assert any(link.rel == "hub" and link.href == hub.url for link in atom.links)
        assert f'<atom:link href="{hub.url}" rel="hub"/>' in (public / "north-korea.rss").read_text()
        assert json.loads((public / "north-korea.json").read_text())["hubs"] == [
            {"type": "WebSub", "url": hub.url}
        ]
        pinged = sorted(p["hub.url"][0] for p in hub.pings)
        assert pinged == [f"https://example.github.io/feeds/north-korea.{s}" for s in ("atom", "json", "rss")]
        assert all(p["hub.mode"] == ["publish"] for p in hub.pings)

        hub.pings.clear()
        assert main(["build", "--config", str(config)]) == 0
        assert hub.pings == [], "nothing changed: nothing to tell"

        page = (FIXTURES / "koreaherald/current/pages/article-10871768.html").read_text()
        revised = page.replace("in its first launch in about three weeks", "in its second launch this month")
        site.static("/article/10871768", revised.encode())
        listing = (FIXTURES / "koreaherald/current/pages/listing-north-korea-1.html").read_text()
        site.static(
            LISTING, listing.replace("N. Korea fires short-range", "UPDATED: N. Korea fires").encode()
        )
        assert main(["build", "--config", str(config)]) == 0
        assert len(hub.pings) == 3, "a revised story changes every format's bytes: one ping each"


def test_a_failing_hub_is_retried_and_never_fails_the_build(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    flaky = Hub(statuses=[503, 503])  # the first ping succeeds on its third try
    try:
        with SiteServer("koreaherald/current") as site:
            config = configured(tmp_path, site, flaky.url)
            assert main(["build", "--config", str(config)]) == 0
            assert len(flaky.pings) == 3 + 2, "two retries for the first file, one ping for each other"
    finally:
        flaky.close()
    with SiteServer("koreaherald/current") as site:
        (tmp_path / "down").mkdir()
        config = configured(tmp_path / "down", site, "http://127.0.0.1:9/hub")  # nothing listens
        assert main(["build", "--config", str(config)]) == 0, "a hub that is down never fails the build"
        assert "WebSub hub http://127.0.0.1:9/hub was not told of" in capfd.readouterr().err
