from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from feedgen_app.extraction.dates import PUBLISHED_LABELS, UPDATED_LABELS, find_labelled_date, parse_date

KST = ZoneInfo("Asia/Seoul")


def kst(*args: int) -> datetime:
    return datetime(*args, tzinfo=KST)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sept 21, 2022 - 09:54", kst(2022, 9, 21, 9, 54)),  # era C, "Sept"
        ("Apr 18, 2022 - 16:41", kst(2022, 4, 18, 16, 41)),  # era C, three letters
        ("Sept. 30, 2023 - 20:50", kst(2023, 9, 30, 20, 50)),  # era D, AP style with a period
        ("March 4, 2020", kst(2020, 3, 4)),  # era D, full month, no time
        ("Nov. 26, 2026 - 07:41", kst(2026, 11, 26, 7, 41)),  # era E byline
        ("2026-11-26T07:41:00", kst(2026, 11, 26, 7, 41)),  # era E JSON-LD without offset: KST
        ("2026-11-26 07:41", kst(2026, 11, 26, 7, 41)),
        ("2015.04.28", kst(2015, 4, 28)),
        ("21 September 2022 9:54 pm", kst(2022, 9, 21, 21, 54)),
    ],
)
def test_zoneless_dates_are_korea_time(text: str, expected: datetime) -> None:
    parsed = parse_date(text, KST)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=9)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("2026-11-26T07:41:00+09:00", 9),
        ("2026-11-25T22:41:00Z", 0),
        ("Wed, 19 Aug 2026 11:29:16 +09:00", 9),  # the site's RSS: a colon in the offset
        ("Wed, 19 Aug 2026 11:29:16 +0900", 9),
        ("Wed, 19 Aug 2026 02:29:16 GMT", 0),
    ],
)
def test_explicit_offsets_are_kept(text: str, offset: int) -> None:
    parsed = parse_date(text, KST)
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=offset)


def test_rss_offset_with_colon_is_the_right_instant() -> None:
    parsed = parse_date("Wed, 19 Aug 2026 11:29:16 +09:00", UTC)
    assert parsed == datetime(2026, 8, 19, 2, 29, 16, tzinfo=UTC)


def test_labelled_byline_gives_each_date() -> None:
    text = "Published : Sept 21, 2022 - 07:12\xa0\xa0\xa0\xa0Updated : Sept 21, 2022 - 08:30"
    assert find_labelled_date(text, PUBLISHED_LABELS, KST) == kst(2022, 9, 21, 7, 12)
    assert find_labelled_date(text, UPDATED_LABELS, KST) == kst(2022, 9, 21, 8, 30)


def test_byline_without_an_update_gives_no_update() -> None:
    assert (
        find_labelled_date("Published : Nov. 25, 2026 - 09:03", UPDATED_LABELS, KST, (), PUBLISHED_LABELS)
        is None
    )


@pytest.mark.parametrize("text", ["", "no date here", "Feb 30, 2022 - 10:00", "13/45/2022"])
def test_nonsense_gives_none(text: str) -> None:
    assert parse_date(text, KST) is None


def test_profile_formats_come_first() -> None:
    assert parse_date("26/11/2026 07h41", KST, ["%d/%m/%Y %Hh%M"]) == kst(2026, 11, 26, 7, 41)


def _at(offset_minutes: int, *args: int) -> datetime:
    return datetime(*args, tzinfo=timezone(timedelta(minutes=offset_minutes)))  # type: ignore[misc]


NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Updated 3:45 PM ET, Wed March 20, 2019",
            datetime(2019, 3, 20, 15, 45, tzinfo=NEW_YORK),
        ),  # time first
        ("Posted Mar 20, 2019 at 9:15 am PDT", _at(-420, 2019, 3, 20, 9, 15)),
        ("March 20, 2019 at 2:05 p.m. EDT", _at(-240, 2019, 3, 20, 14, 5)),
        ("Wed 20 Mar 2019 14.05 BST", _at(60, 2019, 3, 20, 14, 5)),  # the hour and minute split by a dot
        ("20 March 2019 • 2:05pm GMT", _at(0, 2019, 3, 20, 14, 5)),
        ("March 20, 2019 / 2:05 PM / Updated 4 hours ago", _at(0, 2019, 3, 20, 14, 5)),
        ("Mar 20, 2019 10:30 AM IST", _at(330, 2019, 3, 20, 10, 30)),
        ("20 de marzo de 2019, 14:05 CET", _at(60, 2019, 3, 20, 14, 5)),
        ("2019/03/20 14:05 JST", _at(540, 2019, 3, 20, 14, 5)),
        ("2019-03-20 14:05:00 EST", _at(-300, 2019, 3, 20, 14, 5)),
        ("3/20/2019 2:05:33 PM", _at(0, 2019, 3, 20, 14, 5, 33)),  # PM in capitals
        ("2019年3月20日 14時05分", _at(0, 2019, 3, 20, 14, 5)),
        ("2019. 3. 20. 14:05", _at(0, 2019, 3, 20, 14, 5)),  # Korean dotted date
        ("12 March 2019 at 23:30 et plus", _at(0, 2019, 3, 12, 23, 30)),  # French "et" is not Eastern Time
    ],
)
def test_the_zone_a_page_prints_is_the_dates_zone(text: str, expected: datetime) -> None:
    """Zone names (EDT, BST, IST, ET…), times before the date, and the other ways news pages print a time;
    a date with no zone is in the given zone (UTC here, as for a site with no profile)."""
    parsed = parse_date(text, UTC)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset(), text
