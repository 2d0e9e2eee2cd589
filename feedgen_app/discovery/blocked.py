"""Whether a site refused us, as opposed to its pages having changed: "blocked" is not "broken".

The most common complaint in the trackers of RSS-Bridge, FreshRSS, Miniflux and RSSHub is a site refusing
the fetcher (403, 429, a challenge page, a tarpit) while users "fix" selectors that were never wrong. A
refusal is: an answer of 401, 402 (a crawler asked to pay), 403, 429 or 451; a page served with 200 that is
a bot challenge, a consent wall or an error page ("Access denied"), including the proof-of-work walls that
spread in 2025 against AI crawlers (they say they are making sure you are not a bot, and carry the puzzle a
browser solves: a script with a challenge and its difficulty); or a timeout from a site whose robots.txt
answered at once (a tarpit). Pure: takes a FetchError or a Page and says why it is a refusal, or None.
"""

from __future__ import annotations

import re

from feedgen_app.dom import parse, text_of
from feedgen_app.errors import FetchError, FetchKind, StoryFailure
from feedgen_app.records import Page

REFUSING_STATUSES = {401: "401 Unauthorized", 402: "402 Payment Required", 403: "403 Forbidden", 429: "429 Too Many Requests", 451: "451 Unavailable For Legal Reasons"}  # fmt: skip
ADVICE = (
    "the site is refusing feedgen-app, not showing a new layout: do not change the selectors; slow down "
    "(http.min_delay), name yourself in http.user_agent, or run from another network (sites often refuse "
    "cloud and CI machines, such as GitHub's runners, that they let a home connection through)"
)
WALL_TEXT = 2000  # characters: a wall says little; a real page that mentions cookies says much more

# What bot challenges, consent walls and error pages served with 200 say, in their title or their text.
_WALL = re.compile(
    r"just a moment\.\.\.|checking (?:if the site connection is secure|your browser)|attention required|"
    r"verify(?:ing)? (?:that )?you are (?:a )?human|are you a robot|unusual traffic|captcha|"
    r"please enable (?:javascript and )?cookies|enable javascript to (?:continue|proceed)|"
    r"access (?:to this page has been )?denied|request blocked|you have been blocked|403 forbidden|"
    r"too many requests|bot (?:protection|detection)|ddos protection|"
    r"(?:making sure|checking|verifying|ensuring) (?:that )?you(?:'|’|\s+a)re? not a (?:ro)?bot|"
    r"not a (?:ro)?bot[!.]|ensure the security of your connection|proof[- ]of[- ]work|"
    r"protect (?:the|this) (?:server|site|website) against (?:the scourge of )?(?:ai|scrapers|bots)|"
    r"we value your privacy|before you continue|cookie consent|consent to (?:the use of )?cookies|"
    r"manage (?:your )?(?:cookie|privacy) (?:settings|preferences)",
    re.IGNORECASE,
)


def refused(exc: FetchError, robots_answered: bool = False) -> str | None:
    """Why a failed fetch is the site refusing us (None when it is not)."""
    if exc.status in REFUSING_STATUSES:
        return f"the site answered {REFUSING_STATUSES[exc.status]} to {exc.url}"
    if robots_answered and exc.kind is FetchKind.TIMEOUT:
        return f"{exc} while the site's robots.txt answered at once (a tarpit, or the site slowing us down)"
    return None


def story_failure(exc: FetchError) -> StoryFailure:
    """What kind of failure a story's failed fetch is, for status.json's counts."""
    if exc.status in REFUSING_STATUSES:
        return StoryFailure.REFUSED
    if exc.status in (404, 410):
        return StoryFailure.GONE
    if exc.status is not None:
        return StoryFailure.SITE_ERROR
    return {
        FetchKind.UNREACHABLE: StoryFailure.UNREACHABLE,
        FetchKind.TIMEOUT: StoryFailure.TIMED_OUT,
        FetchKind.DEADLINE: StoryFailure.TIMED_OUT,
        FetchKind.TOO_LARGE: StoryFailure.TOO_LARGE,
    }.get(exc.kind, StoryFailure.NOT_FETCHED)


# What a proof-of-work wall carries: the puzzle, as data for its script (a challenge and its difficulty)
_PUZZLE = re.compile(
    r"""["']?challenge["']?\s*[:=][^<]{0,2000}?["']?difficulty["']?\s*[:=]|"""
    r"""["']?difficulty["']?\s*[:=][^<]{0,2000}?["']?challenge["']?\s*[:=]""",
    re.IGNORECASE,
)


def wall(page: Page, title: str, text: str) -> str | None:
    """Why a page that gave no stories is a challenge, consent wall or error page (None when it is not).
    `title` and `text` are the page's title and visible text."""
    if len(text) > WALL_TEXT:
        return None
    found = _WALL.search(f"{title} {text}")
    if found is not None:
        said = found.group(0).strip()
    elif _PUZZLE.search(page.text[:200_000]):
        said = "a proof-of-work puzzle for the browser to solve"
    else:
        return None
    return f"{page.final_url} is a challenge, consent or error page ({said!r}), not a listing"


def wall_of(page: Page) -> str | None:
    """`wall` for a fetched page (parsed here: only a page that gave no stories is looked at)."""
    doc = parse(page.text)
    title = next(doc.iter("title"), None)
    body = next(doc.iter("body"), None)
    return wall(page, text_of(title) if title is not None else "", text_of(body) if body is not None else "")
