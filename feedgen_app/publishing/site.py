"""The published folder's other files: `index.html` (every feed, its health and newest stories, one-click
subscribe links), `feeds.opml` (import every feed at once) and `feed.xsl` (a readable page when a browser
opens a feed). Deterministic: the same store gives the same bytes, so a quiet poll rewrites nothing."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from html import escape
from importlib import resources
from xml.sax.saxutils import quoteattr

from feedgen_app.config import Config, FeedConfig
from feedgen_app.publishing.render import RENDERERS, entry_of
from feedgen_app.publishing.status import ATTENTION, BLOCKED, HEALTHY, health
from feedgen_app.storage.store import Store

INDEX_STORIES = 5
_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml", "json": "application/feed+json"}


def _feed_url(config: Config, feed: FeedConfig, fmt: str = "atom") -> str:
    return config.base_url + feed.id + RENDERERS[fmt][0]


def _time(when: datetime, zone: tzinfo) -> str:
    """A date a person reads, in the site's zone (the profile's; UTC with none), so one feed's times are
    never a mix of offsets: 2026-11-26 10:15 (+09:00)."""
    when = when.astimezone(zone)
    offset = when.strftime("%z")
    shown = f"{offset[:3]}:{offset[3:]}" if offset and offset != "+0000" else "UTC"
    return f'<time datetime="{when.isoformat()}">{when:%Y-%m-%d %H:%M} ({shown})</time>'


_FORMAT_NAMES = {"rss": "RSS 2.0", "json": "JSON Feed"}


def _with_code(text: str) -> str:
    """A message for a person, escaped, its `commands` set as code (not shown with their backticks)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def index_html(config: Config, store: Store) -> bytes:
    links = []
    sections = []
    for feed in config.feeds:
        for fmt in feed.formats:
            links.append(
                f'<link rel="alternate" type="{_TYPES[fmt]}" title={quoteattr(feed.title)} '
                f'href="{escape(_feed_url(config, feed, fmt))}">'
            )
        state, why = health(store, feed.id)
        stored = store.feed_stories(feed.id, INDEX_STORIES)
        entries = [entry_of(s, feed) for s in stored]
        items = "\n".join(
            f'<li><a href="{escape(e.url)}">{escape(e.title)}</a> {_time(e.published, feed.profile.zone)}</li>'
            for e in entries
        )
        updated = _time(max(e.updated for e in entries), feed.profile.zone) if entries else "never"
        others = [f for f in feed.formats if f != "atom"]  # a JSON file opens as raw text: an address to copy
        formats = "".join(
            f' · {_FORMAT_NAMES[f]}: <code class="address">{escape(_feed_url(config, feed, f))}</code>'
            for f in others
        )
        css = {HEALTHY: "ok", ATTENTION: "warn", BLOCKED: "blocked"}.get(state, "bad")
        said = "Healthy" if state == HEALTHY else f"{state.capitalize()}: {_with_code(why)}"
        sections.append(f"""<section class="feed">
<h2>{escape(feed.title)}</h2>
<p class="health {css}">{said}</p>
<p>Subscribe: <a class="subscribe" href="{escape(_feed_url(config, feed))}">{escape(_feed_url(config, feed))}</a>
(copy this address into your feed reader){formats}</p>
<p>Source: <a href="{escape(feed.listing)}">{escape(feed.listing)}</a> · Last story update: {updated}</p>
<ul>
{items or "<li>No stories yet.</li>"}
</ul>
</section>""")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(config.title)}</title>
<link rel="icon" href="data:,">
{chr(10).join(links)}
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><h1>{escape(config.title)}</h1>
<p>Full-text feeds, built by feedgen-app. Add a feed's address to your reader, or import
<a href="feeds.opml">all feeds at once (OPML)</a>. Feed health: <a href="status.json">status.json</a>.</p></header>
<main>
{chr(10).join(sections)}
</main>
</body>
</html>
"""
    return page.encode()


def feeds_opml(config: Config) -> bytes:
    outlines = "\n".join(
        f'    <outline type="rss" text={quoteattr(f.title)} title={quoteattr(f.title)} '
        f"xmlUrl={quoteattr(_feed_url(config, f))} htmlUrl={quoteattr(f.listing)}/>"
        for f in config.feeds
    )
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>{escape(config.title)}</title>
  </head>
  <body>
{outlines}
  </body>
</opml>
"""
    return doc.encode()


def _asset(name: str) -> bytes:
    return (resources.files("feedgen_app") / "assets" / name).read_bytes()


def site_files(config: Config, store: Store) -> dict[str, bytes]:
    return {
        "index.html": index_html(config, store),
        "feeds.opml": feeds_opml(config),
        "feed.xsl": _asset("feed.xsl"),
        "style.css": _asset("style.css"),
    }
