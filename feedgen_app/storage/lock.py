"""One build or daemon at a time on a state store (an advisory lock file beside it)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from feedgen_app.config import Config
from feedgen_app.errors import StateBusyError
from feedgen_app.storage.store import StoreError


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """One build or daemon at a time on a state store: two at once would ask every site twice and race
    on the files. A second one stops at once with a message that says which file is taken."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - held open for the lock's whole life
    except OSError as exc:
        raise StoreError(f"{lock_path}: cannot create the state lock: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise StateBusyError(
                f"{path}: another feedgen-app ({holder}) is using this state store; wait for it to finish "
                "(a build) or stop it (a daemon), or give this one its own [state] path"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def exclusive_store(config: Config, shared: bool = False) -> Iterator[None]:
    """`exclusive` for the config's store: the lock file beside an SQLite store; on a PostgreSQL store, a
    session advisory lock on the server, taken `shared` by the daemons that share the feeds (each poll
    claims its slot) and alone by a build or a copy, which would poll or read every feed at once."""
    if not config.state_url:
        with exclusive(config.state_path):
            yield
        return
    from feedgen_app.storage.open_store import state_password
    from feedgen_app.storage.postgres import SCHEMA_LOCK, PgDatabase, display

    db = PgDatabase(config.state_url, state_password(config))
    try:
        take = "pg_try_advisory_lock_shared" if shared else "pg_try_advisory_lock"
        if not db.execute(f"SELECT {take}(?)", (SCHEMA_LOCK + 1,)).fetchone()[0]:
            raise StateBusyError(
                f"{display(config.state_url)}: another feedgen-app is using this state store ("
                + ("a build or a copy; wait for it to finish" if shared else "workers or a build; stop them")
                + ")"
            )
        yield
    finally:
        db.close()
