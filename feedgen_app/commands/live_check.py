"""`feedgen-app check --live`: fetch each feed's own listing and a few of its stories and say, field by field,
which selector or fallback matched and what it found, with a verdict a person can act on. The profile's
built-in test URLs are tried only when the feed points at the profile's own site (not a mirror).

A page that cannot be fetched is not a profile problem: the verdict tells "network down", "site down",
"blocked" and "not found" apart from "profile stopped matching". Exit 1 when anything needs attention."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TextIO

from feedgen_app.config import Config, FeedConfig
from feedgen_app.discovery.blocked import ADVICE as BLOCKED_ADVICE
from feedgen_app.discovery.blocked import REFUSING_STATUSES, wall_of
from feedgen_app.discovery.discover import (
    FALLBACK_SOURCE,
    FEED_SOURCE,
    discover,
    listing_stories,
    nothing_found,
)
from feedgen_app.errors import FeedgenError, FetchError, FetchKind
from feedgen_app.extraction.extract import REQUIRED_FIELDS, extract_story, from_profile
from feedgen_app.fetching.http import Fetcher
from feedgen_app.fetching.session import new_session
from feedgen_app.records import Discovery, ItemHint, Page, Story
from feedgen_app.repair.article import ArticleLearner
from feedgen_app.repair.listing import learn_items
from feedgen_app.repair.patch import toml_patch
from feedgen_app.repair.sample import Sample
from feedgen_app.urls import canonical, host_allowed, host_of, is_story_url, origin, story_key
from feedgen_app.wording import count

PROFILE = "profile stopped matching"
NO_STORIES = "no stories found"

FIELDS = ("title", "subtitle", "authors", "published", "updated", "image", "caption", "body")


def why_not_fetched(exc: FetchError) -> str:
    """What kind of trouble kept a page out: the network or the site, not the profile (robots.txt that
    could not be read carries the kind of its own failure: the first real cause wins)."""
    if exc.kind is FetchKind.UNREACHABLE:
        return "unreachable"
    if exc.kind is FetchKind.TIMEOUT or (exc.status or 0) >= 500:
        return "site down"
    if exc.status in REFUSING_STATUSES or exc.kind is FetchKind.ROBOTS:
        return "blocked"
    if exc.status in (404, 410):
        return "not found"
    return "fetch failed"


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
        kind, _, selector = source.partition(":") if from_profile(source) else (source, "", "")
        out.write(f"    {name:<10} {kind:<10} {_short(value) if value else '(none)'}\n")
        if selector:
            out.write(f"    {'':<10} {'':<10} selector: {selector}\n")
        if name in REQUIRED_FIELDS and not from_profile(source):
            attention.append(f"{name} ({'missing' if source == '-' else 'from ' + source})")
    return attention


def _fetch_trouble(exc: FetchError, out: TextIO, line: str) -> str:
    """Say why a page could not be fetched, after `line` (the report's indent and label); its kind."""
    kind = why_not_fetched(exc)
    out.write(f"{line} {kind.upper()}  {exc}\n")
    return kind


def _check_story(
    fetcher: Fetcher,
    feed: FeedConfig,
    url: str,
    out: TextIO,
    samples: list[Sample],
    hint: ItemHint | None = None,
) -> str | None:
    """None when the story is whole (from the profile, where the profile describes this site); else what
    is wrong."""
    out.write(f"  story {url}\n")
    try:
        page = fetcher.get(url)
    except FetchError as exc:
        return _fetch_trouble(exc, out, "    fetch     ")
    try:
        story = extract_story(page, feed.profile, url, story_key(url), hint=hint)
    except FeedgenError as exc:
        out.write(f"    FAIL       {exc}\n")
        return PROFILE if _describes(feed, url) else "extraction failed"
    attention = story_report(story, out)
    samples.append(Sample(page, story, hint))
    if attention and _describes(feed, url):
        out.write(f"    verdict    NEEDS ATTENTION: the profile did not match {', '.join(attention)}\n")
        return PROFILE
    if attention:
        out.write(
            "    verdict    OK: every required field was found (no profile describes this site's pages: "
            "from the fallbacks)\n"
        )
        return None
    out.write("    verdict    OK: every required field came from the profile\n")
    return None


def _describes(feed: FeedConfig, url: str) -> bool:
    """Whether the feed's profile has selectors for this story's pages (not `auto`, not another site)."""
    article = feed.profile.article
    return bool(article.title or article.body) and host_allowed(url, feed.listing, feed.profile)


def _check_listing(fetcher: Fetcher, feed: FeedConfig, url: str, out: TextIO) -> str | None:
    """A listing named in the profile's test_urls: does the profile still find its stories?"""
    try:
        found = discover(fetcher.get(url), feed.profile)
    except FetchError as exc:
        return _fetch_trouble(exc, out, "  test url  ")
    matched = bool(found.refs) and found.source != FALLBACK_SOURCE
    out.write(
        f"  test url   {'OK  ' if matched else 'FAIL'}  {url}: {count(len(found.refs), 'story')} via {found.source}\n"
    )
    return None if matched else PROFILE


def _learned(
    feed: FeedConfig,
    samples: list[Sample],
    listing: tuple[Page, Discovery] | None,
    now: datetime,
    out: TextIO,
) -> None:
    """What the repair stage would learn from the stories checked: each selector, and the patch."""
    if feed.profile.repair == "off":
        return
    learned = ArticleLearner(samples, feed.profile, now).learn(feed.profile.name, now)
    if listing is not None and listing[1].source == FALLBACK_SOURCE:
        items = learn_items(listing[0], listing[1].refs, feed.profile, now)
        learned += (items,) if items else ()
    if not learned:
        return
    for item in learned:
        out.write(f"  learned    {item.field} = `{item.selector}`: {item.why}\n")
    out.write('  to use them, paste into feeds.toml (or set repair = "apply" for the site):\n')
    out.write("".join(f"    {line}\n" for line in toml_patch(feed.profile, learned).splitlines()))


def check_feed(fetcher: Fetcher, feed: FeedConfig, stories: int, out: TextIO, now: datetime) -> list[str]:
    """What needs attention in one feed: profile mismatches and fetch troubles by kind (empty: all OK);
    with what the repair stage learns from the stories checked, when the profile missed."""
    samples: list[Sample] = []
    listing: list[tuple[Page, Discovery]] = []
    problems = _check_feed(fetcher, feed, stories, out, samples, listing)
    if PROFILE in problems:
        _learned(feed, samples, listing[0] if listing else None, now, out)
    return problems


def _check_feed(
    fetcher: Fetcher,
    feed: FeedConfig,
    stories: int,
    out: TextIO,
    samples: list[Sample],
    listing: list[tuple[Page, Discovery]],
) -> list[str]:
    out.write(f"{feed.id}: {feed.listing} (site profile: {feed.site})\n")
    try:
        page = fetcher.get(feed.listing)
    except FetchError as exc:
        return [_fetch_trouble(exc, out, "  listing   ")]
    found = listing_stories(page, feed.profile)
    if found.source == FEED_SOURCE:
        return _check_feed_listing(fetcher, feed, found, stories, out, samples)
    listing.append((page, found))
    # a profile with no listing selectors (`auto`) is the generic chain: its finding the links is the plan
    generic = not feed.profile.listing.items
    if not found.refs:
        walled = wall_of(page)
        if walled:  # the site refused us with a page of its own: nothing in the profile to fix
            out.write(f"  listing    BLOCKED  {walled}\n")
            return ["blocked"]
        out.write(f"  listing    FAIL  {nothing_found(found, feed.listing)}\n")
        return [NO_STORIES if generic else PROFILE]
    missed = found.source == FALLBACK_SOURCE and not generic
    how = (
        "the generic chain (links in the main content; the profile has no listing selectors)"
        if found.source == FALLBACK_SOURCE and generic
        else "fallback (links in the main content)"
        if missed
        else found.source
    )
    out.write(f"  listing    {'WARN' if missed else 'OK  '}  {count(len(found.refs), 'story')} via {how}\n")
    problems = [PROFILE] if missed else []
    urls = [r.url for r in found.refs[:stories]]
    if feed.on_profile_site:
        for test_url in feed.profile.test_urls:
            target = canonical(test_url, feed.profile)
            if is_story_url(target, feed.profile):
                if target not in urls:
                    urls.append(target)
            elif test_url != feed.listing:
                problems.append(_check_listing(fetcher, feed, test_url, out) or "")
    else:
        out.write("  (a mirror: the profile's built-in test URLs on its own site are not tried)\n")
    problems += [_check_story(fetcher, feed, url, out, samples) or "" for url in urls]
    return [p for p in problems if p]


def _check_feed_listing(
    fetcher: Fetcher, feed: FeedConfig, found: Discovery, stories: int, out: TextIO, samples: list[Sample]
) -> list[str]:
    """A listing that is a feed (RSS, Atom, JSON Feed): its items are the stories, wherever they are;
    the profile's selectors are checked only on stories of its own site."""
    if not found.refs:
        out.write(f"  listing    FAIL  the feed {feed.listing} has no items with a link: nothing to fetch\n")
        return ["empty feed"]
    out.write(f"  listing    OK    a feed: {len(found.refs)} items, each fetched for its full text\n")
    problems = []
    for ref in found.refs[:stories]:
        problems.append(_check_story(fetcher, feed, ref.url, out, samples, ref.hint) or "")
    return [p for p in problems if p]


ADVICE = {
    PROFILE: "the site's pages changed: fix the selectors (README: When the site changes)",
    NO_STORIES: (
        "no link on the listing reads as a story (see above): set `story_urls` or a listing selector in a "
        "[sites] table, or use the site's RSS/Atom feed as `listing`"
    ),
    "unreachable": "no connection to the site: is this machine online, is the address right?",
    "site down": "the site answered with errors or not in time: try again later",
    "blocked": BLOCKED_ADVICE,
    "not found": "a page is gone: check the feed's listing path",
    "fetch failed": "a page could not be read (see above)",
    "empty feed": "the feed lists no items: check its address, or use a section page as `listing`",
    "extraction failed": "a story page gave no title or no text (see above): `feedgen-app extract URL` shows why",
}


def nothing_answered(listings: Sequence[str]) -> str:
    """What a person should think when no listing answered: the network is down only when several sites
    out there are silent; one host, or one on this machine, is that server not running or not there."""
    hosts = sorted({origin(u) for u in listings})
    local = [h for h in hosts if host_of(h) in ("localhost", "::1") or host_of(h).startswith("127.")]
    demo = "`feedgen-app demo` shows feedgen-app at work with no network"
    if len(hosts) >= 2 and not local:
        return (
            f"no site could be reached ({len(hosts)} of {len(hosts)} sites): the network looks down ({demo})"
        )
    return (
        f"nothing answered at {', '.join(hosts)}: is the server running there, is the address right? (or "
        f"this machine is offline: {demo})"
    )


def live_check(
    config: Config,
    feed_ids: Sequence[str],
    stories: int,
    clock: Callable[[], datetime],
    out: TextIO,
    stop: threading.Event | None = None,
) -> int:
    """Check each feed; after `stop`, the feeds checked so far are reported (the one at hand is not)."""
    feeds = [config.feed(i) for i in feed_ids] if feed_ids else list(config.feeds)
    fetcher = Fetcher(config.http, new_session(config.http.user_agent), stop=stop)
    results = {}
    for feed in feeds:
        problems = check_feed(fetcher, feed, stories, out, clock())
        if fetcher.stop.is_set():
            break
        results[feed.id] = problems
    feeds = [f for f in feeds if f.id in results]
    bad = {fid: problems for fid, problems in results.items() if problems}
    matching = sum(1 for problems in results.values() if PROFILE not in problems)
    unreachable = [fid for fid, problems in bad.items() if problems == ["unreachable"] * len(problems)]
    out.write(f"\n{clock():%Y-%m-%d %H:%M} UTC: ")
    if feeds and len(unreachable) == len(feeds):
        out.write(f"{nothing_answered([f.listing for f in feeds])}; nothing was learned about the profiles\n")
        return 1
    out.write(f"{len(feeds) - len(bad)} of {count(len(feeds), 'feed')} OK")
    if bad:
        out.write(f"; {matching} of {len(feeds)} match their profile\n")
        for fid, problems in bad.items():
            kinds = list(dict.fromkeys(problems))
            out.write(f"  {fid}: {'; '.join(f'{k}: {ADVICE[k]}' for k in kinds)}\n")
    else:
        out.write("\n")
    return 1 if bad else 0
