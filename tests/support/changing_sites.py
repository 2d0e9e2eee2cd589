"""Local news sites that keep publishing: each section of a site gains a new story every `period` seconds
and lists its newest ten, in the Korea Herald's layout (the stories are the fixture's pages under new
numbers). For tests and benches of a daemon under write load: what each listing showed and when is kept,
so a story that was listed and never published can be named."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from support.site_server import FIXTURES, Request, Response, SiteServer

SOURCES = sorted((FIXTURES / "koreaherald/current/pages").glob("article-*.html"))
SHOWN = 10
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


class ChangingSite:
    def __init__(self, server: SiteServer, sections: int, period: float) -> None:
        self.server = server
        self.sections = sections
        self.period = period
        self.started = time.monotonic()
        self.listed: dict[str, float] = {}  # story path -> when a listing first named it
        self._lock = threading.Lock()
        server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        for s in range(sections):
            server.route(f"/section-{s}", lambda r, s=s: self._listing(r, s))
        server.fallback = self._story
        self._pages = [p.read_text() for p in SOURCES]

    def listing_url(self, section: int) -> str:
        return self.server.url(f"/section-{section}")

    def _numbers(self, section: int) -> list[int]:
        newest = int((time.monotonic() - self.started) / self.period) + SHOWN
        return [section * 1_000_000 + n for n in range(max(0, newest - SHOWN), newest)]

    def _listing(self, req: Request, section: int) -> Response:
        numbers = self._numbers(section)
        now = time.monotonic()
        with self._lock:
            for n in numbers:
                self.listed.setdefault(f"/article/{n}", now)
        items = "".join(f'<li><a href="/article/{n}">Story {n}</a></li>' for n in reversed(numbers))
        body = (
            "<html><body><section class='section_list'><article class='recent_news'><ul class='news_list'>"
            f"{items}</ul></article></section></body></html>"
        ).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if req.headers.get("if-none-match") == etag:
            return Response(304, b"", {"ETag": etag})
        return Response(200, body, {"Content-Type": "text/html; charset=utf-8", "ETag": etag})

    def _story(self, req: Request) -> Response:
        found = re.fullmatch(r"/article/(\d+)", req.path)
        if not found:
            return Response(404, b"<h1>Not found</h1>", {"Content-Type": "text/html"})
        number = int(found.group(1))
        source = SOURCES[number % len(SOURCES)]
        page = self._pages[number % len(SOURCES)].replace(source.stem.split("-")[1], str(number))
        # a headline, words and a time of its own, so two stories are never one story under two addresses
        # (in words: a text's likeness is read from its words, not its digits)
        name = " ".join(DIGITS[int(d)] for d in str(number))
        body_at = page.find("articleText")
        token = name.replace(" ", "")  # in every run of five words: two stories share none
        page = page[:body_at] + re.sub(r"((?:\b\w+ ){3})", rf"\1{token} ", page[body_at:])
        when = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=number % 1_000_000)
        page = re.sub(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d", f"{when:%Y-%m-%dT%H:%M:%S}", page)
        page = re.sub(r"Published : [^<]+", f"Published : {when:%b}. {when.day}, {when:%Y - %H:%M}", page)
        page = re.sub(r"<title>", f"<title>Story {name}: ", page, count=1)
        page = re.sub(r"(<h1[^>]*>)", rf"\1Story {name}: ", page, count=1)
        return Response(200, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def listed_before(self, moment: float) -> set[str]:
        with self._lock:
            return {path for path, when in self.listed.items() if when <= moment}


def published(atom: Path) -> set[str]:
    """The story paths a feed file links to."""
    if not atom.exists():
        return set()
    return set(re.findall(r'href="https?://[^"/]+(/article/\d+)"', atom.read_text()))
