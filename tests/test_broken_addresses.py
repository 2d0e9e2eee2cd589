"""Addresses that cannot name anything (an unclosed IPv6 bracket, a port out of range, junk) in every place a
page, a feed or a server can put one: `<base>`, links, pictures (src, srcset, lazy attributes), frames,
canonical and OpenGraph addresses, JSON-LD, a site feed's items, a redirect's Location, and a request path
to the built-in server. Each is treated as absent: the story, the listing, the fetch and the server go on."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.site_server import Response, SiteServer

from feedgen_app.address_kind import address_kind, address_template
from feedgen_app.config import HttpConfig
from feedgen_app.discovery.discover import discover_from_site_feed, listing_stories
from feedgen_app.dom import base_url, parse
from feedgen_app.errors import FetchError
from feedgen_app.extraction.extract import extract_story
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.publishing.serve import start_server
from feedgen_app.records import Page
from feedgen_app.urls import absolute, canonical, host_of, is_story_url, origin, path_and_query, web_address

AUTO = profile_from_table("auto", builtin_table("auto"), "auto")
# addresses a browser refuses: a page that holds one has no such link, picture or base
INVALID = [
    "http://[::1",
    "http://[::1/x",
    "https://[zz]/i.jpg",
    "http://x.test:99999/",
    "http://x.test:-1/",
    "http://x.test:port/",
    "http://[::1]]/",
    "//[",
    "http://a:b@[::1/",
    "http:///",
    "http://%zz/",
    "http://exa mple.test/a b",
]
# and addresses that name no web page, or that no page means
BROKEN = [
    *INVALID,
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "https://cdn.example.test/" + "a" * 20_000,
    "\x00http://x\x00",
]
TEXT = "".join(
    f"<p>The harbour council met on Thursday and voted on item {i} of the agenda.</p>" for i in range(5)
)
PLACES = {
    "base": "<base href='{u}'>",
    "canonical": "<link rel='canonical' href='{u}'>",
    "og:image": "<meta property='og:image' content='{u}'>",
    "og:url": "<meta property='og:url' content='{u}'>",
    "json-ld": '<script type="application/ld+json">{{"@type":"NewsArticle","headline":"A story","url":"{u}",'
    '"image":"{u}","author":{{"@type":"Person","name":"Mina Park","url":"{u}"}},'
    '"datePublished":"2026-11-20T09:00:00Z"}}</script>',
}
BODY_PLACES = {
    "link": "<a href='{u}'>a link</a>",
    "img": "<img src='{u}' alt='x'>",
    "srcset": "<img src='/ok.jpg' srcset='{u} 2x, {u} 640w'>",
    "lazy": "<img data-src='{u}' data-original='{u}'>",
    "picture": "<picture><source srcset='{u}'><img src='{u}'></picture>",
    "iframe": "<iframe src='{u}'></iframe>",
    "video": "<video poster='{u}' src='{u}'></video>",
}


def story(head: str = "", body: str = "") -> Page:
    text = f"<html><head><title>A story</title>{head}</head><body><article><h1>A story</h1>{body}{TEXT}</article></body></html>"
    return Page(
        "https://news.example.test/2026/11/20/a-story",
        "https://news.example.test/2026/11/20/a-story",
        200,
        text,
    )


@pytest.mark.parametrize("address", BROKEN)
@pytest.mark.parametrize("place", [*PLACES, *BODY_PLACES])
def test_a_story_with_a_broken_address_anywhere(place: str, address: str) -> None:
    quoted = address.replace("'", "%27").replace('"', "%22")
    head = PLACES[place].format(u=quoted) if place in PLACES else ""
    body = BODY_PLACES[place].format(u=quoted) if place in BODY_PLACES else ""
    got = extract_story(
        story(head, body),
        AUTO,
        "https://news.example.test/2026/11/20/a-story",
        "s",
        now=datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert "item 4 of the agenda" in got.body_text
    assert "[::1" not in got.body_html and ":99999" not in got.body_html
    assert got.image is None or got.image.url.startswith(("http://", "https://"))


@pytest.mark.parametrize("address", INVALID)
def test_a_listing_with_broken_addresses(address: str) -> None:
    quoted = address.replace("'", "%27")
    links = "".join(
        f"<li><a href='/2026/11/2{n}/story-number-{n}'>Harbour talks end with a deal, day {n}</a></li>"
        for n in range(4)
    )
    text = f"<html><head><base href='{quoted}'></head><body><ul>{links}<li><a href='{quoted}'>A broken link to a story here</a></li></ul></body></html>"
    page = Page("https://news.example.test/world/", "https://news.example.test/world/", 200, text)
    found = listing_stories(page, AUTO)
    assert len(found.refs) == 4


@pytest.mark.parametrize("address", INVALID)
def test_a_site_feed_with_broken_item_links(address: str) -> None:
    escaped = address.replace("&", "&amp;").replace("<", "&lt;").replace("\x00", "")
    items = f"<item><title>Broken</title><link>{escaped}</link></item>" + "".join(
        f"<item><title>Story {n}</title><link>https://news.example.test/2026/11/2{n}/story-{n}</link></item>"
        for n in range(3)
    )
    rss = f"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title>{items}</channel></rss>"
    page = Page(
        "https://news.example.test/rss",
        "https://news.example.test/rss",
        200,
        rss,
        content_type="application/rss+xml",
    )
    assert len(discover_from_site_feed(page, AUTO, any_link=True).refs) == 3


@pytest.mark.parametrize("address", BROKEN)
def test_the_address_helpers_never_raise(address: str) -> None:
    for fn in (host_of, origin, path_and_query, address_kind, address_template):
        fn(address)
    is_story_url(address, AUTO)
    web_address("/x", address)
    if address in INVALID:
        assert canonical(address, AUTO) == "" and origin(address) == ""
        assert absolute(address, "https://news.example.test/") == ""
        page = parse(f"<html><head><base href='{address}'></head></html>")
        assert base_url(page, "https://n.test/") == "https://n.test/"


@given(st.text(max_size=60))
def test_no_text_makes_an_address_helper_raise(text: str) -> None:
    for fn in (host_of, origin, path_and_query, address_kind, address_template):
        fn(text)
        fn("http://" + text)
    canonical("http://" + text, AUTO)
    absolute(text, "https://news.example.test/a/")
    absolute("/x", "http://" + text)


@pytest.mark.parametrize("address", ["http://[::1", "http://x.test:99999/", "http://%zz/", "//["])
def test_a_redirect_to_a_broken_address_is_a_fetch_error(address: str) -> None:
    with SiteServer() as site:
        site.static("/robots.txt", b"", "text/plain")
        site.route("/moved", lambda r: Response(302, b"", {"Location": address}))
        config = HttpConfig(min_delay=0, retries=0)
        fetcher = Fetcher(config, new_session(config.user_agent)).for_poll(origins=[site.base])
        with pytest.raises(FetchError):
            fetcher.get(site.url("/moved"))
        fetcher = Fetcher(config, new_session(config.user_agent))
        with pytest.raises(FetchError):
            fetcher.get(site.url("/moved"))


def test_the_server_answers_a_broken_request_path(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "index.html").write_text("<p>hi</p>")
    server = start_server(folder, "127.0.0.1:0")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path in ("//[::1/x", "/x:99999/", "http://[::1", "/%zz"):
            with socket.create_connection(server.server_address[:2], timeout=5) as conn:
                conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
                answer = conn.recv(100)
            assert answer.startswith((b"HTTP/1.0 4", b"HTTP/1.1 4")), (path, answer)
        with socket.create_connection(server.server_address[:2], timeout=5) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert json.loads(conn.recv(65536).split(b"\r\n\r\n", 1)[1] or b"{}") is not None
    finally:
        server.shutdown()
        server.server_close()
