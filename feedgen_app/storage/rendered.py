"""What each feed's files were last rendered from: a digest of the rows rendering reads, so a poll that
changed nothing a feed shows (a quiet listing, no story revised by this feed or another that shares it, none
aged out) skips rendering it. Part of the Store (a mixin); the key itself is `publishing.render_key`'s."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import datetime
from typing import Any

from feedgen_app.storage.serialized import serialized
from feedgen_app.storage.story_rows import utc_iso


class RenderedRows:
    db: sqlite3.Connection
    _lock: threading.RLock

    def _feed_rows(self, feed_id: str, limit: int, since: datetime | None) -> list[Any]:
        """The rows of the feed's newest stories, newest first, ties broken by URL (see `feed_stories`)."""
        return self.db.execute(
            "SELECT s.data, s.first_seen, s.content_hash, s.revised_at, s.url FROM stories s "
            "JOIN feed_stories f ON f.url = s.url WHERE f.feed_id = ? AND s.sort_date >= ? "
            "ORDER BY s.sort_date DESC, s.url DESC LIMIT ?",
            (feed_id, utc_iso(since) if since else "", limit),
        ).fetchall()

    @serialized
    def feed_digest(self, feed_id: str, limit: int, since: datetime | None = None) -> str:
        """A digest of everything `feed_stories` would give for the same arguments, without decoding it."""
        digest = hashlib.sha256()
        for row in self._feed_rows(feed_id, limit, since):
            for value in row:
                digest.update(b"\x00" if value is None else str(value).encode())
                digest.update(b"\x1f")
            digest.update(b"\x1e")
        return digest.hexdigest()

    @serialized
    def rendered(self, feed_id: str) -> tuple[str, int] | None:
        """The key of the feed's last rendered files and how many entries they carry."""
        row = self.db.execute("SELECT key, entries FROM rendered WHERE feed_id = ?", (feed_id,)).fetchone()
        return (row[0], row[1]) if row else None

    @serialized
    def save_rendered(self, feed_id: str, key: str, entries: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO rendered (feed_id, key, entries) VALUES (?, ?, ?)",
            (feed_id, key, entries),
        )
