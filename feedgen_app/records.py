"""Frozen records passed between the stages. Datetimes are always timezone-aware."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Page:
    """One fetched document, as the HTTP stage hands it to the parsing stages."""

    url: str  # the URL asked for
    final_url: str  # after redirects: relative links resolve against this
    status: int
    text: str
    content_type: str = "text/html"
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a 304 answer to a conditional request: `text` is empty


@dataclass(frozen=True)
class ItemHint:
    """What a site's feed says of a story: used where the story's page says nothing."""

    title: str = ""
    published: datetime | None = None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryRef:
    """A story found on a listing: its canonical URL, stable id and what the listing says of it."""

    url: str
    story_id: str  # the site's own id when the URL pattern names one, else the canonical URL
    listing_text: str = ""  # title/teaser as listed; a change hints at a revised story
    hint: ItemHint | None = None  # title, date and authors, when the listing is a feed


@dataclass(frozen=True)
class ListingRead:
    """What a poll's listing step found: the stories to look at and where they came from (discovery's
    source); kept with a worker's lease, so that a worker taking over the poll goes on from it."""

    refs: tuple[StoryRef, ...]
    source: str


@dataclass(frozen=True)
class LinkVerdict:
    """One address a listing page links to, and whether discovery took it as a story, with why."""

    url: str
    text: str  # what its links say (the longest)
    taken: bool
    why: str
    box: str = ""  # the list it stands in, as `tag.class#id` of the list and the box around it


@dataclass(frozen=True)
class Discovery:
    """What a listing page yielded."""

    refs: tuple[StoryRef, ...]
    source: str  # "profile:<selector>" or "fallback:main-content"
    next_pages: tuple[str, ...] = ()
    verdicts: tuple[LinkVerdict, ...] = ()  # every address the page links to, in page order


@dataclass(frozen=True)
class Image:
    url: str
    caption: str | None = None
    alt: str = ""


@dataclass(frozen=True)
class Story:
    """A story extracted in full. `body_html` is already cleaned (allow-list, absolute URLs)."""

    url: str
    story_id: str
    title: str
    authors: tuple[str, ...]
    published: datetime | None
    updated: datetime | None
    body_html: str
    body_text: str
    subtitle: str | None = None
    image: Image | None = None
    summary: str = ""
    sources: tuple[tuple[str, str], ...] = ()  # (field, source) pairs: which selector or fallback gave it
    warnings: tuple[str, ...] = ()  # what a person should know of this story, in words
    cut: str | None = None  # the story was cut to the feed's max_story_kb: how much was kept, in words
    missed: tuple[str, ...] = ()  # fields whose profile selectors matched nothing on the page (repair/)

    def source_of(self, field_name: str) -> str | None:
        return dict(self.sources).get(field_name)


@dataclass(frozen=True)
class StoredStory:
    """A story as the store keeps it, with what the feed needs to date it."""

    story: Story
    first_seen: datetime
    content_hash: str
    changed_at: datetime  # when the stored text last changed: the entry's `updated` when the site gives none
    key_url: str = ""  # the URL the story was first seen under (its entry id), when the site has moved it


@dataclass(frozen=True)
class LearnedSelector:
    """A selector the repair stage derived from what the fallbacks found for a field the profile missed,
    with its evidence: on how many stories (links, for a listing's items) it gave the fallbacks' value."""

    site: str
    field: str  # an article field ("title", "body"...) or "items" for the listing's story links
    selector: str
    stories: int
    learned_at: datetime | None = None
    why: str = ""  # in words: what the profile missed and what agreed


@dataclass(frozen=True)
class Repair:
    """What a poll's repair step did for its site."""

    mode: str  # the site's `repair`: "suggest" or "apply"
    learned: tuple[LearnedSelector, ...] = ()  # learned this poll, for the fields the profile missed
    dropped: tuple[tuple[LearnedSelector, str], ...] = ()  # learned before, found wrong this poll, and why
    in_use: tuple[LearnedSelector, ...] = ()  # with "apply": what the next polls use, from the store
    patch: str = ""  # the `[sites.NAME]` TOML of what was learned, for a person to paste

    @property
    def worth_saying(self) -> bool:
        return bool(self.learned or self.dropped or self.in_use)


@dataclass(frozen=True)
class FeedReport:
    """The outcome of one poll of one feed."""

    feed_id: str
    ok: bool
    held: bool = False
    reason: str = ""
    new: int = 0
    revised: int = 0
    failed: int = 0
    unchanged: int = 0
    cut: int = 0  # stories cut to the feed's max_story_kb
    filtered: int = 0  # stories this poll fetched that the feed's include/exclude rules leave out
    bugs: int = 0  # failures that were internal errors (BugError): logged with their traceback
    refused: int = 0  # stories the site refused to serve us (403, 429...)
    failed_by: tuple[tuple[str, int], ...] = ()  # failed stories by kind (errors.StoryFailure's words)
    blocked: bool = False  # held because the site refused us (blocked.py), not because its pages changed
    listed: int = 0
    listing_unchanged: bool = False  # the listing answered 304: nothing was discovered
    entries: int = 0
    fallback_fields: tuple[str, ...] = ()
    field_sources: tuple[tuple[str, str, int], ...] = ()  # (field, "profile"/"json-ld"/..., stories)
    profile_matches: bool = True
    errors: tuple[str, ...] = ()
    first_failure: str = ""  # the first story that failed, and why: what a person looks at first
    repair: Repair | None = None  # selectors learned or dropped by this poll (repair_step.py)
    duration_s: float = 0.0
    # feedgen-app was stopped (SIGINT, SIGTERM) before the poll ended: nothing is published or recorded
    # for it, and the next poll reads its listing again; the stories it finished are stored
    stopped: bool = False
    unreachable: bool = False  # the listing's host gave no connection at all (DNS, refused, no route)
    lost: bool = False  # this worker's lease on the poll expired mid-poll: nothing published or recorded
