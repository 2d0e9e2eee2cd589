"""The one module that wires the stages: config → fetch listing → discover → decide → fetch stories →
extract → store → render → publish. `run_build` is one poll of the chosen feeds; the daemon calls it too.

A bad story never stops its feed, a bad feed never stops the build, and a feed whose poll went wrong
keeps its last good file: it is held, and the reason goes to the log and to status.json.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import requests

from feedgen_app.config import Config, FeedConfig
from feedgen_app.errors import BugError, PublishError
from feedgen_app.fetching.http import Fetcher
from feedgen_app.filters import wanted
from feedgen_app.publishing.publish import publish
from feedgen_app.publishing.render import RENDERERS, entry_of
from feedgen_app.publishing.render_key import render_key
from feedgen_app.publishing.site import files_present, site_files
from feedgen_app.publishing.status import HEALTHY, SITE_FILES, STATUS_FILE, record_status, status_json
from feedgen_app.publishing.websub import ping_hub
from feedgen_app.records import FeedReport
from feedgen_app.running.bugs import report_bug
from feedgen_app.running.held_lease import PollLease
from feedgen_app.running.poll import poll_feed, remembered
from feedgen_app.running.progress import Progress
from feedgen_app.storage.open_store import open_store
from feedgen_app.storage.store import Store, StoreError
from feedgen_app.urls import feed_origins

Clock = Callable[[], datetime]
STOP_GRACE_S = 1.5  # after a stop, how long the polls in flight get to end before they are left


@dataclass(frozen=True)
class BuildResult:
    reports: tuple[FeedReport, ...]
    written: tuple[str, ...]
    abandoned: bool = False  # stopped, and some poll did not end within STOP_GRACE_S: it was left running

    @property
    def exit_code(self) -> int:
        return 0 if all(r.ok for r in self.reports) else 1

    @property
    def stopped(self) -> int:
        """Feeds whose poll a stop cut short or kept from starting."""
        return sum(r.stopped for r in self.reports)


def _shown(feed: FeedConfig, now: datetime) -> tuple[int, datetime | None]:
    """How many of the feed's newest stored stories rendering reads, and published since when."""
    since = now - timedelta(days=feed.max_age_days) if feed.max_age_days else None
    # filtered from what the store keeps, so a new rule needs no refetch
    return (remembered(feed) if feed.include or feed.exclude else feed.max_entries), since


def _render_key(feed: FeedConfig, config: Config, store: Store, now: datetime) -> str | None:
    """The key of what the feed's files would be rendered from now (publishing/render_key.py)."""
    return render_key(feed, config, store.feed_digest(feed.id, *_shown(feed, now)))


def render_feed(
    feed: FeedConfig, config: Config, store: Store, now: datetime
) -> tuple[dict[str, bytes], int]:
    """The feed's files ({name: bytes}) and how many entries they carry."""
    stored = store.feed_stories(feed.id, *_shown(feed, now))
    if feed.include or feed.exclude:
        stored = [s for s in stored if wanted(s.story, feed.include, feed.exclude)][: feed.max_entries]
    entries = [entry_of(s, feed) for s in stored]
    if not entries:
        return {}, 0
    site_name = feed.profile.title or feed.title
    out = {}
    for fmt in feed.formats:
        suffix, render = RENDERERS[fmt]
        name = f"{feed.id}{suffix}"
        out[name] = render(feed, entries, config.base_url + name, site_name, config.websub_hub)
    return out, len(entries)


def _unchanged(feed: FeedConfig, config: Config, store: Store, key: str | None) -> int | None:
    """How many entries the feed's files carry, when they are there and were rendered from what rendering
    would read now (the same key); None when the feed must be rendered."""
    last = store.rendered(feed.id)
    if key is None or last is None or last[0] != key:
        return None
    return last[1] if files_present(config, feed) else None


def run_build(
    config: Config,
    session: requests.Session,
    clock: Clock,
    feed_ids: Sequence[str] = (),
    progress: Progress | None = None,
    stop: threading.Event | None = None,
    fetcher: Fetcher | None = None,
    write_site: bool = True,
    store: Store | None = None,
    leases: Mapping[str, PollLease] | None = None,
    worker: str | None = None,
    rendered: dict[str, str] | None = None,
) -> BuildResult:
    """One poll of the chosen feeds (all by default), several at once. The daemon passes its long-lived
    `fetcher` (so hosts stay paced across polls) and `store` (one connection for every poll: one writer,
    never refused by another), and writes the site files on its own cycle; with workers sharing a store,
    a feed's poll runs under this worker's lease from `leases`, which says before the feed's files and
    status are written whether this worker still holds it (a worker that stalled past its lease writes
    nothing: another has polled it) and keeps the listing read for a worker that takes over."""
    progress = progress or Progress(live=False)
    feeds = [config.feed(i) for i in feed_ids] if feed_ids else list(config.feeds)
    own_store = store is None
    store = store or open_store(config)
    abandoned = False
    if own_store and store.set_aside:
        progress.warning(
            "the state store was damaged: moved to %s, starting afresh (stories are refetched)",
            store.set_aside,
        )
    try:
        hosts = fetcher or Fetcher(config.http, session, stop=stop)
        reports: list[FeedReport] = []
        written: list[str] = []

        def one(feed: FeedConfig) -> tuple[FeedReport, list[str]]:
            if hosts.stop.is_set():
                return _not_polled(feed), []
            now = clock()
            files: list[str] = []
            origins = feed_origins(feed.listing, [feed.site_feed or ""], feed.profile.allowed_hosts)
            poll = hosts.for_poll(origins=origins)
            lease = leases.get(feed.id) if leases is not None else None
            report = _poll_and_publish(feed, config, store, poll, now, progress, files, lease, rendered)
            if report.lost:  # another worker has the feed now: its status and files are that worker's
                progress.warning("%s: %s", feed.id, report.reason)
                return report, files
            if report.stopped:  # its last status and files stand; the next poll does it again
                progress.warning("%s: %s", feed.id, report.reason)
                return report, files
            try:
                recorded = record_status(store, report, now, worker)
                if report.listing_unchanged and report.ok and recorded["state"] != HEALTHY:
                    # a 304 re-checks nothing: the feed is as the last real poll found it
                    report = replace(
                        report, ok=False, reason=f"{recorded['why']} (as last found; listing unchanged)"
                    )
            except StoreError as exc:
                progress.error("%s: status not recorded: %s", feed.id, exc)
            _log_report(report, progress, (config.output_dir / f"{feed.id}.atom").exists())
            if config.websub_hub and files:  # only when a feed file's bytes changed
                for problem in ping_hub(
                    session, config.websub_hub, [config.base_url + name for name in files]
                ):
                    progress.warning("%s: %s", feed.id, problem)
            return report, files

        # feeds at once, each with its own time budget; hosts stay paced and capped across all of them
        workers = max(1, min(config.http.parallel_feeds, len(feeds)))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed")
        futures = [pool.submit(one, feed) for feed in feeds]
        abandoned = not _all_done(futures, hosts.stop)
        pool.shutdown(wait=not abandoned, cancel_futures=True)
        for feed, future in zip(feeds, futures, strict=True):
            report, files = future.result() if future.done() else (_not_polled(feed, cut=True), [])
            reports.append(report)
            written += files
        if write_site:
            written += write_site_files(config, store, clock(), progress)
        progress.clear()
        return BuildResult(tuple(reports), tuple(written), abandoned)
    finally:
        if own_store and not abandoned:  # a poll left running may still write to it; the process is ending
            store.close()


def _all_done(futures: Sequence[Future[tuple[FeedReport, list[str]]]], stop: threading.Event) -> bool:
    """Wait for every poll; after a stop, STOP_GRACE_S at the most. Whether all of them ended."""
    pending = set(futures)
    grace_until = None
    while pending:
        _, pending = wait(pending, timeout=0.1)
        if stop.is_set():
            grace_until = grace_until or time.monotonic() + STOP_GRACE_S
            if time.monotonic() >= grace_until:
                break
    return not pending


def _not_polled(feed: FeedConfig, cut: bool = False) -> FeedReport:
    why = "its poll did not end in time and was left" if cut else "not polled"
    return FeedReport(feed.id, ok=False, held=True, stopped=True, reason=f"{why}: feedgen-app was stopped")


def write_site_files(
    config: Config, store: Store, now: datetime, progress: Progress, problems: dict[str, str] | None = None
) -> list[str]:
    """The index, OPML and status.json: once per build or daemon cycle, not once per feed; the names
    written. What could not be written is kept in the store as a site note (`status` reads it there), and
    forgotten once written; `problems`, when given, gets what failed: {"output"|"store": why}."""
    written: list[str] = []
    problems = {} if problems is None else problems
    makers: dict[str, Callable[[], dict[str, bytes]]] = {
        SITE_FILES: lambda: site_files(config, store),
        STATUS_FILE: lambda: {"status.json": status_json(config, store, now)},
    }
    for name, files in makers.items():
        problem = None
        try:
            written += publish(config.output_dir, files())
        except (PublishError, StoreError) as exc:
            problem = f"{name}: {exc}"
            problems["store" if isinstance(exc, StoreError) else "output"] = problem
            progress.error("%s not written: %s", name, exc)
        try:
            store.note_site(name, problem, now)
        except StoreError as exc:
            problems["store"] = str(exc)
            progress.error("the store could not keep whether the %s were written: %s", name, exc)
    return written


def catch_up_feeds(
    config: Config, store: Store, now: datetime, progress: Progress, rendered_keys: dict[str, str]
) -> list[str]:
    """For workers sharing a store: the files of every feed whose stored stories changed since this worker
    last wrote or checked them (another worker polled it), so that every worker's folder holds every feed.
    `rendered_keys` is what this worker's folder holds; a file whose bytes are already there (a folder the
    workers share) is not written again."""
    written: list[str] = []
    for feed in config.feeds:
        try:
            key = _render_key(feed, config, store, now)
            if key is not None and rendered_keys.get(feed.id) == key:
                continue
            files, _entries = render_feed(feed, config, store, now)
            if files:
                written += publish(config.output_dir, files)
                if key is not None:
                    rendered_keys[feed.id] = key
        except (PublishError, StoreError) as exc:
            progress.error("%s: files not brought up to date: %s", feed.id, exc)
    return written


LEASE_LOST = (
    "this worker's lease on the poll expired before it ended (another worker polls the feed); nothing written"
)


def _poll_and_publish(
    feed: FeedConfig,
    config: Config,
    store: Store,
    fetcher: Fetcher,
    now: datetime,
    progress: Progress,
    written: list[str],
    lease: PollLease | None = None,
    rendered_keys: dict[str, str] | None = None,
) -> FeedReport:
    """Poll one feed and write its files; whatever goes wrong becomes the report's reason. The key of what
    the folder now holds for the feed goes in `rendered_keys`, when given."""
    try:
        report = poll_feed(feed, store, fetcher, now, progress, lease=lease)
        if lease is not None and not lease.still_mine():
            return replace(report, ok=False, held=True, lost=True, reason=LEASE_LOST)
        if report.held:
            return report
        key = _render_key(feed, config, store, now)
        same = _unchanged(feed, config, store, key)
        if same is not None:  # nothing the feed shows has changed: its files stand as they are
            if key is not None and rendered_keys is not None:
                rendered_keys[feed.id] = key
            return replace(report, entries=same)
        rendered, entries = render_feed(feed, config, store, now)
        if not rendered:
            return _nothing_to_publish(feed, config, store, report, now)
        written += publish(config.output_dir, rendered)
        if key is not None:
            store.save_rendered(feed.id, key, entries)
            if rendered_keys is not None:
                rendered_keys[feed.id] = key
        return replace(report, entries=entries)
    except (PublishError, StoreError) as exc:  # a full disk, a damaged store: the previous files are intact
        return FeedReport(feed.id, ok=False, held=True, reason=str(exc))
    except Exception as exc:  # a bug on hostile input in one feed must not stop the others
        bug = exc if isinstance(exc, BugError) else report_bug("the poll", feed.listing, exc)
        return FeedReport(feed.id, ok=False, held=True, reason=str(bug), bugs=1)


def _nothing_to_publish(
    feed: FeedConfig, config: Config, store: Store, report: FeedReport, now: datetime
) -> FeedReport:
    """No stored story is left to show. When every one is older than `max_age_days` and the feed has been
    published, that is a quiet section, not a failure: its file keeps its last entries."""
    since = _shown(feed, now)[1]
    if since and store.feed_stories(feed.id, 1) and not store.feed_stories(feed.id, 1, since):
        aged = f"no story from the last {feed.max_age_days:g} days (max_age_days)"
        last = store.rendered(feed.id)
        if files_present(config, feed):
            return replace(
                report, reason=f"{aged}; the feed keeps its last entries", entries=last[1] if last else 0
            )
        return replace(report, ok=False, held=True, reason=f"{aged} to publish yet")
    nothing = "no stories to publish yet"
    if feed.include or feed.exclude:
        nothing = "no story matches the feed's include/exclude rules yet"
    return replace(
        report, ok=False, held=True, reason=nothing if report.listing_unchanged else report.reason or nothing
    )


def _log_report(report: FeedReport, progress: Progress, published_before: bool) -> None:
    if report.held:
        kept = "held, last good feed kept" if published_before else "not published yet"
        kept = f"blocked by the site ({kept})" if report.blocked else kept
        progress.error("%s: %s: %s", report.feed_id, kept, report.reason)
        return
    (progress.info if report.ok else progress.warning)(
        "%s: %d listed, %d new, %d revised, %d failed, %.1fs%s",
        report.feed_id,
        report.listed,
        report.new,
        report.revised,
        report.failed,
        report.duration_s,
        f" ({report.reason})" if report.reason else "",
    )
