"""Mutations of pages with what broke the chain on real and hostile pages, and the chain they go through.

`mutations()` is a hypothesis strategy of functions bytes -> bytes: comments, processing instructions,
CDATA and doctypes anywhere; absurd dates in JSON-LD, meta and <time>; invalid and deeply nested JSON-LD;
NUL bytes; BOMs against meta charsets; UTF-16; binary bodies; 10^5 siblings; 10^4 nesting levels;
megabyte attributes; malformed and `javascript:` addresses. `through_the_chain(body)` decodes a body and
sends it through discovery, extraction (with and without a profile), cleaning and the three renderers,
returning how long it took; it raises only what the chain lets through (a bug). Used by
tests/test_fuzz.py (a bounded run in CI) and bench/fuzz.py (a long run).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import strategies as st

from feedgen_app.config import config_from_dict
from feedgen_app.discovery.discover import FALLBACK_SOURCE, discover
from feedgen_app.errors import FeedgenError
from feedgen_app.extraction.extract import extract_story
from feedgen_app.fetching.encoding import decode
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.publishing.render import RENDERERS, entry_of
from feedgen_app.records import Page, StoredStory
from feedgen_app.repair.article import ArticleLearner
from feedgen_app.repair.listing import learn_items
from feedgen_app.repair.sample import Sample

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SEEDS = sorted(
    [
        *(FIXTURES / "koreaherald" / "current" / "pages").glob("*.html"),
        *(FIXTURES / "koreaherald" / "2022" / "pages").glob("*.html"),
        *(FIXTURES / "koreatimes" / "pages").glob("*.html"),
        *(FIXTURES / "redesign" / "pages").glob("*.html"),
    ]
)
PROFILES = [
    profile_from_table(name, builtin_table(name), "fuzz") for name in ("auto", "koreaherald", "koreatimes")
]
NOW = datetime(2026, 12, 1, tzinfo=UTC)
Mutation = Callable[[bytes], bytes]

ODD_NODES = [
    b"<!-- a comment -->",
    b"<!-- <a href='/article/1'>commented out</a> -->",
    b"<!--",
    b"<?php echo 1; ?>",
    b"<?xml-stylesheet href='x'?>",
    b"<![CDATA[ x < y ]]>",
    b"<!DOCTYPE html>",
    b"\x00",
    b"</html>",
    b"<body>",
    b"<a href='http://[::1/x'>broken IPv6</a>",
    b"<a href='http://x.test:99999/a'>port out of range</a>",
    b"<a href='javascript:alert(1)'>script</a>",
    b"<img src='javascript:alert(1)'>",
]
ABSURD_DATES = [
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-05:00",
    "2024-01-01T00:00:00+24:00",
    "2024-01-01T00:00:00+99:99",
    "1700000000000",
    "2024-13-45T25:61:61",
    "not a date at all",
    "",
    "2100-01-01",
    "1989-12-31",
]
DEEP_JSON = ["[" * 100_000, '{"@graph":[' * 900 + "{}" + "]}" * 900, '{"@type":"NewsArticle",', "[1,2,"]


def _insert_everywhere(piece: bytes, every: int) -> Mutation:
    """`piece` after every `every`-th '>' of the page (between tags)."""

    def mutate(body: bytes) -> bytes:
        parts = body.split(b">")
        return b">".join(p + (piece if i % every == 0 else b"") for i, p in enumerate(parts))

    return mutate


def _dates(value: str) -> Mutation:
    def mutate(body: bytes) -> bytes:
        text = body.decode("utf-8", "replace")
        text = re.sub(r'("date(?:Published|Modified|Created)"\s*:\s*)"[^"]*"', rf'\1"{value}"', text)
        text = re.sub(r'(<meta[^>]+(?:published|modified)_time"?\s+content=")[^"]*', rf"\g<1>{value}", text)
        text = re.sub(r"(<time[^>]*datetime=[\"'])[^\"']*", rf"\g<1>{value}", text)
        head = (
            f'<script type="application/ld+json">{{"@type":"NewsArticle","headline":"x",'
            f'"datePublished":"{value}","dateModified":"{value}"}}</script>'
        )
        return text.replace("</head>", head + "</head>", 1).encode()

    return mutate


def _json_ld(value: str) -> Mutation:
    def mutate(body: bytes) -> bytes:
        return body.replace(
            b"</head>", f'<script type="application/ld+json">{value}</script></head>'.encode(), 1
        )

    return mutate


def _bom_against_meta(bom: bytes, meta: str) -> Mutation:
    def mutate(body: bytes) -> bytes:
        return bom + re.sub(rb"<meta charset=[^>]*>", b"", body).replace(
            b"<head>", f"<head><meta charset='{meta}'>".encode(), 1
        )

    return mutate


def _utf16(body: bytes) -> bytes:
    return ("\ufeff" + body.decode("utf-8", "replace")).encode("utf-16-le")


def _siblings(body: bytes) -> bytes:
    links = b"".join(
        b"<a href='/article/%d'>Story number %d of the day here</a>" % (i, i) for i in range(100_000)
    )
    return body.replace(b"<body>", b"<body>" + links, 1)


def _nesting(body: bytes) -> bytes:
    return body.replace(b"<body>", b"<body>" + b"<div>" * 10_000, 1).replace(
        b"</body>", b"</div>" * 10_000 + b"</body>", 1
    )


def _big_attribute(body: bytes) -> bytes:
    huge = b"http://x.test/" + b"a" * 1_000_000 + b".jpg"
    meta = (
        b"<meta property='og:image' content='"
        + huge
        + b"'><meta property='og:title' content='"
        + huge
        + b"'>"
    )
    return body.replace(b"</head>", meta + b"</head>", 1).replace(b"<p>", b"<p title='" + huge + b"'>", 1)


def _binary(seed: bytes) -> Mutation:
    def mutate(_body: bytes) -> bytes:
        return (seed * 4096)[:100_000]

    return mutate


def mutations() -> st.SearchStrategy[Mutation]:
    single = st.one_of(
        st.builds(_insert_everywhere, st.sampled_from(ODD_NODES), st.integers(1, 7)),
        st.builds(_dates, st.sampled_from(ABSURD_DATES)),
        st.builds(_json_ld, st.sampled_from(DEEP_JSON)),
        st.builds(
            _bom_against_meta,
            st.sampled_from([b"\xef\xbb\xbf", b"", b"\xff\xfe"]),
            st.sampled_from(["windows-1251", "iso-8859-1", "utf-16", "x-bogus"]),
        ),
        st.just(_utf16),
        st.builds(_binary, st.binary(min_size=1, max_size=64)),
        st.sampled_from([_siblings, _nesting, _big_attribute]),
    )
    return st.lists(single, min_size=1, max_size=3)  # type: ignore[return-value]


def random_mutations(rng: random.Random) -> list[Mutation]:
    """The same mutations as `mutations()`, drawn with `rng` (for the long run in bench/fuzz.py)."""
    makers: list[Callable[[], Mutation]] = [
        lambda: _insert_everywhere(rng.choice(ODD_NODES), rng.randint(1, 7)),
        lambda: _dates(rng.choice(ABSURD_DATES)),
        lambda: _json_ld(rng.choice(DEEP_JSON)),
        lambda: _bom_against_meta(
            rng.choice([b"\xef\xbb\xbf", b"", b"\xff\xfe"]),
            rng.choice(["windows-1251", "iso-8859-1", "utf-16", "x-bogus"]),
        ),
        lambda: _utf16,
        lambda: _binary(rng.randbytes(rng.randint(1, 64))),
        lambda: rng.choice([_siblings, _nesting, _big_attribute]),
    ]
    return [rng.choice(makers)() for _ in range(rng.randint(1, 3))]


def apply(mutations: list[Mutation], body: bytes) -> bytes:
    for mutate in mutations:
        body = mutate(body)
    return body


FEED = config_from_dict(
    {
        "output": {"dir": "public", "base_url": "https://example.test/"},
        "feeds": [{"id": "fuzz", "title": "Fuzz", "listing": "https://www.koreaherald.com/National"}],
    },
    Path("/nonexistent/feeds.toml"),
).feeds[0]


def through_the_chain(body: bytes, content_type: str = "text/html") -> float:
    """Seconds taken by every stage on `body` (learning selectors from what the fallbacks found
    included); raises only what a stage lets through."""
    started = time.monotonic()
    text = decode(body, content_type)
    url = "https://www.koreaherald.com/article/10871768"
    page = Page(url, url, 200, text)
    for profile in PROFILES:
        found = discover(page, profile)
        if found.source == FALLBACK_SOURCE:
            learn_items(page, found.refs, profile, NOW)  # the repair stage, on what discovery took
        try:
            story = extract_story(page, profile, url, "/article/10871768", 500_000, None, NOW)
        except FeedgenError:
            continue  # no title or no text: a named failure, as it should be
        ArticleLearner([Sample(page, story)], profile, NOW).learn(profile.name, NOW)
        entry = entry_of(StoredStory(story, NOW, "x", NOW), FEED)
        for _suffix, render in RENDERERS.values():
            render(FEED, [entry], "https://example.test/fuzz.atom", "Fuzz")
    return time.monotonic() - started
