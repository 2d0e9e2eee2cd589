"""Configuration: feeds.toml in, a frozen `Config` out, or a ConfigError naming file, key path and problem.

Relative paths are relative to the folder that holds the config file. Unknown keys are errors (a typo
must not silently fall back to a default).
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from feedgen_app import __version__
from feedgen_app.errors import ConfigError
from feedgen_app.filters import Rule, RuleError, parse_rule
from feedgen_app.profile import SiteProfile, builtin_names, builtin_table, merge_tables, profile_from_table
from feedgen_app.urls import host_of

FORMATS = ("atom", "rss", "json")
# what a site's operator reads in its logs: the tool, and how its user names themselves (README: user agent)
DEFAULT_USER_AGENT = f"feedgen-app/{__version__} (full-text feeds; no contact set: see http.user_agent)"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
T = TypeVar("T")


@dataclass(frozen=True)
class HttpConfig:
    min_delay: float = 1.0
    max_per_host: int = 2
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0  # first retry waits about this long; each next one twice as long (with jitter)
    retry_after_cap: float = 120.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    deadline: float = 600.0  # seconds one feed's poll may take before its remaining requests are abandoned
    robots: bool = True
    # feeds polled at once: a feed mostly waits on its host's min_delay, so enough that every host is worked
    # while any of its feeds is due (requests in flight are capped apart: MAX_CONNECTIONS in http.py)
    parallel_feeds: int = 256


@dataclass(frozen=True)
class FeedConfig:
    id: str
    title: str
    site: str
    profile: SiteProfile
    listing: str
    every: float = 1800.0
    formats: tuple[str, ...] = ("atom",)
    max_entries: int = 50
    max_age_days: float | None = None
    pages: int = 1
    refresh_hours: float = 48.0
    max_story_kb: int = 500  # a story's HTML beyond this is cut, with a link to the rest
    archive_kb: int = 10_000  # the stories' last fetched pages kept (compressed) for `reextract`; 0: none
    include: tuple[Rule, ...] = ()  # publish only stories matching one of these (when any)
    exclude: tuple[Rule, ...] = ()  # never publish stories matching one of these
    site_feed: str | None = None  # the site's own RSS/Atom for this section: a second way to find stories

    @property
    def on_profile_site(self) -> bool:
        """The listing is on one of the profile's own hosts (or the profile names none), not a mirror."""
        return not self.profile.allowed_hosts or host_of(self.listing) in self.profile.allowed_hosts


@dataclass(frozen=True)
class Config:
    path: Path
    output_dir: Path
    base_url: str
    state_path: Path
    http: HttpConfig
    feeds: tuple[FeedConfig, ...]
    title: str = "feedgen-app feeds"
    profiles: Mapping[str, SiteProfile] = field(default_factory=dict)
    websub_hub: str | None = None  # a WebSub hub pinged when a feed file's bytes change
    state_url: str | None = None  # a PostgreSQL store (`[state] url`) in place of the SQLite file
    state_password_env: str | None = None  # the environment variable holding its password
    state_password_file: Path | None = None  # or the file holding it
    state_lease: float = 60.0  # seconds a worker's claim on a feed's poll lasts unless renewed

    def feed(self, feed_id: str) -> FeedConfig:
        for feed in self.feeds:
            if feed.id == feed_id:
                return feed
        raise ConfigError(
            str(self.path),
            "feeds",
            f"no feed with id {feed_id!r} (have: {', '.join(f.id for f in self.feeds)})",
        )


MIN_EVERY = 1.0  # seconds
MAX_EVERY = 366 * 86400.0


def parse_duration(text: str | float | int) -> float:
    """'90s', '15m', '1h', '2d'. A bare number is refused: `every = 30` could mean seconds or minutes."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        raise ValueError(f"{text!r} has no unit: write '{text:g}s', '{text:g}m' or '{text:g}h'")
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a duration such as '90s', '15m' or '1h'")
    seconds = float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    if not MIN_EVERY <= seconds <= MAX_EVERY:
        raise ValueError(f"{text!r} must be between 1 second and a year")
    return seconds


class _Reader:
    """Typed access to one TOML table, with errors that carry the file and the key path."""

    def __init__(self, source: str, table: Mapping[str, Any], prefix: str, allowed: set[str]) -> None:
        self.source, self.table, self.prefix = source, table, prefix
        for key in table:
            if key not in allowed:
                raise ConfigError(
                    source, f"{prefix}{key}", f"unknown key (allowed: {', '.join(sorted(allowed))})"
                )

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.source, f"{self.prefix}{key}", problem)

    def get(self, key: str, kind: type[T] | tuple[type, ...], default: T) -> T:
        value = self.table.get(key, default)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise self.fail(key, f"must be {_kind_name(kinds)}, not a boolean")
        if not isinstance(value, kinds):
            raise self.fail(key, f"must be {_kind_name(kinds)}, not {type(value).__name__} {value!r}")
        return value  # type: ignore[return-value]

    def number(self, key: str, default: float, minimum: float = 0.0, maximum: float = 86400.0) -> float:
        value = float(self.get(key, (int, float), default))
        if not math.isfinite(value) or not minimum <= value <= maximum:
            raise self.fail(key, f"must be between {minimum:g} and {maximum:g}, not {value:g}")
        return value

    def integer(self, key: str, default: int, minimum: int = 0, maximum: int = 1_000_000) -> int:
        value = self.get(key, int, default)
        if not minimum <= value <= maximum:
            raise self.fail(key, f"must be between {minimum} and {maximum}, not {value}")
        return value

    def string(self, key: str, default: str) -> str:
        return self.get(key, str, default)

    def url(self, key: str, default: str | None = None) -> str:
        if key not in self.table and default is None:
            raise self.fail(key, "is required (an http:// or https:// URL)")
        value = self.string(key, default or "")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise self.fail(key, f"{value!r} is not an http:// or https:// URL")
        return value


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {
        int: "a number",
        float: "a number",
        str: "a string",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return " or ".join(sorted({names.get(k, k.__name__) for k in kinds}))


def _profiles(source: str, raw: Any) -> dict[str, SiteProfile]:
    profiles: dict[str, SiteProfile] = {}
    custom = raw if raw is not None else {}
    if not isinstance(custom, dict):
        raise ConfigError(source, "sites", "must be a table of [sites.NAME] tables")
    for name in builtin_names():
        profiles[name] = profile_from_table(name, builtin_table(name), f"built-in profile {name}")
    for name, table in custom.items():
        if not isinstance(table, dict):
            raise ConfigError(source, f"sites.{name}", "must be a table")
        base_name = table.get("extends", name if name in profiles else None)
        merged: Mapping[str, Any] = table
        if base_name is not None:
            if base_name not in profiles:
                raise ConfigError(
                    source,
                    f"sites.{name}.extends",
                    f"no built-in profile {base_name!r} (have: {', '.join(builtin_names())})",
                )
            merged = merge_tables(builtin_table(str(base_name)), table)
        profiles[name] = profile_from_table(name, merged, source, f"sites.{name}.")
    return profiles


def load_config(path: str | Path) -> Config:
    path = Path(path)
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            source,
            "",
            "file not found (use --config PATH, or run where feeds.toml is; `feedgen-app init` writes one to "
            "start from, and `feedgen-app demo` runs a sample with no configuration at all)",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(source, "", f"cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, "", f"is not valid TOML: {exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep: no feeds.toml needs more than three
        raise ConfigError(
            source, "", "is nested too deeply to read (arrays or tables within thousands of others)"
        ) from None
    return config_from_dict(data, path)


def config_from_dict(data: Mapping[str, Any], path: Path) -> Config:
    source = str(path)
    top = _Reader(source, data, "", {"output", "state", "http", "feeds", "sites", "title"})
    folder = path.resolve().parent
    output = _Reader(source, top.get("output", dict, {}), "output.", {"dir", "base_url", "websub_hub"})
    state = _Reader(
        source,
        top.get("state", dict, {}),
        "state.",
        {"path", "url", "password_env", "password_file", "lease"},
    )
    http_t = _Reader(
        source,
        top.get("http", dict, {}),
        "http.",
        {
            "min_delay",
            "max_per_host",
            "user_agent",
            "connect_timeout",
            "read_timeout",
            "timeout",
            "retries",
            "backoff",
            "retry_after_cap",
            "max_bytes",
            "max_redirects",
            "deadline",
            "robots",
            "parallel_feeds",
        },
    )
    read_timeout = http_t.number("timeout", 30.0, 0.1)
    http = HttpConfig(
        min_delay=http_t.number("min_delay", 1.0, 0.0, 3600.0),
        max_per_host=http_t.integer("max_per_host", 2, 1, 64),
        user_agent=http_t.string("user_agent", DEFAULT_USER_AGENT).strip() or DEFAULT_USER_AGENT,
        connect_timeout=http_t.number("connect_timeout", 10.0, 0.1),
        read_timeout=http_t.number("read_timeout", read_timeout, 0.1),
        retries=http_t.integer("retries", 3, 0, 10),
        backoff=http_t.number("backoff", 1.0),
        retry_after_cap=http_t.number("retry_after_cap", 120.0),
        max_bytes=http_t.integer("max_bytes", 5_000_000, 1024, 1_000_000_000),
        max_redirects=http_t.integer("max_redirects", 5, 0, 30),
        deadline=http_t.number("deadline", 600.0, 1.0),
        robots=http_t.get("robots", bool, True),
        parallel_feeds=http_t.integer("parallel_feeds", 256, 1, 4096),
    )
    base_url = output.url("base_url", "http://localhost:8000/")
    if not base_url.endswith("/"):  # every link is base_url + file name: a missing "/" breaks them all
        raise output.fail("base_url", f"{base_url!r} must end with '/' (the folder's address: {base_url}/)")
    profiles = _profiles(source, data.get("sites"))
    if isinstance(data.get("feeds"), dict):
        raise ConfigError(
            source, "feeds", "is one [feeds] table: write [[feeds]] (two brackets) before each feed"
        )
    feeds_raw = top.get("feeds", list, [])
    if not feeds_raw:
        raise ConfigError(source, "feeds", "no [[feeds]] defined: add at least one feed")
    feeds = []
    seen: set[str] = set()
    for i, raw in enumerate(feeds_raw):
        if not isinstance(raw, dict):
            raise ConfigError(source, f"feeds[{i}]", "must be a table ([[feeds]])")
        feeds.append(_feed(source, raw, i, profiles, seen))
    return Config(
        path=path,
        output_dir=folder / output.string("dir", "public"),
        base_url=base_url,
        state_path=folder / state.string("path", "state/feedgen.sqlite"),
        http=http,
        feeds=tuple(feeds),
        title=top.string("title", "feedgen-app feeds"),
        profiles=profiles,
        websub_hub=output.url("websub_hub") if "websub_hub" in output.table else None,
        state_url=_state_url(state) if "url" in state.table else None,
        state_password_env=state.string("password_env", "") or None,
        state_lease=state.number("lease", 60.0, minimum=1.0, maximum=3600.0),
        state_password_file=folder / state.string("password_file", "")
        if "password_file" in state.table
        else None,
    )


def _state_url(state: _Reader) -> str:
    return state_url(state.source, f"{state.prefix}url", state.string("url", ""))


def state_url(source: str, key: str, value: str) -> str:
    """A PostgreSQL store's address (`[state] url`, `migrate-state --to`), with no password in it."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (a bad port raises here)
    except ValueError as exc:
        raise ConfigError(source, key, f"{value!r} is not an address: {exc}") from None
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise ConfigError(
            source, key, "must be a PostgreSQL address, such as 'postgresql://feedgen@db.example.org/feedgen'"
        )
    if parts.password is not None:
        raise ConfigError(
            source,
            key,
            "holds a password: keep it out of the config, in an environment variable (state.password_env) or a "
            "file (state.password_file)",
        )
    return value


def _feed(
    source: str, raw: Mapping[str, Any], i: int, profiles: Mapping[str, SiteProfile], seen: set[str]
) -> FeedConfig:
    named = raw.get("id")
    r = _Reader(
        source,
        raw,
        f"feeds[{i}] ({named})." if isinstance(named, str) and named else f"feeds[{i}].",
        {
            "id",
            "title",
            "site",
            "listing",
            "every",
            "formats",
            "max_entries",
            "max_age_days",
            "pages",
            "refresh_hours",
            "max_story_kb",
            "archive_kb",
            "site_feed",
            "include",
            "exclude",
        },
    )
    if "id" not in raw:
        raise r.fail("id", "is required (a short name such as 'north-korea'; the output is <id>.atom)")
    feed_id = r.string("id", "")
    if not _ID.match(feed_id):
        raise r.fail(
            "id", f"{feed_id!r} must be lower-case letters, digits, '-' or '_' (it names the output files)"
        )
    if feed_id in seen:
        raise r.fail("id", f"duplicate feed id {feed_id!r}: every feed needs its own")
    seen.add(feed_id)
    site = r.string("site", "auto")
    if site not in profiles:
        raise r.fail("site", f"unknown site profile {site!r} (have: {', '.join(sorted(profiles))})")
    formats = r.get("formats", list, ["atom"])
    for j, fmt in enumerate(formats):
        if fmt not in FORMATS:
            raise r.fail(f"formats[{j}]", f"unknown format {fmt!r} (have: {', '.join(FORMATS)})")
    if "atom" not in formats:
        formats = ["atom", *formats]
    try:
        every = parse_duration(r.get("every", (str, int, float), "30m"))
    except ValueError as exc:
        raise r.fail("every", str(exc)) from None
    max_age = raw.get("max_age_days")
    return FeedConfig(
        id=feed_id,
        title=r.string("title", feed_id),
        site=site,
        profile=profiles[site],
        listing=r.url("listing"),
        every=every,
        formats=tuple(dict.fromkeys(formats)),
        max_entries=r.integer("max_entries", 50, 1),
        max_age_days=None if max_age is None else r.number("max_age_days", 0.0, 0.01),
        pages=r.integer("pages", 1, 1),
        refresh_hours=r.number("refresh_hours", 48.0),
        max_story_kb=r.integer("max_story_kb", 500, 10, 100_000),
        archive_kb=r.integer("archive_kb", 10_000, 0, 10_000_000),
        include=_rules(r, "include"),
        exclude=_rules(r, "exclude"),
        site_feed=r.url("site_feed") if "site_feed" in raw else None,
    )


def _rules(r: _Reader, key: str) -> tuple[Rule, ...]:
    rules = []
    for j, text in enumerate(r.get(key, list, [])):
        if not isinstance(text, str):
            raise r.fail(f"{key}[{j}]", f'must be a string such as "title:missile", not {text!r}')
        try:
            rules.append(parse_rule(text))
        except RuleError as exc:
            raise r.fail(f"{key}[{j}]", str(exc)) from None
    return tuple(rules)


def _writable_folder(path: Path) -> bool:
    """True when `path` exists as a writable folder, or could be created."""
    for folder in (path, *path.parents):
        if folder.exists():
            return folder.is_dir() and os.access(folder, os.W_OK)
    return False


def config_notes(config: Config) -> list[str]:
    """Things worth a look that are not errors (a mirror is a legitimate reason for a foreign host)."""
    notes = []
    for feed in config.feeds:
        if not feed.on_profile_site:
            notes.append(
                f"feeds ({feed.id}): listing host {host_of(feed.listing)} is not one of the {feed.site} profile's hosts "
                f"({', '.join(feed.profile.allowed_hosts)}); fine for a mirror, a typo otherwise"
            )
    for what, path in (("output.dir", config.output_dir), ("state.path", config.state_path.parent)):
        if not _writable_folder(path):
            notes.append(f"{what}: {path} cannot be created or written by this user")
    return notes
