"""The state store: one embedded SQLite file (WAL), schema versioned by `PRAGMA user_version`.

Holds stories (first and last seen, content hash, extracted fields), HTTP validators per URL, which feed
listed which story, and per-feed status. Deleting the file costs only refetching: entry ids come from the
stories' URLs, never from rows here. Used from one thread; every write is one transaction, so a build
killed at any point leaves the file consistent.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from feedgen_app.disk_space import disk_full, free_bytes
from feedgen_app.errors import FeedgenError
from feedgen_app.records import StoredStory, Story
from feedgen_app.storage.archive import PageArchive
from feedgen_app.storage.learned import LearnedRows
from feedgen_app.storage.rendered import RenderedRows
from feedgen_app.storage.same_story import SAME_TEXT, alike, same_headline, sketch
from feedgen_app.storage.schema import MIGRATIONS
from feedgen_app.storage.serialized import immediate, serialized
from feedgen_app.storage.story_rows import (
    content_hash,
    datetime_or_none,
    story_from_json,
    story_to_json,
    utc_iso,
)
from feedgen_app.urls import former_canonical

DUPLICATE_WINDOW = timedelta(days=3)  # a story under a new URL is compared with the feed's stories this close
ROBOTS_MAX_AGE = timedelta(hours=24)


class StoreError(FeedgenError):
    pass


FULL_BELOW = 4 * 1024 * 1024  # bytes free under which an I/O error is the disk being full


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


VACUUM_MIN_PAGES = 256  # a store under 1 MB is never worth compacting


def _set_aside(path: Path) -> Path:
    """Keep a damaged store for inspection under another name (it only costs refetching)."""
    target = next(
        p for n in range(1, 10_000) if not (p := path.with_name(f"{path.name}.damaged-{n}")).exists()
    )
    path.rename(target)
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    return target


class Store(PageArchive, LearnedRows, RenderedRows):
    database_errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)  # what `serialized` turns typed

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)  # what messages name the store by
        self._lock = threading.RLock()
        self.set_aside: Path | None = None  # where a damaged store was moved, if one was
        self.damaged: str | None = None  # why, when damage shows only while the store is in use
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the state store's folder: {exc.strerror}") from None
        try:
            self._open()
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                failure = self._failure(exc)
                if "disk holding" in str(failure):
                    raise failure from None
                raise StoreError(f"{path}: cannot open the state store: {exc}") from None
            # A damaged file (a truncated cache restore, a disk error) costs only refetching: keep it for
            # inspection under another name and start afresh rather than stop every feed.
            self.set_aside = _set_aside(path)
            try:
                self._open()
            except sqlite3.Error as again:
                raise StoreError(f"{path}: cannot open the state store: {again}") from None

    def _open(self) -> None:
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA busy_timeout=30000")
        self._migrate()

    @serialized
    def close(self) -> None:
        self.db.close()
        if self.damaged:  # found damaged while in use: set aside now, the next poll starts afresh
            self.set_aside = _set_aside(self.path)

    def _failure(self, exc: sqlite3.DatabaseError, method: str = "") -> StoreError:
        """One typed error, naming the file and the cause, for whatever SQLite raised in `method`."""
        text = str(exc).lower()
        if _damaged(exc):
            self.damaged = str(exc)
            return StoreError(
                f"{self.where}: the state store is damaged ({exc}); it is set aside and rebuilt (stories "
                "are fetched again)"
            )
        # SQLite says "disk I/O error" when a full disk stops its journal: the free space tells
        free = free_bytes(self.path)
        if "full" in text or ("i/o" in text and free is not None and free < FULL_BELOW):
            what = "the page archive (in the state store)" if "archive" in method else "the state store"
            return StoreError(f"{self.where}: {disk_full(self.path, FULL_BELOW, what)}; this poll is held")
        return StoreError(f"{self.where}: the state store failed: {exc}")

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.where}: state store is schema version {version}, newer than this feedgen-app knows "
                f"({len(MIGRATIONS)}); upgrade feedgen-app or delete the file (it only costs refetching)"
            )
        for number in range(version, len(MIGRATIONS)):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")
                self.db.execute("COMMIT")
            except sqlite3.Error:
                self.db.execute("ROLLBACK")
                raise

    # --- validators (listings) --------------------------------------------------------------------
    @serialized
    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    @serialized
    def save_validators(self, url: str, etag: str | None, last_modified: str | None, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO validators (url, etag, last_modified, checked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "checked_at = excluded.checked_at",
            (url, etag, last_modified, now.isoformat()),
        )

    # --- robots.txt, cached for a day (RFC 9309 suggests at most 24 hours) --------------------------
    @serialized
    def robots(self, origin: str, now: datetime) -> str | None:
        row = self.db.execute("SELECT body, fetched_at FROM robots WHERE origin = ?", (origin,)).fetchone()
        if row and now - datetime.fromisoformat(row[1]) < ROBOTS_MAX_AGE:
            return str(row[0])
        return None

    @serialized
    def save_robots(self, origin: str, body: str, now: datetime) -> None:
        self.db.execute(
            "INSERT INTO robots (origin, body, fetched_at) VALUES (?, ?, ?) "
            "ON CONFLICT(origin) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at",
            (origin, body, now.isoformat()),
        )

    # --- listings ----------------------------------------------------------------------------------
    @serialized
    def mark_listed(self, feed_id: str, refs: Iterable[tuple[str, str]], now: datetime) -> None:
        """Record that the feed's listing named these (url, listing text) pairs now."""
        with immediate(self.db):
            for url, text in refs:
                self.db.execute(
                    "INSERT INTO feed_stories (feed_id, url, first_seen, last_seen, listing_text) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(feed_id, url) DO UPDATE SET last_seen = excluded.last_seen, "
                    "listing_text = excluded.listing_text",
                    (feed_id, self._resolve(url, claim=True), now.isoformat(), now.isoformat(), text),
                )

    @serialized
    def known(self, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
        """What the store knows of these stories: fetched_at, published, listing_text, validators."""
        out: dict[str, dict[str, Any]] = {}
        for url in urls:
            key = self._resolve(url)
            row = self.db.execute(
                "SELECT fetched_at, sort_date, listing_text, etag, last_modified FROM stories WHERE url = ?",
                (key,),
            ).fetchone()
            if row:
                out[url] = {
                    "fetched_at": datetime_or_none(row[0]),
                    "published": datetime_or_none(row[1]),
                    # one story listed under two URLs would look "changed" under each in turn: no hint then
                    "listing_text": row[2] if key == url else None,
                    "etag": row[3],
                    "last_modified": row[4],
                }
        return out

    # --- stories -----------------------------------------------------------------------------------
    def _resolve(self, url: str, claim: bool = False) -> str:
        """The URL a story is kept under: its own, or the one it was first seen under. With `claim` (in a
        write transaction), a story stored before schema 9 under the address that canonical() then gave
        `url` is adopted by `url`, once: the first address to claim it keeps its entry id, and two stories
        that the old rules merged (`?sid=1`, `?sid=2`) are two from now on."""
        row = self.db.execute("SELECT target FROM aliases WHERE url = ?", (url,)).fetchone()
        if row:
            return str(row[0])
        former = former_canonical(url) if claim else url
        claimed = (
            former != url and self.db.execute("DELETE FROM former_keys WHERE url = ?", (former,)).rowcount
        )
        if claimed and not self.db.execute("SELECT 1 FROM stories WHERE url = ?", (url,)).fetchone():
            self._adopt(url, former)
            return former
        return url

    def _duplicate_of(self, story: Story, mine: tuple[int, ...], feed_id: str, now: datetime) -> str | None:
        """The URL of a story this feed already holds that is `story` under another URL, if any: the same
        headline at the same time, or near-identical text (compared by sketch) days apart at most, of a story
        the listing stopped naming (a URL that moved)."""
        when = utc_iso(story.published or now)
        for url, title in self.db.execute(
            "SELECT s.url, json_extract(s.data, '$.title') FROM stories s JOIN feed_stories f ON f.url = s.url "
            "WHERE f.feed_id = ? AND s.url != ? AND s.sort_date = ?",
            (feed_id, story.url, when),
        ):
            if story.published and same_headline(story.title, str(title)):
                return str(url)
        if not mine:  # `story`'s sketch: too short a text to know again
            return None
        instant = story.published or now
        for url, theirs in self.db.execute(
            # only stories the listing no longer names: two stories listed side by side are two stories,
            # however much text (a standard disclaimer, a market table) they share
            "SELECT s.url, s.sketch FROM stories s JOIN feed_stories f ON f.url = s.url WHERE f.feed_id = ? "
            "AND s.url != ? AND s.sketch != '' AND f.last_seen < ? AND s.sort_date BETWEEN ? AND ?",
            (
                feed_id,
                story.url,
                now.isoformat(),
                utc_iso(instant - DUPLICATE_WINDOW),
                utc_iso(instant + DUPLICATE_WINDOW),
            ),
        ):
            if alike(mine, tuple(map(int, str(theirs).split()))) >= SAME_TEXT:
                return str(url)
        return None

    def _adopt(self, url: str, target: str) -> None:
        """From now on `url` means the story kept under `target`: in lookups and in what feeds list."""
        self.db.execute("INSERT OR REPLACE INTO aliases (url, target) VALUES (?, ?)", (url, target))
        self.db.execute(  # a feed that lists both keeps its row of the target (SQLite's UPDATE OR IGNORE)
            "UPDATE feed_stories SET url = ? WHERE url = ? AND NOT EXISTS (SELECT 1 FROM feed_stories g "
            "WHERE g.feed_id = feed_stories.feed_id AND g.url = ?)",
            (target, url, target),
        )
        self.db.execute("DELETE FROM feed_stories WHERE url = ?", (url,))

    @serialized
    def save_story(
        self,
        story: Story,
        listing_text: str,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        feed_id: str = "",
    ) -> str:
        """Store a freshly extracted story; returns "new", "revised" or "unchanged". A story the feed already
        holds under another URL (`feed_id` given) is kept under that URL, so its entry id stays; the entry
        links to the new URL."""
        with immediate(self.db):  # its reads and writes as one: an alias and its story land together
            return self._save_story(story, listing_text, etag, last_modified, now, feed_id)

    def _save_story(
        self,
        story: Story,
        listing_text: str,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        feed_id: str,
    ) -> str:
        key = self._resolve(story.url, claim=True)
        sketched = sketch(story.body_text)
        row = self.db.execute(
            "SELECT content_hash, listing_text FROM stories WHERE url = ?", (key,)
        ).fetchone()
        if row is None and feed_id and key == story.url:
            twin = self._duplicate_of(story, sketched, feed_id, now)
            if twin:
                self._adopt(story.url, twin)
                key = twin
                row = self.db.execute(
                    "SELECT content_hash, listing_text FROM stories WHERE url = ?", (key,)
                ).fetchone()
        digest = content_hash(story)
        if row and key != story.url:
            listing_text = row[1]  # the listing hint stays its own URL's (see `known`)
        sort_date = utc_iso(story.published or now)
        # One upsert. A changed text replaces the stored story and records when it changed. An unchanged one
        # keeps the stored story as it is (dates included), so a site that bumps its modification time
        # without changing a word does not make the entry look updated in readers.
        self.db.execute(
            "INSERT INTO stories (url, story_id, first_seen, fetched_at, revised_at, content_hash, sort_date, "
            "listing_text, etag, last_modified, data, sketch) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET fetched_at = excluded.fetched_at, listing_text = excluded.listing_text, "
            "etag = excluded.etag, last_modified = excluded.last_modified, "
            "sort_date = CASE WHEN stories.content_hash != excluded.content_hash "
            "THEN excluded.sort_date ELSE stories.sort_date END, "
            "data = CASE WHEN stories.content_hash != excluded.content_hash "
            "OR json_extract(stories.data, '$.url') != json_extract(excluded.data, '$.url') "  # moved: link anew
            "THEN excluded.data ELSE stories.data END, "
            "revised_at = CASE WHEN stories.content_hash != excluded.content_hash "
            "THEN excluded.fetched_at ELSE stories.revised_at END, content_hash = excluded.content_hash, "
            "sketch = excluded.sketch",
            (
                key,
                story.story_id,
                now.isoformat(),
                now.isoformat(),
                digest,
                sort_date,
                listing_text,
                etag,
                last_modified,
                story_to_json(story),
                " ".join(map(str, sketched)),
            ),
        )
        if row is None:
            return "new"
        changed = row[0] != digest
        return "revised" if changed else "unchanged"

    @serialized
    def touch_story(self, url: str, listing_text: str, now: datetime) -> None:
        """A conditional refetch answered 304: the story is as stored."""
        self.db.execute(
            "UPDATE stories SET fetched_at = ?, listing_text = ? WHERE url = ?",
            (now.isoformat(), listing_text, self._resolve(url)),
        )

    @serialized
    def feed_stories(self, feed_id: str, limit: int, since: datetime | None = None) -> list[StoredStory]:
        """The feed's newest stories (published at or after `since`, when given), newest first, ties
        broken by URL so the order is stable. `sort_date` is UTC, so the order is chronological whatever
        offset a site prints."""
        rows = self._feed_rows(feed_id, limit, since)
        return [
            StoredStory(
                story=story_from_json(data),
                first_seen=datetime.fromisoformat(first_seen),
                content_hash=digest,
                changed_at=datetime_or_none(revised_at) or datetime.fromisoformat(first_seen),
                key_url=key_url,
            )
            for data, first_seen, digest, revised_at, key_url in rows
        ]

    @serialized
    def prune(self, feed_id: str, keep: int, listed_since: datetime | None = None) -> int:
        """Forget which stories a feed listed beyond its newest `keep`, except those its listing still names
        (seen at or after `listed_since`: forgetting them would refetch them next poll), and stories no feed
        lists any more. Returns how many stories were forgotten. A forgotten story that comes back is fetched
        again with the same entry id. The file is compacted when most of it has become free pages."""
        since = listed_since.isoformat() if listed_since else "9999"
        with immediate(self.db):
            forgotten = [
                row[0]
                for row in self.db.execute(
                    "SELECT f.url FROM feed_stories f JOIN stories s ON s.url = f.url WHERE f.feed_id = ? "
                    "AND f.last_seen < ? AND f.url NOT IN (SELECT k.url FROM feed_stories k JOIN stories t "
                    "ON t.url = k.url WHERE k.feed_id = ? ORDER BY t.sort_date DESC, t.url DESC LIMIT ?)",
                    (feed_id, since, feed_id, keep),
                )
            ]
            gone = 0
            for url in forgotten:  # by key, so a poll costs the same whatever the store holds
                self.db.execute("DELETE FROM feed_stories WHERE feed_id = ? AND url = ?", (feed_id, url))
                self.db.execute("DELETE FROM pages WHERE feed_id = ? AND url = ?", (feed_id, url))
                dropped = self.db.execute(
                    "DELETE FROM stories WHERE url = ? AND NOT EXISTS (SELECT 1 FROM feed_stories WHERE url = ?)",
                    (url, url),
                ).rowcount
                if dropped:
                    self.db.execute("DELETE FROM aliases WHERE target = ?", (url,))
                    self.db.execute("DELETE FROM former_keys WHERE url = ?", (url,))
                gone += dropped
        if gone:
            self._compact()
        return int(gone)

    def _compact(self) -> None:
        """Compact the file when most of it has become free pages."""
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        free = self.db.execute("PRAGMA freelist_count").fetchone()[0]
        if pages > VACUUM_MIN_PAGES and free > pages / 2:
            self.db.execute("VACUUM")

    # --- status ------------------------------------------------------------------------------------
    @serialized
    def note_site(self, name: str, text: str | None, now: datetime) -> None:
        """Keep (or, with None, forget) what a person should know of the site as a whole."""
        if text is None:
            self.db.execute("DELETE FROM site_notes WHERE name = ?", (name,))
        else:
            self.db.execute(
                "INSERT OR REPLACE INTO site_notes (name, text, at) VALUES (?, ?, ?)",
                (name, text, now.isoformat()),
            )

    @serialized
    def site_notes(self) -> dict[str, tuple[str, datetime]]:
        return {
            name: (text, datetime.fromisoformat(at))
            for name, text, at in self.db.execute("SELECT name, text, at FROM site_notes ORDER BY name")
        }

    @serialized
    def feed_status(self, feed_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT data FROM feed_status WHERE feed_id = ?", (feed_id,)).fetchone()
        return json.loads(row[0]) if row else {}

    @serialized
    def save_feed_status(self, feed_id: str, data: Mapping[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO feed_status (feed_id, data) VALUES (?, ?) ON CONFLICT(feed_id) DO UPDATE SET data = excluded.data",
            (feed_id, json.dumps(data, sort_keys=True)),
        )
