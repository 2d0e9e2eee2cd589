"""Pages React streams (Next.js's app router): the parts sent after the rest are read where they belong,
as the page's scripts put them in a browser, and the stand-ins they replace are not."""

from __future__ import annotations

from feedgen_app.dom import parse, text_of
from feedgen_app.extraction.extract import extract_story
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

AUTO = profile_from_table("auto", builtin_table("auto"), "test")
URL = "https://news.example.test/2026/12/06/cloud-stocks"
FIRST = "Cloud computing boomed during the 2010s, but growth in this industry is still in the early innings."
STREAMED = [
    "When talking about cloud computing, one software maker needs to be part of the conversation, and has been since 1999.",
    "Another company got its start in an era that predates the cloud, but has transformed itself into a leader of it.",
]
NESTED = "A third company, a fresh face in the space, completed its public offering of stock in early 2021, and grew since."


def streamed_page(with_calls: bool = True) -> str:
    calls = (
        '<script>$RC=function(b,c){/* React moves the part */};$RC("B:0","S:0")</script>'
        '<script>$RS("S:1","P:1")</script>'
        if with_calls
        else ""
    )
    return (
        "<!doctype html><html><head><title>Cloud stocks</title></head><body><main><article>"
        f"<h1>Cloud stocks</h1><p>{FIRST}</p>"
        '<!--$?--><template id="B:0"></template><div>Loading <!-- -->paragraph<!-- -->...</div><!--/$-->'
        "<p>The closing paragraph of the story, which the server sent with the first part of the page.</p>"
        "</article></main>"
        f'<div hidden id="S:0"><div class="prose"><p>{STREAMED[0]}</p><p>{STREAMED[1]}</p>'
        '<template id="P:1"></template></div></div>'
        f'<div hidden id="S:1"><p>{NESTED}</p></div>'
        f"{calls}</body></html>"
    )


def test_streamed_parts_are_read_in_their_place_and_the_stand_in_is_not() -> None:
    story = extract_story(Page(URL, URL, 200, streamed_page()), AUTO, URL, URL)
    text = story.body_text
    assert all(p in text for p in [FIRST, *STREAMED, NESTED])
    assert (
        text.index(FIRST) < text.index(STREAMED[0]) < text.index(NESTED) < text.index("The closing paragraph")
    )
    assert "Loading" not in text


def test_without_the_calls_the_page_reads_as_it_shows() -> None:
    # a page that never completes a part shows its stand-in, and keeps the hidden copy hidden
    doc = parse(streamed_page(with_calls=False))
    shown = text_of(doc.find("body"))
    assert "Loading paragraph" in shown
    assert doc.get_element_by_id("S:0").get("hidden") is not None
