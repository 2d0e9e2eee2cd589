"""Discovery with no profile on listing pages shaped as real ones of every era: 2000s tables and `<font>`,
bare headline lists, home pages of many boxes, pages in other scripts; every editorial list is taken, and
menus, section fronts, ads, files, photo pages, other sites and most-read boxes are not. Our own words and
addresses; the shapes follow the real pages of `../shared/benchmarks/listings` (see bench/discover_real.py)."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from feedgen_app.discovery.discover import FALLBACK_SOURCE, discover, nothing_found
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

AUTO = profile_from_table("auto", builtin_table("auto"), "test")
HEADLINES = [
    "Council votes to reopen the harbour after repairs",
    "Rail strike ends as union accepts new offer",
    "Storm closes schools across the northern coast",
    "Exports rise again for the third month running",
    "Court rules on data privacy in landmark case",
    "Festival opens downtown with record crowds",
    "Police arrest suspect in bridge fire inquiry",
    "Hospital wait times fall for the first time",
    "Ministers agree budget after late-night talks",
    "New bridge delayed by a year, officials say",
]


def found(html: str, url: str = "http://www.news.example.test/news/index.html") -> list[str]:
    result = discover(Page(url, url, 200, html), AUTO)
    assert result.source == FALLBACK_SOURCE
    return [r.url for r in result.refs]


def table_page_2000() -> tuple[str, list[str]]:
    """A 2000 section front: nested tables, `<font>` headlines, dated story paths, an ad redirect, a
    banner image link, section fronts in the left column, a wire list of bare headlines."""
    stories = [f"/2000/11/09/world/09{w[:4].upper()}.html" for w in ("colo", "ship", "egyp", "japa", "vene")]
    wire = [f"/aponline/world/AP-{h.split()[0]}-{h.split()[1]}.html" for h in HEADLINES[5:9]]
    left = "".join(f"<a href='/pages/{s}/index.html'><font size=1>{s.title()}</font></a><br>" for s in
                   ("business", "world", "national", "sports", "arts"))  # fmt: skip
    main = "".join(
        f"<tr><td><a href='{u}'><font face=arial size=3><b>{h}</b></font></a><br>"
        f"<font size=2>{h.lower()} and more words of the summary under it.</font></td></tr>"
        for u, h in zip(stories, HEADLINES, strict=False)
    )
    wires = "".join(f"<a href='{u}'>{h}</a><br>" for u, h in zip(wire, HEADLINES[5:9], strict=True))
    html = (
        "<html><body><table width=100%><tr><td>"
        "<a href='http://ads.news.example.test/RealMedia/ads/click_lx.ads/www.news.example.test/world/0/Top/x'>"
        "<img src='/ads/banner.gif'></a>"
        "<a href='/event.ng/Type=click&Redirect=http://shop.example.com/'>Buy now and save on gifts</a>"
        f"</td></tr><tr><td width=120 valign=top>{left}</td><td><table>{main}</table>"
        f"<font size=1><b>BREAKING NEWS FROM THE WIRES</b></font><br>{wires}"
        "<a href='/pages/aponline/world/index.html'>MORE WIRE NEWS . . .</a>"
        "<a href='/images/2000/11/09/map.jpg'>See the map of the region today</a>"
        "</td></tr></table><a href='/subscribe/help/copyright.html'>Copyright 2000 The News Company</a>"
        "</body></html>"
    )
    return html, stories + wire


def home_page_of_boxes() -> tuple[str, list[str]]:
    """A 2005 home page: a lead with related links, section boxes with headings, a most-read box and a
    ranked chart, photo links beside stories, a sister site's box, a menu and a footer."""
    n = iter(range(500000, 501000))
    want: list[str] = []

    def story(h: str) -> str:
        url = f"/s/{next(n)}"
        want.append(url)
        return f"<li><a href='{url}'>{h}</a> <em>Wire - 2 hours ago</em></li>"

    lead = want_url = f"/s/{next(n)}"
    want.append(want_url)
    boxes = "".join(
        f"<div><h3>{section}</h3><ul>{''.join(story(h) for h in HEADLINES[i : i + 3])}</ul>"
        f"<a href='/i/{7 + i}'>» All {section} stories</a></div>"
        for i, section in zip(range(0, 9, 3), ("World", "Business", "Sports"), strict=True)
    )
    popular = "".join(f"<li><a href='/s/{900000 + i}'>{HEADLINES[i]} again</a></li>" for i in range(5))
    chart = "".join(
        f"<tr><td>{i}.</td><td><a href='/s/{910000 + i}'>{HEADLINES[i]} today</a></td></tr>"
        for i in range(1, 6)
    )
    html = (
        "<html><body><div id=menu><a href='/'>Home</a> <a href='/world/'>World</a> <a href='/sports'>Sports</a>"
        "<a href='/search?p=news'>Search</a><a href='/login'>Sign in to your account today</a></div>"
        f"<div><a href='{lead}'><img src='/p/lead.jpg' alt='A picture of the harbour'></a>"
        f"<h2><a href='{lead}'>{HEADLINES[9]}</a></h2><p>{'Summary words of the lead story. ' * 6}</p>"
        f"<a href='/photos/ss/events/harbour'>(View Photo)</a></div>{boxes}"
        f"<div><h4>Most Popular</h4><ul>{popular}</ul></div><table>{chart}</table>"
        "<div><b>From our partners</b><a href='http://other.example.org/2005/07/18/partner-story.html'>"
        "A partner site's story with a long headline</a></div>"
        "<p><a href='/info/privacy'>Privacy Policy</a> <a href='/info/terms'>Terms of Service</a></p>"
        "</body></html>"
    )
    return html, want


def test_a_table_page_of_the_2000s_gives_its_main_and_wire_lists() -> None:
    html, want = table_page_2000()
    assert found(html) == [urljoin("http://www.news.example.test/", u) for u in want]


def test_every_editorial_box_of_a_home_page_but_not_most_read() -> None:
    html, want = home_page_of_boxes()
    url = "http://news.example.test/"
    assert found(html, url) == [urljoin(url, u) for u in want]


@pytest.mark.parametrize(
    "junk",
    [
        "<!-- a comment -->",
        "<?php echo 1 ?>",
        "<![CDATA[ x ]]>",
        "<!DOCTYPE html>",
        "<!-- <a href='/s/1'>an old story</a> -->",
    ],
)
def test_comments_and_odd_nodes_anywhere_change_nothing(junk: str) -> None:
    html, want = home_page_of_boxes()
    noisy = (
        html.replace("<li>", f"{junk}<li>{junk}")
        .replace("<div>", f"<div>{junk}")
        .replace("</a>", f"{junk}</a>")
    )
    url = "http://news.example.test/"
    assert found(noisy, url) == [urljoin(url, u) for u in want]


def test_links_of_every_form_and_a_base_href() -> None:
    body = "".join(
        f"<p><a href='{href}'>{h}</a></p>"
        for href, h in zip(
            [
                "2024/03/12/harbour-reopens",  # relative to <base href>
                "/2024/03/12/rail-strike-ends",
                "//www.news.example.test/2024/03/12/storm-closes-schools",
                "https://www.news.example.test/2024/03/12/exports-rise",
                "  /2024/03/12/court-rules\n",
            ],
            HEADLINES,
            strict=False,
        )
    )
    html = f"<html><head><base href='https://www.news.example.test/world/'></head><body>{body}</body></html>"
    urls = found(html, "https://www.news.example.test/world/index.html")
    assert urls == [
        "https://www.news.example.test/world/2024/03/12/harbour-reopens",
        "https://www.news.example.test/2024/03/12/rail-strike-ends",
        "https://www.news.example.test/2024/03/12/storm-closes-schools",
        "https://www.news.example.test/2024/03/12/exports-rise",
        "https://www.news.example.test/2024/03/12/court-rules",
    ]


def test_other_hosts_of_the_site_only_for_addresses_that_name_a_story() -> None:
    html = (
        "<html><body><ul>"
        "<li><a href='http://dailynews.example.test/h/20001017/world/harbour_1.html'>Harbour reopens after "
        "repairs</a></li>"
        "<li><a href='http://fc.example.test/World/Harbour_Repairs/'>Harbour repairs: full coverage page</a></li>"
        "<li><a href='http://elsewhere.test/2000/10/17/other.html'>Another site's story about harbours</a></li>"
        "<li><a href='/h/20001017/world/strike_2.html'>Rail strike ends as the union agrees</a></li>"
        "</ul></body></html>"
    )
    assert found(html, "http://news.example.test/") == [
        "http://dailynews.example.test/h/20001017/world/harbour_1.html",
        "http://news.example.test/h/20001017/world/strike_2.html",
    ]


def test_headlines_in_other_scripts() -> None:
    korean = ["항구 수리 끝나 다시 문 열어", "철도 파업 노조 합의로 끝나", "폭풍에 북부 해안 학교 휴교"]
    japanese = ["港の修理が終わり再開へ", "鉄道ストが終結、組合が合意", "嵐で北部の学校が休校に"]
    sections = "".join(f"<a href='/list.php?ct={n:012d}'>정치</a>" for n in range(10000, 10005))
    items = "".join(
        f"<li><a href='/view.php?id={3000000 + i}'>{h}</a></li>" for i, h in enumerate(korean + japanese)
    )
    urls = found(f"<html><body>{sections}<ul>{items}</ul></body></html>", "https://news.example.test/")
    assert urls == [f"https://news.example.test/view.php?id={3000000 + i}" for i in range(6)]


def test_why_nothing_was_found_names_the_links_and_what_to_set() -> None:
    menu = "".join(f"<a href='/{s}'>{s.title()}</a>" for s in ("world", "business", "sports", "arts"))
    html = f"<html><body>{menu}<a href='http://other.test/x'>Elsewhere</a></body></html>"
    page = Page("https://news.example.test/", "https://news.example.test/", 200, html)
    result = discover(page, AUTO)
    assert not result.refs
    why = nothing_found(result, page.url)
    assert "none of its 5 addresses reads as a story" in why
    assert "4 a section front or index page" in why and "1 another site" in why
    assert "story_urls" in why and "RSS/Atom feed" in why and "feedgen-app discover" in why


def test_another_port_of_the_listings_host_is_another_site() -> None:
    html = (
        "<html><body><ul>"
        "<li><a href='https://news.example.test:8443/2024/03/12/admin-report'>An admin page with a headline</a></li>"
        "<li><a href='http://news.example.test/2024/03/12/harbour-reopens'>Harbour reopens after the repairs</a></li>"
        "</ul></body></html>"
    )
    assert found(html, "https://news.example.test/") == [
        "http://news.example.test/2024/03/12/harbour-reopens"
    ]


def test_story_cards_with_their_own_header_and_footer() -> None:
    """`<article><header><h2><a>`: the card's header is no page header; the page's own still is chrome."""
    cards = "".join(
        f"<article><header><h2><a href='/news/{slug}'>{h}</a></h2></header><p>Summary.</p>"
        f"<footer><a href='/category/world'>World</a></footer></article>"
        for slug, h in [("harbour-reopens-after-repairs", HEADLINES[0]), ("rail-strike-ends-today", HEADLINES[1]),
                        ("storm-closes-northern-schools", HEADLINES[2])]
    )  # fmt: skip
    page_header = (
        "<header><a href='/news/breaking-ticker-item-here'>A ticker headline in the page header</a></header>"
    )
    html = f"<html><body>{page_header}<main>{cards}</main></body></html>"
    assert found(html, "https://n.example.test/") == [
        "https://n.example.test/news/harbour-reopens-after-repairs",
        "https://n.example.test/news/rail-strike-ends-today",
        "https://n.example.test/news/storm-closes-northern-schools",
    ]
