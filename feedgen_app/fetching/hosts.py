"""Per-host politeness state, shared by every thread and poll of one Fetcher: the host's request slots
(`max_per_host`), when its next request may start (`min_delay`) and its robots.txt rules."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Protocol

from protego import Protego


@dataclass
class Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    robots: Protego | None = None
    robots_lock: threading.Lock = field(default_factory=threading.Lock)


class ClusterTurns(Protocol):
    """Hosts' turns shared with other workers (a PostgreSQL store's `host_turns`): `take` gives the seconds
    to wait before a request to the host may start and moves its next turn `min_delay` on; `hold` keeps
    every worker off the host for a while (its Retry-After)."""

    def take(self, host: str, min_delay: float) -> float: ...

    def hold(self, host: str, seconds: float) -> None: ...
