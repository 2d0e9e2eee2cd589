"""Dates as news pages print them, parsed into timezone-aware datetimes.

Takes text (a meta value, JSON-LD string, or a byline such as "Published : Sept 21, 2022 - 09:54
Updated : ...") and the site's zone; returns an aware datetime or None. A date printed without a zone is
in the site's zone (UTC for a site with no profile), never the machine's; a printed offset or zone
name (`+09:00`, `EDT`, `BST`, `ET`) is the date's zone. English, French, German, Spanish, Portuguese,
Italian and Dutch month names and labels are known, and CJK numeric dates; a time may come before its
date ("3:45 PM ET, Wed March 20, 2019"); a profile adds its own labels.

Absurd values are no date, never an error: a year before 1990 or after 2100 (`0001-01-01`, `9999-12-31`
in JSON-LD), an offset of a day or more (`+24:00`, `+99:99`), an impossible day; the caller then tries its
next source. `plausible` also drops what lies more than a day after the caller's clock.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

# Month names and abbreviations in the languages most news sites print (English, French, German, Spanish,
# Portuguese, Italian, Dutch), lower-case, accents kept and dropped. Dates in Chinese, Japanese and Korean
# are numeric with 年月日 / 년월일 marks (_CJK below).
_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "janvier",
        "janv",
        "januar",
        "jän",
        "enero",
        "ene",
        "janeiro",
        "gennaio",
        "gen",
        "januari",
    ),
    2: (
        "february",
        "feb",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "februar",
        "febrero",
        "fevereiro",
        "fev",
        "febbraio",
        "februari",
    ),
    3: ("march", "mar", "mars", "märz", "marz", "mär", "marzo", "março", "marco", "maart", "mrt"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag", "mei"),
    6: ("june", "jun", "juin", "juni", "junio", "junho", "giugno", "giu"),
    7: ("july", "jul", "juillet", "juil", "juli", "julio", "julho", "luglio", "lug"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus"),
    9: ("september", "sept", "sep", "septembre", "septiembre", "setembro", "set", "settembre"),
    10: ("october", "oct", "octobre", "oktober", "okt", "octubre", "outubro", "out", "ottobre", "ott"),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "décembre",
        "decembre",
        "déc",
        "dezember",
        "dez",
        "diciembre",
        "dic",
        "dezembro",
        "dicembre",
    ),
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names}
_MONTH_RE = (
    r"(?P<month>" + "|".join(re.escape(n) for n in sorted(_MONTHS, key=len, reverse=True)) + r")(?![a-zà-ÿ])"
)
# Zones as pages print them. A name with a fixed offset stands for it; the US names that do not say
# whether summer time applies (ET, CT, MT, PT) are the US zones themselves. Of names that mean two
# zones, the news sense wins: IST is India's, BST British summer time, CST US Central. A name not here
# leaves the date in the site's zone, which a profile sets (Korea time is the Korea Herald profile's).
_ZONE_OFFSETS = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "WET": 0,
    "BST": 60, "IST": 330, "CET": 60, "CEST": 120, "WEST": 60, "EET": 120, "EEST": 180, "MSK": 180,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150,
    "JST": 540, "HKT": 480, "SGT": 480, "PHT": 480, "AWST": 480, "WIB": 420, "ICT": 420,
    "ACST": 570, "ACDT": 630, "AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "SAST": 120, "WAT": 60,
    "EAT": 180, "PKT": 300, "BRT": -180, "ART": -180,
}  # fmt: skip
_US_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
# Upper-case only, so that French "et" (and) or a stray "at" is never read as a zone
_ZONE_RE = (
    r"(?P<zone>(?-i:"
    + "|".join(sorted([*_ZONE_OFFSETS, *_US_ZONES], key=len, reverse=True))
    + r")(?![A-Za-z])|utc|gmt|[+-]\d{2}:?\d{2})"
)
_NAMES_ZONE = re.compile(r"\d" + r"\s*" + _ZONE_RE.replace("?P<zone>", "") + r"|\d(?:Z|[+-]\d{2}:?\d{2})\b")


_ZONE_NAME_LIKE = re.compile(r"\d\s*([A-Z]{2,4}T)(?![A-Za-z])")


def zone_unread(text: str) -> str | None:
    """Why a printed date's zone is a guess: None when it names one we read ("+09:00", "Z", "EDT");
    else what it shows: a zone name no generic table has (a profile reads it), or no zone at all."""
    if _NAMES_ZONE.search(text):
        return None
    name = _ZONE_NAME_LIKE.search(text)
    return f"prints a zone name it does not read ({name.group(1)})" if name else "prints no time zone"


_CLOCK_RE = (
    r"(?P<hour>\d{1,2})\s*[:h.時시]\s*(?P<minute>\d{2})(?:[:分분]\s*(?P<second>\d{2}))?[分분]?"
    r"\s*(?P<ampm>[ap]\.?m\.?(?![a-z]))?(?:\s*" + _ZONE_RE + r")?"
)
_TIME_RE = r"(?:\s*(?:-|–|—|,|/|\||•|·|at|à|um|a las|às|alle|om|T)?\s*" + _CLOCK_RE + r")?"
# A time printed before its date: "3:45 PM ET, Wed March 20, 2019"
_TIME_BEFORE = re.compile(
    r"(?<![\d:.])" + _CLOCK_RE + r"[\s,|•·/-]*(?:[A-Za-zà-ÿ]{2,9}\.?,?\s*)?$", re.IGNORECASE
)
# "Sept 21, 2022 - 09:54", "Sept. 30, 2023 - 20:50", "March 4, 2020", "Nov. 26, 2026 - 07:41"
_MDY = re.compile(
    r"\b" + _MONTH_RE + r"\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME_RE,
    re.IGNORECASE,
)
# "21 September 2022 09:54", "3. März 2025", "12 de noviembre de 2025", "1er janvier 2026"
_DMY = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+)?"
    + _MONTH_RE
    + r"\.?,?\s+(?:de\s+)?(?P<year>\d{4})"
    + _TIME_RE,
    re.IGNORECASE,
)
# "2022-09-21T09:54:00+09:00", "2022-09-21 09:54", "2022.09.21 09:54", "2022/09/21"
_ISO = re.compile(
    r"(?P<year>\d{4})(?P<sep>[-/]|\.\s?)(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?:\.(?=\s))?"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?(?![a-z])))?)?"
    r"\s*" + _ZONE_RE + "?",
    re.IGNORECASE,
)
# "09/25/2025", "25.09.2025 14:30", "25-09-2025": day first unless the first number cannot be a day
# of a month that the second can be (the US order: 09/25/2025)
_NUMERIC = re.compile(
    r"\b(?P<first>\d{1,2})[./-](?P<other>\d{1,2})[./-](?P<year>\d{4})\b" + _TIME_RE, re.IGNORECASE
)
# "2025年11月12日 14:30", "2025년 11월 12일"
_CJK = re.compile(
    r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]?" + _TIME_RE,
    re.IGNORECASE,
)
# RFC 822 as site feeds write it, offset with or without a colon: "Wed, 19 Aug 2026 11:29:16 +09:00"
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*" + _ZONE_RE + "?"
)

PUBLISHED_LABELS = (
    "published",
    "posted",
    "first published",
    "created",
    "date",
    "publié",
    "veröffentlicht",
    "publicado",
    "pubblicato",
    "gepubliceerd",
)
UPDATED_LABELS = (
    "updated",
    "modified",
    "last updated",
    "last modified",
    "revised",
    "mis à jour",
    "aktualisiert",
    "actualizado",
    "atualizado",
    "aggiornato",
    "bijgewerkt",
)


EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # no web page of news is older
LATEST_YEAR = 2100
FUTURE_SLACK = timedelta(days=1)  # clocks and zones differ; a story dated later than this is not yet
MAX_OFFSET = timedelta(hours=14)  # the widest offset any zone uses (UTC+14, Kiribati)


def plausible(when: datetime | None, now: datetime | None = None) -> bool:
    """A date a news page can mean: from 1990 on, and not more than a day after `now` (when given)."""
    if when is None:
        return False
    try:
        return when >= EARLIEST and (now is None or when <= now + FUTURE_SLACK)
    except (OverflowError, ValueError):
        return False


def _zone(text: str | None, default: tzinfo) -> tzinfo | None:
    """The zone a printed name or offset says (None for an offset no zone has), else `default`."""
    if not text:
        return default
    key = text.upper()
    if key in _ZONE_OFFSETS:
        return timezone(timedelta(minutes=_ZONE_OFFSETS[key]))
    if key in _US_ZONES:
        return ZoneInfo(_US_ZONES[key])
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes > 59 or offset > MAX_OFFSET:
        return None
    return timezone(sign * offset)


def _month(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def _build(
    m: re.Match[str], month: int | None, zone: tzinfo, day: int | None = None, year: int | None = None
) -> datetime | None:
    if month is None:
        return None
    groups = m.groupdict()
    hour = int(groups.get("hour") or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    year = year if year is not None else int(m["year"])
    zone_found = _zone(groups.get("zone"), zone)
    if zone_found is None or not EARLIEST.year <= year <= LATEST_YEAR:
        return None
    try:
        naive = datetime(
            year,
            month,
            day if day is not None else int(m["day"]),
            hour,
            int(groups.get("minute") or 0),
            int(groups.get("second") or 0),
        )
    except ValueError:
        return None
    return naive.replace(tzinfo=zone_found)


def _with_time_before(
    text: str, found: re.Match[str], date: datetime | None, zone: tzinfo
) -> datetime | None:
    """A date (`found` in `text`) printed with no time after it takes the time printed just before it, if
    any ("3:45 PM ET, Wed March 20, 2019")."""
    if date is None or found["hour"] is not None:
        return date
    m = _TIME_BEFORE.search(text[max(0, found.start() - 40) : found.start()])
    if m is None:
        return date
    timed = _build(m, date.month, zone, date.day, date.year)
    return timed if timed is not None else date


def parse_date(text: str, zone: tzinfo, formats: Sequence[str] = ()) -> datetime | None:
    """The first date in `text`, aware; `formats` (strptime) are tried first on the whole text."""
    text = " ".join(text.split())
    if not text:
        return None
    for fmt in formats:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
        if plausible(parsed):
            return parsed
    candidates: list[tuple[int, datetime]] = []
    for pattern in (_ISO, _MDY, _DMY, _CJK, _RFC822):
        m = pattern.search(text)
        if not m:
            continue
        month = int(m["month"]) if m["month"].isdigit() else _month(m["month"])
        built = _with_time_before(text, m, _build(m, month, zone), zone)
        if built is not None:
            candidates.append((m.start(), built))
    m = _NUMERIC.search(text)
    if m:
        first, other = int(m["first"]), int(m["other"])
        day, month = (other, first) if first <= 12 < other else (first, other)
        built = _with_time_before(text, m, _build(m, month, zone, day), zone)
        if built is not None:
            candidates.append((m.start(), built))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def ambiguous(text: str) -> bool:
    """True for a date such as 03/04/2025 (March 4 or 3 April?) with nothing else to go by."""
    if any(p.search(text) for p in (_ISO, _MDY, _DMY, _CJK)):
        return False
    m = _NUMERIC.search(text)
    if m is None:
        return False
    return int(m["first"]) <= 12 and int(m["other"]) <= 12 and m["first"] != m["other"]


@functools.lru_cache(maxsize=64)
def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(x) for x in sorted(set(labels), key=len, reverse=True))
    return re.compile(r"(?<!\w)(" + alternatives + r")(?!\w)\s*:?", re.IGNORECASE)


def find_labelled_date(
    text: str,
    labels: Sequence[str],
    zone: tzinfo,
    formats: Sequence[str] = (),
    other_labels: Sequence[str] = (),
) -> datetime | None:
    """The date after one of `labels` ("Updated : ..."). Text with labels but none of ours (only
    `other_labels`, the other kind's) gives None; text with no label at all is read as a bare date."""
    text = " ".join(text.split())
    found = list(_label_pattern((*labels, *other_labels)).finditer(text))
    if not found:
        return parse_date(text, zone, formats)
    wanted = {label.lower() for label in labels}
    for i, m in enumerate(found):
        if m.group(1).lower() not in wanted:
            continue
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        parsed = parse_date(text[m.end() : end], zone, formats)
        if parsed is not None:
            return parsed
    return None
