"""When a claim happened, read against the page: the night a morning report
means, datelines in another zone than the page stamp, captions and links to
other stories, and windows dated elsewhere in their sentence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

import skytally
from skytally.furniture import furniture_lines
from skytally.times import dateline_anchor, resolve_period

MOSCOW = ZoneInfo("Europe/Moscow")
KYIV = ZoneInfo("Europe/Kyiv")


def moscow(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("published", "start", "end"),
    [
        # a morning report: the night that ended that morning
        ("2025-03-04T09:00:00+03:00", moscow(3, 23), moscow(4, 7)),
        ("2025-03-04", moscow(3, 23), moscow(4, 7)),
        # the next morning's report: that night, as written
        ("2025-03-05T09:00:00+03:00", moscow(4, 23), moscow(5, 7)),
        # a report written while the night is under way
        ("2025-03-04T23:30:00+03:00", moscow(4, 23), moscow(5, 7)),
    ],
)
def test_the_night_of_the_publication_day_has_begun_before_publication(
    published: str, start: datetime, end: datetime
) -> None:
    assert resolve_period("on the night of March 4", published=published, tz=MOSCOW) == (
        start,
        end,
    )


def test_this_past_night_is_overnight() -> None:
    period = resolve_period("this past night", published="2025-03-04T09:00:00+03:00", tz=MOSCOW)
    assert period == (moscow(3, 23), moscow(4, 7))


DATELINED = (
    "KYIV, March 4 (Reuters) - Ukraine's air force said on Tuesday that Russia launched 90 "
    "drones overnight and that 60 of them were shot down."
)


@pytest.mark.parametrize(
    "published", ["2025-03-03", "2025-03-03T21:30:00+00:00", "2025-03-04T08:00:00+02:00"]
)
def test_a_dateline_a_day_after_the_page_stamp_gives_the_local_day(published: str) -> None:
    events = skytally.extract(DATELINED, published=published)
    assert [e.count.value for e in events] == [90, 60]
    for event in events:
        assert event.period is not None
        assert event.period.end == datetime(2025, 3, 4, 7, tzinfo=KYIV)


def test_a_dateline_far_from_the_page_stamp_changes_nothing() -> None:
    # an old dateline on a page stamped days later (a republished story) is not a
    # correction of the stamp
    assert dateline_anchor(DATELINED, "2025-03-10", KYIV) == datetime(2025, 3, 10).date()
    assert dateline_anchor("No dateline here.", "2025-03-03", KYIV) == datetime(2025, 3, 3).date()


def test_captions_and_links_to_other_stories_state_no_claim() -> None:
    text = (
        "Air defences destroyed 30 drones over the Kursk region overnight, the ministry said.\n"
        "Read also: Russia says 50 drones shot down over Bryansk on Sunday\n"
        "📷 Photo: debris of a drone downed over Belgorod on March 3, 2023\n"
        "The governor said nobody was hurt."
    )
    assert [text[a:b].split(":")[0].strip(" 📷") for a, b in furniture_lines(text)] == [
        "Read also",
        "Photo",
    ]
    events = skytally.extract(text, published="2025-03-04T09:00:00+03:00")
    assert [(e.count.value, e.place.code if e.place else None) for e in events] == [(30, "RU-KRS")]
    assert events[0].period is not None and events[0].period.text == "overnight"


def test_a_window_takes_the_full_date_of_its_sentence_without_published() -> None:
    text = (
        "On March 3, 2025, 45 drones were shot down over the Belgorod region between 23:00 "
        "and 07:00 Moscow time, the ministry said."
    )
    (event,) = skytally.extract(text)
    assert event.period is not None
    assert (event.period.start, event.period.end) == (moscow(3, 23), moscow(4, 7))


def test_lines_that_only_date_the_page_are_furniture() -> None:
    text = (
        "Ukraine says it downed 10 missiles\n2024-05-02 | 07:45\n"
        "Updated: May 26, 2023 14:05 GMT\n07:32\n"
        "At 07:32 the air force said 10 missiles were downed.\nOn Sunday night\n"
    )
    assert [text[a:b].strip() for a, b in furniture_lines(text)] == [
        "2024-05-02 | 07:45",
        "Updated: May 26, 2023 14:05 GMT",
        "07:32",
    ]


def test_the_day_a_statement_was_made_is_not_the_claims_period() -> None:
    text = (
        "Russian air defences destroyed 75 Ukrainian drones during the past night.\n\n"
        "Governor Alexander Bogomaz wrote on Telegram on Monday that eight of them were "
        "downed over the Bryansk region."
    )
    events = skytally.extract(text, published="2024-07-22T10:00:00+03:00")
    assert [(e.count.value, e.period.text if e.period else None) for e in events] == [
        (75, "during the past night"),
        (8, "during the past night"),
    ]


def test_background_dates_are_not_inherited_by_a_count_without_a_time() -> None:
    text = (
        "Russia began its full-scale invasion of Ukraine in February 2022.\n\n"
        "The air force said 30 drones were shot down."
    )
    (event,) = skytally.extract(text, published="2025-06-06T09:00:00+03:00")
    assert event.period is None


def test_a_later_count_takes_the_period_stated_with_the_count_before_it() -> None:
    text = (
        "According to the ministry, during the past night air defence units knocked out 47 "
        "drones above the Rostov region.\n\nOne more UAV was downed above the Belgorod region, "
        "the ministry added."
    )
    events = skytally.extract(text, published="2024-07-22T10:00:00+03:00")
    assert [(e.count.value, e.period.text if e.period else None) for e in events] == [
        (47, "during the past night"),
        (1, "during the past night"),
    ]


def test_a_date_of_the_wars_history_is_not_the_claims() -> None:
    text = (
        "Ukraine said it shot down 199 drones overnight, the most since the full-scale "
        "invasion in February 2022."
    )
    (event,) = skytally.extract(text, published="2025-06-06T09:00:00+03:00")
    assert event.period is not None and event.period.text == "overnight"


def test_a_time_expression_never_runs_over_a_line_break() -> None:
    from skytally.times import find_time_expressions

    text = (
        "Drones downed in the night\n"
        "From 23:00 MSK on September 2 till 07:00 MSK on September 3, 105 drones were downed."
    )
    assert [text[a:b] for a, b in find_time_expressions(text)] == [
        "in the night",
        "From 23:00 MSK on September 2 till 07:00 MSK on September 3",
    ]


def test_a_dateline_a_day_before_the_page_stamp_gives_the_reports_day() -> None:
    text = (
        "MOSCOW, March 3 - Russian air defences destroyed 64 drones overnight, the Defence "
        "Ministry said."
    )
    (event,) = skytally.extract(text, published="2025-03-04")
    assert event.period is not None
    assert event.period.end == datetime(2025, 3, 3, 7, tzinfo=MOSCOW)
