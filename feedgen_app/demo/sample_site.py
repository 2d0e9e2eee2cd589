"""The demo's sample site, "The Harbour Gazette": a home page, a page per section and a page per story, as a
small news site writes them (a menu, a byline and a date line, a lead picture with its caption, a most-read
box, related stories, a footer), from `stories.toml`. The stories marked `hours_ago` are there from the
start; those marked `order` appear one every `period` seconds, so a reader sees an update arrive.

`pages(now)` is pure (the clock is handed in); `SampleSite.serve()` puts the pages on 127.0.0.1 with ETags
and 304s, as a real site answers a polite client.
"""

from __future__ import annotations

import hashlib
import html
import json
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

from feedgen_app.demo.pictures import picture

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SampleStory:
    section: str
    slug: str
    title: str
    author: str
    caption: str
    paragraphs: tuple[str, ...]
    published: datetime

    @property
    def path(self) -> str:
        return f"/{self.section}/{self.published:%Y/%m/%d}/{self.slug}.html"


@dataclass(frozen=True)
class Section:
    key: str
    name: str
    hue: int


def load(start: datetime, period: float) -> tuple[str, dict[str, Section], list[SampleStory]]:
    """The site's title, sections and every story with its time: `hours_ago` before `start`, or the
    `order`-th `period` after it."""
    data: dict[str, Any] = tomllib.loads(
        (resources.files("feedgen_app") / "demo" / "stories.toml").read_text(encoding="utf-8")
    )
    sections = {k: Section(k, v["name"], int(v["hue"])) for k, v in data["sections"].items()}
    stories = []
    for item in data["stories"]:
        if "hours_ago" in item:
            when = start - timedelta(hours=float(item["hours_ago"]))
        else:
            when = start + timedelta(seconds=period * int(item["order"]))
        stories.append(
            SampleStory(
                item["section"],
                item["slug"],
                item["title"],
                item["author"],
                item["caption"],
                tuple(item["paragraphs"]),
                when.replace(second=0, microsecond=0),
            )
        )
    return str(data["title"]), sections, sorted(stories, key=lambda s: s.published, reverse=True)


STYLE = (
    "body{font:17px/1.5 Georgia,serif;max-width:60rem;margin:auto;padding:0 1rem}header nav a{margin-right:1rem}"
    ".grid{display:flex;gap:2rem}.grid main{flex:3}.grid aside{flex:1;font-size:.9rem}img{max-width:100%}"
)


class SampleSite:
    def __init__(self, clock: Clock, period: float = 60.0) -> None:
        self.clock = clock
        self.period = period
        self.start = clock()
        self.title, self.sections, self.stories = load(self.start, period)

    def published(self, now: datetime) -> list[SampleStory]:
        return [s for s in self.stories if s.published <= now]

    def still_to_come(self, now: datetime) -> int:
        return sum(1 for s in self.stories if s.published > now)

    # --- pages ------------------------------------------------------------------------------------
    def _frame(self, title: str, body: str, aside: str = "") -> str:
        menu = " ".join(f'<a href="/{s.key}/">{html.escape(s.name)}</a>' for s in self.sections.values())
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f'<body><header><p class="masthead"><a href="/">{html.escape(self.title)}</a></p>'
            f'<nav><a href="/">Home</a> {menu} <a href="/about.html">About</a> <a href="/subscribe.html">'
            f'Subscribe</a></nav></header><div class="grid"><main>{body}</main><aside>{aside}</aside></div>'
            '<footer><p>© The Harbour Gazette, a sample site of feedgen-app. <a href="/privacy.html">Privacy'
            '</a> · <a href="/contact.html">Contact us</a></p></footer></body></html>'
        )

    def _card(self, story: SampleStory) -> str:
        return (
            f'<article class="card"><h2><a href="{story.path}">{html.escape(story.title)}</a></h2>'
            f"<p>{html.escape(story.paragraphs[0][:160])}…</p>"
            f'<time datetime="{story.published.isoformat()}">{story.published:%d %B %Y, %H:%M}</time></article>'
        )

    def _most_read(self, now: datetime) -> str:
        oldest = sorted(self.published(now), key=lambda s: s.slug)[:4]
        items = "".join(f'<li><a href="{s.path}">{html.escape(s.title)}</a></li>' for s in oldest)
        return f'<div class="most-read"><h3>Most read</h3><ol>{items}</ol></div>'

    def listing(self, now: datetime, section: str | None = None) -> str:
        stories = [s for s in self.published(now) if section is None or s.section == section][:12]
        name = self.sections[section].name if section else "Latest news"
        body = f"<h1>{html.escape(name)}</h1>" + "".join(self._card(s) for s in stories)
        return self._frame(f"{name} | {self.title}", body, self._most_read(now))

    def story_page(self, story: SampleStory, now: datetime) -> str:
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "datePublished": story.published.isoformat(),
            "author": {"@type": "Person", "name": story.author},
            "image": f"/pictures/{story.slug}.png",
            "publisher": {"@type": "Organization", "name": self.title},
        }
        related = [s for s in self.published(now) if s.section == story.section and s is not story][:3]
        body = (
            f'<script type="application/ld+json">{json.dumps(data)}</script>'
            f'<article class="story"><h1>{html.escape(story.title)}</h1>'
            f'<p class="byline">By {html.escape(story.author)} · <time datetime="{story.published.isoformat()}">'
            f"{story.published:%d %B %Y, %H:%M} UTC</time></p>"
            f'<figure><img src="/pictures/{story.slug}.png" alt="{html.escape(story.caption)}" width="640" '
            f'height="360"><figcaption>{html.escape(story.caption)}</figcaption></figure>'
            + "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
            + '<div class="share">Share: <a href="/share?to=mail">Mail</a> <a href="/share?to=print">Print</a></div>'
            "</article>"
            '<section class="related"><h3>Related stories</h3><ul>'
            + "".join(f'<li><a href="{s.path}">{html.escape(s.title)}</a></li>' for s in related)
            + "</ul></section>"
        )
        return self._frame(f"{story.title} | {self.title}", body, self._most_read(now))

    def page(self, path: str, now: datetime) -> tuple[int, str, bytes]:
        """(status, content type, body) of the page at `path` as the site shows it at `now`."""
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", b"User-agent: *\nDisallow: /share\n"
        if path in ("/", "/index.html"):
            return 200, "text/html; charset=utf-8", self.listing(now).encode()
        if path.strip("/") in self.sections and path.endswith("/"):
            return 200, "text/html; charset=utf-8", self.listing(now, path.strip("/")).encode()
        if path.startswith("/pictures/") and path.endswith(".png"):
            slug = path[len("/pictures/") : -4]
            story = next((s for s in self.stories if s.slug == slug), None)
            if story is not None:
                return 200, "image/png", picture(slug, self.sections[story.section].hue)
        story = next((s for s in self.published(now) if s.path == path), None)
        if story is not None:
            return 200, "text/html; charset=utf-8", self.story_page(story, now).encode()
        return 404, "text/html; charset=utf-8", self._frame("Not found", "<h1>Not found</h1>").encode()

    # --- serving ----------------------------------------------------------------------------------
    def serve(self) -> ThreadingHTTPServer:
        """The site on 127.0.0.1, a free port, in a thread of its own; `shutdown()` the server to stop."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "HarbourGazette/1.0"
            sys_version = ""

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                now = site.clock().astimezone(UTC)
                status, content_type, body = site.page(self.path.split("?", 1)[0], now)
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", format_datetime(now.replace(microsecond=0), usegmt=True))
                self.end_headers()
                self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, args=(0.2,), name="sample-site", daemon=True).start()
        return server
