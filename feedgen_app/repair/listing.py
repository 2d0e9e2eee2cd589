"""A selector for a listing's story links when the profile's `items` selectors found none and discovery
judged every link instead (discover.py): derived from the anchors of the stories it took (their stable
classes and their lists' names, candidates.py), kept only when it gives exactly those stories, no more and
no fewer. Up to three such selectors may be joined (a lead story box and the list under it). Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from itertools import islice

from feedgen_app.discovery.discover import selector_refs
from feedgen_app.dom import base_url, parse
from feedgen_app.profile import Selector, SiteProfile
from feedgen_app.records import LearnedSelector, Page, StoryRef
from feedgen_app.repair.candidates import candidates, rank
from feedgen_app.urls import absolute, canonical

MAX_PARTS = 3  # selectors joined to cover one listing's stories
MIN_LINKS = 3  # fewer stories than this on a listing say too little about its lists
MAX_TRIED = 24  # candidate selectors tried, those naming the most of the stories first
MAX_ANCHORS = 20_000  # a listing with more links (a hostile page) is not learned from


def learn_items(
    page: Page, refs: Sequence[StoryRef], profile: SiteProfile, now: datetime
) -> LearnedSelector | None:
    """The listing selector that gives the stories discovery's fallback took from `page`, or None."""
    wanted = {r.url for r in refs}
    if not profile.listing.items or len(wanted) < MIN_LINKS:
        return None
    doc = parse(page.text)
    base = base_url(doc, page.final_url)
    anchors = list(islice(doc.iter("a"), MAX_ANCHORS + 1))
    if len(anchors) > MAX_ANCHORS:
        return None
    pool: Counter[str] = Counter()
    for a in anchors:
        if canonical(absolute((a.get("href") or "").strip(), base), profile) in wanted:
            pool.update(candidates(a))
    # the selectors naming the most of the wanted anchors first, the simplest among equals
    tried = sorted(pool, key=lambda t: (-pool[t], rank(t)))[:MAX_TRIED]
    gives: dict[str, set[str]] = {}
    for text in tried:
        got = {r.url for r in selector_refs(doc, base, page, profile, Selector.parse(text))}
        if got and got <= wanted:
            gives[text] = got
    chosen: list[str] = []
    covered: set[str] = set()
    while covered != wanted and len(chosen) < MAX_PARTS:
        best = max(gives, key=lambda t: (len(gives[t] - covered), -rank(t)[0], -len(t)), default=None)
        if best is None or not gives[best] - covered:
            break
        chosen.append(best)
        covered |= gives[best]
    if covered != wanted:
        return None
    text = ", ".join(chosen)
    tried_n = len(profile.listing.items)
    return LearnedSelector(
        profile.name,
        "items",
        text,
        len(wanted),
        now,
        f"the profile's {tried_n} items selector{'s' if tried_n != 1 else ''} found no story; `{text}` "
        f"gives the {len(wanted)} stories discovery found on the page, and no other link",
    )


def items_agree(learned: Sequence[StoryRef], fallback: Sequence[StoryRef]) -> bool:
    """Whether a learned items selector still gives what discovery's fallback finds: nothing beyond it,
    and at least four in five of its stories."""
    mine, theirs = {r.url for r in learned}, {r.url for r in fallback}
    return bool(mine) and mine <= theirs and len(mine) * 5 >= len(theirs) * 4
