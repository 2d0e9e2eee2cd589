"""Every framing real servers use, against the local server speaking each (support.site_server.FRAMINGS):
HTTP/1.0 and 1.1, kept-alive and closed connections, bodies told by a length, by chunks or by the close,
gzip, deflate and brotli, 1xx interim answers first, and a server that closes a kept-alive connection
that idled between two requests. The fetcher reads the same page from each, robots.txt first."""

from __future__ import annotations

import itertools
import time

import pytest
from support.site_server import FRAMINGS, Response, SiteServer

from feedgen_app.config import HttpConfig
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session

PAGE = (
    "<html><body>"
    + "".join(f"<p>Paragraph {n} of the story, with ünïcödé.</p>" for n in range(200))
    + "</body></html>"
)
SMALL = "<html><body><p>Short.</p></body></html>"


def fetcher() -> Fetcher:
    config = HttpConfig(min_delay=0.0, retries=0, connect_timeout=2.0, read_timeout=2.0, deadline=30)
    return Fetcher(config, new_session(config.user_agent)).for_poll()


@pytest.mark.parametrize(
    ("framing", "coding", "interim"),
    list(itertools.product(FRAMINGS, ["gzip", "deflate", "br", ""], [(), (100,), (103,), (102, 103)])),
)
def test_a_page_whatever_its_framing_coding_and_interim_answers(
    framing: str, coding: str, interim: tuple[int, ...]
) -> None:
    with SiteServer(framing=framing, coding=coding) as site:
        site.static("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
        for path, body in (("/story", PAGE), ("/short", SMALL)):
            site.route(
                path,
                lambda r, b=body: Response(
                    200, b.encode(), {"Content-Type": "text/html; charset=utf-8"}, interim=interim
                ),
            )
        f = fetcher()
        assert f.get(site.url("/story")).text == PAGE
        assert f.get(site.url("/short")).text == SMALL
        assert f.get(site.url("/story")).text == PAGE
        assert site.paths() == ["/robots.txt", "/story", "/short", "/story"]
        if coding:
            assert site.requests[1].headers["accept-encoding"].count(coding) == 1


@pytest.mark.parametrize("framing", ["keep-alive", "chunked"])
def test_a_kept_alive_connection_the_server_closed_while_idle(framing: str) -> None:
    with SiteServer(framing=framing, idle_close=0.2) as site:
        site.static("/robots.txt", b"", "text/plain")
        site.static("/a", PAGE.encode())
        f = fetcher()
        for _ in range(3):
            assert f.get(site.url("/a")).text == PAGE
            time.sleep(0.5)  # the server has closed the connection by now
        assert site.count("/a") == 3
