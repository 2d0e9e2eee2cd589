"""Home and section pages built the way real news sites build them, with our own headlines and any class
names: a menu, a lead story with related links, boxes of story cards (category link, image link, headline
link, summary link), a numbered most-read box and a latest-news box in a side column, an image-only box,
a partner site's box, pagination and a footer. Each builder returns the page and the story URLs its main
lists hold, in page order.

Modelled on the structure of real pages (a saved 2018 Korea Herald home page, era-E section pages as
scrapers describe them); every word and address here is made up.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

WORDS = [
    "council",
    "votes",
    "harbour",
    "plan",
    "ministers",
    "agree",
    "budget",
    "talks",
    "rail",
    "strike",
    "ends",
    "court",
    "rules",
    "on",
    "data",
    "privacy",
    "storm",
    "closes",
    "schools",
    "exports",
    "rise",
    "again",
    "festival",
    "opens",
    "downtown",
    "police",
    "arrest",
    "suspect",
    "new",
    "bridge",
    "delayed",
    "hospital",
    "wait",
    "times",
    "fall",
    "union",
    "accepts",
    "offer",
]


@dataclass(frozen=True)
class Style:
    cls: Callable[[str], str]  # a role ("box", "card", "title"...) to the class attribute the site uses
    story: Callable[[int], str]  # a story number to its address on the site
    section: Callable[[int], str]  # a section number to its address


def random_style(seed: int, story: Callable[[int], str], section: Callable[[int], str]) -> Style:
    """Class names drawn from what layouts use, none of them saying what a box holds."""
    rng = random.Random(seed)
    pool = [
        "overHidden", "rightContents", "listDiv", "mt32", "floatL", "w790", "col-md-8", "col-md-4",
        "wrap", "inner", "box", "k7", "x3", "grid", "row", "item", "module", "tile", "card-body",
        "section-inner", "leftArea", "contentsArea", "l2", "block", "panel", "unit", "cell",
    ]  # fmt: skip
    names: dict[str, str] = {}

    def cls(role: str) -> str:
        if role not in names:
            names[role] = " ".join(rng.sample(pool, rng.randint(1, 2)))
        return f' class="{names[role]}"'

    return Style(cls, story, section)


def _headline(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, rng.randint(5, 9))).capitalize()


def _summary(rng: random.Random) -> str:
    return " ".join(" ".join(rng.sample(WORDS, 12)).capitalize() + "." for _ in range(3))


class _Numbers:
    def __init__(self, start: int) -> None:
        self.n = start

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        self.n += 1
        return self.n


def _menu(s: Style) -> str:
    links = "".join(f"<li><a href='{s.section(i)}'>Section {i}</a></li>" for i in range(1, 9))
    partners = "".join(
        f"<li><a href='https://partner{i}.example.org/'>Partner {i}</a></li>" for i in range(3)
    )
    return f"<div{s.cls('top')}><ul{s.cls('menu')}>{partners}</ul><ul{s.cls('nav')}>{links}</ul></div>"


def _card(s: Style, rng: random.Random, n: int, image: bool = True, summary: bool = True) -> str:
    url = s.story(n)
    parts = [f"<p{s.cls('cat')}><a href='{s.section(rng.randint(1, 8))}'>Section</a></p>"]
    if image:
        parts.append(f"<a href='{url}'><img src='/img/{n}.jpg'></a>")
    parts.append(f"<p{s.cls('title')}><a href='{url}'>{_headline(rng)}</a></p>")
    if summary:
        parts.append(f"<p><a href='{url}'{s.cls('desc')}>{_summary(rng)}</a></p>")
    return f"<li{s.cls('card')}>{''.join(parts)}</li>"


def _most_read(s: Style, rng: random.Random, numbers: list[int]) -> str:
    rows = "".join(
        f"<dt{s.cls('rank')}>{i:02d}</dt><dd><a href='{s.story(n)}'>{_headline(rng)}</a></dd>"
        for i, n in enumerate(numbers, 1)
    )
    return f"<div{s.cls('side')}><p{s.cls('head')}><span>MOST POPULAR</span></p><dl>{rows}</dl></div>"


def _footer(s: Style) -> str:
    about = "".join(f"<a href='/about/{w}'>{w}</a> " for w in ("contact", "privacy", "terms", "careers"))
    sections = "".join(f"<a href='{s.section(i)}'>Section {i}</a> " for i in range(1, 9))
    return f"<div{s.cls('foot')}>{about}{sections}</div>"


def home_page(s: Style, seed: int = 1) -> tuple[str, list[str]]:
    """A home page of many boxes: every box's stories are the main lists'; the most-read box is not."""
    rng = random.Random(seed)
    n = _Numbers(1000)
    main: list[int] = []

    def cards(count: int, **kw: bool) -> str:
        out = ""
        for _ in range(count):
            main.append(next(n))
            out += _card(s, rng, main[-1], **kw)
        return f"<ul{s.cls('list')}>{out}</ul>"

    lead = next(n)
    main.append(lead)
    related = [next(n) for _ in range(3)]
    main.extend(related)
    top = (
        f"<div{s.cls('lead')}><div{s.cls('img')}><a href='{s.story(lead)}'><img src='/l.jpg'></a></div>"
        f"<div{s.cls('info')}><p><a href='{s.story(lead)}'>{_headline(rng)}</a></p><ul{s.cls('rel')}>"
        + "".join(f"<li><a href='{s.story(r)}'>{_headline(rng)}</a></li>" for r in related)
        + "</ul></div></div>"
    )
    box1 = f"<div{s.cls('box')}><div{s.cls('sub')}>{cards(2)}{cards(3)}</div>"
    ads = "".join(
        f"<li><a href='https://ads{i}.example.net/'><img src='/ad{i}.gif'></a></li>" for i in range(4)
    )
    box1 += f"<ul{s.cls('side')}>{ads}</ul></div>"
    newsmaker = f"<div{s.cls('sub')}><p{s.cls('head')}><span>NEWSMAKER</span></p>{cards(1)}</div>"
    popular = main[:3] + [next(n) for _ in range(7)]  # most-read: some on the page, most from other days
    box2 = f"<div{s.cls('box')}>{newsmaker}{_most_read(s, rng, popular)}</div>"
    spotlight = f"<div{s.cls('box')}><p{s.cls('head')}><span>SPOTLIGHT</span></p>{cards(4)}</div>"
    latest = f"<div{s.cls('box')}><p{s.cls('head')}><span>LATEST NEWS</span></p>{cards(8)}</div>"
    pictures = [next(n) for _ in range(2)]
    main.extend(pictures)
    graphic = f"<div{s.cls('box')}><ul{s.cls('list')}>" + "".join(
        f"<li><a href='{s.story(p)}'><img src='/g{p}.jpg'></a></li>" for p in pictures
    )
    graphic += "</ul></div>"
    opinion = f"<div{s.cls('box')}><div{s.cls('col')}>{cards(2, image=False)}</div>{cards(2)}</div>"
    partner = "".join(
        f"<li><a href='https://partner1.example.org/view/{next(n)}'>{_headline(rng)}</a></li>"
        for _ in range(3)
    )
    body = (
        f"{_menu(s)}<div{s.cls('wrap')}><div{s.cls('contents')}>{top}{box1}{box2}{spotlight}{latest}{graphic}"
        f"{opinion}<div{s.cls('box')}><ul>{partner}</ul></div></div></div>{_footer(s)}"
    )
    return _page(body), [s.story(m) for m in main]


def section_page(
    s: Style, seed: int = 1, summaries: bool = True, images: bool = True
) -> tuple[str, list[str]]:
    """A section page: its lead story and list (of cards, or of bare headlines with neither summaries nor
    images); beside them a numbered most-read box and another section's latest headlines, which are not
    the section's."""
    rng = random.Random(seed)
    n = _Numbers(5000)
    main = [next(n) for _ in range(11)]
    lead = _card(s, rng, main[0])
    listed = "".join(_card(s, rng, m, image=images, summary=summaries) for m in main[1:])
    pages = "".join(f"<a href='?page={i}'>{i}</a>" for i in range(1, 6))
    column = (
        f"<div{s.cls('main')}><h1>Section 3</h1><ul{s.cls('lead')}>{lead}</ul><ul{s.cls('list')}>{listed}</ul>"
        f"<div{s.cls('paging')}>{pages}</div></div>"
    )
    latest = "".join(
        f"<li><a href='{s.story(next(n))}'>{_headline(rng)}</a><span{s.cls('time')}>10:{i:02d}</span></li>"
        for i in range(5)
    )
    side = (
        f"<div{s.cls('aside')}>{_most_read(s, rng, [next(n) for _ in range(10)])}"
        f"<div{s.cls('side')}><p{s.cls('head')}>LATEST</p><ul>{latest}</ul></div></div>"
    )
    body = f"{_menu(s)}<div{s.cls('wrap')}>{column}{side}</div>{_footer(s)}"
    return _page(body), [s.story(m) for m in main]


def _page(body: str) -> str:
    return f"<!doctype html><html><head><title>News</title></head><body>{body}</body></html>"
