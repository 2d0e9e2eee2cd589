"""Candidate CSS selectors for an element: what a person would write to name it on every page of a site.

Built only from what stays put across a site's pages: stable class names, ids and itemprops, and the same
of the element's nearest named ancestors (`div.story__body`, `.headline-block h1.hl-text`, `#articleText`).
Never positional paths (`:nth-child` chains, `div > div > div`) and never names a build tool generated
(`css-1x2y3z`, `sc-bdfBwQ`) or that carry a story's number (`post-10889950`): those change from page to page
or from one deploy to the next. Pure.
"""

from __future__ import annotations

import re

from feedgen_app.dom import HtmlElement, classes

_IDENT = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")
_GENERATED_PREFIX = re.compile(r"^(css|sc|jsx|emotion|styled|svelte|astro|tw|chakra|mui[a-z]*)-", re.I)
_STATE = frozenset(
    {"active", "on", "off", "selected", "current", "open", "show", "hide", "hidden", "clearfix"}
)
_ROOTS = frozenset({"html", "body"})
ANCESTORS = 5  # named ancestors looked at above the element
PER_ELEMENT = 4  # forms kept of one element (its id, itemprop and first stable classes)


def stable_name(name: str) -> bool:
    """Whether a class name or id reads as written by a person for the layout, not generated per build or
    per story."""
    if not _IDENT.fullmatch(name) or _GENERATED_PREFIX.match(name) or name.lower() in _STATE:
        return False
    for token in re.split(r"[-_]+", name):
        if re.fullmatch(r"\d{3,}", token):  # a story's number, a counter
            return False
        if len(token) >= 5 and re.search(r"\d", token) and re.search(r"[A-Za-z]", token):  # a hash
            return False
        if len(token) >= 6 and re.search(r"[a-z][A-Z].*[a-z][A-Z]", token):  # mixed case, as hashes are
            return False
    return True


_TAG = re.compile(r"[a-z][a-z0-9-]*")


def _tag(el: HtmlElement) -> str | None:
    """The element's name as a selector names it; None for a name no selector can say (a parser keeps
    whatever broken markup calls an element: `div<`, `x:y`)."""
    tag = str(el.tag).lower()
    if not _TAG.fullmatch(tag):
        return None
    return "a[href]" if tag == "a" else tag


def element_forms(el: HtmlElement) -> list[str]:
    """The ways to name one element on its own, most stable first: `#id`, `tag[itemprop=x]`, `tag.class`."""
    tag = _tag(el)
    if tag is None:
        return []
    forms: list[str] = []
    ident = (el.get("id") or "").strip()
    if ident and stable_name(ident):
        forms.append(f"{tag}#{ident}" if tag != "a[href]" else f"a#{ident}[href]")
    prop = (el.get("itemprop") or "").strip()
    if prop and _IDENT.fullmatch(prop):
        forms.append(f"{tag}[itemprop={prop}]")
    for name in classes(el):
        if stable_name(name):
            forms.append(f"a.{name}[href]" if tag == "a[href]" else f"{tag}.{name}")
    return forms[:PER_ELEMENT]


def candidates(el: HtmlElement) -> list[str]:
    """Selectors that may name `el` on every page of its site, simplest first: its own forms, then each
    form (or its bare tag) under a named ancestor."""
    own = element_forms(el)
    tag = _tag(el)
    if tag is None:
        return []
    out = list(own)
    inner = [*own[:2], tag]
    for depth, anc in enumerate(el.iterancestors()):
        if not isinstance(anc.tag, str) or anc.tag in _ROOTS or depth >= ANCESTORS:
            break
        for outer in element_forms(anc)[:2]:
            out.extend(f"{outer} {form}" for form in inner)
    return list(dict.fromkeys(out))


def rank(selector: str) -> tuple[int, int, int]:
    """Simpler is steadier: fewer steps, an id or itemprop before classes, then fewer characters."""
    named = 0 if ("#" in selector or "itemprop" in selector) else 1
    return (selector.count(" ") + selector.count(","), named, len(selector))


def ranked(pool: list[str]) -> list[str]:
    """Candidates in the order to try them: fewer steps first, an id or itemprop before classes, then as
    `candidates` gave them (the element's own forms, then under its nearest named ancestor first: a
    photo's `figure.media img` before `div#wrap img`, which would take any picture on the page)."""
    first = {text: i for i, text in reversed(list(enumerate(pool)))}
    return sorted(first, key=lambda t: (*rank(t)[:2], first[t]))
