"""Counts in text: `find_numbers` spans, values and qualifiers, and `parse_count`."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stress import MEGABYTE, TIME_LIMIT, time_limit

from skytally.numbers import NumberMatch, find_numbers, parse_count
from skytally.schema import Qualifier

EXACT = Qualifier.EXACT
MORE = Qualifier.MORE_THAN
AT_LEAST = Qualifier.AT_LEAST
AT_MOST = Qualifier.AT_MOST
APPROX = Qualifier.APPROXIMATE


def found(text: str) -> list[tuple[str, int, Qualifier]]:
    return [(text[m.start : m.end], m.value, m.qualifier) for m in find_numbers(text)]


FOUND_CASES: list[tuple[str, list[tuple[str, int, Qualifier]]]] = [
    # digits
    (
        "Air defences destroyed 98 Ukrainian drones overnight, 45 over the Belgorod region",
        [("98", 98, EXACT), ("45", 45, EXACT)],
    ),
    ("Of 97 Shaheds launched, 57 were shot down", [("97", 97, EXACT), ("57", 57, EXACT)]),
    ("launched 1,200 drones", [("1,200", 1200, EXACT)]),
    ("launched 1 200 drones", [("1 200", 1200, EXACT)]),
    ("launched 1\u00a0200 drones", [("1\u00a0200", 1200, EXACT)]),
    ("a record 12,345,678 drones", [("12,345,678", 12345678, EXACT)]),
    ("about 1.5 million shells", [("about 1.5 million", 1_500_000, APPROX)]),
    ("3 thousand drones", [("3 thousand", 3000, EXACT)]),
    ("zero drones", [("zero", 0, EXACT)]),
    ("5 Mi-8 helicopters and 45 T-72 tanks", [("5", 5, EXACT), ("45", 45, EXACT)]),
    ("shot down 1.236 fixed-wing drones", [("1.236", 1236, EXACT)]),
    ("more than 1.200 drones", [("more than 1.200", 1200, MORE)]),
    # a number glossed in brackets is one count, unless both are digits (Air Force tables)
    ("destroyed 58 (fifty-eight) UAVs", [("58 (fifty-eight)", 58, EXACT)]),
    ("twenty-one (21) UAVs", [("twenty-one (21)", 21, EXACT)]),
    ("one hundred and 5 (105) UAVs", [("one hundred and 5 (105)", 105, EXACT)]),
    ("Kh-101 cruise missiles – 13 (13);", [("13", 13, EXACT), ("13", 13, EXACT)]),
    ("Shaheds and decoy drones – 339 (306)", [("339", 339, EXACT), ("306", 306, EXACT)]),
    # number words
    ("eleven drones", [("eleven", 11, EXACT)]),
    ("Eleven drones were downed", [("Eleven", 11, EXACT)]),
    ("forty-five drones", [("forty-five", 45, EXACT)]),
    ("forty five drones", [("forty five", 45, EXACT)]),
    ("a hundred drones", [("a hundred", 100, EXACT)]),
    ("one hundred and twenty drones", [("one hundred and twenty", 120, EXACT)]),
    ("two hundred drones", [("two hundred", 200, EXACT)]),
    ("three thousand five hundred drones", [("three thousand five hundred", 3500, EXACT)]),
    ("a thousand drones", [("a thousand", 1000, EXACT)]),
    ("one drone was downed", [("one", 1, EXACT)]),
    ("a dozen drones", [("a dozen", 12, EXACT)]),
    ("two dozen drones", [("two dozen", 24, EXACT)]),
    ("half a dozen drones", [("half a dozen", 6, EXACT)]),
    ("a couple of drones", [("a couple of", 2, APPROX)]),
    (
        "Kursk, Oryol and Tula with ten, four and two respectively",
        [("ten", 10, EXACT), ("four", 4, EXACT), ("two", 2, EXACT)],
    ),
    ("Nine out of nine missiles", [("Nine", 9, EXACT), ("nine", 9, EXACT)]),
    # bounds
    ("more than 10 drones", [("more than 10", 10, MORE)]),
    ("Over 45 drones", [("Over 45", 45, MORE)]),
    ("in excess of 300 drones", [("in excess of 300", 300, MORE)]),
    ("just over 100 drones", [("just over 100", 100, MORE)]),
    ("more than a dozen drones", [("more than a dozen", 12, MORE)]),
    ("more than 1,200 drones", [("more than 1,200", 1200, MORE)]),
    ("more than 2000 drones", [("more than 2000", 2000, MORE)]),
    ("at least 59 drones", [("at least 59", 59, AT_LEAST)]),
    ("No fewer than 20 drones", [("No fewer than 20", 20, AT_LEAST)]),
    ("not less than fifteen", [("not less than fifteen", 15, AT_LEAST)]),
    ("up to ten drones", [("up to ten", 10, AT_MOST)]),
    ("as many as 50 drones", [("as many as 50", 50, AT_MOST)]),
    ("no more than 5 drones", [("no more than 5", 5, AT_MOST)]),
    ("at most 3 drones", [("at most 3", 3, AT_MOST)]),
    ("fewer than 10 drones", [("fewer than 10", 10, AT_MOST)]),
    ("about 10 drones", [("about 10", 10, APPROX)]),
    ("around 40 drones", [("around 40", 40, APPROX)]),
    ("some 40 drones", [("some 40", 40, APPROX)]),
    ("roughly 30 drones", [("roughly 30", 30, APPROX)]),
    ("approximately 25 drones", [("approximately 25", 25, APPROX)]),
    ("almost 100 drones", [("almost 100", 100, APPROX)]),
    ("close to 50 drones", [("close to 50", 50, APPROX)]),
    ("an estimated 40 drones", [("an estimated 40", 40, APPROX)]),
    ("nearly two dozen drones", [("nearly two dozen", 24, APPROX)]),
    # trailing markers and ranges
    ("40-odd drones", [("40-odd", 40, APPROX)]),
    ("50 or more drones", [("50 or more", 50, AT_LEAST)]),
    ("40 or so drones", [("40 or so", 40, APPROX)]),
    ("40+ drones", [("40+", 40, AT_LEAST)]),
    ("10-15 drones", [("10-15", 10, AT_LEAST)]),
    ("between 10 and 15 drones", [("between 10 and 15", 10, AT_LEAST)]),
    # "over" as a preposition
    ("drones were downed over two regions", [("two", 2, EXACT)]),
    ("over 24 hours", [("24", 24, EXACT)]),
    ("over 100 drones over three days", [("over 100", 100, MORE), ("three", 3, EXACT)]),
    # a whole sentence with dates and times
    (
        "On October 31, 2025, at 11:00 pm Moscow time, air defences destroyed 98 drones",
        [("98", 98, EXACT)],
    ),
    (
        "between 2:20 pm and 7:30 pm MSK on 15 April the Su-34 dropped 6 KAB-500 bombs",
        [("6", 6, EXACT)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FOUND_CASES)
def test_find_numbers(text: str, expected: list[tuple[str, int, Qualifier]]) -> None:
    assert found(text) == expected


NOT_COUNTS = [
    # clock times
    "at 11:00 pm",
    "at 23:00",
    "at 23.00",
    "at 7 am",
    "at 7 a.m. local time",
    "at 7pm",
    "at 2300 hrs",
    "at 0700 hours",
    "from 20:00 MSK (17:00 GMT)",
    # decimals, percentages, ordinals
    "3.5",
    "45%",
    "45 per cent",
    "45 percent",
    "the 31st",
    "the first drone",
    "twenty-first",
    # model names and designators
    "Kh-101",
    "Kh-59",
    "S-400",
    "Su-34",
    "Tu-95",
    "Geran-2",
    "Shahed-136",
    "Iskander-M",
    "MiG-31K",
    "F-16",
    "Mi-8",
    "A-50",
    "A320",
    "3M22",
    "9M723",
    "GBU-39",
    "a Boeing 737",
    "Su 34",
    # years and dates
    "in 2024",
    "2025",
    "over 2024, Russia",
    "2022-2024",
    "October 31",
    "31 October",
    "November 30th",
    "Nov. 30",
    "on 5 May",
    "the night of 15-16 April",
    "April 15-16",
    "April 15 to 16",
    "31.10.2025",
    "2025-10-31",
    # other non-counts
    "24/7",
    "+7 495 123-45-67",
    "(202) 555-0100",
    "No. 5",
    "one-way attack drones",
    "a three-day operation",
    "500-kg bombs",
    "24-hour coverage",
    "10 km away",
    "$100",
    "100 dollars",
    "no one was hurt",
    "they helped one another",
    "Channel One reported",
    "a score of 3-2",
    "007",
    # handled in context by the pipeline, not by find_numbers
    "a drone",
    "an attack",
    "both drones",
    "another drone",
    # vague
    "dozens of drones",
    "several drones",
    "hundreds of drones",
]


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_not_a_count(text: str) -> None:
    assert found(text) == []


def test_match_is_a_frozen_record() -> None:
    match = find_numbers("at least 59")[0]
    assert match == NumberMatch(0, 11, 59, Qualifier.AT_LEAST)
    with pytest.raises(AttributeError):
        match.value = 60  # type: ignore[misc]


PARSE_CASES: list[tuple[str, tuple[int, Qualifier] | None]] = [
    ("45", (45, EXACT)),
    ("more than 10", (10, MORE)),
    ("up to a hundred", (100, AT_MOST)),
    ("nearly two dozen", (24, APPROX)),
    ("two dozen", (24, EXACT)),
    ("a couple of", (2, APPROX)),
    ("a", (1, EXACT)),
    ("an", (1, EXACT)),
    ("single", (1, EXACT)),
    ("a single", (1, EXACT)),
    ("another", (1, EXACT)),
    ("both", (2, EXACT)),
    ("a pair of", (2, EXACT)),
    ("one", (1, EXACT)),
    ("at least one", (1, AT_LEAST)),
    ("nine out of nine", (9, EXACT)),
    ("9 of 9", (9, EXACT)),
    ("57 of 97", (57, EXACT)),
    ("the 12", (12, EXACT)),
    ("all five", (5, EXACT)),
    ("two more", (2, EXACT)),
    ("another 14", (14, EXACT)),
    ("58 (fifty-eight)", (58, EXACT)),
    ("A fourth", (1, EXACT)),
    ("the fifth", (1, EXACT)),
    ("2000", (2000, EXACT)),  # an isolated count phrase is not a year
    ("dozens", None),
    ("dozens of", None),
    ("several", None),
    ("many", None),
    ("hundreds", None),
    ("scores of", None),
    ("a few", None),
    ("11:00 pm", None),
    ("Kh-101", None),
    ("Su-34", None),
    ("drones", None),
    ("", None),
]


@pytest.mark.parametrize(("phrase", "expected"), PARSE_CASES)
def test_parse_count(phrase: str, expected: tuple[int, Qualifier] | None) -> None:
    assert parse_count(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [("twenty one hundred", (2100, EXACT)), ("one and a half thousand", (1500, EXACT))],
)
def test_parse_count_falls_back_to_quantulum(phrase: str, expected: tuple[int, Qualifier]) -> None:
    assert parse_count(phrase) == expected


def test_quantulum_is_imported_lazily() -> None:
    code = (
        "import sys, skytally; before = 'quantulum3' in sys.modules; "
        "import skytally.numbers; print(before, 'quantulum3' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    before, after = result.stdout.split()
    if before == "True":
        pytest.skip("another part of skytally imports quantulum3 eagerly")
    assert after == "False", result.stderr


# --- properties ---------------------------------------------------------------------------

VOCABULARY_TEXT = """
0 1 7 9 12 45 98 100 999 2024 2300 1,200 1 200 3.5 11:00 23.00 24/7 +7 (202)
one two ten eleven twenty forty-five hundred thousand million dozen couple of and
a an half more than over at least up to about some nearly no one another
between or so odd plus am pm hrs hours % per cent km October 31 May 15-16
Kh-101 Su-34 S-400 drones Shaheds the region Channel One No. - – / , . : ( ) +
"""
VOCABULARY = VOCABULARY_TEXT.split()
SEPARATORS = [" ", " ", " ", "", "\n", "-", ",", ", ", "  ", "\u00a0"]
texts = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), max_size=30).map(
        lambda parts: "".join(word + sep for word, sep in parts)
    ),
)


def assert_well_formed(matches: list[NumberMatch], text: str) -> None:
    previous_end = 0
    for match in matches:
        assert 0 <= previous_end <= match.start < match.end <= len(text)
        assert match.value >= 0
        assert isinstance(match.qualifier, Qualifier)
        previous_end = match.end


@settings(max_examples=400, deadline=None)
@given(texts)
def test_find_numbers_never_raises_and_spans_are_well_formed(text: str) -> None:
    assert_well_formed(find_numbers(text), text)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_a_found_span_parses_to_the_same_count(text: str) -> None:
    for match in find_numbers(text):
        assert parse_count(text[match.start : match.end]) == (match.value, match.qualifier)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parse_count_never_raises(phrase: str) -> None:
    result = parse_count(phrase)
    assert result is None or (result[0] >= 0 and isinstance(result[1], Qualifier))


# --- size and speed -----------------------------------------------------------------------


def timed(function: Callable[[str], list[NumberMatch]], text: str) -> list[NumberMatch]:
    with time_limit(TIME_LIMIT):
        return function(text)


PARAGRAPH = (
    "Air defences destroyed 98 Ukrainian drones overnight, 45 over the Belgorod region and "
    "more than a dozen over Kursk, the ministry said at 09:00 on October 31, 2025. Of 97 "
    "Shaheds launched, 57 were shot down; up to ten Kh-101 cruise missiles hit the region. "
    "The governor said residents should stay in shelters until the all-clear was given. "
)


def test_a_megabyte_of_news_text() -> None:
    repeats = MEGABYTE // len(PARAGRAPH) + 1
    text = PARAGRAPH * repeats
    start = time.perf_counter()
    matches = timed(find_numbers, text)
    elapsed = time.perf_counter() - start
    per_paragraph = find_numbers(PARAGRAPH)
    assert len(per_paragraph) == 6
    assert len(matches) == 6 * repeats
    assert [(m.value, m.qualifier) for m in matches[:6]] == [
        (m.value, m.qualifier) for m in per_paragraph
    ]
    assert elapsed < TIME_LIMIT


ADVERSARIAL = {
    "one long digit run then a letter": "9" * MEGABYTE + "a",
    "comma groups that end badly": "1" + ",111" * (MEGABYTE // 4) + "5",
    "bound words with nothing after": "more than " * (MEGABYTE // 10),
    "articles": "a " * (MEGABYTE // 2),
    "hyphen chains": "twenty-" * (MEGABYTE // 7),
    "whitespace": "more" + " " * MEGABYTE + "than 5",
    "phone-like runs": "+1 " * (MEGABYTE // 3),
    "designators": "Kh-" * (MEGABYTE // 3),
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_adversarial_megabyte_finishes(text: str) -> None:
    assert_well_formed(timed(find_numbers, text), text)


MANY_MATCHES = {
    "half a million numbers": "1 " * (MEGABYTE // 2),
    "space-grouped digits": " 111" * (MEGABYTE // 4) + "x",
    "number words": "one " * (MEGABYTE // 4),
}


@pytest.mark.slow
@pytest.mark.parametrize("text", MANY_MATCHES.values(), ids=MANY_MATCHES.keys())
def test_megabyte_of_matches_finishes(text: str) -> None:
    assert_well_formed(timed(find_numbers, text), text)


@pytest.mark.parametrize(
    ("phrase", "upper"),
    [
        ("10-15", 15),
        ("10 – 15", 15),
        ("between 10 and 15", 15),
        ("between ten and fifteen", 15),
        ("45", None),
        ("more than 10", None),
        ("15-10", None),
    ],
)
def test_a_range_keeps_its_upper_bound(phrase: str, upper: int | None) -> None:
    from skytally.numbers import range_upper

    assert range_upper(phrase) == upper


def test_a_range_count_reports_both_bounds() -> None:
    import skytally

    (drones,) = skytally.extract(
        "The air force said Russia launched 10-15 drones overnight.", published="2025-01-01"
    )
    assert (drones.count.value, drones.count.qualifier.value, drones.count.upper) == (
        10,
        "at_least",
        15,
    )
