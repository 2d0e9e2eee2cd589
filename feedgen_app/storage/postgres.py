"""The state store on PostgreSQL (psycopg 3), for more than one worker: the same rows, queries and
migrations as the embedded SQLite store, on a server every worker reaches.

`PgStore` is the SQLite `Store` over a connection that speaks PostgreSQL: the store's statements are written
once, in the SQL the two share, and the few SQLite forms they use are rewritten here (placeholders, `INSERT
OR REPLACE`, `json_extract`, `BEGIN IMMEDIATE`). The schema is versioned in a table of its own and migrated
by the same list, forward only, under an advisory lock so that workers starting together migrate once.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from feedgen_app.storage.cluster import CLUSTER_TABLES, HostTurns, Leases
from feedgen_app.storage.schema import MIGRATIONS
from feedgen_app.storage.serialized import serialized
from feedgen_app.storage.store import Store, StoreError

SCHEMA_LOCK = 0x66656564  # the advisory lock key migrations hold ("feed")
CONNECT_TIMEOUT = 10  # seconds to reach the server before the poll is held
_CONFLICT_KEYS = {
    "aliases": "url",
    "pages": "feed_id, url",
    "learned": "site, field",
    "rendered": "feed_id",
    "site_notes": "name",
}


def display(url: str) -> str:
    """The server's address for messages and logs: never its password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = (
        (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


@functools.lru_cache(maxsize=256)
def translate(sql: str) -> str:
    """A statement of the SQLite store as PostgreSQL reads it."""
    text = sql.strip()
    if text == "BEGIN IMMEDIATE":
        return "BEGIN"
    text = re.sub(r"json_extract\(([\w.]+), '\$\.(\w+)'\)", r"(\1::json ->> '\2')", text)
    m = re.match(r"INSERT OR REPLACE INTO (\w+) \(([^)]*)\)", text)
    if m:
        table, columns = m.group(1), [c.strip() for c in m.group(2).split(",")]
        keys = _CONFLICT_KEYS[table]
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys.split(", "))
        text = text.replace("INSERT OR REPLACE INTO", "INSERT INTO", 1)
        text += f" ON CONFLICT ({keys}) DO UPDATE SET {updates}"
    text = text.replace("%", "%%").replace("?", "%s")
    return text


def pg_migration(sql: str) -> str:
    """A migration of the SQLite store as PostgreSQL runs it: binary columns are BYTEA; rewriting SQLite's
    old local dates (migration 3) has nothing to do on a store that began on PostgreSQL."""
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    return "\n".join(line for line in sql.splitlines() if "strftime(" not in line)


def _psycopg() -> Any:
    """psycopg, installed with the `postgresql` extra: a clear error when it is not."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "[state] url names a PostgreSQL store, which needs psycopg: pip install 'feedgen-app[postgresql]'"
        ) from None
    return psycopg


class PgDatabase:
    """A psycopg connection answering the SQLite store's `execute` calls."""

    def __init__(self, url: str, password: str | None) -> None:
        psycopg = _psycopg()
        self.url = url
        try:
            self.conn = psycopg.connect(
                url, password=password, autocommit=True, connect_timeout=CONNECT_TIMEOUT
            )
        except psycopg.Error as exc:
            raise StoreError(f"{display(url)}: cannot reach the state store: {_first_line(exc)}") from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cursor = self.conn.cursor()
        cursor.execute(translate(sql), _params(params))
        return cursor

    def close(self) -> None:
        self.conn.close()


def _params(params: Sequence[Any]) -> Sequence[Any]:
    """Values as psycopg sends them (SQLite's memoryviews as bytes)."""
    return tuple(bytes(p) if isinstance(p, memoryview) else p for p in params)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class PgStore(Store):
    """The store on a PostgreSQL server (`[state] url`)."""

    def __init__(self, url: str, password: str | None = None) -> None:
        self.database_errors = (_psycopg().Error,)
        self.url = url
        self.path = Path("/nonexistent/postgresql")  # no file behind it
        self.where = display(url)  # what messages name the store by
        self._lock = threading.RLock()
        self.set_aside = None
        self.damaged = None
        self._password = password
        self._open()

    def _open(self) -> None:
        self.pg = PgDatabase(self.url, self._password)
        self.db = self.pg  # type: ignore[assignment]  # the store's statements, answered by the server
        try:
            self._migrate()
        except Exception:
            self.pg.close()
            raise

    def close(self) -> None:
        with self._lock:
            self.pg.close()

    def _failure(self, exc: Exception, method: str = "") -> StoreError:
        """The typed error; a connection the server or the network dropped is opened again for the next
        call (this one's poll is held and retried on its next turn)."""
        if self.pg.conn.closed or self.pg.conn.broken:
            with contextlib.suppress(StoreError):  # still unreachable: the next call says so
                self._open()
        return StoreError(f"{self.where}: the state store failed: {_first_line(exc)}")

    def _migrate(self) -> None:
        psycopg = _psycopg()
        db = self.pg
        try:
            db.execute("CREATE TABLE IF NOT EXISTS feedgen_schema (version INTEGER NOT NULL)")
            db.execute("BEGIN")
            try:
                db.execute(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
                row = db.execute("SELECT version FROM feedgen_schema").fetchone()
                version = int(row[0]) if row else 0
                if row is None:
                    db.execute("INSERT INTO feedgen_schema (version) VALUES (0)")
                if version > len(MIGRATIONS):
                    raise StoreError(
                        f"{self.where}: state store is schema version {version}, newer than this feedgen-app "
                        f"knows ({len(MIGRATIONS)}); upgrade feedgen-app"
                    )
                for number in range(version, len(MIGRATIONS)):
                    for statement in pg_migration(MIGRATIONS[number]).split(";"):
                        if statement.strip():
                            db.conn.execute(statement)  # DDL as it is: no placeholders to rewrite
                    db.execute("UPDATE feedgen_schema SET version = ?", (number + 1,))
                for statement in CLUSTER_TABLES.split(";"):  # what workers agree on: leases, host turns
                    db.conn.execute(statement)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except psycopg.Error as exc:
            raise StoreError(f"{self.where}: cannot prepare the state store: {_first_line(exc)}") from None

    @serialized
    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """A statement's rows (the cluster's leases and turns: storage/cluster.py)."""
        return list(self.db.execute(sql, params).fetchall())

    @serialized
    def change(self, sql: str, params: tuple[object, ...] = ()) -> int:
        """A statement that changes rows, and how many."""
        return int(self.db.execute(sql, params).rowcount)

    def leases(self) -> Leases:
        return Leases(self)

    def host_turns(self) -> HostTurns:
        return HostTurns(self)

    def schema_version(self) -> int:
        row = self.db.execute("SELECT version FROM feedgen_schema").fetchone()
        return int(row[0]) if row else 0

    def _compact(self) -> None:
        """PostgreSQL reclaims space with autovacuum: nothing to do after a prune."""


def rows(store: Store, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """Every row of a table, for copying a store."""
    yield from store.db.execute(f"SELECT {', '.join(columns)} FROM {table}")
