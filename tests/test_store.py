"""The SQLite store: round trips, chronological order across offsets, migrations, pruning."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedgen_app.records import Image, Story
from feedgen_app.storage.schema import MIGRATIONS
from feedgen_app.storage.store import Store, StoreError
from feedgen_app.storage.story_rows import story_from_json, story_to_json

NOW = datetime(2026, 11, 27, tzinfo=UTC)
zones = st.sampled_from([UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30))])
datetimes = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=zones)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def story(url: str, published: datetime | None, title: str = "T", body: str = "<p>b</p>") -> Story:
    return Story(
        url=url,
        story_id=url,
        title=title,
        authors=("A",),
        published=published,
        updated=published,
        body_html=body,
        body_text="b",
    )


@given(
    title=text,
    authors=st.lists(text, max_size=3).map(tuple),
    published=st.none() | datetimes,
    caption=st.none() | text,
    sources=st.lists(st.tuples(text, text), max_size=3).map(tuple),
)
def test_story_round_trip(
    title: str,
    authors: tuple[str, ...],
    published: datetime | None,
    caption: str | None,
    sources: tuple[tuple[str, str], ...],
) -> None:
    original = Story(
        url="https://x/a",
        story_id="/a",
        title=title,
        authors=authors,
        published=published,
        updated=published,
        body_html="<p>x</p>",
        body_text="x",
        image=Image("https://x/i.jpg", caption, "alt"),
        sources=sources,
    )
    assert story_from_json(story_to_json(original)) == original


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(st.lists(datetimes, min_size=1, max_size=12, unique_by=lambda d: d.astimezone(UTC)))
def test_newest_first_whatever_the_offset(tmp_path: Path, moments: list[datetime]) -> None:
    path = tmp_path / f"s{abs(hash(tuple(moments)))}.sqlite"
    store = Store(path)
    urls = [f"https://x/{i}" for i in range(len(moments))]
    store.mark_listed("f", [(u, "") for u in urls], NOW)
    for url, when in zip(urls, moments, strict=True):
        store.save_story(story(url, when), "", None, None, NOW)
    got = [s.story.published for s in store.feed_stories("f", 100)]
    assert got == sorted(moments, key=lambda d: d.astimezone(UTC), reverse=True)
    store.close()


def test_new_revised_unchanged(make_store: Callable[[], Store]) -> None:
    store = make_store()
    store.mark_listed("f", [("https://x/1", "")], NOW)
    assert store.save_story(story("https://x/1", NOW), "", None, None, NOW) == "new"
    assert (
        store.save_story(story("https://x/1", NOW), "", None, None, NOW + timedelta(hours=1)) == "unchanged"
    )
    later = NOW + timedelta(hours=2)
    assert store.save_story(story("https://x/1", NOW, body="<p>new</p>"), "", None, None, later) == "revised"
    [stored] = store.feed_stories("f", 10)
    assert stored.changed_at == later and stored.first_seen == NOW


def test_migrates_an_old_store_and_refuses_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute(
        "INSERT INTO stories VALUES ('https://x/1', '/1', ?, ?, NULL, 'h', '2026-11-26T07:41:00+09:00', '', NULL, NULL, ?)",
        (NOW.isoformat(), NOW.isoformat(), story_to_json(story("https://x/1", NOW))),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = Store(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.db.execute("SELECT sort_date FROM stories").fetchone()[0] == "2026-11-25T22:41:00+00:00"
    store.db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    store.close()
    with pytest.raises(StoreError, match="newer than this feedgen-app knows"):
        Store(path)


def test_prune_keeps_the_newest(make_store: Callable[[], Store]) -> None:
    store = make_store()
    urls = [f"https://x/{i}" for i in range(10)]
    store.mark_listed("f", [(u, "") for u in urls], NOW)
    for i, url in enumerate(urls):
        store.save_story(story(url, NOW - timedelta(days=i)), "", None, None, NOW)
    assert store.prune("f", keep=4) == 6
    assert [s.story.url for s in store.feed_stories("f", 100)] == urls[:4]


def test_an_unwritable_store_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(StoreError, match="cannot"):
        Store(tmp_path / "file" / "state.sqlite")


def test_a_damaged_store_is_set_aside_not_fatal(tmp_path: Path) -> None:
    garbage = tmp_path / "feedgen.sqlite"
    garbage.write_bytes(b"this is not a database" * 100)
    store = Store(garbage)
    assert store.set_aside == tmp_path / "feedgen.sqlite.damaged-1"
    assert store.set_aside.read_bytes().startswith(b"this is not a database"), "kept for inspection"
    store.mark_listed("f", [("https://x/1", "")], NOW)
    assert store.save_story(story("https://x/1", NOW), "", None, None, NOW) == "new"


def test_a_new_modification_time_alone_changes_nothing(make_store: Callable[[], Store]) -> None:
    store = make_store()
    store.mark_listed("f", [("https://x/1", "")], NOW)
    first = story("https://x/1", NOW)
    store.save_story(first, "", None, None, NOW)
    bumped = Story(**{**first.__dict__, "updated": NOW + timedelta(days=1)})
    assert store.save_story(bumped, "", None, None, NOW + timedelta(days=1)) == "unchanged"
    [stored] = store.feed_stories("f", 10)
    assert stored.story.updated == NOW and stored.changed_at == NOW


def test_a_revision_is_dated_by_the_site_when_the_page_says_when(
    tmp_path: Path, make_store: Callable[[], Store]
) -> None:
    """A feed reader sorts a revised story by its entry's `updated`: the site's own modification time
    when the page gives one, else the time this tool saw the text change."""
    from dataclasses import replace

    from feedgen_app.config import config_from_dict
    from feedgen_app.publishing.render import entry_of

    feed = config_from_dict(
        {"feeds": [{"id": "f", "title": "F", "site": "auto", "listing": "https://x/"}]}, tmp_path / "f.toml"
    ).feeds[0]
    store = make_store()
    store.mark_listed("f", [("https://x/1", ""), ("https://x/2", "")], NOW)
    site_time = NOW + timedelta(hours=1)
    seen = NOW + timedelta(hours=5)
    store.save_story(story("https://x/1", NOW), "", None, None, NOW)
    store.save_story(story("https://x/2", NOW), "", None, None, NOW)
    revised = replace(story("https://x/1", NOW, body="<p>fixed</p>"), updated=site_time)
    assert store.save_story(revised, "", None, None, seen) == "revised"
    assert store.save_story(story("https://x/2", NOW, body="<p>fixed</p>"), "", None, None, seen) == "revised"
    updated = {s.story.url: entry_of(s, feed).updated for s in store.feed_stories("f", 10)}
    assert updated == {"https://x/1": site_time, "https://x/2": seen}
    store.close()


def test_stories_still_listed_are_never_pruned_and_the_file_shrinks(tmp_path: Path) -> None:
    """A listing longer than the history kept costs no refetching: what it still names stays known; what
    no feed lists any more is forgotten, and the file gives the space back."""
    store = Store(tmp_path / "s.sqlite")
    urls = [f"https://x/{i}" for i in range(1500)]
    store.mark_listed("f", [(u, "") for u in urls], NOW)
    big = "<p>" + "words " * 400 + "</p>"
    for i, url in enumerate(urls):
        store.save_story(story(url, NOW - timedelta(minutes=i), body=big), "", None, None, NOW)
    assert store.prune("f", keep=200, listed_since=NOW) == 0, "all 1,500 are still on the listing"
    assert len(store.known(urls)) == 1500
    later = NOW + timedelta(hours=1)
    store.mark_listed("f", [(u, "") for u in urls[:10]], later)
    size = (tmp_path / "s.sqlite").stat().st_size
    assert store.prune("f", keep=200, listed_since=later) == 1300
    assert len(store.known(urls)) == 200
    store.close()
    assert (tmp_path / "s.sqlite").stat().st_size < size / 2, "compacted after forgetting most stories"


def test_stories_stored_before_canonical_urls_kept_site_parameters_keep_their_entry_ids(
    tmp_path: Path,
) -> None:
    """Until schema 9 canonical URLs dropped `from`, `sid` and `page`: a store of then holds `/a/b` for a
    listing's `/a/b?from=rss`, and one merged story `/read.php` for `?sid=1` and `?sid=2`. After the upgrade
    the first keeps its entry id; of the merged pair, the first address keeps the old entry and the second
    is a story of its own (never merged again)."""
    from feedgen_app.profile import builtin_table, profile_from_table
    from feedgen_app.urls import canonical, tag_uri

    auto = profile_from_table("auto", builtin_table("auto"), "test")
    listing = "https://n.test/news/"
    path = tmp_path / "v8.sqlite"
    db = sqlite3.connect(path)
    for migration in MIGRATIONS[:8]:
        db.executescript(migration)
    for url, title in (
        ("https://n.test/a/b", "Harbour reopens"),
        ("https://n.test/read.php", "Council votes"),
    ):
        db.execute(
            "INSERT INTO stories (url, story_id, first_seen, fetched_at, content_hash, sort_date, listing_text, "
            "data) VALUES (?, ?, ?, ?, 'h', ?, '', ?)",
            (
                url,
                url,
                NOW.isoformat(),
                NOW.isoformat(),
                NOW.isoformat(),
                story_to_json(story(url, NOW, title)),
            ),
        )
        db.execute(
            "INSERT INTO feed_stories (feed_id, url, first_seen, last_seen, listing_text) VALUES ('f', ?, ?, ?, '')",
            (url, NOW.isoformat(), NOW.isoformat()),
        )
    db.execute("PRAGMA user_version = 8")
    db.commit()
    db.close()

    def entry_ids(store: Store) -> dict[str, str]:
        return {
            s.story.title: tag_uri(s.key_url or s.story.url, auto, listing)
            for s in store.feed_stories("f", 10)
        }

    before = {"Harbour reopens": tag_uri("https://n.test/a/b", auto, listing)}
    before["Council votes"] = tag_uri("https://n.test/read.php", auto, listing)
    store = Store(path)
    listed = [
        canonical(f"https://n.test/{p}", auto) for p in ("a/b?from=rss", "read.php?sid=1", "read.php?sid=2")
    ]
    assert listed[0] == "https://n.test/a/b?from=rss"  # kept now: it could name a story on another site
    later = NOW + timedelta(hours=1)
    store.mark_listed("f", [(url, "") for url in listed], later)
    assert set(store.known(listed)) == {listed[0], listed[1]}, "the second of the merged pair is new"
    new = story(listed[2], later, "Council votes again")
    assert store.save_story(new, "", None, None, later, "f") == "new"
    assert store.save_story(story(listed[0], NOW, "Harbour reopens"), "", None, None, later, "f") != "new"
    ids = entry_ids(store)
    assert ids["Harbour reopens"] == before["Harbour reopens"]
    assert ids["Council votes"] == before["Council votes"]
    assert ids["Council votes again"] == tag_uri(listed[2], auto, listing) not in before.values()
    again = NOW + timedelta(hours=2)
    fresh = canonical("https://n.test/read.php?sid=3", auto)
    store.mark_listed("f", [(fresh, "")], again)
    assert store.known([fresh]) == {}, "a story first seen after the upgrade is never an old one"


def test_stories_still_listed_are_never_pruned_on_every_store(make_store: Callable[[], Store]) -> None:
    """What a listing still names stays known; what no feed lists any more is forgotten, aliases with it."""
    store = make_store()
    urls = [f"https://x/{i}" for i in range(300)]
    store.mark_listed("f", [(u, "") for u in urls], NOW)
    for i, url in enumerate(urls):
        store.save_story(story(url, NOW - timedelta(minutes=i)), "", None, None, NOW)
    assert store.prune("f", keep=50, listed_since=NOW) == 0
    later = NOW + timedelta(hours=1)
    store.mark_listed("f", [(u, "") for u in urls[:10]], later)
    assert store.prune("f", keep=50, listed_since=later) == 250
    assert len(store.known(urls)) == 50


def test_a_story_under_a_new_url_keeps_its_entry_on_every_store(make_store: Callable[[], Store]) -> None:
    """A site's new URL for a story it stopped listing under the old: one entry, the old key, the new link;
    validators, robots, learned selectors, the page archive and the feed's status round-trip too."""
    from feedgen_app.records import LearnedSelector, Page

    store = make_store()
    store.mark_listed("f", [("https://x/old/1", "")], NOW)
    store.save_story(story("https://x/old/1", NOW, title="Harbour reopens"), "", None, None, NOW, "f")
    later = NOW + timedelta(days=1)
    store.mark_listed("f", [("https://x/new/1", "")], later)
    moved = story("https://x/new/1", NOW, title="Harbour reopens")
    assert store.save_story(moved, "", None, None, later, "f") == "unchanged"
    [kept] = store.feed_stories("f", 10)
    assert kept.key_url == "https://x/old/1" and kept.story.url == "https://x/new/1"
    store.save_validators("https://x/", '"e1"', "Mon, 01 Dec 2026 00:00:00 GMT", NOW)
    assert store.validators("https://x/") == ('"e1"', "Mon, 01 Dec 2026 00:00:00 GMT")
    store.save_robots("https://x", "User-agent: *\nDisallow: /private", NOW)
    assert store.robots("https://x", NOW + timedelta(hours=1)) == "User-agent: *\nDisallow: /private"
    store.save_learned([LearnedSelector("s", "body", "div.story", 3, NOW, "why")])
    assert [x.selector for x in store.learned("s")] == ["div.story"]
    page = Page(
        "https://x/new/1", "https://x/new/1", 200, "<html><body><p>the page ünïcode</p></body></html>"
    )
    store.archive_page("f", "https://x/new/1", "1", page, NOW, 10_000_000)
    archived = store.archived_page("f", "https://x/new/1")
    assert archived is not None and archived.page.text == page.text
    store.save_feed_status("f", {"health": "healthy", "stories": 1})
    assert store.feed_status("f")["health"] == "healthy"
    store.save_rendered("f", "k1", 1)
    assert store.rendered("f") == ("k1", 1)
