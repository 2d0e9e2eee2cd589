"""Copying a state store to another (`feedgen-app migrate-state --to postgresql://…`): every table, row for
row, in one transaction on the target, verified by counts and digests of both sides."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from feedgen_app.storage.store import Store, StoreError

# Every table of the schema with its columns (ordered by key for the digests)
TABLES: dict[str, tuple[str, ...]] = {
    "stories": (
        "url", "story_id", "first_seen", "fetched_at", "revised_at", "content_hash", "sort_date",
        "listing_text", "etag", "last_modified", "data", "sketch",
    ),
    "feed_stories": ("feed_id", "url", "first_seen", "last_seen", "listing_text"),
    "validators": ("url", "etag", "last_modified", "checked_at"),
    "feed_status": ("feed_id", "data"),
    "robots": ("origin", "body", "fetched_at"),
    "aliases": ("url", "target"),
    "pages": ("feed_id", "url", "story_id", "final_url", "fetched_at", "hint", "size", "body"),
    "learned": ("site", "field", "selector", "stories", "learned_at", "why"),
    "rendered": ("feed_id", "key", "entries"),
    "site_notes": ("name", "text", "at"),
    "former_keys": ("url",),
}  # fmt: skip
BATCH = 500


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    digest: str


def table_digest(store: Store, table: str) -> tuple[int, str]:
    """The table's row count and a digest of its rows whatever their order (the two databases sort text
    by different collations): each row's hash (values as text, bytes as hex), sorted, hashed."""
    hashes = []
    for row in store.db.execute(f"SELECT {', '.join(TABLES[table])} FROM {table}"):
        text = "\x1f".join(bytes(v).hex() if isinstance(v, bytes | memoryview) else repr(v) for v in row)
        hashes.append(hashlib.sha256(text.encode()).digest())
    return len(hashes), hashlib.sha256(b"".join(sorted(hashes))).hexdigest()


def copy_store(
    source: Store, target: Store, progress: Callable[[str, int], None] | None = None
) -> list[TableCopy]:
    """Copy every row of `source` into `target`, which must hold no stories yet; then compare both sides'
    counts and digests, table by table. Raises StoreError naming the first table that differs."""
    if target.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0]:
        raise StoreError(f"{target.where}: the target store already holds stories; copy into an empty one")
    target.db.execute("BEGIN")
    try:
        for table, columns in TABLES.items():
            target.db.execute(f"DELETE FROM {table}")
            marks = ", ".join("?" for _ in columns)
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch: list[tuple[object, ...]] = []
            done = 0
            for row in source.db.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                batch.append(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                if len(batch) >= BATCH:
                    done += _insert(target, insert, batch)
                    if progress:
                        progress(table, done)
            done += _insert(target, insert, batch)
            if progress:
                progress(table, done)
        target.db.execute("COMMIT")
    except BaseException:
        target.db.execute("ROLLBACK")
        raise
    copies = []
    for table in TABLES:
        theirs, mine = table_digest(source, table), table_digest(target, table)
        if theirs != mine:
            raise StoreError(
                f"{target.where}: table {table} differs after the copy ({theirs[0]} rows in {source.where}, "
                f"{mine[0]} in the copy): nothing should use the copy"
            )
        copies.append(TableCopy(table, mine[0], mine[1]))
    return copies


def _insert(target: Store, insert: str, batch: list[tuple[object, ...]]) -> int:
    for row in batch:
        target.db.execute(insert, row)
    n = len(batch)
    batch.clear()
    return n
