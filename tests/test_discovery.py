"""Generic link discovery (no listing selector matches): the main lists of home and section pages are found
whatever their boxes are called; menus, footers, numbered most-read boxes and other sections' latest news
are not."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin

import pytest
from support.listing_pages import Style, home_page, random_style, section_page

from feedgen_app.discovery.discover import FALLBACK_SOURCE, discover
from feedgen_app.extraction.extract import without_selectors
from feedgen_app.profile import SiteProfile, builtin_table, profile_from_table
from feedgen_app.records import Page

AUTO = profile_from_table("auto", builtin_table("auto"), "test")
KH = without_selectors(profile_from_table("koreaherald", builtin_table("koreaherald"), "test"))

# (listing URL, story address, section address, profile): path ids, slugs, and ids only in the query
ADDRESSES: dict[str, tuple[str, Callable[[int], str], Callable[[int], str], SiteProfile]] = {
    "query ids, no profile": (
        "http://www.news.example.test/",
        lambda n: f"/view.php?ud=20180320{n:06d}",
        lambda n: f"/list.php?ct=02{n:02d}00000000",
        AUTO,
    ),
    "query ids, a profile with no selector that matches": (
        "http://www.koreaherald.com/",
        lambda n: f"/view.php?ud=20180320{n:06d}",
        lambda n: f"/list.php?ct=02{n:02d}00000000",
        KH,
    ),
    "slugs, no profile": (
        "https://news.example.test/",
        lambda n: f"/2026/11/28/council-votes-on-the-harbour-plan-{n}",
        lambda n: f"/section-{n}",
        AUTO,
    ),
    "numbers, no profile": (
        "https://news.example.test/National",
        lambda n: f"/article/{n + 10000000}",
        lambda n: f"/National/Sub{n}",
        AUTO,
    ),
}

PAGES: dict[str, Callable[[Style, int], tuple[str, list[str]]]] = {
    "home page of many boxes": home_page,
    "section of cards": section_page,
    "section of headlines with pictures": lambda s, seed: section_page(s, seed, summaries=False),
    "section of bare headlines": lambda s, seed: section_page(s, seed, summaries=False, images=False),
}


def _found(listing: str, html: str, profile: SiteProfile) -> list[str]:
    found = discover(Page(listing, listing, 200, html), profile)
    assert found.source == FALLBACK_SOURCE
    return [r.url for r in found.refs]


@pytest.mark.parametrize("addresses", ADDRESSES)
@pytest.mark.parametrize("kind", PAGES)
@pytest.mark.parametrize("seed", range(6))
def test_the_main_lists_are_found_whatever_the_boxes_are_called(addresses: str, kind: str, seed: int) -> None:
    listing, story, section, profile = ADDRESSES[addresses]
    html, main = PAGES[kind](random_style(seed, story, section), seed)
    want = [urljoin(listing, path) for path in dict.fromkeys(main)]
    assert _found(listing, html, profile) == want


def test_a_home_page_keeps_its_headline_texts_for_revision_hints() -> None:
    """A card's picture link comes first; the story is listed under its headline, not an empty text (only
    the two stories shown by a picture alone have none)."""
    html, _main = home_page(random_style(1, lambda n: f"/article/{n + 10000000}", lambda n: f"/s/{n}"))
    found = discover(Page("https://n.example.test/", "https://n.example.test/", 200, html), AUTO)
    texts = [len(r.listing_text.split()) for r in found.refs]
    assert len(texts) == 28 and texts.count(0) == 2 and all(n >= 5 for n in texts if n)


def test_a_numbered_box_is_a_most_read_chart_wherever_it_stands() -> None:
    """Numbers as badges inside the links, in an ordered list inside the main column."""

    def link(n: int, badge: str = "") -> str:
        return (
            f"<a href='/2026/11/28/a-story-about-the-council-vote-{n}'>{badge}Council votes on plan {n}</a>"
        )

    main_list = "".join(
        f"<div class='c'>{link(n)}<p>{'Words of the summary. ' * 8}</p></div>" for n in range(8)
    )
    chart = "".join(f"<li>{link(100 + i, f'<b>{i}</b> ')}</li>" for i in range(1, 6))
    html = f"<html><body><div class='m'>{main_list}<ol>{chart}</ol></div></body></html>"
    urls = _found("https://n.example.test/", html, AUTO)
    assert len(urls) == 8 and not any("-10" in u for u in urls)


def test_section_links_with_ids_in_the_query_are_not_stories() -> None:
    """`list.php?ct=0201…` names a section as `view.php?ud=2018…` names a story; their link texts tell."""
    items = "".join(
        f"<li><a href='/list.php?ct=0201{n:02d}000000'>Politics</a>"
        f"<a href='/view.php?ud=201803200008{n:02d}'>Ministers agree on a budget for the year {n}</a></li>"
        for n in range(10)
    )
    urls = _found("https://n.example.test/", f"<html><body><ul>{items}</ul></body></html>", AUTO)
    assert len(urls) == 10 and all("view.php" in u for u in urls)


def test_a_section_page_with_meaningless_class_names() -> None:
    """The menu, the most-read box beside the list and the footer are not the section's stories."""

    def story_link(n: int, words: str) -> str:
        return f"<a href='/2026/11/{n:02d}/{words.replace(' ', '-')}-{n}'>{words.title()} {n}</a>"

    menu = "".join(f"<a href='/section-{i}'>Section {i}</a>" for i in range(8))
    main_list = "".join(
        f"<div class='k7'>{story_link(i, 'council votes on the harbour plan')}</div>" for i in range(12)
    )
    most_read = "".join(f"<li>{story_link(50 + i, 'most read story about something')}</li>" for i in range(5))
    html = (
        f"<html><body><div class='a1'>{menu}</div><div class='x3'><div class='q9'>{main_list}</div>"
        f"<div class='z2'><ol>{most_read}</ol></div></div><div class='f0'>{menu}</div></body></html>"
    )
    urls = _found("https://news.example.test/", html, AUTO)
    assert len(urls) == 12 and all("harbour-plan" in u for u in urls)
