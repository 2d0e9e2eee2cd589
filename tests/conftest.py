from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from feedgen_app.storage.postgres import PgStore
from feedgen_app.storage.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.postgres import PostgresServer, postgres_server, programs
from support.site_server import FIXTURES, SiteServer


def gold(site: str) -> dict[str, Any]:
    return json.loads((FIXTURES / site / "gold.json").read_text())


def write_config(
    folder: Path,
    listing: str,
    extra_feed: str = "",
    extra_top: str = "",
    site: str = "koreaherald",
    **http: object,
) -> Path:
    http_lines = "\n".join(
        f"{k} = {json.dumps(v)}" for k, v in {"min_delay": 0, "max_per_host": 4, **http}.items()
    )
    path = folder / "feeds.toml"
    path.write_text(
        f"""{extra_top}
[output]
dir = "public"
base_url = "https://example.github.io/feeds/"

[state]
path = "state/feedgen.sqlite"

[http]
{http_lines}

[[feeds]]
id = "north-korea"
title = "The Korea Herald: North Korea"
site = "{site}"
listing = "{listing}"
{extra_feed}
"""
    )
    return path


@pytest.fixture
def current_site() -> Iterator[SiteServer]:
    with SiteServer("koreaherald/current") as server:
        yield server


@pytest.fixture
def site_2022() -> Iterator[SiteServer]:
    with SiteServer("koreaherald/2022") as server:
        yield server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (the shared store's tests): missing, it fails under CI and
    is skipped elsewhere, so that a laptop without it can still run the rest."""
    if programs() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed: .ci/run installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    with postgres_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """A new state store of each kind: the embedded SQLite file and a fresh PostgreSQL database. The store
    tests run on both."""
    made: list[Store] = []

    def new() -> Store:
        if request.param == "sqlite":
            store = Store(tmp_path / f"s{len(made)}.sqlite")
        else:
            server: PostgresServer = request.getfixturevalue("postgres")
            store = PgStore(server.new_database(), password="secret")
        made.append(store)
        return store

    yield new
    for store in made:
        with contextlib.suppress(Exception):
            store.close()
