"""The generic extractor: the last link of the chain, for pages no profile describes.

Takes a parsed page; returns plain guesses for title, byline and dates (the body is main_text's). Pure.
"""

from __future__ import annotations

import re
from datetime import UTC

import lxml.etree

from feedgen_app.address_kind import address_date
from feedgen_app.chrome import CHROME_TAGS
from feedgen_app.dom import HtmlElement, compile_css, select, text_of
from feedgen_app.extraction.body_trim import LEAD_META, line_date
from feedgen_app.extraction.clean import squash
from feedgen_app.extraction.dates import parse_date
from feedgen_app.extraction.junk import junk_named, never_story

# chrome by its tag for dates and bylines: the page header only when named (a story's title block is often
# in it), and forms
_CHROME = (CHROME_TAGS - {"header"}) | {"form"}


def in_chrome(tag: HtmlElement, named: bool = False) -> bool:
    """True inside a menu, footer, aside, or a box named as comments or related stories; with
    `named` (for links), also inside the page header and any box named as chrome (ads, sharing,
    most-read, bylines...: see junk.py). Without it (for dates and bylines), an article's <header> counts."""
    node: HtmlElement | None = tag
    # inside the story's <article>, its own <aside> or <footer> holds its date and byline
    in_story = not named and any(a.tag == "article" for a in tag.iterancestors())
    while node is not None and node.tag not in ("body", "html"):
        if node.tag == "article" and in_story:
            return False
        chrome_tag = node.tag in _CHROME and (not in_story or _mostly_links(node))
        if chrome_tag or never_story(node) or (named and (node.tag == "header" or junk_named(node))):
            return True
        node = node.getparent()
    return False


def _mostly_links(el: HtmlElement) -> bool:
    """A box of teasers (featured, related) rather than the story's own aside."""
    text = len(text_of(el))
    return text > 0 and sum(len(text_of(a)) for a in el.iter("a")) > text / 2


_TITLE = compile_css("article h1, main h1, [itemprop=headline], h1")


def title(doc: HtmlElement) -> str | None:
    for tag in select(_TITLE, doc):
        text = text_of(tag)
        if text and not in_chrome(tag):
            return text
    head_title = next(doc.iter("title"), None)
    return (text_of(head_title) or None) if head_title is not None else None


_BYLINE = [
    compile_css(css)
    for css in (
        "[rel=author]",
        "[itemprop=author] [itemprop=name]",
        "[itemprop=author]",
        ".byline",
        ".author",
        ".writer",
        ".reporter",
        ".journalist",
        "[class*=byline]",
        "[class*=author]",
        "[class*=writer]",
        "[class*=reporter]",
    )
]
_DATEISH = re.compile(r"\d{1,2}:\d{2}|\b(19|20)\d{2}\b|published|updated", re.IGNORECASE)


def byline(doc: HtmlElement) -> str | None:
    """The smallest element that reads like a byline ("By Kim Arin"), not a whole date-and-byline bar."""
    for sel in _BYLINE:
        for tag in select(sel, doc):
            text = text_of(tag)
            if text and len(text) < 120 and not _DATEISH.search(text) and not in_chrome(tag):
                return text
    return None


_DATES = [
    compile_css(css)
    for css in (
        "[itemprop=datePublished]",
        "time[datetime]",
        "time",
        "[class*=date]",
        "[class*=time]",
        "[class*=publish]",
        "[class*=byline]",
        "[class*=info]",
    )
]
_MODIFIED = compile_css("[itemprop=dateModified]")


def _date_value(tag: HtmlElement) -> str:
    return squash(tag.get("datetime") or tag.get("content") or text_of(tag))


_PRECISE = re.compile(r"\d:\d\d|publi|posted|updated", re.IGNORECASE)


def dates(doc: HtmlElement) -> tuple[str | None, str | None]:
    """Raw (published, updated) texts from <time>, itemprops and date-like bylines; they may hold labels
    ("Published : ... Updated : ..."), which the caller reads."""
    published = None
    plain: str | None = None  # a date-like text with no time and no label: kept in case nothing better
    for sel in _DATES:
        for tag in select(sel, doc):
            value = _date_value(tag)
            if not value or len(value) >= 200 or not re.search(r"\d", value) or in_chrome(tag):
                continue
            if tag.tag == "time" or tag.get("itemprop") or _PRECISE.search(value):
                published = value
                break
            plain = plain or value
        if published:
            break
    published = published or plain
    modified = select(_MODIFIED, doc)
    updated = (_date_value(modified[0]) or published) if modified else published
    return published, updated


# Pages built by a script framework (Next.js, Nuxt, Gatsby, headless CMSs) often carry the story's dates
# only in their embedded state: `"publishedAt":"2025-07-18T17:34:06Z"`. Keys in order of trust.
_STATE_KEYS = {
    "published": (
        "datePublished",
        "publishedDate",
        "publishDate",
        "published_at",
        "publishedAt",
        "pubDate",
        "postDate",
        "firstPublished",
        "createDate",
        "dateCreated",
        "createdAt",
        "created_at",
        "date",
    ),
    "updated": ("dateModified", "modifiedDate", "lastModified", "updatedAt", "updated_at", "dateUpdated"),
}
_STATE_VALUE = r"""\\?["']?\s*:\s*\\?["'](\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)"""
_STATE_PATTERNS = {
    kind: [re.compile(r"""(?<![\w$])""" + re.escape(key) + _STATE_VALUE) for key in keys]
    for kind, keys in _STATE_KEYS.items()
}
_SCRIPTS = lxml.etree.XPath("//script[not(contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json'))]/text()")


def state_dates(doc: HtmlElement) -> tuple[str | None, str | None]:
    """Raw (published, updated) ISO dates from the page's embedded script state, if any."""
    result = _SCRIPTS(doc)
    scripts = [str(t) for t in result] if isinstance(result, list) else []
    found: dict[str, str | None] = {}
    for kind, patterns in _STATE_PATTERNS.items():
        found[kind] = None
        for pattern in patterns:
            m = next((m for text in scripts if (m := pattern.search(text))), None)
            if m:
                found[kind] = m.group(1)
                break
    return found["published"], found["updated"]


def url_date(url: str) -> str | None:
    """The date a story's URL names (`/2025/12/18/slug`, `/blog/2025-12-17-slug`), as YYYY-MM-DD: discovery's
    date-in-address rule (address_kind.py)."""
    return address_date(url)


_SHORT_TEXT = lxml.etree.XPath(
    "//body//*[self::p or self::span or self::small or self::div or self::time or self::li or self::em]"
    "[not(*[not(self::span or self::a or self::time or self::b or self::strong or self::svg or self::i"
    " or self::img)])]"
    # filtered in libxml2, not in Python: a short text with a digit in it
    "[string-length(normalize-space(.)) >= 6 and string-length(normalize-space(.)) <= 60]"
    "[translate(., '0123456789', '') != .]"
)
_DATE_ONLY = re.compile(r"^\W*(?:[^\W\d]+\W+){0,4}[\w ,.:/-]{6,30}$")


def printed_date(doc: HtmlElement) -> str | None:
    """The first short line outside the page chrome that is only a date, perhaps with a label or a
    name before it ("December 15, 2025", "Posted on 17 December 2025")."""
    for el in select(_SHORT_TEXT, doc):
        text = text_of(el)
        if (
            6 <= len(text) <= 48
            and re.search(r"\d", text)
            and _DATE_ONLY.match(text)
            and parse_date(text, UTC) is not None
            and not in_chrome(el)
        ):
            return text
        dated = line_date(text) if len(text) <= LEAD_META and re.search(r"\d", text) else None
        if dated and not in_chrome(el):  # "Tom Becker | Dec. 4, 2026 | 3 min read"
            return dated
    return None


_DATE_ATTRIBUTES = lxml.etree.XPath(
    "//body//@*[contains(translate(local-name(), 'DATE', 'date'), 'date') or local-name() = 'datetime']"
)
_ISO_VALUE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")


def attribute_date(doc: HtmlElement) -> str | None:
    """The first ISO date held in an attribute named for a date (`data-item_date`, `data-published-date`,
    `datetime`) outside the page chrome: share buttons and trackers often carry the story's date."""
    result = _DATE_ATTRIBUTES(doc)
    for value in result if isinstance(result, list) else []:
        owner = getattr(value, "getparent", lambda: None)()
        if _ISO_VALUE.match(str(value)) and owner is not None and not in_chrome(owner):
            return str(value).strip()
    return None
