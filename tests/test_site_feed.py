"""The site's own RSS as a second way to find stories, read safely (no entity expansion, no XXE)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from conftest import write_config
from support.site_server import FIXTURES, SiteServer

from feedgen_app.cli import main
from feedgen_app.discovery.discover import discover_from_site_feed
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

KH = profile_from_table("koreaherald", builtin_table("koreaherald"), "test")
RSS = (FIXTURES / "koreaherald/current/pages/rss-kh_National.xml").read_text()


def mirrored_rss(site: SiteServer) -> bytes:
    return RSS.replace("https://www.koreaherald.com", site.base).encode()


def test_site_feed_adds_stories_the_listing_page_lacks(tmp_path: Path, current_site: SiteServer) -> None:
    current_site.static("/rss/kh_National", mirrored_rss(current_site), "application/rss+xml")
    config = write_config(
        tmp_path,
        current_site.url("/National/North-Korea"),
        f'site_feed = "{current_site.url("/rss/kh_National")}"',
    )
    assert main(["build", "--config", str(config)]) == 0
    atom = (tmp_path / "public" / "north-korea.atom").read_text()
    assert atom.count("<entry>") == 10, "8 from page 1 of the listing, 2 more from the site's feed"
    assert "tag:koreaherald.com,2026:/article/10868701" in atom


def test_site_feed_keeps_a_feed_going_when_the_listing_layout_breaks(
    tmp_path: Path, current_site: SiteServer
) -> None:
    current_site.static("/rss/kh_National", mirrored_rss(current_site), "application/rss+xml")
    current_site.static(
        "/National/North-Korea", b"<html><body><p>New layout, links built by JavaScript</p></body></html>"
    )
    config = write_config(
        tmp_path,
        current_site.url("/National/North-Korea"),
        f'site_feed = "{current_site.url("/rss/kh_National")}"',
    )
    assert main(["build", "--config", str(config)]) == 1, "published but flagged"
    assert (tmp_path / "public" / "north-korea.atom").read_text().count("<entry>") == 10
    status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
    assert status["held"] is False and "no longer matches: listing" in status["last_error"]


def test_billion_laughs_is_not_expanded() -> None:
    laughs = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};">' for i in range(1, 40))
    hostile = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
        "<rss><channel><item><title>&l39;</title><link>https://www.koreaherald.com/article/1</link></item>"
        "</channel></rss>"
    )
    started = time.monotonic()
    found = discover_from_site_feed(Page("u", "https://www.koreaherald.com/rss/x", 200, hostile), KH)
    assert time.monotonic() - started < 1.0
    assert all(len(r.listing_text) < 300 for r in found.refs)


def test_external_entities_are_not_read() -> None:
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<rss><channel><item><title>Story &xxe;</title><link>https://www.koreaherald.com/article/1</link></item>"
        "</channel></rss>"
    )
    found = discover_from_site_feed(Page("u", "https://www.koreaherald.com/rss/x", 200, hostile), KH)
    assert [r.story_id for r in found.refs] == ["/article/1"]
    assert "root:" not in found.refs[0].listing_text


def test_junk_instead_of_xml_finds_nothing() -> None:
    assert (
        discover_from_site_feed(Page("u", "https://x/rss", 200, "<html>503 Service Unavailable"), KH).refs
        == ()
    )
    assert discover_from_site_feed(Page("u", "https://x/rss", 200, ""), KH).refs == ()
