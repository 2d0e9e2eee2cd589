"""`feedgen-app preview FEED`: one poll of one feed that writes nothing (no store, no files), printed as a
reader would see the entries; `--html FILE` also writes a page to look at in a browser."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from feedgen_app.config import Config, FeedConfig
from feedgen_app.discovery.discover import FEED_SOURCE, listing_stories, nothing_found
from feedgen_app.errors import FeedgenError
from feedgen_app.extraction.extract import extract_story
from feedgen_app.fetching.http import Fetcher
from feedgen_app.filters import wanted
from feedgen_app.publishing.render import Entry, entry_of
from feedgen_app.records import StoredStory, Story
from feedgen_app.wording import count


def poll_without_writing(config: Config, feed: FeedConfig, limit: int, out: TextIO) -> list[Story]:
    fetcher = Fetcher.for_config(config.http)
    listing = fetcher.get(feed.listing)
    found = listing_stories(listing, feed.profile)
    where = "in the feed" if found.source == FEED_SOURCE else "on"
    out.write(
        f"{feed.id}: {count(len(found.refs), 'story')} {where} {feed.listing}; previewing {min(limit, len(found.refs))}\n\n"
    )
    if not found.refs and found.source != FEED_SOURCE:
        out.write(f"{nothing_found(found, feed.listing)}\n")
    stories = []
    for ref in found.refs[:limit]:
        try:
            page = fetcher.get(ref.url)
            stories.append(extract_story(page, feed.profile, ref.url, ref.story_id, hint=ref.hint))
        except FeedgenError as exc:
            out.write(f"  skipped: {exc}\n")
    if feed.include or feed.exclude:  # the entries as a reader sees them: the feed's rules applied
        kept = [s for s in stories if wanted(s, feed.include, feed.exclude)]
        if len(kept) < len(stories):
            out.write(
                f"{len(stories) - len(kept)} of {len(stories)} left out by the feed's include/exclude rules\n\n"
            )
        stories = kept
    return stories


def _lines(entry: Entry, width: int = 100) -> list[str]:
    """The start of the story in three lines, broken between words."""
    text = " ".join(html.unescape(_strip_tags(entry.content_html)).split())
    return textwrap.wrap(text, width, max_lines=3, placeholder=" …", break_long_words=False)


def _strip_tags(markup: str) -> str:
    return re.sub(r"<[^>]+>", " ", markup)


def preview(
    config: Config,
    feed_id: str,
    limit: int,
    html_file: str | None,
    clock: Callable[[], datetime],
    out: TextIO,
) -> int:
    feed = config.feed(feed_id)
    stories = poll_without_writing(config, feed, limit, out)
    now = clock()
    entries = [entry_of(StoredStory(s, now, "", now), feed) for s in stories]
    entries.sort(key=lambda e: e.published, reverse=True)
    for e in entries:
        out.write(
            f"{e.title}\n  {e.published:%Y-%m-%d %H:%M %z} · {', '.join(e.authors) or 'no byline'} · {e.url}\n"
        )
        for line in _lines(e):
            out.write(f"  {line}\n")
        out.write("\n")
    if html_file:
        page = "\n".join(
            f"<article><h2><a href='{html.escape(e.url)}'>{html.escape(e.title)}</a></h2>"
            f"<p><time>{e.published.isoformat()}</time> · {html.escape(', '.join(e.authors))}</p>{e.content_html}</article>"
            for e in entries
        )
        Path(html_file).write_text(
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            "content='width=device-width, initial-scale=1'><title>Preview: "
            f"{html.escape(feed.title)}</title><style>body{{max-width:46rem;margin:auto;font:16px/1.5 sans-serif}}"
            f"img{{max-width:100%}}</style></head><body><h1>Preview: {html.escape(feed.title)}</h1>{page}</body></html>\n",
            encoding="utf-8",
        )
        out.write(f"wrote {html_file}\n")
    return 0 if entries else 1
