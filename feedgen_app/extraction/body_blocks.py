"""The cleaned body's blocks, as (html, text) pairs in page order, sifted before they make the entry: a
block printed twice read once, and the body cut to the feed's size limit at a block boundary. Pure."""

from __future__ import annotations

import html

Block = tuple[str, str]  # a block's cleaned HTML and its plain text


def within(blocks: list[Block], max_bytes: int | None) -> tuple[list[Block], int]:
    """The blocks that fit in `max_bytes` (a first block too big alone keeps the start of its text) and
    the whole body's size when some did not fit, else 0."""
    sizes = [len(b.encode()) + 1 for b, _ in blocks]
    if max_bytes is None or sum(sizes) <= max_bytes:
        return blocks, 0
    used = 0
    for i, size in enumerate(sizes):
        if used + size > max_bytes:
            if i == 0:
                text = blocks[0][1][: max_bytes // 2].rsplit(" ", 1)[0] + " …"
                return [(f"<p>{html.escape(text, quote=False)}</p>", text)], sum(sizes)
            return blocks[:i], sum(sizes)
        used += size
    return blocks, 0


REPEAT_MIN = 20  # characters: shorter blocks ("Pros", "Read more") may repeat for good reason


def without_repeats(blocks: list[Block]) -> list[Block]:
    """A block printed again word for word (a pull quote, a tab's copy of a section, a mobile and a
    desktop version of one box) is read once."""
    seen: set[str] = set()
    out = []
    for html_part, text in blocks:
        if len(text) >= REPEAT_MIN:
            if text in seen:
                continue
            seen.add(text)
        out.append((html_part, text))
    return out
