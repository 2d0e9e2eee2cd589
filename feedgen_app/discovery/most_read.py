"""Which story links of a listing page stand in most-read boxes, whatever the boxes are called.

A page's story links come in items (the largest element around a link that leads to no other story) and
items in lists (the items that share a parent). A feed wants every editorial list of the page (the lead,
the main column, the section boxes) but not the charts of what readers clicked, which repeat old stories
and change by the hour. Four rules:

1. A list ranked 1, 2, 3… (numbers in the items, just before them, or an `<ol>`) beside the main column is a
   chart: it holds fewer than half of the page's stories (a front page written as one numbered list is the
   page's own list, not a chart).
2. A box whose heading or name says so ("Most popular", "Meistgelesen", "많이 본 뉴스", `mostread`) is.
3. Beside such a box in a side column, a box of bare headlines (no picture, no summary) is the side
   column's, not an editorial list (another section's latest news).
4. A box of bare headlines named as the site's stream (`latest_news`, `breaking`, `ticker`) is the whole
   site's latest, not this page's list. Headed so, it is kept: real section pages head their own wire
   lists "Breaking news from AP".

Pure: takes the anchors with their story URLs, gives back the anchors to leave out, each with why.
"""

from __future__ import annotations

import re

from feedgen_app.chrome import MOST_READ_HEADING, MOST_READ_NAME
from feedgen_app.dom import HtmlElement, is_element, text_of

Link = tuple[HtmlElement, str]  # an anchor and the canonical story URL it points to

CARD_TEXT = 150  # characters: a headline with a summary; a bare headline is shorter
BOX_STORIES = 30  # a box with more stories than this is a column or the page, not one box
BOX_LEVELS = 6  # how far above an item its box's heading is looked for
HEADING_CHARS = 120

_RANK = re.compile(r"^\s*(\d{1,2})\.?(?:\s|$)")
_STREAM_NAME = re.compile(r"latest|breaking|ticker|newsflash|just-?in", re.IGNORECASE)


def most_read(links: list[Link]) -> dict[HtmlElement, str]:
    """The anchors in most-read charts and boxes, and the side boxes beside them, with why."""
    stories = {url for _a, url in links}
    if len(stories) < 5:
        return {}
    holds = _holdings(links)
    items = {a: _item(a, holds) for a, _url in links}
    lists: dict[HtmlElement | None, list[HtmlElement]] = {}
    for item in dict.fromkeys(items.values()):
        lists.setdefault(item.getparent(), []).append(item)
    charts = {
        item
        for members in lists.values()
        if _ranked(members) and len(members) * 2 < len(stories)  # beside the main column, not the column
        for item in members
    }
    anchors = {a for a, _url in links}
    boxes = _Boxes(holds, anchors)
    with_cards = _with_cards(items)
    out: dict[HtmlElement, str] = {}
    popular: set[HtmlElement] = set()
    for a, item in items.items():
        if item in charts:
            out[a] = "in a ranked list (a most-read chart)"
            box = boxes.around(item)
            if box is not None:
                popular.add(box)
            continue
        box = boxes.popular_around(item)
        if box is not None:
            out[a] = f"in a most-read box ({boxes.label(box)!r})"
            popular.add(box)
            continue
        stream = boxes.named_around(item, _STREAM_NAME)
        if stream is not None and stream not in with_cards:
            out[a] = f"in a box of bare headlines named as the site's latest news ({boxes.label(stream)!r})"
    charted = {url for a, url in links if a in out}
    beside = _headline_boxes_beside(popular, holds, with_cards, stories - charted)
    for a, item in items.items():
        if a not in out and any(box in beside for box in _up_to(item, BOX_LEVELS)):
            out[a] = "in a box of bare headlines beside a most-read box (a side column)"
    return out


def _holdings(links: list[Link]) -> dict[HtmlElement, set[str]]:
    """Each element around the links, with the stories it holds."""
    holds: dict[HtmlElement, set[str]] = {}
    for a, url in links:
        holds.setdefault(a, set()).add(url)
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


def _ranked(items: list[HtmlElement]) -> bool:
    """Items ranked 1, 2, 3…: by a number of their own or one just before each, or as an ordered list."""
    if len(items) < 3:
        return False
    parent = items[0].getparent()
    if parent is not None and parent.tag == "ol" and all(item.tag == "li" for item in items):
        return True
    return all(_rank(item) == n for n, item in enumerate(items, 1))


def _rank(item: HtmlElement) -> int | None:
    own = text_of(item)
    for a in item.iter("a"):
        own = own.replace(text_of(a), " ", 1)
    for text in (own, text_of(item)):
        found = _RANK.match(text)
        if found:
            return int(found.group(1))
    before = item.getprevious()
    while before is not None and not is_element(before):  # a comment between the items
        before = before.getprevious()
    if before is not None and next(before.iter("a"), None) is None:
        found = _RANK.match(text_of(before))
        if found and len(text_of(before)) <= 3:
            return int(found.group(1))
    return None


class _Boxes:
    """The boxes around items, and what their headings and names say (each worked out once)."""

    def __init__(self, holds: dict[HtmlElement, set[str]], anchors: set[HtmlElement]) -> None:
        self.holds = holds
        self.anchors = anchors
        self._heading: dict[HtmlElement, str] = {}

    def around(self, item: HtmlElement) -> HtmlElement | None:
        """The nearest element above the item with a heading of its own (its box)."""
        for el in _up_to(item, BOX_LEVELS):
            if len(self.holds.get(el, ())) > BOX_STORIES:
                return None
            if self.heading(el):
                return el
        return None

    def named_around(self, item: HtmlElement, name: re.Pattern[str]) -> HtmlElement | None:
        """The item's box when its class or id (or that of an element between) matches `name`."""
        return self._box_saying(item, name, None)

    def popular_around(self, item: HtmlElement) -> HtmlElement | None:
        """The item's box when its heading or its name (or that of an element between) says most read."""
        return self._box_saying(item, MOST_READ_NAME, MOST_READ_HEADING)

    def _box_saying(
        self, item: HtmlElement, name: re.Pattern[str], heading: re.Pattern[str] | None
    ) -> HtmlElement | None:
        """Climbing from the item within its box: the first element whose class or id matches `name`, or,
        at the first heading met, that element when the heading matches `heading`."""
        for el in _up_to(item, BOX_LEVELS):
            if len(self.holds.get(el, ())) > BOX_STORIES:
                return None
            if name.search(_names(el)):
                return el
            said = self.heading(el)
            if said:
                return el if heading is not None and heading.search(said) else None
        return None

    def label(self, box: HtmlElement) -> str:
        return self.heading(box) or _names(box).strip()

    def heading(self, el: HtmlElement) -> str:
        """The box's text before its first story link, when it has letters: its heading."""
        if el not in self._heading:
            self._heading[el] = _lead_text(el, self.anchors)
        return self._heading[el]


def _names(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _lead_text(el: HtmlElement, anchors: set[HtmlElement]) -> str:
    parts: list[str] = []
    size = 0
    for node in el.iter():
        if not is_element(node):
            continue
        if node in anchors:
            break
        if node.tag in ("script", "style", "template"):
            continue
        for piece in (node.text, node.tail if len(node) == 0 and node is not el else None):
            if piece and piece.strip():
                parts.append(piece.strip())
                size += len(piece)
        if size > HEADING_CHARS:
            break
    text = " ".join(" ".join(parts).split())[:HEADING_CHARS]
    return text if re.search(r"[^\W\d_]{2}", text) else ""


def _up_to(item: HtmlElement, levels: int) -> list[HtmlElement]:
    out = [item]
    for ancestor in item.iterancestors():
        if len(out) > levels or ancestor.tag in ("body", "html"):
            break
        out.append(ancestor)
    return out


def _with_cards(items: dict[HtmlElement, HtmlElement]) -> set[HtmlElement]:
    """The items that are cards (a picture or a summary), and every element above one."""
    found: set[HtmlElement] = set()
    for item in set(items.values()):
        if _is_card(item):
            found.add(item)
            found.update(item.iterancestors())
    return found


def _headline_boxes_beside(
    popular: set[HtmlElement],
    holds: dict[HtmlElement, set[str]],
    with_cards: set[HtmlElement],
    editorial: set[str],
) -> set[HtmlElement]:
    """Siblings of most-read boxes that hold stories shown as bare headlines only, when the element around
    them is a side column: it holds less than half of the page's other stories (a page that is one flat
    column of boxes has no side column)."""
    beside: set[HtmlElement] = set()
    for box in popular:
        parent = box.getparent()
        if parent is None or len(holds.get(parent, set()) & editorial) * 2 >= len(editorial):
            continue
        for sibling in parent:
            if sibling is box or sibling in popular or not is_element(sibling) or sibling not in holds:
                continue
            if sibling not in with_cards:
                beside.add(sibling)
    return beside


def _is_card(item: HtmlElement) -> bool:
    return next(item.iter("img", "picture"), None) is not None or len(text_of(item)) >= CARD_TEXT
