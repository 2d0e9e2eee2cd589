"""Markup nested deeper than any page a person reads, cut back before it is parsed.

An HTML5 parser checks the stack of open elements at most start and end tags (is a `<p>` open in button
scope, an `<li>` in list-item scope), so a page of 100,000 nested `<div>`s costs it the square of that:
lexbor took 1.9 s for 30,000 levels and a minute for 100,000, whatever the page's size. Blink stops
nesting at 512 levels. Here, start tags that would open an element deeper than MAX_OPEN are dropped with
their end tags, so the text they held stays where it was and the parse is linear in the page's size.

A cheap count decides whether the careful pass is needed: every start tag but void and implied-end ones
less every end tag, floored at zero. It can only overcount the real depth (an unclosed `<span>` counts
forever), so a page under the limit by this count is under it in fact; the careful pass keeps a stack of
open elements, closes implied ones the way parsers do (an end tag closes the open elements above its
match), and decides from that. Pure.
"""

from __future__ import annotations

import re

MAX_OPEN = 512  # open elements at once; Blink's parser nests no deeper either

# elements with no end tag, and elements whose end is implied by a sibling or a parent's end: neither
# nests without an explicit container between levels
_NOT_COUNTED = (
    "area|base|br|col|embed|hr|img|input|keygen|link|meta|param|source|track|wbr|basefont|bgsound|frame|"
    "image|isindex|li|dd|dt|p|td|th|tr|tbody|thead|tfoot|option|optgroup|colgroup|caption|rb|rt|rtc|rp|"
    "html|head|body"
)
_COUNT = re.compile(rf"<(/?)(?!(?:{_NOT_COUNTED})[\s/>])[a-zA-Z]", re.IGNORECASE)
# a tag, or what hides tags from the parser: comments, and elements whose content is text
_TAG = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)\b[^>]*>.*?(?:</\1\s*>|\Z)"
    r"|<(/?)([a-zA-Z][^\s/>]*)[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_NOT_COUNTED_NAMES = frozenset(_NOT_COUNTED.split("|"))
LOOK_BACK = 64  # open elements an end tag looks through for its match (a parser's scope is as short)


def could_be_deeper(text: str, limit: int = MAX_OPEN) -> bool:
    """Whether the markup may hold more than `limit` open elements at once (never False when it does)."""
    depth = 0
    for end in _COUNT.findall(text):
        if end:
            depth -= depth > 0
        else:
            depth += 1
            if depth > limit:
                return True
    return False


def bounded(text: str, limit: int = MAX_OPEN) -> str:
    """The markup with no more than `limit` elements open at once: deeper start tags and their end tags
    dropped. The text itself, and every tag at a sane depth, is left as it was."""
    if not could_be_deeper(text, limit):
        return text
    stack: list[tuple[str, bool]] = []  # open elements: (name, dropped)
    kept = 0  # open elements not dropped
    cuts: list[tuple[int, int]] = []
    for m in _TAG.finditer(text):
        name = m.group(3)
        if name is None:  # a comment or a text-only element: nothing inside it is a tag
            continue
        name = name.lower()
        if name in _NOT_COUNTED_NAMES:
            continue
        if not m.group(2):  # a start tag
            dropped = kept >= limit
            stack.append((name, dropped))
            kept += not dropped
            if dropped:
                cuts.append(m.span())
            continue
        for back in range(1, min(LOOK_BACK, len(stack)) + 1):
            if stack[-back][0] == name:
                if stack[-back][1]:
                    cuts.append(m.span())
                for _ in range(back):
                    kept -= not stack.pop()[1]
                break
    if not cuts:
        return text
    parts, at = [], 0
    for start, end in cuts:
        parts.append(text[at:start])
        at = end
    parts.append(text[at:])
    return "".join(parts)
