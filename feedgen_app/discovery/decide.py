"""The decider: which stories to fetch on this poll. Pure: handed the refs, what the store knows, and now.

A story is fetched when it is new; when its listing entry changed (a new headline hints at a revision);
or, conditionally (ETag / Last-Modified), when it is younger than the refresh window and was last
fetched more than `min_interval` ago. Everything else is left alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from feedgen_app.records import StoryRef


@dataclass(frozen=True)
class FetchPlan:
    ref: StoryRef
    reason: str  # "new", "listing changed", "refresh"
    etag: str | None = None
    last_modified: str | None = None


def decide(
    refs: Sequence[StoryRef],
    known: Mapping[str, Mapping[str, Any]],
    now: datetime,
    refresh_window: timedelta = timedelta(hours=48),
    min_interval: timedelta = timedelta(hours=1),
) -> list[FetchPlan]:
    plans = []
    for ref in refs:
        seen = known.get(ref.url)
        if seen is None:
            plans.append(FetchPlan(ref, "new"))
            continue
        if ref.listing_text and seen.get("listing_text") and ref.listing_text != seen["listing_text"]:
            plans.append(FetchPlan(ref, "listing changed"))
            continue
        published = seen.get("published")
        fetched = seen.get("fetched_at")
        young = published is not None and now - published < refresh_window
        stale = fetched is None or now - fetched >= min_interval
        if young and stale:
            plans.append(FetchPlan(ref, "refresh", seen.get("etag"), seen.get("last_modified")))
    return plans


def limit_new(plans: Sequence[FetchPlan], most: int) -> tuple[list[FetchPlan], int]:
    """At most `most` new stories in one poll, in listing order (newest first on news sites): a listing of
    50,000 links publishes its first stories on the first poll and the rest follow poll by poll. Returns the
    plans kept and how many new stories wait for a later poll. Refreshes and revisions are never held back."""
    kept, new, waiting = [], 0, 0
    for plan in plans:
        if plan.reason == "new":
            new += 1
            if new > most:
                waiting += 1
                continue
        kept.append(plan)
    return kept, waiting
