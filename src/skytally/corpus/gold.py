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


def _links(record: ArticleRecord) -> dict[str, dict[str, list[str]]]:
    spans = record.span_by_id()

    def claim(count_id: str) -> str:
        # a part of a restatement is a part of the claim it restates
        target = spans[count_id].attrs.get("restates") if count_id in spans else None
        return str(target) if target else count_id

    links: dict[str, dict[str, list[str]]] = {}
    for relation in record.relations:
        child = claim(relation.child) if relation.label == "part_of" else relation.child
        links.setdefault(relation.head, {}).setdefault(relation.label, []).append(child)
    return links


def events_from_annotations(record: ArticleRecord) -> list[GoldEvent]:
    spans = record.span_by_id()
    links = _links(record)
    sentences = sentence_bounds(record.text)
    # a restatement of a claim already counted (a headline, a closing line) is evidence
    # for that claim's event, not an event of its own
    counts = sorted(
        (s for s in record.spans if s.label == "COUNT" and not s.attrs.get("restates")),
        key=lambda s: s.start,
    )

    def inherited(count_id: str, label: str, trail: tuple[str, ...] = ()) -> SpanRecord | None:
        if count_id in trail:
            raise DataError(
                Errors.E011.format(
                    where=record.id, reason=f"part_of cycle through {' -> '.join(trail)}"
                )
            )
        own = links.get(count_id, {}).get(label)
        if own:
            return spans[own[0]]
        parent = links.get(count_id, {}).get("part_of")
        if parent:
            return inherited(parent[0], label, (*trail, count_id))
        return None

    def _outcome(count_id: str, trail: tuple[str, ...] = ()) -> str | None:
        # an outcome span wins; a bare value stands in where the text has no word for it
        own = links.get(count_id, {}).get("outcome")
        if own:
            return str(spans[own[0]].attrs["value"])
        if "outcome" in spans[count_id].attrs:
            return str(spans[count_id].attrs["outcome"])
        parent = links.get(count_id, {}).get("part_of")
        if parent and parent[0] not in trail:
            return _outcome(parent[0], (*trail, count_id))
        return None

    first_event_of: dict[str, int] = {}
    drafts: list[tuple[SpanRecord, SpanRecord | None]] = []
    for count in counts:
        places = [spans[p] for p in links.get(count.id, {}).get("place", [])] or [None]
        first_event_of[count.id] = len(drafts)
        drafts.extend((count, place) for place in places)

    events: list[GoldEvent] = []
    for count, place in drafts:
        outcome = _outcome(count.id)
        if outcome is None:
            raise DataError(
                Errors.E011.format(
                    where=record.id,
                    reason=f"COUNT {count.id} ({count.text!r}) has no outcome, "
                    "neither its own nor from a total",
                )
            )
        parent = links.get(count.id, {}).get("part_of")
        heading = links.get(count.id, {}).get("heading_to")
        sentence = next(
            ((s, e) for s, e in sentences if s <= count.start < e), (count.start, count.end)
        )
        payload: dict[str, Any] = {
            "count": {
                "text": count.text,
                "start": count.start,
                "end": count.end,
                "value": count.attrs["value"],
                "qualifier": count.attrs.get("qualifier", "exact"),
                "upper": count.attrs.get("upper"),
            },
            "outcome": outcome,
            "weapon": _evidence(inherited(count.id, "weapon"), "category"),
            "place": _place(place),
            "heading_to": _place(spans[heading[0]]) if heading else None,
            "period": _period(inherited(count.id, "time")),
            "claimant": _evidence(inherited(count.id, "claimant"), "name"),
            "part_of": first_event_of[parent[0]] if parent else None,
            "sentence": {"start": sentence[0], "end": sentence[1]},
            "confidence": 1.0,
            "optional": bool(count.attrs.get("optional", False)),
        }
        events.append(GoldEvent.model_validate(payload))
    return events


def _evidence(span: SpanRecord | None, *keys: str) -> dict[str, Any] | None:
    if span is None:
        return None
    payload: dict[str, Any] = {"text": span.text, "start": span.start, "end": span.end}
    for key in keys:
        payload[key] = span.attrs.get(key)
    return payload


def _period(span: SpanRecord | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "text": span.text,
        "text_start": span.start,
        "text_end": span.end,
        "start": span.attrs.get("start"),
        "end": span.attrs.get("end"),
    }


def _place(span: SpanRecord | None) -> dict[str, Any] | None:
    return _evidence(span, "code", "name", "kind")
