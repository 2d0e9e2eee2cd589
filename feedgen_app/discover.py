"""Discovery: a listing Page in, the section's story refs out (canonical, de-duplicated, in listing order).

Links come from the profile's listing selectors (the section's own list, not "Latest News", "Most
Popular" or menus). When no selector matches (a redesign), links are taken from the page's main content,
outside headers, menus, footers, asides and "popular"/"latest" boxes, kept only when they look like
stories, and then only those of the main lists (main_list.py: not numbered charts, not side boxes). A site's own RSS, Atom or JSON feed (as `site_feed`, or as the listing itself) gives its items,
with the title, date and authors it says for each. Pure: takes a Page and a SiteProfile.
"""

from __future__ import annotations

from feedgen_app.dom import HtmlElement, base_url, parse, select, text_of
from feedgen_app.feed_items import feed_items
from feedgen_app.generic import in_chrome
from feedgen_app.main_list import Link, headline_templates, main_lists, query_shape
from feedgen_app.profile import SiteProfile
from feedgen_app.records import Discovery, Page, StoryRef
from feedgen_app.urls import absolute, canonical, host_allowed, id_in_query, is_story_url, story_key

FALLBACK_SOURCE = "fallback:main-content"
SITE_FEED_SOURCE = "site-feed"
FEED_SOURCE = "feed"  # the listing is itself a feed


def _links(tag: HtmlElement) -> list[HtmlElement]:
    return [tag] if tag.tag == "a" else list(tag.iter("a"))


def _story_links(anchors: list[HtmlElement], page: Page, profile: SiteProfile, base: str) -> list[Link]:
    """The anchors that point to stories on the feed's site, with their canonical URLs. With no story
    patterns, an address with an id only in its query is a story when its links read as headlines."""
    links: list[tuple[HtmlElement, str, bool]] = []  # anchor, URL, whether only its query says "story"
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = canonical(absolute(href, base), profile)
        if not host_allowed(url, page.final_url, profile):
            continue
        if is_story_url(url, profile):
            links.append((a, url, False))
        elif not profile.story_urls and id_in_query(url):
            links.append((a, url, True))
    shapes = headline_templates([(a, url) for a, url, by_query in links if by_query])
    return [(a, url) for a, url, by_query in links if not by_query or query_shape(url) in shapes]


def _refs(links: list[Link]) -> list[StoryRef]:
    """One ref a story, in order of first link; its listed text is that of its first link with text (a
    card's picture link comes before its headline)."""
    texts: dict[str, str] = {}
    for a, url in links:
        if not texts.get(url):
            texts[url] = text_of(a)[:300]
    return [StoryRef(url=url, story_id=story_key(url), listing_text=text) for url, text in texts.items()]


def discover(page: Page, profile: SiteProfile) -> Discovery:
    doc = parse(page.text)
    base = base_url(doc, page.final_url)
    for sel in profile.listing.items:
        anchors = [a for tag in select(sel.compiled, doc) for a in _links(tag)]
        refs = _refs(_story_links(anchors, page, profile, base))
        if refs:
            return Discovery(tuple(refs), f"profile:{sel.text}", _next_pages(doc, base, profile))
    anchors = [a for a in doc.iter("a") if not in_chrome(a, named=True)]
    links = main_lists(_story_links(anchors, page, profile, base))
    return Discovery(tuple(_refs(links)), FALLBACK_SOURCE, _next_pages(doc, base, profile))


def _next_pages(doc: HtmlElement, base: str, profile: SiteProfile) -> tuple[str, ...]:
    for sel in profile.listing.next_page:
        for tag in select(sel.compiled, doc):
            href = tag.get(sel.attr) if sel.attr else tag.get("href")
            if href:
                return (absolute(href, base),)
    return ()


def discover_from_site_feed(page: Page, profile: SiteProfile, any_link: bool = False) -> Discovery:
    """Stories from a site's own RSS, Atom or JSON feed, each with what the feed says of it. As a second
    source (`site_feed`), only links that are stories of the feed's site; as the listing itself
    (`any_link`), every item: a feed names its stories, wherever they are."""
    found: dict[str, StoryRef] = {}
    for item in feed_items(page) or []:
        url = canonical(item.url, profile)
        if not any_link and not (host_allowed(url, page.final_url, profile) and is_story_url(url, profile)):
            continue
        if url not in found:
            text = item.hint.title[:300]
            found[url] = StoryRef(url=url, story_id=story_key(url), listing_text=text, hint=item.hint)
    return Discovery(tuple(found.values()), SITE_FEED_SOURCE)
