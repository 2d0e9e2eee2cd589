"""A page streamed by React (Next.js's app router, any React 18+ server render), put together as its
scripts put it together in a browser. Pure: works on a parsed tree.

React sends the parts of a page that are slow to render after the rest: where a part belongs it writes
a marker and a stand-in (`<!--$?--><template id="B:0"></template><div>Loading…</div><!--/$-->`), and at
the end of the page the part itself, hidden (`<div hidden id="S:0">…</div>`), with a call that moves it
into place (`$RC("B:0","S:0")`; `$RS("S:7","P:7")` for a piece inside another part). A reader with no
scripts sees the stand-in and misses the story's text; here the calls are carried out on the tree, in the
page's order.
"""

from __future__ import annotations

import re

import lxml.etree
from lxml.html import HtmlElement

# `$RC("B:0","S:0")` completes a boundary (`$RR` the same, with style sheets to load first); `$RS("S:7",
# "P:7")` moves a segment into its placeholder.
_CALL = re.compile(
    r"""\$R([CRS])\(\s*["']([A-Za-z]+:[0-9a-fA-F]+)["']\s*,\s*["']([A-Za-z]+:[0-9a-fA-F]+)["']"""
)
_MARKER = re.compile(r"^[BPS]:[0-9a-fA-F]+$")
_CALLS_IN = lxml.etree.XPath("//script[contains(., '$R')]/text()")
BOUNDARY_END = "/$"  # the comment that closes a boundary's stand-in


def _calls(doc: HtmlElement) -> list[tuple[str, str, str]]:
    result = _CALLS_IN(doc)
    texts = [str(t) for t in result] if isinstance(result, list) else []
    return [(m.group(1), m.group(2), m.group(3)) for text in texts for m in _CALL.finditer(text)]


def _move_children(source: HtmlElement, before: HtmlElement) -> None:
    """Put `source`'s content (its text and children) where `before` stands, ahead of it."""
    parent = before.getparent()
    if parent is None:
        return
    if source.text:
        previous = before.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + source.text
        else:
            parent.text = (parent.text or "") + source.text
        source.text = None
    for child in list(source):
        before.addprevious(child)  # lxml moves the child, with its tail


def _drop_keeping_tail(el: HtmlElement) -> None:
    if el.getparent() is not None:
        el.drop_tree()


def _drop_stand_in(marker: HtmlElement) -> None:
    """What a boundary shows until its part comes: the text and elements after its marker, up to the
    comment that closes the boundary."""
    marker.tail = None
    for sibling in list(marker.itersiblings()):
        if isinstance(sibling, lxml.etree._Comment) and (sibling.text or "").strip() == BOUNDARY_END:
            return
        sibling.drop_tree()  # its tail is the stand-in's text too


def resolve_streamed(doc: HtmlElement) -> None:
    """Carry out the page's `$RC`/`$RS` calls: every streamed part that arrived moves into its place, its
    stand-in goes. Markers of parts that never came stay with their stand-ins (as a browser shows them)."""
    calls = _calls(doc)
    if not calls:
        return
    marked = {el.get("id"): el for el in doc.iter("div", "template") if _MARKER.match(el.get("id") or "")}
    for kind, first, second in calls:
        if kind == "S":
            part, place = marked.get(first), marked.get(second)
        else:
            place, part = marked.get(first), marked.get(second)
            if place is not None and part is not None:
                _drop_stand_in(place)
        if place is None or part is None or place.getparent() is None:
            continue
        _move_children(part, place)
        _drop_keeping_tail(place)
        _drop_keeping_tail(part)
