"""`feedgen-app reextract`: the current profile (learned selectors included, with `repair = "apply"`) and
extraction chain run again over each feed's archived pages (storage/archive.py), without fetching. A story
whose visible content changed is revised (its entry's `updated` moves); one whose dates or field sources
changed is refreshed (it does not); the feed files are written again when anything changed."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime

from feedgen_app.config import Config
from feedgen_app.errors import FeedgenError, PublishError
from feedgen_app.extraction.extract import extract_story
from feedgen_app.profile import applied
from feedgen_app.publishing.publish import publish
from feedgen_app.repair.article import vetted
from feedgen_app.repair.sample import Sample
from feedgen_app.running.bugs import report_bug
from feedgen_app.running.build import render_feed, write_site_files
from feedgen_app.running.progress import Progress
from feedgen_app.storage.open_store import open_store
from feedgen_app.storage.store import StoreError

OUTCOMES = ("revised", "refreshed", "unchanged", "failed", "gone")


def run_reextract(
    config: Config,
    feed_ids: Sequence[str],
    clock: Callable[[], datetime],
    progress: Progress,
    stop: threading.Event | None = None,
) -> dict[str, Counter[str]]:
    """{feed id: how many archived stories came out revised, refreshed, unchanged, failed or gone}. After
    `stop`, the feed at hand is written with what was done and the others are left (not in the result)."""
    stop = stop or threading.Event()
    feeds = [config.feed(i) for i in feed_ids] if feed_ids else list(config.feeds)
    store = open_store(config)
    results: dict[str, Counter[str]] = {}
    try:
        for feed in feeds:
            if stop.is_set():
                break
            now = clock()
            profile = applied(feed.profile, store.learned(feed.profile.name))
            counts: Counter[str] = Counter()
            pages = store.archived_pages(feed.id)
            for done, (url, _fetched) in enumerate(pages, 1):
                if stop.is_set():
                    break
                progress.status(f"{feed.id}: page {done}/{len(pages)}")
                archived = store.archived_page(feed.id, url)
                if archived is None:
                    continue
                try:
                    story = extract_story(
                        archived.page,
                        profile,
                        archived.url,
                        archived.story_id,
                        feed.max_story_kb * 1000,
                        archived.hint,
                        now,
                    )
                except FeedgenError as exc:
                    counts["failed"] += 1
                    progress.warning("%s: %s: not re-extracted: %s", feed.id, url, exc)
                    continue
                except Exception as exc:  # a bug on one page must not stop the others
                    counts["failed"] += 1
                    report_bug("re-extraction", url, exc)
                    continue
                # as in a poll, a learned selector's field must be what the fallbacks give
                sample = Sample(archived.page, story, archived.hint, feed.max_story_kb * 1000)
                story, wrong = vetted(sample, profile, now)
                for field, why in wrong.items():
                    progress.warning("%s: learned %s selector not used: %s", feed.id, field, why)
                counts[store.reextracted(story, now)] += 1
            if counts["revised"] or counts["refreshed"]:
                try:
                    rendered, _entries = render_feed(feed, config, store, now)
                    publish(config.output_dir, rendered)
                except (PublishError, StoreError) as exc:
                    progress.error("%s: feed not written: %s", feed.id, exc)
            if stop.is_set():
                break
            results[feed.id] = counts
            progress.info(
                "%s: %d archived pages re-extracted: %s",
                feed.id,
                len(pages),
                ", ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o] or o == "revised"),
            )
        write_site_files(config, store, clock(), progress)
        progress.clear()
        return results
    finally:
        store.close()
