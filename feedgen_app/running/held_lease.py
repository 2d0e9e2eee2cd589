"""A worker's lease on a feed's slot while it polls it, on a store that workers share (storage/cluster.py),
and the listing the poll read, kept with it for a worker that takes the slot over."""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import datetime
from typing import Any, Protocol

from feedgen_app.errors import FeedgenError
from feedgen_app.records import ItemHint, ListingRead, StoryRef
from feedgen_app.storage.cluster import Leases

log = logging.getLogger("feedgen_app.running.daemon")


def _elapsed() -> float:
    """Seconds on a clock that goes on while the machine sleeps (a suspended laptop, a paused VM, where
    the kernel counts it) and never steps back."""
    return time.clock_gettime(time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic()


class PollLease(Protocol):
    """What a poll asks of the lease it runs under."""

    def still_mine(self) -> bool:
        """Whether this worker still holds the poll: asked before each story is saved and before the
        feed's files and status are written."""
        ...

    def listed(self) -> ListingRead | None:
        """The listing a worker that stopped mid-poll read for this slot: go on from it, not ask again."""
        ...

    def keep_listed(self, listed: ListingRead) -> None:
        """Keep the listing this poll read, for a worker that may take the slot over."""
        ...


def listing_json(listed: ListingRead) -> str:
    def ref(r: StoryRef) -> dict[str, Any]:
        out: dict[str, Any] = {"url": r.url, "id": r.story_id, "text": r.listing_text}
        if r.hint is not None:
            published = r.hint.published.isoformat() if r.hint.published else None
            out["hint"] = {"title": r.hint.title, "published": published, "authors": list(r.hint.authors)}
        return out

    return json.dumps({"source": listed.source, "refs": [ref(r) for r in listed.refs]}, ensure_ascii=False)


def listing_from_json(text: str) -> ListingRead:
    data = json.loads(text)

    def hint(h: dict[str, Any] | None) -> ItemHint | None:
        if h is None:
            return None
        published = datetime.fromisoformat(h["published"]) if h.get("published") else None
        return ItemHint(str(h.get("title", "")), published, tuple(str(a) for a in h.get("authors", ())))

    refs = tuple(
        StoryRef(str(r["url"]), str(r["id"]), str(r["text"]), hint(r.get("hint"))) for r in data["refs"]
    )
    return ListingRead(refs, str(data["source"]))


class HeldLease:
    """A lease this worker holds on a feed's slot, renewed every third of its length until released."""

    def __init__(self, leases: Leases, feed_id: str, slot: int, worker: str, length: float) -> None:
        self.leases, self.feed_id, self.slot, self.worker, self.length = leases, feed_id, slot, worker, length
        self.until = _elapsed() + length  # the lease surely holds before this (claimed just now)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._renew, name=f"lease-{feed_id}", daemon=True)
        self.thread.start()

    def _renewed(self) -> bool:
        asked = _elapsed()
        if self.leases.renew(self.feed_id, self.slot, self.worker, self.length):
            self.until = asked + self.length
            return True
        self.until = 0.0
        return False

    def _renew(self) -> None:
        while not self.done.wait(self.length / 3):
            try:
                if not self._renewed():
                    log.warning(
                        "%s: this worker's lease expired mid-poll; another worker may poll it", self.feed_id
                    )
                    return
            except FeedgenError as exc:
                log.warning("%s: the lease could not be renewed: %s", self.feed_id, exc)

    def still_mine(self) -> bool:
        """Whether this worker still holds the poll: by the last renewal while it is fresh (over a quarter
        of the lease left), else by renewing it now. A worker that stalled past its lease finds it gone."""
        if _elapsed() < self.until - self.length / 4:
            return True
        try:
            return self._renewed()
        except FeedgenError:
            return False

    def listed(self) -> ListingRead | None:
        try:
            text = self.leases.listed(self.feed_id, self.slot)
            return listing_from_json(text) if text is not None else None
        except FeedgenError as exc:
            log.warning("%s: the listing kept with the lease could not be read: %s", self.feed_id, exc)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning(
                "%s: the listing kept with the lease is unreadable (%s): reading it again", self.feed_id, exc
            )
        return None

    def keep_listed(self, listed: ListingRead) -> None:
        try:
            self.leases.keep_listed(self.feed_id, self.slot, self.worker, listing_json(listed))
        except FeedgenError as exc:  # a worker taking over would read the listing again: no more than that
            log.warning("%s: the listing could not be kept with the lease: %s", self.feed_id, exc)

    def release(self) -> None:
        self.done.set()
        try:
            self.leases.finish(self.feed_id, self.slot, self.worker)
        except FeedgenError as exc:
            log.warning("%s: the lease could not be released (it expires by itself): %s", self.feed_id, exc)
