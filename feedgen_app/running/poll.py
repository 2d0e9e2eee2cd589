"""One poll of one feed: its listing read (a page's story links or a feed's items), what to fetch decided,
its stories fetched in parallel and extracted, and what changed saved in the store; a FeedReport says how it
went, held, blocked or published. Never raises for site trouble; a bug is a named BugError."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Generator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import islice
from urllib.parse import urlsplit

from feedgen_app.config import FeedConfig
from feedgen_app.discovery.blocked import ADVICE as BLOCKED_ADVICE
from feedgen_app.discovery.blocked import refused, story_failure, wall_of
from feedgen_app.discovery.decide import FetchPlan, decide, limit_new
from feedgen_app.discovery.discover import (
    FALLBACK_SOURCE,
    FEED_SOURCE,
)
from feedgen_app.errors import FeedgenError, FetchError, FetchKind, StoryFailure
from feedgen_app.extraction.extract import extract_story, fallback_fields
from feedgen_app.extraction.parse_budget import SHARED, ParseBudget
from feedgen_app.fetching.http import Fetcher
from feedgen_app.filters import wanted
from feedgen_app.profile import applied, without_learned
from feedgen_app.records import Discovery, FeedReport, ListingRead, Page, Story
from feedgen_app.repair.article import learned_fields, vetted
from feedgen_app.repair.sample import Sample
from feedgen_app.running.bugs import report_bug
from feedgen_app.running.held_lease import PollLease
from feedgen_app.running.progress import Progress
from feedgen_app.running.read_listing import discover_listing, listing_refs, prime_robots, site_feed_refs
from feedgen_app.running.repair_step import MAX_SAMPLES, ListingSeen, repair_step, wants_sample
from feedgen_app.storage.store import Store, StoreError
from feedgen_app.urls import origin
from feedgen_app.wording import count

log = logging.getLogger("feedgen_app.running.poll")

KEEP_AT_LEAST = 200  # stories remembered per feed: enough that ones still on the listing are never refetched
NEW_PER_POLL = 100  # new stories fetched in one poll at the most (twice max_entries when that is more)
HOLD_FAILED_SHARE = 0.5  # more than half of a poll's stories failing looks like a site problem, not a story's


@dataclass(frozen=True)
class StoryResult:
    plan: FetchPlan
    story: Story | None = None
    page: Page | None = None
    error: str | None = None
    failure: StoryFailure | None = None  # with `error`: what kind of failure, as status.json counts it
    wrong: tuple[tuple[str, str], ...] = ()  # learned selectors that disagreed with the fallbacks, and why


@dataclass
class _Tally:
    """What one poll's story results add up to (mutable while the poll runs, folded into a FeedReport)."""

    errors: list[str]
    first_failure: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    failures: Counter[StoryFailure] = field(default_factory=Counter)
    fallbacks: set[str] = field(default_factory=set)
    field_sources: Counter[tuple[str, str]] = field(default_factory=Counter)
    matched: int = 0
    extracted: int = 0
    samples: list[Sample] = field(default_factory=list)  # stories the repair step looks at (repair_step.py)
    wrong: dict[str, str] = field(default_factory=dict)  # learned selectors found wrong: {field: why}

    def record(
        self, result: StoryResult, feed: FeedConfig, store: Store, now: datetime, progress: Progress
    ) -> None:
        ref = result.plan.ref
        if result.error:
            self.counts["failed"] += 1
            self.failures[result.failure or StoryFailure.BUG] += 1
            self.errors.append(result.error)
            self.first_failure = self.first_failure or result.error
            progress.warning("%s: story skipped: %s", feed.id, result.error)
        elif result.story is None or result.page is None:  # 304 on a conditional refresh
            store.touch_story(ref.url, ref.listing_text, now)
            self.counts["unchanged"] += 1
        else:
            page, story = result.page, result.story
            for name, why in result.wrong:
                self.wrong.setdefault(name, why)
            if feed.archive_kb:
                store.archive_page(
                    feed.id, ref.url, ref.story_id, page, now, feed.archive_kb * 1000, ref.hint
                )
            if len(self.samples) < MAX_SAMPLES and wants_sample(story, feed.profile):
                self.samples.append(Sample(page, story, ref.hint, feed.max_story_kb * 1000))
            progress.debug(
                "%s: %s: %s", feed.id, story.url, ", ".join(f"{f} from {s}" for f, s in story.sources)
            )
            try:
                outcome = store.save_story(
                    story, ref.listing_text, page.etag, page.last_modified, now, feed_id=feed.id
                )
            except (ValueError, UnicodeError) as exc:  # one story the store cannot take is one failed story
                failed = replace(
                    result, error=f"{ref.url}: not stored: {exc}", failure=StoryFailure.NOT_STORED
                )
                self.record(failed, feed, store, now, progress)
                return
            self.counts[outcome] += 1
            self.extracted += 1
            missing = fallback_fields(story, feed.profile)
            self.fallbacks.update(missing)
            self.field_sources.update((f, s.split(":", 1)[0]) for f, s in story.sources)
            self.matched += not missing
            for warning in story.warnings:
                progress.info("%s: %s: %s", feed.id, story.url, warning)
            if (feed.include or feed.exclude) and not wanted(story, feed.include, feed.exclude):
                self.counts["filtered"] += 1
            if story.cut:  # a person should know the entry is not whole
                self.counts["cut"] += 1
                self.errors.append(f"{story.url}: {story.cut}")

    def into(self, report: FeedReport, listed: int, listing_matched: bool) -> FeedReport:
        return replace(
            report,
            new=self.counts["new"],
            revised=self.counts["revised"],
            failed=self.counts["failed"],
            unchanged=self.counts["unchanged"],
            cut=self.counts["cut"],
            filtered=self.counts["filtered"],
            bugs=self.failures[StoryFailure.BUG],
            refused=self.failures[StoryFailure.REFUSED],
            failed_by=tuple(sorted((k.value, n) for k, n in self.failures.items())),
            listed=listed,
            errors=tuple(self.errors),
            first_failure=self.first_failure,
            fallback_fields=tuple(sorted(self.fallbacks)),
            field_sources=tuple(sorted((f, s, n) for (f, s), n in self.field_sources.items())),
            profile_matches=listing_matched and (self.extracted == 0 or self.matched > 0),
        )


def _fetch_stories(
    fetcher: Fetcher, feed: FeedConfig, plans: Sequence[FetchPlan], budget: ParseBudget, now: datetime
) -> Generator[StoryResult, None, None]:
    """Results as they come; fetched in parallel, each host capped at max_per_host by the Fetcher. At most
    two stories a worker are in flight or waiting to be recorded, so a poll of huge pages holds a few of
    them in memory, not all."""
    hosts = {urlsplit(p.ref.url).netloc for p in plans}
    workers = max(1, min(16, fetcher.config.max_per_host * len(hosts)))
    todo = iter(plans)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"poll-{feed.id}") as pool:
        running = {
            pool.submit(_fetch_story, fetcher, feed, plan, budget, now) for plan in islice(todo, workers * 2)
        }
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            running |= {
                pool.submit(_fetch_story, fetcher, feed, plan, budget, now)
                for plan in islice(todo, len(done))
            }
            for future in done:
                yield future.result()


def _fetch_story(
    fetcher: Fetcher, feed: FeedConfig, plan: FetchPlan, budget: ParseBudget, now: datetime
) -> StoryResult:
    try:
        page = fetcher.get(plan.ref.url, plan.etag, plan.last_modified)
        if page.not_modified:
            return StoryResult(plan, page=page)
        with budget.hold(len(page.text)):
            story = extract_story(
                page,
                feed.profile,
                plan.ref.url,
                plan.ref.story_id,
                feed.max_story_kb * 1000,
                plan.ref.hint,
                now,
            )
            # fields from learned selectors are checked against the fallbacks before anything is stored
            sample = Sample(page, story, plan.ref.hint, feed.max_story_kb * 1000)
            story, wrong = _vetted(sample, feed, now)
        return StoryResult(
            plan, story=story, page=page, wrong=tuple(wrong.items())
        )  # its text goes to the archive, then is let go
    except FetchError as exc:
        return StoryResult(plan, error=str(exc), failure=story_failure(exc))
    except StoreError:  # the store (a shared one paces the hosts) failed: the poll is held, not the story
        raise
    except FeedgenError as exc:  # ExtractError: no title or no text
        return StoryResult(plan, error=str(exc), failure=StoryFailure.NOT_A_STORY)
    except Exception as exc:  # a parser bug on hostile markup must not stop the feed
        bug = report_bug("extraction", plan.ref.url, exc)
        return StoryResult(plan, error=str(bug), failure=StoryFailure.BUG)


def _vetted(sample: Sample, feed: FeedConfig, now: datetime) -> tuple[Story, dict[str, str]]:
    """`vetted`, where a bug in the check costs the check, not the story: without its learned selectors
    the story is as the profile's own selectors and the fallbacks make it."""
    try:
        return vetted(sample, feed.profile, now)
    except FeedgenError:
        raise
    except Exception as exc:
        report_bug("repair check", sample.story.url, exc)
        again = sample.extract(without_learned(feed.profile, learned_fields(sample.story)), now)
        return (again or sample.story), {}


def _held(report: FeedReport, started: float, reason: str, blocked: bool = False) -> FeedReport:
    """The feed keeps its last good file this time; the reason goes to the log and status.json."""
    if blocked:
        reason = f"{reason}; {BLOCKED_ADVICE}"
    return replace(
        report, ok=False, held=True, blocked=blocked, reason=reason, duration_s=time.monotonic() - started
    )


def _stopped(report: FeedReport, started: float) -> FeedReport:
    return replace(
        report,
        ok=False,
        held=True,
        stopped=True,
        reason="stopped before the poll ended (feedgen-app was asked to stop)",
        duration_s=time.monotonic() - started,
    )


def poll_feed(
    feed: FeedConfig,
    store: Store,
    fetcher: Fetcher,
    now: datetime,
    progress: Progress,
    budget: ParseBudget = SHARED,
    lease: PollLease | None = None,
) -> FeedReport:
    """One poll of one feed: new and revised stories go to the store. Never raises for site trouble. Under
    a cluster's `lease`, the listing read is kept with it, and a poll taking over a stopped worker's slot
    goes on from the listing kept there without asking the site again."""
    started = time.monotonic()
    report = FeedReport(feed_id=feed.id, ok=True)
    if feed.profile.repair == "apply":  # learned selectors ahead of the profile's own
        feed = replace(feed, profile=applied(feed.profile, store.learned(feed.profile.name)))
    progress.status(f"{feed.id}: listing")
    robots_answered = prime_robots(feed.listing, store, fetcher, now)
    # per feed: a renamed or new feed on the same listing starts afresh
    validator_key = f"{feed.id} {feed.listing}"
    resumed = lease.listed() if lease is not None else None
    first: Page | None = None
    found: Discovery | None = None
    if resumed is not None:  # a worker that stopped mid-poll read the listing for this slot: go on from it
        log.info(
            "%s: going on from the listing a stopped worker read (%s)",
            feed.id,
            count(len(resumed.refs), "story"),
        )
        refs, source, warnings = list(resumed.refs), resumed.source, list[str]()
        fetcher = fetcher.also_allowing(origin(r.url) for r in refs)
    else:
        etag, last_modified = store.validators(validator_key)
        try:
            first = fetcher.get(feed.listing, etag, last_modified)
        except FetchError as exc:
            if exc.kind is FetchKind.STOPPED:
                return _stopped(report, started)
            report = replace(report, unreachable=exc.kind is FetchKind.UNREACHABLE)
            why = refused(exc, robots_answered)
            return _held(report, started, why or f"listing failed: {exc}", blocked=why is not None)
        if first.not_modified:
            return replace(
                report,
                listing_unchanged=True,
                reason="listing not modified (304)",
                duration_s=time.monotonic() - started,
            )
        found = discover_listing(first, feed)
        refs, source, warnings, why_none = listing_refs(feed, fetcher, first, found, progress)
        # a feed's items go wherever they are; a page's stories to its site's other hosts (news.example.com
        # lists stories on dailynews.example.com), which discovery took only where their address names one
        fetcher = fetcher.also_allowing(origin(r.url) for r in refs)
        from_site_feed = site_feed_refs(feed, fetcher, {r.url for r in refs}, warnings, progress)
        if from_site_feed and not refs:
            warnings.append(
                f"listing {feed.listing} has no story links; stories come from the site's feed only"
            )
            source = FALLBACK_SOURCE
        refs.extend(from_site_feed)
        if not refs:
            walled = wall_of(first)
            return _held(report, started, walled or why_none, blocked=walled is not None)
        if lease is not None:
            lease.keep_listed(ListingRead(tuple(refs), source))
    store.mark_listed(feed.id, [(r.url, r.listing_text) for r in refs], now)
    plans = decide(refs, store.known(r.url for r in refs), now, timedelta(hours=feed.refresh_hours))
    plans, waiting = limit_new(plans, max(NEW_PER_POLL, 2 * feed.max_entries))
    tally = _Tally(errors=list(warnings))
    with closing(_fetch_stories(fetcher, feed, plans, budget, now)) as results:
        for done, result in enumerate(results, 1):
            if lease is not None and not lease.still_mine():
                break  # another worker has the slot now: what it saved must not be overwritten by this poll
            progress.status(f"{feed.id}: story {done}/{len(plans)}")
            tally.record(result, feed, store, now, progress)
    listing_matched = source != FALLBACK_SOURCE or not feed.profile.listing.items
    report = tally.into(report, listed=len(refs), listing_matched=listing_matched)
    if fetcher.stop.is_set() and report.failed:
        return _stopped(report, started)  # what it finished is stored; its listing is read again next time
    seen = ListingSeen(first, found) if first and found and found.source != FEED_SOURCE else None
    try:
        repair = repair_step(
            feed, feed.profile, tally.samples, tally.wrong, tally.field_sources, seen, store, now, progress
        )
    except FeedgenError:
        raise  # the store failing (a full disk): the poll's own handling
    except Exception as exc:  # a bug in learning must not hold a feed whose stories are fine
        report_bug("repair", feed.listing, exc)
        repair = None
    report = replace(report, repair=repair)
    if waiting:  # said in the feed's log line and in status.json
        report = replace(
            report, reason=f"{waiting} more new stories on the listing are left for the next polls"
        )
    if len(plans) >= 2 and report.failed > len(plans) * HOLD_FAILED_SHARE:
        return _held(
            report,
            started,
            f"{report.failed} of {count(len(plans), 'story')} failed, the first: {report.first_failure}",
            blocked=report.refused * 2 > report.failed,  # most of them refused: 403s, 429s
        )
    if not waiting and first is not None:  # with stories left, the next poll must read the listing again
        store.save_validators(validator_key, first.etag, first.last_modified, now)
    store.prune(feed.id, keep=remembered(feed), listed_since=now)
    if not report.profile_matches:
        parts = ([] if listing_matched else ["listing"]) + list(report.fallback_fields)
        report = replace(
            report,
            ok=False,
            reason=f"the {feed.site} profile no longer matches: {', '.join(parts)} came from fallbacks "
            f"(the feed is published; {_repair_advice(feed, report)})",
        )
    return replace(report, duration_s=time.monotonic() - started)


def _repair_advice(feed: FeedConfig, report: FeedReport) -> str:
    learned = report.repair.learned if report.repair else ()
    if learned and feed.profile.repair == "apply":
        return f"selectors learned for {', '.join(x.field for x in learned)} are used from the next poll"
    if learned:
        return (
            "selectors learned for it are in status.json and `feedgen-app status`: paste them into "
            f'feeds.toml, or set repair = "apply" in [sites.{feed.site}]'
        )
    return "run `feedgen-app check --live` to see what changed"


def remembered(feed: FeedConfig) -> int:
    """How many of a feed's stories the store keeps: all of them are read when include/exclude rules
    choose what the feed shows."""
    return max(feed.max_entries * 2, KEEP_AT_LEAST)
