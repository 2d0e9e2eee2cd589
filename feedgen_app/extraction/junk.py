"""What class and id names say about a box: the words of page chrome and of story content.

Names are cut into whole tokens at spaces, hyphens and underscores, lower-cased; a token is matched
whole or with a plural `s`, never as a part: `overHidden` is one token, not "over" + "hidden";
`commentary`, `printable`, `tagline` and `btn-group` name nothing here. A name is evidence, not a
verdict: callers weigh it with the box's text length and link density. Pure.
"""

from __future__ import annotations

import functools
import re

from feedgen_app.dom import HtmlElement

# Boxes that hold no story text on any site: ads, sharing, related and recommended stories, comments,
# newsletter sign-ups, breadcrumbs, menus.
CHROME_WORDS = frozenset(
    {
        "ad",
        "adv",
        "advert",
        "advertisement",
        "advertising",
        "adsbygoogle",
        "adslot",
        "banner",
        "share",
        "sharing",
        "sharebar",
        "sns",
        "social",
        "socials",
        "related",
        "recommended",
        "recommendation",
        "recirculation",
        "popular",
        "trending",
        "latest",
        "most",
        "ranking",
        "ticker",
        "newsletter",
        "subscribe",
        "subscription",
        "promo",
        "promotion",
        "sponsor",
        "sponsored",
        "comment",
        "disqus",
        "outbrain",
        "taboola",
        "breadcrumb",
        "breadcrumbs",
        "toolbar",
        "sidebar",
        "nav",
        "navbar",
        "navigation",
        "menu",
        "footer",
        "masthead",
        "cookie",
        "consent",
        "popup",
        "modal",
        "paywall",
        "pagination",
        "pager",
        "skip",
        "author",
        "authors",
        "byline",
        "bio",
        "signup",
        "cta",
        "toc",
        "sronly",
        "sr-only",
        "visually-hidden",
        "screen-reader-text",
    }
)
_CHROME_WEIGHT_WORDS = CHROME_WORDS | {"meta", "tags", "hidden", "print", "widget"}
_CONTENT_WORDS = frozenset(
    {"article", "body", "content", "entry", "main", "post", "story", "text", "hentry", "prose", "blog"}
)
_CONTENT_PARTS = re.compile(
    r"^(article|story|entry|post|main|page|blog)?(body|content|text)$|^(article|story|entry|post)"
)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+")


# Inline elements are never boxes of chrome: a `span.comment` is a code comment, a `span.share-price`
# a number in a sentence.
INLINE_TAGS = frozenset(
    {
        "span",
        "a",
        "code",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "small",
        "time",
        "abbr",
        "sup",
        "sub",
        "mark",
        "font",
        "label",
        "q",
        "cite",
        "kbd",
        "samp",
        "var",
        "s",
        "del",
        "ins",
        "bdi",
        "bdo",
        "data",
        "br",
        "img",
        "wbr",
    }
)


def _named_box(el: HtmlElement) -> bool:
    return el.tag not in INLINE_TAGS and not any(a.tag in ("pre", "code") for a in el.iterancestors())


def _names(el: HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower()


@functools.lru_cache(maxsize=8192)
def _tokens(names: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for name in names.split():
        tokens.append(name)
        tokens.extend(t for t in _TOKEN_SPLIT.split(name) if t and t != name)
    return tuple(tokens)


@functools.lru_cache(maxsize=8192)
def _named(names: str, words: frozenset[str]) -> bool:
    return any(_in(t, words) for t in _tokens(names))


def _in(token: str, words: frozenset[str]) -> bool:
    return token in words or (token.endswith("s") and token[:-1] in words)


# Of those, the boxes that are chrome however much text they hold: reader comments are prose, and so
# are the teasers of related and recommended stories, pop-ups and cookie notices.
NEVER_STORY_WORDS = frozenset(
    {
        "comment",
        "disqus",
        "respond",
        "related",
        "recommended",
        "outbrain",
        "taboola",
        "newsletter",
        "sharing",
        "popup",
        "modal",
        "lightbox",
        "offcanvas",
        "cookie",
        "consent",
    }
)


def never_story(el: HtmlElement) -> bool:
    names = _names(el)
    return names.strip() != "" and _named(names, NEVER_STORY_WORDS) and _named_box(el)


def junk_named(el: HtmlElement) -> bool:
    """True when a class or id token names the box as chrome (ads, share, related, comments...)."""
    names = _names(el)
    return names.strip() != "" and _named(names, CHROME_WORDS) and _named_box(el)


@functools.lru_cache(maxsize=8192)
def _name_weight(names: str) -> float:
    tokens = _tokens(names)
    weight = 0.0
    if any(_in(t, _CHROME_WEIGHT_WORDS) for t in tokens):
        weight -= 25
    if any(_in(t, _CONTENT_WORDS) for t in tokens) or any(_CONTENT_PARTS.search(t) for t in tokens):
        weight += 25
    return weight


def class_weight(el: HtmlElement) -> float:
    """Readability's class weight, with whole-token matching for the negative words: -25 for a
    chrome name, +25 for a content name (`articleBody` and `post-content` count), +50 for microdata's
    articleBody, +10 for <article>."""
    weight = _name_weight(_names(el))
    if el.get("itemprop") == "articleBody":
        weight += 50
    if el.tag == "article":
        weight += 10
    return weight
