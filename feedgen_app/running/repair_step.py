"""The repair step of a poll: learned selectors checked against the fallbacks on this poll's stories (and
dropped when they disagree), new ones learned for the fields the profile missed, and, with the site's
`repair = "apply"`, both kept in the store so the next polls use them ahead of the profile's own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from feedgen_app.config import FeedConfig
from feedgen_app.discovery.discover import discover
from feedgen_app.extraction.extract import from_learned, without_selectors
from feedgen_app.profile import SiteProfile
from feedgen_app.records import Discovery, Page, Repair, Story
from feedgen_app.repair.article import CHECKED, ArticleLearner, learned_fields
from feedgen_app.repair.listing import items_agree, learn_items
from feedgen_app.repair.patch import toml_patch
from feedgen_app.repair.sample import Sample
from feedgen_app.running.progress import Progress
from feedgen_app.storage.store import Store

MAX_SAMPLES = 20  # stories of one poll kept in memory (their pages) for learning and checking


def _idle(
    profile: SiteProfile, used: Mapping[tuple[str, str], int], listing: ListingSeen | None
) -> dict[str, str]:
    """Learned selectors whose evidence is gone: on this poll's stories they gave nothing, while the
    field came from elsewhere (the profile's own selectors again, or a fallback)."""
    out: dict[str, str] = {}
    for field in {s for s in CHECKED if any(x.learned for x in getattr(profile.article, s))}:
        mine = used.get((field, "learned"), 0)
        others = sum(n for (f, kind), n in used.items() if f == field and kind != "learned")
        if not mine and others:
            out[field] = f"it gave nothing on this poll's stories ({others} took the {field} from elsewhere)"
    if "body" in out:
        out["strip"] = "its body selector was dropped"
    found = listing.found if listing is not None else None
    learned_items = any(x.learned for x in profile.listing.items)
    if learned_items and found and found.refs and not from_learned(found.source):
        out["items"] = f"it found no story on the listing; {found.source} did"
    return out


def wants_sample(story: Story, profile: SiteProfile) -> bool:
    """A story the repair step should see: the profile's selectors for a field matched nothing on its
    page (a layout change; not a page that lacks the field where the selectors point), or a learned
    selector gave a field (to be checked)."""
    if profile.repair == "off":
        return False
    sources = dict(story.sources)
    return any(f in CHECKED and sources.get(f) for f in story.missed) or bool(learned_fields(story))


@dataclass(frozen=True)
class ListingSeen:
    """The listing page of this poll and what discovery made of it with the feed's profile."""

    page: Page
    found: Discovery


def repair_step(
    feed: FeedConfig,
    profile: SiteProfile,
    samples: Sequence[Sample],
    wrong: dict[str, str],
    used: Mapping[tuple[str, str], int],
    listing: ListingSeen | None,
    store: Store,
    now: datetime,
    progress: Progress,
) -> Repair | None:
    """What was learned and dropped; None when the site's repair is off. `profile` is the one the poll
    used (learned selectors included); `wrong`, the learned selectors its stories found disagreeing with
    the fallbacks (repair/article.py's `vetted`), and why; `used`, how many stories took each field from
    each kind of source ("learned", "profile", "json-ld"...)."""
    if profile.repair == "off":
        return None
    wrong = dict(wrong) | _idle(profile, used, listing)
    learned = ArticleLearner(samples, profile, now).learn(profile.name, now)
    if listing is not None and profile.listing.items:
        source = listing.found.source
        if from_learned(source):
            alone = discover(listing.page, without_selectors(profile))
            if not items_agree(listing.found.refs, alone.refs):
                wrong["items"] = (
                    f"it gives {len(listing.found.refs)} stories where discovery finds {len(alone.refs)} "
                    "(not all of its own)"
                )
        elif not source.startswith("profile:") and listing.found.refs:
            items = learn_items(listing.page, listing.found.refs, profile, now)
            learned += (items,) if items else ()
    kept = {x.field: x for x in store.learned(profile.name)} if profile.repair == "apply" else {}
    dropped = tuple((kept[f], why) for f, why in sorted(wrong.items()) if f in kept)
    if profile.repair == "apply":
        store.drop_learned(profile.name, [x.field for x, _ in dropped])
        store.save_learned(learned)
    for item, why in dropped:
        progress.warning("%s: learned %s selector `%s` dropped: %s", feed.id, item.field, item.selector, why)
    for item in learned:
        progress.info(
            "%s: learned %s selector `%s` (%s)%s",
            feed.id,
            item.field,
            item.selector,
            item.why,
            "; used from the next poll" if profile.repair == "apply" else "",
        )
    in_use = tuple(store.learned(profile.name)) if profile.repair == "apply" else ()
    offered = {x.field: x for x in (*in_use, *learned)}
    return Repair(profile.repair, learned, dropped, in_use, toml_patch(profile, list(offered.values())))
