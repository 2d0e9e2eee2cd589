"""WebSub (W3C Recommendation): tell a hub that a feed changed, so readers that subscribe there (Feedly,
Inoreader and others) get the new version at once instead of at their next poll.

A generator that keeps state knows exactly when a feed file's bytes change: the build pings the hub for
that feed's URL then, and only then. Politely: one form POST (`hub.mode=publish`, `hub.url=...`) a changed
file, a few tries with back-off on a connection error, a timeout, 429 or 5xx, short timeouts, and never an
error for the build: what failed is returned for the log. Takes the HTTP session and the sleep it may use.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import requests

ATTEMPTS = 3
BACKOFF = 1.0  # seconds before the second try, doubling
TIMEOUT = (5.0, 10.0)  # connect, read


def ping_hub(
    session: requests.Session,
    hub: str,
    feed_urls: Iterable[str],
    sleep: Callable[[float], None] = time.sleep,
) -> list[str]:
    """Ping `hub` for each URL; returns one line for a person per URL the hub did not take."""
    failures = []
    for url in feed_urls:
        problem = _ping(session, hub, url, sleep)
        if problem:
            failures.append(f"WebSub hub {hub} was not told of {url}: {problem}")
    return failures


def _ping(session: requests.Session, hub: str, url: str, sleep: Callable[[float], None]) -> str | None:
    problem = ""
    for attempt in range(ATTEMPTS):
        if attempt:
            sleep(BACKOFF * 2 ** (attempt - 1))
        try:
            resp = session.post(hub, data={"hub.mode": "publish", "hub.url": url}, timeout=TIMEOUT)
        except requests.RequestException as exc:
            problem = f"{type(exc).__name__}"
            continue
        with resp:
            if resp.ok:
                return None
            problem = f"HTTP {resp.status_code}"
            if resp.status_code != 429 and resp.status_code < 500:
                return problem  # the hub refuses this ping: asking again will not change its mind
    return f"{problem} ({ATTEMPTS} tries)"
