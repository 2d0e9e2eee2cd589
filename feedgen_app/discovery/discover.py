"""Discovery: a listing Page in, the section's story refs out (canonical, de-duplicated, in listing order).

Links come from the profile's listing selectors (the section's own list, not "Latest News", "Most
Popular" or menus). When no selector matches (a redesign, or a site with no profile), every link of the
page is judged, and each judgement is kept for `feedgen-app discover` and for the log when nothing is found:

1. Where it goes: a page of this site (the listing's host, or another host of the same site when the
   address itself names a story by a date or a number); not a file, an ad redirect, a service page or a
   section front (address_kind.py); not in the page's menus, header or footer.
2. Whether it reads as a story: with the profile's `story_urls`, its patterns decide; else a dated address
   is a story, a numbered or slugged one when its text or its kind's texts read as headlines, any other
   when three or more links of its address shape read as headlines (headline.py).
3. Whether its list is editorial: links in most-read charts and boxes are left out (most_read.py).

A site's own RSS, Atom or JSON feed (as `site_feed`, or as the listing itself) gives its items, with the
title, date and authors it says for each. Pure: takes a Page and a SiteProfile.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from itertools import islice

from feedgen_app.address_kind import AddressKind, address_kind, address_template, one_name, site_of
from feedgen_app.chrome import in_page_chrome
from feedgen_app.discovery.feed_items import feed_items, is_feed
from feedgen_app.discovery.headline import headline_words, link_text, names_media
from feedgen_app.discovery.most_read import Link, most_read
from feedgen_app.dom import HtmlElement, base_url, parse, select, text_of
from feedgen_app.profile import Selector, SiteProfile
from feedgen_app.records import Discovery, LinkVerdict, Page, StoryRef
from feedgen_app.urls import (
    absolute,
    canonical,
    host_allowed,
    host_of,
    is_story_url,
    path_and_query,
    same_port,
    story_key,
)
from feedgen_app.wording import count

FALLBACK_SOURCE = "fallback:main-content"
SITE_FEED_SOURCE = "site-feed"
FEED_SOURCE = "feed"  # the listing is itself a feed

HEADLINE_WORDS = 4  # the median words of a kind of link whose texts read as headlines
OWN_HEADLINE_WORDS = 3  # the words of one link text that reads as a headline
SECTION_NAME_WORDS = (
    4  # the most words of a link text that is its address's name (`/food_and_drink/`): a section
)
SHAPE_LINKS = 3  # links of one address shape needed to judge an undated, unnumbered address by its kind
# Links judged on one page, in page order: real listings have a few hundred to a few thousand; a hostile
# page of 100,000 would take seconds, and a poll takes at most 100 new stories anyway.
MAX_LINKS = 20_000


def _links(tag: HtmlElement) -> list[HtmlElement]:
    return [tag] if tag.tag == "a" else list(tag.iter("a"))


def _resolved(anchors: list[HtmlElement], base: str, profile: SiteProfile) -> list[Link]:
    """Each anchor with the canonical web address it points to (not fragments, scripts or mail)."""
    out: list[Link] = []
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = canonical(absolute(href, base), profile)  # "" for an address that names no page
        if url.startswith(("http://", "https://")):
            out.append((a, url))
    return out


def _story_links(anchors: list[HtmlElement], page: Page, profile: SiteProfile, base: str) -> list[Link]:
    """Of a selector's anchors, those that point to stories on the feed's site."""
    return [
        (a, url)
        for a, url in _resolved(anchors, base, profile)
        if host_allowed(url, page.final_url, profile) and is_story_url(url, profile)
    ]


def _refs(links: list[Link]) -> list[StoryRef]:
    """One ref a story, in order of first link; its listed text is that of its first link with text (a
    card's picture link comes before its headline)."""
    texts: dict[str, str] = {}
    for a, url in links:
        if not texts.get(url):
            texts[url] = text_of(a)[:300]
    return [StoryRef(url=url, story_id=story_key(url), listing_text=text) for url, text in texts.items()]


def selector_refs(
    doc: HtmlElement, base: str, page: Page, profile: SiteProfile, sel: Selector
) -> list[StoryRef]:
    """The stories one listing selector gives on a parsed listing page, as the profile's selectors are read."""
    anchors = [a for tag in select(sel.compiled, doc) for a in _links(tag)]
    return _refs(_story_links(anchors, page, profile, base))


def listing_stories(page: Page, profile: SiteProfile) -> Discovery:
    """What a feed's listing gives, for every command alike: the items of a site's own RSS, Atom or JSON
    feed (source FEED_SOURCE, wherever they are), or the story links of a page."""
    if is_feed(page):
        return replace(discover_from_site_feed(page, profile, any_link=True), source=FEED_SOURCE)
    return discover(page, profile)


def discover(page: Page, profile: SiteProfile) -> Discovery:
    doc = parse(page.text)
    base = base_url(doc, page.final_url)
    for sel in profile.listing.items:
        refs = selector_refs(doc, base, page, profile, sel)
        if refs:
            return Discovery(tuple(refs), sel.origin, _next_pages(doc, base, profile))
    links = _resolved(list(islice(doc.iter("a", "area"), MAX_LINKS)), base, profile)
    judge = _Judge(links, page.final_url, profile)
    verdicts = judge.verdicts()
    if not any(v.taken for v in verdicts.values()):  # no headline anywhere: short texts will do
        verdicts = judge.verdicts(lenient=True)
    verdicts.update(judge.like_neighbours(links, verdicts))
    taken = [(a, url) for a, url in links if verdicts[url].taken]
    outside = _outside_main(doc, taken)
    for url, why in outside.items():
        verdicts[url] = replace(verdicts[url], taken=False, why=why)
    taken = [(a, url) for a, url in taken if url not in outside]
    charts = most_read(taken)
    kept = [(a, url) for a, url in taken if a not in charts]
    kept_urls = {url for _a, url in kept}
    for a, url in taken:
        if url not in kept_urls and verdicts[url].taken:
            verdicts[url] = replace(verdicts[url], taken=False, why=charts[a])
    return Discovery(
        tuple(_refs(kept)), FALLBACK_SOURCE, _next_pages(doc, base, profile), tuple(verdicts.values())
    )


@dataclass(frozen=True)
class _Shape:
    links: int
    median_words: float


class _Judge:
    """Judges each address the page links to by where it goes, what it says and its kind's texts (each
    worked out once an address, however many links go there)."""

    def __init__(self, links: list[Link], page_url: str, profile: SiteProfile) -> None:
        self.profile = profile
        self.page_host = host_of(page_url)
        self.page_site = site_of(self.page_host)
        self.page_url = canonical(page_url, profile)
        self.texts: dict[str, str] = {}
        rank: dict[str, tuple[bool, float]] = {}
        self.where: dict[str, str] = {}
        self.in_chrome: dict[str, bool] = {}
        for a, url in links:
            # what a link shows beats a picture's alt text (often a long caption), then the longest
            visible = text_of(a)
            text = visible or link_text(a)
            key = (bool(visible), headline_words(text))
            if url not in rank or key > rank[url]:
                self.texts[url], rank[url] = text, key
            chrome = in_page_chrome(a, sides=False)
            if url not in self.in_chrome or not chrome:
                self.in_chrome[url] = chrome
                self.where[url] = _box_of(a)
        self.words = {url: words for url, (_visible, words) in rank.items()}
        self.hosts = {url: host_of(url) for url in self.texts}
        sites: dict[str, bool] = {}  # per host: one of this site's
        for host in set(self.hosts.values()):
            sites[host] = self._site_host(host)
        self.on_site = {
            url: sites[host] and (host != self.page_host or same_port(url, page_url))
            for url, host in self.hosts.items()
        }
        self.templates = {url: address_template(url) for url, on in self.on_site.items() if on}
        self.kinds = {url: address_kind(url) for url in self.templates}
        self.shapes = self._shapes()

    def _shapes(self) -> dict[tuple[object, ...], _Shape]:
        groups: dict[tuple[object, ...], list[float]] = {}
        for url, template in self.templates.items():
            groups.setdefault(template, []).append(self.words[url])
        return {key: _Shape(len(words), statistics.median(words)) for key, words in groups.items()}

    def _site_host(self, host: str) -> bool:
        if self.profile.story_urls or self.profile.allowed_hosts:
            return host == self.page_host or host in self.profile.allowed_hosts
        return site_of(host) == self.page_site

    def verdicts(self, lenient: bool = False) -> dict[str, LinkVerdict]:
        """Each address's verdict; `lenient`, for a page where no link reads as a headline, takes numbered
        and slugged addresses whatever their texts say."""
        return {
            url: LinkVerdict(url, text[:200], *self._judge(url, lenient), box=self.where[url])
            for url, text in self.texts.items()
        }

    def like_neighbours(self, links: list[Link], verdicts: dict[str, LinkVerdict]) -> dict[str, LinkVerdict]:
        """Headlines whose address alone reads as a section front (a blog's `/liquid-lips/`), standing in a
        list whose other items are stories: a list of stories is one kind of thing."""
        found: dict[str, LinkVerdict] = {}
        taken = {url for url, v in verdicts.items() if v.taken}
        items = _items(links)
        by_list: dict[HtmlElement | None, set[str]] = {}
        for (_a, url), item in zip(links, items, strict=True):
            by_list.setdefault(item.getparent(), set()).add(url)
        for (_a, url), item in zip(links, items, strict=True):
            v = verdicts[url]
            if v.taken or url in found or not one_name(url) or self.in_chrome[url]:
                continue
            if self.words[url] < OWN_HEADLINE_WORDS or self.hosts[url] != self.page_host:
                continue
            neighbours = by_list.get(item.getparent(), set()) & taken
            if len(neighbours) >= NEIGHBOURS:
                found[url] = replace(
                    v, taken=True, why=f"a headline in a list of {len(neighbours) + 1} stories"
                )
        return found

    def _judge(self, url: str, lenient: bool) -> tuple[bool, str]:
        if url == self.page_url:
            return False, "the listing page itself"
        if not self.on_site[url]:
            return False, "another site"
        if self.in_chrome[url]:
            return False, "only in the page's menus, header or footer"
        if self.profile.story_urls:
            if is_story_url(url, self.profile):
                return True, "matches the profile's story_urls"
            return False, "does not match the profile's story_urls"
        kind = self.kinds[url]
        if not kind.may_be_story:
            return False, kind.value
        if self.hosts[url] != self.page_host and not kind.says_story:
            return False, f"on another host of the site, with {kind.value}"
        text = self.texts[url]
        if text and names_media(text) and not _slug_says(url, text):
            return False, f"a photo, gallery or video page (its link says {text!r})"
        words = self.words[url]
        shape = self.shapes[self.templates[url]]
        if kind is AddressKind.DATED:
            return True, kind.value
        headlines = shape.median_words >= HEADLINE_WORDS
        if kind is AddressKind.SLUG and words <= SECTION_NAME_WORDS and _slug_says(url, text):
            # `/news/science_and_environment/` "Science and Environment": a name, not a headline
            return False, f"{kind.value} whose text is its address's name: a section or tag front"
        if kind in (AddressKind.NUMBERED, AddressKind.ID, AddressKind.SLUG):
            if words >= OWN_HEADLINE_WORDS:
                return True, f"{kind.value}, and a headline as its text"
            if headlines:
                return (
                    True,
                    f"{kind.value}, and headlines as the texts of its kind ({count(shape.links, 'link')})",
                )
            if lenient:
                return True, f"{kind.value} (no link on the page reads as a headline: short texts taken)"
            return (
                False,
                f"{kind.value}, but short texts ({_words(words)}), as for its kind: a section or tag",
            )
        if shape.links >= SHAPE_LINKS and headlines and words >= OWN_HEADLINE_WORDS:
            return True, f"headlines as the texts of its address shape ({count(shape.links, 'link')})"
        if shape.links < SHAPE_LINKS:
            return (
                False,
                f"{kind.value}, and fewer than {SHAPE_LINKS} links of its shape to read as headlines",
            )
        return False, f"{kind.value}, and its address shape's texts are not headlines"


def _slug_says(url: str, text: str) -> bool:
    """The address's last name spells the link's text (`/2017/06/evergreen-images/`, "Evergreen Images"):
    a page named for its title, a story's permalink."""
    last = [s for s in path_and_query(url).split("?")[0].split("/") if s][-1:]
    words = re.findall(r"[^\W_]+", text.lower())
    return bool(last and words) and re.findall(r"[^\W_]+", last[0].lower().rsplit(".", 1)[0]) == words


def _words(n: float) -> str:
    return f"{n:g} word" + ("" if n == 1 else "s")


MAIN_STORIES = 3  # stories a page's <main> must hold for the page to be read by it
NEIGHBOURS = 2  # stories in a list that make a headline beside them a story, whatever its address


def _items(links: list[Link]) -> list[HtmlElement]:
    """Each link's item: its largest ancestor that holds links to its address only."""
    holds: dict[HtmlElement, set[str]] = {}
    for a, url in links:
        for ancestor in a.iterancestors():
            holds.setdefault(ancestor, set()).add(url)
    out = []
    for a, url in links:
        item = a
        for ancestor in a.iterancestors():
            if holds[ancestor] != {url} or ancestor.tag in ("body", "html"):
                break
            item = ancestor
        out.append(item)
    return out


def _outside_main(doc: HtmlElement, taken: list[Link]) -> dict[str, str]:
    """Stories only outside the page's main content, when the page marks one with HTML5's `<main>` and it
    holds stories of its own: side columns, before-footer boxes, widgets of other sections. (ARIA's
    `role="main"` is left alone: pages of its time put it on one column of several; a blog's `<aside>` of
    recent posts is left alone too: its stories are the site's newest, which a feed wants.)"""
    mains = list(doc.iter("main"))
    if len(mains) != 1:
        return {}
    main = mains[0]
    inside = {url for a, url in taken if any(an is main for an in a.iterancestors())}
    if len(inside) < MAIN_STORIES:
        return {}
    return {url: "outside the page's main content" for _a, url in taken if url not in inside}


def _box_of(a: HtmlElement) -> str:
    """Where a link stands, for a person: the two nearest named elements above it (else its tags)."""
    named: list[str] = []
    tags: list[str] = []
    for ancestor in a.iterancestors():
        if ancestor.tag in ("body", "html") or len(tags) >= 8:
            break
        tag = str(ancestor.tag)
        tags.append(tag)
        ident, cls = ancestor.get("id"), (ancestor.get("class") or "").split()
        if ident or cls:
            named.append(tag + (f"#{ident}" if ident else "") + (f".{cls[0]}" if cls else ""))
            if len(named) == 2:
                break
    return " < ".join(named or tags[:3])


def nothing_found(found: Discovery, listing: str) -> str:
    """Why a listing page gave no story, and what to set, for the log, status.json and check --live."""
    if not found.verdicts:
        return (
            f"listing {listing} has no story links: the page has no links at all (a page built by scripts, a "
            "block or maintenance page, or not a listing); use the site's RSS/Atom feed as `listing`, or "
            "another page"
        )
    reasons = Counter(v.why.split(",")[0] for v in found.verdicts)
    common = "; ".join(f"{n} {why}" for why, n in reasons.most_common(3))
    return (
        f"listing {listing} has no story links: none of its {len(found.verdicts)} addresses reads as a story "
        f"({common}); set `story_urls` to the site's story addresses or a listing selector in its profile, "
        "or use the site's RSS/Atom feed as `listing` (`feedgen-app discover URL` shows every link's verdict)"
    )


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
    (`any_link`), every item: a feed names its stories, wherever they are (but not on another port of the
    feed's own host: `http://site:8080/` beside `https://site/` is another service)."""
    found: dict[str, StoryRef] = {}
    for item in feed_items(page) or []:
        url = canonical(item.url, profile)
        if not url.startswith(("http://", "https://")):
            continue
        if host_of(url) == host_of(page.final_url) and not same_port(url, page.final_url):
            continue  # another port of the feed's own host is another service (an admin page), not a story
        if not any_link and not (host_allowed(url, page.final_url, profile) and is_story_url(url, profile)):
            continue
        if url not in found:
            text = item.hint.title[:300]
            found[url] = StoryRef(url=url, story_id=story_key(url), listing_text=text, hint=item.hint)
    return Discovery(tuple(found.values()), SITE_FEED_SOURCE)
