"""Discovery: a listing Page in, the section's story refs out (canonical, de-duplicated, in listing order).

Links come from the profile's listing selectors (the section's own list, not "Latest News", "Most
Popular" or menus). When no selector matches (a redesign), links are taken from the page's main content,
outside headers, menus, footers, asides and "popular"/"latest" boxes, and kept only when they look like
stories. Pure: takes a Page and a SiteProfile.
"""

from __future__ import annotations

from feedgen_app.dom import HtmlElement, parse, select, text_of
from feedgen_app.generic import in_chrome
from feedgen_app.profile import SiteProfile
from feedgen_app.records import Discovery, Page, StoryRef
from feedgen_app.urls import absolute, canonical, host_allowed, is_story_url, story_key

FALLBACK_SOURCE = "fallback:main-content"


def _links(tag: HtmlElement) -> list[HtmlElement]:
    return [tag] if tag.tag == "a" else list(tag.iter("a"))


def _refs(anchors: list[HtmlElement], page: Page, profile: SiteProfile) -> list[StoryRef]:
    seen: dict[str, StoryRef] = {}
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = canonical(absolute(href, page.final_url), profile)
        if not host_allowed(url, page.final_url, profile) or not is_story_url(url, profile):
            continue
        if url not in seen:
            seen[url] = StoryRef(url=url, story_id=story_key(url), listing_text=text_of(a)[:300])
    return list(seen.values())


def discover(page: Page, profile: SiteProfile) -> Discovery:
    doc = parse(page.text)
    for sel in profile.listing.items:
        anchors = [a for tag in select(sel.compiled, doc) for a in _links(tag)]
        refs = _refs(anchors, page, profile)
        if refs:
            return Discovery(tuple(refs), f"profile:{sel.text}", _next_pages(doc, page, profile))
    anchors = [a for a in doc.iter("a") if not in_chrome(a)]
    return Discovery(tuple(_refs(anchors, page, profile)), FALLBACK_SOURCE, _next_pages(doc, page, profile))


def _next_pages(doc: HtmlElement, page: Page, profile: SiteProfile) -> tuple[str, ...]:
    for sel in profile.listing.next_page:
        for tag in select(sel.compiled, doc):
            href = tag.get(sel.attr) if sel.attr else tag.get("href")
            if href:
                return (absolute(href, page.final_url),)
    return ()
