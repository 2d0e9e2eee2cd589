"""The loop `extract` and `discover` share: each input (a saved page or a URL) read and written out in
turn, each flushed as it comes, until the inputs end or a stop comes between two of them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class PagesRead:
    total: int
    read: int = 0
    empty: int = 0  # inputs that gave nothing (no story, no story links)

    @property
    def exit_code(self) -> int:
        return 1 if self.empty else 0


def over_inputs(
    inputs: Sequence[str],
    one: Callable[[str], tuple[str, bool]],
    out: TextIO,
    stop: threading.Event | None = None,
) -> PagesRead:
    """`one(input)` gives the text to write and whether the input gave anything."""
    read = empty = 0
    for name in inputs:
        if stop is not None and stop.is_set():
            break
        text, gave = one(name)
        if not gave and stop is not None and stop.is_set():
            break  # cut short by the stop: not a page that gave nothing
        out.write(text + "\n")
        out.flush()
        read += 1
        empty += not gave
    return PagesRead(len(inputs), read, empty)
