"""A site that moves its stories to a new URL scheme mid-life (as the Korea Herald did in Dec 2024, from
view.php?ud= to /article/<id>) does not give a reader every story twice, and neither does moving back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
from conftest import write_config
from support.site_server import FIXTURES, Response, SiteServer

from feedgen_app.config import load_config
from feedgen_app.fetching.session import new_session
from feedgen_app.running.build import run_build

PAGES = FIXTURES / "koreaherald/current/pages"
LISTING = "/National/North-Korea"


def old_url(story_id: str) -> str:
    return f"/view.php?ud=20261126{int(story_id) % 1_000_000:06d}"


def serve_old_scheme(site: SiteServer, listing: str, ids: list[str]) -> None:
    for story_id in ids:
        site.static(old_url(story_id), (PAGES / f"article-{story_id}.html").read_bytes())
        listing = listing.replace(f'href="/article/{story_id}"', f'href="{old_url(story_id)}"')
    site.static(LISTING, listing.encode())


def entries(tmp_path: Path) -> dict[str, str]:
    parsed = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes())
    return {e.id: e.link for e in parsed.entries}


def test_stories_moved_to_new_urls_keep_their_entries(tmp_path: Path, current_site: SiteServer) -> None:
    listing = (PAGES / "listing-north-korea-1.html").read_text()
    ids = [i for i in re.findall(r'href="/article/(\d+)"', listing) if (PAGES / f"article-{i}.html").exists()]
    assert len(ids) >= 5
    serve_old_scheme(current_site, listing, ids)
    config = load_config(write_config(tmp_path, current_site.url(LISTING)))
    clock = [datetime(2026, 11, 27, tzinfo=UTC)]

    def build() -> None:
        clock[0] += timedelta(hours=1)
        run_build(config, new_session(config.http.user_agent), lambda: clock[0])

    build()
    before = entries(tmp_path)
    assert len(before) == len(set(ids)) and all("view.php" in link for link in before.values())

    current_site.static(LISTING, listing.encode())  # the redesign: every story under /article/<id>
    build()
    after = entries(tmp_path)
    assert set(after) == set(before), "the same entries, no duplicates"
    assert all("/article/" in link for link in after.values()), "each entry links to the story's new URL"

    serve_old_scheme(current_site, listing, ids)  # and back
    build()
    assert set(entries(tmp_path)) == set(before)
    requests = len(current_site.requests)
    build()
    assert len(current_site.requests) - requests <= 1 + len(ids), "moved stories are known, not refetched"


def test_different_stories_with_one_headline_stay_apart(tmp_path: Path, current_site: SiteServer) -> None:
    """A daily column under one title is many stories: only the same time or the same text makes a twin."""
    first, second = (
        (PAGES / "article-10871233.html").read_text(),
        (PAGES / "article-10868420.html").read_text(),
    )
    title = re.search(r'<h1 class="news_title">([^<]+)</h1>', first)
    assert title
    listing = (PAGES / "listing-north-korea-1.html").read_text()
    config = load_config(write_config(tmp_path, current_site.url(LISTING)))
    now = datetime(2026, 11, 27, tzinfo=UTC)
    run_build(config, new_session(config.http.user_agent), lambda: now)
    count = len(entries(tmp_path))
    column = re.sub(r'<h1 class="news_title">[^<]+</h1>', f'<h1 class="news_title">{title[1]}</h1>', second)
    column = column.replace("10868420", "10871234")
    current_site.static("/article/10871234", column.encode())
    item = '<li><a href="/article/10871234"><p class="news_title">Same title</p></a></li>'
    current_site.static(
        LISTING, listing.replace('<ul class="news_list">\n', f'<ul class="news_list">\n{item}', 1).encode()
    )
    run_build(config, new_session(config.http.user_agent), lambda: now + timedelta(hours=1))
    assert len(entries(tmp_path)) == count + 1


def test_one_story_listed_under_two_urls_is_one_entry_fetched_once_a_poll(
    tmp_path: Path, current_site: SiteServer
) -> None:
    listing = (PAGES / "listing-north-korea-1.html").read_text()
    page = (PAGES / "article-10871233.html").read_bytes()
    current_site.static("/amp/article/10871233", page)
    item = '<li><a href="/amp/article/10871233"><p class="news_title">Same story, other URL</p></a></li>'
    body = listing.replace('<ul class="news_list">\n', f'<ul class="news_list">\n{item}', 1).encode()
    current_site.route(LISTING, lambda _r: Response(200, body, {"Content-Type": "text/html"}))  # never a 304
    config = load_config(
        write_config(
            tmp_path,
            current_site.url(LISTING),
            extra_top="[sites.koreaherald]\nstory_urls = ['/article/\\d+$']",
        )
    )
    clock = [datetime(2026, 11, 30, tzinfo=UTC)]  # the stories are days old: no conditional re-checks
    run_build(config, new_session(config.http.user_agent), lambda: clock[0])
    ids = set(entries(tmp_path))
    assert len([i for i in ids if "10871233" in i]) == 1
    for _ in range(2):
        clock[0] += timedelta(hours=2)
        seen = len(current_site.requests)
        run_build(config, new_session(config.http.user_agent), lambda: clock[0])
        assert [r.path for r in current_site.requests[seen:]] == [LISTING], "known under both URLs"
        assert set(entries(tmp_path)) == ids


def test_sketches_tell_a_reworded_copy_from_another_story() -> None:
    from feedgen_app.storage.same_story import SAME_TEXT, alike, sketch

    words = [
        "the",
        "minister",
        "said",
        "talks",
        "with",
        "the",
        "north",
        "would",
        "resume",
        "next",
        "week",
        "after",
        "a",
        "pause",
        "of",
        "months",
    ]
    story = " ".join(f"{w} {i}" if i % 9 == 0 else w for i, w in enumerate(words * 30))
    copy = story.replace("resume next week", "resume next week, officials said", 1)  # a redesign's rewording
    other = " ".join(reversed(story.split()))
    assert alike(sketch(story), sketch(copy)) >= SAME_TEXT
    assert alike(sketch(story), sketch(other)) < 0.3
    assert sketch("too short to compare") == ()


def test_stories_listed_side_by_side_stay_apart_however_alike(tmp_path: Path) -> None:
    """Two market briefs the listing names together, mostly one long standard disclaimer: two entries."""
    disclaimer = (
        "<p>" + "This report is for information only and is not advice to buy or sell any security. " * 12
    )
    with SiteServer() as site:
        site.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        items = ""
        for n, (hour, move) in enumerate([("09", "rose 0.4 percent"), ("15", "fell 1.2 percent")]):
            url = f"/markets/brief-{20_000_000 + n}"
            items += f'<li><a href="{url}">Market brief {hour}:00</a></li>'
            site.static(
                url,
                (
                    f"<html><head><title>Market brief {hour}:00</title></head><body><article>"
                    f"<h1>Market brief {hour}:00</h1><time datetime='2026-11-27T{hour}:00:00Z'>x</time>"
                    f"<p>The index {move} by {hour}:00.</p>{disclaimer}</p></article></body></html>"
                ).encode(),
            )
        site.static("/markets", f"<html><body><main><ul>{items}</ul></main></body></html>".encode())
        config = load_config(write_config(tmp_path, site.url("/markets"), site="auto"))
        run_build(config, new_session(config.http.user_agent), lambda: datetime(2026, 11, 28, tzinfo=UTC))
        assert len(entries(tmp_path)) == 2
