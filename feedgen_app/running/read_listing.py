"""A poll's first step: the feed's listing read, over its pages (or a feed's items), with the stories the
site's own feed adds, and robots.txt from the store so that a quiet poll costs one request."""

from __future__ import annotations

from datetime import datetime

from feedgen_app.config import FeedConfig
from feedgen_app.discovery.discover import (
    FEED_SOURCE,
    discover_from_site_feed,
    listing_stories,
    nothing_found,
)
from feedgen_app.errors import FeedgenError, FetchError
from feedgen_app.extraction.parse_budget import SHARED, ParseBudget
from feedgen_app.fetching.http import Fetcher
from feedgen_app.records import Discovery, Page, StoryRef
from feedgen_app.running.bugs import report_bug
from feedgen_app.running.progress import Progress
from feedgen_app.storage.store import Store
from feedgen_app.urls import origin


def discover_listing(page: Page, feed: FeedConfig, budget: ParseBudget = SHARED) -> Discovery:
    """The listing's stories, parsed within the process's parse budget (a listing of 100,000 links costs
    as much memory to read as a huge story)."""
    try:
        with budget.hold(len(page.text)):
            return listing_stories(page, feed.profile)
    except FeedgenError:
        raise
    except Exception as exc:  # never "unexpected": the listing's URL and the stage are named
        raise report_bug("discovery", page.final_url, exc) from exc


def listing_refs(
    feed: FeedConfig, fetcher: Fetcher, first: Page, found: Discovery, progress: Progress
) -> tuple[list[StoryRef], str, list[str], str]:
    """The listing's stories (over `pages` pages, or a feed's items), their source, warnings, and why
    none when none. `found`: what the first page gave."""
    if found.source == FEED_SOURCE:
        return (
            list(found.refs),
            found.source,
            [],
            "" if found.refs else f"feed listing {feed.listing} has no items",
        )
    refs = list(found.refs)
    warnings: list[str] = []
    next_pages = list(found.next_pages)
    seen_pages = {first.final_url}
    for _ in range(feed.pages - 1):
        if not next_pages or next_pages[0] in seen_pages:
            break
        url = next_pages[0]
        seen_pages.add(url)
        try:
            page = fetcher.get(url)
        except FetchError as exc:
            warnings.append(f"listing page not read: {exc}")
            progress.warning("%s: listing page not read: %s", feed.id, exc)
            break
        more = discover_listing(page, feed)
        known = {r.url for r in refs}
        refs.extend(r for r in more.refs if r.url not in known)
        next_pages = list(more.next_pages)
    return refs, found.source, warnings, "" if refs else nothing_found(found, feed.listing)


def site_feed_refs(
    feed: FeedConfig, fetcher: Fetcher, known: set[str], warnings: list[str], progress: Progress
) -> list[StoryRef]:
    """New stories the site's own feed names that the listing did not (never fatal)."""
    if not feed.site_feed:
        return []
    try:
        page = fetcher.get(feed.site_feed)
    except FetchError as exc:
        warnings.append(f"site feed not read: {exc}")
        progress.warning("%s: site feed not read: %s", feed.id, exc)
        return []
    return [r for r in discover_from_site_feed(page, feed.profile).refs if r.url not in known]


def prime_robots(url: str, store: Store, fetcher: Fetcher, now: datetime) -> bool:
    """robots.txt from the store when fetched within a day, so a quiet poll costs one request. Whether
    the site's robots.txt answered (so a listing that then times out is a tarpit, not a site down)."""
    if not fetcher.config.robots:
        return False
    key = origin(url)
    cached = store.robots(key, now)
    if cached is None:
        text = fetcher.robots_text(url)
        if text is None:  # a 5xx: crawl nothing this time, ask again next poll
            fetcher.use_robots(url, "User-agent: *\nDisallow: /\n")
            return False
        store.save_robots(key, text, now)
        cached = text
    fetcher.use_robots(url, cached)
    return True
