"""Pages built by script frameworks carry the story in their embedded app data and little or none of it in
the HTML (Next.js, Nuxt, Apollo state, `application/json` blocks): the entry gets the whole story, its
author and no script text. A page whose HTML holds the story is read from the HTML. Pages written here, in
the shapes those frameworks write."""

from __future__ import annotations

import json

import pytest

from feedgen_app.extraction.extract import extract_story
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page, Story

AUTO = profile_from_table("auto", builtin_table("auto"), "test")
URL = "https://gazette.example.test/news/harbour-reopens"
TITLE = "Harbour reopens after the storm"
SENTENCES = [
    f"The harbour reopened on Thursday, paragraph {n}, and the first boats went out at dawn while the council "
    "counted the cost of repairs to the sea wall."
    for n in range(8)
]
HTML_BODY = "".join(f"<p>{s}</p>" for s in SENTENCES)
RELATED = {"title": "Another story", "body": "<p>" + "A related story's long text. " * 12 + "</p>"}


def _shell(scripts: str, shown: str = "<div class='spinner'>Loading…</div>") -> Story:
    html = (
        f"<!doctype html><html><head><title>{TITLE} | The Gazette</title></head><body>"
        f"<div id='__next'><header><a href='/'>The Gazette</a></header><main>{shown}</main></div>{scripts}</body></html>"
    )
    return extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)


def _next(article: dict[str, object]) -> str:
    data = {"props": {"pageProps": {"article": article, "related": [RELATED]}}, "page": "/news/[slug]"}
    return f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>'


def _nuxt3(article: dict[str, object]) -> str:
    """Nuxt 3's payload (devalue): a flat list whose objects and lists hold the indexes of their values."""
    values: list[object] = []

    def put(value: object) -> int:
        index = len(values)
        values.append(None)
        if isinstance(value, dict):
            values[index] = {k: put(v) for k, v in value.items()}
        elif isinstance(value, list):
            values[index] = [put(v) for v in value]
        else:
            values[index] = value
        return index

    values.append({"data": 1})
    values.append(["Reactive", 2])
    values.append({"story": 3})
    put(article)
    return f'<script type="application/json" id="__NUXT_DATA__">{json.dumps(values)}</script>'


def _apollo(article: dict[str, object]) -> str:
    state = {"ROOT_QUERY": {"story": {"__ref": "Story:1"}}, "Story:1": article}
    return f"<script>window.__APOLLO_STATE__ = {json.dumps(state)};</script>"


def _blocks() -> list[dict[str, object]]:
    return [{"_type": "block", "children": [{"_type": "span", "text": s}]} for s in SENTENCES]


@pytest.mark.parametrize(
    "scripts",
    [
        _next({"headline": TITLE, "author": {"name": "Tom Becker"}, "body": HTML_BODY}),
        _nuxt3({"title": TITLE, "authors": [{"displayName": "Tom Becker"}], "content": HTML_BODY}),
        _apollo({"title": TITLE, "byline": "Tom Becker", "body": _blocks()}),
        '<script type="application/json">'
        + json.dumps({"story": {"title": TITLE, "writer": "Tom Becker", "text": "\n\n".join(SENTENCES)}})
        + "</script>",
    ],
    ids=["next", "nuxt3", "apollo-portable-text", "json-plain-text"],
)
def test_a_story_shipped_as_app_data_is_read_whole(scripts: str) -> None:
    story = _shell(scripts)
    assert all(s in story.body_text for s in SENTENCES)
    assert "related story" not in story.body_text and "Loading" not in story.body_text
    assert "{" not in story.body_text and "<script" not in story.body_html
    assert story.authors == ("Tom Becker",)
    assert dict(story.sources)["body"] == "app-data"


def test_a_page_whose_html_holds_the_story_is_read_from_the_html() -> None:
    data = _next(
        {"headline": "Another story", "body": "<p>" + "Not this story's text at all. " * 30 + "</p>"}
    )
    story = _shell(data, shown=f"<article><h1>{TITLE}</h1>{HTML_BODY}</article>")
    assert all(s in story.body_text for s in SENTENCES) and "Not this story" not in story.body_text
    assert dict(story.sources)["body"] == "generic"


@pytest.mark.parametrize(
    "junk",
    [
        '<script id="__NEXT_DATA__" type="application/json">{"props": [[[[</script>',
        '<script type="application/json">' + "[" * 5000 + "]" * 5000 + "</script>",
        "<script>window.__INITIAL_STATE__ = function(a){return a}(1);</script>",
    ],
)
def test_broken_or_hostile_app_data_is_passed_over(junk: str) -> None:
    story = _shell(junk, shown=f"<article><h1>{TITLE}</h1>{HTML_BODY}</article>")
    assert all(s in story.body_text for s in SENTENCES)


def test_a_profile_whose_body_selector_stopped_matching_learns_the_data_path() -> None:
    """A site moves to a script framework: its profile's body selector finds nothing, the story comes from
    the app data, and the repair learns where (a data path, as it learns a selector); with it applied, the
    body comes from that path on every story, the same text."""
    from datetime import UTC, datetime

    from feedgen_app.profile import profile_from_table, with_learned
    from feedgen_app.repair.article import ArticleLearner
    from feedgen_app.repair.sample import Sample

    site = profile_from_table("gazette", {"article": {"body": ["div.story-body"]}}, "test")
    now = datetime(2026, 12, 6, tzinfo=UTC)
    samples = []
    for n in range(3):
        url = f"https://gazette.example.test/news/{n}"
        text = "".join(f"<p>Story {n}: {s}</p>" for s in SENTENCES)
        html = (
            f"<html><head><title>Story {n}</title></head><body><div id='__next'>Loading…</div>"
            f"{_next({'headline': f'Story {n}', 'body': text})}</body></html>"
        )
        page = Page(url, url, 200, html)
        story = extract_story(page, site, url, url, now=now)
        assert story.source_of("body") == "app-data" and "body" in story.missed
        samples.append(Sample(page, story))
    learned = {x.field: x.selector for x in ArticleLearner(samples, site, now).learn("gazette", now)}
    assert learned["body"] == "data:__NEXT_DATA__.props.pageProps.article.body"
    applied = with_learned(site, learned.items())
    for s in samples:
        again = extract_story(s.page, applied, s.story.url, s.story.story_id, now=now)
        assert again.source_of("body") == "learned:data:__NEXT_DATA__.props.pageProps.article.body"
        assert again.body_text == s.story.body_text


def test_a_data_path_can_be_written_in_a_profile() -> None:
    from feedgen_app.errors import ConfigError
    from feedgen_app.profile import profile_from_table

    site = profile_from_table(
        "gazette", {"article": {"body": ["data:__NEXT_DATA__.props.pageProps.article.body"]}}, "t"
    )
    story = _site_story(site)
    assert story.source_of("body") == "profile:data:__NEXT_DATA__.props.pageProps.article.body"
    with pytest.raises(ConfigError, match="data path"):
        profile_from_table("gazette", {"article": {"body": ["data:__NEXT_DATA__"]}}, "t")


def _site_story(site: object) -> Story:
    from feedgen_app.profile import SiteProfile

    assert isinstance(site, SiteProfile)
    html = (
        f"<html><head><title>{TITLE}</title></head><body><div id='__next'>Loading…</div>"
        f"{_next({'headline': TITLE, 'body': HTML_BODY})}</body></html>"
    )
    return extract_story(Page(URL, URL, 200, html), site, URL, URL)
