"""The state store a config names: the embedded SQLite file by default, a PostgreSQL server with
`[state] url`."""

from __future__ import annotations

import os

from feedgen_app.config import Config
from feedgen_app.errors import ConfigError
from feedgen_app.storage.store import Store


def open_store(config: Config) -> Store:
    if config.state_url:
        from feedgen_app.storage.postgres import PgStore  # psycopg is loaded only for a server store

        return PgStore(config.state_url, state_password(config))
    return Store(config.state_path)


def store_location(config: Config) -> str:
    """What the config's store is called in messages (never with a password)."""
    if config.state_url:
        from feedgen_app.storage.postgres import display

        return display(config.state_url)
    return str(config.state_path)


def state_password(config: Config) -> str | None:
    """The PostgreSQL store's password, from the environment or a file: never from the config itself."""
    if config.state_password_env:
        value = os.environ.get(config.state_password_env)
        if value is None:
            raise ConfigError(
                str(config.path),
                "state.password_env",
                f"the environment variable {config.state_password_env} is not set",
            )
        return value
    if config.state_password_file:
        try:
            return config.state_password_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(
                str(config.path), "state.password_file", f"{config.state_password_file}: {exc.strerror}"
            ) from None
    return None
