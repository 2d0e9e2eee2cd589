"""Page metadata outside the visible layout: JSON-LD (schema.org NewsArticle), OpenGraph and meta tags.

Takes a parsed page; returns plain `Metadata` records. These are the second and third links of the
extraction chain, and what keeps a feed right when a redesign breaks the profile's selectors. Pure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.etree

from feedgen_app.dom import HtmlElement, select

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "blogposting",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "report",
    "liveblogposting",
    "webpage",
}
_LD_SCRIPTS = lxml.etree.XPath("//script[contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json')]")
_METAS = lxml.etree.XPath("//meta[@content]")


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # raw strings: dates are parsed with the site's zone by the caller
    updated: str | None = None
    image: str | None = None
    description: str | None = None
    body: str | None = None  # JSON-LD articleBody, when a site ships one
    author_bios: tuple[str, ...] = ()  # what the page's people (its authors) are described as


MAX_JSON_DEPTH = 32  # levels of JSON-LD walked for articles; a page nests three or four


def load_json(text: str) -> Any | None:
    """A JSON document, or None for text that is not one, or is nested too deep to read (a hostile page's
    100,000 brackets raise RecursionError in the parser: no story field is that deep)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _walk(root: Any) -> Iterator[dict[str, Any]]:
    """The objects of a JSON-LD document in document order, through lists, `@graph`, `mainEntity` and
    `itemListElement`, at most MAX_JSON_DEPTH levels down (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            continue
        if isinstance(node, list):
            stack.extend((item, depth + 1) for item in reversed(node))
        elif isinstance(node, dict):
            yield node
            inner = [node[key] for key in ("@graph", "mainEntity", "itemListElement") if key in node]
            stack.extend((item, depth + 1) for item in reversed(inner))


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _names(value: Any) -> tuple[str, ...]:
    out = []
    for item in _listed(value):
        name = item.get("name") if isinstance(item, dict) else item
        text = _text(name)
        if text:
            out.append(text)
    return tuple(out)


def _image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) and value.strip() else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: Any) -> str | None:
    """A JSON-LD or meta string, whitespace folded; lone surrogates (a JSON "\\ud83d" cut in half)
    become U+FFFD, or the story could not be stored."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _SURROGATE.sub("\ufffd", " ".join(value.split()))


def json_ld(doc: HtmlElement) -> Metadata:
    """The page's schema.org article, if any: the most specific article type wins over WebPage."""
    best: dict[str, Any] | None = None
    bios: list[str] = []
    for script in select(_LD_SCRIPTS, doc):
        raw = script.text or ""  # dom.parse has already removed control characters
        data = load_json(raw)
        if data is None:
            continue
        for node in _walk(data):
            types = _types(node)
            for person in [node, *(a for a in _listed(node.get("author")) if isinstance(a, dict))]:
                if (
                    "person" in _types(person)
                    and (bio := _text(person.get("description")))
                    and bio not in bios
                ):
                    bios.append(bio)
            if not types & _ARTICLE_TYPES:
                continue
            if best is None or ("webpage" in _types(best) and "webpage" not in types):
                best = node
    if best is None:
        return Metadata(author_bios=tuple(bios))
    return Metadata(
        title=_text(best.get("headline") or best.get("name")),
        authors=_names(best.get("author", [])),
        published=_text(best.get("datePublished") or best.get("dateCreated")),
        updated=_text(best.get("dateModified")),
        image=_image(best.get("image") or best.get("thumbnailUrl")),
        description=_text(best.get("description")),
        body=best.get("articleBody") if isinstance(best.get("articleBody"), str) else None,
        author_bios=tuple(bios),
    )


def meta_tags(doc: HtmlElement) -> dict[str, str]:
    """Every <meta> with content, by its property, name or itemprop (first one wins), keys lower-cased."""
    out: dict[str, str] = {}
    for tag in select(_METAS, doc):
        value = _text(tag.get("content"))
        if not value:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (tag.get(attr) or "").strip().lower()
            if key and key not in out:
                out[key] = value
    return out


def _meta(metas: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        if key.lower() in metas:
            return metas[key.lower()]
    return None


def open_graph(doc: HtmlElement) -> Metadata:
    """OpenGraph, `article:*` and plain meta tags."""
    metas = meta_tags(doc)
    author = _meta(
        metas, "author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator"
    )
    if author and author.startswith(("http://", "https://")):
        author = None  # article:author is often a profile URL, not a name
    return Metadata(
        title=_meta(metas, "og:title", "twitter:title", "headline", "dc.title"),
        authors=(author,) if author else (),
        published=_meta(
            metas,
            "article:published_time",
            "og:article:published_time",
            "datePublished",
            "pubdate",
            "publish-date",
            "dc.date",
            "dc.date.issued",
            "published",
            "publish_date",
            "publication_date",
            "parsely-pub-date",
            "sailthru.date",
            "date",
        ),
        updated=_meta(metas, "article:modified_time", "og:updated_time", "dateModified", "last-modified"),
        image=_meta(metas, "og:image", "og:image:url", "twitter:image", "twitter:image:src"),
        description=_meta(metas, "og:description", "description", "twitter:description"),
    )
