"""The command line: parses arguments and calls the library. Exit 0: fine; 1: a feed failed or was held
(its last good output kept); 2: the configuration is unusable."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedgen_app.command_line import command_line
from feedgen_app.config import Config, config_notes, load_config
from feedgen_app.errors import ConfigError, FeedgenError, StateBusyError
from feedgen_app.profile import SiteProfile
from feedgen_app.running.progress import Progress, setup_logging
from feedgen_app.running.signals import Stopper
from feedgen_app.wording import count

if TYPE_CHECKING:
    from feedgen_app.commands.page_loop import PagesRead
    from feedgen_app.fetching.http import Fetcher

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_BUSY = 0, 1, 2, 3
EXIT_PIPE = 128 + 13  # the reader of the output went away (SIGPIPE's code, as `git log | head` ends)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _load(path: str, base_url: str | None = None) -> Config:
    config = load_config(path)
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError("--base-url", "", f"{base_url!r} is not an http:// or https:// URL")
        config = replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return config


def cmd_build(args: argparse.Namespace, stopper: Stopper) -> int:
    from feedgen_app.fetching.session import new_session
    from feedgen_app.running.build import run_build
    from feedgen_app.storage.lock import exclusive_store

    config = _load(args.config, args.base_url)
    for feed_id in args.feed:
        config.feed(feed_id)
    session = new_session(config.http.user_agent)
    with exclusive_store(config):
        result = run_build(config, session, utc_now, args.feed, Progress(), stop=stopper.event)
    bad = [r for r in result.reports if not r.ok]
    total = len(result.reports)
    if stopper.signum is not None:
        return _stopped(
            stopper, f"{total - result.stopped} of {count(total, 'feed')} polled", result.abandoned
        )
    if result.reports and all(r.unreachable for r in result.reports):  # offline, or the sites are gone
        from feedgen_app.commands.live_check import nothing_answered

        listings = [config.feed(r.feed_id).listing for r in result.reports]
        print(f"feedgen-app: {nothing_answered(listings)}", file=sys.stderr)
    written = sorted({Path(name).name for name in result.written})
    names = ", ".join(written[:6]) + (f" and {len(written) - 6} more" if len(written) > 6 else "")
    print(
        f"feedgen-app: {total - len(bad)} of {count(total, 'feed')} fine; "
        + (
            f"{count(len(written), 'file')} written to {config.output_dir}: {names}"
            if written
            else "no file changed"
        ),
        file=sys.stderr,
    )
    return EXIT_OK if not bad else EXIT_FAILED


def _stopped(stopper: Stopper, done: str, abandoned: bool = False) -> int:
    """Tell a person what a stopped command did; its exit code. With work left running (`abandoned`),
    end the process here: its threads would otherwise hold the exit until they end."""
    print(f"feedgen-app: stopped: {done}; run again to finish", file=sys.stderr)
    if abandoned:
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(stopper.exit_code)
    return stopper.exit_code


def cmd_check(args: argparse.Namespace, stopper: Stopper) -> int:
    config = _load(args.config)
    used = sorted({f.site for f in config.feeds})
    print(
        f"{config.path}: OK: {count(len(config.feeds), 'feed')}; profiles in use: {', '.join(used)}; "
        f"output: {config.output_dir}; state: {config.state_path}"
    )
    for note in config_notes(config):
        print(f"note: {note}")
    if not args.live:
        return EXIT_OK
    from feedgen_app.commands.live_check import live_check

    code = live_check(config, args.feed, args.stories, utc_now, sys.stdout, stopper.event)
    if stopper.signum is not None:
        return _stopped(stopper, "the feeds above were checked")
    return code


def cmd_status(args: argparse.Namespace, _stopper: Stopper) -> int:
    from feedgen_app.publishing.status import status_table

    config = _load(args.config)
    text, healthy = status_table(config, markdown=args.markdown)
    print(text)
    return EXIT_OK if healthy else EXIT_FAILED


def cmd_reextract(args: argparse.Namespace, stopper: Stopper) -> int:
    from feedgen_app.running.reextract import run_reextract
    from feedgen_app.storage.lock import exclusive_store

    config = _load(args.config)
    for feed_id in args.feed:
        config.feed(feed_id)
    with exclusive_store(config):
        results = run_reextract(config, args.feed, utc_now, Progress(), stopper.event)
    if stopper.signum is not None:
        total = len(args.feed) or len(config.feeds)
        return _stopped(stopper, f"{len(results)} of {count(total, 'feed')} re-extracted")
    failed = sum(c["failed"] for c in results.values())
    return EXIT_OK if not failed else EXIT_FAILED


def cmd_repair(args: argparse.Namespace, _stopper: Stopper) -> int:
    from feedgen_app.storage.open_store import open_store

    config = _load(args.config)
    if args.reset and args.reset not in config.profiles:
        raise ConfigError(
            str(config.path),
            "sites",
            f"no site named {args.reset!r} (have: {', '.join(sorted(config.profiles))})",
        )
    # no state lock: one statement on the store (SQLite keeps it whole), so it works while a daemon runs,
    # whose next poll of the site goes without the forgotten selectors
    store = open_store(config)
    try:
        if args.reset:
            gone = store.drop_learned(args.reset)
            print(f"{args.reset}: {count(gone, 'learned selector')} forgotten")
            return EXIT_OK
        learned = store.learned()
    finally:
        store.close()
    if not learned:
        print(
            'No learned selectors are kept (a site keeps them with repair = "apply"; '
            "`feedgen-app status` shows those offered)."
        )
    for item in learned:
        mode = config.profiles[item.site].repair if item.site in config.profiles else "unknown site"
        when = item.learned_at.isoformat() if item.learned_at else "?"
        print(f"{item.site} ({mode}): {item.field} = `{item.selector}`, learned {when}: {item.why}")
    return EXIT_OK


def cmd_migrate_state(args: argparse.Namespace, _stopper: Stopper) -> int:
    from feedgen_app.commands.migrate_state import migrate_state

    return migrate_state(_load(args.config), args.to, args.password_env, args.password_file)


def cmd_preview(args: argparse.Namespace, _stopper: Stopper) -> int:
    from feedgen_app.commands.preview import preview

    return preview(_load(args.config), args.feed, args.stories, args.html, utc_now, sys.stdout)


def cmd_save_page(args: argparse.Namespace, _stopper: Stopper) -> int:
    from pathlib import Path

    from feedgen_app.commands.save_page import save_page

    folder = args.dir or (
        "tests/fixtures/saved" if Path("tests/test_saved_pages.py").exists() else "saved-pages"
    )
    config = args.config or ("feeds.toml" if Path("feeds.toml").exists() else None)
    if config:
        loaded = _load(config)
        profiles, http = dict(loaded.profiles), loaded.http
    else:
        from feedgen_app.config import HttpConfig

        profiles, http = _profiles(None), HttpConfig()
    return save_page(profiles, http, args.url, args.site, folder, sys.stdout)


def _profiles(config: str | None) -> dict[str, SiteProfile]:
    """The profiles --site may name: a feeds.toml's, else the built-in ones."""
    from feedgen_app.profile import builtin_names, builtin_table, profile_from_table

    if config:
        return dict(_load(config).profiles)
    return {n: profile_from_table(n, builtin_table(n), f"built-in profile {n}") for n in builtin_names()}


def _input_fetcher(args: argparse.Namespace, stopper: Stopper) -> Fetcher:
    """One polite client for every URL among a command's inputs (robots.txt read once a host), which a
    stop cuts short."""
    from feedgen_app.config import HttpConfig
    from feedgen_app.fetching.http import Fetcher
    from feedgen_app.fetching.session import new_session

    http = _load(args.config).http if args.config else HttpConfig()
    return Fetcher(http, new_session(http.user_agent), stop=stopper.event)


def _pages_done(stopper: Stopper, pages: PagesRead) -> int:
    if stopper.signum is not None:
        return _stopped(stopper, f"{pages.read} of {count(pages.total, 'input')} read")
    return pages.exit_code


def cmd_extract(args: argparse.Namespace, stopper: Stopper) -> int:
    from feedgen_app.commands.extract_pages import run_extract

    profiles = _profiles(args.config)
    fetcher = _input_fetcher(args, stopper)
    pages = run_extract(
        args.inputs, args.site, profiles, args.url, args.format, sys.stdout, fetcher, utc_now(), stopper.event
    )
    return _pages_done(stopper, pages)


def cmd_discover(args: argparse.Namespace, stopper: Stopper) -> int:
    from feedgen_app.commands.discover_pages import run_discover

    profiles = _profiles(args.config)
    fetcher = _input_fetcher(args, stopper)
    pages = run_discover(
        args.inputs, args.site, profiles, args.url, args.format, sys.stdout, fetcher, stopper.event
    )
    return _pages_done(stopper, pages)


def cmd_init(args: argparse.Namespace, _stopper: Stopper) -> int:
    from feedgen_app.commands.init import init

    return init(args.dir, sys.stdout, args.data_dir)


def cmd_demo(args: argparse.Namespace, stopper: Stopper) -> int:
    from feedgen_app.demo.run import run_demo

    return run_demo(args.port, args.keep, args.new_story_every, args.poll_every, utc_now, stopper, sys.stdout)


def cmd_run(args: argparse.Namespace, stopper: Stopper) -> int:
    from feedgen_app.running.daemon import run_daemon

    return run_daemon(args.config, args.serve, utc_now, stopper)


def main(argv: Sequence[str] | None = None) -> int:
    args = command_line().parse_args(argv)
    setup_logging(args.log_level)
    commands = {
        "build": cmd_build,
        "check": cmd_check,
        "run": cmd_run,
        "status": cmd_status,
        "reextract": cmd_reextract,
        "repair": cmd_repair,
        "preview": cmd_preview,
        "save-page": cmd_save_page,
        "extract": cmd_extract,
        "discover": cmd_discover,
        "init": cmd_init,
        "demo": cmd_demo,
        "migrate-state": cmd_migrate_state,
    }
    stopper = Stopper()
    try:
        with stopper.installed():
            return commands[args.command](args, stopper)
    except ConfigError as exc:
        print(f"feedgen-app: configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except FeedgenError as exc:
        print(f"feedgen-app: error: {exc}", file=sys.stderr)
        return EXIT_BUSY if isinstance(exc, StateBusyError) else EXIT_FAILED
    except KeyboardInterrupt:
        print("feedgen-app: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `feedgen-app status | head -1`: the reader has what it wanted; nothing more to say to anyone,
        # and nothing left in the buffer to fail again when Python flushes it at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE
