"""The public Python API: extract, extract_many, load, and what bad input gets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skytally
from skytally.api import split_into_chunks
from skytally.errors import InputError

BULLETIN = (
    "Air defence systems on duty destroyed 31 Ukrainian aircraft-type UAVs overnight: "
    "14 over the Kursk region, 9 over the Bryansk region and 8 over the Oryol region, "
    "the Russian Ministry of Defence said."
)


def test_extract_returns_typed_events(nlp) -> None:
    events = skytally.extract(BULLETIN, published="2025-06-01T09:00:00+03:00", nlp=nlp)
    assert [e.count.value for e in events] == [31, 14, 9, 8]
    assert all(isinstance(e, skytally.InterceptionEvent) for e in events)
    total = events[0]
    assert total.part_of is None and total.place is None
    assert total.weapon is not None and total.weapon.category is skytally.WeaponCategory.DRONE
    assert total.claimant is not None and total.claimant.name == "Russian Ministry of Defence"
    assert total.period is not None
    assert total.period.start == dt.datetime(
        2025, 5, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    assert total.period.end == dt.datetime(
        2025, 6, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))
    )
    assert [e.place.code for e in events[1:]] == ["RU-KRS", "RU-BRY", "RU-ORL"]
    assert all(e.part_of == 0 for e in events[1:])
    # breakdowns inherit the total's period and claimant
    assert all(e.period == total.period and e.claimant == total.claimant for e in events[1:])


def test_events_are_immutable(nlp) -> None:
    event = skytally.extract(BULLETIN, nlp=nlp)[0]
    with pytest.raises(Exception, match="frozen"):
        event.count.value = 1  # type: ignore[misc]


def test_doc_carries_the_same_events(nlp) -> None:
    doc = nlp(BULLETIN)
    assert [e.count.value for e in doc._.events] == [31, 14, 9, 8]


def test_published_accepts_date_datetime_and_string(nlp) -> None:
    for published in ("2025-06-01", dt.date(2025, 6, 1), dt.datetime(2025, 6, 1, 9, 0)):
        period = skytally.extract(BULLETIN, published=published, nlp=nlp)[0].period
        assert period is not None and period.end is not None
        assert period.end.date() == dt.date(2025, 6, 1)


def test_without_published_yearless_times_stay_unresolved(nlp) -> None:
    period = skytally.extract(BULLETIN, nlp=nlp)[0].period
    assert period is not None
    assert period.text == "overnight"
    assert period.start is None and period.end is None


def test_empty_text_has_no_events(nlp) -> None:
    assert skytally.extract("", nlp=nlp) == []
    assert skytally.extract("   \n\n ", nlp=nlp) == []


@pytest.mark.parametrize("bad", [None, 42, b"bytes", ["list"]])
def test_non_string_text_is_a_type_error(bad: object, nlp) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        skytally.extract(bad, nlp=nlp)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-01", "01/11/2025", ""])
def test_invalid_published_names_the_value(bad: str, nlp) -> None:
    with pytest.raises(ValueError, match="invalid published") as error:
        skytally.extract(BULLETIN, published=bad, nlp=nlp)
    assert repr(bad) in str(error.value)


def test_extract_many_keeps_order_and_per_text_dates(nlp) -> None:
    texts = [BULLETIN, "No drones today.", BULLETIN.replace("31", "32").replace("8 over", "9 over")]
    results = list(
        skytally.extract_many(texts, published=["2025-06-01", None, "2025-07-01"], nlp=nlp)
    )
    assert [len(r) for r in results] == [4, 0, 4]
    assert results[0][0].period.end.month == 6  # type: ignore[union-attr]
    assert results[2][0].count.value == 32
    assert results[2][0].period.end.month == 7  # type: ignore[union-attr]


def test_extract_many_with_two_processes_gives_the_same_events(nlp) -> None:
    texts = [BULLETIN] * 4
    single = list(skytally.extract_many(texts, published="2025-06-01", nlp=nlp))
    double = list(skytally.extract_many(texts, published="2025-06-01", nlp=nlp, n_process=2))
    assert double == single


def test_extract_many_refuses_a_single_string(nlp) -> None:
    with pytest.raises(TypeError, match="use extract"):
        list(skytally.extract_many(BULLETIN, nlp=nlp))


def test_fewer_published_values_than_texts_is_an_error(nlp) -> None:
    with pytest.raises(InputError, match="fewer published values"):
        list(skytally.extract_many([BULLETIN, BULLETIN], published=["2025-06-01"], nlp=nlp))


def test_chunks_cover_the_text_and_cut_at_paragraphs() -> None:
    paragraph = "Air defences destroyed 12 drones over the Kursk region. " * 40
    text = "\n\n".join([paragraph] * 60)
    chunks = split_into_chunks(text, limit=10_000)
    assert "".join(chunk for _, chunk in chunks) == text
    assert all(len(chunk) <= 10_000 for _, chunk in chunks)
    assert all(text[offset:].startswith(chunk) for offset, chunk in chunks)
    assert all(chunk.endswith("\n\n") for _, chunk in chunks[:-1])


def _long_article(paragraph_count: int) -> str:
    # distinct claims within any chunk (the same claim repeated in one text would
    # rightly be reported once); values stay below 1900, where a bare four-digit
    # number reads as a year
    return "".join(
        f"Overnight, air defences destroyed {20 + i % 1800} drones: {12 + i % 1800} over the "
        "Kursk region and 8 over the Bryansk region, the ministry said.\n\n"
        "One person was injured.\n\n"
        for i in range(paragraph_count)
    )


def test_long_text_is_processed_in_chunks_with_exact_offsets(nlp, monkeypatch) -> None:
    from skytally import api

    monkeypatch.setattr(api, "MAX_CHUNK_CHARS", 2_000)
    seen_lengths: list[int] = []
    real_make_doc = nlp.make_doc

    def recording_make_doc(text: str):
        seen_lengths.append(len(text))
        return real_make_doc(text)

    monkeypatch.setattr(nlp, "make_doc", recording_make_doc)
    text = _long_article(200)
    events = skytally.extract(text, nlp=nlp)
    assert len(seen_lengths) > 10 and max(seen_lengths) <= 2_000
    assert len(events) == 3 * 200
    for event in events:
        assert text[event.count.start : event.count.end] == event.count.text
        assert event.place is None or text[event.place.start : event.place.end] == event.place.text
        assert text[event.sentence.start : event.sentence.end].strip()
    for event in events:
        if event.part_of is not None:
            total = events[event.part_of]
            # each breakdown points at the total of its own paragraph: 20+i = (12+i) + 8
            assert total.part_of is None
            assert event.count.value in (8, total.count.value - 8)


@pytest.mark.slow
def test_ten_megabytes_in_bounded_memory(nlp) -> None:
    import resource

    text = _long_article(10_000_000 // 140)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    events = skytally.extract(text, nlp=nlp)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert len(events) == 3 * (10_000_000 // 140)
    assert events[-1].count.end <= len(text)
    assert grown_kb < 1_500_000  # the events themselves are most of it


def test_load_rejects_paths_that_are_not_pipelines(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        skytally.load(tmp_path / "missing")
    with pytest.raises(InputError, match=r"config\.cfg"):
        skytally.load(tmp_path)


def test_bundled_model_matches_the_default_pipeline() -> None:
    bundled = skytally.load()
    built = skytally.build_pipeline()
    assert bundled.pipe_names == built.pipe_names
    assert bundled.config["components"] == built.config["components"]
    assert skytally.extract(BULLETIN, nlp=bundled) == skytally.extract(BULLETIN, nlp=built)


WORDS = [
    "drones",
    "destroyed",
    "shot",
    "down",
    "over",
    "the",
    "Kursk",
    "region",
    "45",
    "two",
    "each",
    "respectively",
    "Moscow",
    "overnight",
    "23:00",
    "between",
    "and",
    "of",
    "them",
    "including",
    "launched",
    "Iskander-M",
    "missiles",
    ",",
    ".",
    "\n",
    "\n\n",
    "—",
    "a",
    "another",
    "both",
    "more",
    "than",
    "up",
    "to",
    "Black",
    "Sea",
    "governor",
    "said",
    "(",
    ")",
    "%",
    "1,200",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=60),
    st.sampled_from([None, "2025-11-01", "2025-11-01T09:00:00+03:00"]),
)
def test_any_text_gives_well_formed_events(nlp, words: list[str], published: str | None) -> None:
    """Whatever the text, extraction does not fail, and every event points at
    its own evidence and at an existing total."""
    text = " ".join(words)
    events = skytally.extract(text, published=published, nlp=nlp)
    for index, event in enumerate(events):
        assert text[event.count.start : event.count.end] == event.count.text
        for evidence in (event.weapon, event.place, event.heading_to, event.claimant):
            assert evidence is None or text[evidence.start : evidence.end] == evidence.text
        assert event.part_of is None or (
            0 <= event.part_of < len(events) and event.part_of != index
        )
        assert 0.0 <= event.confidence <= 1.0
        if event.period is not None and event.period.start and event.period.end:
            assert event.period.start <= event.period.end


def test_mentions_of_a_later_chunk_point_at_the_original_text() -> None:
    """A text longer than one chunk: the offsets of an event's folded mentions (the
    headline's "30") are moved once, like every other offset."""
    from skytally.api import MAX_CHUNK_CHARS

    article = (
        "Russia says 30 drones shot down over Belgorod region\n\n"
        "Russian air defences destroyed 30 Ukrainian drones over the Belgorod region "
        "overnight, the Defence Ministry said.\n"
    )
    filler = "The weather stayed mild and the markets were calm that week.\n\n"
    text = filler * (MAX_CHUNK_CHARS // len(filler) + 50) + article
    (event,) = skytally.extract(text, published="2025-03-02T09:00:00+03:00")
    assert event.mentions, "the headline restates the body's count"
    for mention in event.mentions:
        assert text[mention.start : mention.end] == mention.text == "30"
        assert mention.start > MAX_CHUNK_CHARS
