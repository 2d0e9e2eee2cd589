"""Stories that knocked the chain over or degraded it, served by a real local server and built with no
profile: each is published right, or fails alone with a named reason, and the feed goes on."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from conftest import write_config
from support.site_server import SiteServer

from feedgen_app.cli import main

TEXT = "".join(
    f"<p>The harbour council met on Thursday and voted on the plan for the quay, item {i} of the agenda.</p>"
    for i in range(6)
)


def page(title: str, head: str = "", before: str = "", after: str = "") -> bytes:
    return (
        f"<html><head><title>{title}</title>{head}</head><body>{before}<article><h1>{title}</h1>"
        f"<time datetime='2026-11-20T09:00:00+01:00'>20 November 2026, 09:00</time>{TEXT}</article>{after}"
        "</body></html>"
    ).encode()


HOSTILE = {
    "year-one-date": page(
        "A story whose metadata says year one",
        '<script type="application/ld+json">{"@type":"NewsArticle","headline":"A story whose metadata says '
        'year one","datePublished":"0001-01-01T00:00:00Z","dateModified":"9999-12-31T23:59:59-05:00"}</script>'
        '<meta property="article:published_time" content="2026-11-20T09:00:00+99:99">',
    ),
    "script-image": page(
        "A story whose picture is a script", '<meta property="og:image" content="javascript:alert(1)">'
    ),
    "huge-image-address": page(
        "A story with a megabyte picture address",
        f'<meta property="og:image" content="https://cdn.example.test/{"a" * 1_000_000}.jpg">',
    ),
    "deep-json-ld": page(
        "A story with JSON-LD nested deep",
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>",
    ),
    "broken-addresses": page(
        "A story with broken addresses",
        after="<a href='http://[::1/x'>one</a><a href='http://x.test:99999/'>two</a><img src='http://[zz]/i.jpg'>",
    ),
    "deep-nesting": page("A story under three hundred boxes", before="<div>" * 300, after="</div>" * 300),
    # shapes whose parse once cost the square of their depth (a minute for 100,000 levels)
    "deep-divs": page(
        "A story beside 100,000 nested boxes", after="<div>" * 100_000 + "x" + "</div>" * 100_000
    ),
    "deep-spans": page(
        "A story beside 50,000 nested spans", after="<span>" * 50_000 + "x" + "</span>" * 50_000
    ),
    "deep-lists": page(
        "A story beside 10,000 nested lists", after="<ul><li>" * 10_000 + "x" + "</li></ul>" * 10_000
    ),
    "deep-tables": page(
        "A story beside 3,000 nested tables",
        after="<table><tr><td>" * 3000 + "x" + "</td></tr></table>" * 3000,
    ),
    "unclosed-divs": page("A story before 150,000 unclosed boxes", after="<div><p>x</p>" * 150_000),
    "ipv6-base": page("A story whose base address is broken", head="<base href='http://[::1'>"),
    "huge-headline": page("A story", head="<meta property='og:title' content='" + "word " * 800_000 + "'>"),
    "comments": page("A story full of comments", after="<!-- a --><?php x ?><![CDATA[ y ]]>").replace(
        b"<p>", b"<!-- c --><p><!-- d -->"
    ),
}


@pytest.fixture
def built(tmp_path: Path) -> tuple[dict[str, object], dict[str, object]]:
    with SiteServer() as site:
        site.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        links = ""
        for n, (name, body) in enumerate(HOSTILE.items()):
            path = f"/2026/11/20/{name}-{n}"
            site.static(path, body)
            links += f"<li><a href='{path}'>{body.split(b'<title>')[1].split(b'<')[0].decode()}</a></li>"
        site.static("/news/", f"<html><body><ul>{links}</ul></body></html>".encode())
        config = write_config(tmp_path, site.url("/news/"), site="auto")
        main(["build", "--config", str(config)])
        feed = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes())
        status = json.loads((tmp_path / "public" / "status.json").read_text())["feeds"]["north-korea"]
        return {e.title: e for e in feed.entries}, status


def test_every_hostile_story_is_published_whole(built: tuple[dict[str, object], dict[str, object]]) -> None:
    entries, status = built
    assert len(entries) == len(HOSTILE), sorted(entries)
    assert status["last_poll"]["failed"] == 0 and status["last_poll"]["bugs"] == 0  # type: ignore[index]
    for entry in entries.values():
        assert "item 5 of the agenda" in entry.content[0].value  # type: ignore[attr-defined]


def test_a_headline_of_megabytes_is_cut_to_a_title(
    built: tuple[dict[str, object], dict[str, object]],
) -> None:
    entries, _status = built
    titles = [t for t in entries if t.startswith("word word")]
    assert len(titles) == 1 and len(titles[0]) <= 300 and titles[0].endswith("…")


def test_absurd_dates_fall_through_to_the_page(built: tuple[dict[str, object], dict[str, object]]) -> None:
    entries, _status = built
    entry = entries["A story whose metadata says year one"]
    assert entry.published == "2026-11-20T09:00:00+01:00"  # type: ignore[attr-defined]


def test_no_script_or_giant_address_reaches_a_feed(
    built: tuple[dict[str, object], dict[str, object]],
) -> None:
    entries, _status = built
    for title in ("A story whose picture is a script", "A story with a megabyte picture address"):
        content = entries[title].content[0].value  # type: ignore[attr-defined]
        assert "javascript:" not in content and "<img" not in content and len(content) < 5_000


def test_a_page_that_takes_longer_than_its_size_allows_fails_alone_and_named() -> None:
    from itertools import count

    from feedgen_app.errors import ExtractError
    from feedgen_app.extraction.extract import extract_story
    from feedgen_app.extraction.reading_time import ReadingTime
    from feedgen_app.profile import builtin_table, profile_from_table
    from feedgen_app.records import Page

    auto = profile_from_table("auto", builtin_table("auto"), "auto")
    body = page("A slow story").decode()
    story = Page("https://x.test/a", "https://x.test/a", 200, body)
    ticks = count(0, 2.0)  # every look at the clock, two seconds more
    with pytest.raises(
        ExtractError, match=r"https://x.test/a: reading this page took over 3\.0s .* left out"
    ):
        extract_story(
            story, auto, story.url, "a", reading=ReadingTime(story.url, len(body), lambda: next(ticks))
        )
    assert extract_story(story, auto, story.url, "a").title == "A slow story"
