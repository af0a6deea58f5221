"""Deciding events from links: one event per claim, totals that add up, and a
count's total taken from its own side's statement (issue: wrong totals on
repeated and two-sided text)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skytally
from skytally.totals import overfull_parts, repair_overfull

PUBLISHED = "2025-03-04T09:00:00+03:00"
P = (
    "Russian air defences destroyed 30 Ukrainian drones overnight, 12 over the Belgorod "
    "region and 10 over the Kursk region, the Defence Ministry said."
)


def rows(text: str, nlp, published: str | None = PUBLISHED) -> list[tuple]:
    return [
        (e.count.value, e.outcome.value, e.place.code if e.place else None, e.part_of)
        for e in skytally.extract(text, published=published, nlp=nlp)
    ]


def test_a_repeated_paragraph_repeats_no_breakdown(nlp) -> None:
    events = skytally.extract(P + "\n\n" + P, published=PUBLISHED, nlp=nlp)
    assert [(e.count.value, e.place.code if e.place else None, e.part_of) for e in events] == [
        (30, None, None),
        (12, "RU-BEL", 0),
        (10, "RU-KRS", 0),
    ]
    # the second paragraph is kept as evidence of the same claims
    second = len(P) + 2
    assert [m.start for m in events[0].mentions] == [second + P.index("30")]
    assert [m.start for m in events[1].mentions] == [second + P.index("12")]


def test_a_restated_total_and_its_part_in_a_later_paragraph_are_one_claim(nlp) -> None:
    text = (
        P + "\n\nIn all, 30 drones were destroyed over Russian regions overnight. "
        "Twelve of them were downed over Belgorod."
    )
    assert rows(text, nlp) == [
        (30, "destroyed", None, None),
        (12, "destroyed", "RU-BEL", 0),
        (10, "destroyed", "RU-KRS", 0),
    ]


def test_a_breakdown_belongs_to_its_own_sides_total(nlp) -> None:
    text = (
        "Russia's Defence Ministry said its air defences destroyed 20 Ukrainian drones "
        "overnight.\n\nUkraine's air force said Russia had launched 50 drones overnight. "
        "It said 30 were shot down over the Kyiv region and 15 over the Odesa region."
    )
    events = skytally.extract(text, published=PUBLISHED, nlp=nlp)
    by_value = {e.count.value: e for e in events}
    assert set(by_value) == {20, 50, 30, 15}
    for part in (30, 15):
        assert events[by_value[part].part_of].count.value == 50
        assert by_value[part].claimant is not None
        assert by_value[part].claimant.name == "Ukrainian Air Force"
    assert by_value[20].claimant.name == "Russian Ministry of Defence"


def test_a_continued_count_takes_the_fate_of_the_one_before(nlp) -> None:
    text = (
        "On Saturday the ministry claimed 86 Ukrainian drones destroyed. Between 08:00 and "
        "20:00 Moscow time on Sunday it reported 84 more drones."
    )
    assert rows(text, nlp) == [(86, "destroyed", None, None), (84, "destroyed", None, None)]


def event(value: int, outcome: str, part_of: int | None = None, place: str | None = None):
    return {
        "count": {"value": value, "qualifier": "exact"},
        "outcome": outcome,
        "part_of": part_of,
        "place": {"code": place} if place else None,
        "heading_to": None,
        "period": None,
    }


def test_overfull_parts_move_under_a_part_with_room_or_stand_alone() -> None:
    events = [
        event(550, "launched"),
        event(479, "destroyed", 0),
        event(270, "destroyed", 0),
        event(208, "suppressed", 0),
        event(90, "hit", 0),
    ]
    assert [(i, way) for i, way, _ in overfull_parts(events)] == [(0, ("fate", "plain"))]
    # 270 and 208 fit inside the 479 neutralised; the 90 hits fit nowhere
    assert repair_overfull(events) == {2: 1, 3: 1, 4: None}


def test_parts_of_different_splits_of_one_total_are_not_overfull() -> None:
    events = [
        event(38, "launched"),
        event(30, "destroyed", 0),
        event(8, "hit", 0),
        event(13, "launched", 0),
        event(25, "launched", 0),
        event(20, "destroyed", 0, place="RU-BEL"),
        event(18, "destroyed", 0, place="RU-KRS"),
    ]
    assert overfull_parts(events) == []


REGIONS = ["Belgorod", "Kursk", "Bryansk", "Voronezh", "Oryol", "Tula", "Kaluga", "Smolensk"]
NUMBERS = st.integers(min_value=1, max_value=60)


@st.composite
def bulletins(draw: st.DrawFn) -> str:
    """Bulletins with totals, breakdowns, restatements and the other side's
    claims: what real text does, often self-contradictory."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        total = draw(NUMBERS)
        regions = draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=4, unique=True))
        parts = ", ".join(f"{draw(NUMBERS)} over the {r} region" for r in regions)
        kind = draw(st.sampled_from(["ru", "ua", "repeat", "recap"]))
        if kind == "ru":
            paragraphs.append(
                f"Air defences destroyed {total} Ukrainian drones overnight, {parts}, "
                "the Defence Ministry said."
            )
        elif kind == "ua":
            paragraphs.append(
                f"Ukraine's air force said Russia launched {total} drones overnight. "
                f"It said {draw(NUMBERS)} were shot down and {draw(NUMBERS)} were "
                f"locationally lost, {parts}."
            )
        elif kind == "repeat" and paragraphs:
            paragraphs.append(paragraphs[-1])
        else:
            paragraphs.append(f"In all, {total} drones were downed. {parts.capitalize()}.")
    return "\n\n".join(paragraphs)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(bulletins())
def test_exact_parts_never_exceed_their_exact_total(nlp, text: str) -> None:
    events = skytally.extract(text, published=PUBLISHED, nlp=nlp)
    assert overfull_parts([e.model_dump() for e in events]) == []


@pytest.mark.parametrize("published", [PUBLISHED, None])
def test_summing_top_level_events_of_a_repeated_bulletin_counts_once(nlp, published) -> None:
    once = rows(P, nlp, published)
    twice = rows(P + "\n\n" + P + "\n\n" + P, nlp, published)
    assert twice == once


def test_a_bound_in_the_lead_and_the_exact_number_in_the_body_are_one_claim(nlp) -> None:
    text = (
        "Air defence shot down 32 drones overnight\n\n"
        "Russia sent more than 50 drones against Ukraine during the night, and air defence "
        "units brought down 32 of them, the air force said.\n\n"
        "According to the air force, overnight the enemy launched 53 Shahed-type drones. As "
        "of 07:00, 32 of them had been shot down over the Sumy and Kyiv regions."
    )
    events = skytally.extract(text, published="2024-12-06T09:00:00+02:00", nlp=nlp)
    assert [(e.count.value, e.outcome.value, e.part_of) for e in events] == [
        (32, "destroyed", 1),
        (53, "launched", None),
    ]
    downed, launched = events
    assert [m.text for m in launched.mentions] == ["more than 50"]
    assert [m.text for m in downed.mentions] == ["32", "32"]


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("more than 50", "53", True),
        ("at least 20", "20", True),
        ("about 40", "43", True),
        ("more than 50", "50", False),
        ("about 40", "60", False),
        ("12", "13", False),
    ],
)
def test_counts_agree_when_an_exact_number_meets_a_bound(first, second, same) -> None:
    from skytally.numbers import parse_count
    from skytally.pipeline.assembler import _values_agree

    def count(text: str) -> dict:
        value, qualifier = parse_count(text)
        return {"value": value, "qualifier": qualifier.value}

    assert _values_agree(count(first), count(second)) is same
    assert _values_agree(count(second), count(first)) is same


def test_another_drone_restates_only_the_headline_that_announced_it(nlp) -> None:
    text = (
        "Air defence destroys another drone over Moscow region - mayor\n\n"
        "One more UAV that tried to attack Moscow was destroyed tonight over the Ramensky "
        "district of the Moscow region, Mayor Sergei Sobyanin said. Later, another drone was "
        "shot down over the Ramensky district."
    )
    events = skytally.extract(text, published="2025-05-10T03:00:00+03:00", nlp=nlp)
    assert [(e.count.text, len(e.mentions)) for e in events] == [("One more", 1), ("another", 0)]
