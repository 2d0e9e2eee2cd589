"""The generic extractor: the last link of the chain, for pages no profile describes.

Takes a parsed page; returns plain guesses for title, byline and dates (the body is main_text's). Pure.
"""

from __future__ import annotations

import re

from feedgen_app.clean import squash
from feedgen_app.dom import HtmlElement, compile_css, select, text_of
from feedgen_app.junk import junk_named, never_story

_CHROME = frozenset({"nav", "header", "footer", "aside", "form", "menu"})


def in_chrome(tag: HtmlElement, named: bool = False) -> bool:
    """True inside a menu, header, footer, aside, or a box named as comments or related stories; with
    `named`, also inside any box named as chrome (ads, sharing, most-read, bylines...: see junk.py)."""
    node: HtmlElement | None = tag
    while node is not None and node.tag not in ("body", "html"):
        if node.tag in _CHROME or never_story(node) or (named and junk_named(node)):
            return True
        node = node.getparent()
    return False


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


def dates(doc: HtmlElement) -> tuple[str | None, str | None]:
    """Raw (published, updated) texts from <time>, itemprops and date-like bylines; they may hold labels
    ("Published : ... Updated : ..."), which the caller reads."""
    published = None
    for sel in _DATES:
        for tag in select(sel, doc):
            value = _date_value(tag)
            if value and len(value) < 200 and re.search(r"\d", value) and not in_chrome(tag):
                published = value
                break
        if published:
            break
    modified = select(_MODIFIED, doc)
    updated = (_date_value(modified[0]) or published) if modified else published
    return published, updated
