"""Rendering: a feed's stored stories in, feed documents (bytes) out: Atom 1.0, RSS 2.0, JSON Feed 1.1.

Same stories in, same bytes out: no build times anywhere. A feed's `updated` is its newest entry's; an
entry's `updated` is the site's, or the time this tool saw its text change. Works around feedgen 1.0.0's
traps (see docs/decisions.md): entries appended in order, content as type="html", summaries with
`summary()`, every datetime aware and set explicitly, control characters stripped.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr

from feedgen.feed import FeedGenerator

from feedgen_app import __version__
from feedgen_app.config import FeedConfig
from feedgen_app.extraction.clean import strip_control
from feedgen_app.records import StoredStory
from feedgen_app.urls import tag_uri

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
STYLESHEET = "feed.xsl"


@dataclass(frozen=True)
class Entry:
    id: str
    url: str
    title: str
    authors: tuple[str, ...]
    published: datetime
    updated: datetime
    summary: str
    content_html: str
    image: str | None


def entry_of(stored: StoredStory, feed: FeedConfig) -> Entry:
    story = stored.story
    published = story.published or stored.first_seen
    updated = story.updated or published
    site_says = story.updated is not None and story.updated > published
    if not site_says and stored.changed_at > updated and stored.changed_at > stored.first_seen:
        updated = stored.changed_at  # revised after we first saw it, and the site did not say when
    parts = []
    if story.image:
        # a caption describes the photo under it: an alt text repeating it would be read, or shown for a
        # broken image, twice
        said = story.image.alt if story.image.alt != story.image.caption else ""
        alt = html.escape(said, quote=True)
        cap = f"<figcaption>{html.escape(story.image.caption)}</figcaption>" if story.image.caption else ""
        parts.append(
            f'<figure><img src="{html.escape(story.image.url, quote=True)}" alt="{alt}" '
            f'referrerpolicy="no-referrer">{cap}</figure>'
        )
    parts.append(story.body_html)
    summary = story.subtitle or story.summary
    return Entry(
        id=tag_uri(stored.key_url or story.url, feed.profile, feed.listing),
        url=story.url,
        title=strip_control(story.title),
        authors=tuple(strip_control(a) for a in story.authors),
        published=published,
        updated=max(updated, published),
        summary=strip_control(summary),
        content_html=strip_control("\n".join(parts)),
        image=story.image.url if story.image else None,
    )


def feed_updated(entries: Sequence[Entry]) -> datetime:
    return max((e.updated for e in entries), default=EPOCH)


def _generator(
    feed: FeedConfig, self_url: str, entries: Sequence[Entry], site_name: str, hub: str | None
) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(strip_control(feed.title))
    fg.link(href=self_url, rel="self", type="application/atom+xml")
    if hub:  # WebSub: readers that subscribe to the hub are told of a new version at once
        fg.link(href=hub, rel="hub")
    fg.link(href=feed.listing, rel="alternate", type="text/html")
    fg.author({"name": site_name})
    fg.generator("feedgen-app", version=__version__)
    fg.updated(feed_updated(entries))
    fg.language("en")
    return fg


def render_atom(
    feed: FeedConfig, entries: Sequence[Entry], self_url: str, site_name: str, hub: str | None = None
) -> bytes:
    fg = _generator(feed, self_url, entries, site_name, hub)
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(e.id)
        fe.title(e.title)
        fe.link(href=e.url, rel="alternate", type="text/html")
        fe.published(e.published)
        fe.updated(e.updated)
        for name in e.authors:
            fe.author({"name": name})
        if e.summary:
            fe.summary(e.summary)
        fe.content(e.content_html, type="html")
    return _styled(fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True))


def _styled(xml: bytes) -> bytes:
    """The feed with feed.xsl named, so a browser opening it shows a page; readers ignore it."""
    declaration, _, rest = xml.partition(b"?>")
    stylesheet = f'\n<?xml-stylesheet type="text/xsl" href="{STYLESHEET}"?>'.encode()
    return declaration + b"?>" + stylesheet + rest


def render_rss(
    feed: FeedConfig, entries: Sequence[Entry], self_url: str, site_name: str, hub: str | None = None
) -> bytes:
    fg = _generator(feed, self_url, entries, site_name, hub)
    fg.description(strip_control(f"{feed.title}: full-text stories from {feed.listing}"))
    # feedgen writes the last link added as the channel's <link>: the site, so a reader opens the site
    fg.link(href=self_url, rel="self", type="application/rss+xml", replace=True)
    fg.link(href=feed.listing, rel="alternate")
    fg.lastBuildDate(feed_updated(entries))
    # RSS <author> must be an e-mail address: bylines go in dc:creator
    fg.load_extension("dc", atom=False, rss=True)
    for e in entries:
        fe = fg.add_entry(order="append")
        for name in e.authors:
            fe.dc.dc_creator(name)
        fe.guid(e.id, permalink=False)
        fe.title(e.title)
        fe.link(href=e.url)
        fe.pubDate(e.published)
        fe.description(e.summary or e.title)
        fe.content(e.content_html, type="CDATA")
    xml = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    if hub:  # feedgen writes only the self atom:link into RSS: the hub's goes beside it
        self_link = re.search(rb"\n(\s*)<atom:link [^>]*rel=\"self\"[^>]*/>", xml)
        if self_link:
            hub_link = f'\n{self_link.group(1).decode()}<atom:link href={quoteattr(hub)} rel="hub"/>'.encode()
            xml = xml[: self_link.end()] + hub_link + xml[self_link.end() :]
    return _styled(xml)


def render_json(
    feed: FeedConfig, entries: Sequence[Entry], self_url: str, site_name: str, hub: str | None = None
) -> bytes:
    doc: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.listing,
        "feed_url": self_url,
        "language": "en",
        "authors": [{"name": site_name}],
        "items": [
            {
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "content_html": e.content_html,
                "summary": e.summary,
                "date_published": e.published.isoformat(),
                "date_modified": e.updated.isoformat(),
                "authors": [{"name": a} for a in e.authors] or [{"name": site_name}],
                **({"image": e.image} if e.image else {}),
            }
            for e in entries
        ],
    }
    if hub:
        doc["hubs"] = [{"type": "WebSub", "url": hub}]
    return (json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


RENDERERS = {"atom": (".atom", render_atom), "rss": (".rss", render_rss), "json": (".json", render_json)}
