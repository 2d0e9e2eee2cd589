"""What a link's address says about the page behind it, for sites with no story patterns.

News sites name stories by a date (`/2005/11/11/`, `20001017`, `?xml=/news/2005/11/11/x.xml`), a long
number (`/article/10485211`, `story/0,2933,149646,00.html`) or a slug of the headline
(`/us-gulf-oil-spill-costs`); they name section fronts `index.html` or `/sports`, and services (search,
login, tags, galleries, ads) by words in the path. An address can only say "probably": the anchor texts
and the page's lists decide (discover.py). Pure functions of strings.
"""

from __future__ import annotations

import re
from enum import Enum
from urllib.parse import parse_qsl, unquote

from publicsuffixlist import PublicSuffixList

from feedgen_app.url_parts import parts_of


class AddressKind(Enum):
    DATED = "a date in the address"
    NUMBERED = "a long number in the address"
    ID = "an opaque id in the address"
    SLUG = "a headline slug in the address"
    PLAIN = "an address with no date, number or slug"
    FRONT = "a section front or index page"
    SERVICE = "a service page (search, login, tags, galleries, video, help...)"
    FILE = "a file (image, document, media, script, feed)"
    REDIRECT = "an ad or redirect link (another address inside it)"

    @property
    def may_be_story(self) -> bool:
        return self in (
            AddressKind.DATED,
            AddressKind.NUMBERED,
            AddressKind.ID,
            AddressKind.SLUG,
            AddressKind.PLAIN,
        )

    @property
    def says_story(self) -> bool:
        """The address alone names one item: a date or a number (a slug could name a topic)."""
        return self in (AddressKind.DATED, AddressKind.NUMBERED, AddressKind.ID)


# A year from 1980 to 2049 with a month and day after it (20001017, 2005/11/11, 2019-03-20, 2024/mar/12),
# or a year and a month as path parts (/2005/07/).
_DATE = re.compile(
    r"(?<!\d)(?:19[89]\d|20[0-4]\d)"
    r"(?:[/_.-]?(?:0[1-9]|1[0-2])[/_.-]?(?:0[1-9]|[12]\d|3[01])(?!\d)|/(?:0?[1-9]|1[0-2])(?:/|$)"
    r"|/(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*/(?:0?[1-9]|[12]\d|3[01])(?!\d))",
    re.IGNORECASE,
)
# A year as a path part with its month and day a few parts later, or its day and month as one part:
# `/2000/US/11/09/election.recount/`, `/2000/1109/`
_DATE_PARTS = re.compile(
    r"/(?:19[89]\d|20[0-4]\d)/(?:[^/]+/){0,3}?(?:(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])|"
    r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?:/|$)"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# the day in `_DATE`'s first form, written apart: 2005/11/11, 2019-03-20, 2024/mar/12
_DAY_APART = re.compile(
    r"((?:19[89]\d|20[0-4]\d))[/_.-](0[1-9]|1[0-2]|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)"
    r"[/_.-](0?[1-9]|[12]\d|3[01])(?!\d)",
    re.IGNORECASE,
)


def address_date(url: str) -> str | None:
    """The day an address's path names with its parts written apart (`/2025/12/18/slug`,
    `/blog/2025-12-17-slug`, `/world/2024/mar/12/harbour`), as YYYY-MM-DD: the date-in-address rule
    discovery reads stories by, for extraction's last-resort date."""
    path = unquote(parts_of(url).path)
    for found in _DATE.finditer(path):
        m = _DAY_APART.match(path, found.start())
        if m:
            year, month, day = m.groups()
            number = _MONTHS.index(month[:3].lower()) + 1 if month[0].isalpha() else int(month)
            return f"{year}-{number:02d}-{int(day):02d}"
    return None


_NUMBER = re.compile(r"\d{5,}")
# An id a system made, not a word: letters and digits mixed, run after run (`c7k2qzl9xw1o`, `8f3k2j`), as
# sites of the last decade name stories with no date, number or slug; `covid19`, `h264` or `web3` are words.
_ID_CHARS = re.compile(r"^[A-Za-z0-9]{6,40}$")
_RUNS = re.compile(r"[A-Za-z]+|\d+")


def opaque_id(segment: str) -> bool:
    """A path segment that is a made id: six or more letters and digits in at least four runs."""
    if not _ID_CHARS.match(segment):
        return False
    runs = _RUNS.findall(segment)
    digits = sum(len(r) for r in runs if r.isdigit())
    return len(runs) >= 4 and digits >= 2 and len(segment) - digits >= 2


_FILE = re.compile(
    r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?|ico|pdf|docx?|xlsx?|pptx?|zip|gz|rar|7z|mp3|mp4|m4a|m4v|"
    r"ogg|wav|avi|mov|wmv|flv|swf|ram?|rm|asx|css|js|json|xml|rss|atom|exe|dmg|apk|map)$",
    re.IGNORECASE,
)
# Index pages: a section's front, whatever the server's extension.
_INDEX = re.compile(r"^(?:index|default|home|main|front|portal|start|welcome)(?:\.\w+)?$", re.IGNORECASE)
# Words that name a service, not a story, when they are a whole part of the path (a headline slug such as
# `last-game-of-the-season` is not a `game` page).
_SERVICE = frozenset(
    [
        "login",
        "logout",
        "signin",
        "signup",
        "register",
        "subscribe",
        "subscription",
        "subscriptions",
        "account",
        "accounts",
        "search",
        "tag",
        "tags",
        "topic",
        "topics",
        "category",
        "categories",
        "author",
        "authors",
        "contact",
        "about",
        "privacy",
        "terms",
        "legal",
        "advertise",
        "advertising",
        "rss",
        "feed",
        "feeds",
        "sitemap",
        "help",
        "faq",
        "career",
        "careers",
        "jobs",
        "weather",
        "horoscope",
        "horoscopes",
        "game",
        "games",
        "crossword",
        "crosswords",
        "comic",
        "comics",
        "slideshow",
        "slideshows",
        "gallery",
        "galleries",
        "photo",
        "photos",
        "picture",
        "pictures",
        "video",
        "videos",
        "podcast",
        "podcasts",
        "audio",
        "print",
        "email",
        "mail",
        "share",
        "redirect",
        "click",
        "exit",
        "ad",
        "ads",
        "adclick",
        "indexes",
        "calendar",
        "chat",
        "forum",
        "forums",
        "poll",
        "polls",
        "quiz",
        "shop",
        "store",
        "cart",
        "newsletter",
        "newsletters",
        "settings",
        "preferences",
        "profile",
        "profiles",
        "user",
        "users",
        "download",
        "downloads",
        "app",
        "apps",
    ]
)
# The end of a short hyphenated page name of a service: privacy-policy, contact-us, terms-and-conditions
_SERVICE_ENDS = frozenset(["policy", "us", "conditions", "notice", "map"])
_SEPARATORS = re.compile(r"[-_+]")


def address_kind(url: str) -> AddressKind:
    parts = parts_of(url)
    # path parameters (`main.jhtml;jsessionid=…`) are a server's session, not the page's name
    path = re.sub(r";[^/]*", "", unquote(parts.path))
    if _FILE.search(path):
        return AddressKind.FILE
    if _carries_address(parts.path, parts.query):
        return AddressKind.REDIRECT
    values = " ".join(v for _k, v in parse_qsl(parts.query))
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    stem = re.sub(r"\.\w{1,5}$", "", last)
    words = [s.lower() for s in segments[:-1]]
    if stem and not _SEPARATORS.search(stem):
        words.append(stem.lower())
    if any(w in _SERVICE for w in words):
        return AddressKind.SERVICE
    names_one = [
        _DATE.search(f"{path} {values}") or _DATE_PARTS.search(path),
        _NUMBER.search(f"{path} {values}"),
    ]
    has_id = any(opaque_id(s) for s in segments if not _FILE.search(s)) or any(
        opaque_id(v) for _k, v in parse_qsl(parts.query)
    )
    if _INDEX.match(last) and not any(names_one) and not has_id:  # `/2014/03/12/world/story/index.html`
        return AddressKind.FRONT
    named = [w for w in _SEPARATORS.split(stem.lower()) if w]
    if not any(names_one) and 2 <= len(named) <= 4 and (named[0] in _SERVICE or named[-1] in _SERVICE_ENDS):
        return AddressKind.SERVICE  # privacy-policy, contact-us; a dated `poll_wednesday_dc_4` is a story
    if names_one[0]:
        # `/2005/11/` or `/2005/11/11/` alone is the day's or month's archive; so is `/?m=20160305`, an
        # address whose only name is a date
        date_alone = not segments and re.fullmatch(r"[\d/_.-]+", values.strip() or "x") is not None
        return AddressKind.FRONT if (stem.isdigit() and len(stem) <= 2) or date_alone else AddressKind.DATED
    if names_one[1]:
        return AddressKind.NUMBERED
    if has_id:
        return AddressKind.ID
    if len(_SEPARATORS.findall(stem)) >= 2 and len(stem) >= 12:
        return AddressKind.SLUG
    if not segments or (len(segments) == 1 and not parts.query and "." not in last):
        return AddressKind.FRONT
    return AddressKind.PLAIN


def one_name(url: str) -> bool:
    """An address of one name of two or more words and nothing else (`/liquid-lips/`, `/framebridge-2/`):
    how blogs name their posts, and some sites their sections; only its neighbours can tell which."""
    parts = parts_of(url)
    segments = [s for s in parts.path.split("/") if s]
    return (
        len(segments) == 1
        and not parts.query
        and "." not in segments[0]
        and bool(_SEPARATORS.search(segments[0]))
        and address_kind(url) is AddressKind.FRONT
    )


def _carries_address(path: str, query: str) -> bool:
    """An ad click or exit link: another web address inside this one (`*http://…`, `?exit=http…`)."""
    inner = unquote(path[1:] + "?" + query)
    return bool(re.search(r"https?:/|(?:^|[/?&=*])www\.", inner, re.IGNORECASE)) or "*" in path


def address_template(url: str) -> tuple[str, tuple[str, ...], str, tuple[str, ...]]:
    """The shape of an address: host, folders with their digits generalised, the file's extension and the
    query's names. Links of one shape are one kind of page on a site (stories, sections, authors)."""
    parts = parts_of(url)
    segments = [s for s in re.sub(r";[^/]*", "", parts.path).split("/") if s]
    folders = tuple("<id>" if opaque_id(s) else re.sub(r"\d+", "0", s) for s in segments[:-1])
    last = segments[-1] if segments else ""
    extension = last.rsplit(".", 1)[-1].lower() if "." in last else ""
    names = tuple(sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)}))
    return (parts.hostname or "", folders, extension, names)


_SUFFIXES = PublicSuffixList()  # the list bundled with the package: read once, never fetched


def site_of(host: str) -> str:
    """The registered name a host belongs to, by the Public Suffix List (news.yahoo.com and
    dailynews.yahoo.com are one site; two blogs under blogspot.com or github.io are two, as are
    joins.co.kr and chosun.co.kr); an address by number, or a name the list knows no site under, is
    its own."""
    host = host.lower().rstrip(".")
    if "." not in host or re.fullmatch(r"[\d.]+|\[.*\]", host):
        return host
    return _SUFFIXES.privatesuffix(host) or host
