"""robots.txt for the Fetcher: each host's rules read once (RFC 9309 by Protego), from the site or from the
store's day-old copy, and asked before every request. Part of the Fetcher (a mixin over its hosts)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlunsplit

from protego import Protego

from feedgen_app.config import HttpConfig
from feedgen_app.errors import FetchError
from feedgen_app.fetching.hosts import Host
from feedgen_app.records import Page
from feedgen_app.url_parts import parts_of
from feedgen_app.urls import origin


class RobotsRules:
    config: HttpConfig
    _robots_unread: dict[str, FetchError]

    if TYPE_CHECKING:

        def _host(self, url: str) -> Host: ...

        def _fetch(self, url: str, etag: str | None, last_modified: str | None, retries: int) -> Page: ...

    def allowed(self, url: str) -> bool:
        if not self.config.robots:
            return True
        host = self._host(url)
        with host.robots_lock:
            if origin(url) in self._robots_unread:
                return False  # unreadable in this poll: nothing on this host until the next one
            if host.robots is None:
                text = self.robots_text(url)
                if text is None:
                    return False  # not remembered: the next poll asks again
                host.robots = _parser(text)
            robots = host.robots
        return bool(robots.can_fetch(url, self.config.user_agent))

    def use_robots(self, url: str, text: str | None) -> None:
        """Rules for `url`'s host known from an earlier build (the store caches them for a day)."""
        host = self._host(url)
        with host.robots_lock:
            host.robots = _parser(text)

    def robots_text(self, url: str) -> str | None:
        """The host's robots.txt, by RFC 9309: "" when it has none (a 4xx: everything allowed); None when
        it could not be read (5xx, 429, a timeout, no answer, too large): crawl nothing for now, do not
        remember it, ask again next poll."""
        parts = parts_of(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        try:
            return self._fetch(robots_url, None, None, retries=1).text
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                return ""
            self._robots_unread[origin(url)] = exc
            return None


def _parser(text: str | None) -> Protego:
    """RFC 9309 rules (Protego: wildcards, `$`, the longest match wins); None: crawl nothing for now."""
    return Protego.parse("User-agent: *\nDisallow: /\n" if text is None else text)
