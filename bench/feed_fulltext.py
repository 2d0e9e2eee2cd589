"""Full text from a partial feed, against morss on the same feed, in one run.

A local site serves N real article pages of `shared/benchmarks/articles` (gold text known) and a partial RSS
feed of them (title and one line each). Both tools turn that feed into a full-text feed:
- feedgen-app: a feed whose `listing` is the RSS feed, `site = "auto"` (no profile), one `build`;
- morss (PyPI, its own venv: `python -m venv /tmp/morssenv && /tmp/morssenv/bin/pip install morss`), the CLI
  on the feed URL with its item and time limits lifted (MAX_ITEM=-1, MAX_TIME=-1, LIM_ITEM=-1, LIM_TIME=-1).
Each output item's content is scored against the gold text with the set's score.py (F1; precision is how
much chrome got in), and the requests each tool made and its wall time are counted.

    python bench/feed_fulltext.py [--pages 60] [--morss /tmp/morssenv/bin/morss]
"""

from __future__ import annotations

import argparse
import gzip
import html
import os
import subprocess
import tempfile
import time
from pathlib import Path

import feedparser
import lxml.html
from _common import machine, report
from extract_real import REAL_SET, load_score
from support.site_server import SiteServer

from feedgen_app.fetching.encoding import decode


def text_of(content: str) -> str:
    if not content.strip():
        return ""
    root = lxml.html.fromstring(f"<div>{content}</div>")
    for block in root.iter(
        "p", "li", "h1", "h2", "h3", "h4", "blockquote", "pre", "figcaption", "tr", "td", "th", "br"
    ):
        block.tail = "\n\n" + (block.tail or "")
    return str(root.text_content())


def serve(site: SiteServer, folder: Path, ids: list[str], gold: dict[str, dict[str, str]]) -> str:
    site.static("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    items = []
    for n, pid in enumerate(ids):
        page = decode(gzip.decompress((folder / "pages" / f"{pid}.html.gz").read_bytes()), "text/html")
        path = f"/story/{pid}"
        site.static(path, page.encode())
        first = " ".join(gold[pid]["text"].split()[:20])
        items.append(
            f"<item><title>{html.escape(gold[pid]['title'] or pid)}</title><link>{site.url(path)}</link>"
            f"<guid>{site.url(path)}</guid><description>{html.escape(first)}…</description>"
            f"<pubDate>Wed, {1 + n % 28:02d} Oct 2025 08:00:00 +0000</pubDate></item>"
        )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Partial feed</title>'
        f"<link>{site.url('/')}</link><description>first lines only</description>{''.join(items)}</channel></rss>"
    )
    site.static("/feed.xml", feed.encode(), "application/rss+xml")
    return site.url("/feed.xml")


def ours(feed_url: str, count: int) -> tuple[dict[str, str], float]:
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "feeds.toml"
        config.write_text(
            f'[output]\ndir = "public"\nbase_url = "https://example.org/"\n[http]\nmin_delay = 0\n'
            f'max_per_host = 4\n[[feeds]]\nid = "full"\nsite = "auto"\nlisting = "{feed_url}"\n'
            f"max_entries = {count}\n"
        )
        started = time.perf_counter()
        subprocess.run(
            ["python", "-m", "feedgen_app", "build", "--config", str(config)],
            check=False,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
        parsed = feedparser.parse((Path(tmp) / "public" / "full.atom").read_bytes())
    return {e.link: e.content[0].value if e.get("content") else "" for e in parsed.entries}, seconds


def morss(command: str, feed_url: str) -> tuple[dict[str, str], float]:
    env = {**os.environ, "MAX_ITEM": "-1", "MAX_TIME": "-1", "LIM_ITEM": "-1", "LIM_TIME": "-1"}
    started = time.perf_counter()
    out = subprocess.run(
        [command, "--format=rss", "--force", feed_url], check=False, capture_output=True, env=env
    ).stdout
    seconds = time.perf_counter() - started
    parsed = feedparser.parse(out)
    return {
        e.link: (e.content[0].value if e.get("content") else e.get("summary", "")) for e in parsed.entries
    }, seconds


def compare(count: int, morss_command: str, score: object, gold: dict[str, dict[str, str]]) -> list[str]:
    every = max(1, len(gold) // count)
    ids = sorted(gold)[::every][:count]
    rows = []
    for name, run in (
        ("feedgen-app (`listing` = the feed, site auto)", lambda url: ours(url, len(ids))),
        ("morss 20230627 (limits lifted)", lambda url: morss(morss_command, url)),
    ):
        with SiteServer() as site:
            url = serve(site, REAL_SET, ids, gold)
            before = len(site.requests)
            contents, seconds = run(url)
            requests = len(site.requests) - before
            by_id = {link.rsplit("/", 1)[-1]: text_of(c) for link, c in contents.items()}
        counts = [score.page_counts(gold[pid]["text"], by_id.get(pid, "")) for pid in ids]  # type: ignore[attr-defined]
        s = score.summarise(counts)  # type: ignore[attr-defined]
        empty = sum(1 for pid in ids if not by_id.get(pid, "").strip())
        rows.append(
            f"| {len(ids)} (1 in {every}) | {name} | {len(contents)}/{len(ids)} | {s['f1']:.3f} "
            f"| {s['precision']:.3f} | {s['recall']:.3f} | {empty} | {requests} | {seconds:.1f} s |"
        )
        print(rows[-1], flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="60,150", help="feed sizes, comma-separated")
    parser.add_argument("--morss", default="/tmp/morssenv/bin/morss")
    args = parser.parse_args()
    score = load_score(REAL_SET)
    gold = score.load_gold(REAL_SET / "gold.jsonl")
    rows = [row for count in args.pages.split(",") for row in compare(int(count), args.morss, score, gold)]
    lines = [
        "## Full text from a partial feed, vs morss (`bench/feed_fulltext.py`)",
        "",
        "A local site serving real pages of `shared/benchmarks/articles` and a partial RSS feed of them (title "
        f"and first line); each tool makes a full-text feed of it in one run; {machine()}. Content scored "
        "against the gold text with the set's score.py (precision: how little chrome got in). Requests: what "
        "the tool asked the site for (the feed, robots.txt, the pages). An items count of 0 means the tool "
        "gave no feed at all.",
        "",
        "| feed items | tool | items out | F1 | precision | recall | empty items | requests | wall |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    report("feed-fulltext", lines)


if __name__ == "__main__":
    main()
