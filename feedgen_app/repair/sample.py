"""One story of a poll as the repair stage reads it (its page, parsed once, and the Story the profile made of
it), a field's value as a learned selector must reproduce it, and the page's elements that say a value.
Pure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import lxml.etree

from feedgen_app.dom import HtmlElement, base_url, parse
from feedgen_app.errors import FeedgenError
from feedgen_app.extraction.clean import squash
from feedgen_app.extraction.dates import find_labelled_date
from feedgen_app.extraction.extract import extract_story, labels_of, split_authors
from feedgen_app.extraction.images import image_url
from feedgen_app.profile import SiteProfile
from feedgen_app.records import ItemHint, Page, Story

MAX_TEXT = 400  # an element holding a title, byline, date or caption says no more than this
HOLDER_SIZE = 60  # elements inside an element that says a title, a byline, a date or a caption, at most
BLOCK_SIZE = 400  # elements inside the block holding one of the body's paragraphs, at most
BLOCK_CHARS = 20_000  # and characters
MAX_SCANNED = 20_000  # small elements read for one field on one page
_TEXT_BLOCKS = frozenset({"p", "div", "li", "td", "blockquote"})
SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "meta", "template", "noscript", "html", "body"})


@dataclass(frozen=True)
class Sample:
    """One story of a poll: the page fetched and the Story the feed's profile made of it."""

    page: Page
    story: Story
    hint: ItemHint | None = None
    max_body_bytes: int | None = None  # the feed's max_story_kb, as the story was extracted

    @cached_property
    def doc(self) -> HtmlElement:
        return parse(self.page.text)

    @cached_property
    def small(self) -> list[HtmlElement]:
        """The page's elements small enough to say a title, a byline, a date or a caption."""
        return _small_elements(self.doc, HOLDER_SIZE, 4 * MAX_TEXT)

    @cached_property
    def blocks(self) -> list[HtmlElement]:
        """The page's blocks small enough to be one paragraph's."""
        return _small_elements(self.doc, BLOCK_SIZE, BLOCK_CHARS, _TEXT_BLOCKS)

    @cached_property
    def base(self) -> str:
        return base_url(self.doc, self.page.final_url)

    def extract(self, profile: SiteProfile, now: datetime | None) -> Story | None:
        try:
            return extract_story(
                self.page, profile, self.story.url, self.story.story_id, self.max_body_bytes, self.hint, now
            )
        except FeedgenError:
            return None


def value_of(story: Story | None, field: str) -> object | None:
    """A field's value as the learned selector must reproduce it (dates to the minute the pages print; a
    body as its paragraphs, spaces squashed)."""
    if story is None:
        return None
    if field in ("published", "updated"):
        when: datetime | None = getattr(story, field)
        return when.replace(second=0, microsecond=0) if when else None
    if field == "image":
        return story.image.url if story.image else None
    if field == "caption":
        return story.image.caption if story.image else None
    if field == "body":
        return tuple(squash(line) for line in story.body_text.split("\n") if line.strip()) or None
    value = getattr(story, field)
    return value or None


BODY_KEPT = 0.8  # a learned body keeps at least this share of the fallback's text, and takes nothing else


def agrees(field: str, mine: object | None, theirs: object | None) -> bool:
    """Whether a selector's value is the fallback's. A body agrees when every paragraph it gives is in the
    fallback's text and it keeps most of that text: never wider (no menu, comment or related box the
    generic extractor left out), a little narrower allowed (the generic extractor takes a standfirst or a
    tags row along with the story at times)."""
    if field != "body" or not isinstance(mine, tuple) or not isinstance(theirs, tuple):
        return same_value(mine, theirs) if theirs is not None else mine is None
    text = " ".join(theirs)
    return all(p in text for p in mine) and len(" ".join(mine)) >= BODY_KEPT * len(text)


def same_value(found: object | None, wanted: object) -> bool:
    if isinstance(found, datetime):
        found = found.replace(second=0, microsecond=0)
    return found is not None and found == wanted


def _small_elements(
    doc: HtmlElement, limit: int, max_chars: int, tags: frozenset[str] | None = None
) -> list[HtmlElement]:
    """The page's elements with at most `limit` elements and about `max_chars` characters inside them, in
    page order: a headline, a byline, a date line or a paragraph's block is small, and reading only those
    keeps a hostile page (100,000 elements, nesting 10,000 deep) as cheap to read as any other. Sizes are
    counted once, children before parents."""
    body = doc.find("body")
    root = body if body is not None else doc
    every = [el for el in root.iter() if isinstance(el.tag, str)]
    sizes: dict[HtmlElement, int] = {}
    chars: dict[HtmlElement, int] = {}
    for el in reversed(every):
        kids = [child for child in el if isinstance(child.tag, str)]
        sizes[el] = 1 + sum(sizes[child] for child in kids)
        chars[el] = len(el.text or "") + sum(chars[child] + len(child.tail or "") for child in kids)
    return [
        el
        for el in every
        if sizes[el] <= limit
        and chars[el] <= max_chars
        and el.tag not in SKIPPED_TAGS
        and (tags is None or el.tag in tags)
    ]


_HIDDEN = frozenset({"script", "style", "template"})


def visible_text(el: HtmlElement) -> str:
    """An element's visible text (not its scripts'), spaces squashed: read in one walk of the element,
    where dom.text_of asks every text's ancestors, which is slow in a deep tree."""
    parts: list[str] = []
    hidden = 0
    for event, node in lxml.etree.iterwalk(el, events=("start", "end")):
        element = isinstance(node.tag, str)
        if event == "start":
            hidden += element and node.tag in _HIDDEN
            if not hidden and element and node.text:
                parts.append(node.text)
            continue
        hidden -= element and node.tag in _HIDDEN
        if not hidden and node is not el and node.tail:
            parts.append(node.tail)
    return squash(" ".join(parts))  # as dom.text_of joins its pieces


def deepest_holders(found: list[HtmlElement]) -> list[HtmlElement]:
    """The holders no other holder sits inside (a headline's `<h1>`, not its wrapper that says the same)."""
    inside = {anc for el in found for anc in el.iterancestors()}
    return [el for el in found if el not in inside]


def holders(sample: Sample, field: str, wanted: object, profile: SiteProfile) -> list[HtmlElement]:
    """The page's elements that say the fallback's value for a field."""
    if field == "image":
        return [img for img in sample.doc.iter("img") if image_url(img, sample.base) == wanted]
    test: Callable[[str], bool]
    if field == "authors":
        test = lambda text: split_authors(text, profile) == wanted  # noqa: E731
    elif field in ("published", "updated"):
        own, others = labels_of(field, profile)

        year = str(wanted.year) if isinstance(wanted, datetime) else ""

        def test(text: str) -> bool:
            if year not in text:  # a date line names its year; most elements are not one
                return False
            found = find_labelled_date(text, own, profile.zone, profile.date_formats, others)
            return same_value(found, wanted)

    else:
        test = lambda text: text == wanted  # noqa: E731
    found = []
    for el in sample.small[:MAX_SCANNED]:
        text = visible_text(el)
        if text and len(text) <= MAX_TEXT and test(text):
            found.append(el)
    return deepest_holders(found)
