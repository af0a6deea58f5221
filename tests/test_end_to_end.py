"""End to end: articles in, events out, against events written by hand.

The expected events live in skytally markup (tests/fixtures/*.txt): the five
example articles the project started from and short articles of our own in
other styles. An article passes when every expected event is found with
the right value, outcome and place, points at the right total, and nothing
else is reported (matching an event marked optional is allowed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import skytally
from skytally.corpus.format import SOURCE_STYLES, ArticleRecord
from skytally.corpus.markup import read_markup
from skytally.evaluation.matching import match_events

FIXTURES = Path(__file__).parent / "fixtures"
SEED_TEXTS = sorted((FIXTURES / "seeds").glob("*.txt"))


def _articles(name: str) -> list[ArticleRecord]:
    return read_markup(FIXTURES / name)


SEEDS = _articles("seeds.txt")
OWN = _articles("articles.txt")


def _describe(events: list, indices: list[int]) -> str:
    return "; ".join(
        f"{events[i].count.text!r}={events[i].count.value} {events[i].outcome.value} "
        f"{events[i].place.code if events[i].place else None}"
        for i in indices
    )


def _check(record: ArticleRecord, nlp) -> None:
    predicted = skytally.extract(record.text, published=record.published, nlp=nlp)
    match = match_events(record.events, predicted)
    assert not match.missed, f"{record.id} missed: {_describe(record.events, match.missed)}"
    assert not match.spurious, (
        f"{record.id} reported events nobody claimed: {_describe(predicted, match.spurious)}"
    )
    mapping = match.gold_to_predicted
    for gold_index, predicted_index in match.pairs:
        gold, found = record.events[gold_index], predicted[predicted_index]
        expected_parent = None if gold.part_of is None else mapping.get(gold.part_of)
        assert found.part_of == expected_parent, (
            f"{record.id}: {gold.count.text!r} should be part of event {expected_parent}, "
            f"got {found.part_of}"
        )
        assert (found.heading_to.code if found.heading_to else None) == (
            gold.heading_to.code if gold.heading_to else None
        ), f"{record.id}: heading_to of {gold.count.text!r}"
        assert found.count.qualifier == gold.count.qualifier, f"{record.id}: {gold.count.text!r}"


def test_seed_markup_reproduces_the_seed_texts_exactly() -> None:
    assert len(SEEDS) == len(SEED_TEXTS) == 5
    for record, path in zip(SEEDS, SEED_TEXTS, strict=True):
        assert record.text == path.read_text(encoding="utf-8").strip("\n"), path.name


@pytest.mark.parametrize("record", SEEDS, ids=[r.id for r in SEEDS])
def test_seed_articles(record: ArticleRecord, nlp) -> None:
    _check(record, nlp)


@pytest.mark.parametrize("record", OWN, ids=[r.id for r in OWN])
def test_own_fixture_articles(record: ArticleRecord, nlp) -> None:
    _check(record, nlp)


def test_fixtures_cover_every_source_style() -> None:
    styles = {record.source_style for record in OWN}
    assert len(OWN) >= 20
    assert set(SOURCE_STYLES) - {"other"} <= styles
    assert sum(1 for r in OWN if not r.events) >= 4


def test_offsets_point_at_the_evidence(nlp) -> None:
    text = SEED_TEXTS[0].read_text(encoding="utf-8")
    events = skytally.extract(text, published="2025-11-01T09:00:00+03:00", nlp=nlp)
    assert events
    for event in events:
        assert text[event.count.start : event.count.end] == event.count.text
        for evidence in (event.weapon, event.place, event.heading_to, event.claimant):
            if evidence is not None:
                assert text[evidence.start : evidence.end] == evidence.text
        if event.period is not None:
            assert text[event.period.text_start : event.period.text_end] == event.period.text
        assert event.sentence.start <= event.count.start < event.sentence.end


def test_breakdowns_never_double_count(nlp) -> None:
    """Summing the events that are not part of anything gives the totals only."""
    text = (SEED_TEXTS[1]).read_text(encoding="utf-8")
    events = skytally.extract(text, published="2025-10-26", nlp=nlp)
    top_level = [e for e in events if e.part_of is None]
    assert sum(e.count.value for e in top_level) == 48
    breakdown = [e for e in events if e.part_of is not None]
    assert sum(e.count.value for e in breakdown) == 48
