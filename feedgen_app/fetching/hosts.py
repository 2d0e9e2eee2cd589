"""Per-host politeness state, shared by every thread and poll of one Fetcher: the host's request slots
(`max_per_host`), when its next request may start (`min_delay`) and its robots.txt rules."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from protego import Protego

from feedgen_app.errors import FetchError, FetchKind


@dataclass
class Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    robots: Protego | None = None
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    cluster_slots: set[int] = field(default_factory=set)  # the cluster's request slots this worker holds


class ClusterTurns(Protocol):
    """Hosts' turns shared with other workers (a PostgreSQL store's `host_turns`): `take` gives the seconds
    to wait before a request to the host may start and moves its next turn `min_delay` on; `hold` keeps
    every worker off the host for a while (its Retry-After); `acquire` and `release` one of the host's
    `max_per_host` request slots for the whole cluster, each for `seconds` at the most."""

    def take(self, host: str, min_delay: float) -> float: ...

    def hold(self, host: str, seconds: float) -> None: ...

    def acquire(self, host: str, limit: int, held: set[int], seconds: float) -> int | None: ...

    def release(self, host: str, slot: int) -> None: ...


CLUSTER_WAIT = 0.1  # seconds between two looks for a host's free request slot among a cluster's workers


class Waiting(Protocol):
    """What waiting on a host needs from the poll: its stop event, its time left, its way to pause."""

    stop: threading.Event

    def remaining(self) -> float: ...

    def _pause(self, seconds: float) -> None: ...


@contextlib.contextmanager
def cluster_slot(
    turns: ClusterTurns | None,
    host: Host,
    key: str,
    limit: int,
    poll: Waiting,
    stopped: Callable[[], Exception],
    seconds: float,
) -> Iterator[None]:
    """Hold one of the host's `limit` request slots for the whole cluster (other workers ask it too) for a
    request, `seconds` at the most, waiting until one is free, the poll's deadline nears (FetchError) or
    feedgen-app stops (`stopped()`). Without `turns` (one worker), nothing to hold."""
    if turns is None:
        yield
        return
    while True:
        with host.lock:
            slot = turns.acquire(key, limit, host.cluster_slots, seconds)
            if slot is not None:
                host.cluster_slots.add(slot)
                break
        if poll.stop.is_set():
            raise stopped()
        if poll.remaining() < CLUSTER_WAIT:
            raise FetchError(
                key,
                "the build's deadline would pass before another worker frees this host",
                kind=FetchKind.DEADLINE,
            )
        poll._pause(CLUSTER_WAIT)
    try:
        yield
    finally:
        with host.lock:
            host.cluster_slots.discard(slot)
        turns.release(key, slot)
