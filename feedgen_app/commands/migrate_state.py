"""`feedgen-app migrate-state --to postgresql://…`: the state store copied to a PostgreSQL store, without loss
(every table, verified by counts and digests), while no build or daemon uses it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from feedgen_app.config import Config, state_url
from feedgen_app.storage.copy_store import copy_store
from feedgen_app.storage.lock import exclusive_store
from feedgen_app.storage.open_store import open_store
from feedgen_app.wording import count

EXIT_OK = 0


def migrate_state(config: Config, to: str, password_env: str | None, password_file: str | None) -> int:
    target = replace(
        config,
        state_url=state_url("--to", "", to),  # the rules of [state] url
        state_password_env=password_env,
        state_password_file=Path(password_file) if password_file else None,
    )
    with exclusive_store(config):
        source = open_store(config)
        try:
            destination = open_store(target)
            try:
                copies = copy_store(source, destination)
            finally:
                destination.close()
        finally:
            source.close()
    for c in copies:
        print(f"{c.table:<13} {count(c.rows, 'row'):>14}  sha256 {c.digest[:16]}  the same on both sides")
    print(
        f"copied {source.where} to {destination.where}; to use it, set [state] url = {to!r} in the config, and "
        "the password's state.password_env or state.password_file"
    )
    return EXIT_OK
