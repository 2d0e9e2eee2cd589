"""Extraction: a story page in, a `Story` out, field by field through a chain of sources.

For every field the chain is: the profile's selectors (first match wins) → JSON-LD → OpenGraph / meta →
the generic extractor. Later links are only computed when an earlier one found nothing. The Story records
which source gave each field, so a build can tell when a profile has stopped matching. Pure: takes a Page
and a SiteProfile, does no I/O.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import cached_property

from feedgen_app.dom import HtmlElement, base_url, parse, select, text_of
from feedgen_app.errors import ExtractError
from feedgen_app.extraction import generic
from feedgen_app.extraction.body_trim import remove_author_bio, remove_headline, remove_lead_meta
from feedgen_app.extraction.clean import clean_body, remove_matching, squash
from feedgen_app.extraction.dates import (
    PUBLISHED_LABELS,
    UPDATED_LABELS,
    ambiguous,
    find_labelled_date,
    plausible,
    zone_unread,
)
from feedgen_app.extraction.field_bounds import bounded
from feedgen_app.extraction.images import image_url, is_icon_or_banner, not_a_photo, same_picture
from feedgen_app.extraction.main_text import find_main_text
from feedgen_app.extraction.metadata import Metadata, json_ld, open_graph
from feedgen_app.extraction.reading_time import ReadingTime
from feedgen_app.profile import ArticleRules, ListingRules, Selector, SiteProfile
from feedgen_app.records import Image, ItemHint, Page, Story
from feedgen_app.urls import web_address

REQUIRED_FIELDS = ("title", "published", "body")
SUMMARY_CHARS = 300
FEED_ITEM = "feed-item"  # a field taken from what the site's feed says of the story
Candidate = tuple[str, Callable[[], object]]  # (source name, a function that finds the value)


def without_selectors(profile: SiteProfile) -> SiteProfile:
    """The same site with its selectors switched off: what the fallbacks alone can do."""
    return dataclasses.replace(profile, listing=ListingRules(), article=ArticleRules())


def _value(tag: HtmlElement, sel: Selector) -> str:
    return squash(tag.get(sel.attr) or "") if sel.attr else text_of(tag)


def first_text(
    root: HtmlElement, selectors: Sequence[Selector], join_all: bool = False
) -> tuple[str, str] | None:
    """(value, "profile:<selector>" or "learned:<selector>") for the first selector with a non-empty match."""
    for sel in selectors:
        values = [v for v in (_value(m, sel) for m in select(sel.compiled, root)) if v]
        if values:
            return (" ".join(values) if join_all else values[0]), sel.origin
    return None


class _Page:
    """One story page with its metadata sources, each parsed only when the chain reaches it."""

    def __init__(
        self,
        page: Page,
        profile: SiteProfile,
        hint: ItemHint | None = None,
        now: datetime | None = None,
        reading: ReadingTime | None = None,
    ) -> None:
        self.hint = hint
        self.now = now  # dates more than a day after it are not the story's
        self.url = page.final_url
        self.reading = reading or ReadingTime(page.final_url, len(page.text))
        self.doc = parse(page.text)
        self.reading.check("parsing")
        self.base = base_url(self.doc, page.final_url)
        self.profile = profile
        self.sources: dict[str, str] = {}
        self.missed: set[str] = set()  # fields whose profile selectors matched nothing on this page
        self.notes: list[str] = []  # what a person should know of this extraction (a zone assumed)

    @cached_property
    def ld(self) -> Metadata:
        return json_ld(self.doc)

    @cached_property
    def og(self) -> Metadata:
        return open_graph(self.doc)

    @cached_property
    def generic_dates(self) -> tuple[str | None, str | None]:
        return generic.dates(self.doc)

    @cached_property
    def state_dates(self) -> tuple[str | None, str | None]:
        return generic.state_dates(self.doc)

    @cached_property
    def printed_date(self) -> str | None:
        return generic.printed_date(self.doc)

    def printed_before(
        self, published: datetime | None, labels: Sequence[str], others: Sequence[str]
    ) -> datetime | None:
        """A date the page prints for its readers that is days before what its metadata says: site
        builders write the page's build or edit time into JSON-LD and OpenGraph, but a story is never
        published after the date it shows. Only for dates from metadata, not from the profile."""
        source = self.sources.get("published", "")
        if published is None or source not in ("json-ld", "opengraph"):
            return None
        text = self.printed_date
        if text and ambiguous(text):
            return None
        shown = (
            find_labelled_date(text, labels, self.profile.zone, self.profile.date_formats, others)
            if text
            else None
        )
        if plausible(shown, self.now) and shown is not None and shown < published - timedelta(days=1):
            self.sources["published"] = "printed"
            return shown
        return None

    def pick(
        self,
        field: str,
        selectors: Sequence[Selector],
        convert: Callable[[str], object],
        fallbacks: Iterable[Candidate],
    ) -> object | None:
        found = first_text(self.doc, selectors)
        if found:
            value = convert(found[0])
            if value:
                self.sources[field] = found[1]
                return value
        elif selectors:
            self.missed.add(field)
        for source, finder in fallbacks:
            value = finder()
            if value:
                self.sources[field] = source
                return value
        return None

    def date(
        self, field: str, selectors: Sequence[Selector], labels: Sequence[str], others: Sequence[str]
    ) -> datetime | None:
        zone, formats = self.profile.zone, self.profile.date_formats
        found = first_text(self.doc, selectors, join_all=True)
        if found:
            parsed = find_labelled_date(found[0], labels, zone, formats, others)
            if plausible(parsed, self.now):
                self.sources[field] = found[1]
                return parsed
        elif selectors:
            self.missed.add(field)
        index = 0 if field == "published" else 1
        # metadata first; a page that gives only a modification date is dated by it before any guess;
        # a date line printed on the page beats keys found in script state; the URL's date comes last
        raw_values: list[tuple[str, Callable[[], str | None]]] = [
            ("json-ld", lambda: self.ld.published if index == 0 else self.ld.updated),
            ("opengraph", lambda: self.og.published if index == 0 else self.og.updated),
            ("json-ld", lambda: self.ld.updated if index == 0 else None),
            ("opengraph", lambda: self.og.updated if index == 0 else None),
            (
                FEED_ITEM,
                lambda: (
                    self.hint.published.isoformat()
                    if index == 0 and self.hint and self.hint.published
                    else None
                ),
            ),
            ("generic", lambda: self.generic_dates[index]),
            ("printed", lambda: self.printed_date),
            ("script-state", lambda: self.state_dates[index]),
            ("attribute", lambda: generic.attribute_date(self.doc) if index == 0 else None),
            ("url", lambda: generic.url_date(self.url) if index == 0 else None),
        ]
        for source, raw in raw_values:
            text = raw()
            parsed = find_labelled_date(text, labels, zone, formats, others) if text else None
            if plausible(parsed, self.now):  # a year-1 or next-year date in JSON-LD: the next source
                self.sources[field] = source
                if text and source != FEED_ITEM:
                    self._note_zone(field, text)
                return parsed
        return None

    def _note_zone(self, field: str, text: str) -> None:
        """A time read as UTC because the page gives no zone we read, on a site with no profile zone: a
        person should know it may be hours off (the Korea Herald prints Korea time with no zone)."""
        if self.profile.timezone != "UTC" or not re.search(r"\d{1,2}:\d{2}", text):
            return
        unread = zone_unread(text)
        if unread:
            self.notes.append(
                f"{field}: the page {unread} ({' '.join(text.split())[:40]!r}); read as UTC (give the site "
                "a `timezone` in its [sites.NAME] table)"
            )


def _strip_title(text: str | None, profile: SiteProfile) -> str | None:
    if not text:
        return None
    for pattern in profile.title_suffix:
        text = pattern.sub("", text)
    return squash(text) or None


def _untruncated(title: str | None, other: str | None) -> str | None:
    """JSON-LD headlines are often cut at 110 characters ("..."): prefer the full title when another
    source has it."""
    if title and other and title.rstrip(".… ") != title and other.startswith(title.rstrip(".… ")):
        return other
    return title


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


def excluded_image(url: str, profile: SiteProfile) -> bool:
    return not_a_photo(url) or any(p.search(url) for p in profile.image_exclude)


def _caption_near(img: HtmlElement) -> str | None:
    for parent in img.iterancestors():
        if parent.tag in ("article", "body", "section"):
            break
        for cap in parent.iter():
            if cap.tag == "figcaption" or "caption" in (cap.get("class") or "").lower():
                text = text_of(cap)
                if text:
                    return text
    return None


def _lead_image(p: _Page, body: HtmlElement | None) -> Image | None:
    profile, base = p.profile, p.base
    url: str | None = None
    img_tag: HtmlElement | None = None
    for sel in profile.article.image:
        for tag in select(sel.compiled, p.doc):
            candidate = web_address(tag.get(sel.attr) or "", base) if sel.attr else image_url(tag, base)
            if candidate and not excluded_image(candidate, profile):
                url, img_tag = candidate, tag
                p.sources["image"] = sel.origin
                break
        if url:
            break
    if (
        url is None
        and profile.article.image
        and not any(select(sel.compiled, p.doc) for sel in profile.article.image)
    ):
        p.missed.add("image")
    if url is None:
        metadata_images: list[tuple[str, Callable[[], str | None]]] = [
            ("json-ld", lambda: p.ld.image),
            ("opengraph", lambda: p.og.image),
        ]
        for source, raw in metadata_images:
            value = raw()
            candidate = web_address(value, base) if value else None  # never `javascript:` or `data:`
            if candidate and not excluded_image(candidate, profile):
                url = candidate
                p.sources["image"] = source
                break
    if url is None and body is not None:
        for tag in body.iter("img"):
            candidate = image_url(tag, base)
            if candidate and not excluded_image(candidate, profile) and not is_icon_or_banner(tag):
                url, img_tag = candidate, tag
                p.sources["image"] = "generic"
                break
    if url is None:
        return None
    if img_tag is None and body is not None:  # a metadata image: is it also shown in the body?
        img_tag = next((t for t in body.iter("img") if same_picture(image_url(t, base) or "", url)), None)
    caption = None
    found = first_text(p.doc, profile.article.caption)
    if found:
        caption, p.sources["caption"] = found
    elif profile.article.caption:
        p.missed.add("caption")
    if not found and img_tag is not None:
        caption = _caption_near(img_tag)
        if caption:
            p.sources["caption"] = "generic"
    alt = squash(img_tag.get("alt") or "") if img_tag is not None else ""
    return Image(url=url, caption=caption, alt=alt or (caption or ""))


def _body_element(p: _Page) -> HtmlElement | None:
    for sel in p.profile.article.body:
        for tag in select(sel.compiled, p.doc):
            if text_of(tag) or any(True for _ in tag.iter("iframe")):
                p.sources["body"] = sel.origin
                return tag
    if p.profile.article.body:
        p.missed.add("body")
    tag = find_main_text(p.doc)
    if tag is not None:
        p.sources["body"] = "generic"
    return tag


def _summary(description: str | None, paragraphs: Sequence[str]) -> str:
    text = " ".join(paragraphs)
    if not text:
        return description or ""
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def extract_story(
    page: Page,
    profile: SiteProfile,
    url: str,
    story_id: str,
    max_body_bytes: int | None = None,
    hint: ItemHint | None = None,
    now: datetime | None = None,
    reading: ReadingTime | None = None,
) -> Story:
    """Extract one story. Raises ExtractError when the page holds no title or no text, or when reading it
    takes longer than its size allows (`reading`, by default one that starts now). A body over
    `max_body_bytes` is cut at a block boundary, with a line that says so and links to the page. `hint`,
    what a site's feed says of the story, fills the title, authors and date where the page gives none (its
    date ranks with the page's metadata, before dates guessed from the text or the URL). A date more than
    a day after `now` (or before 1990, or with an impossible offset) is passed over for the next source."""
    p = _Page(page, profile, hint, now, reading)
    art = profile.article
    title = p.pick(
        "title",
        art.title,
        str,
        [
            ("json-ld", lambda: _untruncated(p.ld.title, _strip_title(p.og.title, profile))),
            ("opengraph", lambda: _strip_title(p.og.title, profile)),
            ("generic", lambda: _strip_title(generic.title(p.doc), profile)),
            (FEED_ITEM, lambda: hint.title if hint else None),
        ],
    )
    if not isinstance(title, str):
        raise ExtractError(url, "no title found (profile selectors, JSON-LD, OpenGraph and <h1> all empty)")
    found_sub = first_text(p.doc, art.subtitle)
    subtitle = found_sub[0] if found_sub else None
    if found_sub:
        p.sources["subtitle"] = found_sub[1]
    authors = p.pick(
        "authors",
        art.authors,
        lambda text: split_authors(text, profile),
        [
            ("json-ld", lambda: split_authors(p.ld.authors, profile)),
            ("opengraph", lambda: split_authors(p.og.authors, profile)),
            ("generic", lambda: split_authors(generic.byline(p.doc) or "", profile)),
            (FEED_ITEM, lambda: split_authors(list(hint.authors), profile) if hint else ()),
        ],
    )
    published_labels, updated_labels = labels_of("published", profile)
    published = p.date("published", art.published, published_labels, updated_labels)
    updated = p.date("updated", art.updated, updated_labels, published_labels)
    if published is None and updated is not None:  # a page that prints only "Updated ...": its date
        published = updated
        p.sources["published"] = p.sources.get("updated", "")
    printed = p.printed_before(published, published_labels, updated_labels)
    if printed is not None:
        published = printed
    if updated is None or (published is not None and updated < published):
        updated = published
        p.sources.pop("updated", None)

    p.reading.check("the story's fields")
    body_tag = _body_element(p)
    p.reading.check("finding the story's text")
    image = _lead_image(p, body_tag)
    if body_tag is None:
        raise ExtractError(
            url, "no story text found (profile body selectors and the generic extractor found none)"
        )
    for sel in art.strip:
        for tag in select(sel.compiled, body_tag):
            if tag is not body_tag and tag.getparent() is not None:
                tag.drop_tree()
    remove_headline(body_tag, title)
    lined = remove_lead_meta(body_tag)
    if not authors and lined:  # no author anywhere but a byline line in the text: "Tom Becker · Dec 4"
        authors = split_authors(list(lined), profile)
        p.sources["authors"] = "byline line"
    if isinstance(authors, tuple):
        remove_author_bio(body_tag, authors)
    if image and image.caption:
        remove_matching(body_tag, [image.caption])
    lead = image.url if image else None
    try:
        body = clean_body(
            body_tag,
            p.base,
            skip_image=lambda u: lead is not None and same_picture(u, lead),
            video_hosts=profile.video_hosts,
            max_bytes=max_body_bytes,
        )
    except RecursionError:
        raise ExtractError(url, "the story's markup is nested too deeply to read") from None
    p.reading.check("cleaning the story's text")
    if not body.paragraphs and not body.videos:
        raise ExtractError(url, "the story has no text (an empty body, or a page of another kind)")
    warnings: tuple[str, ...] = ()
    cut: str | None = None
    body_html = body.html
    if not body.paragraphs:
        warnings = ("video-only story: the entry links to the video",)
    if body.cut_from and max_body_bytes:
        limit, size = _kb(max_body_bytes), _kb(body.cut_from)
        cut = f"cut to the size limit (max_story_kb): {limit} of {size} kept"
        warnings += (cut,)
        body_html += (
            f"\n<p><em>This story is {size} long, over this feed's {limit} limit: "
            f'<a href="{html.escape(url)}">read the rest on the site</a>.</em></p>'
        )
    warnings += tuple(dict.fromkeys(p.notes))
    description = p.ld.description or p.og.description if not body.paragraphs else None
    return bounded(
        Story(
            url=url,
            story_id=story_id,
            title=title,
            subtitle=subtitle,
            authors=authors if isinstance(authors, tuple) else (),
            published=published,
            updated=updated,
            body_html=body_html,
            body_text=body.text,
            image=image,
            summary=_summary(description, body.paragraphs),
            sources=tuple(sorted(p.sources.items())),
            warnings=warnings,
            cut=cut,
            missed=tuple(sorted(p.missed)),
        )
    )


def labels_of(field: str, profile: SiteProfile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A date field's own labels ("Published", "입력"...) and the other date's, the built-in and the site's."""
    published = (*PUBLISHED_LABELS, *profile.published_labels)
    updated = (*UPDATED_LABELS, *profile.updated_labels)
    return (published, updated) if field == "published" else (updated, published)


def _kb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def from_profile(source: str | None) -> bool:
    """Whether a field's source is one of the profile's selectors (written by a person, or learned)."""
    return (source or "").startswith(("profile:", "learned:"))


def from_learned(source: str | None) -> bool:
    """Whether a field's (or a listing's) source is a selector the repair stage learned."""
    return (source or "").startswith("learned:")


def fallback_fields(story: Story, profile: SiteProfile) -> tuple[str, ...]:
    """The required fields the profile has selectors for that came from elsewhere (a profile with no
    selectors, like `auto`, expects nothing)."""
    return tuple(
        f for f in REQUIRED_FIELDS if getattr(profile.article, f) and not from_profile(story.source_of(f))
    )
