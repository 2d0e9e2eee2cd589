"""The generic body extractor on pages no profile describes: browser-like parsing, stories split over
boxes, chrome that is pruned by evidence and never by a camelCase part of a class name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedgen_app.dom import parse
from feedgen_app.extraction.clean import clean_body
from feedgen_app.extraction.extract import extract_story
from feedgen_app.extraction.main_text import find_main_text
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page, Story
from feedgen_app.storage.store import Store

AUTO = profile_from_table("auto", builtin_table("auto"), "test")
URL = "https://news.example.test/2026/11/28/story"
PARAGRAPHS = [
    "The ministry said on Friday that the new rules would take effect in March, after a period of consultation.",
    "Officials, who spoke on condition of anonymity, said the change had been discussed for more than a year.",
    "Critics argued that the plan, which affects thousands of small firms, was rushed and poorly explained.",
    "A spokesperson declined to say how many inspectors would be hired, or when the first audits would begin.",
    "The opposition party has called for a hearing, saying the public deserves a fuller account of the costs.",
]


def page(body: str, head: str = "<title>Rules change - Example News</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def story_text(html: str) -> str:
    story = extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)
    return story.body_text


def chrome() -> str:
    nav = "".join(f"<a href='/s{i}'>Section {i}</a> " for i in range(12))
    related = "".join(
        f"<li><a href='/2026/11/{i}/other'>Another story about something else entirely, number {i}</a></li>"
        for i in range(6)
    )
    return (
        f"<header><nav>{nav}</nav></header>"
        f"<aside class='sidebar'><h3>Most read</h3><ul>{related}</ul></aside>"
        f"<footer><p>Copyright Example News. All rights reserved, everywhere, always.</p>{nav}</footer>"
    )


def story_beside(layout: str) -> str:
    """The text extracted from a page whose `layout` holds the story where it says STORY; every story
    paragraph must be in it."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    text = story_text(page(layout.replace("STORY", f"<h1>Rules change</h1>{body}")))
    assert all(p in text for p in PARAGRAPHS)
    return text


def test_a_story_split_over_sibling_boxes_is_read_whole() -> None:
    boxes = "".join(
        f"<section class='block-{i}'><div class='inner'><p>{p}</p></div></section>"
        for i, p in enumerate(PARAGRAPHS)
    )
    text = story_text(page(f"{chrome()}<main><h1>Rules change</h1>{boxes}</main>"))
    for p in PARAGRAPHS:
        assert p in text
    assert "Section 3" not in text and "Another story" not in text and "Copyright" not in text


def test_a_story_in_page_builder_blocks_beside_a_box_of_links_is_read_whole() -> None:
    """A page builder's text blocks, the story's first half in one and the rest in another, with a long box
    of service links between them in the same column: both halves, not the links."""

    def block(inner: str) -> str:
        return f"<div class='sqs-block'><div class='sqs-block-content'>{inner}</div></div>"

    first = "".join(f"<p>{p} It was the first half of the story.</p>" for p in PARAGRAPHS)
    rest = "".join(f"<p>{p} It was the second half.</p>" for p in PARAGRAPHS[:3])
    links = "".join(
        f"<p><a href='/services/{i}'>House cleaning services in the city, area {i}</a></p>" for i in range(60)
    )
    column = f"<div class='col'>{block(first)}{block(links)}{block('<h2>What it costs</h2>' + rest)}</div>"
    text = story_text(page(f"{chrome()}<main><h1>Rules change</h1>{column}</main>"))
    assert all(f"{p} It was the first half of the story." in text for p in PARAGRAPHS)
    assert all(f"{p} It was the second half." in text for p in PARAGRAPHS[:3])
    assert "House cleaning services" not in text


def test_reader_comments_and_related_teasers_stay_out() -> None:
    comments = "".join(
        f"<li class='comment'><p>I think this is a thoughtful piece, and I agree with most of it, reader {i}.</p></li>"
        for i in range(8)
    )
    teasers = "".join(
        f"<div class='teaser'><a href='/x{i}'>Teaser headline {i}</a><p>A short summary of another story, {i}.</p></div>"
        for i in range(4)
    )
    text = story_beside(
        "<article>STORY</article>"
        f"<div class='related-stories'>{teasers}</div><section id='comments'><ol>{comments}</ol></section>"
    )
    assert "reader 3" not in text and "Teaser headline" not in text


def card(i: int) -> str:
    """One card of a "Latest News" widget: a linked headline, a date, a line and a "Read More"."""
    return (
        f"<article class='w-item post-{i}'><h3><a href='/blog/post-{i}'>Another post on the firm's blog, {i}</a>"
        f"</h3><span>March {i + 1}, 2025</span><p>When a claim is denied it can feel like a dead end, {i}.</p>"
        f"<a href='/blog/post-{i}'>Read More</a></article>"
    )


def test_cards_of_other_stories_stay_out_whatever_their_box_is_called() -> None:
    """A page builder's "Latest News" widget inside the story's column: a row of <article> cards; its
    classes name nothing."""
    widget = f"<h2>Latest News</h2><div class='w-grid w-4'>{card(1)}{card(2)}{card(3)}{card(4)}</div>"
    text = story_beside(
        f"<div class='w-col'><div class='w-row'>STORY</div><div class='w-row'>{widget}</div></div>"
    )
    assert "Another post on the firm" not in text and "dead end" not in text


def test_text_inside_a_link_is_link_text_however_it_is_wrapped() -> None:
    """A list of links dressed as paragraphs (`<p><a><span><strong>…`) beside the story is a list of links,
    not prose: it neither joins the story nor pulls the story's box wider."""
    links = "".join(
        f"<p><a href='/blog/costs-in-city-{i}'><span><strong>Average costs for cleaning services in city {i}</strong>"
        "</span></a></p>"
        for i in range(40)
    )
    text = story_beside(
        f"<div class='col'><div class='block'>STORY</div><div class='row'>{links}</div></div>"
    )
    assert "Average costs for cleaning" not in text


def test_void_elements_and_tag_soup_parse_as_in_a_browser() -> None:
    # libxml2 alone nests "b" and every later paragraph inside <embed>, and never closes the <button>
    soup = (
        "<p>Alpha one two three four five six seven.<embed src='x.swf'>Bravo one two three four five six.</p>"
        "<p>Charlie after the embed, one two three four five six seven eight.<wbr>Delta</p>"
        "<button class='menu'><div>Menu</button>"
        "<p>Echo after the button soup, one two three four five six seven eight nine."
        "<ul><li>Foxtrot item one, long enough to read<li>Golf item two, long enough to read</ul>"
        "<p>Hotel after a stray end tag.</span></em> One two three four five six seven eight nine ten."
        "<template><p>Never shown template text</p></template>"
        "<noscript><p>Shown only without scripts</p></noscript>"
        "<table><tr><td>India cell<table><tr><td>Juliet nested cell</td></tr></table></td></tr></table>"
    )
    text = story_text(
        page(f"<article><h1>Rules change</h1>{soup}{''.join(f'<p>{p}</p>' for p in PARAGRAPHS)}</article>")
    )
    for word in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet"):
        assert word in text, word
    assert "Never shown" not in text and "Shown only without scripts" not in text and "Menu" not in text
    doc = parse(page("<p>a<embed src=x>b</p><p>after</p>"))
    assert [p.text_content() for p in doc.iter("p")] == ["ab", "after"]


LAYOUT_WORDS = [
    "overHidden",
    "tagline",
    "printable",
    "commentary",
    "btn-group",
    "hidden-xs",
    "col-md-8",
    "row",
    "clearfix",
    "adaptive",
    "shareholder-news",
    "relatedness",
    "headerless",
    "navy",
    "menuItemText",
    "footnoteRef",
    "socialite",
    "promotional-video",
    "bannerman",
    "widgetized",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(LAYOUT_WORDS), min_size=1, max_size=4),
    st.lists(st.sampled_from(LAYOUT_WORDS), min_size=1, max_size=3),
    st.text(alphabet="0123456789abcdef", min_size=4, max_size=8).map(lambda h: f"css-{h}"),  # CSS modules
    st.booleans(),
)
def test_story_paragraphs_survive_any_layout_class(
    outer: list[str], inner: list[str], suffix: str, as_id: bool
) -> None:
    """Whatever layout-ish classes wrap the story, every paragraph reaches the reader."""
    attr = "id" if as_id else "class"
    wrapped = "".join(
        f"<div {attr}='{' '.join(inner)} {suffix}'><p>{p}</p></div>" if i % 2 else f"<p>{p}</p>"
        for i, p in enumerate(PARAGRAPHS)
    )
    html = page(f"{chrome()}<div class='{' '.join(outer)}'><h1>Rules change</h1>{wrapped}</div>")
    text = story_text(html)
    for p in PARAGRAPHS:
        assert p in text


def test_find_main_text_gives_nothing_for_a_page_without_prose() -> None:
    doc = parse(page("<nav><a href='/a'>A</a> <a href='/b'>B</a></nav><p>Hi.</p>"))
    found = find_main_text(doc)
    assert found is None or not clean_body(found, URL).paragraphs


def test_a_headline_with_half_an_emoji_is_stored(tmp_path: Path) -> None:
    """A lone surrogate in JSON-LD ("\\ud83d" cut from its pair) must not keep the story out of the store."""
    html = page(
        "<article>" + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article>",
        head='<script type="application/ld+json">{"@type":"NewsArticle","headline":"Rules \\ud83d change",'
        '"datePublished":"2026-11-28T09:00:00+01:00"}</script>',
    )
    story = extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)
    assert story.title == "Rules \ufffd change"
    store = Store(tmp_path / "s.sqlite")
    try:
        assert store.save_story(story, "", None, None, datetime(2026, 11, 28, tzinfo=UTC)) == "new"
    finally:
        store.close()


def test_a_page_of_line_breaks_is_cleaned_in_one_pass() -> None:
    text = story_text(page("<article><h1>Rules change</h1>" + "word<br>" * 50_000 + "</article>"))
    assert text.count("word") == 50_000


def _dated(meta: str, byline: str) -> Story:
    html = page(
        f"<article><h1>Rules change</h1><p class='byline'>{byline}</p>"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article>",
        head=f'<script type="application/ld+json">{{"@type":"BlogPosting","datePublished":"{meta}"}}</script>',
    )
    return extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)


def test_a_printed_date_before_the_metadata_date_is_the_stories_date() -> None:
    """Site builders write the page's build time into JSON-LD; the story shows when it was written."""
    story = _dated("2025-06-24T10:00:00Z", "August 25, 2024")
    assert story.published is not None and story.published.date().isoformat() == "2024-08-25"
    assert story.source_of("published") == "printed"


def test_metadata_stands_when_the_printed_date_agrees_or_is_ambiguous() -> None:
    agrees = _dated("2025-06-24T10:00:00+02:00", "June 24, 2025")
    assert agrees.published is not None and agrees.published.isoformat() == "2025-06-24T10:00:00+02:00"
    ambiguous = _dated("2025-08-01T10:00:00Z", "08/01/2025")  # 1 August in the US, 8 January elsewhere
    assert ambiguous.published is not None and ambiguous.published.date().isoformat() == "2025-08-01"


def test_dates_in_many_languages_with_the_offset_the_page_gives() -> None:
    cases = {
        "Publié le 3 mars 2025 à 14h05": "2025-03-03T14:05:00+00:00",
        "Veröffentlicht am 3. März 2025": "2025-03-03T00:00:00+00:00",
        "12 de noviembre de 2025": "2025-11-12T00:00:00+00:00",
        "2025年11月12日 14:30": "2025-11-12T14:30:00+00:00",
        "Nov. 26, 2026 - 07:41 +09:00": "2026-11-26T07:41:00+09:00",
    }
    for printed, want in cases.items():
        html = page(
            f"<article><h1>Rules change</h1><p><time>{printed}</time></p>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
            + "</article>"
        )
        story = extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)
        assert story.published is not None and story.published.isoformat() == want, printed


def _lead_image(og_image: str, body_images: str) -> str | None:
    html = page(
        f"<article><h1>Rules change</h1>{body_images}"
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article>",
        head=f"<title>Rules change</title><meta property='og:image' content='{og_image}'>"
        if og_image
        else "",
    )
    story = extract_story(Page(URL, URL, 200, html), AUTO, URL, URL)
    return story.image.url if story.image else None


def test_a_logo_or_share_card_is_told_by_whole_words_of_its_file_name() -> None:
    photo = "https://cdn.example.test/featured/Weight-loss-medication-blog-image.png"  # "blog-image", not "og-image"
    assert _lead_image(photo, "") == photo
    shares = "https://cdn.example.test/2023/08/FranShares-feature-image.png"  # "Shares" is part of a name
    assert _lead_image(shares, "") == shares
    for card in (
        "Site-Logo-header.png",
        "SearchlightLogo_white.png",
        "og-default.png",
        "gist-og-image-54fd7d.png",
    ):
        assert _lead_image(f"https://cdn.example.test/{card}", "") is None, card


def test_an_avatar_an_icon_or_a_banner_in_the_story_is_not_its_picture() -> None:
    """With no picture in the metadata, the first picture of the story that is sized like a photo."""
    small = (
        "<img src='/avatar/1.jpg' width='96' height='96' alt='Scott Writer'>"
        "<img src='/paywall/pencil.png' style='width: 14px; height: 14px'>"
        "<img src='/ads/academy_728x90.webp' width='728' height='90'>"
    )
    assert _lead_image("", small) is None
    assert _lead_image("", small + "<img src='/2024/06/resort.jpg' width='1200' height='800'>") == (
        "https://news.example.test/2024/06/resort.jpg"
    )


def test_a_box_marked_not_for_snippets_is_not_story_text_unless_it_holds_the_story() -> None:
    """`data-nosnippet` marks what a page does not want quoted: an author's bio, a "related" card. A page
    that marks its whole story so (against snippets in search results) still gives its story."""
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    bio = "<div data-nosnippet>Sam is a reporter who has covered city hall for ten years and writes often.</div>"
    card = (
        "<div data-nosnippet>Related: how the council spent last year's budget on the old harbour plans</div>"
    )
    text = story_text(page(f"<article><h1>Rules change</h1>{bio}{story}{card}</article>"))
    assert "city hall" not in text and "last year's budget" not in text and PARAGRAPHS[-1] in text
    whole = story_text(page(f"<article><h1>Rules change</h1><div data-nosnippet>{story}</div></article>"))
    assert all(p in whole for p in PARAGRAPHS)


def _auto_story(inner: str) -> Story:
    page = f"<html><head><title>Rules change</title></head><body><main><h1>Rules change</h1>{inner}</main></body></html>"
    return extract_story(Page(URL, URL, 200, page), AUTO, URL, URL)


def test_a_date_line_and_byline_before_the_story_are_not_its_text() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    story = _auto_story(f"<p>Nov. 26, 2026 - 07:41</p><p>By Kim Arin (arin@example.com)</p>{body}")
    assert story.body_text.split("\n") == PARAGRAPHS
    # a sentence that starts with "By", and a date inside the text, stay
    lead = "By noon on Friday, the ministry had received more than 4,000 comments on the draft."
    story = _auto_story(f"<p>{lead}</p>{body}<p>March 4, 2026</p>")
    assert story.body_text.split("\n") == [lead, *PARAGRAPHS, "March 4, 2026"]


def test_a_video_in_a_box_of_its_own_stays_in_the_story() -> None:
    video = '<div class="embed"><iframe src="https://www.youtube-nocookie.com/embed/abc123"></iframe></div>'
    story = _auto_story("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + video + f"<p>{PARAGRAPHS[2]}</p>")
    assert "https://www.youtube.com/watch?v=abc123" in story.body_html
    ad = '<div class="embed"><iframe src="https://ads.example.net/frame"></iframe></div>'
    story = _auto_story("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + ad + f"<p>{PARAGRAPHS[2]}</p>")
    assert "ads.example.net" not in story.body_html


def test_a_post_written_as_lists_is_read_whole() -> None:
    """A post that is an intro line and then bulleted and numbered lists of sentences (some with a link):
    every item, and not the sidebar's list of other posts."""
    tips = "".join(
        f"<li>Tip {n}: keep your tools where you can reach them, and label every drawer in the shed.</li>"
        for n in range(12)
    )
    links = "".join(
        f"<li><a href='https://other.example.test/{n}'>A good guide to sharpening chisels</a> – short and "
        f"clear, number {n}.</li>"
        for n in range(8)
    )
    side = "".join(
        f"<li><a href='/2026/0{n % 9 + 1}/post-{n}'>Another post of this blog, {n}</a></li>"
        for n in range(10)
    )
    html = page(
        "<header><nav><a href='/'>Home</a><a href='/about'>About</a></nav></header><div class='wrap'>"
        f"<div class='content'><h1>Things I learned</h1><p>A short intro.</p><ul>{tips}</ul><h2>Links</h2>"
        f"<ul>{links}</ul></div><div class='sidebar'><h3>Recent posts</h3><ul>{side}</ul></div></div>"
    )
    text = story_text(html)
    assert text.count("keep your tools") == 12 and text.count("sharpening chisels") == 8
    assert "Another post" not in text


def test_a_short_box_named_as_content_does_not_outweigh_the_story() -> None:
    # a site notice whose class says "body" (`usa-notice__body`), and a story of short boxes with no such
    # name, each with a link to give and a button: the name alone must not make the notice the whole story
    notice = (
        "<div class='gov-notice'><div class='notice__body'><p>Official websites use .gov, a .gov website "
        "belongs to an official government organization, in the United States.</p></div></div>"
    )
    boxes = "".join(
        f"<div class='cell'><div class='block'><h2>Camera {i}</h2><p>{p}</p><p>{PARAGRAPHS[i - 1]}</p>"
        "<p><a href='/give'>You can provide for the park's future by making a gift to its conservancy.</a></p>"
        f"<span><a class='button' href='/cam/{i}'>View Webcam</a></span></div></div>"
        for i, p in enumerate(PARAGRAPHS)
    )
    text = story_text(page(f"{notice}<h1>Rules change</h1><table><tr><td>{boxes}</td></tr></table>"))
    assert sum(p in text for p in PARAGRAPHS) >= 3


def test_the_author_box_and_a_list_of_other_stories_after_the_story_are_not_its_text() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    bio = (
        "<section><h3>About the author</h3><p>Mina Park covers labour and regulation for Example News. "
        "She previously reported from Busan and Seoul, and holds a degree in economics.</p></section>"
    )
    others = "".join(
        f"<li><a href='/2026/11/{i}/x'>A different story about the budget, number {i}</a> Two lines of its "
        "summary.</li>"
        for i in range(4)
    )
    text = story_text(
        page(
            f"<article><h1>Rules change</h1>{body}{bio}<h2>You may also like</h2><ul>{others}</ul></article>"
        )
    )
    assert all(p in text for p in PARAGRAPHS)
    assert "Mina Park covers" not in text
    assert "About the author" not in text
    assert "different story" not in text and "You may also like" not in text


@pytest.mark.parametrize(
    ("section", "kept"),
    [
        (  # "Related" heading a story's own last section: prose with a link, not a list of links
            "<h2>Related</h2><p>A 2010 paper by the same group, which <a href='/paper'>is online</a>, considers "
            "what happens when the rules are applied to firms of fewer than ten employees, and finds the costs "
            "higher.</p>",
            "A 2010 paper by the same group",
        ),
        (  # "Sources" heading prose, not citations
            "<h2>Sources</h2><p>Officials at the ministry and three of the small firms the rules affect spoke "
            "to us for this story, and so did the opposition party's spokesperson.</p>",
            "Officials at the ministry and three of the small firms",
        ),
    ],
)
def test_a_last_section_whose_heading_names_chrome_but_which_is_prose_stays(section: str, kept: str) -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    text = story_text(page(f"<article><h1>Rules change</h1>{body}{section}</article>"))
    assert kept in text


def test_a_list_of_links_the_text_announces_stays_whatever_wraps_its_items() -> None:
    items = [f"libfoo: fix the {w} of long double values on every target" for w in ("size", "sign", "cast")]
    listed = "".join(
        f"<li><p><a href='https://forge.example.test/pulls/{i}'>{t}</a></p></li>" for i, t in enumerate(items)
    )
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])
    text = story_text(
        page(
            f"<article><h1>Rules change</h1>{body}<p>Many patches were sent for review:</p><div class='ulist'><ul>{listed}</ul></div>{''.join(f'<p>{p}</p>' for p in PARAGRAPHS[3:])}</article>"
        )
    )
    assert all(t in text for t in items)


def test_the_headline_printed_again_with_a_kicker_and_byline_before_it_is_not_body_text() -> None:
    head = '<title>What is Cloud Computing? | Example Cloud</title><meta property="og:title" content="What is Cloud Computing? | Example Cloud">'
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    text = story_text(
        page(
            f"<article><div><span>Dec 17, 2025</span> <span>Julian Arni</span></div><h2>What is cloud computing?</h2>{body}"
            "<h2>What is cloud computing used for?</h2><p>Another section of the story, long enough to read.</p></article>",
            head,
        )
    )
    assert text.startswith(PARAGRAPHS[0])
    assert "What is cloud computing used for?" in text


def test_a_list_of_sentences_with_many_links_in_them_stays() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    links = [
        "<a href='/best-hotels-oman'>the best luxury hotels in Oman</a>",
        "<a href='/best-hotels-world'>the best hotels in the world</a>",
        "<a href='/best-spas'>the most astonishing hotel spas</a>",
    ]
    facts = (
        f"<ul><li>This resort features in my lists of {links[0]}, {links[1]} and {links[2]}.</li>"
        f"<li>Its sister hotel is in my lists of {links[1]} and {links[2]}.</li>"
        f"<li>Both are in my guides to {links[0]} and {links[2]}.</li></ul>"
    )
    text = story_text(page(f"<article><h1>Rules change</h1>{body}{facts}{body}</article>"))
    assert "This resort features in my lists of the best luxury hotels in Oman" in text


def test_a_sentence_with_a_long_link_in_a_box_of_its_own_stays() -> None:
    body = "".join(f"<div class='paragraph'><p>{p}</p></div>" for p in PARAGRAPHS)
    sentence = (
        "To do so, follow <a href='/build'>these instructions to build the project and run a program</a> "
        "via the cargo command."
    )
    text = story_text(
        page(f"<article><h1>Rules change</h1>{body}<div class='paragraph'><p>{sentence}</p></div></article>")
    )
    assert "To do so, follow these instructions to build the project" in text


CITATIONS = "".join(
    f"<li>Author{i} A, Writer B. A study of rules number {i}. J Regul Stud. 20{10 + i};{i}(1):1-9. "
    f"https://doi.example.test/{i}</li>"
    for i in range(5)
)


def test_a_closing_list_of_references_is_not_story_text() -> None:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2)
    text = story_text(
        page(f"<article><h1>Rules change</h1>{body}<h2>References</h2><ol>{CITATIONS}</ol></article>")
    )
    assert all(p in text for p in PARAGRAPHS)
    assert "Author1" not in text and "References" not in text
