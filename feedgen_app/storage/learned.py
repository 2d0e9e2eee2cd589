"""Selectors the repair stage learned, per site and field, with when and why: used ahead of the profile's
own when the site has `repair = "apply"`, listed by `feedgen-app status`, dropped by `feedgen-app repair
--reset SITE` or when a poll finds them disagreeing with the fallbacks. Part of the Store (a mixin)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from datetime import datetime

from feedgen_app.records import LearnedSelector
from feedgen_app.storage.serialized import serialized


class LearnedRows:
    db: sqlite3.Connection
    _lock: threading.RLock

    @serialized
    def learned(self, site: str | None = None) -> list[LearnedSelector]:
        """The learned selectors of one site (or of every site), by site and field."""
        columns = "SELECT site, field, selector, stories, learned_at, why FROM learned"
        if site is None:
            rows = self.db.execute(f"{columns} ORDER BY site, field").fetchall()
        else:
            rows = self.db.execute(f"{columns} WHERE site = ? ORDER BY field", (site,)).fetchall()
        return [
            LearnedSelector(s, f, sel, n, datetime.fromisoformat(at), why) for s, f, sel, n, at, why in rows
        ]

    @serialized
    def save_learned(self, items: Iterable[LearnedSelector]) -> None:
        """Keep learned selectors, each replacing what was learned before for its site and field."""
        for item in items:
            when = (item.learned_at or datetime.now().astimezone()).isoformat()
            self.db.execute(
                "INSERT OR REPLACE INTO learned (site, field, selector, stories, learned_at, why) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (item.site, item.field, item.selector, item.stories, when, item.why),
            )

    @serialized
    def drop_learned(self, site: str, fields: Iterable[str] | None = None) -> int:
        """Forget a site's learned selectors (those of `fields`, or all). Returns how many went."""
        if fields is None:
            return int(self.db.execute("DELETE FROM learned WHERE site = ?", (site,)).rowcount)
        return sum(
            self.db.execute("DELETE FROM learned WHERE site = ? AND field = ?", (site, f)).rowcount
            for f in fields
        )
