"""Expected events derived from annotated spans and relations.

The derivation applies the documented conventions (docs/conventions.md):
a count without its own period, claimant, weapon or outcome inherits them
from the count it is `part_of`; a count linked to several places ("two each
over A and B") is one event per place.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from spacy.language import Language

from ..errors import DataError, Errors
from ..event_building import EventBuilder, Links, Offsets, link_table
from ..schema import GoldEvent
from .format import ArticleRecord, SpanRecord


@cache
def sentence_splitter() -> Language:
    from ..pipeline import sentences  # noqa: F401  (registers the factory)
    from ..pipeline.tokenizer import blank_english

    nlp = blank_english()
    nlp.add_pipe("skytally_sentences")
    return nlp


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    doc = sentence_splitter()(text)
    return [(sent.start_char, sent.end_char) for sent in doc.sents]


def _link_rows(record: ArticleRecord) -> list[list[Any]]:
    spans = record.span_by_id()

    def claim(count_id: str) -> str:
        # a part of a restatement is a part of the claim it restates
        target = spans[count_id].attrs.get("restates") if count_id in spans else None
        return str(target) if target else count_id

    rows: list[list[Any]] = []
    for relation in record.relations:
        head = spans[relation.head]
        child = spans[claim(relation.child) if relation.label == "part_of" else relation.child]
        rows.append([head.start, head.end, child.start, child.end, relation.label, 1.0])
    return rows


def events_from_annotations(record: ArticleRecord) -> list[GoldEvent]:
    by_offsets = {(s.start, s.end): s for s in record.spans}
    links = link_table(_link_rows(record))
    sentences = sentence_bounds(record.text)
    # a restatement of a claim already counted (a headline, a closing line) is evidence
    # for that claim's event, not an event of its own
    counts = sorted(
        (s for s in record.spans if s.label == "COUNT" and not s.attrs.get("restates")),
        key=lambda s: s.start,
    )

    def value_of(offsets: Offsets) -> dict[str, Any]:
        span = by_offsets.get(offsets)
        return span.attrs if span is not None else {}

    def implied_outcome(count: Offsets) -> str | None:
        # a bare value stands in where the text has no word for the outcome
        return value_of(count).get("outcome")

    builder = EventBuilder(record.text, links, value_of, implied_outcome)
    _check_totals(by_offsets, links, record.id)
    first_event_of: dict[Offsets, int] = {}
    drafts: list[tuple[SpanRecord, Offsets | None]] = []
    for count in counts:
        key = (count.start, count.end)
        first_event_of[key] = len(drafts)
        drafts.extend((count, place) for place, _ in builder.places(key))

    events: list[GoldEvent] = []
    for count, place in drafts:
        key = (count.start, count.end)
        sentence = next(
            ((s, e) for s, e in sentences if s <= count.start < e), (count.start, count.end)
        )
        payload = builder.event(key, place, sentence)
        if payload["outcome"] is None:
            raise DataError(
                Errors.E011.format(
                    where=record.id,
                    reason=f"COUNT {count.id} ({count.text!r}) has no outcome, "
                    "neither its own nor from a total",
                )
            )
        parent = builder.own(key, "part_of")
        payload |= {
            "part_of": first_event_of[parent] if parent is not None else None,
            "confidence": 1.0,
            "optional": bool(count.attrs.get("optional", False)),
        }
        events.append(GoldEvent.model_validate(payload))
    return events


def _check_totals(by_offsets: dict[Offsets, SpanRecord], links: Links, record_id: str) -> None:
    """A chain of totals must end: "a part_of b part_of a" is an annotation error."""
    for count in links:
        trail: list[Offsets] = [count]
        parent = (links[count].get("part_of") or [(None, 0.0)])[0][0]
        while parent is not None:
            if parent in trail:
                names = " -> ".join(by_offsets[o].id for o in [*trail, parent] if o in by_offsets)
                raise DataError(
                    Errors.E011.format(where=record_id, reason=f"part_of cycle through {names}")
                )
            trail.append(parent)
            parent = (links.get(parent, {}).get("part_of") or [(None, 0.0)])[0][0]
