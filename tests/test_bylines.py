"""Bylines and date lines written into a story's text, as small sites and hand-made pages write them: the
line leaves the body, its name becomes the entry's author and its date the entry's date, when the page's
metadata says nothing else. Pages written here."""

from __future__ import annotations

from datetime import date

import pytest

from feedgen_app.extraction.extract import extract_story
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page, Story

AUTO = profile_from_table("auto", builtin_table("auto"), "test")
URL = "https://harbour.example.test/2026/12/harbour-reopens"
PARAGRAPHS = "".join(
    f"<p>The harbour reopened on Thursday after the storm, and the first boats went out at dawn, paragraph {n}, "
    "while the council counted the cost of the repairs to the sea wall.</p>"
    for n in range(6)
)


def _story(line: str, where: str = "top") -> Story:
    top, end = (line, "") if where == "top" else ("", line)
    html = (
        "<!doctype html><html><head><title>Harbour reopens after the storm</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Harbour reopens after the storm</h1>{top}{PARAGRAPHS}{end}</article>"
        "<footer>© The Harbour Gazette</footer></body></html>"
    )
    return extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)


@pytest.mark.parametrize(
    ("line", "author", "day"),
    [
        ("<p>Tom Becker · December 4, 2026</p>", "Tom Becker", date(2026, 12, 4)),
        ("<p class='meta'>Tom Becker | Dec. 4, 2026 | 3 min read</p>", "Tom Becker", date(2026, 12, 4)),
        ("<p>By Tom Becker — 4 December 2026</p>", "Tom Becker", date(2026, 12, 4)),
        ("<p>— by Priya Shah</p>", "Priya Shah", None),
        (
            "<div><span>Priya Shah</span> • <time>December 4, 2026</time></div>",
            "Priya Shah",
            date(2026, 12, 4),
        ),
    ],
)
def test_a_byline_line_at_the_top_is_the_author_and_date_not_text(
    line: str, author: str, day: date | None
) -> None:
    story = _story(line)
    assert story.authors == (author,)
    assert author not in story.body_text and "2026" not in story.body_text.split("\n")[0]
    assert story.body_text.startswith("The harbour reopened")
    if day:
        assert story.published is not None and story.published.date() == day


def test_a_signature_at_the_end_is_the_author() -> None:
    story = _story("<p>— by Priya Shah</p>", where="end")
    assert story.authors == ("Priya Shah",)
    assert "Priya Shah" not in story.body_text


@pytest.mark.parametrize(
    "line",
    [
        "<p>Tom Becker said on December 4, 2026 that the harbour would reopen within the week.</p>",
        "<p>Harbour Master · Sea Wall</p>",  # two names, no date and no "by": a menu's words, not a byline
    ],
)
def test_a_sentence_with_a_name_and_a_date_stays(line: str) -> None:
    story = _story(line)
    assert story.authors == ()
    assert story.body_text.startswith(line[3:20])


@pytest.mark.parametrize(
    ("meta", "shown"),
    [
        (
            "https://cdn.harbour.example.test/wp-content/uploads/2026/12/boats-at-dawn-1200x800.jpg",
            "<img src='https://harbour.example.test/wp-content/uploads/2026/12/boats-at-dawn-768x512.jpg' "
            "srcset='https://harbour.example.test/wp-content/uploads/2026/12/boats-at-dawn-300x200.jpg 300w'>",
        ),
        (
            "https://img.example.test/photos/a1b2c3d4e5.jpg?w=1200&h=800&fit=crop",
            "<img src='https://img.example.test/photos/a1b2c3d4e5.jpg?w=600&q=80'>",
        ),
        (
            "https://img.example.test/c_fill,w_1200/v1/news/boats-at-dawn.webp",
            "<img src='https://img.example.test/c_fill,w_640/v1/news/boats-at-dawn.jpg'>",
        ),
    ],
)
def test_the_lead_picture_in_two_sizes_appears_once_with_its_caption(meta: str, shown: str) -> None:
    """The JSON-LD image and the body's picture are two sizes of one picture: the entry shows it once, as
    its lead image, with the body's caption."""
    ld = f'<script type="application/ld+json">{{"@type": "NewsArticle", "image": "{meta}"}}</script>'
    html = (
        f"<!doctype html><html><head><title>Harbour reopens</title>{ld}</head><body><article>"
        f"<h1>Harbour reopens</h1><figure>{shown}<figcaption>Boats leave at dawn.</figcaption></figure>"
        f"{PARAGRAPHS}</article></body></html>"
    )
    story = extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)
    assert story.image is not None and story.image.url == meta
    assert story.image.caption == "Boats leave at dawn."
    assert "<img" not in story.body_html and "Boats leave at dawn" not in story.body_text


def test_two_pictures_with_short_names_in_other_folders_are_two() -> None:
    from feedgen_app.extraction.images import same_picture

    assert not same_picture("https://x.test/2026/12/photo1.jpg", "https://x.test/2025/03/photo1.jpg")
    assert same_picture("https://x.test/2026/12/photo1-300x200.jpg", "https://x.test/2026/12/photo1.jpg")
    assert not same_picture("https://x.test/a/harbour-storm.jpg", "https://x.test/a/harbour-calm.jpg")


def test_a_page_footer_written_without_footer_leaves_the_story() -> None:
    """The site's copyright line and what follows it (an address, consent lines), inside the story's box at
    its end, are the page's; a paragraph about copyright in the story is the story's."""
    tail = (
        "<p>(Copyright: parts of this paper are reproduced from a network whose members keep their rights.)</p>"
        "<div class='x'>© 2026 Harbour Gazette LLC. All rights reserved.</div>"
        "<p>12 Quay Street, Portside</p><p>Reply STOP to opt out of messages.</p>"
    )
    story = _story(tail, where="end")
    assert "parts of this paper are reproduced" in story.body_text
    assert "All rights reserved" not in story.body_text and "Quay Street" not in story.body_text
    assert story.body_text.count("The harbour reopened") == 6


BIO = "Priya Shah is a freelance writer who covers the coast, its weather and its fisheries for the Gazette."


@pytest.mark.parametrize(
    "bio",
    [
        f"<p><em>{BIO}</em></p>",  # the whole bio in emphasis
        f"<div class='row-two'>{BIO.replace('Priya Shah', 'Priya')}</div>",  # the first name alone
    ],
)
def test_the_authors_bio_after_the_story_is_not_its_text(bio: str) -> None:
    html = (
        "<!doctype html><html><head><title>Harbour reopens after the storm</title></head><body>"
        f"<article><h1>Harbour reopens after the storm</h1><p>By Priya Shah</p>{PARAGRAPHS}{bio}</article>"
        "</body></html>"
    )
    story = extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)
    assert story.authors == ("Priya Shah",)
    assert "freelance writer" not in story.body_text
    assert "sea wall" in story.body_text


def test_a_bio_the_pages_metadata_gives_is_not_story_text_wherever_it_stands() -> None:
    person = (
        '{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Harbour reopens",'
        '"author":{"@id":"#priya"}},{"@type":"Person","@id":"#priya","name":"P. Shah","description":"'
        + BIO
        + '"}]}'
    )
    html = (
        "<!doctype html><html><head><title>Harbour reopens after the storm</title>"
        f'<script type="application/ld+json">{person}</script></head><body>'
        f"<article><h1>Harbour reopens after the storm</h1>{PARAGRAPHS}<div><img src='/p.jpg'>"
        f"<p>{BIO}</p></div>{PARAGRAPHS}</article></body></html>"
    )
    text = extract_story(Page(URL, URL, 200, html), AUTO, URL, URL).body_text
    assert "freelance writer" not in text
    assert "sea wall" in text


@pytest.mark.parametrize("line", ["Last updated on December 4th, 2026", "Published on 4th December 2026"])
def test_a_date_line_with_an_ordinal_day_is_not_story_text(line: str) -> None:
    story = _story(f"<p>{line}</p>")
    assert "2026" not in story.body_text
    assert story.body_text.startswith("The harbour reopened")
