"""The generic extractor: the last link of the chain, for pages no profile describes.

Takes a parsed page; returns the element most likely to hold the story's text (readability-style scoring
of paragraphs, link density and class names) and plain guesses for title, byline and dates. Pure.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from feedgen_app.clean import is_junk, squash

_NEGATIVE = re.compile(
    r"comment|meta|foot|footer|footnote|masthead|menu|nav|sidebar|side|sponsor|popular|related|recommend"
    r"|latest|share|social|sns|widget|banner|ad_|advert|promo|subscribe|newsletter|breadcrumb|header|gnb|util"
    r"|most|ranking",
    re.IGNORECASE,
)
_POSITIVE = re.compile(r"article|body|content|entry|main|post|story|text|view_con|news_text", re.IGNORECASE)
_CHROME = {"nav", "header", "footer", "aside", "form", "menu"}


def _class_weight(tag: Tag) -> float:
    names = " ".join([*(tag.get("class") or []), str(tag.get("id") or "")])
    weight = 0.0
    if tag.get("itemprop") == "articleBody":
        weight += 50
    if names and _NEGATIVE.search(names):
        weight -= 25
    if names and _POSITIVE.search(names):
        weight += 25
    if tag.name == "article":
        weight += 10
    return weight


def in_chrome(tag: Tag) -> bool:
    """True inside a menu, header, footer, aside, or a box whose class says it is not the story."""
    for node in [tag, *tag.parents]:
        if not isinstance(node, Tag) or node.name in ("body", "html", "[document]"):
            break
        if node.name in _CHROME or is_junk(node):
            return True
        names = " ".join([*(node.get("class") or []), str(node.get("id") or "")])
        if (
            names
            and _NEGATIVE.search(names)
            and not _POSITIVE.search(names)
            and node.get("itemprop") != "articleBody"
        ):
            return True
    return False


def _link_density(tag: Tag) -> float:
    text = len(squash(tag.get_text(" ")))
    if not text:
        return 1.0
    links = sum(len(squash(a.get_text(" "))) for a in tag.find_all("a"))
    return links / text


def _direct_text(tag: Tag) -> str:
    return squash(" ".join(str(c) for c in tag.children if isinstance(c, NavigableString)))


def _paragraph_score(text: str) -> float:
    return 1 + text.count(",") + min(len(text) / 100, 3)


def find_body(soup: BeautifulSoup) -> Tag | None:
    """The element holding the story's paragraphs, or None when the page has no run of prose."""
    scores: dict[int, tuple[Tag, float]] = {}

    def add(tag: Tag | None, score: float) -> None:
        if isinstance(tag, Tag) and tag.name not in ("html", "[document]"):
            old = scores.get(id(tag), (tag, 0.0))[1]
            scores[id(tag)] = (tag, old + score)

    for node in soup.find_all(["p", "pre", "blockquote", "div", "td", "section"]):
        text = squash(node.get_text(" ")) if node.name in ("p", "pre", "blockquote") else _direct_text(node)
        if len(text) < 25 or in_chrome(node):
            continue
        score = _paragraph_score(text) * (1 - min(_link_density(node), 1.0))
        if node.name in ("div", "td", "section"):  # text split by <br>: the element is its own paragraph
            add(node, score)
        add(node.parent if isinstance(node.parent, Tag) else None, score)
        grand = node.parent.parent if isinstance(node.parent, Tag) else None
        add(grand if isinstance(grand, Tag) else None, score / 2)
    best: tuple[Tag, float] | None = None
    for tag, score in scores.values():
        if tag.name == "body":
            score *= 0.5
        total = (score + _class_weight(tag)) * (1 - min(_link_density(tag), 1.0))
        if best is None or total > best[1]:
            best = (tag, total)
    return best[0] if best and best[1] > 5 else None


def title(soup: BeautifulSoup) -> str | None:
    for tag in soup.select("article h1, main h1, [itemprop=headline], h1"):
        text = squash(tag.get_text(" "))
        if text and not in_chrome(tag):
            return text
    head_title = soup.find("title")
    return (squash(head_title.get_text(" ")) or None) if isinstance(head_title, Tag) else None


_BYLINE_SELECTORS = (
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
_DATEISH = re.compile(r"\d{1,2}:\d{2}|\b(19|20)\d{2}\b|published|updated", re.IGNORECASE)


def byline(soup: BeautifulSoup) -> str | None:
    """The smallest element that reads like a byline ("By Kim Arin"), not a whole date-and-byline bar."""
    for sel in _BYLINE_SELECTORS:
        for tag in soup.select(sel):
            text = squash(tag.get_text(" "))
            if text and len(text) < 120 and not _DATEISH.search(text) and not in_chrome(tag):
                return text
    return None


_DATE_SELECTORS = (
    "[itemprop=datePublished]",
    "time[datetime]",
    "time",
    "[class*=date]",
    "[class*=time]",
    "[class*=publish]",
    "[class*=byline]",
    "[class*=info]",
)


def dates(soup: BeautifulSoup) -> tuple[str | None, str | None]:
    """Raw (published, updated) texts from <time>, itemprops and date-like bylines; they may hold labels
    ("Published : ... Updated : ..."), which the caller reads."""
    published = None
    for sel in _DATE_SELECTORS:
        for tag in soup.select(sel):
            value = squash(str(tag.get("datetime") or tag.get("content") or tag.get_text(" ")))
            if value and len(value) < 200 and re.search(r"\d", value) and not in_chrome(tag):
                published = value
                break
        if published:
            break
    updated = published
    modified = soup.select_one("[itemprop=dateModified]")
    if isinstance(modified, Tag):
        updated = squash(str(modified.get("datetime") or modified.get("content") or modified.get_text(" "))) or updated
    return published, updated
