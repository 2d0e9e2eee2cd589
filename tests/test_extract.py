"""Field by field extraction on the saved pages, and the fallback chain on its own."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import gold
from support.site_server import FIXTURES

from feedgen_app.discovery.discover import FALLBACK_SOURCE, discover
from feedgen_app.errors import ExtractError
from feedgen_app.extraction.extract import extract_story, without_selectors
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

KH = profile_from_table("koreaherald", builtin_table("koreaherald"), "test")
KT = profile_from_table("koreatimes", builtin_table("koreatimes"), "test")
BASE = "http://mirror.test"


def page(site: str, path: str, text: str | None = None) -> Page:
    routes = json.loads((FIXTURES / site / "routes.json").read_text())
    if text is None:
        text = (FIXTURES / site / "pages" / routes[path]["file"]).read_text()
    return Page(url=BASE + path, final_url=BASE + path, status=200, text=text)


SITES = ("koreaherald/current", "koreaherald/2022", "koreatimes")
CASES = [(site, e) for site in SITES for e in gold(site)["entries"]]


@pytest.mark.parametrize(("site", "want"), CASES, ids=[e["path"] for _, e in CASES])
@pytest.mark.parametrize("selectors", [True, False], ids=["profile", "fallbacks-only"])
def test_fields(site: str, want: dict, selectors: bool) -> None:  # type: ignore[type-arg]
    profile = KT if site == "koreatimes" else KH
    profile = profile if selectors else without_selectors(profile)
    story = extract_story(page(site, want["path"]), profile, BASE + want["path"], want["path"])
    assert story.title == want["title"]
    assert ", ".join(story.authors) == want["author"]
    assert story.published is not None and story.published.isoformat() == want["published"]
    assert story.updated is not None and story.updated.isoformat() == want["updated"]
    assert (story.image.url if story.image else None) == want["image"]
    assert (story.image.caption if story.image else None) == want["caption"]
    if selectors:
        assert all(
            story.source_of(
                f,
            ).startswith("profile:")
            for f in ("title", "published", "body")
        )  # type: ignore[union-attr]
        assert story.body_text == "\n".join(want["paragraphs"])


def test_sources_are_recorded() -> None:
    want = gold("koreaherald/current")["entries"][0]
    story = extract_story(page("koreaherald/current", want["path"]), without_selectors(KH), "u", "i")
    assert story.source_of("title") == "json-ld"
    assert story.source_of("body") == "generic"


def test_subtitle_read_from_profile() -> None:
    story = extract_story(page("koreaherald/current", "/article/10871502"), KH, "u", "i")
    assert story.subtitle and story.subtitle.startswith("Offer comes ahead of Lunar New Year")


def test_share_card_is_not_a_lead_image() -> None:
    story = extract_story(page("koreaherald/current", "/article/10870988"), without_selectors(KH), "u", "i")
    assert story.image is None  # og:image is the site's sns.png


def test_page_without_text_is_an_error() -> None:
    html = "<html><head><title>x</title></head><body><h1>Only a title</h1></body></html>"
    with pytest.raises(ExtractError, match=r"no story text|no text"):
        extract_story(Page("u", "http://x/a", 200, html), KH, "http://x/a", "a")


def test_video_only_story_links_to_the_video() -> None:
    html = (
        "<html><body><section class='section_view'><h1 class='news_title'>Watch: parade</h1>"
        "<div class='news_info'><p class='date'>Published : Nov. 26, 2026 - 07:41</p></div></section>"
        "<article id='articleText' class='article-view article-body'>"
        "<iframe src='https://www.youtube.com/embed/xyz'></iframe></article></body></html>"
    )
    story = extract_story(Page("u", "http://x/article/1", 200, html), KH, "http://x/article/1", "/article/1")
    assert "https://www.youtube.com/watch?v=xyz" in story.body_html
    assert story.warnings


def test_discovery_current_listing() -> None:
    found = discover(page("koreaherald/current", "/National/North-Korea"), KH)
    ids = [r.story_id for r in found.refs]
    assert ids[0] == "/article/10871768" and len(ids) == len(set(ids)) == 8
    assert "/article/10871999" not in ids, "the Latest News box is another section's"
    assert found.next_pages == (BASE + "/National/North-Korea?page=2",)


def test_discovery_2022_listing_drops_paging_parameters() -> None:
    found = discover(page("koreaherald/2022", "/list.php?ct=020104000000"), KH)
    assert [r.url for r in found.refs] == [
        BASE + "/view.php?ud=20220921000089",
        BASE + "/view.php?ud=20220921000051",
        BASE + "/view.php?ud=20220920000734",
        BASE + "/view.php?ud=20220919000412",
    ]


@pytest.mark.parametrize("site", ["koreaherald/current", "koreaherald/2022"])
def test_discovery_fallback_ignores_menus_and_boxes(site: str) -> None:
    listing = gold(site)["listing"]
    found = discover(page(site, listing), without_selectors(KH))
    assert found.source == FALLBACK_SOURCE
    profile_found = discover(page(site, listing), KH)
    assert [r.url for r in found.refs] == [r.url for r in profile_found.refs]


def test_links_to_other_hosts_are_not_followed() -> None:
    html = (
        "<section class='section_list'><div class='main_news'><a href='https://evil.example/article/1'>x</a>"
        "<a href='/article/2'>y</a></div></section>"
    )
    found = discover(Page("u", BASE + "/National", 200, html), KH)
    assert [r.url for r in found.refs] == [BASE + "/article/2"]


def test_profile_is_data_not_code(tmp_path: Path) -> None:
    table = builtin_table("koreaherald")
    table["article"]["title"] = ["h2.nothing-here"]
    changed = profile_from_table("kh2", table, "test")
    story = extract_story(page("koreaherald/current", "/article/10871768"), changed, "u", "i")
    assert story.source_of("title") == "json-ld"
    assert dataclasses.replace(changed, name="x").name == "x"


def test_base_href_is_honoured_and_hosts_still_checked() -> None:
    html = (
        "<html><head><base href='https://cdn.koreaherald.com/mirror/'></head><body>"
        "<section class='section_list'><div class='main_news'><a href='/article/5'>x</a></div></section></body></html>"
    )
    found = discover(Page("u", "https://www.koreaherald.com/National", 200, html), KH)
    assert [r.url for r in found.refs] == [], "cdn.koreaherald.com is neither the listing's host nor allowed"
    html = html.replace("https://cdn.koreaherald.com/mirror/", "https://koreaherald.com/")
    found = discover(Page("u", "https://www.koreaherald.com/National", 200, html), KH)
    assert [r.url for r in found.refs] == ["https://koreaherald.com/article/5"]


def test_a_truncated_json_ld_headline_gives_way_to_the_full_title() -> None:
    full = "North Korea says it will never give up its nuclear weapons as talks with Washington stall for a third year"
    html = (
        f"<html><head><meta property='og:title' content='{full} - The Korea Herald'>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "'
        + full[:60]
        + '...", "datePublished": "2026-11-26T07:41:00"}</script></head>'
        "<body><article><p>"
        + "Text of the story, long enough to be a paragraph. " * 3
        + "</p></article></body></html>"
    )
    story = extract_story(Page("u", BASE + "/article/1", 200, html), without_selectors(KH), "u", "i")
    assert story.title == full


def test_a_small_markup_change_is_absorbed_by_the_looser_selectors() -> None:
    original = page("koreaherald/current", "/article/10871768").text
    changed = original.replace('<section class="section_view">', '<section class="article_wrap">').replace(
        'class="article-view article-body"', 'class="article-view"'
    )
    assert changed != original
    url = BASE + "/article/10871768"
    story = extract_story(Page(url, url, 200, changed), KH, url, "/article/10871768")
    assert story.source_of("title") == "profile:h1.news_title"
    assert story.source_of("body") == "profile:#articleText"
    assert story.body_text.startswith("North Korea fired a short-range ballistic missile")
    assert story.image is not None and story.image.caption and story.image.caption.startswith("People watch")
