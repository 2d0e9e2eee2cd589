"""The items of a site's own feed (RSS 2.0, RSS 1.0, Atom or JSON Feed 1.x): each story's link, and the
title, date and authors the feed gives for it. Pure: a page in, items out (None when it is not a feed).

Used two ways: a feed's `listing` may be such a feed (full text for any site with a partial feed: each item's
page goes through the profile and fallback chain, the item's own data filling what the page lacks), and
`site_feed` names one as a second way to find stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import lxml.etree

from feedgen_app.dom import strip_xml_declaration
from feedgen_app.extraction.dates import parse_date
from feedgen_app.extraction.metadata import load_json
from feedgen_app.records import ItemHint, Page
from feedgen_app.urls import absolute

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
_FEED_START = re.compile(r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)


@dataclass(frozen=True)
class FeedItem:
    url: str
    hint: ItemHint


def is_feed(page: Page) -> bool:
    """A page that is a feed, by its type or its first element (servers often say text/xml or text/html)."""
    kind = page.content_type.lower()
    if any(t in kind for t in ("rss+xml", "atom+xml", "feed+json")):
        return True
    head = page.text[:2000].lstrip("\ufeff")
    return bool(_FEED_START.match(head)) or (head.lstrip().startswith("{") and "jsonfeed.org" in head)


def _safe_parser() -> lxml.etree.XMLParser:
    """Outside XML is read with no entity expansion, no DTD, no network: no billion laughs, no XXE."""
    return lxml.etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
    )


def _date(text: str | None) -> datetime | None:
    if not text or not text.strip():
        return None
    text = text.strip()
    when: datetime | None
    try:
        when = parsedate_to_datetime(text)  # RSS 2.0: RFC 822
    except (TypeError, ValueError, IndexError):
        when = parse_date(text, UTC)
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _text(el: lxml.etree._Element | None) -> str:
    return " ".join("".join(str(t) for t in el.itertext()).split()) if el is not None else ""


def _xml_items(root: lxml.etree._Element, base: str) -> list[FeedItem]:
    items = []
    for item in root.iter("item", f"{RSS1}item", f"{ATOM}entry"):
        if item.tag == f"{ATOM}entry":
            links = [
                el.get("href") or ""
                for el in item.findall(f"{ATOM}link")
                if el.get("rel") in (None, "alternate") and el.get("href")
            ]
            title = _text(item.find(f"{ATOM}title"))
            when = _date(_text(item.find(f"{ATOM}published")) or _text(item.find(f"{ATOM}updated")))
            authors = tuple(_text(a.find(f"{ATOM}name")) for a in item.findall(f"{ATOM}author"))
        else:
            ns = RSS1 if item.tag == f"{RSS1}item" else ""
            links = [_text(item.find(f"{ns}link"))]
            guid = item.find("guid")
            if guid is not None and guid.get("isPermaLink", "true") == "true":
                links.append(_text(guid))
            links.append(item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or "")
            title = _text(item.find(f"{ns}title"))
            when = _date(_text(item.find("pubDate")) or _text(item.find(f"{DC}date")))
            authors = tuple(_text(a) for a in item.findall(f"{DC}creator")) or (
                (_text(item.find("author")),) if item.find("author") is not None else ()
            )
        url = next((absolute(u.strip(), base) for u in links if u and u.strip()), "")
        if url.startswith(("http://", "https://")):
            items.append(FeedItem(url, ItemHint(title, when, tuple(a for a in authors if a))))
    return items


def _json_items(doc: object, base: str) -> list[FeedItem]:
    items = []
    raw = doc.get("items", []) if isinstance(doc, dict) else []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        url = item.get("url") or item.get("external_url") or ""
        if not isinstance(url, str) or not url:
            continue
        people = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        authors = tuple(
            str(p["name"]) for p in people if isinstance(p, dict) and isinstance(p.get("name"), str)
        )
        published = item.get("date_published") or item.get("date_modified")
        when = _date(published) if isinstance(published, str) else None
        title = item.get("title") if isinstance(item.get("title"), str) else ""
        full = absolute(url.strip(), base)
        if full.startswith(("http://", "https://")):
            items.append(FeedItem(full, ItemHint(" ".join(str(title).split()), when, authors)))
    return items


def feed_items(page: Page) -> list[FeedItem] | None:
    """The items of the feed `page` is, in feed order; None when the page is no feed at all."""
    text = page.text.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        doc = load_json(text)
        if not (isinstance(doc, dict) and "jsonfeed.org" in str(doc.get("version", ""))):
            return None
        return _json_items(doc, page.final_url)
    try:
        root = lxml.etree.fromstring(strip_xml_declaration(text).encode("utf-8"), _safe_parser())
    except lxml.etree.XMLSyntaxError:
        return None
    if root is None or lxml.etree.QName(root).localname not in ("rss", "feed", "RDF"):
        return None
    return _xml_items(root, page.final_url)
