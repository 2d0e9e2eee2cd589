"""A real PostgreSQL server for the tests: Debian's `postgresql` programs (which .ci/run installs), a cluster
made in a temporary folder, started on a free port of 127.0.0.1, stopped and removed at the end. As root
(CI), the server runs as the `postgres` user, as PostgreSQL refuses root."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from support.real_servers import free_port


def programs() -> Path | None:
    """The folder of PostgreSQL's server programs, if installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


class PostgresServer:
    """One running server; `url(db)` gives a database's address (`new_database` makes a fresh one)."""

    def __init__(self, folder: Path, port: int, as_user: list[str]) -> None:
        self.folder, self.port, self._as = folder, port, as_user
        self._made = 0

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://feedgen@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database's address: each test gets its own."""
        import psycopg

        self._made += 1
        name = f"t{os.getpid()}_{self._made}"
        with psycopg.connect(self.url(), password="secret", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def sql(self, database_url: str, statement: str) -> None:
        import psycopg

        with psycopg.connect(database_url, password="secret", autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = programs()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql; .ci/run does it)")
    root = Path(tempfile.mkdtemp(prefix="feedgen-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    data, port = root / "data", free_port()
    password = root / "pw"
    password.write_text("secret\n")
    if as_user:
        os.chown(password, pwd.getpwnam("postgres").pw_uid, -1)

    def run(*args: str) -> None:
        subprocess.run([*as_user, *args], check=True, capture_output=True, timeout=120)

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "feedgen",
        "--auth=scram-sha-256",
        f"--pwfile={password}",
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start")
    server = PostgresServer(root, port, as_user)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield server
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
