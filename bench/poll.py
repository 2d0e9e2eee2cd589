"""Polling benchmark against a local server that adds 100 ms to every response (20 stories), in one run:

1. a cold build with max_per_host = 4, min_delay = 0: target within 1.3x the floor 100 ms x (2 + ceil(20/4));
2. a cold build with min_delay = 0.5: target within 1.1x of 20 x 0.5 s;
3. a poll right after, with nothing changed: only the listing is requested (304), no file is written;
4. CPU ms per story (parse, extract, render).
Baseline measured in the same run: the same 22 URLs fetched with plain requests, 4 at a time.

    python bench/poll.py [--runs N]
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from _common import feeds_toml, machine, report
from support.site_server import FIXTURES, SiteServer

from feedgen_app.config import load_config
from feedgen_app.extraction.extract import extract_story
from feedgen_app.fetching.session import new_session
from feedgen_app.profile import builtin_table, profile_from_table
from feedgen_app.records import Page
from feedgen_app.running.build import run_build

STORIES = 20
DELAY = 0.1
PAGES = FIXTURES / "koreaherald/current/pages"
SOURCES = sorted(PAGES.glob("article-*.html"))


def story_html(i: int) -> bytes:
    src = SOURCES[i % len(SOURCES)]
    old_id = src.stem.split("-")[1]
    return src.read_text().replace(old_id, str(10880000 + i)).encode()


def listing_html() -> bytes:
    items = "".join(
        f'<li><a href="/article/{10880000 + i}"><p class="news_title">Story {i}</p></a></li>'
        for i in range(STORIES)
    )
    return (
        "<html><body><section class='section_list'><article class='recent_news'><ul class='news_list'>"
        f"{items}</ul></article></section></body></html>"
    ).encode()


def serve() -> SiteServer:
    server = SiteServer(delay=DELAY)
    server.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    server.static("/section", listing_html())
    for i in range(STORIES):
        server.static(f"/article/{10880000 + i}", story_html(i))
    return server


def config(folder: Path, server: SiteServer, min_delay: float, max_per_host: int) -> Path:
    feed = f'[[feeds]]\nid = "bench"\nsite = "koreaherald"\nlisting = "{server.url("/section")}"\n'
    return feeds_toml(folder, feed, http=f"min_delay = {min_delay}\nmax_per_host = {max_per_host}\n")


def cold_build(server: SiteServer, min_delay: float, max_per_host: int) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(config(Path(tmp), server, min_delay, max_per_host))
        seen = len(server.requests)
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_build(cfg, new_session(cfg.http.user_agent), lambda: datetime(2026, 11, 27, tzinfo=UTC))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert result.exit_code == 0 and result.reports[0].new == STORIES, result.reports
        return wall, cpu, len(server.requests) - seen


def raw_fetch(server: SiteServer) -> float:
    urls = [server.url("/robots.txt"), server.url("/section")] + [
        server.url(f"/article/{10880000 + i}") for i in range(STORIES)
    ]
    session = requests.Session()
    started = time.perf_counter()
    for url in urls[:2]:
        session.get(url, timeout=10).raise_for_status()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda u: session.get(u, timeout=10).content, urls[2:]))
    return time.perf_counter() - started


def quiet_poll(server: SiteServer) -> tuple[list[str], list[str], float]:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config(config(Path(tmp), server, 0.0, 4))
        clock = [datetime(2026, 11, 27, tzinfo=UTC)]
        run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])
        seen = len(server.requests)
        clock[0] += timedelta(minutes=30)
        started = time.perf_counter()
        result = run_build(cfg, new_session(cfg.http.user_agent), lambda: clock[0])
        return [r.path for r in server.requests[seen:]], list(result.written), time.perf_counter() - started


def cpu_per_story(repeat: int = 20) -> tuple[float, float]:
    from feedgen_app.publishing.render import entry_of, render_atom
    from feedgen_app.records import StoredStory

    profile = profile_from_table("koreaherald", builtin_table("koreaherald"), "bench")
    pages = [
        (f"https://www.koreaherald.com/article/{10880000 + i}", story_html(i).decode())
        for i in range(STORIES)
    ]
    extract_times, render_times = [], []
    cfg_dir = Path(tempfile.mkdtemp())
    feed = load_config(config(cfg_dir, serve(), 0, 4)).feeds[0]
    for _ in range(repeat):
        t = time.process_time()
        stories = [extract_story(Page(u, u, 200, h), profile, u, u[-16:]) for u, h in pages]
        extract_times.append((time.process_time() - t) / STORIES)
        stored = [
            StoredStory(s, datetime(2026, 11, 27, tzinfo=UTC), "", datetime(2026, 11, 27, tzinfo=UTC))
            for s in stories
        ]
        t = time.process_time()
        render_atom(feed, [entry_of(s, feed) for s in stored], "https://example.org/bench.atom", "KH")
        render_times.append((time.process_time() - t) / STORIES)
    return statistics.median(extract_times) * 1000, statistics.median(render_times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-runs", type=int, default=3)
    args = parser.parse_args()
    with serve() as server:
        raw = statistics.median(raw_fetch(server) for _ in range(args.runs))
        fast = [cold_build(server, 0.0, 4) for _ in range(args.runs)]
        slow = [cold_build(server, 0.5, 4) for _ in range(args.slow_runs)]
        quiet_paths, quiet_written, quiet_s = quiet_poll(server)
    extract_ms, render_ms = cpu_per_story()
    floor_fast = DELAY * (2 + math.ceil(STORIES / 4))
    floor_slow = STORIES * 0.5
    fast_wall = statistics.median(w for w, _, _ in fast)
    slow_wall = statistics.median(w for w, _, _ in slow)
    cpu_story = statistics.median(c for _, c, _ in fast) / STORIES * 1000
    lines = [
        "## Polling (`bench/poll.py`)",
        "",
        f"Local server adding {DELAY * 1000:.0f} ms to every response, {STORIES} stories; medians of {args.runs} "
        f"runs ({args.slow_runs} for min_delay 0.5); {machine()}.",
        "",
        "| measurement | result | target | ratio |",
        "|---|---|---|---|",
        f"| baseline: the same 22 URLs with plain requests, 4 at a time | {raw * 1000:.0f} ms | | |",
        f"| cold build, max_per_host 4, min_delay 0 | {fast_wall * 1000:.0f} ms | ≤ 1.3 × floor {floor_fast * 1000:.0f} ms "
        f"| {fast_wall / floor_fast:.2f} × floor, {fast_wall / raw:.2f} × baseline |",
        f"| cold build, max_per_host 4, min_delay 0.5 | {slow_wall:.2f} s | ≤ 1.1 × {floor_slow:.0f} s "
        f"| {slow_wall / floor_slow:.3f} × |",
        f"| requests in a cold build | {fast[0][2]} | robots.txt + listing + {STORIES} stories | |",
        f"| quiet poll right after: requests | {len(quiet_paths)}: {', '.join(quiet_paths)} | the listing only (304) | |",
        f"| quiet poll: files written | {', '.join(quiet_written) or 'none'} | no feed, index or OPML | |",
        f"| quiet poll: wall time | {quiet_s * 1000:.0f} ms | | |",
        f"| CPU per story, whole cold build (fetch, parse, extract, store, render) | {cpu_story:.2f} ms | | |",
        f"| CPU per story: extract (parse + fields + clean) | {extract_ms:.2f} ms | | |",
        f"| CPU per story: render Atom | {render_ms:.2f} ms | | |",
    ]
    report("poll", lines)


if __name__ == "__main__":
    main()
