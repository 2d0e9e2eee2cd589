"""Whether a site refused us, as opposed to its pages having changed: "blocked" is not "broken".

The most common complaint in the trackers of RSS-Bridge, FreshRSS, Miniflux and RSSHub is a site refusing
the fetcher (403, 429, a challenge page, a tarpit) while users "fix" selectors that were never wrong. A
refusal is: an answer of 401, 403, 429 or 451; a page served with 200 that is a bot challenge, a consent
wall or an error page ("Access denied"); or a timeout from a site whose robots.txt answered at once (a
tarpit). Pure: takes a FetchError or a Page and says why it is a refusal, or None.
"""

from __future__ import annotations

import re

from feedgen_app.dom import parse, text_of
from feedgen_app.errors import FetchError, FetchKind, StoryFailure
from feedgen_app.records import Page

REFUSING_STATUSES = {401: "401 Unauthorized", 403: "403 Forbidden", 429: "429 Too Many Requests", 451: "451 Unavailable For Legal Reasons"}  # fmt: skip
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


def wall(page: Page, title: str, text: str) -> str | None:
    """Why a page that gave no stories is a challenge, consent wall or error page (None when it is not).
    `title` and `text` are the page's title and visible text."""
    if len(text) > WALL_TEXT:
        return None
    found = _WALL.search(f"{title} {text}")
    if found is None:
        return None
    return (
        f"{page.final_url} is a challenge, consent or error page ({found.group(0).strip()!r}), not a listing"
    )


def wall_of(page: Page) -> str | None:
    """`wall` for a fetched page (parsed here: only a page that gave no stories is looked at)."""
    doc = parse(page.text)
    title = next(doc.iter("title"), None)
    body = next(doc.iter("body"), None)
    return wall(page, text_of(title) if title is not None else "", text_of(body) if body is not None else "")
