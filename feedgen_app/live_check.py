"""`feedgen-app check --live`: fetch each feed's listing and a few stories from the live site and say, field
by field, which selector or fallback matched and what it found, with a verdict a person can act on.
Exit 1 when a listing or a required field came only from a fallback, or not at all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TextIO

from feedgen_app.config import Config, FeedConfig
from feedgen_app.discover import FALLBACK_SOURCE, discover
from feedgen_app.errors import FeedgenError
from feedgen_app.extract import REQUIRED_FIELDS, extract_story
from feedgen_app.http import Fetcher
from feedgen_app.records import Story
from feedgen_app.urls import canonical, is_story_url, story_key

FIELDS = ("title", "subtitle", "authors", "published", "updated", "image", "caption", "body")


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _field_value(story: Story, name: str) -> str:
    values: dict[str, str] = {
        "title": story.title,
        "subtitle": story.subtitle or "",
        "authors": ", ".join(story.authors),
        "published": story.published.isoformat() if story.published else "",
        "updated": story.updated.isoformat() if story.updated else "",
        "image": story.image.url if story.image else "",
        "caption": (story.image.caption or "") if story.image else "",
        "body": f"{len(story.body_text.split())} words: {story.body_text}",
    }
    return values[name]


def story_report(story: Story, out: TextIO) -> list[str]:
    """Print one story's fields; returns the required fields that need attention."""
    attention = []
    for name in FIELDS:
        source = story.source_of(name) or "-"
        value = _field_value(story, name)
        kind = "profile" if source.startswith("profile:") else source
        out.write(f"    {name:<10} {kind:<10} {_short(value) if value else '(none)'}\n")
        if source.startswith("profile:"):
            out.write(f"    {'':<10} {'':<10} selector: {source.removeprefix('profile:')}\n")
        if name in REQUIRED_FIELDS and not source.startswith("profile:"):
            attention.append(f"{name} ({'missing' if source == '-' else 'from ' + source})")
    return attention


def _check_story(fetcher: Fetcher, feed: FeedConfig, url: str, out: TextIO) -> bool:
    out.write(f"  story {url}\n")
    try:
        page = fetcher.get(url)
        story = extract_story(page, feed.profile, url, story_key(url))
    except FeedgenError as exc:
        out.write(f"    FAIL       {exc}\n")
        return False
    attention = story_report(story, out)
    if attention:
        out.write(f"    verdict    NEEDS ATTENTION: the profile did not match {', '.join(attention)}\n")
        return False
    out.write("    verdict    OK: every required field came from the profile\n")
    return True


def _check_listing(fetcher: Fetcher, feed: FeedConfig, url: str, out: TextIO) -> bool:
    """A listing named in the profile's test_urls: does the profile still find its stories?"""
    try:
        found = discover(fetcher.get(url), feed.profile)
    except FeedgenError as exc:
        out.write(f"  test url   FAIL  {exc}\n")
        return False
    matched = bool(found.refs) and found.source != FALLBACK_SOURCE
    out.write(
        f"  test url   {'OK  ' if matched else 'FAIL'}  {url}: {len(found.refs)} stories via {found.source}\n"
    )
    return matched


def check_feed(fetcher: Fetcher, feed: FeedConfig, stories: int, out: TextIO) -> bool:
    out.write(f"{feed.id}: {feed.listing} (site profile: {feed.site})\n")
    ok = True
    try:
        page = fetcher.get(feed.listing)
    except FeedgenError as exc:
        out.write(f"  listing    FAIL  {exc}\n")
        return False
    found = discover(page, feed.profile)
    if not found.refs:
        out.write(
            "  listing    FAIL  no story links found: wrong section path, a block page, or a new layout\n"
        )
        return False
    how = "fallback (links in the main content)" if found.source == FALLBACK_SOURCE else found.source
    out.write(
        f"  listing    {'WARN' if found.source == FALLBACK_SOURCE else 'OK  '}  {len(found.refs)} stories via {how}\n"
    )
    ok = found.source != FALLBACK_SOURCE
    urls = [r.url for r in found.refs[:stories]]
    for test_url in feed.profile.test_urls:
        target = canonical(test_url, feed.profile)
        if is_story_url(target, feed.profile):
            if target not in urls:
                urls.append(target)
        elif test_url != feed.listing:
            ok = _check_listing(fetcher, feed, test_url, out) and ok
    for url in urls:
        ok = _check_story(fetcher, feed, url, out) and ok
    return ok


def live_check(
    config: Config, feed_ids: Sequence[str], stories: int, clock: Callable[[], datetime], out: TextIO
) -> int:
    feeds = [config.feed(i) for i in feed_ids] if feed_ids else list(config.feeds)
    fetcher = Fetcher.for_config(config.http)
    results = [check_feed(fetcher, feed, stories, out) for feed in feeds]
    bad = [f.id for f, ok in zip(feeds, results, strict=True) if not ok]
    out.write(
        f"\n{clock():%Y-%m-%d %H:%M} UTC: {len(feeds) - len(bad)} of {len(feeds)} feeds match their profile"
        + (f"; needs attention: {', '.join(bad)}\n" if bad else "\n")
    )
    return 1 if bad else 0
