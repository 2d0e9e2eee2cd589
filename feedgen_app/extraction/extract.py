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
from collections.abc import Sequence
from datetime import datetime

from feedgen_app.dom import HtmlElement, fragment, select, text_of
from feedgen_app.errors import ExtractError
from feedgen_app.extraction import generic
from feedgen_app.extraction.app_data import AppStory, app_story, story_at
from feedgen_app.extraction.body_trim import (
    remove_author_bio,
    remove_closing_sections,
    remove_headline,
    remove_lead_meta,
    remove_page_footer,
)
from feedgen_app.extraction.clean import clean_body, remove_matching, squash
from feedgen_app.extraction.dates import (
    PUBLISHED_LABELS,
    UPDATED_LABELS,
)
from feedgen_app.extraction.field_bounds import bounded
from feedgen_app.extraction.images import same_picture
from feedgen_app.extraction.lead_image import lead_image
from feedgen_app.extraction.main_text import find_main_text
from feedgen_app.extraction.reading_time import ReadingTime
from feedgen_app.extraction.story_page import FEED_ITEM, StoryPage, first_text
from feedgen_app.profile import ArticleRules, ListingRules, SiteProfile
from feedgen_app.records import ItemHint, Page, Story

REQUIRED_FIELDS = ("title", "published", "body")
SUMMARY_CHARS = 300
APP_DATA = "app-data"  # a field taken from the page's embedded app data (a script framework's state)


def without_selectors(profile: SiteProfile) -> SiteProfile:
    """The same site with its selectors switched off: what the fallbacks alone can do."""
    return dataclasses.replace(profile, listing=ListingRules(), article=ArticleRules())


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


APP_DATA_WINS = 2.0  # how much more text the app data's story must hold than the page's HTML to be read
THIN_HTML = 3000  # characters: a page's story text under this may be a script framework's shell


def _body_element(p: StoryPage, title: str) -> tuple[HtmlElement | None, AppStory | None]:
    """The story's body element (the profile's, else the generic extractor's, else the story in the page's
    app data when the HTML holds little of it), and that app data story when it was read."""
    for sel in p.profile.article.body:
        if sel.data_path:
            found = story_at(p.app_scripts, sel.data_path)
            if found is not None:
                p.sources["body"] = sel.origin
                return fragment(found.body_html), found
            continue
        for tag in select(sel.compiled, p.doc):
            if text_of(tag) or any(True for _ in tag.iter("iframe")):
                p.sources["body"] = sel.origin
                return tag, None
    if p.profile.article.body:
        p.missed.add("body")
    scripts = p.app_scripts  # read before the generic extractor takes the page apart
    tag = find_main_text(p.doc)
    # its size by itertext: XPath over a detached tree of many siblings is quadratic in libxml2
    shown = sum(len(t.strip()) for t in tag.itertext()) if tag is not None else 0
    app = app_story(scripts, title) if scripts and shown < THIN_HTML else None
    if app is not None and app.text_length > APP_DATA_WINS * shown:
        p.sources["body"] = APP_DATA
        return fragment(app.body_html), app
    if tag is not None:
        p.sources["body"] = "generic"
    return tag, None


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
    p = StoryPage(page, profile, hint, now, reading)
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
    body_tag, app = _body_element(p, title)
    if not authors and app is not None and app.authors:
        authors = split_authors(list(app.authors), profile)
        p.sources["authors"] = APP_DATA
    p.reading.check("finding the story's text")
    image = lead_image(p, body_tag)
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
    remove_author_bio(body_tag, authors if isinstance(authors, tuple) else (), p.ld.author_bios)
    remove_page_footer(body_tag)
    remove_closing_sections(body_tag)
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
    """A date field's own labels ("Published", "Posted"...) and the other date's, the built-in and the site's."""
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
