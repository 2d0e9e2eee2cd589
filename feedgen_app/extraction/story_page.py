"""One story page as the extraction chain reads it: its parsed document, its metadata sources (each parsed
only when the chain reaches it), and the chain's picks for text and date fields, recording which source
gave each. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import cached_property

from feedgen_app.dom import HtmlElement, base_url, parse, select, text_of
from feedgen_app.extraction import generic
from feedgen_app.extraction.app_data import app_scripts
from feedgen_app.extraction.clean import squash
from feedgen_app.extraction.dates import ambiguous, find_labelled_date, plausible, zone_unread
from feedgen_app.extraction.metadata import Metadata, json_ld, open_graph
from feedgen_app.extraction.reading_time import ReadingTime
from feedgen_app.profile import Selector, SiteProfile
from feedgen_app.records import ItemHint, Page

FEED_ITEM = "feed-item"  # a field taken from what the site's feed says of the story
Candidate = tuple[str, Callable[[], object]]  # (source name, a function that finds the value)


def _value(tag: HtmlElement, sel: Selector) -> str:
    return squash(tag.get(sel.attr) or "") if sel.attr else text_of(tag)


def first_text(
    root: HtmlElement, selectors: Sequence[Selector], join_all: bool = False
) -> tuple[str, str] | None:
    """(value, "profile:<selector>" or "learned:<selector>") for the first selector with a non-empty match."""
    for sel in selectors:
        values = [v for v in (_value(m, sel) for m in select(sel.compiled, root)) if v]
        if values:
            return (" ".join(values) if join_all else values[0]), sel.origin
    return None


class StoryPage:
    """One story page with its metadata sources, each parsed only when the chain reaches it."""

    def __init__(
        self,
        page: Page,
        profile: SiteProfile,
        hint: ItemHint | None = None,
        now: datetime | None = None,
        reading: ReadingTime | None = None,
    ) -> None:
        self.hint = hint
        self.now = now  # dates more than a day after it are not the story's
        self.url = page.final_url
        self.reading = reading or ReadingTime(page.final_url, len(page.text))
        self.doc = parse(page.text)
        self.reading.check("parsing")
        self.base = base_url(self.doc, page.final_url)
        self.profile = profile
        self.sources: dict[str, str] = {}
        self.missed: set[str] = set()  # fields whose profile selectors matched nothing on this page
        self.notes: list[str] = []  # what a person should know of this extraction (a zone assumed)

    @cached_property
    def ld(self) -> Metadata:
        return json_ld(self.doc)

    @cached_property
    def og(self) -> Metadata:
        return open_graph(self.doc)

    @cached_property
    def app_scripts(self) -> list[tuple[str, str]]:
        """The scripts that may hold the page's app data (read while the page is whole)."""
        return app_scripts(self.doc)

    @cached_property
    def generic_dates(self) -> tuple[str | None, str | None]:
        return generic.dates(self.doc)

    @cached_property
    def state_dates(self) -> tuple[str | None, str | None]:
        return generic.state_dates(self.doc)

    @cached_property
    def printed_date(self) -> str | None:
        return generic.printed_date(self.doc)

    def printed_before(
        self, published: datetime | None, labels: Sequence[str], others: Sequence[str]
    ) -> datetime | None:
        """A date the page prints for its readers that is days before what its metadata says: site
        builders write the page's build or edit time into JSON-LD and OpenGraph, but a story is never
        published after the date it shows. Only for dates from metadata, not from the profile."""
        source = self.sources.get("published", "")
        if published is None or source not in ("json-ld", "opengraph"):
            return None
        text = self.printed_date
        if text and ambiguous(text):
            return None
        shown = (
            find_labelled_date(text, labels, self.profile.zone, self.profile.date_formats, others)
            if text
            else None
        )
        if plausible(shown, self.now) and shown is not None and shown < published - timedelta(days=1):
            self.sources["published"] = "printed"
            return shown
        return None

    def pick(
        self,
        field: str,
        selectors: Sequence[Selector],
        convert: Callable[[str], object],
        fallbacks: Iterable[Candidate],
    ) -> object | None:
        found = first_text(self.doc, selectors)
        if found:
            value = convert(found[0])
            if value:
                self.sources[field] = found[1]
                return value
        elif selectors:
            self.missed.add(field)
        for source, finder in fallbacks:
            value = finder()
            if value:
                self.sources[field] = source
                return value
        return None

    def date(
        self, field: str, selectors: Sequence[Selector], labels: Sequence[str], others: Sequence[str]
    ) -> datetime | None:
        zone, formats = self.profile.zone, self.profile.date_formats
        found = first_text(self.doc, selectors, join_all=True)
        if found:
            parsed = find_labelled_date(found[0], labels, zone, formats, others)
            if plausible(parsed, self.now):
                self.sources[field] = found[1]
                return parsed
        elif selectors:
            self.missed.add(field)
        index = 0 if field == "published" else 1
        # metadata first; a page that gives only a modification date is dated by it before any guess;
        # a date line printed on the page beats keys found in script state; the URL's date comes last
        raw_values: list[tuple[str, Callable[[], str | None]]] = [
            ("json-ld", lambda: self.ld.published if index == 0 else self.ld.updated),
            ("opengraph", lambda: self.og.published if index == 0 else self.og.updated),
            ("json-ld", lambda: self.ld.updated if index == 0 else None),
            ("opengraph", lambda: self.og.updated if index == 0 else None),
            (
                FEED_ITEM,
                lambda: (
                    self.hint.published.isoformat()
                    if index == 0 and self.hint and self.hint.published
                    else None
                ),
            ),
            ("generic", lambda: self.generic_dates[index]),
            ("printed", lambda: self.printed_date),
            ("script-state", lambda: self.state_dates[index]),
            ("attribute", lambda: generic.attribute_date(self.doc) if index == 0 else None),
            ("url", lambda: generic.url_date(self.url) if index == 0 else None),
        ]
        for source, raw in raw_values:
            text = raw()
            parsed = find_labelled_date(text, labels, zone, formats, others) if text else None
            if plausible(parsed, self.now):  # a year-1 or next-year date in JSON-LD: the next source
                self.sources[field] = source
                if text and source != FEED_ITEM:
                    self._note_zone(field, text)
                return parsed
        return None

    def _note_zone(self, field: str, text: str) -> None:
        """A time read as UTC because the page gives no zone we read, on a site with no profile zone: a
        person should know it may be hours off (the Korea Herald prints Korea time with no zone)."""
        if self.profile.timezone != "UTC" or not re.search(r"\d{1,2}:\d{2}", text):
            return
        unread = zone_unread(text)
        if unread:
            self.notes.append(
                f"{field}: the page {unread} ({' '.join(text.split())[:40]!r}); read as UTC (give the site "
                "a `timezone` in its [sites.NAME] table)"
            )
