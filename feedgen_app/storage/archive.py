"""The page archive: each story's last fetched page, compressed, per feed and within the feed's size
budget (`archive_kb`; the oldest pages go first), so `feedgen-app reextract` can run a changed profile or a
new version over them without fetching anything. Part of the Store (a mixin over its connection)."""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime

from feedgen_app.records import ItemHint, Page, Story
from feedgen_app.storage.same_story import sketch
from feedgen_app.storage.serialized import immediate, serialized
from feedgen_app.storage.story_rows import content_hash, story_from_json, story_to_json, utc_iso


@dataclass(frozen=True)
class ArchivedPage:
    feed_id: str
    url: str  # the story's URL (its key in the store)
    story_id: str
    page: Page
    fetched_at: datetime
    hint: ItemHint | None = None


def _hint_json(hint: ItemHint | None) -> str | None:
    if hint is None:
        return None
    published = hint.published.isoformat() if hint.published else None
    return json.dumps({"title": hint.title, "published": published, "authors": list(hint.authors)})


def _hint(text: str | None) -> ItemHint | None:
    if not text:
        return None
    data = json.loads(text)
    published = datetime.fromisoformat(data["published"]) if data.get("published") else None
    return ItemHint(title=data.get("title", ""), published=published, authors=tuple(data.get("authors", ())))


class PageArchive:
    db: sqlite3.Connection
    _lock: threading.RLock

    @serialized
    def archive_page(
        self,
        feed_id: str,
        url: str,
        story_id: str,
        page: Page,
        now: datetime,
        budget_bytes: int,
        hint: ItemHint | None = None,
    ) -> None:
        """Keep a story's page (replacing its last one), then drop the feed's oldest pages beyond the
        budget. A budget of 0 keeps nothing."""
        if budget_bytes <= 0:
            return
        body = zlib.compress(page.text.encode("utf-8", "surrogatepass"), 6)
        if len(body) > budget_bytes:
            return
        with immediate(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO pages (feed_id, url, story_id, final_url, fetched_at, hint, size, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (feed_id, url, story_id, page.final_url, now.isoformat(), _hint_json(hint), len(body), body),
            )
            total = self.db.execute("SELECT SUM(size) FROM pages WHERE feed_id = ?", (feed_id,)).fetchone()[0]
            if total > budget_bytes:
                rows = self.db.execute(
                    "SELECT url, size FROM pages WHERE feed_id = ? ORDER BY fetched_at, url", (feed_id,)
                ).fetchall()
                for old_url, size in rows:
                    if total <= budget_bytes:
                        break
                    self.db.execute("DELETE FROM pages WHERE feed_id = ? AND url = ?", (feed_id, old_url))
                    total -= size

    @serialized
    def archived_pages(self, feed_id: str) -> list[tuple[str, datetime]]:
        """The feed's archived pages, oldest first: (story URL, when fetched)."""
        rows = self.db.execute(
            "SELECT url, fetched_at FROM pages WHERE feed_id = ? ORDER BY fetched_at, url", (feed_id,)
        ).fetchall()
        return [(url, datetime.fromisoformat(at)) for url, at in rows]

    @serialized
    def archived_page(self, feed_id: str, url: str) -> ArchivedPage | None:
        row = self.db.execute(
            "SELECT story_id, final_url, fetched_at, hint, body FROM pages WHERE feed_id = ? AND url = ?",
            (feed_id, url),
        ).fetchone()
        if row is None:
            return None
        story_id, final_url, fetched_at, hint, body = row
        text = zlib.decompress(body).decode("utf-8", "surrogatepass")
        return ArchivedPage(
            feed_id,
            url,
            story_id,
            Page(url, final_url, 200, text),
            datetime.fromisoformat(fetched_at),
            _hint(hint),
        )

    @serialized
    def archive_size(self, feed_id: str) -> int:
        return int(
            self.db.execute(
                "SELECT COALESCE(SUM(size), 0) FROM pages WHERE feed_id = ?", (feed_id,)
            ).fetchone()[0]
        )

    @serialized
    def reextracted(self, story: Story, now: datetime) -> str:
        """Put a story extracted again from its archived page in place of the stored one: "revised" when
        what a reader sees changed (the entry's `updated` moves), "refreshed" when only its dates or
        sources did (it does not), "unchanged", or "gone" when the store no longer holds it."""
        key = self.db.execute(
            "SELECT COALESCE((SELECT target FROM aliases WHERE url = ?), ?)", (story.url, story.url)
        ).fetchone()[0]
        row = self.db.execute("SELECT content_hash, data FROM stories WHERE url = ?", (key,)).fetchone()
        if row is None:
            return "gone"
        old = story_from_json(row[1])
        if old.url != story.url:  # stored under the URL first seen: keep linking where the site is now
            story = replace(story, url=old.url)
        digest, data = content_hash(story), story_to_json(story)
        if digest == row[0] and data == row[1]:
            return "unchanged"
        revised = digest != row[0]
        self.db.execute(
            "UPDATE stories SET data = ?, content_hash = ?, sort_date = ?, sketch = ?, "
            "revised_at = CASE WHEN ? THEN ? ELSE revised_at END WHERE url = ?",
            (
                data,
                digest,
                utc_iso(story.published or now),
                " ".join(map(str, sketch(story.body_text))),
                revised,
                now.isoformat(),
                key,
            ),
        )
        return "revised" if revised else "refreshed"

    def iter_archived(self, feed_id: str) -> Iterator[ArchivedPage]:
        """The feed's archived pages one at a time, oldest first (one page in memory at once)."""
        for url, _at in self.archived_pages(feed_id):
            archived = self.archived_page(feed_id, url)
            if archived is not None:
                yield archived
