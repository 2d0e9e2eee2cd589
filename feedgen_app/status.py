"""Feed health: each poll's report folded into the store, and `status.json` written next to the feeds
(last attempt, last success, consecutive failures, last error, counts, which fields came from fallbacks)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from feedgen_app import __version__
from feedgen_app.config import Config
from feedgen_app.records import FeedReport
from feedgen_app.store import Store


def record_status(store: Store, report: FeedReport, now: datetime) -> dict[str, Any]:
    old = store.feed_status(report.feed_id)
    failures = 0 if report.ok else int(old.get("consecutive_failures", 0)) + 1
    data = {
        "last_attempt": now.isoformat(),
        "last_success": now.isoformat() if report.ok else old.get("last_success"),
        "last_published": now.isoformat() if not report.held else old.get("last_published"),
        "consecutive_failures": failures,
        "healthy": report.ok,
        "held": report.held,
        "last_error": report.reason if not report.ok else None,
        "last_error_at": now.isoformat() if not report.ok else old.get("last_error_at"),
        "note": report.reason if report.ok and report.reason else None,
        "profile_matches": report.profile_matches,
        "fields_from_fallbacks": list(report.fallback_fields),
        "last_poll": {
            "listed": report.listed,
            "new": report.new,
            "revised": report.revised,
            "failed": report.failed,
            "unchanged": report.unchanged,
            "duration_s": round(report.duration_s, 3),
            "errors": list(report.errors[:20]),
        },
    }
    store.save_feed_status(report.feed_id, data)
    return data


def health(store: Store, feed_id: str) -> tuple[bool, str]:
    """(healthy, a sentence for a person)."""
    data = store.feed_status(feed_id)
    if not data:
        return False, "not polled yet"
    if data.get("healthy"):
        return True, "OK"
    return False, str(data.get("last_error") or "failing")


def status_json(config: Config, store: Store, now: datetime) -> bytes:
    feeds = {}
    for feed in config.feeds:
        data = store.feed_status(feed.id)
        feeds[feed.id] = (
            {"title": feed.title, "listing": feed.listing, "site": feed.site, **data}
            if data
            else {
                "title": feed.title,
                "listing": feed.listing,
                "site": feed.site,
                "healthy": False,
                "note": "not polled yet",
            }
        )
    doc = {"generator": f"feedgen-app {__version__}", "generated": now.isoformat(), "feeds": feeds}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
