"""The store's one rule for every method that touches the database: one thread at a time, and whatever
the database raises (SQLite's errors, or the server's) turned into the store's own typed error (naming the file and the cause)."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def serialized(method: F) -> F:
    """One thread at a time on the connection: feeds are polled in parallel, and a method's statements
    (a BEGIN ... COMMIT among them) must not interleave with another thread's."""

    @functools.wraps(method)
    def locked(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            try:
                return method(self, *args, **kwargs)
            except self.database_errors as exc:
                raise self._failure(exc, method.__name__) from None

    return cast(F, locked)


@contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction that takes the write lock at its start (BEGIN IMMEDIATE), waiting its turn
    within the busy timeout. A transaction begun deferred that reads and then writes while another
    connection has written is refused at once ("database is locked"), whatever the timeout."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
