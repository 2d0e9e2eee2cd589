"""History-size benchmark: does a poll cost more when the store holds more stories?

A state store is filled with N stories (1,000 / 10,000 / 100,000), 200 per feed, as hundreds of feeds leave
it; then one feed is measured on a local site whose listing names its 50 newest stories, all known and old
enough not to be re-checked, answered 200 each time (a listing with no validators, the common case):
- quiet poll: `run_build` of that feed (listing fetch, what is known, nothing to fetch, prune, render,
  files compared and left alone), median of 5;
- render: `render_feed` alone, median of 5;
- the store's size on disk.
The last column is a listing of 50,000 links on a cold store: how long until the feed is published, and
with how many requests.

    python bench/history_size.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import feeds_toml, machine, report
from support.site_server import Response, SiteServer

from feedgen_app.config import load_config
from feedgen_app.fetching.session import new_session
from feedgen_app.records import Story
from feedgen_app.running.build import render_feed, run_build
from feedgen_app.storage.store import Store

PER_FEED = 200
ID = 10_000_000  # story URLs carry a long number, as news sites' do
LISTED = 50
NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)
BODY = "<p>" + "A paragraph of the story, as long as a usual one in a news report. " * 12 + "</p>"


def story(url: str, n: int) -> Story:
    return Story(
        url=url,
        story_id=url.rsplit("/", 1)[1],
        title=f"Story {n}",
        authors=("A. Writer",),
        published=NOW - timedelta(days=10, minutes=n),
        updated=None,
        body_html=BODY * 4,
        body_text="text",
    )


def fill(path: Path, total: int, base: str) -> None:
    """`total` stories, 200 per feed; feed "measured" holds stories 0..199 of the site at `base`."""
    store = Store(path)
    then = NOW - timedelta(days=1)
    store.db.execute("BEGIN")
    for n in range(total):
        feed = "measured" if n < PER_FEED else f"other-{n // PER_FEED}"
        url = (
            f"{base}/article/{ID + n}"
            if n < PER_FEED
            else f"https://other-{n // PER_FEED}.example/article/{ID + n}"
        )
        store.save_story.__wrapped__(store, story(url, n), f"Story {n} of the day", None, None, then)  # type: ignore[attr-defined]
        store.db.execute(
            "INSERT INTO feed_stories (feed_id, url, first_seen, last_seen, listing_text) VALUES (?, ?, ?, ?, ?)",
            (feed, url, then.isoformat(), then.isoformat(), f"Story {n} of the day"),
        )
    store.db.execute("COMMIT")
    store.close()


def config(folder: Path, listing: str, extra: str = "") -> Path:
    feed = f'[[feeds]]\nid = "measured"\nsite = "auto"\nlisting = "{listing}"\n{extra}'
    return feeds_toml(folder, feed, top='[state]\npath = "state.sqlite"\n')


def listing_page(links: int) -> bytes:
    items = "".join(f'<li><a href="/article/{ID + n}">Story {n} of the day</a></li>' for n in range(links))
    return f"<html><body><main><h1>Section</h1><ul>{items}</ul></main></body></html>".encode()


def one_size(total: int) -> str:
    with SiteServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        body = listing_page(LISTED)
        server.route("/section", lambda _r: Response(200, body, {"Content-Type": "text/html; charset=utf-8"}))
        folder = Path(tmp)
        cfg = load_config(config(folder, server.url("/section")))
        fill(cfg.state_path, total, server.base)
        clock = [NOW]
        run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])  # robots, first render
        polls, renders = [], []
        for _ in range(5):
            clock[0] += timedelta(minutes=30)
            started = time.perf_counter()
            result = run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])
            polls.append(time.perf_counter() - started)
            assert result.reports[0].new == 0 and result.reports[0].listed == LISTED, result.reports[0]
            store = Store(cfg.state_path)
            started = time.perf_counter()
            render_feed(cfg.feeds[0], cfg, store, clock[0])
            renders.append(time.perf_counter() - started)
            store.close()
        size = cfg.state_path.stat().st_size / 1e6
        return (
            f"| {total:,} | {statistics.median(polls) * 1000:.0f} ms | "
            f"{statistics.median(renders) * 1000:.0f} ms | {size:.1f} MB |"
        )


def huge_listing(links: int) -> str:
    with SiteServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        server.static("/section", listing_page(links))
        for n in range(links):
            server.static(
                f"/article/{ID + n}",
                (
                    f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>"
                    f"<time datetime='2026-11-{1 + n % 27:02d}T09:00:00Z'>Nov</time>{BODY}</article></body></html>"
                ).encode(),
            )
        cfg = load_config(config(Path(tmp), server.url("/section")))
        started = time.perf_counter()
        result = run_build(cfg, new_session(cfg.http.user_agent), lambda: NOW)
        seconds = time.perf_counter() - started
        r = result.reports[0]
        verdict = f"published {r.entries} entries" if not r.held else f"held: {r.reason[:80]}"
        return f"{links:,}-link listing, cold: {seconds:.1f} s, {server.count()} requests, {verdict}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--links", type=int, default=50_000)
    args = parser.parse_args()
    rows = []
    for total in (int(x) for x in args.sizes.split(",")):
        rows.append(one_size(total))
        print(rows[-1], flush=True)
    big = huge_listing(args.links)
    print(big)
    lines = [
        "## History size (`bench/history_size.py`)",
        "",
        f"A store filled with N stories, {PER_FEED} per feed; one feed measured on a local site whose listing "
        f"names {LISTED} known stories (answered 200, nothing to fetch); median of 5; {machine()}.",
        "",
        "| stories stored | quiet poll (whole build) | render | store size |",
        "|---|---|---|---|",
        *rows,
        "",
        big,
    ]
    report("history-size", lines)


if __name__ == "__main__":
    main()
