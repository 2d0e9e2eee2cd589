"""What a story's body holds that is not its text, taken out before cleaning: the headline repeated at its
top, a date line and a byline standing alone before the first paragraph, and an author's box (a name, a
photo, a few lines) at its end. Pure: works on the body element."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC

import lxml.etree

from feedgen_app.dom import HtmlElement, remove, text_of
from feedgen_app.extraction.clean import squash
from feedgen_app.extraction.dates import parse_date


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


HEADLINE_WORDS = 0.8  # the share of a first heading's words the title must hold for it to be the headline
HEADLINE_COVER = 0.5  # and the share of the title's words it must hold (a site name, a subtitle aside)
BEFORE_HEADLINE = 160  # characters of kicker, breadcrumb, date and byline that may stand before it


def remove_headline(body: HtmlElement, title: str) -> None:
    """The story's own headline printed again inside its body box: a reader sees it as the entry title. Any
    heading that says the title word for word goes; so does the first heading before the story's text
    when it says most of the title ("What is cloud computing?" under "What is Cloud
    Computing? | Example Cloud"), after at most a kicker, a date and a byline."""
    wanted = _words(title)
    for heading in list(body.iter("h1", "h2", "h3")):
        if heading is not body and _words(text_of(heading)) == wanted:
            remove(heading)
    title_words = set(wanted.split())
    before = 0
    for el in body.iter():
        if el is body or not isinstance(el.tag, str):
            continue
        if el.tag in ("h1", "h2", "h3"):
            words = _words(text_of(el)).split()
            shared = [w for w in words if w in title_words]
            if (
                words
                and len(shared) >= HEADLINE_WORDS * len(words)
                and len(set(shared)) >= HEADLINE_COVER * len(title_words)
            ):
                remove(el)
            return
        if el.tag in ("p", "li", "table", "pre", "blockquote"):
            return  # the story's text begins before any heading
        before += len((el.text or "").strip()) + len((el.tail or "").strip())
        if before > BEFORE_HEADLINE:
            return


LEAD_BLOCKS = 3  # short blocks looked at before the story's first paragraph
LEAD_META = 80  # characters: a date line or a byline is short; a longer block is the story
_BLOCKS = frozenset({"p", "div", "section", "figure", "ul", "ol", "table", "blockquote", "h1", "h2", "h3"})
_BYLINE = re.compile(r"^(by|von|par|por|di|door|av)\s+\S", re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"\b(published|updated|posted|modified|am|pm|utc|gmt|jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|"
    r"dec)[a-z]*\b\.?|\b(?:last|on|at)\b|(?<=\d)(?:st|nd|rd|th)\b",  # "Last updated on Dec 15th, 2025"
    re.IGNORECASE,
)


def _date_line(text: str) -> bool:
    """A line that says when and nothing else: "Nov. 26, 2026 - 07:41", "Published : Apr 18, 2022"."""
    if parse_date(text, UTC) is None:
        return False
    return len(re.findall(r"[^\W\d_]{2,}", _DATE_WORDS.sub(" ", text))) <= 1


def _byline(text: str) -> bool:
    """ "By Kim Arin", "By Yonhap", "By Choi Si-young (siyoungchoi@heraldcorp.com)": a few words, no
    sentence."""
    words = re.sub(r"\([^)]*\)", " ", text).split()
    return bool(_BYLINE.match(text)) and len(words) <= 8 and not text.rstrip().endswith((".", "!", "?", ":"))


# A line of parts between separators: "Tom Becker · December 4, 2026", "By Tom Becker | 3 min read"
_SEPARATOR = re.compile(r"\s+[·•|–—-]\s+|\s*[·•|]\s*")
_SIGNED = re.compile(r"^[–—-]+\s*")  # "— by Priya Shah", a signature
_READING = re.compile(r"^\d+\s*(?:min(?:ute)?s?|mins?)\.?(?:\s+read)?$", re.IGNORECASE)
_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*$")  # two to four capitalised words


def _by_name(part: str) -> str | None:
    """The name in "By Tom Becker" (a few words, no sentence)."""
    if not _byline(part):
        return None
    name = re.sub(r"^\S+\s+", "", part).strip()
    name = re.sub(r"\s*\([^)]*\)\s*", " ", name).strip()
    return name or None


@dataclass(frozen=True)
class MetaLine:
    """What a byline or date line says: the names in it and its date, as printed."""

    names: tuple[str, ...]
    date: str | None


def meta_line(text: str) -> MetaLine | None:
    """A short line that is a byline or date line and nothing else: "Tom Becker · December 4, 2026", "By
    Tom Becker | Dec. 4, 2026 | 3 min read", "— by Priya Shah". A bare name counts only beside a date or a
    "by": "Harbour Master · Sea Wall" is a menu's words. None for anything else."""
    text = _SIGNED.sub("", " ".join(text.split()))
    parts = [p.strip() for p in _SEPARATOR.split(text) if p.strip()]
    names: list[str] = []
    when: str | None = None
    said = False  # a date or a "by": what makes the line a byline
    for part in parts:
        by = _by_name(part)
        if by:
            names.append(by)
            said = True
        elif _date_line(part):
            when = when or part
            said = True
        elif _READING.match(part):
            continue
        elif _NAME.match(part) and len(parts) > 1:
            names.append(part)
        else:
            return None
    return MetaLine(tuple(names), when) if said else None


def line_date(text: str) -> str | None:
    """The date a byline line prints between separators ("Tom Becker | Dec. 4, 2026 | 3 min read"); None
    for a line of one part (a date alone is read as one already) or of anything else."""
    if not _SEPARATOR.search(text):
        return None
    line = meta_line(text)
    return line.date if line else None


def remove_lead_meta(body: HtmlElement) -> tuple[str, ...]:
    """A date line or a byline standing alone before the story's first paragraph (where the generic
    extractor's box takes in the title block), or a signature ("— by Priya Shah") closing it: the entry
    carries them as its date and author. Returns the names such lines gave."""
    names: list[str] = []
    looked = 0
    blocks = [
        el
        for el in body.iter("p", "div", "span", "time", "address", "h4", "h5", "h6")
        if el is not body and not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el)
    ]
    for el in blocks:
        if el.getparent() is None:
            continue
        text = " ".join(text_of(el).split())
        if not text:
            continue
        if len(text) > LEAD_META or looked >= LEAD_BLOCKS:
            break
        looked += 1
        line = meta_line(text)
        if line or _date_line(text) or _byline(text):
            names.extend(line.names if line else ())
            remove(el)
    last = next((el for el in reversed(blocks) if el.getparent() is not None and text_of(el).strip()), None)
    if last is not None:
        text = " ".join(text_of(last).split())
        if _SIGNED.match(text) and len(text) <= LEAD_META:
            line = meta_line(text)
            if line and line.names:
                names.extend(line.names)
                remove(last)
    return tuple(dict.fromkeys(names))


BIO_BOX = 1200  # characters: an author's box at the end of a story is a name, a photo and a few lines
BIO_START = 60  # characters of a bio the page's metadata gives that a block must begin with


def _bio_names(authors: Sequence[str]) -> tuple[str, ...]:
    """How a bio starts: the author's full name ("Chris Radich is", "Geri Mileva, an"), or the first name
    with a verb ("Megan is a communicator")."""
    names = [a for a in authors if len(a) >= 5 and " " in a]
    firsts = [
        a.split()[0] + verb for a in names if len(a.split()[0]) >= 3 for verb in (" is ", " has ", " was ")
    ]
    return (*names, *firsts)


STORY_PARAGRAPH = 150  # characters: a paragraph before the bio this long is the story's, not the box's


def _box(el: HtmlElement, body: HtmlElement) -> HtmlElement:
    """The small box around a bio: its ancestors up to BIO_BOX of text that hold none of the story's
    paragraphs before it (a short story's own box is never taken for the bio's)."""
    box = el
    for parent in el.iterancestors():
        if parent is body or len(text_of(parent)) > BIO_BOX or _story_before(parent, box):
            break
        box = parent
    return box


def _story_before(parent: HtmlElement, box: HtmlElement) -> bool:
    """Whether `parent` holds a story paragraph before `box`."""
    for el in parent.iter():
        if el is box:
            return False
        if el.tag == "p" and len(text_of(el)) >= STORY_PARAGRAPH:
            return True
    return False


def remove_author_bio(body: HtmlElement, authors: Sequence[str], bios: Sequence[str] = ()) -> None:
    """The author's bio printed after the story ("Karina Cohen is the owner of..."), found by the
    byline's own name starting a block in the story's last third, with the small box around it; and a
    block anywhere that is the bio the page's metadata gives for its author."""
    starts = tuple(squash(b)[:BIO_START] for b in bios if len(b) >= BIO_START)
    names = _bio_names(authors)
    if not names and not starts:
        return
    total = len(text_of(body))
    seen = 0
    for el in list(body.iter("p", "h2", "h3", "h4", "h5", "h6", "div", "span", "strong", "a")):
        if el.getparent() is None:
            continue
        is_block = el.tag in ("p", "h2", "h3", "h4", "h5", "h6")
        own = (el.text or "").strip()
        if not is_block and not (own.startswith(names) or (starts and own.startswith(starts))):
            continue  # neither a candidate nor counted: no need to read its text
        text = text_of(el).lstrip("(")
        if starts and text.startswith(starts):
            remove(_box(el, body))
            continue
        if names and text.startswith(names) and seen > total * 2 / 3:
            remove(_box(el, body))
            return
        if is_block:
            seen += len(text)


_RIGHTS = re.compile(r"©|\(c\)\s*(?:19|20)\d{2}|all rights reserved", re.IGNORECASE)
RIGHTS_LINE = 300  # characters: a copyright line is one line, not a paragraph about copyright
PAGE_END = 0.15  # the share of the body's text, at its end, where the page's own footer may stand


def remove_page_footer(body: HtmlElement) -> None:
    """The page's footer taken in with the story where the page writes it without <footer>: a copyright
    line ("© 2025 Example, LLC. All rights reserved.") near the end of the body, and what follows it (the
    address, the legal notes, the consent lines)."""
    blocks = [el for el in body.iter("p", "div", "span", "small", "li", "section") if el is not body]
    total = len(text_of(body))
    if not total:
        return
    after = 0
    for el in reversed(blocks):
        if el.getparent() is None:
            continue
        text = text_of(el)
        if any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
            continue
        if len(text) <= RIGHTS_LINE and _RIGHTS.search(text) and after + len(text) <= total * PAGE_END:
            follow = list(el.itersiblings())
            remove(el)
            for sibling in follow:
                remove(sibling)
            return
        after += len(text)
        if after > total * PAGE_END:
            return


# Headings that open a closing section of the page, not of the story: the author's box …
_AUTHOR_HEADING = re.compile(
    r"^(?:about\s+the\s+(?:authors?|writers?|contributors?)|meet\s+the\s+authors?|written\s+by)\W*$",
    re.IGNORECASE,
)
# … and other stories, which count only when what follows is their links, not prose ("Related" may head a
# story's own last section)
_OTHER_STORIES_HEADING = re.compile(
    r"^(?:related(?:\s+\w+){0,4}|(?:if\s+you\s+liked\s+this\s+\w+,?\s+)?you\s+(?:may|might)\s+also\s+(?:like|enjoy)"
    r"|you\s+(?:may|might)\s+(?:also\s+)?be\s+interested\s+in(?:\s+\w+){0,5}|more\s+from(?:\s+\S+){1,4}"
    r"|read\s+(?:next|also)|recommended(?:\s+for\s+you|\s+reading|\s+articles|\s+posts|\s+stories)?"
    r"|(?:more|other|similar|latest)\s+(?:articles|posts|stories|news)|keep\s+reading)\W*$",
    re.IGNORECASE,
)
# … and the sources read, which count only when what follows reads as citations (a year, an address, "et
# al.", a DOI in most of its lines)
_SOURCES_HEADING = re.compile(
    r"^(?:references?|sources?|article\s+sources|bibliography|citations?|works\s+cited|literature\s+cited)\W*$",
    re.IGNORECASE,
)
_CITATION = re.compile(r"https?://|www\.|\b(?:19|20)\d\d\b|\bet\s+al\b|\bdoi\b", re.IGNORECASE)
CITED = 0.5  # the least share of a sources section's lines that read as citations
CLOSING_HEADING = 80  # characters
CLOSING_AFTER = 0.5  # the share of the body's text a closing section comes after
TEASER_LINKS = 0.25  # the least share of link text in a section of other stories


def _link_share(els: list[HtmlElement]) -> float:
    text = sum(len(text_of(e)) for e in els)
    links = sum(len(text_of(a)) for e in els for a in e.iter("a"))
    return links / text if text else 1.0


def _short_text(el: HtmlElement, limit: int) -> str | None:
    """The element's text, whitespace folded, or None when it is longer than `limit` (read no further)."""
    parts: list[str] = []
    read = 0
    for part in el.itertext():
        read += len(part)
        if read > 4 * limit:
            return None
        parts.append(part)
    text = " ".join("".join(parts).split())
    return text if len(text) <= limit else None


_BEFORE = lxml.etree.XPath("preceding::text()")


def _text_before(el: HtmlElement) -> int:
    result = _BEFORE(el)
    return sum(len(" ".join(str(t).split())) for t in result) if isinstance(result, list) else 0


def _cited(els: list[HtmlElement]) -> bool:
    lines = [t for e in els for t in _lines(e)]
    if len(lines) == 1:  # one block of sources split by <br>: two citations in it at least
        return len(_CITATION.findall(lines[0])) >= 2
    return len(lines) >= 2 and sum(1 for t in lines if _CITATION.search(t)) >= CITED * len(lines)


def _lines(el: HtmlElement) -> list[str]:
    items = [text_of(li) for li in el.iter("li", "p")] or [text_of(el)]
    return [t for t in items if t]


_CLOSING = {"author": _AUTHOR_HEADING, "others": _OTHER_STORIES_HEADING, "sources": _SOURCES_HEADING}
_EVIDENCE: dict[str, Callable[[list[HtmlElement]], bool]] = {
    "author": lambda _section: True,
    "others": lambda section: _link_share(section) >= TEASER_LINKS,
    "sources": _cited,
}


def remove_closing_sections(body: HtmlElement) -> None:
    """The page's closing sections taken in with the story: a heading that names the author's box, other
    stories ("About the author", "Related articles", "You may also like") or the sources read ("References",
    "Sources"), after most of the story's text, with what follows it in its box; the whole box when the
    heading opens it. Other stories count only when what follows is their links, sources only when it
    reads as citations."""
    total = len(text_of(body))
    headings: list[tuple[HtmlElement, str]] = []  # the outermost element of each heading, and its kind
    for el in body.iter("h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "div", "summary"):
        text = _short_text(el, CLOSING_HEADING)
        kind = next((k for k, pattern in _CLOSING.items() if pattern.match(text)), None) if text else None
        if kind is None or (headings and any(a is headings[-1][0] for a in el.iterancestors())):
            continue  # not a closing heading, or one inside the last found (its outermost element counts)
        if _text_before(el) >= total * CLOSING_AFTER:
            headings.append((el, kind))
    root = body.getroottree().getroot()
    for el, kind in reversed(headings):  # the last first: what an earlier one removes is after it
        parent = el.getparent()
        if parent is None or el.getroottree().getroot() is not root:
            continue  # gone with a later section
        before = [s for s in el.itersiblings(preceding=True) if text_of(s).strip()]
        whole = parent is not body and not before and not (parent.text or "").strip()
        section = [c for c in parent if c is not el] if whole else list(el.itersiblings())
        if _EVIDENCE[kind](section):
            for part in [parent] if whole else section:
                remove(part)
            remove(el)
