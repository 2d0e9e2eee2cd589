"""How much page text is being parsed at once, across every feed of the process.

Parsing a page costs about twenty times its size in memory for a moment (the HTML5 tree, the lxml tree,
the cleaned copy), and with the GIL, parsing more pages at once is not faster. So pages enter parsing
while the text in parse stays under a budget: a 4 MB page waits for the others to finish, small pages
pass side by side, and a page larger than the whole budget is parsed alone.

Memory freed after a big page stays with the process on glibc: each thread allocates from an arena of its
own, and a freed arena is kept for that thread. Three listings of 100,000 links parsed one after another
by three threads held 500 MB that way, though what was alive at any moment was a third of it. After a page
over TRIM_AFTER characters, the freed memory is handed back (`malloc_trim`, where the C library has it).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PARSE_BUDGET = 6_000_000  # characters of page text in parse at once (about 130 MB at the peak)
TRIM_AFTER = 1_000_000  # characters: after parsing a page this big, freed memory goes back to the system


@functools.cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def give_back_memory() -> None:
    """Hand the memory the process freed back to the system (glibc's malloc_trim; elsewhere nothing)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


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
            if size > TRIM_AFTER:
                give_back_memory()


SHARED = ParseBudget()  # one per process: the daemon's concurrent polls share it
