"""Which story links of a listing page are its main lists, whatever the boxes are called.

A page's story links come in items (the largest element around a link that leads to no other story) and
items in lists (the items that share a parent). Two rules, in order:

1. A list numbered 1, 2, 3… is a most-read chart, not the section's list.
2. The main lists are one column: the deepest element holding most of the cards (an item with a picture
   or a summary) when cards are a good part of the page's stories, else most of the stories; widened
   while what it gains is mostly cards (the lead story above a list). Boxes of bare headlines beside it
   (another section's latest news) stay out.

Pure: takes the anchors and the story URLs they point to, gives back those of the main lists, in page order.
"""

from __future__ import annotations

import re
import statistics
from urllib.parse import parse_qsl, urlsplit

from feedgen_app.dom import HtmlElement, text_of

Link = tuple[HtmlElement, str]  # an anchor and the canonical story URL it points to

CARD_TEXT = 150  # characters: a headline with a summary; a bare headline is shorter
CARD_SHARE = 0.4  # the share of a page's stories shown as cards for the column to be found by its cards
MAIN_LIST_SHARE = 0.6  # the share of the cards (or stories) that the main list holds at the least
HEADLINE_WORDS = 4  # the median words of a link text that reads as a headline, not a section's name

_RANK = re.compile(r"^\s*(\d{1,2})\.?(?:\s|$)")


def main_lists(links: list[Link]) -> list[Link]:
    """The links of the page's main lists (all of them when there are too few to tell lists apart)."""
    if len({url for _a, url in links}) < 5:
        return links
    holds = _holdings(links)
    items = [_item(a, holds) for a, _url in links]
    distinct = list(dict.fromkeys(items))
    lists: dict[HtmlElement | None, list[HtmlElement]] = {}
    for item in distinct:
        lists.setdefault(item.getparent(), []).append(item)
    charts = {item for members in lists.values() if _numbered(members) for item in members}
    left = [link for link, item in zip(links, items, strict=True) if item not in charts]
    stories = {url for _a, url in left}
    card_items = {item for item in distinct if item not in charts and _is_card(item)}
    cards = {url for (_a, url), item in zip(links, items, strict=True) if item in card_items}
    core = cards if len(cards) >= CARD_SHARE * len(stories) else stories
    return _within(left, _column(_holdings(left) if charts else holds, core, cards))


def _holdings(links: list[Link]) -> dict[HtmlElement, set[str]]:
    """Each element around the links, with the stories it holds."""
    holds: dict[HtmlElement, set[str]] = {}
    for a, url in links:
        for ancestor in a.iterancestors():
            holds.setdefault(ancestor, set()).add(url)
    return holds


def _item(a: HtmlElement, holds: dict[HtmlElement, set[str]]) -> HtmlElement:
    """The anchor's item: its largest ancestor that holds links to this story only."""
    item = a
    for ancestor in a.iterancestors():
        if len(holds[ancestor]) > 1 or ancestor.tag in ("body", "html"):
            break
        item = ancestor
    return item


def _numbered(items: list[HtmlElement]) -> bool:
    """Items ranked 1, 2, 3…: by a number of their own, or one just before each (a <dt>, a badge)."""
    return len(items) >= 3 and all(_rank(item) == n for n, item in enumerate(items, 1))


def _rank(item: HtmlElement) -> int | None:
    own = text_of(item)
    for a in item.iter("a"):
        own = own.replace(text_of(a), " ", 1)
    for text in (own, text_of(item)):
        found = _RANK.match(text)
        if found:
            return int(found.group(1))
    before = item.getprevious()
    if before is not None and next(before.iter("a"), None) is None:
        found = _RANK.match(text_of(before))
        if found and len(text_of(before)) <= 3:
            return int(found.group(1))
    return None


def _is_card(item: HtmlElement) -> bool:
    return next(item.iter("img", "picture"), None) is not None or len(text_of(item)) >= CARD_TEXT


def _deepest_holding(
    holds: dict[HtmlElement, set[str]], stories: set[str], share: float
) -> HtmlElement | None:
    """The deepest element that holds at least `share` of `stories`."""
    needed = share * len(stories)
    return min(
        (el for el, held in holds.items() if len(held & stories) >= needed),
        key=lambda el: len(holds[el]),
        default=None,
    )


def _column(holds: dict[HtmlElement, set[str]], core: set[str], cards: set[str]) -> HtmlElement | None:
    """The main column: from the deepest element holding most of the `core` stories, up through each
    parent that adds mostly cards (the list's lead story above it), stopping below one that adds bare
    headlines (a side column's boxes)."""
    column = _deepest_holding(holds, core, MAIN_LIST_SHARE)
    while column is not None:
        parent = column.getparent()
        if parent is None or parent not in holds or parent.tag in ("body", "html"):
            break
        added = holds[parent] - holds[column]
        if len(added & cards) * 2 < len(added):
            break
        column = parent
    return column


def _within(links: list[Link], box: HtmlElement | None) -> list[Link]:
    if box is None:
        return links
    return [(a, url) for a, url in links if any(ancestor is box for ancestor in a.iterancestors())]


def headline_templates(links: list[Link]) -> set[tuple[str, tuple[str, ...]]]:
    """Of links whose address says "an id" only in its query (`view.php?ud=2018…`, `list.php?ct=0201…`),
    the address shapes whose link texts read as headlines: stories, not sections or tags."""
    texts: dict[tuple[str, tuple[str, ...]], list[int]] = {}
    for a, url in links:
        words = len(text_of(a).split())
        if words:
            texts.setdefault(query_shape(url), []).append(words)
    return {shape for shape, counts in texts.items() if statistics.median(counts) >= HEADLINE_WORDS}


def query_shape(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    return parts.path, tuple(sorted(k for k, _v in parse_qsl(parts.query, keep_blank_values=True)))
