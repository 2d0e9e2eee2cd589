"""Pages enter parsing while the text in parse fits the budget; a page over the whole budget goes alone."""

from __future__ import annotations

import threading
import time

from feedgen_app.extraction.parse_budget import ParseBudget


def _overlap(budget: ParseBudget, sizes: list[int]) -> int:
    """The most holders inside at once when every size asks at the same moment."""
    inside, peak, lock = 0, 0, threading.Lock()

    def one(size: int) -> None:
        nonlocal inside, peak
        with budget.hold(size):
            with lock:
                inside += 1
                peak = max(peak, inside)
            time.sleep(0.05)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=one, args=(s,)) for s in sizes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert not any(t.is_alive() for t in threads), "a holder never got in"
    return peak


def test_small_pages_pass_side_by_side() -> None:
    assert _overlap(ParseBudget(1000), [100] * 8) == 8


def test_big_pages_wait_for_each_other() -> None:
    assert _overlap(ParseBudget(1000), [600, 600, 600]) == 1


def test_a_page_over_the_whole_budget_is_parsed_alone_not_refused() -> None:
    assert _overlap(ParseBudget(1000), [5000, 5000]) == 1
