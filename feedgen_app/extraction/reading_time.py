"""A page's reading time, bounded by its size: markup that costs more than READ_BASE_S plus READ_PER_MB_S a
megabyte to parse and read fails alone, named, whatever its shape. Nested markup is cut back before it is
parsed (nesting.py), so a page should never come near it: on this machine a real page takes 15 ms at the
median and a 2 MB page of 150,000 unclosed `<div>`s 4 s. The budget is the net under what is not foreseen.
The clock is injected (time.monotonic by default)."""

from __future__ import annotations

import time
from collections.abc import Callable

from feedgen_app.errors import ExtractError

READ_BASE_S = 3.0
READ_PER_MB_S = 5.0


class ReadingTime:
    def __init__(self, url: str, size: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self.size = size
        self.clock = clock
        self.budget = READ_BASE_S + READ_PER_MB_S * size / 1_000_000
        self.until = clock() + self.budget

    def check(self, stage: str) -> None:
        """Raise ExtractError, naming the page, its size and the stage, once the budget has passed."""
        if self.clock() > self.until:
            raise ExtractError(
                self.url,
                f"reading this page took over {self.budget:.1f}s (its budget for {self.size // 1000} KB of "
                f"markup), at {stage}: markup that costs too much to read; left out",
            )
