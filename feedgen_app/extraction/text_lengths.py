"""How much text, link text and readable prose every element of a page holds, each counted once, children
before parents (linear in the page): what the generic body extractor weighs its candidates by. Pure."""

from __future__ import annotations

import lxml.etree

from feedgen_app.dom import HtmlElement, is_element
from feedgen_app.extraction.junk import INLINE_TAGS

CONTAINERS = frozenset({"div", "section", "article", "main", "span", "font", "center", "td"})
MIN_PROSE = 10
LINK_TEXT_COST = 7.0  # a character of link text outside prose (menus, teasers) costs seven of prose
OTHER_TEXT_COST = 1.0  # and a character of other text (labels, buttons, short lines) one
WHOLE_BLOCKS = frozenset({"p", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"})
OWN_TEXT_BLOCKS = frozenset({"li", "dd", "dt", "blockquote", "td", "th"})


class TextLengths:
    """Text and link-text length of every element, computed once bottom-up (linear in the page)."""

    def __init__(self, root: HtmlElement) -> None:
        self.text: dict[HtmlElement, int] = {}
        self.links: dict[HtmlElement, int] = {}
        self.commas: dict[HtmlElement, int] = {}
        text, links_of, commas_of = self.text, self.links, self.commas
        for el in reversed(list(root.iter(lxml.etree.Element))):  # children before their parents
            own = _text_len(el.text)
            links = 0
            commas = _commas(el.text)
            for child in el:
                if child.tail:
                    own += _text_len(child.tail)
                    commas += _commas(child.tail)
                own += text.get(child, 0)
                links += links_of.get(child, 0)
                commas += commas_of.get(child, 0)
            text[el] = own
            links_of[el] = own if el.tag == "a" else links
            commas_of[el] = commas
        self.page = self.text.get(root, 0)

    def density(self, el: HtmlElement) -> float:
        total = self.text.get(el, 0)
        return min(self.links.get(el, 0) / total, 1.0) if total else 1.0


def _commas(text: str | None) -> int:
    if not text:
        return 0
    return text.count(",") + text.count("，") + text.count("、") + text.count("،")


def _text_len(text: str | None) -> int:
    return len(" ".join(text.split())) if text else 0


def direct_text_len(el: HtmlElement) -> int:
    total = _text_len(el.text)
    for child in el:
        total += _text_len(child.tail)
        if is_element(child) and child.tag in ("a", "b", "strong", "i", "em", "span", "u", "code", "br"):
            total += _text_len(child.text)
    return total


class Prose:
    """How much readable text (paragraphs, list items, headings, text split by <br>; not mostly links)
    every element holds, and how much of that is link text."""

    def __init__(self, body: HtmlElement, lengths: TextLengths) -> None:
        self.text: dict[HtmlElement, int] = {}
        self.links: dict[HtmlElement, int] = {}
        linked = {d for a in body.iter("a") for d in a.iterdescendants()}  # link text, however wrapped
        for el in body.iter():
            if not is_element(el) or el in linked:
                continue
            tag = el.tag
            if tag in WHOLE_BLOCKS:
                length, links = lengths.text.get(el, 0), lengths.links.get(el, 0)
            elif tag in OWN_TEXT_BLOCKS or tag in CONTAINERS:
                blocks = [c for c in el if is_element(c) and c.tag not in INLINE_TAGS]
                length = lengths.text.get(el, 0) - sum(lengths.text.get(c, 0) for c in blocks)
                links = lengths.links.get(el, 0) - sum(lengths.links.get(c, 0) for c in blocks)
            else:
                continue
            if length < MIN_PROSE or links > 0.5 * length:
                continue
            for holder in (el, *el.iterancestors()):
                self.text[holder] = self.text.get(holder, 0) + length
                self.links[holder] = self.links.get(holder, 0) + links

    def worth(self, el: HtmlElement, lengths: TextLengths) -> float:
        """What a container is worth as the story: its prose, less what else it would bring along."""
        mine = self.text.get(el, 0)
        other_links = max(lengths.links.get(el, 0) - self.links.get(el, 0), 0)
        other = max(lengths.text.get(el, 0) - mine - other_links, 0)
        return mine - LINK_TEXT_COST * other_links - OTHER_TEXT_COST * other
