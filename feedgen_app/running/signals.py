"""What SIGINT (Ctrl-C) and SIGTERM do to a command: the first sets the command's stop event, which cuts
the requests in flight and lets the command end what it can and say what it did; a second ends the
process at once. Either way, no traceback. Exit code 128 + the signal (130 for Ctrl-C, 143 for SIGTERM).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from feedgen_app.stop import StopEvent

STOPPING = "feedgen-app: stopping: requests in flight are abandoned (again to quit at once)\n"
QUIT = "feedgen-app: quit at once; what was written is whole (files and the store are written atomically)\n"


class Stopper:
    def __init__(self, event: StopEvent | None = None) -> None:
        self.event = event or StopEvent()
        self.signum: int | None = None
        self._at_quit: list[Callable[[], None]] = []

    def on_quit(self, action: Callable[[], None]) -> None:
        """Run `action` (something quick: a temporary folder removed) when a second signal quits at once."""
        self._at_quit.append(action)

    @property
    def exit_code(self) -> int:
        return 128 + (self.signum or 0)

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        # os.write, not print: the main thread may be inside a print to stderr when the signal comes
        if self.signum is not None:
            os.write(2, QUIT.encode())
            for action in self._at_quit:
                with suppress(Exception):
                    action()
            os._exit(128 + signum)
        self.signum = signum
        os.write(2, STOPPING.encode())
        # the actions that cut requests take locks the interrupted main thread may be holding
        threading.Thread(target=self.event.set, name="feedgen-stop", daemon=True).start()

    @contextmanager
    def installed(self) -> Iterator[Stopper]:
        """Handle SIGINT and SIGTERM in this block (from the main thread only; elsewhere, as before)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        before = {s: signal.signal(s, self.handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for s, handler in before.items():
                signal.signal(s, handler)
