"""The command line's words: every command, its options and their help, as `feedgen-app --help` shows them.
The commands themselves are cli.py's."""

from __future__ import annotations

import argparse
from typing import Any

from feedgen_app import __version__


def command_line() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feedgen-app", description="Full-text feeds for news sites that publish none."
    )
    parser.add_argument("--version", action="version", version=f"feedgen-app {__version__}")
    levels = ["DEBUG", "INFO", "WARNING", "ERROR"]
    parser.add_argument("--log-level", default="INFO", choices=levels, help="how much to log (default INFO)")
    # the global options also after the command (`feedgen-app build --log-level DEBUG`)
    anywhere = argparse.ArgumentParser(add_help=False)
    anywhere.add_argument(
        "--log-level", default=argparse.SUPPRESS, choices=levels, help="as before the command"
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    class _Sub:
        @staticmethod
        def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
            return subparsers.add_parser(name, parents=[anywhere], **kwargs)

    sub = _Sub()

    def with_config(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--config", default="feeds.toml", help="the configuration file (default: ./feeds.toml)"
        )
        return p

    build = with_config(
        sub.add_parser("build", help="poll every feed (or those named) once and write the outputs")
    )
    build.add_argument(
        "--feed", action="append", default=[], metavar="ID", help="only this feed (repeatable)"
    )
    build.add_argument("--base-url", metavar="URL", help="override output.base_url (the folder's public URL)")
    check = with_config(sub.add_parser("check", help="validate the configuration and every selector"))
    check.add_argument(
        "--live",
        action="store_true",
        help="also fetch each listing and a few stories and "
        "report, field by field, which selector or fallback matched",
    )
    check.add_argument(
        "--feed", action="append", default=[], metavar="ID", help="with --live: only this feed"
    )
    check.add_argument(
        "--stories", type=int, default=3, help="with --live: stories to try per feed (default 3)"
    )
    run = with_config(sub.add_parser("run", help="the daemon: poll each feed on its schedule until stopped"))
    run.add_argument(
        "--serve", metavar="HOST:PORT", help="also serve the output folder over HTTP, with /healthz"
    )
    preview = with_config(
        sub.add_parser("preview", help="poll one feed without writing anything and print it")
    )
    preview.add_argument("feed", metavar="FEED", help="the feed id")
    preview.add_argument("--stories", type=int, default=10, help="stories to fetch (default 10)")
    preview.add_argument("--html", metavar="FILE", help="also write the entries as a page to FILE")
    save = sub.add_parser("save-page", help="save a live page and its extraction as a test fixture")
    save.add_argument(
        "--config",
        default=None,
        help="a feeds.toml for its [sites] tables and [http] settings (default: ./feeds.toml if there is "
        "one, else the built-in profiles)",
    )
    save.add_argument("url", metavar="URL")
    save.add_argument("--site", required=True, help="the site profile to extract it with")
    save.add_argument(
        "--dir",
        default=None,
        help="where to save (default: tests/fixtures/saved in a checkout of feedgen-app, else ./saved-pages)",
    )
    extract = sub.add_parser(
        "extract", help="show what the extraction chain makes of saved pages or live URLs (no feed needed)"
    )
    extract.add_argument("inputs", nargs="+", metavar="FILE_OR_URL", help=".html or .html.gz files, or URLs")
    extract.add_argument(
        "--site", default="auto", help="the site profile to use (default: auto, no profile: fallbacks only)"
    )
    extract.add_argument(
        "--url", help="the page's URL, for links in a saved page (default: its canonical link)"
    )
    extract.add_argument("--format", choices=["json", "text", "html"], default="text", help="default: text")
    extract.add_argument(
        "--config", default=None, help="a feeds.toml whose [sites] tables are also usable as --site"
    )
    found = sub.add_parser(
        "discover",
        help="show which story links discovery takes from saved listing pages or live URLs, and why",
    )
    found.add_argument("inputs", nargs="+", metavar="FILE_OR_URL", help=".html or .html.gz files, or URLs")
    found.add_argument(
        "--site",
        default="auto",
        help="the site profile to use (default: auto, no profile: every link judged)",
    )
    found.add_argument(
        "--url", help="the page's URL, for links in a saved page (default: its canonical link)"
    )
    found.add_argument("--format", choices=["json", "text"], default="text", help="default: text")
    found.add_argument(
        "--config", default=None, help="a feeds.toml whose [sites] tables are also usable as --site"
    )
    demo = sub.add_parser(
        "demo",
        help="a sample news site bundled with feedgen-app, kept in feeds by the daemon: see it work, no network",
    )
    demo.add_argument(
        "--port", type=int, default=8000, help="where to serve the feeds (default 8000, else a free one)"
    )
    demo.add_argument(
        "--keep", metavar="DIR", help="keep the configuration, state and feeds in DIR (default: removed)"
    )
    demo.add_argument(
        "--new-story-every", type=float, default=60.0, metavar="SECONDS", help=argparse.SUPPRESS
    )
    demo.add_argument("--poll-every", type=float, default=30.0, metavar="SECONDS", help=argparse.SUPPRESS)
    init = sub.add_parser(
        "init", help="write a commented feeds.toml (the Korea Herald sections) to start from"
    )
    init.add_argument("dir", nargs="?", default=".", metavar="DIR", help="where to write it (default: here)")
    init.add_argument(
        "--data-dir",
        metavar="PATH",
        help="put the output folder and the state store under this absolute path (for a daemon: /var/lib/…)",
    )
    again = with_config(
        sub.add_parser(
            "reextract",
            help="extract every feed's archived pages again with the current profile, without fetching",
        )
    )
    again.add_argument(
        "--feed", action="append", default=[], metavar="ID", help="only this feed (repeatable)"
    )
    repair = with_config(
        sub.add_parser("repair", help="show or forget the selectors learned for a site's fields")
    )
    repair.add_argument(
        "--reset",
        metavar="SITE",
        help="forget every selector learned for this site (the next poll learns anew)",
    )
    move = with_config(
        sub.add_parser(
            "migrate-state",
            help="copy the state store (stories, validators, learned selectors, archive) to a PostgreSQL store",
        )
    )
    move.add_argument(
        "--to", required=True, metavar="URL", help="the PostgreSQL store: postgresql://user@host/db"
    )
    move.add_argument("--password-env", metavar="NAME", help="the environment variable holding its password")
    move.add_argument("--password-file", metavar="PATH", help="or the file holding it")
    status = with_config(sub.add_parser("status", help="show the health of every feed (from status.json)"))
    status.add_argument("--markdown", action="store_true", help="a Markdown table (for a CI job summary)")
    return parser
