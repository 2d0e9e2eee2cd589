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
from feedgen_app.publishing.status import ATTENTION, BLOCKED, HEALTHY, PENDING, state_of
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


_FORMAT_NAMES = {"atom": "Atom", "rss": "RSS 2.0", "json": "JSON Feed"}
_SUBSCRIBE = ' class="subscribe"'  # the Atom link: what a person subscribes to first


def _with_code(text: str) -> str:
    """A message for a person, escaped, its `commands` set as code (not shown with their backticks)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text))


def _facts(feed: FeedConfig, record: dict[str, object], updated: str) -> str:
    """When the feed was last checked and last changed, what its last poll did, and its source: short
    facts that wrap as a whole on a narrow screen."""
    checked = record.get("last_attempt")
    when = _time(datetime.fromisoformat(str(checked)), feed.profile.zone) if checked else "not yet"
    poll = record.get("last_poll")
    did = ""
    if isinstance(poll, dict):
        did = f"{poll.get('new', 0)} new, {poll.get('revised', 0)} revised, {poll.get('failed', 0)} failed"
        if poll.get("filtered") or feed.include or feed.exclude:
            did += f", {poll.get('filtered', 0)} filtered"
    facts = [("Last checked", when), ("Last changed", updated)]
    if did:
        facts.append(("Last poll", escape(did)))
    facts.append(("Source", f'<a href="{escape(feed.listing)}">{escape(feed.listing)}</a>'))
    return "\n".join(f"<div><dt>{name}</dt><dd>{value}</dd></div>" for name, value in facts)


def _subscribe(config: Config, feed: FeedConfig, published: bool) -> str:
    """Links to every format the feed publishes, and the address to copy; none before its first file."""
    if not published:
        return (
            '<p class="unpublished">Not published yet: there is nothing to subscribe to until a poll of it '
            "succeeds (see above).</p>"
        )
    links = " · ".join(
        f'<a{_SUBSCRIBE if fmt == "atom" else ""} href="{escape(_feed_url(config, feed, fmt))}" '
        f'type="{_TYPES[fmt]}">{_FORMAT_NAMES[fmt]}</a>'
        for fmt in feed.formats
    )
    first = _feed_url(config, feed, feed.formats[0])
    return (
        f'<p class="formats">Subscribe: {links}</p>\n'
        f'<p class="copy">Or copy into your reader: <code class="address">{escape(first)}</code></p>'
    )


def index_html(config: Config, store: Store, published: frozenset[str] = frozenset()) -> bytes:
    """The index; `published`: the feeds whose files exist (the others get no subscribe link)."""
    links = []
    sections = []
    for feed in config.feeds:
        if feed.id in published:
            for fmt in feed.formats:
                links.append(
                    f'<link rel="alternate" type="{_TYPES[fmt]}" title={quoteattr(feed.title)} '
                    f'href="{escape(_feed_url(config, feed, fmt))}">'
                )
        record = store.feed_status(feed.id)
        state, why = state_of(record)
        stored = store.feed_stories(feed.id, INDEX_STORIES)
        entries = [entry_of(s, feed) for s in stored]
        items = "\n".join(
            f'<li><a href="{escape(e.url)}">{escape(e.title)}</a> {_time(e.published, feed.profile.zone)}</li>'
            for e in entries
        )
        updated = _time(max(e.updated for e in entries), feed.profile.zone) if entries else "never"
        css = {HEALTHY: "ok", ATTENTION: "warn", BLOCKED: "blocked", PENDING: "pending"}.get(state, "bad")
        said = "Healthy" if state == HEALTHY else f"{state.capitalize()}: {_with_code(why)}"
        sections.append(f"""<section class="feed" id="feed-{escape(feed.id)}">
<h2>{escape(feed.title)}</h2>
<p class="health {css}">{said}</p>
{_subscribe(config, feed, feed.id in published)}
<dl class="facts">
{_facts(feed, record, updated)}
</dl>
<ul class="stories">
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
<a href="feeds.opml">all published feeds at once (OPML)</a>. Feed health: <a href="status.json">status.json</a>.</p></header>
<main>
{chr(10).join(sections)}
</main>
</body>
</html>
"""
    return page.encode()


def feeds_opml(config: Config, published: frozenset[str] = frozenset()) -> bytes:
    """Every published feed (a feed whose file does not exist yet would be a broken subscription)."""
    outlines = "\n".join(
        f'    <outline type="rss" text={quoteattr(f.title)} title={quoteattr(f.title)} '
        f"xmlUrl={quoteattr(_feed_url(config, f, f.formats[0]))} htmlUrl={quoteattr(f.listing)}/>"
        for f in config.feeds
        if f.id in published
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


def files_present(config: Config, feed: FeedConfig) -> bool:
    """Every file of the feed is in the output folder."""
    return all((config.output_dir / f"{feed.id}{RENDERERS[fmt][0]}").is_file() for fmt in feed.formats)


def published_feeds(config: Config) -> frozenset[str]:
    return frozenset(f.id for f in config.feeds if files_present(config, f))


def site_files(config: Config, store: Store) -> dict[str, bytes]:
    published = published_feeds(config)
    return {
        "index.html": index_html(config, store, published),
        "feeds.opml": feeds_opml(config, published),
        "feed.xsl": _asset("feed.xsl"),
        "style.css": _asset("style.css"),
    }
