"""Per-host politeness state, shared by every thread and poll of one Fetcher: the host's request slots
(`max_per_host`), when its next request may start (`min_delay`) and its robots.txt rules."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from protego import Protego


@dataclass
class Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    robots: Protego | None = None
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
