"""The generic extractor: the last link of the chain, for pages no profile describes.

Takes a parsed page; returns the element most likely to hold the story's text (readability-style scoring
of paragraphs, link density and class names) and plain guesses for title, byline and dates. Pure.
"""

from __future__ import annotations

import re

from feedgen_app.clean import is_junk, squash
from feedgen_app.dom import HtmlElement, compile_css, select, text_of

_NEGATIVE = re.compile(
    r"comment|meta|foot|footer|footnote|masthead|menu|nav|sidebar|rail|sponsor|popular|related|recommend"
    r"|latest|share|social|sns|widget|banner|ad_|advert|promo|subscribe|newsletter|breadcrumb|header|gnb|util"
    r"|most|ranking",
    re.IGNORECASE,
)
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|text|view_con|news_text", re.IGNORECASE)
_CHROME = {"nav", "header", "footer", "aside", "form", "menu"}
_BLOCKS = ("p", "pre", "blockquote", "div", "td", "section", "span", "font", "article", "main")
_PROSE = ("p", "pre", "blockquote")


def _names(tag: HtmlElement) -> str:
    return f"{tag.get('class') or ''} {tag.get('id') or ''}".strip()


def _class_weight(tag: HtmlElement) -> float:
    names = _names(tag)
    weight = 0.0
    if tag.get("itemprop") == "articleBody":
        weight += 50
    if names and _NEGATIVE.search(names):
        weight -= 25
    if names and _POSITIVE.search(names):
        weight += 25
    if tag.tag == "article":
        weight += 10
    return weight


def in_chrome(tag: HtmlElement) -> bool:
    """True inside a menu, header, footer, aside, or a box whose class says it is not the story."""
    node: HtmlElement | None = tag
    while node is not None and node.tag not in ("body", "html"):
        if node.tag in _CHROME or is_junk(node):
            return True
        names = _names(node)
        if (
            names
            and _NEGATIVE.search(names)
            and not _POSITIVE.search(names)
            and node.get("itemprop") != "articleBody"
        ):
            return True
        node = node.getparent()
    return False


def _link_density(tag: HtmlElement, text_len: int) -> float:
    if not text_len:
        return 1.0
    links = sum(len(text_of(a)) for a in tag.iter("a"))
    return min(links / text_len, 1.0)


def _direct_text(tag: HtmlElement) -> str:
    return squash(" ".join(t for t in [tag.text, *(c.tail for c in tag)] if t))


def _paragraph_score(text: str) -> float:
    return 1 + text.count(",") + min(len(text) / 100, 3)


def find_body(doc: HtmlElement) -> HtmlElement | None:
    """The element holding the story's paragraphs, or None when the page has no run of prose."""
    scores: dict[HtmlElement, float] = {}
    for node in doc.iter(*_BLOCKS):
        text = text_of(node) if node.tag in _PROSE else _direct_text(node)
        if len(text) < 25 or in_chrome(node):
            continue
        score = _paragraph_score(text) * (1 - _link_density(node, len(text_of(node))))
        parent = node.getparent()
        if node.tag not in _PROSE:  # text split by <br>: the element is its own paragraph
            scores[node] = scores.get(node, 0.0) + score
        if parent is not None and parent.tag != "html":
            scores[parent] = scores.get(parent, 0.0) + score
            grand = parent.getparent()
            if grand is not None and grand.tag != "html":
                scores[grand] = scores.get(grand, 0.0) + score / 2
    best: tuple[HtmlElement, float] | None = None
    for tag, score in scores.items():
        if tag.tag == "body":
            score *= 0.5
        total = (score + _class_weight(tag)) * (1 - _link_density(tag, len(text_of(tag))))
        if best is None or total > best[1]:
            best = (tag, total)
    return best[0] if best and best[1] > 5 else None


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
