"""The HTML tree the parsing stages share: lxml.html elements, CSS selectors compiled to XPath.

lxml builds a tree about twenty times faster than BeautifulSoup and evaluates selectors in C, which
is what keeps extraction faster than trafilatura (bench/extract.py). Pure helpers, no I/O.
"""

from __future__ import annotations

import html
import re

import lxml.etree
import lxml.html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement
from selectolax.lexbor import LexborHTMLParser

from feedgen_app.nesting import bounded
from feedgen_app.streamed import resolve_streamed
from feedgen_app.url_parts import join

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

__all__ = [
    "CSSSelector",
    "HtmlElement",
    "classes",
    "compile_css",
    "fragment",
    "is_element",
    "parse",
    "text_of",
]


def strip_control(text: str) -> str:
    return _CONTROL.sub("", text)


def strip_xml_declaration(text: str) -> str:
    """lxml refuses a str that still declares its encoding: the text is already decoded."""
    return _XML_DECL.sub("", text, count=1)


# Void elements libxml2 does not know: as `<embed src=x>` it would nest what follows inside them.
_UNKNOWN_VOID = re.compile(r'<(embed|source|track|wbr|keygen)\b((?:[^>"]|"[^"]*")*)>', re.IGNORECASE)
# What a browser with scripts on never shows: <template> content, and <noscript> markup (kept as its
# text, where the image finder still reads a lazy image's real source).
# React's empty markers (`<template id="B:0"></template>`) stay: streamed.py puts the page's streamed
# parts where they stand.
_TEMPLATE = re.compile(
    r"<template\b(?![^>]*\bid=\"?[BP]:[0-9a-fA-F]+\"?[^>]*></template>).*?</template>",
    re.IGNORECASE | re.DOTALL,
)
_BODY_START = re.compile(r"<body[\s>]", re.IGNORECASE)
_NOSCRIPT = re.compile(r"(<noscript\b[^>]*>)(.*?)(</noscript>)", re.IGNORECASE | re.DOTALL)


MAX_DEPTH = 256  # elements deeper than this are flattened (libxml2 drops them; the stages recurse)
_KEEP_DEEP = frozenset({"a", "img", "br", "h1", "h2", "h3", "h4", "h5", "h6", "p"})


def _flatten_deep(tree: LexborHTMLParser) -> None:
    """Every element at MAX_DEPTH loses the tags below it but links, pictures, headings and paragraphs:
    their text stays where it was, as a browser shows it (Blink stops nesting at 512 too)."""
    root = tree.root
    if root is None:
        return
    depth: dict[int, int] = {}
    at_limit = []
    for node in root.traverse(include_text=False):
        parent = node.parent
        level = depth.get(parent.mem_id, -1) + 1 if parent is not None else 0
        if level > MAX_DEPTH:
            continue
        depth[node.mem_id] = level
        if level == MAX_DEPTH:
            at_limit.append(node)
    for node in at_limit:
        tags = {n.tag for n in node.traverse(include_text=False) if n.tag} - _KEEP_DEEP
        node.unwrap_tags(sorted(t for t in tags if t and not t.startswith(("-", "#"))))


def as_browsers_parse(text: str) -> str:
    """The markup as an HTML5 parser (lexbor) builds it, written back out: unclosed and stray tags,
    misnested tables, `<button>` soup and the like come out as a browser would show them, in a form
    that libxml2 reads the same way."""
    # a browser with scripts on reads <noscript> as raw text up to its end tag, whatever it holds; in
    # the head it shows nothing (as text there, it would open the body early)
    body_at = _BODY_START.search(text)
    cut = body_at.start() if body_at else 0
    text = _NOSCRIPT.sub("", text[:cut]) + _NOSCRIPT.sub(
        lambda m: m.group(1) + html.escape(m.group(2), quote=False) + m.group(3), text[cut:]
    )
    try:
        tree = LexborHTMLParser(bounded(text))
        _flatten_deep(tree)
        out = tree.html
    except Exception:  # selectolax raises plain errors on input it cannot take; libxml2 still can
        return text
    if not out:
        return text
    return _UNKNOWN_VOID.sub(r"<\1\2></\1>", _TEMPLATE.sub("", out))


def parse(text: str) -> HtmlElement:
    """A whole document, parsed as a browser would; never raises on junk (an empty page gives an empty
    <html>). Parts of the page React streamed after the rest are put in place, as its scripts would
    (streamed.py). A browser shows text under any depth of nesting, where libxml2 drops what lies deeper than
    its limit: the tree is flattened below MAX_DEPTH first (as_browsers_parse), then read whole."""
    text = strip_xml_declaration(strip_control(text))
    if not text.strip():
        return lxml.html.document_fromstring("<html><body></body></html>")
    try:
        doc = lxml.html.document_fromstring(
            as_browsers_parse(text), parser=lxml.html.HTMLParser(huge_tree=True)
        )
    except (lxml.etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html><body></body></html>")
    resolve_streamed(doc)
    return doc


def fragment(text: str) -> HtmlElement:
    """Markup as the children of one <div> (for tests and cleaned snippets)."""
    root = parse(f"<html><body><div id='feedgen-root'>{text}</div></body></html>")
    found: HtmlElement = root.get_element_by_id("feedgen-root")
    return found


def compile_css(css: str) -> CSSSelector:
    """Raises ValueError with the selector library's reason when `css` does not compile."""
    try:
        return CSSSelector(css, translator="html")
    except Exception as exc:  # cssselect raises SelectorSyntaxError, ExpressionError...
        raise ValueError(f"CSS selector does not compile: {exc}") from None


def is_element(node: object) -> bool:
    return isinstance(node, HtmlElement) and isinstance(node.tag, str)


_TEXT = lxml.etree.XPath(
    ".//text()[not(ancestor::script or ancestor::style or ancestor::template or ancestor::noscript)]"
)


def text_of(el: HtmlElement) -> str:
    """The element's text, whitespace folded, script and style content left out."""
    result = _TEXT(el)
    texts = [str(t) for t in result] if isinstance(result, list) else []
    return " ".join(" ".join(texts).split())


def select(selector: CSSSelector | lxml.etree.XPath, root: HtmlElement) -> list[HtmlElement]:
    """The elements a compiled selector matches, in document order (typed: XPath can return anything)."""
    result = selector(root)
    return [el for el in result if isinstance(el, HtmlElement)] if isinstance(result, list) else []


def base_url(doc: HtmlElement, page_url: str) -> str:
    """What relative links in `doc` resolve against: its <base href>, as browsers do, else the page URL."""
    for base in doc.iter("base"):
        href = re.sub(r"[\t\n\r]", "", base.get("href") or "").strip()  # as browsers read an address
        if href:
            resolved = join(page_url, href)
            if resolved.startswith(("http://", "https://")):
                return resolved
    return page_url


def classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split()


def remove(el: HtmlElement) -> None:
    """Remove an element but keep the text that follows it."""
    if el.getparent() is not None:
        el.drop_tree()
