"""A poll goes only where its feed points: every request and redirect hop stays on the feed's origins
(scheme, host and port), so a site cannot send it elsewhere or slip another site's page into the feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


def test_a_store_damaged_past_its_first_page_is_set_aside_and_rebuilt(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with SiteServer("koreaherald/current") as site:
        path = config(tmp_path, [site.url(LISTING)])
        assert main(["build", "--config", str(path)]) == 0
        state = tmp_path / "state" / "s.sqlite"
        size = state.stat().st_size
        assert size > 4 * 4096, "the store spans several pages"
        with state.open("r+b") as f:  # a disk error in the middle of the file, the header intact
            for offset in range(2 * 4096, size - 4096, 4096):
                f.seek(offset)
                f.write(b"\xff" * 4096)
        capfd.readouterr()
        assert main(["build", "--config", str(path)]) == 1
        err = capfd.readouterr().err
        assert "the state store is damaged" in err and "Traceback" not in err
        assert list(state.parent.glob("s.sqlite.damaged-*")), "the damaged store is kept for inspection"
        assert "<entry>" in (tmp_path / "public" / "feed-0.atom").read_text(), "the last good feed is kept"
        assert main(["build", "--config", str(path)]) == 0, "the next poll starts afresh"
        assert (tmp_path / "public" / "feed-0.atom").read_text().count("<entry>") >= 8
