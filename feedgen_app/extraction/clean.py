"""Body cleaning by allow-list.

Takes the story's body element (an lxml element) and its page URL; returns `CleanBody`: safe HTML made only of
paragraphs, headings, lists, quotes, figures, links, images and data tables, with absolute URLs, real image
sources, `<br><br>` runs split into paragraphs and no scripts, styles, forms, ads, share or related-story
boxes, `on*` attributes or `javascript:` URLs. A video embed becomes a plain link. Pure: no I/O.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs

from feedgen_app.chrome import CHROME_TAGS
from feedgen_app.dom import HtmlElement, is_element, remove, text_of
from feedgen_app.dom import strip_control as strip_control
from feedgen_app.extraction.body_blocks import sifted, within, without_repeats
from feedgen_app.extraction.images import image_url
from feedgen_app.extraction.junk import junk_named
from feedgen_app.url_parts import split
from feedgen_app.urls import absolute

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "option",
    "svg",
    "canvas",
    "object",
    "embed",
    "ins",
    "link",
    "meta",
    "head",
    "title",
    "audio",
    "map",
    "dialog",
    "label",
}
_INLINE_KEEP = {
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "u": "u",
    "sub": "sub",
    "sup": "sup",
    "code": "code",
    "small": "small",
    "mark": "mark",
    "s": "s",
    "q": "q",
    "cite": "cite",
    "abbr": "abbr",
}
_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h6"}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width spaces and joiners, the byte-order mark
# of those, the marks of where a line may or may not break ("H\ufeffow" reads "How"); joiners shape text
_INVISIBLE_SPACE = re.compile("[\u200b\u2060\ufeff]")


def squash(text: str) -> str:
    """Whitespace folded to single spaces; a run of only zero-width characters (a page builder's "empty"
    paragraph, `<p>&zwj;</p>`) is whitespace too, while a joiner inside a word or an emoji stays."""
    words = text.split()
    return " ".join(
        [w for w in words if w.strip(_INVISIBLE)] if any(c in text for c in _INVISIBLE) else words
    )


def _esc(text: str) -> str:
    """Escape for an attribute value."""
    return html.escape(strip_control(text), quote=True)


def _text(text: str) -> str:
    """Escape for element content (quotes stay readable)."""
    return html.escape(strip_control(text), quote=False)


def is_junk(tag: HtmlElement) -> bool:
    """Site chrome that never belongs in a story: code, controls, hidden elements, and boxes named as
    ads, share or related boxes that are short or mostly links (a name alone is not enough)."""
    if tag.tag in _DROP:
        return True
    style = (tag.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    # page chrome by its tag is dropped like a named box: when short or mostly links (a <header> that wraps
    # a whole story is the story)
    if tag.tag not in CHROME_TAGS and not junk_named(tag):
        return False
    text = len(text_of(tag))
    links = sum(len(text_of(a)) for a in tag.iter("a"))
    return text < 400 or links > 0.3 * text


_VIDEO_HOSTS = (
    "youtube.com",
    "youtube-nocookie.com",
    "vimeo.com",
    "dailymotion.com",
    "twitch.tv",
    "ted.com",
)


def video_link(src: str, extra_hosts: tuple[str, ...] = ()) -> str | None:
    """The page a reader can open for an embedded video player (the well-known hosts, and a profile's
    own); None for any other frame."""
    if not src.startswith(("http://", "https://")):
        return None
    parts = split(src)
    if parts is None:
        return None
    host = (parts.hostname or "").lower()
    if host.endswith(("youtube.com", "youtube-nocookie.com")) and "/embed/" in parts.path:
        video_id = parts.path.split("/embed/", 1)[1].split("/")[0]
        return f"https://www.youtube.com/watch?v={video_id}" if video_id else None
    if host == "player.vimeo.com" and parts.path.startswith("/video/"):
        return f"https://vimeo.com/{parts.path.split('/')[2]}"
    if host.endswith("youtube.com") and parts.path == "/watch" and parse_qs(parts.query).get("v"):
        return src
    if host.endswith(_VIDEO_HOSTS) or (extra_hosts and host.endswith(extra_hosts)):
        return src
    return None  # ad frames, trackers, social widgets: dropped


@dataclass(frozen=True)
class CleanBody:
    html: str
    paragraphs: tuple[str, ...]  # the text of each block, for scoring and summaries
    videos: tuple[str, ...] = ()
    cut_from: int = 0  # the body's size in bytes when it was cut to the size limit, else 0

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


class _Writer:
    """Walks a body tree and writes allow-listed blocks. Inline content collects into paragraphs."""

    def __init__(
        self, base: str, skip_image: Callable[[str], bool], video_hosts: tuple[str, ...] = ()
    ) -> None:
        self.base = base
        self.skip_image = skip_image
        self.video_hosts = video_hosts
        self.blocks: list[tuple[str, str]] = []  # (html, text)
        self.inline: list[str] = []
        self.inline_text: list[str] = []
        self.pending_br = 0
        self.has_text = False
        self.videos: list[str] = []

    # --- inline buffer -------------------------------------------------------------------------
    def flush(self) -> None:
        text = squash("".join(self.inline_text))
        body = "".join(self.inline).strip()
        body = re.sub(r"^(<br>\s*)+|(\s*<br>)+$", "", body)
        if text or "<img" in body:
            self.blocks.append((f"<p>{body}</p>", text))
        self.inline, self.inline_text, self.pending_br = [], [], 0
        self.has_text = False

    def add_inline(self, markup: str, text: str) -> None:
        if self.pending_br and (text.strip() or "<img" in markup):
            if self.pending_br >= 2:
                self.flush()
            elif self.has_text:  # a flag, not a join of the buffer: a page of 200,000 <br> stays linear
                self.inline.append("<br>")
                self.inline_text.append(" ")
            self.pending_br = 0
        self.inline.append(markup)
        self.inline_text.append(text)
        self.has_text = self.has_text or bool(text.strip())

    # --- tree walk -----------------------------------------------------------------------------
    def text(self, text: str | None) -> None:
        if not text:
            return
        if text.strip():
            folded = re.sub(r"\s+", " ", _INVISIBLE_SPACE.sub("", text))
            self.add_inline(_text(folded), folded)
        elif self.inline:
            self.inline.append(" ")
            self.inline_text.append(" ")

    def walk_children(self, tag: HtmlElement) -> None:
        self.text(tag.text)
        for child in tag:
            self.walk(child)
            self.text(child.tail)

    def walk(self, node: HtmlElement) -> None:
        if not is_element(node):  # comments, processing instructions
            return
        name = node.tag
        if name == "iframe":
            link = video_link(
                absolute(node.get("src") or node.get("data-src") or "", self.base), self.video_hosts
            )
            if link:
                self.flush()
                self.videos.append(link)
                self.blocks.append((f'<p><a href="{_esc(link)}">Video</a></p>', "Video"))
            return
        if is_junk(node):
            return
        if name == "br":
            self.pending_br += 1
            return
        if name == "img":
            self.image(node)
        elif name in _HEADINGS:
            self.text_block(node, _HEADINGS[name])
        elif name == "p":
            self.flush()
            self.walk_children(node)
            self.flush()
        elif name in ("ul", "ol"):
            self.listing(node)
        elif name == "blockquote":
            self.quote(node)
        elif name == "figure":
            self.figure(node)
        elif name == "table" and _is_data_table(node):
            self.table(node)
        elif name == "pre":
            self.flush()
            text = node.text_content()
            self.blocks.append((f"<pre>{_text(text)}</pre>", squash(text)))
        elif name == "a":
            self.link(node)
        elif name in _INLINE_KEEP:
            inner = _inline_html(node, self)
            if inner[1].strip():
                tag = _INLINE_KEEP[name]
                self._space_before(node)
                self.add_inline(f"<{tag}>{inner[0]}</{tag}>", inner[1])
            elif any(True for _ in node.iter("br")):  # `Apps</b><b><br></b>Facilitate`: its break
                self.pending_br += 1
            else:  # `for<strong> </strong><a>easy</a>`: an empty box's space
                self._space_before(node)
        elif name == "figcaption":  # a caption whose picture was dropped: kept in the page, not the text
            inner_html, inner_text = _inline_html(node, self)
            if squash(inner_text):
                self.flush()
                self.blocks.append((f"<p>{inner_html.strip()}</p>", ""))
        elif name in ("span", "font", "time", "abbr", "label", "bdi", "bdo", "wbr", "del", "ins"):
            self.walk_children(node)
        else:  # a block container (div, section, td, center...): its boundaries end a paragraph
            self.flush()
            self.walk_children(node)
            self.flush()

    def image(self, img: HtmlElement) -> None:
        url = image_url(img, self.base)
        if url is None or self.skip_image(url):
            return
        alt = _esc(squash(img.get("alt") or ""))
        self.add_inline(f'<img src="{_esc(url)}" alt="{alt}" referrerpolicy="no-referrer">', "")

    def link(self, node: HtmlElement) -> None:
        inner_html, inner_text = _inline_html(node, self)
        if not inner_text.strip() and "<img" not in inner_html:
            return
        href = safe_href(node.get("href") or "", self.base)
        markup = f'<a href="{_esc(href)}">{inner_html}</a>' if href else inner_html
        self._space_before(node)
        self.add_inline(markup, inner_text)

    def _space_before(self, node: HtmlElement) -> None:
        """The space an inline element's content starts with (`served<a> thousands</a>`): the element's
        own markup begins at its first word, so the space goes before it."""
        if (node.text or "")[:1].isspace():
            self.text(" ")

    def text_block(self, node: HtmlElement, tag: str) -> None:
        inner_html, inner_text = _inline_html(node, self)
        if squash(inner_text):
            self.flush()
            self.blocks.append((f"<{tag}>{inner_html.strip()}</{tag}>", squash(inner_text)))

    def listing(self, node: HtmlElement) -> None:
        items: list[str] = []
        texts: list[str] = []
        self._list_items(node, items, texts)
        if items:
            self.flush()
            tag = "ol" if node.tag == "ol" else "ul"
            self.blocks.append((f"<{tag}>{''.join(items)}</{tag}>", "\n".join(texts)))

    def _list_items(self, node: HtmlElement, items: list[str], texts: list[str]) -> None:
        """A list's items; a list or wrapper placed straight in a list (invalid, common) gives its
        items too, as a browser shows them. An ordered list's items read with their numbers in the text
        ("1. Run the tests"), as a reader sees them."""
        number = _list_start(node) if node.tag == "ol" else None
        for child in node.iterchildren():
            if not is_element(child) or is_junk(child):
                continue
            if child.tag not in ("li", "ul", "ol") and any(True for _ in child.iter("li")):
                self._list_items(child, items, texts)
                continue
            if child.tag in ("ul", "ol"):
                self._list_items(child, items, texts)
                continue
            inner_html, inner_text = _inline_html(child, self)
            if squash(inner_text):
                items.append(f"<li>{inner_html.strip()}</li>")
                text = squash(inner_text)
                texts.append(text if number is None or _NUMBERED.match(text) else f"{number}. {text}")
            if number is not None and child.tag == "li":
                number += 1

    def quote(self, node: HtmlElement) -> None:
        self.flush()
        inner = _Writer(self.base, self.skip_image, self.video_hosts)
        inner.walk_children(node)
        inner.flush()
        if inner.blocks:
            body = "".join(b for b, _ in inner.blocks)
            self.blocks.append((f"<blockquote>{body}</blockquote>", "\n".join(t for _, t in inner.blocks)))

    def figure(self, node: HtmlElement) -> None:
        img = next(node.iter("img"), None)
        if img is None and any(True for _ in node.iter("table", "pre", "blockquote", "p", "ul", "ol")):
            # a figure of a table, code or a quote (WordPress wraps every table in one): read as blocks
            self.flush()
            self.walk_children(node)
            self.flush()
            return
        url = image_url(img, self.base) if img is not None else None
        caption_tag = next(node.iter("figcaption"), None)
        caption = text_of(caption_tag) if caption_tag is not None else ""
        if url is None or self.skip_image(url):
            if caption and url is None:
                self.flush()
                self.blocks.append((f"<p>{_text(caption)}</p>", ""))
            return
        self.flush()
        alt = _esc(squash(img.get("alt") or "")) if img is not None else ""
        cap = f"<figcaption>{_text(caption)}</figcaption>" if caption else ""
        self.blocks.append(
            (
                f'<figure><img src="{_esc(url)}" alt="{alt}" referrerpolicy="no-referrer">{cap}</figure>',
                "",  # a caption belongs to its picture, not to the running text (summaries, the text field)
            )
        )

    def table(self, node: HtmlElement) -> None:
        rows = []
        texts = []
        for tr in node.iter("tr"):
            cells = []
            for cell in tr.iterchildren("td", "th"):
                inner_html, inner_text = _inline_html(cell, self)
                tag = "th" if cell.tag == "th" else "td"
                cells.append(f"<{tag}>{inner_html.strip()}</{tag}>")
                texts.append(squash(inner_text))
            if cells:
                rows.append(f"<tr>{''.join(cells)}</tr>")
        if rows:
            self.flush()
            self.blocks.append((f"<table>{''.join(rows)}</table>", " ".join(t for t in texts if t)))


_NUMBERED = re.compile(r"^\(?\d{1,3}\b")  # an item that prints its own number ("1 Look for a deal")


def _list_start(ol: HtmlElement) -> int:
    start = (ol.get("start") or "").strip()
    return int(start) if start.lstrip("-").isdigit() and len(start) < 9 else 1


def safe_href(href: str, base: str) -> str | None:
    href = absolute(href, base) if href.strip() else ""
    return href if href.lower().startswith(_SAFE_SCHEMES) else None


def _is_data_table(table: HtmlElement) -> bool:
    """Layout tables (the 2019-23 image table) are flattened; tables of data are kept."""
    if any(True for _ in table.iterdescendants("img", "div", "p", "table", "figure")):
        return False
    rows = list(table.iter("tr"))
    has_th = any(True for _ in table.iter("th"))
    return has_th or (len(rows) >= 2 and all(len(list(r.iterchildren("td", "th"))) >= 2 for r in rows))


def _inline_html(node: HtmlElement, outer: _Writer) -> tuple[str, str]:
    """The allow-listed inline content of `node` (for list items, headings, cells, links)."""
    writer = _Writer(outer.base, outer.skip_image, outer.video_hosts)
    writer.walk_children(node)
    inline = "".join(writer.inline)
    text = "".join(writer.inline_text)
    for block_html, block_text in writer.blocks:  # blocks nested where only inline content is allowed
        inner = re.sub(r"^<(p|h\d|figure)>|</(p|h\d|figure)>$", "", block_html)
        inline = f"{inline} {inner}" if inline.strip() else inner
        text = f"{text} {block_text}"
    return re.sub(r"\s+", " ", inline), text


def clean_body(
    root: HtmlElement,
    base: str,
    skip_image: Callable[[str], bool] = lambda _u: False,
    video_hosts: tuple[str, ...] = (),
    max_bytes: int | None = None,
) -> CleanBody:
    """Clean one body element. `skip_image` drops images shown elsewhere (the lead image);
    `video_hosts` are the profile's own video players, beside the well-known ones; a body over
    `max_bytes` of HTML is cut at the last whole block that fits."""
    writer = _Writer(base, skip_image, video_hosts)
    writer.walk_children(root)
    writer.flush()
    blocks, cut_from = within(without_repeats(sifted(writer.blocks)), max_bytes)
    return CleanBody(
        html="\n".join(b for b, _ in blocks),
        paragraphs=tuple(t for _, t in blocks if t and t != "Video"),
        videos=tuple(writer.videos),
        cut_from=cut_from,
    )


def remove_matching(root: HtmlElement, texts: Iterable[str]) -> None:
    """Remove elements whose whole text is one of `texts` (a caption printed twice, say)."""
    wanted = {squash(t) for t in texts if t}
    if not wanted:
        return
    for tag in list(root.iterdescendants()):
        if not is_element(tag) or tag.getroottree().getroot() is not root.getroottree().getroot():
            continue  # already removed with an ancestor
        if text_of(tag) in wanted and not any(True for _ in tag.iterdescendants("p", "img")):
            remove(tag)
