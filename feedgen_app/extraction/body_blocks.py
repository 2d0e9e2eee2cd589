"""The cleaned body's blocks, as (html, text) pairs in page order, sifted before they make the entry: a
template's filler text, labels of chrome and affiliate disclosures left out, a block printed twice read
once, and the body cut to the feed's size limit at a block boundary. Pure."""

from __future__ import annotations

import html
import re

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


_PLACEHOLDER = re.compile(r"^\W*lorem ipsum dolor sit amet\b", re.IGNORECASE)


def without_placeholders(blocks: list[Block]) -> list[Block]:
    """A template's filler text ("Lorem ipsum dolor sit amet...") left in the page, often in a box the
    page hides, is never a story's."""
    return [(html_part, text) for html_part, text in blocks if not _PLACEHOLDER.match(text)]


# A block that is only the label of a box the cleaner took out or of the page's controls: an ad's
# "Advertisement" in many languages, a table of contents' heading, "Back to top", a share bar's words
# ("Share this post", "Facebook Twitter Email"), "Like this: Like Loading...", "6 min read".
_LABEL_ONLY = re.compile(
    r"^\W*(?:advertisement|advertising|ads?|sponsored(?:\s+content)?|anzeige|werbung|publicit[ée]|publicidad"
    r"|pubblicit[àa]|reklame|reklama|광고|広告|广告|廣告|table\s+of\s+contents|contents|in\s+this\s+article"
    r"|on\s+this\s+page|(?:back|return|go|scroll)\s+to\s+(?:the\s+)?top|top\s+of\s+(?:the\s+)?page|up|top"
    r"|share(?:\s+(?:this|the))?(?:\s+(?:post|article|story|page|on))?|like\s+this|like\s+loading|loading"
    r"|read\s+more|continue\s+reading|\d+\s+comments?|\d+\s+min(?:ute)?s?\s+read"
    r"|(?:facebook|twitter|x|linkedin|e-?mail|pinterest|reddit|whatsapp|print)"
    r"(?:\W+(?:facebook|twitter|x|linkedin|e-?mail|pinterest|reddit|whatsapp|print))+)\W*$",
    re.IGNORECASE,
)


def without_labels(blocks: list[Block]) -> list[Block]:
    """Blocks that are only a label of chrome ("Advertisement", "Table of contents", "Back to top")."""
    return [(html_part, text) for html_part, text in blocks if not _LABEL_ONLY.match(text)]


# An affiliate disclosure ("This post contains affiliate links", "We may earn a commission from links on
# this page"): the page speaking of itself and its links, at the start or the end of the story. English
# only, the language of the FTC rule that makes pages print it.
_DISCLOSURE = re.compile(
    r"\baffiliate (?:links?|commissions?|partners?)\b|\b(?:earn|receive|make)s? (?:a |an )?(?:small )?"
    r"(?:affiliate )?commissions?\b|\bindependently (?:selected|chosen|reviewed)\b|\bpartner links\b",
    re.IGNORECASE,
)
_SELF = re.compile(
    r"\b(?:this|these|our) (?:post|article|page|site|story|links?)\b|\b(?:we|us|I|my)\b", re.IGNORECASE
)
DISCLOSURE_AT = 3  # blocks at each end of the story where a disclosure stands
DISCLOSURE_MAX = 400  # characters: a notice, not a paragraph about affiliate marketing


def without_disclosures(blocks: list[Block]) -> list[Block]:
    """The affiliate disclosure printed before or after the story is the page's notice, not its text."""
    ends = set(range(DISCLOSURE_AT)) | set(range(len(blocks) - DISCLOSURE_AT, len(blocks)))
    return [
        (html_part, text)
        for i, (html_part, text) in enumerate(blocks)
        if not (i in ends and len(text) <= DISCLOSURE_MAX and _DISCLOSURE.search(text) and _SELF.search(text))
    ]


REPEAT_MIN = 20  # characters: shorter blocks ("Pros", "Read more") may repeat for good reason
LABEL_MAX = 100  # characters: a block this short repeated on its own is a recurring label, not a copy


def without_repeats(blocks: list[Block]) -> list[Block]:
    """A block printed again word for word (a pull quote, a tab's copy of a section, a mobile and a
    desktop version of one box) is read once. A short block repeated among new ones is a recurring label
    of the story's parts ("Free estimates from local pros" under each price) and stays; a short block in
    a run of repeats (a table of contents printed again, a box's copy) goes with the run."""
    seen: set[str] = set()
    again = []
    for _, text in blocks:
        again.append(len(text) >= REPEAT_MIN and text in seen)
        seen.add(text)
    out = []
    for i, (html_part, text) in enumerate(blocks):
        if again[i]:
            in_run = (i > 0 and again[i - 1]) or (i + 1 < len(blocks) and again[i + 1])
            if len(text) >= LABEL_MAX or in_run:
                continue
        out.append((html_part, text))
    return out


TOC_ITEMS = 3  # items at least in a table of contents
_TO_ANCHOR = re.compile(r'<li>\s*<a href="[^"]*#')  # an item that links to a place on the page
TOC_SHARE = 0.8  # of them that are headings further on


def _unnumbered(text: str) -> str:
    return re.sub(r"^\d+\.\s", "", text)  # "1. Le Wagon", as an ordered list's text reads


def without_contents(blocks: list[Block]) -> list[Block]:
    """A table of contents: a list whose items (nearly all) link to places on the page and are the story's
    headings further on. The headings stay where they head their sections; a feed reader cannot follow
    the links."""
    headings_after: set[str] = set()  # the headings after the block looked at, read from the end
    contents: set[int] = set()
    for i in range(len(blocks) - 1, -1, -1):
        html_part, text = blocks[i]
        introduced = i > 0 and blocks[i - 1][1].rstrip().endswith((":", "："))  # "There are three kinds:"
        if html_part.startswith(("<ul>", "<ol>")) and not introduced:
            items = [_unnumbered(item) for item in text.split("\n")]
            anchored = len(_TO_ANCHOR.findall(html_part))
            if (
                len(items) >= TOC_ITEMS
                and sum(item in headings_after for item in items) >= TOC_SHARE * len(items)
                and anchored >= TOC_SHARE * len(items)
            ):
                contents.add(i)
        if html_part.startswith("<h"):
            headings_after.update((text, _unnumbered(text)))
    return [block for i, block in enumerate(blocks) if i not in contents]


def sifted(blocks: list[Block]) -> list[Block]:
    """The blocks less template filler, chrome labels, tables of contents and affiliate disclosures."""
    return without_disclosures(without_contents(without_labels(without_placeholders(blocks))))
