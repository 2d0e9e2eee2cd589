"""When the daemon polls a feed: once in each `every` period of the clock, at a moment fixed by the feed's
id, the same on every worker; never twice in one period and never none."""

from __future__ import annotations

import itertools
import math
import statistics
from datetime import UTC, datetime, timedelta

from feedgen_app.running.slots import SlotTrigger, next_poll, phase_of


def _fires(trigger: SlotTrigger, first: datetime, n: int) -> list[datetime]:
    times = [first]
    for _ in range(n):
        times.append(trigger.get_next_fire_time(times[-1], times[-1]))
    return times


def test_a_feed_is_polled_once_in_every_slot_at_its_own_moment() -> None:
    every = 60.0
    phase = phase_of("north-korea", every)
    start = datetime(2026, 12, 6, 21, 0, 41, 500_000, tzinfo=UTC)  # first poll at once, mid-slot
    fires = _fires(SlotTrigger(every, phase), start, 30)
    slots = [math.floor(t.timestamp() / every) for t in fires]
    assert slots == list(range(slots[0], slots[0] + 31)), "one poll in each slot, none skipped"
    assert all(abs(t.timestamp() % every - phase) < 1e-6 for t in fires[1:])
    gaps = {round((b - a).total_seconds(), 6) for a, b in itertools.pairwise(fires[1:])}
    assert gaps == {every}


def test_the_first_poll_s_slot_is_not_polled_again() -> None:
    every = 600.0
    phase = phase_of("world", every)
    slot_start = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
    before_its_moment = slot_start + timedelta(seconds=phase / 2)
    following = SlotTrigger(every, phase).get_next_fire_time(before_its_moment, before_its_moment)
    assert following == slot_start + timedelta(seconds=every + phase)


def test_without_a_poll_yet_the_trigger_fires_at_this_slot_s_moment_when_it_is_to_come() -> None:
    every = 60.0
    phase = phase_of("sports", every)
    slot_start = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
    trigger = SlotTrigger(every, phase)
    early = slot_start + timedelta(seconds=phase - 1)
    assert trigger.get_next_fire_time(None, early) == slot_start + timedelta(seconds=phase)
    late = slot_start + timedelta(seconds=phase + 1)
    assert trigger.get_next_fire_time(None, late) == slot_start + timedelta(seconds=every + phase)


def test_the_slots_are_the_shared_store_s_whatever_this_machine_s_clock_says() -> None:
    """A worker whose clock is 4 s behind the server fires at the same server moment as one whose clock
    is right, so the two race for one slot instead of polling two."""
    every = 60.0
    phase = phase_of("north-korea", every)
    server_now = datetime(2026, 12, 6, 21, 0, 10, tzinfo=UTC)
    right = next_poll(every, phase, server_now)
    behind = next_poll(every, phase, server_now - timedelta(seconds=4), offset=4.0)
    assert behind + timedelta(seconds=4) == right


def test_many_feeds_spread_over_the_period_and_keep_off_its_edges() -> None:
    every = 60.0
    phases = [phase_of(f"feed-{n}", every) for n in range(1000)]
    assert min(phases) >= 0.05 * every and max(phases) <= 0.95 * every
    per_ten_seconds = [sum(1 for p in phases if k * 10 <= p < (k + 1) * 10) for k in range(6)]
    inner = per_ten_seconds[1:5]  # the outer two hold half a bucket's worth less: the edges are kept off
    assert max(inner) < 1.3 * statistics.mean(inner), per_ten_seconds
    assert phase_of("feed-1", every) == phase_of("feed-1", every), "the same on every worker and run"
