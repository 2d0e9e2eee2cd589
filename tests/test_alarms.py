"""The one thread that cuts requests outliving their time (fetching/alarms.py)."""

from __future__ import annotations

import threading
import time

from feedgen_app.fetching.alarms import Alarms


def _alarm_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "feedgen-alarms")


def test_alarms_run_in_time_order_and_cancelled_ones_never() -> None:
    alarms = Alarms()
    ran: list[str] = []
    done = threading.Event()
    start = time.monotonic()
    alarms.at(start + 0.30, lambda: (ran.append("late"), done.set()))
    alarms.at(start + 0.10, lambda: ran.append("soon"))
    cancelled = alarms.at(start + 0.05, lambda: ran.append("cancelled"))
    alarms.cancel(cancelled)
    assert done.wait(5)
    assert ran == ["soon", "late"]
    assert time.monotonic() - start >= 0.30


def test_a_failing_action_does_not_stop_the_others() -> None:
    alarms = Alarms()
    done = threading.Event()

    def fail() -> None:
        raise RuntimeError("boom")

    now = time.monotonic()
    alarms.at(now, fail)
    alarms.at(now + 0.05, done.set)
    assert done.wait(5)


def test_no_thread_is_left_once_nothing_is_pending() -> None:
    before = _alarm_threads()
    alarms = Alarms()
    numbers = [alarms.at(time.monotonic() + 60, lambda: None) for _ in range(100)]
    assert _alarm_threads() == before + 1, "one thread for all of them, not one each"
    for n in numbers:
        alarms.cancel(n)
    deadline = time.monotonic() + 5
    while _alarm_threads() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _alarm_threads() == before
    fired = threading.Event()
    alarms.at(time.monotonic(), fired.set)  # and the next alarm starts one again
    assert fired.wait(5)
