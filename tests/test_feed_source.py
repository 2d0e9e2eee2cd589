"""Full text from any feed: a feed's `listing` may be a site's own RSS, Atom or JSON feed (partial, as most
are); every item's page goes through the profile and fallback chain, the item's title, date and authors
filling what the page lacks; items on another site are fetched from there."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from conftest import write_config
from support.site_server import SiteServer

from feedgen_app.cli import main
from feedgen_app.discovery.feed_items import feed_items, is_feed
from feedgen_app.records import Page

BODY = (
    "<p>The committee voted on Tuesday to extend the programme for another three years, its chair said.</p>"
    "<p>Members had argued for months over the cost, which the finance office put at 40 million dollars.</p>"
    "<p>The vote was 7 to 2. Both members who voted against it asked for a review of the figures.</p>"
)


def story_page(title: str, dated: bool) -> bytes:
    body = BODY.replace("committee", f"{title.split()[-1].lower()} committee").replace(
        "three years", f"{len(title)} years"
    )
    body += "".join(f"<p>{w.capitalize()} was the word of the day for {title}.</p>" for w in title.split())
    meta = '<meta property="article:published_time" content="2026-11-20T09:00:00+09:00">' if dated else ""
    return (
        f"<html><head><title>{title} | Example News</title>{meta}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Copyright Example News</footer></body></html>"
    ).encode()


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{u}</link><description>Only the first line…</description>"
        "<pubDate>Wed, 25 Nov 2026 08:30:00 +0000</pubDate><dc:creator>Jane Doe</dc:creator></item>"
        for t, u in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Example</title><link>https://example.org/</link>{body}</channel></rss>"
    ).encode()


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_each_feed_kind_gives_its_items_with_title_date_and_authors(kind: str) -> None:
    if kind == "rss":
        text = rss([("One", "https://a.test/news/1")]).decode()
    elif kind == "atom":
        text = (
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>One</title>'
            '<link rel="alternate" href="/news/1"/><published>2026-11-25T08:30:00Z</published>'
            "<author><name>Jane Doe</name></author></entry></feed>"
        )
    else:
        text = json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "items": [
                    {
                        "id": "1",
                        "url": "https://a.test/news/1",
                        "title": "One",
                        "date_published": "2026-11-25T08:30:00Z",
                        "authors": [{"name": "Jane Doe"}],
                    }
                ],
            }
        )
    page = Page("https://a.test/feed", "https://a.test/feed", 200, text, "text/xml")
    assert is_feed(page)
    [item] = feed_items(page) or []
    assert item.url == "https://a.test/news/1"
    assert item.hint.title == "One" and item.hint.authors == ("Jane Doe",)
    assert item.hint.published is not None and item.hint.published.isoformat() == "2026-11-25T08:30:00+00:00"


def test_an_html_page_is_not_a_feed() -> None:
    page = Page("u", "https://a.test/", 200, "<html><body><a href='/x'>x</a></body></html>")
    assert not is_feed(page) and feed_items(page) is None


def test_a_partial_rss_feed_becomes_full_text(tmp_path: Path) -> None:
    with SiteServer() as site, SiteServer(host="127.0.0.2") as elsewhere:
        for server in (site, elsewhere):
            server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        site.static("/news/budget-vote", story_page("Committee extends the programme", dated=True))
        site.static("/news/undated-story", story_page("A page that prints no date", dated=False))
        elsewhere.static("/story/partner", story_page("A partner's story", dated=True))
        items = [
            ("Committee extends the programme", site.url("/news/budget-vote")),
            ("Feed title of the undated story", site.url("/news/undated-story")),
            ("A partner's story", elsewhere.url("/story/partner")),
        ]
        site.static("/feed.xml", rss(items), "application/rss+xml")
        config = write_config(tmp_path, site.url("/feed.xml"), site="auto")
        assert main(["build", "--config", str(config)]) == 0
        entries = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes()).entries
        assert len(entries) == 3
        by_link = {e.link: e for e in entries}
        full = by_link[site.url("/news/budget-vote")]
        assert "The vote was 7 to 2" in full.content[0].value and "Copyright" not in full.content[0].value
        assert full.published == "2026-11-20T09:00:00+09:00", "the page's own date first"
        undated = by_link[site.url("/news/undated-story")]
        assert undated.published.startswith("2026-11-25T08:30:00"), "the item's date where the page has none"
        assert undated.author == "Jane Doe", "the item's author where the page has none"
        assert "The vote was 7 to 2" in by_link[elsewhere.url("/story/partner")].content[0].value
        status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
        assert status["state"] == "healthy" and status["field_sources"]["authors"] == {"feed-item": 3}


def test_feed_items_on_another_port_of_the_feeds_own_host_are_not_fetched(tmp_path: Path) -> None:
    """`http://site:<other port>/` beside the feed's own origin is another service (an admin page)."""
    with SiteServer() as site, SiteServer() as other_port:
        for server in (site, other_port):
            server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        site.static("/news/budget-vote", story_page("Committee extends the programme", dated=True))
        other_port.static("/admin/secret", story_page("An internal page", dated=True))
        items = [
            ("Committee extends the programme", site.url("/news/budget-vote")),
            ("An internal page", other_port.url("/admin/secret")),
        ]
        site.static("/feed.xml", rss(items), "application/rss+xml")
        config = write_config(tmp_path, site.url("/feed.xml"), site="auto")
        assert main(["build", "--config", str(config)]) == 0
        entries = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes()).entries
        assert [e.link for e in entries] == [site.url("/news/budget-vote")]
        assert not [r for r in other_port.requests if r.path != "/robots.txt"], (
            "nothing asked of the other port"
        )


def test_check_live_preview_and_save_page_treat_a_feed_listing_as_build_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's "full text from any feed" and "run check --live when you add a feed" agree."""
    with SiteServer() as site, SiteServer(host="127.0.0.2") as elsewhere:
        for server in (site, elsewhere):
            server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        site.static("/news/budget-vote", story_page("Committee extends the programme", dated=True))
        elsewhere.static("/story/partner", story_page("A partner's story", dated=True))
        items = [
            ("Committee extends the programme", site.url("/news/budget-vote")),
            ("A partner's story", elsewhere.url("/story/partner")),
        ]
        site.static("/feed.xml", rss(items), "application/rss+xml")
        config = write_config(tmp_path, site.url("/feed.xml"), site="auto")
        capsys.readouterr()
        assert main(["check", "--config", str(config), "--live"]) == 0
        out = capsys.readouterr().out
        assert "listing    OK    a feed: 2 items" in out and "no story links" not in out
        assert out.count("verdict    OK") == 2 and "NEEDS ATTENTION" not in out
        assert "1 of 1 feed OK" in out
        assert main(["preview", "--config", str(config), "north-korea"]) == 0
        out = capsys.readouterr().out
        assert "2 stories in the feed" in out and "A partner's story" in out
        assert (
            main(
                [
                    "save-page",
                    "--config",
                    str(config),
                    site.url("/feed.xml"),
                    "--site",
                    "auto",
                    "--dir",
                    str(tmp_path / "saved"),
                ]
            )
            == 0
        )
        expected = json.loads((tmp_path / "saved" / "auto" / "expected.json").read_text())
        assert next(iter(expected.values()))["kind"] == "feed"
        assert next(iter(expected.values()))["stories"] == ["/news/budget-vote", "/story/partner"]


def test_a_feed_listing_with_absurd_item_dates_publishes(tmp_path: Path) -> None:
    """Item dates of year one, with an offset of 99 hours, or garbage: the page's own dates are used."""
    with SiteServer() as site:
        site.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        site.static("/news/a", story_page("Committee extends the programme", dated=True))
        site.static("/news/b", story_page("A page that prints no date", dated=False))
        feed = rss([("One", site.url("/news/a")), ("Two", site.url("/news/b"))])
        feed = feed.replace(b"Wed, 25 Nov 2026 08:30:00 +0000", b"Mon, 01 Jan 0001 00:00:00 +9999", 1)
        feed = feed.replace(b"Wed, 25 Nov 2026 08:30:00 +0000", b"not a date", 1)
        site.static("/feed.xml", feed, "application/rss+xml")
        config = write_config(tmp_path, site.url("/feed.xml"), site="auto")
        assert main(["build", "--config", str(config)]) == 0
        entries = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes()).entries
        assert len(entries) == 2
        by_link = {e.link: e for e in entries}
        assert by_link[site.url("/news/a")].published == "2026-11-20T09:00:00+09:00"
