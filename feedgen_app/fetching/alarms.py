"""Alarms: actions run at a time (on `time.monotonic`) unless cancelled first, all from one thread.

Each request of a poll sets one (the watchdog that cuts a request outliving its time, `http.Fetcher`) and
nearly every one is cancelled when its answer comes. A `threading.Timer` per request started a thread per
request: thousands in a cold build of many feeds, hundreds in a quiet poll. Here one thread serves them
all while any is pending, and ends a second after none is (so an idle fetcher holds no thread).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)
LINGER = 1.0  # seconds the thread waits for a new alarm before it ends


class Alarms:
    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []
        self._pending: dict[int, Callable[[], None]] = {}
        self._numbers = itertools.count()
        self._running = False

    def at(self, when: float, action: Callable[[], None]) -> int:
        """Run `action` at `when` (a `time.monotonic()` value) unless `cancel` comes first; its number."""
        with self._cond:
            number = next(self._numbers)
            self._pending[number] = action
            heapq.heappush(self._heap, (when, number))
            if not self._running:
                self._running = True
                threading.Thread(target=self._serve, name="feedgen-alarms", daemon=True).start()
            elif self._heap[0][1] == number:
                self._cond.notify()  # sooner than what the thread waits for
            return number

    def cancel(self, number: int) -> None:
        """The action will not run (unless it already is running)."""
        with self._cond:
            self._pending.pop(number, None)
            if not self._pending:
                self._heap.clear()
                self._cond.notify()  # the thread stops waiting for a cancelled time

    def _serve(self) -> None:
        with self._cond:
            while True:
                while self._heap and self._heap[0][1] not in self._pending:
                    heapq.heappop(self._heap)  # cancelled
                if not self._heap:  # idle: a poll's next request usually comes within the second
                    self._cond.wait(LINGER)
                    if self._heap:
                        continue
                    self._running = False
                    return
                when, number = self._heap[0]
                wait = when - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
                action = self._pending.pop(number)
                self._cond.release()
                try:
                    action()
                except Exception:  # one failed action must not stop the alarms after it
                    log.exception("an alarm's action failed")
                finally:
                    self._cond.acquire()
