"""What a story's body holds that is not its text, taken out before cleaning: the headline repeated at its
top, and an author's box (a name, a photo, a few lines) at its end. Pure: works on the body element."""

from __future__ import annotations

import re
from collections.abc import Sequence

from feedgen_app.dom import HtmlElement, remove, text_of


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def remove_headline(body: HtmlElement, title: str) -> None:
    """The story's own headline printed again inside its body box: a reader sees it as the entry title."""
    wanted = _words(title)
    for heading in list(body.iter("h1", "h2", "h3")):
        if heading is not body and _words(text_of(heading)) == wanted:
            remove(heading)


BIO_BOX = 1200  # characters: an author's box at the end of a story is a name, a photo and a few lines


def remove_author_bio(body: HtmlElement, authors: Sequence[str]) -> None:
    """The author's bio printed after the story ("Karina Cohen is the owner of..."), found by the
    byline's own name starting a block in the story's last third, with the small box around it."""
    names = tuple(a for a in authors if len(a) >= 5 and " " in a)
    if not names:
        return
    total = len(text_of(body))
    seen = 0
    for el in list(body.iter("p", "h2", "h3", "h4", "h5", "h6", "div", "span", "strong", "a")):
        if el.getparent() is None:
            continue
        is_block = el.tag in ("p", "h2", "h3", "h4", "h5", "h6")
        own = (el.text or "").strip()
        if not own.startswith(names) and not is_block:
            continue  # neither a candidate nor counted: no need to read its text
        text = text_of(el)
        if own.startswith(names) and text.startswith(names) and seen > total * 2 / 3:
            box = el
            for parent in el.iterancestors():
                if parent is body or len(text_of(parent)) > BIO_BOX:
                    break
                box = parent
            remove(box)
            return
        if is_block:
            seen += len(text)
