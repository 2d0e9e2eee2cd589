"""When the daemon polls a feed: once in each of its slots, at the feed's own moment of the slot.

A feed's slots are its `every` periods counted from the epoch (by the shared store's clock when workers
share one: the same slots the leases are claimed for). Each feed has a fixed phase in its slot, worked out
from its id, so the polls of many feeds spread over the period instead of bunching at one moment, and every
worker of a cluster fires a feed at the same moment: one of them claims the slot, the others find it taken.
A slot is polled once: the first poll of a run (at once, at start) counts as its slot's, and the next one
comes in the next slot, never twice in one. This replaces an interval with random jitter, which let two
polls fall in one slot and none in the next.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger

EDGE = 0.05  # no phase within this share of a slot's ends: a worker's clock a little off stays in the slot


def phase_of(feed_id: str, every: float) -> float:
    """Seconds into each slot at which the feed is polled: spread over the slot by the feed's id, the same
    on every worker and every run."""
    share = zlib.crc32(feed_id.encode()) / 2**32
    return every * (EDGE + (1 - 2 * EDGE) * share)


def next_poll(every: float, phase: float, after: datetime, offset: float = 0.0) -> datetime:
    """The feed's poll time in the first slot after the one `after` falls in (`offset`: the slots' clock
    less this machine's, in seconds)."""
    slot = math.floor((after.timestamp() + offset) / every) + 1
    return datetime.fromtimestamp(slot * every + phase - offset, UTC)


class SlotTrigger(BaseTrigger):  # type: ignore[misc]  # APScheduler 3 ships no types
    """An APScheduler trigger firing once per slot at the feed's phase (see the module's note)."""

    def __init__(self, every: float, phase: float, offset: Callable[[], float] = lambda: 0.0) -> None:
        self.every, self.phase, self.offset = every, phase, offset

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime:
        offset = self.offset()
        if previous_fire_time is not None:
            return next_poll(self.every, self.phase, previous_fire_time, offset)
        # no fire yet: this slot's moment if it is still to come, else the next slot's
        following = next_poll(self.every, self.phase, now, offset)
        this = following - timedelta(seconds=self.every)
        return this if this >= now else following

    def __str__(self) -> str:
        return f"slot[every {self.every:g}s at {self.phase:.1f}s]"
