"""Discovery: a listing Page in, the section's story refs out (canonical, de-duplicated, in listing order).

Links come from the profile's listing selectors (the section's own list, not "Latest News", "Most
Popular" or menus). When no selector matches (a redesign), links are taken from the page's main content,
outside headers, menus, footers, asides and "popular"/"latest" boxes, and kept only when they look like
stories. The site's own RSS/Atom feed, when a feed names one, is read the same way (links only).
Pure: takes a Page and a SiteProfile.
"""

from __future__ import annotations

import lxml.etree

from feedgen_app.dom import HtmlElement, base_url, parse, select, strip_xml_declaration, text_of
from feedgen_app.generic import in_chrome
from feedgen_app.profile import SiteProfile
from feedgen_app.records import Discovery, Page, StoryRef
from feedgen_app.urls import absolute, canonical, host_allowed, is_story_url, story_key

FALLBACK_SOURCE = "fallback:main-content"
SITE_FEED_SOURCE = "site-feed"


def _safe_xml_parser() -> lxml.etree.XMLParser:
    """Outside XML is read with no entity expansion, no DTD, no network: no billion laughs, no XXE."""
    return lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
    )


def _links(tag: HtmlElement) -> list[HtmlElement]:
    return [tag] if tag.tag == "a" else list(tag.iter("a"))


Link = tuple[HtmlElement, str]  # an anchor and the canonical story URL it points to


def _story_links(anchors: list[HtmlElement], page: Page, profile: SiteProfile, base: str) -> list[Link]:
    """The anchors that point to stories on the feed's site, with their canonical URLs."""
    links = []
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = canonical(absolute(href, base), profile)
        if host_allowed(url, page.final_url, profile) and is_story_url(url, profile):
            links.append((a, url))
    return links


def _refs(links: list[Link]) -> list[StoryRef]:
    seen: dict[str, StoryRef] = {}
    for a, url in links:
        if url not in seen:
            seen[url] = StoryRef(url=url, story_id=story_key(url), listing_text=text_of(a)[:300])
    return list(seen.values())


def discover(page: Page, profile: SiteProfile) -> Discovery:
    doc = parse(page.text)
    base = base_url(doc, page.final_url)
    for sel in profile.listing.items:
        anchors = [a for tag in select(sel.compiled, doc) for a in _links(tag)]
        refs = _refs(_story_links(anchors, page, profile, base))
        if refs:
            return Discovery(tuple(refs), f"profile:{sel.text}", _next_pages(doc, base, profile))
    anchors = [a for a in doc.iter("a") if not in_chrome(a, named=True)]
    links = _main_list(_story_links(anchors, page, profile, base))
    return Discovery(tuple(_refs(links)), FALLBACK_SOURCE, _next_pages(doc, base, profile))


MAIN_LIST_SHARE = 0.6  # the share of a page's story links that its main list holds at the least


def _main_list(links: list[Link]) -> list[Link]:
    """The story links of the page's main list, whatever its boxes are called: the deepest element that
    holds most of the page's story links (a most-read box or a ticker beside the list holds fewer)."""
    if len(links) < 5:
        return links
    counts: dict[HtmlElement, int] = {}
    for a, _url in links:
        for ancestor in a.iterancestors():
            counts[ancestor] = counts.get(ancestor, 0) + 1
    needed = MAIN_LIST_SHARE * len(links)
    best = min(
        (el for el, n in counts.items() if n >= needed),
        key=lambda el: counts[el],
        default=None,
    )
    if best is None:
        return links
    return [(a, url) for a, url in links if any(anc is best for anc in a.iterancestors())]


def _next_pages(doc: HtmlElement, base: str, profile: SiteProfile) -> tuple[str, ...]:
    for sel in profile.listing.next_page:
        for tag in select(sel.compiled, doc):
            href = tag.get(sel.attr) if sel.attr else tag.get("href")
            if href:
                return (absolute(href, base),)
    return ()


def discover_from_site_feed(page: Page, profile: SiteProfile) -> Discovery:
    """Story links from the site's own RSS 2.0 or Atom feed (summaries only: used to find stories)."""
    try:
        root = lxml.etree.fromstring(strip_xml_declaration(page.text).encode("utf-8"), _safe_xml_parser())
    except lxml.etree.XMLSyntaxError:
        return Discovery((), SITE_FEED_SOURCE)
    if root is None:
        return Discovery((), SITE_FEED_SOURCE)
    found: dict[str, StoryRef] = {}
    for item in root.iter("item", "{http://www.w3.org/2005/Atom}entry"):
        links = [el.text or "" for el in item.iter("link") if el.text]
        links += [
            el.get("href") or ""
            for el in item.iter("{http://www.w3.org/2005/Atom}link")
            if el.get("rel") in (None, "alternate")
        ]
        title = next((el.text or "" for el in item.iter("title", "{http://www.w3.org/2005/Atom}title")), "")
        for href in links:
            url = canonical(absolute(href.strip(), page.final_url), profile)
            if host_allowed(url, page.final_url, profile) and is_story_url(url, profile) and url not in found:
                found[url] = StoryRef(
                    url=url, story_id=story_key(url), listing_text=" ".join(title.split())[:300]
                )
                break
    return Discovery(tuple(found.values()), SITE_FEED_SOURCE)
