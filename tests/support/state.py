"""The state store, as tests and benchmarks reach into it."""

from __future__ import annotations

from pathlib import Path

from feedgen_app.storage.store import Store


def forget_stories(folder: Path) -> None:
    """The store under `folder/state` forgets its stories and listing validators (not its learned
    selectors or archive): the next build fetches and extracts every story again, as if new."""
    store = Store(folder / "state" / "feedgen.sqlite")
    try:
        store.db.execute("DELETE FROM stories")
        store.db.execute("DELETE FROM validators")
    finally:
        store.close()
