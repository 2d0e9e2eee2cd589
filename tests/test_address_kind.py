"""What an address says about the page behind it, on addresses of the shapes news sites of every era use
(our own hosts and words; the shapes follow real sites)."""

from __future__ import annotations

import pytest

from feedgen_app.address_kind import AddressKind, address_kind, site_of

K = AddressKind


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://n.test/2000/11/09/world/09COLO.html", K.DATED),
        ("http://n.test/2000/US/11/09/election.recount/index.html", K.DATED),  # a year, a section, the day
        ("http://n.test/a/2000/1109/story.html", K.DATED),
        ("http://n.test/2014/03/12/world/asia/plane-search/index.html", K.DATED),
        ("http://n.test/world/2024/mar/12/harbour-reopens", K.DATED),
        ("http://n.test/h/nm/20001017/ts/mideast_dc_237.html", K.DATED),
        ("http://n.test/main.jhtml?xml=/news/2005/11/11/nterr11.xml", K.DATED),
        ("http://n.test/view.php?ud=20180320000803", K.NUMBERED),  # a date-stamped id: a number
        ("http://n.test/news/world-europe-10945678", K.NUMBERED),
        ("http://n.test/story/0,2933,149646,00.html", K.NUMBERED),
        ("http://n.test/s/ap/us_gulf_oil_spill_costs", K.SLUG),
        ("http://n.test/aponline/world/AP-Laos-Bombing.html", K.SLUG),
        ("http://n.test/aponline/world/09WIRE-MID2.html", K.PLAIN),
        ("http://n.test/pages/world/index.html", K.FRONT),
        ("http://n.test/2000/11/", K.FRONT),  # a month's archive
        ("http://n.test/sports", K.FRONT),
        ("http://n.test/", K.FRONT),
        ("http://n.test/search/query?q=harbour", K.SERVICE),
        ("http://n.test/tags/harbour", K.SERVICE),
        ("http://n.test/photos/ss/events/harbour", K.SERVICE),
        ("http://n.test/video/2024/03/12/harbour", K.SERVICE),
        ("http://n.test/images/2000/11/09/map.jpg", K.FILE),
        ("http://n.test/rss/world.xml", K.FILE),
        ("http://ads.n.test/RealMedia/ads/click_lx.ads/www.n.test/world/0/Top", K.REDIRECT),
        ("http://n.test/event.ng/Type=click&Redirect=http://shop.test/", K.REDIRECT),
        ("http://rd.n.test/dailynews/*http://n.test/x", K.REDIRECT),
        ("http://n.test/aponline/sports/AP-FBC-Last-Game-Of-Season.html", K.SLUG),  # "game" in a headline
        ("http://n.test/terms-of-service", K.SERVICE),
        ("http://n.test/info/privacy-policy.html", K.SERVICE),
        ("http://n.test/contact-us", K.SERVICE),
        ("http://n.test/newsletters/morning-briefing", K.SERVICE),
    ],
)
def test_address_kinds(url: str, kind: AddressKind) -> None:
    assert address_kind(url) is kind


def test_hosts_of_one_site() -> None:
    assert site_of("news.yahoo.com") == site_of("dailynews.yahoo.com") == "yahoo.com"
    assert site_of("www.telegraph.co.uk") == "telegraph.co.uk" != site_of("www.bbc.co.uk")
    assert site_of("127.0.0.1") == "127.0.0.1" != site_of("127.0.0.2")
    # by the Public Suffix List: blogs and pages under a host's platform are sites of their own
    assert site_of("alice.blogspot.com") != site_of("bob.blogspot.com")
    assert site_of("docs.alice.github.io") == "alice.github.io" != site_of("bob.github.io")
    assert site_of("news.joins.co.kr") == "joins.co.kr" != site_of("www.chosun.co.kr")
    assert site_of("www.city.kawasaki.jp") == "city.kawasaki.jp"
    assert site_of("localhost") == "localhost" and site_of("[::1]") == "[::1]"


def test_a_blog_platform_s_other_blogs_are_other_sites() -> None:
    """On a blog under a shared platform, links to other blogs of the platform are not this blog's posts."""
    from feedgen_app.discovery.discover import discover
    from feedgen_app.profile import builtin_table, profile_from_table
    from feedgen_app.records import Page

    auto = profile_from_table("auto", builtin_table("auto"), "test")
    mine = "".join(
        f"<h2><a href='https://alice.blogspot.com/2026/0{n}/a-long-walk-by-the-river-{n}.html'>"
        f"A long walk by the river, part {n}</a></h2>"
        for n in range(1, 5)
    )
    theirs = "".join(
        f"<li><a href='https://bob{n}.blogspot.com/2026/0{n}/my-week-in-the-garden-{n}.html'>"
        f"My week in the garden, day {n}</a></li>"
        for n in range(1, 5)
    )
    html = f"<html><body><div>{mine}</div><div><h3>Blogs I read</h3><ul>{theirs}</ul></div></body></html>"
    page = Page("https://alice.blogspot.com/", "https://alice.blogspot.com/", 200, html)
    found = [r.url for r in discover(page, auto).refs]
    assert len(found) == 4 and all(u.startswith("https://alice.") for u in found)
