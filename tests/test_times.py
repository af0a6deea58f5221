"""Time expressions: strict publication dates, finding spans, resolving them to periods.

Expected values follow the Time section of docs/conventions.md. Most cases are
anchored on Sunday 2 November 2025, 09:30 Moscow time (``PUB``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skytally import times
from skytally.errors import InputError
from skytally.times import (
    KYIV,
    MOSCOW,
    UTC,
    find_time_expressions,
    parse_published,
    resolve_period,
    zone_for,
)


def msk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=MOSCOW)  # type: ignore[misc]


def kyiv(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=KYIV)  # type: ignore[misc]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


PUB = msk(2025, 11, 2, 9, 30)  # a Sunday
PUB_DAY = date(2025, 11, 2)  # read as 12:00 in the article's zone


# ---------------------------------------------------------------------------
# parse_published
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("2025-11-01", date(2025, 11, 1)),
        (" 2025-11-01\n", date(2025, 11, 1)),
        (
            "2025-11-01T09:30:00+03:00",
            datetime(2025, 11, 1, 9, 30, tzinfo=timezone(timedelta(hours=3))),
        ),
        ("2025-11-01 09:30", datetime(2025, 11, 1, 9, 30)),
        ("2025-11-01T09:30Z", datetime(2025, 11, 1, 9, 30, tzinfo=timezone(timedelta(0)))),
        ("2025-11-01T09:30:15.250", datetime(2025, 11, 1, 9, 30, 15, 250000)),
        (date(2025, 11, 1), date(2025, 11, 1)),
        (datetime(2025, 11, 1, 9, 30), datetime(2025, 11, 1, 9, 30)),
        (msk(2025, 11, 1, 9, 30), msk(2025, 11, 1, 9, 30)),
    ],
)
def test_parse_published_accepts_iso(value: object, expected: object) -> None:
    result = parse_published(value)  # type: ignore[arg-type]
    assert result == expected
    assert type(result) is type(expected)
    if isinstance(expected, datetime):
        assert result.utcoffset() == expected.utcoffset()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "   ",
        "2025-13-01",
        "2025-02-30",
        "2025-11-01T25:00",
        "01/11/2025",
        "1 November 2025",
        "2025-11-01 junk",
        "20251101",
        20251101,
        3.5,
        True,
        ["2025-11-01"],
    ],
)
def test_parse_published_rejects_everything_else(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_published(value)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith("[E002] invalid published date ")
    assert repr(value) in message


# ---------------------------------------------------------------------------
# find_time_expressions
# ---------------------------------------------------------------------------


def found(text: str) -> list[str]:
    return [text[s:e] for s, e in find_time_expressions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Air defences destroyed 98 Ukrainian drones overnight, 45 over the Belgorod region.",
            ["overnight"],
        ),
        (
            "Drones were destroyed between 2:20 pm and 7:30 pm MSK over the Bryansk region.",
            ["between 2:20 pm and 7:30 pm MSK"],
        ),
        (
            "From 23:00 on Sunday to 07:00 on Monday, 120 drones were intercepted.",
            ["From 23:00 on Sunday to 07:00 on Monday"],
        ),
        (
            "Overnight on November 1, air defence systems shot down 40 drones.",
            ["Overnight on November 1"],
        ),
        (
            "The attack lasted from 11:00 pm on October 31 to 7:00 am on November 1.",
            ["from 11:00 pm on October 31 to 7:00 am on November 1"],
        ),
        (
            "It lasted 11:00 pm on October 31 to 7:00 am on November 1, officials said.",
            ["11:00 pm on October 31 to 7:00 am on November 1"],
        ),
        ("On the night of 15-16 April, 50 drones were downed.", ["On the night of 15-16 April"]),
        ("Overnight into February 8, Russia launched 151 drones.", ["Overnight into February 8"]),
        (
            "In the early hours of October 25, blasts were heard.",
            ["In the early hours of October 25"],
        ),
        ("Explosions rang out on the evening of October 31st.", ["on the evening of October 31st"]),
        ("The ministry said on Sunday that 23 drones fell.", ["on Sunday"]),
        ("The attack happened on November 30th in Kursk.", ["on November 30th"]),
        ("The report of 1 November 2025 said 12 drones.", ["1 November 2025"]),
        (
            "Sirens sounded at 23.00 and again at 9:00 Moscow time.",
            ["at 23.00", "at 9:00 Moscow time"],
        ),
        (
            "The raid began at 20:00 MSK (17:00 GMT) on Saturday.",
            ["at 20:00 MSK (17:00 GMT) on Saturday"],
        ),
        ("Over the past 24 hours, 200 drones were shot down.", ["Over the past 24 hours"]),
        ("Last night and yesterday the city was attacked.", ["Last night", "yesterday"]),
        ("Drones hit the refinery this morning.", ["this morning"]),
        ("Strikes continued until 2300 hrs local time.", ["until 2300 hrs local time"]),
        ("The alert ended at 7:00 a.m. in Kyiv.", ["at 7:00 a.m."]),
        ("The alert ended at 7 a.m. today.", ["at 7 a.m. today"]),
        (
            "The attack lasted from 8 p.m. (20:00 Moscow time) on Saturday until 7 a.m. on Sunday.",
            ["from 8 p.m. (20:00 Moscow time) on Saturday until 7 a.m. on Sunday"],
        ),
        (
            "Russia attacked during the night of Saturday to Sunday.",
            ["during the night of Saturday to Sunday"],
        ),
        ("Russia attacked on Saturday night into Sunday.", ["on Saturday night into Sunday"]),
        (
            "On November 1 between 2:20 pm and 7:30 pm, 30 drones fell.",
            ["On November 1 between 2:20 pm and 7:30 pm"],
        ),
        (
            "Kyiv was attacked early on Sunday and late Saturday.",
            ["early on Sunday", "late Saturday"],
        ),
        ("As of 09:00 Moscow time, 13 drones had been downed.", ["As of 09:00 Moscow time"]),
        ("Since 23:00 yesterday, 41 drones were destroyed.", ["Since 23:00 yesterday"]),
        ("In October 2025 Russia launched 5,000 drones.", ["In October 2025"]),
        ("Over the weekend 300 drones were launched.", ["Over the weekend"]),
        (
            "On the night between Saturday and Sunday, 40 drones.",
            ["On the night between Saturday and Sunday"],
        ),
        ("Between 20:00 and 23:30, drones flew over Tula.", ["Between 20:00 and 23:30"]),
        ("Alerts ran 20:00-23:30 over Tula.", ["20:00-23:30"]),
        ("Published Sunday, November 30, 2025: drones fell.", ["Sunday, November 30, 2025"]),
        ("Attacks resumed on May 9 though 5 may have been hit.", ["on May 9"]),
        ("On 2025-11-01 and on 01.11.2025 drones fell.", ["On 2025-11-01", "on 01.11.2025"]),
        ("The night of April 15 to 16 drones fell.", ["The night of April 15"]),
        ("Fighting went on during the day on Sunday.", ["during the day on Sunday"]),
        ("In the last three days 400 drones fell.", ["In the last three days"]),
        ("At 0700 hours the alert ended.", ["At 0700 hours"]),
        ("The alert was lifted at around noon.", ["at around noon"]),
        ("Sunday morning saw 12 drones, Monday evening 3.", ["Sunday morning", "Monday evening"]),
    ],
)
def test_find_time_expressions_spans(text: str, expected: list[str]) -> None:
    assert found(text) == expected


def test_find_time_expressions_offsets_are_exact() -> None:
    text = "Air defences destroyed 98 drones between 2:20 pm and 7:30 pm MSK over Bryansk."
    assert find_time_expressions(text) == [(33, 64)]
    text = "Overnight on November 1, 40 drones; on Sunday, 3 more."
    assert find_time_expressions(text) == [(0, 23), (36, 45)]


@pytest.mark.parametrize(
    "text",
    [
        "Kh-101 cruise missiles, Su-34 bombers and S-400 systems were involved.",
        "S-300 missiles and 45 drones were shot down over the region.",
        "Over a span of 3.5 hours the attack continued.",
        "The systems operate 24/7 and have done so since 2022.",
        "The drones cost 1.25 million roubles, or 12.50 roubles per gram, up 15.30 percent.",
        "Some 5 may have been hit; the march continued.",
        "Tu-95MS and Tu-22M3 bombers fired Kh-555 and 9M723 missiles.",
        "The Pantsir-S1 and Tor-M2 units destroyed 13 of 20 targets in 2024.",
        "It happened on the last day of the offensive, the governor said.",
        "Earlier in the week, since the start of the week, over 10 hours.",
        "The early warning system and a late response.",
    ],
)
def test_find_time_expressions_ignores_non_times(text: str) -> None:
    assert find_time_expressions(text) == []


def test_find_time_expressions_empty() -> None:
    assert find_time_expressions("") == []


# ---------------------------------------------------------------------------
# resolve_period: the conventions table and its notes
# ---------------------------------------------------------------------------

RESOLVED = [
    # named windows without a date
    ("overnight", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    ("last night", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    ("during the night", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    ("late last night", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    # overnight on / into / the night to D
    ("overnight on November 1", PUB, MOSCOW, msk(2025, 10, 31, 23), msk(2025, 11, 1, 7)),
    ("overnight into February 8", PUB, MOSCOW, msk(2025, 2, 7, 23), msk(2025, 2, 8, 7)),
    ("the night to November 1", PUB, MOSCOW, msk(2025, 10, 31, 23), msk(2025, 11, 1, 7)),
    ("on the night to Sunday", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    ("overnight Saturday", PUB, MOSCOW, msk(2025, 10, 31, 23), msk(2025, 11, 1, 7)),
    # the night of D
    ("the night of October 31", PUB, MOSCOW, msk(2025, 10, 31, 23), msk(2025, 11, 1, 7)),
    ("on the night of October 31", PUB, MOSCOW, msk(2025, 10, 31, 23), msk(2025, 11, 1, 7)),
    ("Saturday night", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    # the night of D1-D2
    ("the night of 15-16 April", PUB, MOSCOW, msk(2025, 4, 15, 23), msk(2025, 4, 16, 7)),
    ("on the night of April 15 to 16", PUB, MOSCOW, msk(2025, 4, 15, 23), msk(2025, 4, 16, 7)),
    ("the night of 15/16 April 2024", None, MOSCOW, msk(2024, 4, 15, 23), msk(2024, 4, 16, 7)),
    ("the night of Saturday to Sunday", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    ("the night from Saturday to Sunday", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    (
        "the night between Saturday and Sunday",
        PUB,
        MOSCOW,
        msk(2025, 11, 1, 23),
        msk(2025, 11, 2, 7),
    ),
    ("Saturday night into Sunday", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    ("the night of March 31 to April 1", PUB, MOSCOW, msk(2025, 3, 31, 23), msk(2025, 4, 1, 7)),
    # early hours
    ("in the early hours of October 25", PUB, MOSCOW, msk(2025, 10, 25), msk(2025, 10, 25, 6)),
    ("early morning of October 25", PUB, MOSCOW, msk(2025, 10, 25), msk(2025, 10, 25, 6)),
    ("early on Sunday", PUB, MOSCOW, msk(2025, 11, 2), msk(2025, 11, 2, 6)),
    ("early Saturday", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 1, 6)),
    ("in the early hours", PUB, MOSCOW, msk(2025, 11, 2), msk(2025, 11, 2, 6)),
    ("early this morning", PUB, MOSCOW, msk(2025, 11, 2), msk(2025, 11, 2, 6)),
    # parts of the day
    ("in the morning", PUB, MOSCOW, msk(2025, 11, 2, 6), msk(2025, 11, 2, 12)),
    ("in the morning of November 1", PUB, MOSCOW, msk(2025, 11, 1, 6), msk(2025, 11, 1, 12)),
    ("this morning", PUB, MOSCOW, msk(2025, 11, 2, 6), msk(2025, 11, 2, 12)),
    ("Sunday morning", PUB, MOSCOW, msk(2025, 11, 2, 6), msk(2025, 11, 2, 12)),
    ("in the afternoon", PUB, MOSCOW, msk(2025, 11, 2, 12), msk(2025, 11, 2, 18)),
    ("during the day", PUB, MOSCOW, msk(2025, 11, 2, 12), msk(2025, 11, 2, 18)),
    ("during the day on Saturday", PUB, MOSCOW, msk(2025, 11, 1, 12), msk(2025, 11, 1, 18)),
    ("in the evening", PUB, MOSCOW, msk(2025, 11, 2, 18), msk(2025, 11, 3)),
    ("on the evening of October 31st", PUB, MOSCOW, msk(2025, 10, 31, 18), msk(2025, 11, 1)),
    ("in the evening of October 31", PUB, MOSCOW, msk(2025, 10, 31, 18), msk(2025, 11, 1)),
    ("yesterday evening", PUB, MOSCOW, msk(2025, 11, 1, 18), msk(2025, 11, 2)),
    ("late on Saturday", PUB, MOSCOW, msk(2025, 11, 1, 18), msk(2025, 11, 2)),
    # whole days
    ("on Sunday", PUB, MOSCOW, msk(2025, 11, 2), msk(2025, 11, 3)),
    ("on Saturday", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 2)),
    ("on Monday", PUB, MOSCOW, msk(2025, 10, 27), msk(2025, 10, 28)),
    ("last Sunday", PUB, MOSCOW, msk(2025, 10, 26), msk(2025, 10, 27)),
    ("today", PUB, MOSCOW, msk(2025, 11, 2), msk(2025, 11, 3)),
    ("yesterday", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 2)),
    ("the day before yesterday", PUB, MOSCOW, msk(2025, 10, 31), msk(2025, 11, 1)),
    ("November 1", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 2)),
    ("on November 30th", PUB, MOSCOW, msk(2024, 11, 30), msk(2024, 12, 1)),
    ("Nov. 30", PUB, MOSCOW, msk(2024, 11, 30), msk(2024, 12, 1)),
    ("the 1st of November", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 2)),
    ("1 November 2025", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 2)),
    ("Sunday, November 2, 2025", PUB, MOSCOW, msk(2025, 11, 2), msk(2025, 11, 3)),
    ("2025-10-31", PUB, MOSCOW, msk(2025, 10, 31), msk(2025, 11, 1)),
    ("31.10.2025", PUB, MOSCOW, msk(2025, 10, 31), msk(2025, 11, 1)),
    ("on 15-16 April", PUB, MOSCOW, msk(2025, 4, 15), msk(2025, 4, 17)),
    ("from Saturday to Sunday", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 3)),
    (
        "from Saturday evening to Sunday morning",
        PUB,
        MOSCOW,
        msk(2025, 11, 1, 18),
        msk(2025, 11, 2, 12),
    ),
    # clock windows
    (
        "between 2:20 pm and 7:30 pm",
        PUB,
        MOSCOW,
        msk(2025, 11, 1, 14, 20),
        msk(2025, 11, 1, 19, 30),
    ),
    ("between 14:20 and 19:30", PUB, MOSCOW, msk(2025, 11, 1, 14, 20), msk(2025, 11, 1, 19, 30)),
    ("from 20:00 to 23:30", PUB, MOSCOW, msk(2025, 11, 1, 20), msk(2025, 11, 1, 23, 30)),
    ("from 06:00 to 08:00", PUB, MOSCOW, msk(2025, 11, 2, 6), msk(2025, 11, 2, 8)),
    ("from 23:00 to 07:00", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    ("from 20:00 to midnight", PUB, MOSCOW, msk(2025, 11, 1, 20), msk(2025, 11, 2)),
    ("20:00-23:30", PUB, MOSCOW, msk(2025, 11, 1, 20), msk(2025, 11, 1, 23, 30)),
    ("from 8 p.m. to 11 p.m.", PUB, MOSCOW, msk(2025, 11, 1, 20), msk(2025, 11, 1, 23)),
    (
        "between 2:20 pm and 7:30 pm MSK",
        PUB,
        KYIV,
        msk(2025, 11, 1, 14, 20),
        msk(2025, 11, 1, 19, 30),
    ),
    (
        "on November 1 between 2:20 pm and 7:30 pm MSK",
        PUB,
        KYIV,
        msk(2025, 11, 1, 14, 20),
        msk(2025, 11, 1, 19, 30),
    ),
    (
        "between 2:20 pm and 7:30 pm MSK on November 1",
        PUB,
        KYIV,
        msk(2025, 11, 1, 14, 20),
        msk(2025, 11, 1, 19, 30),
    ),
    (
        "from 23:00 on Sunday to 07:00 on Monday",
        msk(2025, 11, 3, 10),
        MOSCOW,
        msk(2025, 11, 2, 23),
        msk(2025, 11, 3, 7),
    ),
    # published on a Sunday, "Monday" is the one before it and the window ends there
    (
        "from 23:00 on Sunday to 07:00 on Monday",
        PUB,
        MOSCOW,
        msk(2025, 10, 26, 23),
        msk(2025, 10, 27, 7),
    ),
    (
        "from 11:00 pm on October 31 to 7:00 am on November 1",
        PUB,
        MOSCOW,
        msk(2025, 10, 31, 23),
        msk(2025, 11, 1, 7),
    ),
    ("from 23:00 on October 31 to 07:00", PUB, MOSCOW, msk(2025, 10, 31, 23), msk(2025, 11, 1, 7)),
    ("from 23:00 to 07:00 on Monday", PUB, MOSCOW, msk(2025, 10, 27, 23), msk(2025, 10, 28, 7)),
    (
        "from 20:00 on Saturday until 7 a.m. on Sunday",
        PUB,
        MOSCOW,
        msk(2025, 11, 1, 20),
        msk(2025, 11, 2, 7),
    ),
    ("from 23:00 last night to 07:00", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
    # a year only on the start: the end follows it, whatever the publication date
    ("from 1 November 2025 to November 3", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 4)),
    # open windows
    ("since 23:00", PUB, MOSCOW, msk(2025, 11, 1, 23), None),
    ("since 08:00", PUB, MOSCOW, msk(2025, 11, 2, 8), None),
    ("as of 09:00", PUB, MOSCOW, None, msk(2025, 11, 2, 9)),
    ("by 09:00", PUB, MOSCOW, None, msk(2025, 11, 2, 9)),
    ("by 10:00", PUB, MOSCOW, None, msk(2025, 11, 1, 10)),
    ("as of 09:00 Moscow time on November 1", PUB, KYIV, None, msk(2025, 11, 1, 9)),
    ("from 20:00 MSK (17:00 GMT)", PUB, KYIV, msk(2025, 11, 1, 20), None),
    ("after 23:00", PUB, MOSCOW, msk(2025, 11, 1, 23), None),
    ("since November 1", PUB, MOSCOW, msk(2025, 11, 1), None),
    ("since 23:00 yesterday", PUB, MOSCOW, msk(2025, 11, 1, 23), None),
    # single clock times are instants
    ("at 2:20 pm", PUB, MOSCOW, msk(2025, 11, 1, 14, 20), msk(2025, 11, 1, 14, 20)),
    ("at 14:20", PUB, MOSCOW, msk(2025, 11, 1, 14, 20), msk(2025, 11, 1, 14, 20)),
    ("at 23.00", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 1, 23)),
    ("2300 hrs", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 1, 23)),
    ("at 0700 hours", PUB, MOSCOW, msk(2025, 11, 2, 7), msk(2025, 11, 2, 7)),
    ("at 7:00 a.m.", PUB, MOSCOW, msk(2025, 11, 2, 7), msk(2025, 11, 2, 7)),
    ("at 7 am", PUB, MOSCOW, msk(2025, 11, 2, 7), msk(2025, 11, 2, 7)),
    ("at 12:30 am", PUB, MOSCOW, msk(2025, 11, 2, 0, 30), msk(2025, 11, 2, 0, 30)),
    ("at 12 pm", PUB, MOSCOW, msk(2025, 11, 1, 12), msk(2025, 11, 1, 12)),
    ("at noon", PUB, MOSCOW, msk(2025, 11, 1, 12), msk(2025, 11, 1, 12)),
    ("at midnight", PUB, MOSCOW, msk(2025, 11, 2), msk(2025, 11, 2)),
    ("at 9:00 Moscow time", PUB, KYIV, msk(2025, 11, 2, 9), msk(2025, 11, 2, 9)),
    ("at 3 am this morning", PUB, MOSCOW, msk(2025, 11, 2, 3), msk(2025, 11, 2, 3)),
    ("at 23:00 last night", PUB, MOSCOW, msk(2025, 11, 1, 23), msk(2025, 11, 1, 23)),
    ("at 02:00 on the night of October 31", PUB, MOSCOW, msk(2025, 11, 1, 2), msk(2025, 11, 1, 2)),
    ("November 1 at 9:00", PUB, MOSCOW, msk(2025, 11, 1, 9), msk(2025, 11, 1, 9)),
    ("at 24:00 on October 31", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 1)),
    # look-back windows
    ("over the past 24 hours", PUB, MOSCOW, msk(2025, 11, 1, 9, 30), msk(2025, 11, 2, 9, 30)),
    ("in the last 24 hours", PUB_DAY, MOSCOW, msk(2025, 11, 1, 12), msk(2025, 11, 2, 12)),
    ("over the past day", PUB, MOSCOW, msk(2025, 11, 1, 9, 30), msk(2025, 11, 2, 9, 30)),
    ("over the past 48 hours", PUB, MOSCOW, msk(2025, 10, 31, 9, 30), msk(2025, 11, 2, 9, 30)),
    ("in the last three days", PUB, MOSCOW, msk(2025, 10, 30, 9, 30), msk(2025, 11, 2, 9, 30)),
    ("over the past week", PUB, MOSCOW, msk(2025, 10, 26, 9, 30), msk(2025, 11, 2, 9, 30)),
    # months and weekends
    ("in October", PUB, MOSCOW, msk(2025, 10, 1), msk(2025, 11, 1)),
    ("in December", PUB, MOSCOW, msk(2024, 12, 1), msk(2025, 1, 1)),
    ("in December 2024", None, MOSCOW, msk(2024, 12, 1), msk(2025, 1, 1)),
    ("over the weekend", PUB, MOSCOW, msk(2025, 11, 1), msk(2025, 11, 3)),
    ("over the weekend", msk(2025, 11, 4, 9), MOSCOW, msk(2025, 11, 1), msk(2025, 11, 3)),
]


@pytest.mark.parametrize(
    ("expression", "published", "tz", "start", "end"),
    [pytest.param(*case, id=f"{case[0]}|{case[2]}") for case in RESOLVED],
)
def test_resolve_period(
    expression: str,
    published: date | datetime | None,
    tz: ZoneInfo,
    start: datetime | None,
    end: datetime | None,
) -> None:
    got = resolve_period(expression, published=published, tz=tz)
    assert got == (start, end)
    for value in got:
        assert value is None or value.utcoffset() is not None


# ---------------------------------------------------------------------------
# anchors, year placement, zones
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "start", "end"),
    [
        ("December 31", kyiv(2025, 12, 31), kyiv(2026, 1, 1)),
        ("January 2", kyiv(2026, 1, 2), kyiv(2026, 1, 3)),
        ("January 3", kyiv(2025, 1, 3), kyiv(2025, 1, 4)),
        ("overnight on January 1", kyiv(2025, 12, 31, 23), kyiv(2026, 1, 1, 7)),
        ("the night of December 31", kyiv(2025, 12, 31, 23), kyiv(2026, 1, 1, 7)),
        ("the night of December 31 to January 1", kyiv(2025, 12, 31, 23), kyiv(2026, 1, 1, 7)),
        ("on Wednesday", kyiv(2025, 12, 31), kyiv(2026, 1, 1)),
        ("in December", kyiv(2025, 12, 1), kyiv(2026, 1, 1)),
    ],
)
def test_year_boundary(expression: str, start: datetime, end: datetime) -> None:
    # 2 January 2026 is a Friday
    assert resolve_period(expression, published=date(2026, 1, 2), tz=KYIV) == (start, end)


def test_leap_day_without_year_goes_back_to_a_leap_year() -> None:
    assert resolve_period("February 29", published=date(2026, 3, 1), tz=MOSCOW) == (
        msk(2024, 2, 29),
        msk(2024, 3, 1),
    )


@pytest.mark.parametrize(
    ("published", "expected_day"),
    [
        (date(2025, 11, 2), date(2025, 11, 2)),  # Sunday: that very day
        (date(2025, 11, 3), date(2025, 11, 2)),
        (date(2025, 11, 8), date(2025, 11, 2)),  # Saturday
        (date(2025, 11, 9), date(2025, 11, 9)),
    ],
)
def test_weekday_is_most_recent_on_or_before_publication(
    published: date, expected_day: date
) -> None:
    start, end = resolve_period("on Sunday", published=published, tz=MOSCOW)
    assert start == datetime.combine(expected_day, datetime.min.time(), MOSCOW)
    assert end == start + timedelta(days=1)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("expression", "start", "end"),
    [
        ("1 November 2025", msk(2025, 11, 1), msk(2025, 11, 2)),
        ("the night of 15-16 April 2025", msk(2025, 4, 15, 23), msk(2025, 4, 16, 7)),
        ("at 9:00 on 1 November 2025", msk(2025, 11, 1, 9), msk(2025, 11, 1, 9)),
        ("overnight on November 1, 2025", msk(2025, 10, 31, 23), msk(2025, 11, 1, 7)),
        ("from November 1 to November 3, 2025", msk(2025, 11, 1), msk(2025, 11, 4)),
        ("from 30 December 2024 to January 2", msk(2024, 12, 30), msk(2025, 1, 3)),
        (
            "from 23:00 on 31 December 2024 to 07:00 on January 1",
            msk(2024, 12, 31, 23),
            msk(2025, 1, 1, 7),
        ),
        ("November 1", None, None),
        ("on Sunday", None, None),
        ("overnight", None, None),
        ("last night", None, None),
        ("yesterday", None, None),
        ("at 23:00", None, None),
        ("between 14:20 and 19:30", None, None),
        ("over the past 24 hours", None, None),
        ("in October", None, None),
        ("over the weekend", None, None),
    ],
)
def test_without_published_only_explicit_years_resolve(
    expression: str, start: datetime | None, end: datetime | None
) -> None:
    assert resolve_period(expression, published=None, tz=MOSCOW) == (start, end)


@pytest.mark.parametrize(
    ("expression", "published", "start", "end"),
    [
        # date-only published: 12:00 in the article's zone
        ("since 23:00", PUB_DAY, msk(2025, 11, 1, 23), None),
        ("as of 09:00", PUB_DAY, None, msk(2025, 11, 2, 9)),
        ("between 14:20 and 19:30", PUB_DAY, msk(2025, 11, 1, 14, 20), msk(2025, 11, 1, 19, 30)),
        ("from 06:00 to 11:00", PUB_DAY, msk(2025, 11, 2, 6), msk(2025, 11, 2, 11)),
        # a naive published datetime is in tz
        (
            "over the past 24 hours",
            datetime(2025, 11, 2, 9, 30),
            msk(2025, 11, 1, 9, 30),
            msk(2025, 11, 2, 9, 30),
        ),
        # an aware one is converted: 22:30 UTC on 1 November is already 2 November in Moscow
        ("today", utc(2025, 11, 1, 22, 30), msk(2025, 11, 2), msk(2025, 11, 3)),
        ("overnight", utc(2025, 11, 1, 22, 30), msk(2025, 11, 1, 23), msk(2025, 11, 2, 7)),
        # an ISO string is accepted too
        ("yesterday", "2025-11-02", msk(2025, 11, 1), msk(2025, 11, 2)),
    ],
)
def test_published_forms(
    expression: str,
    published: date | datetime | str,
    start: datetime | None,
    end: datetime | None,
) -> None:
    assert resolve_period(expression, published=published, tz=MOSCOW) == (start, end)  # type: ignore[arg-type]


def test_invalid_published_raises() -> None:
    with pytest.raises(InputError, match=r"^\[E002\] invalid published date 'yesterday': "):
        resolve_period("overnight", published="yesterday", tz=MOSCOW)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expression", "published", "tz", "start", "end"),
    [
        # explicit zones win over tz
        ("at 17:00 GMT", PUB, MOSCOW, utc(2025, 11, 1, 17), utc(2025, 11, 1, 17)),
        ("at 17:00 UTC", PUB, KYIV, utc(2025, 11, 1, 17), utc(2025, 11, 1, 17)),
        ("at 14:00 UTC+3", PUB, KYIV, utc(2025, 11, 1, 11), utc(2025, 11, 1, 11)),
        ("at 20:00 (MSK)", PUB, KYIV, msk(2025, 11, 1, 20), msk(2025, 11, 1, 20)),
        ("at 21:00 Kiev time", PUB, MOSCOW, kyiv(2025, 11, 1, 21), kyiv(2025, 11, 1, 21)),
        # a local time and its GMT conversion: the first one is used
        (
            "from 20:00 MSK (17:00 GMT) to 23:00 MSK (20:00 GMT)",
            PUB,
            KYIV,
            msk(2025, 11, 1, 20),
            msk(2025, 11, 1, 23),
        ),
        # the first has no zone: the conversion gives the instant, not tz
        ("at 20:00 (17:00 GMT)", PUB, KYIV, utc(2025, 11, 1, 17), utc(2025, 11, 1, 17)),
        # ... even when its calendar day differs from the local one
        (
            "at 01:00 (22:00 GMT) on November 1",
            PUB,
            MOSCOW,
            utc(2025, 10, 31, 22),
            utc(2025, 10, 31, 22),
        ),
        # Kyiv is UTC+3 in summer and UTC+2 in winter
        ("at 9:00 Kyiv time on July 1", PUB, MOSCOW, utc(2025, 7, 1, 6), utc(2025, 7, 1, 6)),
        ("at 9:00 Kyiv time on January 15", PUB, MOSCOW, utc(2025, 1, 15, 7), utc(2025, 1, 15, 7)),
        ("overnight on July 1", PUB, KYIV, utc(2025, 6, 30, 20), utc(2025, 7, 1, 4)),
        ("overnight on January 15", PUB, KYIV, utc(2025, 1, 14, 21), utc(2025, 1, 15, 5)),
        # the switch to winter time happens inside the night of 25-26 October 2025
        ("the night of October 25", PUB, KYIV, utc(2025, 10, 25, 20), utc(2025, 10, 26, 5)),
        ("overnight", PUB, KYIV, utc(2025, 11, 1, 21), utc(2025, 11, 2, 5)),
    ],
)
def test_zones(
    expression: str,
    published: datetime,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
) -> None:
    assert resolve_period(expression, published=published, tz=tz) == (start, end)


def test_kyiv_offsets_are_summer_and_winter() -> None:
    summer, _ = resolve_period("at 9:00 on July 1", published=PUB, tz=KYIV)
    winter, _ = resolve_period("at 9:00 on January 15", published=PUB, tz=KYIV)
    assert summer is not None and summer.utcoffset() == timedelta(hours=3)
    assert winter is not None and winter.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("expression", "zone"),
    [
        ("at 20:00 MSK", MOSCOW),
        ("at 9:00 Moscow time", MOSCOW),
        ("at 9:00 Kyiv time", KYIV),
        ("at 9:00 Kiev time", KYIV),
        ("17:00 GMT", UTC),
        ("17:00 UTC", UTC),
        ("from 20:00 MSK (17:00 GMT)", MOSCOW),
        ("20:00 (17:00 GMT)", UTC),
        ("14:00 UTC+3", ZoneInfo("Etc/GMT-3")),
        ("at 9:00 local time", None),
        ("overnight on November 1", None),
        ("", None),
    ],
)
def test_zone_for(expression: str, zone: ZoneInfo | None) -> None:
    assert zone_for(expression) == zone


def test_zone_constants() -> None:
    assert MOSCOW.key == "Europe/Moscow"
    assert KYIV.key == "Europe/Kyiv"
    assert UTC.utcoffset(datetime(2025, 1, 1)) == timedelta(0)


@pytest.mark.parametrize(
    "expression",
    [
        "",
        "Kh-101",
        "45 drones",
        "February 30",
        "31 April 2025",
        "the night of Sunday to Sunday",
        "from 23:00 on 2 November 2025 to 07:00 on 1 November 2025",
    ],
)
def test_unresolvable_is_none(expression: str) -> None:
    assert resolve_period(expression, published=PUB, tz=MOSCOW) == (None, None)


def test_resolves_what_it_finds() -> None:
    text = (
        "Air defences destroyed 98 Ukrainian drones overnight, 45 over the Belgorod region. "
        "From 23:00 on Saturday to 07:00 on Sunday, 12 more were downed; on the evening of "
        "October 31st sirens sounded between 2:20 pm and 7:30 pm MSK."
    )
    periods = [
        resolve_period(text[s:e], published=PUB, tz=KYIV) for s, e in find_time_expressions(text)
    ]
    assert periods == [
        (kyiv(2025, 11, 1, 23), kyiv(2025, 11, 2, 7)),
        (kyiv(2025, 11, 1, 23), kyiv(2025, 11, 2, 7)),
        (kyiv(2025, 10, 31, 18), kyiv(2025, 11, 1)),
        (msk(2025, 11, 1, 14, 20), msk(2025, 11, 1, 19, 30)),
    ]


# ---------------------------------------------------------------------------
# robustness
# ---------------------------------------------------------------------------

VOCABULARY = [
    "overnight",
    "on",
    "into",
    "the",
    "night",
    "of",
    "to",
    "from",
    "between",
    "and",
    "in",
    "early",
    "hours",
    "morning",
    "evening",
    "afternoon",
    "day",
    "during",
    "late",
    "last",
    "this",
    "past",
    "24",
    "hours",
    "over",
    "weekend",
    "Sunday",
    "Saturday",
    "Monday",
    "November",
    "Nov.",
    "April",
    "May",
    "may",
    "1",
    "15-16",
    "31st",
    "2025",
    "23:00",
    "07:00",
    "2:20",
    "pm",
    "a.m.",
    "23.00",
    "2300",
    "hrs",
    "MSK",
    "GMT",
    "(17:00",
    "GMT)",
    "Moscow",
    "time",
    "Kyiv",
    "UTC+3",
    "since",
    "as",
    "by",
    "at",
    "yesterday",
    "today",
    "noon",
    "midnight",
    "-",
    ",",
    ".",
    "drones",
    "Kh-101",
    "S-400",
    "45",
    "3.5",
    "24/7",
    "\n",
    "12.50",
    "0700",
    "hours",
    "15",
    "16",
    "until",
    "2025-11-01",
    "three",
    "twenty-four",
    "days",
    "week",
    "previous",
    "the",
    "last",
    "of",
    "hour",
    "early",
]


@st.composite
def report_like(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(VOCABULARY), max_size=40))
    seps = draw(
        st.lists(
            st.sampled_from([" ", " ", " ", "", "  ", "\n", ", "]),
            min_size=len(words),
            max_size=len(words),
        )
    )
    return "".join(w + s for w, s in zip(words, seps, strict=True))


TEXTS = st.one_of(st.text(max_size=300), report_like())
# the supported publication dates (docs/conventions.md); outside them parse_published refuses
FIRST, LAST = times.EARLIEST_PUBLISHED, times.latest_published()
PUBLISHED = st.one_of(
    st.none(),
    st.dates(min_value=FIRST, max_value=LAST),
    st.datetimes(min_value=datetime(FIRST.year, 1, 2), max_value=datetime(LAST.year - 1, 12, 31)),
    st.datetimes(
        min_value=datetime(FIRST.year, 1, 2),
        max_value=datetime(LAST.year - 1, 12, 31),
        timezones=st.timezones(),
    ),
)
ZONES = st.sampled_from([MOSCOW, KYIV, UTC, ZoneInfo("America/New_York")])


def _assert_well_formed(text: str, spans: list[tuple[int, int]]) -> None:
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        previous_end = end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_find_never_raises_and_spans_are_well_formed(text: str) -> None:
    _assert_well_formed(text, find_time_expressions(text))


@settings(max_examples=300, deadline=None)
@given(report_like())
def test_prefiltered_scan_agrees_with_the_plain_grammar(text: str) -> None:
    fast = [(a.kind, a.start, a.end) for a in times._atoms(text)]
    plain = [(m.lastgroup, m.start(), m.end()) for m in times._MASTER.finditer(text)]
    assert fast == plain


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, PUBLISHED, ZONES)
def test_resolve_never_raises(text: str, published: date | datetime | None, tz: ZoneInfo) -> None:
    start, end = resolve_period(text, published=published, tz=tz)
    for value in (start, end):
        assert value is None or value.utcoffset() is not None
    if start is not None and end is not None:
        assert start <= end


@settings(max_examples=200, deadline=None)
@given(report_like(), st.dates(min_value=date(2000, 1, 1), max_value=LAST), ZONES)
def test_found_expressions_resolve_to_ordered_aware_periods(
    text: str, published: date, tz: ZoneInfo
) -> None:
    for start, end in find_time_expressions(text):
        # what the pipeline will pass on is, alone, still exactly one expression
        assert find_time_expressions(text[start:end]) == [(0, end - start)]
        first, last = resolve_period(text[start:end], published=published, tz=tz)
        for value in (first, last):
            assert value is None or value.utcoffset() is not None
        if first is not None and last is not None:
            assert first <= last


SENTENCES = [
    "Air defences destroyed 98 Ukrainian drones overnight, 45 over the Belgorod region.",
    "The ministry said on Sunday that 23 drones were intercepted between 2:20 pm and 7:30 pm MSK.",
    "Kh-101 cruise missiles and S-400 systems were used over a span of 3.5 hours.",
    "From 23:00 on Saturday to 07:00 on Sunday the Air Force shot down 57 of 97 Shaheds.",
    "The governor wrote that debris fell in the Kirishsky district, causing a fire at the plant.",
    "In the early hours of October 25, explosions were heard, the city administration said.",
    "According to the ministry, the attack was repelled in the Kursk region at 23.00 local time.",
]


def test_article_sized_text() -> None:
    text = " ".join(SENTENCES[i % len(SENTENCES)] for i in range(45))  # about 600 words
    assert 550 <= len(text.split()) <= 700
    spans = find_time_expressions(text)
    _assert_well_formed(text, spans)
    # joining sentences neither merges nor loses expressions
    per_sentence = sum(len(find_time_expressions(SENTENCES[i % len(SENTENCES)])) for i in range(45))
    assert len(spans) == per_sentence


def test_megabyte_article_finishes() -> None:
    # No timing assertion: a catastrophic regex would not finish at all.
    text = " ".join(SENTENCES) * 2000
    assert len(text) > 1_000_000
    _assert_well_formed(text, find_time_expressions(text))


@pytest.mark.parametrize("unit", [" ", "1", "at ", "in the early ", "Nov. ", "-"])
def test_megabyte_degenerate_inputs_finish(unit: str) -> None:
    text = unit * (1_000_000 // len(unit))
    _assert_well_formed(text, find_time_expressions(text))


@pytest.mark.slow
@pytest.mark.parametrize(
    "unit",
    ["23:00 ", "on Sunday, ", "overnight on ", "the night of ", "15-", "1:", "2:20 pm and "],
)
def test_megabyte_dense_inputs_finish(unit: str) -> None:
    # a match or a near-match at every word: the worst case for the grammar
    text = unit * (1_000_000 // len(unit))
    _assert_well_formed(text, find_time_expressions(text))


def test_dateparser_reads_only_the_isolated_date_part(monkeypatch) -> None:
    """dateparser is given the date part the grammar isolated, never the sentence."""
    import dateparser

    from skytally import times

    seen: list[str] = []
    real_parse = dateparser.parse

    def recording_parse(text: str, *args, **kwargs):
        seen.append(text)
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(dateparser, "parse", recording_parse)
    times._read_date.cache_clear()
    start, end = times.resolve_period(
        "between 20:00 and 23:30 on Nov. 30", published="2025-12-01", tz=times.MOSCOW
    )
    assert seen == ["Nov. 30"]
    assert (start.isoformat(), end.isoformat()) == (
        "2025-11-30T20:00:00+03:00",
        "2025-11-30T23:30:00+03:00",
    )


@pytest.mark.parametrize(
    "expression",
    [
        "Tonight",
        "this night",
        "Over the past night",
        "during the past night",
        "In the course of the past night",
    ],
)
def test_morning_report_nights_are_the_past_night(expression: str) -> None:
    """A governor's "Tonight, air defence destroyed..." posted in the morning."""
    from skytally.times import MOSCOW, find_time_expressions, resolve_period

    text = f"{expression}, air defence destroyed two drones."
    assert find_time_expressions(text) == [(0, len(expression))]
    start, end = resolve_period(expression, published="2025-09-14T07:50:00+03:00", tz=MOSCOW)
    assert (start.isoformat(), end.isoformat()) == (
        "2025-09-13T23:00:00+03:00",
        "2025-09-14T07:00:00+03:00",
    )


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (
            "between 14:20 and 19:30 MSK (11:20-16:30 GMT) on Saturday",
            "2025-11-01T14:20:00+03:00",
            "2025-11-01T19:30:00+03:00",
        ),
        (
            "from 20:00 to 23:00 MSK (17:00–20:00 GMT) on Saturday",
            "2025-11-01T20:00:00+03:00",
            "2025-11-01T23:00:00+03:00",
        ),
    ],
)
def test_a_converted_range_stays_one_expression(text: str, start: str, end: str) -> None:
    from skytally.times import MOSCOW, find_time_expressions, resolve_period

    sentence = f"Air defences destroyed 12 drones {text}, the ministry said."
    offset = sentence.index(text)
    assert find_time_expressions(sentence) == [(offset, offset + len(text))]
    found_start, found_end = resolve_period(text, published="2025-11-03", tz=MOSCOW)
    assert (found_start.isoformat(), found_end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("expression", "start", "end"),
    [
        ("between 6 and 7 pm", (18, 0), (19, 0)),
        ("6-7 pm", (18, 0), (19, 0)),
        ("from 8 to 10 am", (8, 0), (10, 0)),
        ("6:25-8:00 p.m.", (18, 25), (20, 0)),
        ("between 11 am and 1 pm", (11, 0), (13, 0)),
    ],
)
def test_one_meridiem_written_once_serves_both_clocks(expression, start, end) -> None:
    from zoneinfo import ZoneInfo

    from skytally.times import resolve_period

    first, last = resolve_period(
        expression, published="2024-11-11T23:30:00+03:00", tz=ZoneInfo("Europe/Moscow")
    )
    assert first is not None and last is not None
    assert ((first.hour, first.minute), (last.hour, last.minute)) == (start, end)


def test_the_first_clock_of_a_window_with_one_meridiem_is_part_of_the_expression() -> None:
    from skytally.times import find_time_expressions

    text = "Between 6 and 7 pm, six drones were shot down; 45 more fell 2-3 pm."
    assert [text[a:b] for a, b in find_time_expressions(text)] == ["Between 6 and 7 pm", "2-3 pm"]


@pytest.mark.parametrize("text", ["from 19.00 hours on Wednesday", "from 19:00 hours on Wednesday"])
def test_a_clock_written_with_hours_is_one_expression(text: str) -> None:
    from skytally.times import find_time_expressions

    assert [text[a:b] for a, b in find_time_expressions(text)] == [text]
    assert find_time_expressions("the alert lasted 3.5 hours") == []
