"""The state store a config names: the embedded SQLite file by default, a PostgreSQL server with
`[state] url`."""

from __future__ import annotations

from feedgen_app.config import Config
from feedgen_app.storage.store import Store


def open_store(config: Config) -> Store:
    if config.state_url:
        from feedgen_app.storage.postgres import PgStore  # psycopg is loaded only for a server store

        return PgStore(config.state_url, config.state_password())
    return Store(config.state_path)


def store_location(config: Config) -> str:
    """What the config's store is called in messages (never with a password)."""
    if config.state_url:
        from feedgen_app.storage.postgres import display

        return display(config.state_url)
    return str(config.state_path)
