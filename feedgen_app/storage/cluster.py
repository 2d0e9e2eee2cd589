"""What workers sharing one PostgreSQL store agree on: who polls a feed for a slot (a lease), and when a host
may be asked next (its turn), by the server's clock, so that workers whose own clocks disagree by seconds
still agree.

A feed's slot is its `every` period counted from the epoch by the server's clock. A worker polls a feed only
after claiming its slot: the claim is one statement, so of any number of workers exactly one gets a slot. The
lease lasts `lease` seconds and the worker renews it while it polls; a worker that dies (killed, powered off,
cut off) stops renewing, and when the lease has expired another worker takes the feed (the next one to look:
every worker sweeps for expired leases every half lease). A poll keeps the listing it read with its lease,
so a worker that takes over a slot goes on from it instead of asking the site for the listing again: one
listing request per slot, even across a kill. A host's turn is the time its next request may
start, pushed by `min_delay` at each request and by a `Retry-After` back-off, for the whole cluster; and its
`max_per_host` request slots are the cluster's too: rows freed at once when their worker's connection goes
(a killed worker), and held at the most for the longest a request may take, so a worker that stalls or
loses power holding one (its connection may stay open for hours) frees it by then.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

CLUSTER_TABLES = """
CREATE TABLE IF NOT EXISTS poll_leases (
    feed_id TEXT PRIMARY KEY,
    slot BIGINT NOT NULL,
    worker TEXT NOT NULL,
    expires TIMESTAMPTZ NOT NULL,
    done BOOLEAN NOT NULL,
    polls BIGINT NOT NULL DEFAULT 0
);
ALTER TABLE poll_leases ADD COLUMN IF NOT EXISTS listed_slot BIGINT;
ALTER TABLE poll_leases ADD COLUMN IF NOT EXISTS listed TEXT;
CREATE TABLE IF NOT EXISTS host_turns (
    host TEXT PRIMARY KEY,
    next_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS host_slots (
    host TEXT NOT NULL,
    slot INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    expires TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (host, slot)
)
"""

_CLAIM = """
INSERT INTO poll_leases AS l (feed_id, slot, worker, expires, done, polls)
VALUES (?, floor(extract(epoch FROM clock_timestamp()) / ?)::bigint, ?,
        clock_timestamp() + make_interval(secs => ?), false, 1)
ON CONFLICT (feed_id) DO UPDATE
SET slot = excluded.slot, worker = excluded.worker, expires = excluded.expires, done = false, polls = l.polls + 1
WHERE (l.slot < excluded.slot AND (l.done OR l.expires < clock_timestamp()))
   OR (l.slot = excluded.slot AND NOT l.done AND l.expires < clock_timestamp())
RETURNING slot
"""
_RENEW = """
UPDATE poll_leases SET expires = clock_timestamp() + make_interval(secs => ?)
WHERE feed_id = ? AND slot = ? AND worker = ? AND NOT done AND expires >= clock_timestamp()
"""
_KEEP_LISTED = """
UPDATE poll_leases SET listed_slot = slot, listed = ?
WHERE feed_id = ? AND slot = ? AND worker = ? AND NOT done
"""
_LISTED = "SELECT listed FROM poll_leases WHERE feed_id = ? AND listed_slot = ? AND slot = ?"
_FINISH = "UPDATE poll_leases SET done = true WHERE feed_id = ? AND slot = ? AND worker = ?"
_ORPHANED = "SELECT feed_id FROM poll_leases WHERE NOT done AND expires < clock_timestamp() ORDER BY feed_id"
_TURN = """
INSERT INTO host_turns AS t (host, next_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))
ON CONFLICT (host) DO UPDATE SET next_at = greatest(t.next_at, clock_timestamp()) + make_interval(secs => ?)
RETURNING extract(epoch FROM (t.next_at - clock_timestamp()))
"""
_TRY_SLOT = """
INSERT INTO host_slots AS s (host, slot, pid, expires)
VALUES (?, ?, pg_backend_pid(), clock_timestamp() + make_interval(secs => ?))
ON CONFLICT (host, slot) DO UPDATE SET pid = excluded.pid, expires = excluded.expires
WHERE s.expires < clock_timestamp() OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = s.pid)
RETURNING slot
"""
_FREE_SLOT = (
    "UPDATE host_slots SET expires = clock_timestamp() WHERE host = ? AND slot = ? AND pid = pg_backend_pid()"
)
_HOLD = """
INSERT INTO host_turns AS t (host, next_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))
ON CONFLICT (host) DO UPDATE SET next_at = greatest(t.next_at, excluded.next_at)
"""


class Statements(Protocol):
    """The shared store's statements, one thread at a time, the server's errors as StoreError."""

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]: ...

    def change(self, sql: str, params: tuple[object, ...] = ()) -> int: ...


class Leases:
    """The lease statements, on the shared store's connection."""

    def __init__(self, store: Statements) -> None:
        self.store = store

    def claim(self, feed_id: str, every: float, worker: str, lease: float) -> int | None:
        """This worker's slot of the feed, or None when another worker has it (or had it: done)."""
        rows = self.store.query(_CLAIM, (feed_id, every, worker, lease))
        return int(rows[0][0]) if rows else None

    def renew(self, feed_id: str, slot: int, worker: str, lease: float) -> bool:
        """Extend the lease; False when it was lost (expired, and perhaps taken by another worker)."""
        return bool(self.store.change(_RENEW, (lease, feed_id, slot, worker)))

    def finish(self, feed_id: str, slot: int, worker: str) -> None:
        self.store.change(_FINISH, (feed_id, slot, worker))

    def keep_listed(self, feed_id: str, slot: int, worker: str, listed: str) -> None:
        """Keep the listing this worker read for the slot with its lease, for a worker that takes over."""
        self.store.change(_KEEP_LISTED, (listed, feed_id, slot, worker))

    def listed(self, feed_id: str, slot: int) -> str | None:
        """The listing read for this slot by a worker that then stopped, if it kept one."""
        rows = self.store.query(_LISTED, (feed_id, slot, slot))
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def polled_lately(self, feed_id: str, every: float) -> bool:
        """Whether the cluster polled the feed in its current or previous slot, or polls it now (a worker that
        joins leaves it to its moment instead of polling it at once; a poll whose worker died is no poll)."""
        rows = self.store.query(
            "SELECT slot >= floor(extract(epoch FROM clock_timestamp()) / ?)::bigint - 1 "
            "AND (done OR expires >= clock_timestamp()) FROM poll_leases WHERE feed_id = ?",
            (every, feed_id),
        )
        return bool(rows and rows[0][0])

    def orphaned(self) -> list[str]:
        """Feeds whose poll's worker stopped renewing its lease before the poll was done."""
        return [str(row[0]) for row in self.store.query(_ORPHANED)]

    def clock_offset(self) -> float:
        """The server's clock less this machine's, in seconds (the slots are the server's)."""
        before = time.time()
        rows = self.store.query("SELECT extract(epoch FROM clock_timestamp())")
        after = time.time()
        return float(rows[0][0]) - (before + after) / 2 if rows else 0.0

    def polls(self, feed_id: str) -> int:
        rows = self.store.query("SELECT polls FROM poll_leases WHERE feed_id = ?", (feed_id,))
        return int(rows[0][0]) if rows else 0


class HostTurns:
    """When each host may be asked next, for every worker of the cluster."""

    def __init__(self, store: Statements) -> None:
        self.store = store

    def take(self, host: str, min_delay: float) -> float:
        """Take the host's next turn: the seconds to wait before this request may start."""
        rows = self.store.query(_TURN, (host, min_delay, min_delay))
        return max(0.0, float(rows[0][0]) - min_delay) if rows else 0.0

    def hold(self, host: str, seconds: float) -> None:
        """No request to the host from any worker for `seconds` (its Retry-After)."""
        self.store.change(_HOLD, (host, seconds))

    def acquire(self, host: str, limit: int, held: set[int], seconds: float) -> int | None:
        """One of the host's `limit` request slots for the whole cluster, held for `seconds` at the most (the
        longest a request may take: a worker that stalls holding it frees it by then; one whose connection
        is gone, at once), skipping those this worker holds already (`held`); None when all are taken."""
        for slot in range(limit):
            if slot not in held and self.store.query(_TRY_SLOT, (host, slot, seconds)):
                return slot
        return None

    def release(self, host: str, slot: int) -> None:
        self.store.change(_FREE_SLOT, (host, slot))
