"""Dates as news pages print them, parsed into timezone-aware datetimes.

Takes text (a meta value, JSON-LD string, or a byline such as "Published : Sept 21, 2022 - 09:54
Updated : ...") and the site's zone; returns an aware datetime or None. A date printed without a zone is
in the site's zone (Korea Herald: KST), never the machine's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone, tzinfo

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_TIME_RE = r"(?:\s*(?:-|,|at)?\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
# "Sept 21, 2022 - 09:54", "Sept. 30, 2023 - 20:50", "March 4, 2020", "Nov. 26, 2026 - 07:41"
_MDY = re.compile(_MONTH_RE + r"\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})" + _TIME_RE, re.IGNORECASE)
# "21 September 2022 09:54"
_DMY = re.compile(r"(?P<day>\d{1,2})\s+" + _MONTH_RE + r"\.?,?\s+(?P<year>\d{4})" + _TIME_RE, re.IGNORECASE)
# "2022-09-21T09:54:00+09:00", "2022-09-21 09:54", "2022.09.21 09:54", "2022/09/21"
_ISO = re.compile(
    r"(?P<year>\d{4})[-./](?P<month>\d{1,2})[-./](?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|KST|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
# RFC 822 as site feeds write it, offset with or without a colon: "Wed, 19 Aug 2026 11:29:16 +09:00"
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3},\s*)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<zone>Z|UT|UTC|GMT|KST|[+-]\d{2}:?\d{2})?"
)
_NAMED_ZONES = {"z": 0, "ut": 0, "utc": 0, "gmt": 0, "kst": 9 * 60}

PUBLISHED_LABELS = ("published", "posted", "first published", "created", "date", "입력")
UPDATED_LABELS = ("updated", "modified", "last updated", "last modified", "revised", "수정")
_ANY_LABEL = re.compile(
    r"\b("
    + "|".join(re.escape(x) for x in sorted(PUBLISHED_LABELS + UPDATED_LABELS, key=len, reverse=True))
    + r")\b\s*:?",
    re.IGNORECASE,
)


def _zone(text: str | None, default: tzinfo) -> tzinfo:
    if not text:
        return default
    key = text.lower()
    if key in _NAMED_ZONES:
        return timezone(timedelta(minutes=_NAMED_ZONES[key]))
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _month(name: str) -> int | None:
    name = name.lower().rstrip(".")
    return _MONTHS.get(name[:4] if name.startswith("sept") else name[:3])


def _build(m: re.Match[str], month: int | None, zone: tzinfo) -> datetime | None:
    if month is None:
        return None
    groups = m.groupdict()
    hour = int(groups.get("hour") or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        naive = datetime(
            int(m["year"]),
            month,
            int(m["day"]),
            hour,
            int(groups.get("minute") or 0),
            int(groups.get("second") or 0),
        )
    except ValueError:
        return None
    return naive.replace(tzinfo=_zone(groups.get("zone"), zone))


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
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    candidates: list[tuple[int, datetime]] = []
    for pattern in (_ISO, _MDY, _DMY, _RFC822):
        m = pattern.search(text)
        if not m:
            continue
        month = int(m["month"]) if m["month"].isdigit() else _month(m["month"])
        built = _build(m, month, zone)
        if built is not None:
            candidates.append((m.start(), built))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def find_labelled_date(
    text: str, labels: Sequence[str], zone: tzinfo, formats: Sequence[str] = ()
) -> datetime | None:
    """The date after one of `labels` ("Updated : ..."). Text with labels but none of ours gives None;
    text with no label at all is read as a bare date."""
    text = " ".join(text.split())
    found = list(_ANY_LABEL.finditer(text))
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
