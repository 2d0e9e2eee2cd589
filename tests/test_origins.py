"""A poll goes only where its feed points: every request and redirect hop stays on the feed's origins
(scheme, host and port), so a site cannot send it elsewhere or slip another site's page into the feed."""

from __future__ import annotations

import json
from pathlib import Path

from support.feeds_config import LISTING, config
from support.site_server import Response, SiteServer

from feedgen_app.cli import main

STORY = "/article/10871768"


def redirect(to: str) -> object:
    return lambda _r: Response(302, b"", {"Location": to})


def test_a_story_redirected_to_another_port_is_not_fetched(tmp_path: Path) -> None:
    with SiteServer("koreaherald/current") as site, SiteServer("koreaherald/current") as elsewhere:
        site.route(STORY, redirect(elsewhere.url(STORY)))  # type: ignore[arg-type]
        path = config(tmp_path, [site.url(LISTING)])
        main(["build", "--config", str(path)])
        assert elsewhere.count() == 0, "nothing asked of the other site"
        feed = (tmp_path / "public" / "feed-0.atom").read_text()
        assert feed.count("<entry>") >= 7 and elsewhere.base not in feed
        status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["feed-0"]
        assert status["held"] is False


def test_a_listing_moved_to_another_site_holds_the_feed(tmp_path: Path) -> None:
    with SiteServer("koreaherald/current") as site, SiteServer("koreaherald/current") as elsewhere:
        path = config(tmp_path, [site.url(LISTING)])
        assert main(["build", "--config", str(path)]) == 0
        site.route(LISTING, redirect(elsewhere.url(LISTING)))  # type: ignore[arg-type]
        assert main(["build", "--config", str(path)]) == 1
        status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["feed-0"]
        assert status["held"] is True and "outside the feed's site" in status["last_error"]
        assert elsewhere.count() == 0
        assert "<entry>" in (tmp_path / "public" / "feed-0.atom").read_text(), "the last good feed is kept"
