"""Feed health: each poll's report folded into the store, and `status.json` written next to the feeds
(last attempt, last success, consecutive failures, last error, counts, which fields came from fallbacks)."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from feedgen_app import __version__
from feedgen_app.config import Config
from feedgen_app.records import FeedReport, LearnedSelector
from feedgen_app.storage.open_store import open_store
from feedgen_app.storage.store import Store
from feedgen_app.wording import count, noun


class FeedState(StrEnum):
    """A feed's health, as status.json, `status`, /healthz and the index say it (the value is the word)."""

    HEALTHY = "healthy"
    ATTENTION = "needs attention"  # published, but from fallbacks, or with stories failed or cut
    FAILING = "failing"  # held: nothing published by this poll
    BLOCKED = "blocked"  # held, because the site refused us
    PENDING = "pending"  # not polled yet: nothing is known of it, good or bad


HEALTHY, ATTENTION, FAILING, BLOCKED, PENDING = (
    FeedState.HEALTHY,
    FeedState.ATTENTION,
    FeedState.FAILING,
    FeedState.BLOCKED,
    FeedState.PENDING,
)
NOT_POLLED = "not polled yet"
SITE_FILES, STATUS_FILE = "site files", "status.json"  # the store's notes of files not written


def classify(report: FeedReport) -> tuple[FeedState, str]:
    """One of four states, and why, in words for a person: healthy; needs attention (published, but from
    fallbacks, or some stories failed or were cut); failing (held: nothing published by this poll);
    blocked (held, because the site refused us: blocked.py)."""
    if report.blocked:  # held, because the site refused us: nothing in the profile to fix
        return BLOCKED, report.reason
    if report.held:
        return FAILING, report.reason or "held"
    if not report.ok:
        return ATTENTION, report.reason
    if report.failed:
        return (
            ATTENTION,
            f"{count(report.failed, 'story')} failed and {noun(report.failed, 'was')} left out, the first: "
            f"{report.first_failure}",
        )
    if report.cut:
        return (
            ATTENTION,
            f"{count(report.cut, 'story')} {noun(report.cut, 'was')} cut to the feed's max_story_kb (see last_poll.errors)",
        )
    return HEALTHY, report.reason or "OK"


def state_of(data: dict[str, Any]) -> tuple[FeedState, str]:
    """A feed's state and why, from its status record (records written before states existed, or by a
    newer version with a state this one does not know, read as failing)."""
    if not data:
        return PENDING, NOT_POLLED
    if "state" in data:
        try:
            return FeedState(data["state"]), str(data.get("why") or "")
        except ValueError:
            return FAILING, str(data.get("why") or data["state"])
    if data.get("healthy"):
        return HEALTHY, "OK"
    return FAILING, str(data.get("last_error") or "failing")


def record_status(
    store: Store, report: FeedReport, now: datetime, worker: str | None = None
) -> dict[str, Any]:
    """Record a poll's outcome as the feed's status (`worker`: which worker of a cluster polled it)."""
    old = store.feed_status(report.feed_id)
    # a poll that published (even from fallbacks, with attention needed) is a success: only a held poll
    # counts as a failure and leaves the last success where it was
    failures = 0 if not report.held else int(old.get("consecutive_failures", 0)) + 1
    state, why = classify(report)
    if report.listing_unchanged and report.ok and old.get("state") and not old.get("held"):
        # a 304: nothing was looked at again, so what the last real poll found (its state and why, fields
        # from fallbacks, learned selectors) still stands; what this poll adds is when, and its note
        seen = {
            "last_attempt": now.isoformat(),
            "last_success": now.isoformat(),
            "note": report.reason or None,
        }
        polled = {**old.get("last_poll", {}), "worker": worker} if worker else old.get("last_poll", {})
        return _save(store, report.feed_id, {**old, **seen, "last_poll": polled})
    data = {
        "state": state,
        "why": why,
        "last_attempt": now.isoformat(),
        "last_success": now.isoformat() if not report.held else old.get("last_success"),
        "last_published": now.isoformat() if not report.held else old.get("last_published"),
        "consecutive_failures": failures,
        "healthy": state == HEALTHY,
        "held": report.held,
        "last_error": report.reason if not report.ok else None,
        "last_error_at": now.isoformat() if not report.ok else old.get("last_error_at"),
        "note": report.reason if report.ok and report.reason else None,
        "profile_matches": report.profile_matches,
        "entries_published": old.get("entries_published", 0) if report.held else report.entries,
        "fields_from_fallbacks": list(report.fallback_fields),
        "field_sources": _nested(report.field_sources)
        if report.field_sources
        else old.get("field_sources", {}),
        "repair": _repair(report, old),
        "last_poll": {
            "listed": report.listed,
            "new": report.new,
            "revised": report.revised,
            "failed": report.failed,
            "unchanged": report.unchanged,
            "cut": report.cut,
            "filtered": report.filtered,
            "bugs": report.bugs,
            "refused": report.refused,
            "failed_by": dict(report.failed_by),
            "duration_s": round(report.duration_s, 3),
            "errors": list(report.errors[:20]),
            **({"worker": worker} if worker else {}),
        },
    }
    return _save(store, report.feed_id, data)


def _save(store: Store, feed_id: str, data: dict[str, Any]) -> dict[str, Any]:
    store.save_feed_status(feed_id, data)
    return data


def _selector(item: LearnedSelector, why: str | None = None) -> dict[str, Any]:
    return {
        "field": item.field,
        "selector": item.selector,
        "stories": item.stories,
        "learned_at": item.learned_at.isoformat() if item.learned_at else None,
        "why": why or item.why,
    }


def _repair(report: FeedReport, old: dict[str, Any]) -> dict[str, Any] | None:
    """Selectors learned from the fallbacks: offered (with the TOML patch), in use, dropped. A poll that
    extracted nothing keeps what the last one said."""
    repair = report.repair
    if repair is None or not (report.new or report.revised or repair.worth_saying):
        held: dict[str, Any] | None = old.get("repair")
        return held
    if not repair.worth_saying:
        return None
    return {
        "mode": repair.mode,
        "learned": [_selector(x) for x in repair.learned],
        "in_use": [_selector(x) for x in repair.in_use],
        "dropped": [_selector(x, why) for x, why in repair.dropped],
        "patch": repair.patch,
    }


def repair_lines(data: dict[str, Any]) -> list[str]:
    """What `feedgen-app status` says of a feed's learned selectors."""
    repair = data.get("repair") or {}
    lines = []
    for item in repair.get("in_use", []):
        lines.append(
            f"in use since {item['learned_at']}: {item['field']} = `{item['selector']}` ({item['why']})"
        )
    if repair.get("mode") != "apply":
        lines += [
            f"learned: {x['field']} = `{x['selector']}` ({x['why']})" for x in repair.get("learned", [])
        ]
    lines += [f"dropped: {x['field']} = `{x['selector']}`: {x['why']}" for x in repair.get("dropped", [])]
    if repair.get("patch") and repair.get("mode") != "apply":
        lines.append('to use them, paste into feeds.toml (or set repair = "apply" for the site):')
        lines += ["    " + line for line in repair["patch"].splitlines()]
    return lines


def _nested(rows: tuple[tuple[str, str, int], ...]) -> dict[str, dict[str, int]]:
    """{"title": {"profile": 11}, "updated": {"profile": 9, "json-ld": 2}}: where each field came from."""
    out: dict[str, dict[str, int]] = {}
    for field, source, n in rows:
        out.setdefault(field, {})[source] = n
    return out


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
                "state": PENDING,
                "why": NOT_POLLED,
                "note": NOT_POLLED,
            }
        )
    doc = {"generator": f"feedgen-app {__version__}", "generated": now.isoformat(), "feeds": feeds}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def status_table(config: Config, markdown: bool = False) -> tuple[str, bool]:
    """Every feed's health as a person reads it; (text, all healthy). Read from the state store, where every
    poll is recorded even when the output folder (and so status.json) could not be written."""
    if not config.state_url and not config.state_path.exists():
        return f"No status yet: no build has run (the state store {config.state_path} is missing).", False
    store = open_store(config)
    try:
        records = {feed.id: store.feed_status(feed.id) for feed in config.feeds}
        notes = store.site_notes()
    finally:
        store.close()
    rows = []
    healthy = not notes
    for feed in config.feeds:
        data = records[feed.id]
        state, why = state_of(data)
        healthy &= state == HEALTHY
        poll = data.get("last_poll", {})
        said = state.upper()
        if data.get("held"):
            kept = "last good feed kept" if data.get("last_published") else "nothing published yet"
            said = f"{said} (held, {kept})"
        detail = "" if why == "OK" else why
        counts = f"{poll.get('new', 0)} new, {poll.get('revised', 0)} revised, {poll.get('failed', 0)} failed"
        if poll.get("worker"):  # workers sharing the store: which one polled it last
            counts += f", by {poll['worker']}"
        if poll.get("filtered") or feed.include or feed.exclude:
            counts += f", {poll.get('filtered', 0)} filtered"
        if not markdown:
            detail = "\n".join(filter(None, [detail, *repair_lines(data)]))
        rows.append((feed.id, said, str(data.get("last_success") or "never"), counts, detail))
    problems = [f"{text} ({at:%Y-%m-%d %H:%M} UTC)" for text, at in notes.values()]
    if markdown:
        lines = [
            "### feedgen-app build",
            "",
            *[f"**Not written:** {p}" for p in problems],
            *([""] if problems else []),
            "| feed | state | last success | last poll | note |",
            "|---|---|---|---|---|",
        ]
        lines += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4].replace('|', '/')} |" for r in rows]
    else:
        lines = [f"NOT WRITTEN: {p}" for p in problems] + [
            f"{r[0]:<20} {r[1]:<16} last success {r[2]:<26} {r[3]}"
            + "".join(f"\n{'':<20} {line}" for line in r[4].splitlines())
            for r in rows
        ]
    return "\n".join(lines), healthy
