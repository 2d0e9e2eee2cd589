"""Extraction: a story page in, a `Story` out, field by field through a chain of sources.

For every field the chain is: the profile's selectors (first match wins) → JSON-LD → OpenGraph / meta →
the generic extractor. The Story records which source gave each field, so a build can tell when a
profile has stopped matching. Pure: takes a Page and a SiteProfile, does no I/O.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from datetime import datetime

from bs4 import BeautifulSoup, Tag

from feedgen_app import generic
from feedgen_app.clean import clean_body, remove_matching, squash, strip_control
from feedgen_app.dates import PUBLISHED_LABELS, UPDATED_LABELS, find_labelled_date
from feedgen_app.errors import ExtractError
from feedgen_app.images import image_url
from feedgen_app.metadata import Metadata, json_ld, open_graph
from feedgen_app.profile import ArticleRules, ListingRules, Selector, SiteProfile
from feedgen_app.records import Image, Page, Story
from feedgen_app.urls import absolute

REQUIRED_FIELDS = ("title", "published", "body")
SUMMARY_CHARS = 300


def without_selectors(profile: SiteProfile) -> SiteProfile:
    """The same site with its selectors switched off: what the fallbacks alone can do."""
    return dataclasses.replace(profile, listing=ListingRules(), article=ArticleRules())


def _value(tag: Tag, sel: Selector) -> str:
    if sel.attr:
        raw = tag.get(sel.attr)
        return squash(" ".join(raw) if isinstance(raw, list) else str(raw or ""))
    return squash(tag.get_text(" "))


def first_text(root: Tag, selectors: Sequence[Selector], join_all: bool = False) -> tuple[str, str] | None:
    """(value, "profile:<selector>") for the first selector with a non-empty match."""
    for sel in selectors:
        matches = sel.compiled.select(root)
        values = [v for v in (_value(m, sel) for m in matches) if v]
        if values:
            return (" ".join(values) if join_all else values[0]), f"profile:{sel.text}"
    return None


def _first_tag(
    root: Tag, selectors: Sequence[Selector], accept: Callable[[Tag], bool]
) -> tuple[Tag, str] | None:
    for sel in selectors:
        for tag in sel.compiled.select(root):
            if accept(tag):
                return tag, f"profile:{sel.text}"
    return None


class _Chain:
    """Records, per field, which source gave the value."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def pick(self, field: str, *options: tuple[str, object | None]) -> object | None:
        for source, value in options:
            if value:
                self.sources[field] = source
                return value
        return None


def _strip_title(text: str | None, profile: SiteProfile) -> str | None:
    if not text:
        return None
    for pattern in profile.title_suffix:
        text = pattern.sub("", text)
    return squash(text) or None


def split_authors(text: str | Sequence[str], profile: SiteProfile) -> tuple[str, ...]:
    raw = [text] if isinstance(text, str) else list(text)
    out: list[str] = []
    for item in raw:
        for pattern in profile.author_strip:
            item = pattern.sub(" ", item)
        item = re.sub(r"^\s*by\s+", "", squash(item), flags=re.IGNORECASE)
        for name in re.split(r"\s*(?:,|;|&|\band\b|\n)\s*", item):
            name = squash(name).strip(" -|·")
            if name and len(name) <= 80 and name not in out:
                out.append(name)
    return tuple(out)


def _date(
    profile: SiteProfile,
    root: BeautifulSoup,
    selectors: Sequence[Selector],
    labels: Sequence[str],
    fallbacks: Sequence[tuple[str, str | None]],
    chain: _Chain,
    field: str,
) -> datetime | None:
    zone = profile.zone
    found = first_text(root, selectors, join_all=True)
    if found:
        parsed = find_labelled_date(found[0], labels, zone, profile.date_formats)
        if parsed:
            chain.sources[field] = found[1]
            return parsed
    for source, raw in fallbacks:
        parsed = find_labelled_date(raw, labels, zone, profile.date_formats) if raw else None
        if parsed:
            chain.sources[field] = source
            return parsed
    return None


def _excluded(url: str, profile: SiteProfile) -> bool:
    return any(p.search(url) for p in profile.image_exclude)


def _caption_near(img: Tag) -> str | None:
    for parent in img.parents:
        if not isinstance(parent, Tag) or parent.name in ("article", "body", "section"):
            break
        cap = parent.find(["figcaption"]) or parent.find(class_=re.compile(r"caption", re.I))
        if isinstance(cap, Tag) and squash(cap.get_text(" ")):
            return squash(cap.get_text(" "))
    return None


def _lead_image(
    soup: BeautifulSoup,
    body: Tag | None,
    profile: SiteProfile,
    base: str,
    ld: Metadata,
    og: Metadata,
    chain: _Chain,
) -> Image | None:
    art = profile.article
    url: str | None = None
    img_tag: Tag | None = None
    for sel in art.image:
        for tag in sel.compiled.select(soup):
            candidate = absolute(str(tag.get(sel.attr) or ""), base) if sel.attr else image_url(tag, base)
            if candidate and not _excluded(candidate, profile):
                url, img_tag = candidate, tag
                chain.sources["image"] = f"profile:{sel.text}"
                break
        if url:
            break
    if url is None:
        for source, raw in (("json-ld", ld.image), ("opengraph", og.image)):
            candidate = absolute(raw, base) if raw else None
            if candidate and not _excluded(candidate, profile):
                url = candidate
                chain.sources["image"] = source
                break
    if url is None and body is not None:
        for tag in body.find_all("img"):
            candidate = image_url(tag, base)
            if candidate and not _excluded(candidate, profile):
                url, img_tag = candidate, tag
                chain.sources["image"] = "generic"
                break
    if url is None:
        return None
    if img_tag is None and body is not None:  # a metadata image: is it also shown in the body?
        img_tag = next((t for t in body.find_all("img") if image_url(t, base) == url), None)
    caption = None
    found = first_text(soup, art.caption)
    if found:
        caption, chain.sources["caption"] = found
    elif img_tag is not None:
        caption = _caption_near(img_tag)
        if caption:
            chain.sources["caption"] = "generic"
    alt = squash(str(img_tag.get("alt") or "")) if img_tag is not None else ""
    return Image(url=url, caption=caption, alt=alt or (caption or ""))


def _body_element(soup: BeautifulSoup, profile: SiteProfile, chain: _Chain) -> Tag | None:
    found = _first_tag(
        soup, profile.article.body, lambda t: bool(squash(t.get_text(" "))) or bool(t.find("iframe"))
    )
    if found:
        chain.sources["body"] = found[1]
        return found[0]
    tag = generic.find_body(soup)
    if tag is not None:
        chain.sources["body"] = "generic"
    return tag


def _summary(description: str | None, paragraphs: Sequence[str]) -> str:
    text = " ".join(paragraphs)
    if not text:
        return description or ""
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def extract_story(page: Page, profile: SiteProfile, url: str, story_id: str) -> Story:
    """Extract one story. Raises ExtractError when the page holds no title or no text."""
    soup = BeautifulSoup(strip_control(page.text), "lxml")
    base = page.final_url
    ld, og = json_ld(soup), open_graph(soup)
    chain = _Chain()
    art = profile.article

    found_title = first_text(soup, art.title)
    title = chain.pick(
        "title",
        (found_title[1] if found_title else "", found_title[0] if found_title else None),
        ("json-ld", ld.title),
        ("opengraph", _strip_title(og.title, profile)),
        ("generic", _strip_title(generic.title(soup), profile)),
    )
    if not isinstance(title, str):
        raise ExtractError(url, "no title found (profile selectors, JSON-LD, OpenGraph and <h1> all empty)")

    found_sub = first_text(soup, art.subtitle)
    subtitle = found_sub[0] if found_sub else None
    if found_sub:
        chain.sources["subtitle"] = found_sub[1]

    found_auth = first_text(soup, art.authors)
    authors = chain.pick(
        "authors",
        (found_auth[1] if found_auth else "", split_authors(found_auth[0], profile) if found_auth else None),
        ("json-ld", split_authors(ld.authors, profile)),
        ("opengraph", split_authors(og.authors, profile)),
        ("generic", split_authors(generic.byline(soup) or "", profile)),
    )
    gen_published, gen_updated = generic.dates(soup)
    published = _date(
        profile,
        soup,
        art.published,
        PUBLISHED_LABELS,
        [("json-ld", ld.published), ("opengraph", og.published), ("generic", gen_published)],
        chain,
        "published",
    )
    updated = _date(
        profile,
        soup,
        art.updated,
        UPDATED_LABELS,
        [("json-ld", ld.updated), ("opengraph", og.updated), ("generic", gen_updated)],
        chain,
        "updated",
    )
    if updated is None or (published is not None and updated < published):
        updated = published
        chain.sources.pop("updated", None)

    body_tag = _body_element(soup, profile, chain)
    image = _lead_image(soup, body_tag, profile, base, ld, og, chain)
    if body_tag is None:
        raise ExtractError(
            url, "no story text found (profile body selectors and the generic extractor found none)"
        )
    for sel in art.strip:
        for tag in sel.compiled.select(body_tag):
            tag.decompose()
    if image and image.caption:
        remove_matching(body_tag, [image.caption])
    lead = image.url if image else None
    body = clean_body(body_tag, base, skip_image=lambda u: u == lead)
    if not body.paragraphs and not body.videos:
        raise ExtractError(url, "the story has no text (an empty body, or a page of another kind)")
    warnings: tuple[str, ...] = ()
    if not body.paragraphs:
        warnings = ("video-only story: the entry links to the video",)
    return Story(
        url=url,
        story_id=story_id,
        title=title,
        subtitle=subtitle,
        authors=tuple(authors) if isinstance(authors, tuple) else (),
        published=published,
        updated=updated,
        body_html=body.html,
        body_text=body.text,
        image=image,
        summary=_summary(ld.description or og.description, body.paragraphs),
        sources=tuple(sorted(chain.sources.items())),
        warnings=warnings,
    )


def fallback_fields(story: Story) -> tuple[str, ...]:
    """The required fields that did not come from the profile's selectors."""
    return tuple(f for f in REQUIRED_FIELDS if not (story.source_of(f) or "").startswith("profile:"))
