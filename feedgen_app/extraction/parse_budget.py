"""How much page text is being parsed at once, across every feed of the process.

Parsing a page costs about twenty times its size in memory for a moment (the HTML5 tree, the lxml tree,
the cleaned copy), and with the GIL, parsing more pages at once is not faster. So pages enter parsing
while the text in parse stays under a budget: a 4 MB page waits for the others to finish, small pages
pass side by side, and a page larger than the whole budget is parsed alone.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

PARSE_BUDGET = 6_000_000  # characters of page text in parse at once (about 130 MB at the peak)


class ParseBudget:
    def __init__(self, total: int = PARSE_BUDGET) -> None:
        self.total = total
        self._used = 0
        self._ready = threading.Condition()

    @contextmanager
    def hold(self, size: int) -> Iterator[None]:
        """Wait until `size` characters fit (a page over the whole budget waits until nothing else is
        parsing), hold them while the block runs."""
        need = min(size, self.total)
        with self._ready:
            self._ready.wait_for(lambda: self._used + need <= self.total)
            self._used += need
        try:
            yield
        finally:
            with self._ready:
                self._used -= need
                self._ready.notify_all()


SHARED = ParseBudget()  # one per process: the daemon's concurrent polls share it
