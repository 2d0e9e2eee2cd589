"""Listing pages of the last ten years, no profile: the shapes that sites of 2016-2025 use and that older
rules missed (made ids for addresses, a front page written as one numbered list, section fronts named like
stories, a blog's one-name posts, archives and calendars). Pages written here, after real ones' shapes."""

from __future__ import annotations

from feedgen_app.address_kind import AddressKind, address_kind
from feedgen_app.discovery.discover import discover
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page

AUTO = profile_from_table("auto", builtin_table("auto"), "test")
HOST = "https://www.news.example.test"

IDS = ["c7k2qzl9xw1o", "c0d3yr8e2mxo", "cq5l8p1kzr4o", "cj2e9w4vn7do", "c4n6r0xg3y2o", "cvg8z1q5l9ko",
       "c2x7m4k8p3wo", "cd9w2k5q7e1o", "c8l1v6z3n0qo", "ce4k9p2j6x5o"]  # fmt: skip
HEADLINES_ZH = ["港口新规今起实施 渔民担忧生计", "市议会通过明年预算案 交通投入增加", "暴雨袭击南部沿海 多地停课",
                "新一届政府公布住房计划", "科学家在深海发现新物种", "大学学费再次上调引发争议",
                "旧城区改造项目正式动工", "全国马拉松赛周末举行", "博物馆重新开放 展出千年文物",
                "央行宣布维持利率不变"]  # fmt: skip


def _found(html: str, listing: str = f"{HOST}/") -> list[str]:
    return [r.url for r in discover(Page(listing, listing, 200, html), AUTO).refs]


def _page(body: str) -> str:
    return f"<!doctype html><html><head><title>News</title></head><body>{body}</body></html>"


def _menu() -> str:
    sections = ["world", "business", "technology", "science_and_environment", "health"]
    return (
        "<nav>"
        + "".join(f"<a href='/news/{s}'>{s.replace('_', ' ').title()}</a>" for s in sections)
        + "</nav>"
    )


def test_made_ids_are_story_addresses() -> None:
    assert address_kind(f"{HOST}/news/articles/c7k2qzl9xw1o") is AddressKind.ID
    assert address_kind(f"{HOST}/a/8f3k2j") is AddressKind.ID
    for word in ("covid19", "h264", "web3", "mp3-players", "science_and_environment"):
        assert address_kind(f"{HOST}/topics/{word}") is not AddressKind.ID, word


def test_stories_named_by_made_ids_with_headlines_in_chinese() -> None:
    """Every story of a front whose addresses are ids (no date, no long number, no slug) and whose headlines
    are in a script without spaces; the topic links beside them, named by ids too, are not stories."""
    stories = "".join(
        f"<div class='promo'><a href='/zhongwen/simp/articles/{i}'><h3>{h}</h3></a><p>{h}。据报道。</p></div>"
        for i, h in zip(IDS, HEADLINES_ZH, strict=True)
    )
    topics = "".join(
        f"<a href='/zhongwen/simp/topics/{t}'>{name}</a>"
        for t, name in (("c83plve5vmjt", "中国"), ("cdr56g57y01t", "科技"), ("c9wpm0en9jdt", "健康"))
    )
    found = _found(_page(f"{_menu()}<main>{stories}<div class='topics'>{topics}</div></main>"))
    assert found == [f"{HOST}/zhongwen/simp/articles/{i}" for i in IDS]


def test_a_front_page_written_as_one_numbered_list_is_the_page_s_list() -> None:
    """A front of one `<ol>` of stories is not a most-read chart; a ranked box of most-read beside it is."""
    main = "".join(
        f"<li><a href='/news/world-{40000000 + n}'>Ministers agree on the budget for the coming year {n}</a>"
        f"<p>{'A summary of the story in a sentence or two. ' * 3}</p></li>"
        for n in range(12)
    )
    chart = "".join(
        f"<li><span>{n}</span><a href='/news/world-{50000000 + n}'>A story many people read today {n}</a></li>"
        for n in range(1, 6)
    )
    found = _found(
        _page(f"{_menu()}<div><ol class='stories'>{main}</ol></div><aside><ol>{chart}</ol></aside>")
    )
    assert found == [f"{HOST}/news/world-{40000000 + n}" for n in range(12)]


def test_section_fronts_named_like_stories_are_not_stories() -> None:
    """`/news/science_and_environment` "Science and Environment" in the page's body reads as a slug, but its
    text is its address's name: a section front, not a story. The stories of the same folder are taken."""
    sections = ["food_and_drink", "science_and_environment", "arts_and_culture", "world_news"]
    body = ""
    for s in sections:
        title = s.replace("_", " ").title()
        body += f"<section><h2><a href='/washington/{s}/'>{title}</a></h2>"
        for n in range(3):
            body += (
                f"<h3><a href='/washington/{s}/city-council-weighs-new-rules-for-{s}-{n}'>"
                f"City council weighs new rules for {title.lower()} {n}</a></h3>"
            )
        body += "</section>"
    found = _found(_page(f"{_menu()}<div>{body}</div>"))
    assert len(found) == 12 and all(u.rstrip("/").rsplit("/", 1)[-1].startswith("city-") for u in found)


def test_a_blog_front_its_posts_but_not_its_archives_calendar_or_tags() -> None:
    """A WordPress-style front: dated posts and one-name posts (`/liquid-lips/`) in the list of posts; the
    sidebar's month archives, calendar days (`/?m=20160305`), categories and tags are not stories."""
    posts = [
        f"/2016/03/{d:02d}/{slug}/" for d, slug in ((5, "a-walk-by-the-river"), (4, "spring-reading-list"))
    ]
    posts += ["/liquid-lips/", "/vintage-finds/", "/weekend-vibes/"]
    titles = ["A walk by the river at dawn", "My spring reading list, at last", "Five liquid lips in rotation",
              "Vintage finds from the market", "Weekend vibes and a new jacket"]  # fmt: skip
    articles = "".join(
        f"<article class='post'><h2><a href='{p}'>{t}</a></h2><p>{'A few words of the post. ' * 6}</p></article>"
        for p, t in zip(posts, titles, strict=True)
    )
    sidebar = (
        "<aside><h3>Archives</h3><ul><li><a href='/2016/03/'>March 2016</a></li>"
        "<li><a href='/2016/02/'>February 2016</a></li></ul>"
        "<table><tr><td><a href='/?m=20160305'>5</a></td><td><a href='/?m=20160304'>4</a></td></tr></table>"
        "<h3>Categories</h3><a href='/category/get-the-look/'>Get the look</a>"
        "<a href='/tag/denim-on-denim/'>denim on denim</a></aside>"
    )
    found = _found(
        _page(f"<header><a href='/'>My blog</a></header><div>{articles}</div>{sidebar}"), f"{HOST}/"
    )
    assert found == [f"{HOST}{p}" for p in posts]
