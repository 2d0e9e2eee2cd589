"""The stop event: set once when a person or a service manager asks feedgen-app to stop (SIGINT,
SIGTERM). Whatever holds work that can be abandoned (requests in flight) asks to be told when it is set,
so a stop ends those at once instead of waiting for them to time out."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class StopEvent(threading.Event):
    def __init__(self) -> None:
        super().__init__()
        self._actions: list[Callable[[], None]] = []
        self._actions_lock = threading.Lock()

    def on_set(self, action: Callable[[], None]) -> None:
        """Run `action` when the event is set (at once, when it already is)."""
        with self._actions_lock:
            self._actions.append(action)
            now = self.is_set()
        if now:
            action()

    def set(self) -> None:
        super().set()
        with self._actions_lock:
            actions = list(self._actions)
        for action in actions:
            try:
                action()
            except Exception:  # one holder's failure must not keep the others running
                log.exception("a stop action failed")
