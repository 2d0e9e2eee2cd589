"""Finding a page's main text with no site knowledge: the generic body extractor.

Takes a parsed page; returns a new `<div>` holding the blocks that make up the story, in page order,
or None when the page has no run of prose. The rules are general, measured on real pages from many
sites (bench/extract.py), never tuned to one:

1. Chrome is set aside: scripts, forms of controls, hidden elements, and the semantic page chrome
   (`nav`, `header`, `footer`, `aside`) unless it wraps the article itself.
2. Every paragraph-like block scores by its length and commas, less its share of link text, and
   gives that score to its ancestors, less with every level (Readability's scoring). A box's class name
   (`article-body`, `ad-slot`) counts in full only for a box that holds a real share of the page's text:
   a site notice named `...__body` is no story for its name alone.
3. The best-scoring container wins; it is widened to the ancestor worth most as the story (its prose,
   less four times its link text and half its other text), so a story split over sibling boxes is
   read whole, then joined by the siblings that read like it.
4. Inside it, boxes that are mostly links, images or controls are pruned (related stories, share
   bars, tag lists), and so are boxes whose class or id names them as chrome when the box itself
   carries the evidence (short, or link-heavy). Class words are whole tokens: `overHidden` is not
   "hidden", `commentary` is not "comment".

Pure: reads the tree it is given and may remove chrome from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import lxml.etree
import lxml.html

from feedgen_app.chrome import is_chrome_element
from feedgen_app.dom import HtmlElement, is_element
from feedgen_app.extraction.clean import video_link
from feedgen_app.extraction.junk import class_weight, junk_named, never_story
from feedgen_app.extraction.text_lengths import (
    CONTAINERS,
    Prose,
    TextLengths,
    direct_text_len,
)

_ALWAYS_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "canvas",
        "button",
        "select",
        "textarea",
        "input",
        "option",
        "dialog",
        "object",
        "embed",
        "link",
        "meta",
    }
)
_CONTENT_MARKERS = ".//article | .//main | .//*[@itemprop='articleBody']"
_PARAGRAPHS = frozenset({"p", "pre", "td", "blockquote"})
_LISTS = frozenset({"ul", "ol", "dl"})
_PRUNABLE = frozenset({"div", "section", "ul", "ol", "dl", "table", "form", "fieldset", "figure", "p"})
_SENTENCE_END = re.compile(r"[.!?。！？:]['\"”’)]?(\s|$)")
_ENDS_SENTENCE = re.compile(r"[.!?。！？]['\"”’)]?$")
MIN_PARAGRAPH = 25
LIST_ITEM_LINKS = 0.3  # the most link text a list item may hold to count as a paragraph (menus are links)
CALL_TO_ACTION = 250  # characters: a call to action is a line or two and its button
SIGNUP_TEXT = 500  # characters: a sign-up box says little besides its field
NAMED_SHARE = 0.25  # a box's class name counts in full once it holds this share of the page's text
OWN_PROSE = 150  # characters of non-link prose that make a box part of the story


def _hidden(el: HtmlElement) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or el.get("hidden") is not None


def _drop(el: HtmlElement, lengths: TextLengths | None = None) -> None:
    if el.getparent() is None:
        return
    if lengths is not None:
        text, links, commas = lengths.text.get(el, 0), lengths.links.get(el, 0), lengths.commas.get(el, 0)
        for ancestor in el.iterancestors():
            lengths.text[ancestor] = lengths.text.get(ancestor, 0) - text
            lengths.links[ancestor] = lengths.links.get(ancestor, 0) - links
            lengths.commas[ancestor] = lengths.commas.get(ancestor, 0) - commas
    el.drop_tree()


def _signup_boxes(body: HtmlElement) -> list[HtmlElement]:
    """The box around a form field (a newsletter or deals sign-up, a search box): the largest ancestor
    of the field with little text."""
    boxes = []
    for field in body.iter("input", "textarea", "select"):
        if (field.get("type") or "text").lower() in ("hidden", "checkbox", "radio", "submit", "button"):
            continue
        box = None
        for ancestor in field.iterancestors():
            if (
                ancestor.tag in ("body", "html")
                or len(" ".join(ancestor.text_content().split())) > SIGNUP_TEXT
            ):
                break
            box = ancestor
        if box is not None:
            boxes.append(box)
    return boxes


def _not_for_snippets(el: HtmlElement) -> bool:
    """`data-nosnippet`: the page tells search engines this box is not its text to quote (bylines, author
    bios, cookie notices, "related" cards)."""
    return el.get("data-nosnippet") is not None


def set_aside_chrome(body: HtmlElement) -> TextLengths:
    """Remove what is never story text (code, controls, hidden boxes, page chrome around the article)
    and measure what is left. A box that holds most of the page's text stays whatever it is called or
    however it is marked: pages that reveal their text with a script hide it in the markup."""
    signups = _signup_boxes(body)
    for el in [el for el in body.iter() if not is_element(el) or el.tag in _ALWAYS_DROP] + signups:
        if el.getparent() is not None:
            el.drop_tree()
    lengths = TextLengths(body)
    most = lengths.text.get(body, 0) / 2
    quarter = most / 2
    doomed: list[HtmlElement] = []
    inside: set[HtmlElement] = set()
    for el in body.iter():
        if el.getparent() in inside:
            inside.add(el)
            continue
        if lengths.text.get(el, 0) > most:
            continue
        tag = el.tag
        if (
            _hidden(el)
            or ((never_story(el) or _not_for_snippets(el)) and lengths.text.get(el, 0) < quarter)
            or (is_chrome_element(el) and not el.xpath(_CONTENT_MARKERS))
            or tag == "form"
        ):
            doomed.append(el)
            inside.add(el)
    for el in doomed:
        _drop(el, lengths)
    return lengths


def _ancestors(el: HtmlElement, levels: int) -> Iterable[tuple[int, HtmlElement]]:
    node = el.getparent()
    level = 0
    while node is not None and level < levels and node.tag != "html":
        yield level, node
        node = node.getparent()
        level += 1


def _score_candidates(body: HtmlElement, lengths: TextLengths) -> dict[HtmlElement, float]:
    """Readability's decayed scores of candidate containers."""
    scores: dict[HtmlElement, float] = {}
    for el in body.iter():
        if not is_element(el):
            continue
        tag = el.tag
        if tag in _PARAGRAPHS:
            length = lengths.text.get(el, 0)
        elif tag == "li":  # a post written as a list: an item of sentences is a paragraph
            length = lengths.text.get(el, 0) if lengths.density(el) <= LIST_ITEM_LINKS else 0
        elif tag in CONTAINERS:
            length = direct_text_len(el)  # text split by <br>: the element is its own paragraph
        else:
            continue
        if length < MIN_PARAGRAPH:
            continue
        density = lengths.density(el) if tag in _PARAGRAPHS or tag == "li" else 0.0
        if density > 0.5:
            continue
        score = (1 + lengths.commas.get(el, 0) + min(length / 100, 3)) * (1 - density)
        for level, parent in _ancestors(el, 5):
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            scores[parent] = scores.get(parent, 0.0) + score / divider
    named_text = max(lengths.text.get(body, 0) * NAMED_SHARE, 1)
    for el, score in scores.items():
        named = class_weight(el) * min(1.0, lengths.text.get(el, 0) / named_text)
        scores[el] = (score + named) * (1 - lengths.density(el))
    return scores


def _widen(top: HtmlElement, prose: Prose, lengths: TextLengths) -> HtmlElement:
    """From the best container up to the ancestor that holds the story when it is split over sibling
    boxes (page builders nest every paragraph in its own wrappers): climb while the parent adds a real
    share of prose and is not mostly links."""
    best, best_value = top, prose.worth(top, lengths)
    for ancestor in top.iterancestors():
        if ancestor.tag == "html":
            break
        value = prose.worth(ancestor, lengths)
        if value > best_value:
            best, best_value = ancestor, value
    top = best
    return top


GATHER_LEVELS = 4  # how far above the story's box its other boxes are looked for
GATHER_GAIN = 1.25  # the prose the other boxes must add, as a share of the box's own


def _gathered(top: HtmlElement, prose: Prose, lengths: TextLengths) -> list[HtmlElement] | None:
    """The story split over boxes that sit among others (a page builder's text blocks between a box of links
    and a sign-up form): the boxes of prose under the nearest ancestor that gathers a real share more of
    it, leaving out the boxes that cost more than they hold. None when no ancestor adds enough."""
    best_value = prose.worth(top, lengths)
    found: list[HtmlElement] | None = None
    for level, ancestor in enumerate(top.iterancestors()):
        if level >= GATHER_LEVELS or ancestor.tag in ("body", "html"):
            break
        children = [c for c in ancestor if is_element(c)]
        kept = [c for c in children if prose.text.get(c, 0) and prose.worth(c, lengths) > 0]
        if len(kept) < 2 or not any(c is top or top in c.iterdescendants() for c in kept):
            continue
        value = sum(prose.worth(c, lengths) for c in kept)
        if value > best_value * GATHER_GAIN:
            best_value, found = value, kept
    return found


def _joined_siblings(
    top: HtmlElement, scores: dict[HtmlElement, float], lengths: TextLengths
) -> list[HtmlElement]:
    parent = top.getparent()
    if parent is None or parent.tag == "html":
        return [top]
    top_score = scores.get(top, 0.0)
    threshold = max(10.0, top_score * 0.2)
    top_class = top.get("class")
    joined = []
    for sibling in parent:
        if not is_element(sibling):
            continue
        if sibling is top:
            joined.append(sibling)
            continue
        bonus = top_score * 0.2 if top_class and sibling.get("class") == top_class else 0.0
        if scores.get(sibling, 0.0) + bonus >= threshold:
            joined.append(sibling)
        elif sibling.tag == "p":
            length, density = lengths.text.get(sibling, 0), lengths.density(sibling)
            text = sibling.text_content()
            if (length > 80 and density < 0.25) or (
                0 < length <= 80 and density == 0 and _SENTENCE_END.search(text)
            ):
                joined.append(sibling)
    return joined


def _prune(root: HtmlElement, lengths: TextLengths, prose: Prose) -> None:
    """Readability's conditional cleaning, plus junk-named boxes that show the evidence."""
    for el in list(root.iterdescendants()):
        if not is_element(el) or el.tag not in _PRUNABLE or _detached(el, root):
            continue
        if _looks_like_chrome(el, lengths, prose):
            el.drop_tree()


_BUTTON_WORDS = frozenset({"btn", "button", "cta"})


def _has_button_link(el: HtmlElement) -> bool:
    for a in el.iter("a"):
        classes = (a.get("class") or "").lower().replace("_", "-").split()
        if any(part in _BUTTON_WORDS for c in classes for part in c.split("-")):
            return True
    return False


def _wraps_a_list(el: HtmlElement, lengths: TextLengths) -> bool:
    """A box that is only a wrapper around one list (`div.ulist > ul`)."""
    lists = [c for c in el.iter("ul", "ol") if c is not el]
    return bool(lists) and lengths.text.get(lists[0], 0) >= 0.9 * lengths.text.get(el, 0)


def _introduced(el: HtmlElement) -> bool:
    """A list the text announces ("Many patches were sent for review:") belongs to the story, links
    or not."""
    node: HtmlElement | None = el
    for _ in range(3):  # through a wrapper or two (`div.ulist > ul`): the text before the wrapper
        if node is None:
            return False
        before = node.getprevious()
        while before is not None and (not is_element(before) or not before.text_content().strip()):
            before = before.getprevious()
        if before is not None:
            return bool(before.text_content().rstrip().endswith((":", "：")))
        node = node.getparent()
    return False


SENTENCE_WORDS = 4  # words outside links that make a list item a sentence of the story's


def _sentence_items(el: HtmlElement) -> bool:
    """A list whose items are sentences with links in them ("This resort features in my lists of the best
    hotels in Oman, ..."), not links with a date or a line under them: two thirds of its items hold a few
    words of their own and a sentence's end (a stop, a question or exclamation mark, a colon)."""
    items = [li for li in el.iter("li") if not any(True for _ in li.iter("ul", "ol"))]
    said = 0
    for li in items:
        own = " ".join(t for t in li.xpath(".//text()[not(ancestor::a)]") if isinstance(t, str))
        if len(re.findall(r"\w+", own)) >= SENTENCE_WORDS and _SENTENCE_END.search(li.text_content().strip()):
            said += 1
    return len(items) >= 2 and said * 3 >= len(items) * 2


def _one_paragraph(el: HtmlElement, lengths: TextLengths) -> bool:
    """A box that only wraps one paragraph, a sentence with a link in it: all its text in one <p>."""
    paragraphs = list(el.iter("p"))
    return (
        len(paragraphs) == 1
        and lengths.text.get(paragraphs[0], 0) >= 0.9 * lengths.text.get(el, 0)
        and bool(_ENDS_SENTENCE.search(paragraphs[0].text_content().strip()))
        and lengths.density(paragraphs[0]) <= 0.8
    )


def _detached(el: HtmlElement, root: HtmlElement) -> bool:
    node = el
    while node is not None and node is not root:
        node = node.getparent()
    return node is None


TEASER_TEXT = 800  # characters: a teaser is a linked headline, a date and a line or two


def _teaser_list(el: HtmlElement, lengths: TextLengths) -> bool:
    """Cards of other stories ("Latest News", "More from the blog"): two or more <article> elements in one
    box, most of them short with a linked headline. A story is one article, not a row of them."""
    articles = list(el.iterdescendants("article"))
    cards = [a for a in articles if lengths.text.get(a, 0) < TEASER_TEXT]
    linked = [a for a in cards if any(True for h in a.iter("h2", "h3", "h4", "h5") for _ in h.iter("a"))]
    in_cards = sum(lengths.text.get(a, 0) for a in linked)
    return (
        len(linked) >= 2
        and len(linked) * 3 >= len(articles) * 2
        and in_cards >= 0.7 * lengths.text.get(el, 0)
    )


def _looks_like_chrome(el: HtmlElement, lengths: TextLengths, prose: Prose) -> bool:
    text = lengths.text.get(el, 0)
    if text == 0 and any(video_link(f.get("src") or "") for f in el.iter("iframe")):
        return False  # a story's video in a box of its own ("embed"): the cleaner makes it a link
    density = lengths.density(el)
    if _teaser_list(el, lengths):
        return True
    if junk_named(el) and (text < 400 or density > 0.3 or (never_story(el) and text < lengths.page / 4)):
        return True
    if el.tag == "p":  # a list item's paragraph goes or stays with its list
        return text > 0 and density > 0.8 and text < 200 and getattr(el.getparent(), "tag", None) != "li"
    if text < CALL_TO_ACTION and _has_button_link(el):
        return True  # "Get started with X. Free trial": a short box around a link dressed as a button
    is_list = el.tag in _LISTS or _wraps_a_list(el, lengths)
    if is_list and (_introduced(el) or _sentence_items(el)):
        return False
    if not is_list and prose.text.get(el, 0) - prose.links.get(el, 0) >= OWN_PROSE:
        return False  # a box with story prose of its own: its parts are judged one by one
    if not is_list and _one_paragraph(el, lengths):
        return False  # a wrapper of one paragraph (`div.paragraph > p`): the paragraph is judged as one
    weight = class_weight(el)
    if weight < 0 and density > 0.2:
        return True
    if lengths.commas.get(el, 0) >= 10:
        return False
    paragraphs = sum(1 for _ in el.iter("p"))
    images = sum(1 for _ in el.iter("img"))
    items = sum(1 for _ in el.iter("li")) - 100
    controls = sum(1 for _ in el.iter("input", "select", "button"))
    if images > 1 and paragraphs / images < 0.5 and not any(True for _ in el.iter("figure")) and text < 200:
        return True
    if not is_list and items > paragraphs:
        return True
    if controls > paragraphs / 3:
        return True
    if text < MIN_PARAGRAPH and images == 0 and not any(True for _ in el.iter("iframe", "video", "table")):
        return False  # short and harmless (a dateline, a separator): the cleaner keeps or drops it
    if weight < 25 and density > 0.2 and not (is_list and density < 0.6):
        return text < 1000 or density > 0.5
    return weight >= 25 and density > 0.5


def find_main_text(doc: HtmlElement) -> HtmlElement | None:
    """A new element holding the story's blocks (moved out of `doc`), or None when there is no prose."""
    body = doc.find("body")
    if body is None:
        body = doc
    lengths = set_aside_chrome(body)
    scores = _score_candidates(body, lengths)
    if not scores:
        return None
    top = max(scores, key=lambda el: scores[el])
    if scores[top] <= 0 and lengths.text.get(top, 0) < 200:
        return None
    prose = Prose(body, lengths)
    top = _widen(top, prose, lengths)
    blocks = _gathered(top, prose, lengths)
    if blocks is None:
        blocks = _joined_siblings(top, scores, lengths) if top.tag != "body" else [top]
    holder: HtmlElement = lxml.html.Element("div")
    for block in blocks:
        tail = block.tail
        holder.append(block)
        block.tail = tail
    _prune(holder, lengths, prose)
    return holder
