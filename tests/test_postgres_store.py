"""The state store on a real PostgreSQL server (`[state] url`): migrated from every earlier schema version,
a build and its second poll, `migrate-state` from an SQLite store without loss, a password never in the
config, a connection the server drops, a second worker refused. The store's own suite runs on both stores
(tests/test_store.py, `make_store`)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from conftest import write_config
from support.postgres import PostgresServer
from support.site_server import SiteServer

from feedgen_app.cli import main
from feedgen_app.config import load_config
from feedgen_app.errors import ConfigError, StateBusyError
from feedgen_app.fetching.session import new_session
from feedgen_app.records import Story
from feedgen_app.running.build import run_build
from feedgen_app.storage.lock import exclusive_store
from feedgen_app.storage.open_store import state_password
from feedgen_app.storage.postgres import PgStore, pg_migration
from feedgen_app.storage.schema import MIGRATIONS
from feedgen_app.storage.store import StoreError

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def _story(url: str) -> Story:
    return Story(url, url, "Harbour reopens", ("A",), NOW, NOW, "<p>b</p>", "b")


def _pg_config(tmp_path: Path, listing: str, url: str) -> Path:
    (tmp_path / "pg-password").write_text("secret\n")
    path = write_config(tmp_path, listing)
    text = path.read_text().replace(
        '[state]\npath = "state/feedgen.sqlite"',
        f'[state]\nurl = "{url}"\npassword_file = "pg-password"',
    )
    path.write_text(text)
    return path


@pytest.mark.parametrize("version", range(len(MIGRATIONS)))
def test_a_store_of_every_earlier_version_is_migrated(postgres: PostgresServer, version: int) -> None:
    url = postgres.new_database()
    statements = [s for m in MIGRATIONS[:version] for s in pg_migration(m).split(";") if s.strip()]
    for statement in [*statements, "CREATE TABLE feedgen_schema (version INTEGER NOT NULL)"]:
        postgres.sql(url, statement)
    postgres.sql(url, f"INSERT INTO feedgen_schema (version) VALUES ({version})")
    store = PgStore(url, "secret")
    assert store.schema_version() == len(MIGRATIONS)
    store.mark_listed("f", [("https://x/1", "")], NOW)
    assert store.save_story(_story("https://x/1"), "", None, None, NOW, "f") == "new"
    store.close()


def test_a_newer_schema_is_refused(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    PgStore(url, "secret").close()
    postgres.sql(url, f"UPDATE feedgen_schema SET version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer than this feedgen-app knows"):
        PgStore(url, "secret")


def test_a_build_and_its_second_poll_on_postgresql(
    tmp_path: Path, current_site: SiteServer, postgres: PostgresServer
) -> None:
    config = load_config(
        _pg_config(tmp_path, current_site.url("/National/North-Korea"), postgres.new_database())
    )
    session = new_session(config.http.user_agent)
    first = run_build(config, session, lambda: NOW)
    assert first.reports[0].ok and first.reports[0].new > 0
    entries = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes()).entries
    assert len(entries) == first.reports[0].new
    asked = len(current_site.requests)
    second = run_build(config, session, lambda: NOW + timedelta(hours=1))
    assert second.reports[0].ok and second.reports[0].new == 0
    assert len(current_site.requests) - asked <= 2, "the second poll knows every story: the listing only"
    assert not (tmp_path / "state").exists(), "no SQLite file: the state is on the server"


def test_migrate_state_copies_an_sqlite_store_without_loss(
    tmp_path: Path, current_site: SiteServer, postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = current_site.url("/National/North-Korea")
    sqlite_config = load_config(write_config(tmp_path, listing))
    run_build(sqlite_config, new_session(sqlite_config.http.user_agent), lambda: NOW)
    before = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes())
    url = postgres.new_database()
    (tmp_path / "pw").write_text("secret")

    def migrate() -> int:
        argv = ["migrate-state", "--to", url, "--password-file", str(tmp_path / "pw")]
        return main([*argv, "--config", str(tmp_path / "feeds.toml")])

    code = migrate()
    out = capsys.readouterr().out
    assert code == 0 and "stories" in out and "the same on both sides" in out and "secret" not in out
    pg_config = load_config(_pg_config(tmp_path, listing, url))
    asked = len(current_site.requests)
    report = run_build(pg_config, new_session(pg_config.http.user_agent), lambda: NOW + timedelta(hours=1))
    assert report.reports[0].ok and report.reports[0].new == 0, "every story came across"
    assert len(current_site.requests) - asked <= 2
    after = feedparser.parse((tmp_path / "public" / "north-korea.atom").read_bytes())
    assert [e.id for e in after.entries] == [e.id for e in before.entries]
    # a second copy into a store that holds stories is refused
    code = migrate()
    assert code != 0 and "already holds stories" in capsys.readouterr().err


def test_the_password_is_never_in_the_config(tmp_path: Path, postgres: PostgresServer) -> None:
    path = _pg_config(tmp_path, "https://x.test/", postgres.url().replace("feedgen@", "feedgen:secret@"))
    with pytest.raises(ConfigError, match="holds a password"):
        load_config(path)
    text = path.read_text().replace('password_file = "pg-password"', 'password_env = "FEEDGEN_TEST_PG_PW"')
    path.write_text(text.replace("feedgen:secret@", "feedgen@"))
    config = load_config(path)
    os.environ.pop("FEEDGEN_TEST_PG_PW", None)
    with pytest.raises(ConfigError, match="FEEDGEN_TEST_PG_PW is not set"):
        state_password(config)
    os.environ["FEEDGEN_TEST_PG_PW"] = "wrong"
    try:
        with pytest.raises(StoreError, match="cannot reach the state store") as caught:
            PgStore(config.state_url or "", state_password(config))
        assert "wrong" not in str(caught.value)
    finally:
        del os.environ["FEEDGEN_TEST_PG_PW"]


def test_a_dropped_connection_holds_one_call_and_the_next_works(postgres: PostgresServer) -> None:
    url = postgres.new_database()
    store = PgStore(url, "secret")
    store.mark_listed("f", [("https://x/1", "")], NOW)
    postgres.sql(
        postgres.url(),
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{url.rsplit('/', 1)[1]}'",
    )
    with pytest.raises(StoreError, match="the state store failed"):
        store.save_story(_story("https://x/1"), "", None, None, NOW, "f")
    assert store.save_story(_story("https://x/1"), "", None, None, NOW, "f") == "new"
    store.close()


def test_workers_share_a_store_and_a_build_takes_it_alone(tmp_path: Path, postgres: PostgresServer) -> None:
    config = load_config(_pg_config(tmp_path, "https://x.test/", postgres.new_database()))
    with (
        exclusive_store(config, shared=True),
        exclusive_store(config, shared=True),
        pytest.raises(StateBusyError, match="workers or a build"),
        exclusive_store(config),
    ):
        pass
    with exclusive_store(config):
        with pytest.raises(StateBusyError, match="a build or a copy"), exclusive_store(config, shared=True):
            pass
        with pytest.raises(StateBusyError), exclusive_store(config):
            pass
