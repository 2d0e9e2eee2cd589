"""Selectors for the story fields a profile missed, learned from what the fallbacks found, and the check
that keeps learned selectors honest on later polls.

For each field a profile has selectors for but that came from a fallback (JSON-LD, OpenGraph, the generic
extractor) on some of a poll's stories, the page element that holds the fallback's value is found (the
headline whose text is the JSON-LD title, the line whose date is the metadata's date, the `<img>` of the
image URL, the block holding the generic body's paragraphs), candidate selectors are derived from it
(candidates.py), and the simplest that gives the same value on every one of those stories is kept. A body
selector may bring `strip` selectors for boxes inside it that the generic extractor left out (a promo, a
share bar), so that what it takes is never wider than what the fallbacks took. Last, the stories are
extracted again with everything learned, and a field whose value moved is dropped. Pure: pages in, records
out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime

from feedgen_app.dom import HtmlElement, select
from feedgen_app.extraction.app_data import app_scripts, app_story
from feedgen_app.extraction.clean import squash
from feedgen_app.extraction.extract import (
    APP_DATA,
    from_learned,
    from_profile,
    without_selectors,
)
from feedgen_app.extraction.one_field import read_field
from feedgen_app.profile import DATA_PATH, Selector, SiteProfile, with_learned, without_learned
from feedgen_app.records import LearnedSelector, Story
from feedgen_app.repair.candidates import candidates, element_forms, ranked
from feedgen_app.repair.sample import (
    SKIPPED_TAGS,
    Sample,
    agrees,
    deepest_holders,
    holders,
    same_value,
    value_of,
    visible_text,
)

FIELDS = ("title", "authors", "published", "updated", "image", "caption")  # read one selector at a time
OPTIONAL = ("authors", "image", "caption")  # a story may have none: a selector must not invent one
CHECKED = (*FIELDS, "body")
HOLDER_SAMPLES = 3  # stories whose pages give candidates (all stories judge them)
BODY_TRIES = 8  # body candidates tried, each by a whole extraction of every story
STRIP_ROUNDS = 3
# whole extractions one learning may run (a body's candidates, then the final check), counted in the
# characters of the pages they read: about 60 ordinary pages, a handful of hostile megabyte ones
TRIAL_CHARS = 15_000_000
BODY_STORIES = 6  # stories (the smallest pages) a body candidate is tried on before the final check
JUNK_DEPTH = 8  # levels inside a body element searched for boxes the fallback left out


def _why(profile: SiteProfile, field: str, sources: Iterable[str], selector: str, n: int) -> str:
    tried = len(getattr(profile.article, field))
    said = ", ".join(sorted(set(sources)))
    return (
        f"the profile's {tried} {field} selector{'s' if tried != 1 else ''} found nothing; {said} gave it, "
        f"and `{selector}` gives the same on {n} of {n} stories"
    )


class ArticleLearner:
    """Learns what it can from one poll's stories for one site."""

    def __init__(self, samples: Sequence[Sample], profile: SiteProfile, now: datetime | None) -> None:
        self.samples = [s for s in samples if not s.story.cut]  # a cut story's body is not the fallback's
        self.profile = profile
        self.now = now
        self.left = TRIAL_CHARS  # characters of pages that whole extractions may still read
        self._final = sum(len(s.page.text) for s in self.samples)  # what the final check reads

    def _extract(self, sample: Sample, profile: SiteProfile) -> Story | None:
        self.left -= len(sample.page.text)
        return sample.extract(profile, self.now)

    def _can_try(self, stories: Sequence[tuple[Sample, object]]) -> bool:
        """Whether a candidate can be tried on `stories` stories and the final check still run."""
        return self.left - self._final >= sum(len(s.page.text) for s, _ in stories)

    def missed(self, field: str) -> list[tuple[Sample, object]]:
        """The stories where the profile's selectors for the field matched nothing and a fallback gave
        it, with the fallback's value."""
        out = []
        for s in self.samples:
            source = s.story.source_of(field)
            wanted = value_of(s.story, field)
            if field in s.story.missed and source and not from_profile(source) and wanted is not None:
                out.append((s, wanted))
        return out

    def empty(self, field: str) -> list[Sample]:
        """The stories where nothing in the chain found an optional field (no byline, no photo): a
        selector learned for it must find nothing there either."""
        if field not in OPTIONAL:
            return []
        return [s for s in self.samples if not s.story.source_of(field) and value_of(s.story, field) is None]

    def learn(self, site: str, now: datetime) -> tuple[LearnedSelector, ...]:
        found: dict[str, tuple[str, int, str]] = {}  # field -> (selector, stories, why)
        for field in FIELDS:
            missed = self.missed(field)
            chosen = self._one_field(field, missed)
            if chosen:
                sources = [s.story.source_of(field) or "" for s, _ in missed]
                found[field] = (chosen, len(missed), _why(self.profile, field, sources, chosen, len(missed)))
        body = self.missed("body")
        learned_body = self._body(body)
        if learned_body:
            sel, strips = learned_body
            sources = [s.story.source_of("body") or "" for s, _ in body]
            found["body"] = (sel, len(body), _why(self.profile, "body", sources, sel, len(body)))
            if strips:
                found["strip"] = (
                    ", ".join(strips),
                    len(body),
                    f"boxes inside `{sel}` that the generic extractor left out, so it takes no more",
                )
        for field in self._moved(found):
            found.pop(field, None)
            if field == "body":
                found.pop("strip", None)
        return tuple(LearnedSelector(site, field, sel, n, now, why) for field, (sel, n, why) in found.items())

    def _one_field(self, field: str, missed: list[tuple[Sample, object]]) -> str | None:
        if not missed:
            return None
        pool: list[str] = []
        for s, wanted in missed[:HOLDER_SAMPLES]:
            for el in holders(s, field, wanted, self.profile):
                pool.extend(candidates(el))
        empty = self.empty(field)
        for text in ranked(pool):
            sel = Selector.parse(text, learned=True)
            if all(
                same_value(read_field(s.doc, s.base, field, sel, self.profile, self.now), wanted)
                for s, wanted in missed
            ) and all(read_field(s.doc, s.base, field, sel, self.profile, self.now) is None for s in empty):
                return text
        return None

    def _body(self, missed: list[tuple[Sample, object]]) -> tuple[str, list[str]] | None:
        """A body selector (with strip selectors for the boxes the generic extractor left out, when it
        needs them) that agrees with the fallback's text on every story: the element holding the
        fallback's paragraphs is named first, then its parent; among those that agree as they are, the one
        that keeps the most of the fallback's text."""
        if not missed:
            return None
        if all(s.story.source_of("body") == APP_DATA for s, _ in missed):
            return self._data_path(missed)
        # candidates are tried on the smallest pages; the final check reads every story
        missed = sorted(missed, key=lambda m: len(m[0].page.text))[:BODY_STORIES]
        container = _container(missed[0][0])
        if container is None:
            return None
        ordered = ranked(candidates(container))
        parent = container.getparent()
        if parent is not None and parent.tag not in ("body", "html"):
            ordered += [c for c in ranked(candidates(parent)) if c not in ordered]
        ordered = ordered[:BODY_TRIES]
        best: tuple[float, str] | None = None
        for text in ordered:
            kept = self._kept(text, [], missed)
            if kept is not None and (best is None or kept > best[0] + 1e-9):
                best = (kept, text)
            if kept is not None and kept >= 1.0:
                break
        if best is not None:
            return best[1], []
        for text in ordered:
            strips: list[str] = []
            for _ in range(STRIP_ROUNDS):
                wider = self._first_wider(text, strips, missed)
                if wider is None:
                    return text, strips
                extra = _junk_inside(wider[0], Selector.parse(text), squash(wider[0].story.body_text))
                if not extra or set(extra) <= set(strips):
                    break
                strips += [e for e in extra if e not in strips]
        return None

    def _data_path(self, missed: list[tuple[Sample, object]]) -> tuple[str, list[str]] | None:
        """For stories read from the pages' app data: the path where the first one's story was found, when
        it gives the same text on every story."""
        first = missed[0][0]
        found = app_story(app_scripts(first.doc), first.story.title)
        if found is None:
            return None
        text = DATA_PATH + found.path
        return (text, []) if self._kept(text, [], missed) is not None else None

    def _trial(self, body: str, strips: list[str]) -> SiteProfile:
        trial = with_learned(self.profile, [("body", body), *(("strip", s) for s in strips)])
        return dataclasses.replace(
            trial, article=dataclasses.replace(trial.article, body=trial.article.body[:1])
        )

    def _kept(self, body: str, strips: list[str], missed: list[tuple[Sample, object]]) -> float | None:
        """The least share of the fallback's text the selector keeps over the stories, or None when it
        disagrees on one."""
        if not self._can_try(missed):
            return None
        trial = self._trial(body, strips)
        least = 1.0
        for s, wanted in missed:
            mine = value_of(self._extract(s, trial), "body")
            if (
                not agrees("body", mine, wanted)
                or not isinstance(mine, tuple)
                or not isinstance(wanted, tuple)
            ):
                return None
            least = min(least, len(" ".join(mine)) / max(1, len(" ".join(wanted))))
        return least

    def _first_wider(
        self, body: str, strips: list[str], missed: list[tuple[Sample, object]]
    ) -> tuple[Sample, object] | None:
        """The first story whose body the selector reads otherwise than the fallback; None when none."""
        if not self._can_try(missed):
            return missed[0]  # out of trials: counts as not agreeing
        trial = self._trial(body, strips)
        for s, wanted in missed:
            if not agrees("body", value_of(self._extract(s, trial), "body"), wanted):
                return s, wanted
        return None

    def _moved(self, found: dict[str, tuple[str, int, str]]) -> set[str]:
        """Fields whose value changes when everything learned is used at once (a learned strip taking a
        caption, a title selector shadowing another): those are not offered."""
        if not found:
            return set()
        if self.left < self._final:
            return set(found)  # out of trials: what cannot be checked is not offered
        trial = with_learned(self.profile, [(f, sel) for f, (sel, _n, _w) in found.items()])
        moved: set[str] = set()
        for s in self.samples:
            after = self._extract(s, trial)
            for field in set(found) & set(CHECKED):
                source = s.story.source_of(field)
                before = value_of(s.story, field)
                if source and not from_profile(source) and not agrees(field, value_of(after, field), before):
                    moved.add(field)
        return moved


def _container(sample: Sample) -> HtmlElement | None:
    """The smallest element of the page holding the generic body's first and last paragraphs."""
    lines = [squash(line) for line in sample.story.body_text.split("\n") if squash(line)]
    if not lines:
        return None
    ends = [lines[0][:80], lines[-1][:80]]
    holders_of: list[HtmlElement] = []
    for end in ends:
        found = [el for el in sample.blocks if end in visible_text(el)]
        deepest = deepest_holders(found)
        if not deepest:
            return None
        holders_of.append(deepest[0])
    first_chain = [holders_of[0], *holders_of[0].iterancestors()]
    last_chain = {holders_of[1], *holders_of[1].iterancestors()}
    return next((el for el in first_chain if el in last_chain), None)


def _junk_inside(sample: Sample, body: Selector, wanted: str) -> list[str]:
    """Selectors for the boxes inside the body element that hold none of the fallback's text."""
    matched = next((t for t in select(body.compiled, sample.doc) if visible_text(t)), None)
    if matched is None:
        return []
    out: list[str] = []

    def walk(el: HtmlElement, depth: int = 0) -> None:
        if depth > JUNK_DEPTH:
            return
        for child in el:
            if not isinstance(child.tag, str) or child.tag in SKIPPED_TAGS:
                continue
            text = visible_text(child)
            if not text or text in wanted:
                continue
            if not any((said := visible_text(p)) and said in wanted for p in child.iter("p", "li")):
                forms = element_forms(child)
                if forms:
                    out.append(forms[0])
                continue
            walk(child, depth + 1)

    walk(matched)
    return list(dict.fromkeys(out))


def learned_fields(story: Story) -> set[str]:
    """The fields of a story that learned selectors gave."""
    return {f for f, src in story.sources if from_learned(src)}


def vetted(sample: Sample, profile: SiteProfile, now: datetime | None) -> tuple[Story, dict[str, str]]:
    """A story whose fields came from learned selectors, checked against what the fallbacks alone give:
    the story as it should be published (extracted again without the learned selectors that disagree),
    and {field: why} for those. A learned selector never changes what the fallbacks would publish."""
    learned = learned_fields(sample.story) & set(CHECKED)
    if not learned:
        return sample.story, {}
    alone = sample.extract(without_selectors(profile), now)
    wrong: dict[str, str] = {}
    for field in sorted(learned):
        mine, theirs = value_of(sample.story, field), value_of(alone, field)
        if not agrees(field, mine, theirs):
            wrong[field] = (
                f"on {sample.story.url} it gives {_short(mine)} where the fallbacks give {_short(theirs)}"
            )
    if not wrong:
        return sample.story, {}
    if "body" in wrong:
        wrong["strip"] = "its body selector was dropped"
    again = sample.extract(without_learned(profile, wrong), now)
    return (again or sample.story), wrong


def _short(value: object | None) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, tuple):
        value = " ".join(map(str, value))
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")
