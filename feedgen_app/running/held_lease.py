"""A worker's lease on a feed's slot while it polls it, on a store that workers share (storage/cluster.py)."""

from __future__ import annotations

import logging
import threading

from feedgen_app.errors import FeedgenError
from feedgen_app.storage.cluster import Leases

log = logging.getLogger("feedgen_app.running.daemon")


class HeldLease:
    """A lease this worker holds on a feed's slot, renewed every third of its length until released."""

    def __init__(self, leases: Leases, feed_id: str, slot: int, worker: str, length: float) -> None:
        self.leases, self.feed_id, self.slot, self.worker, self.length = leases, feed_id, slot, worker, length
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._renew, name=f"lease-{feed_id}", daemon=True)
        self.thread.start()

    def _renew(self) -> None:
        while not self.done.wait(self.length / 3):
            try:
                if not self.leases.renew(self.feed_id, self.slot, self.worker, self.length):
                    log.warning(
                        "%s: this worker's lease expired mid-poll; another worker may poll it", self.feed_id
                    )
                    return
            except FeedgenError as exc:
                log.warning("%s: the lease could not be renewed: %s", self.feed_id, exc)

    def still_mine(self, _feed_id: str) -> bool:
        """Whether this worker still holds the poll (its lease renewed now): asked before writing."""
        try:
            return self.leases.renew(self.feed_id, self.slot, self.worker, self.length)
        except FeedgenError:
            return False

    def release(self) -> None:
        self.done.set()
        try:
            self.leases.finish(self.feed_id, self.slot, self.worker)
        except FeedgenError as exc:
            log.warning("%s: the lease could not be released (it expires by itself): %s", self.feed_id, exc)
