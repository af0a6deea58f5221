"""Checks that an annotated record is usable for training and scoring.

Each problem is one line, `where: what`, so a user can jump to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache

import pycountry
from spacy.language import Language

from ..errors import DataError
from ..schema import InterceptionEvent
from ..totals import overfull_parts
from .format import RELATION_TARGETS, SOURCE_STYLES, ArticleRecord, SpanRecord
from .gold import events_from_annotations, sentence_splitter

EXTRA_PLACE_CODES = frozenset({"RU", "UA", "SEA-BLACK", "SEA-AZOV", "SEA-CASPIAN", "SEA-BALTIC"})
OUTCOMES = frozenset({"destroyed", "suppressed", "launched", "hit"})
CATEGORIES = frozenset({"drone", "naval_drone", "missile", "guided_bomb", "aircraft", "unknown"})
QUALIFIERS = frozenset({"exact", "at_least", "more_than", "at_most", "approximate"})


@cache
def _known_codes() -> frozenset[str]:
    codes = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    codes |= {s.code for s in pycountry.subdivisions.get(country_code="UA")}
    return frozenset(codes) | EXTRA_PLACE_CODES


def _tokenizer() -> Language:
    return sentence_splitter()


def validate_record(record: ArticleRecord, where: str) -> list[str]:
    """Every problem of one record, each as `where: what`."""
    problems: list[str] = []

    def problem(what: str) -> None:
        problems.append(f"{where}: {record.id}: {what}")

    text = record.text
    if record.source_style not in SOURCE_STYLES:
        problem(f"source_style {record.source_style!r} is not one of {', '.join(SOURCE_STYLES)}")
    if record.published is not None:
        try:
            datetime.fromisoformat(record.published)
        except ValueError:
            problem(f"published {record.published!r} is not an ISO date or datetime")

    doc = _tokenizer().make_doc(text)
    ids: set[str] = set()
    for span in record.spans:
        label = f"span {span.id} ({span.label} {span.text!r})"
        if span.id in ids:
            problem(f"span id {span.id!r} is used twice")
        ids.add(span.id)
        if not 0 <= span.start < span.end <= len(text):
            problem(f"{label}: offsets {span.start}-{span.end} are outside the text")
            continue
        if text[span.start : span.end] != span.text:
            problem(
                f"{label}: text at {span.start}-{span.end} is "
                f"{text[span.start : span.end]!r}, not {span.text!r}"
            )
        if doc.char_span(span.start, span.end) is None:
            problem(f"{label}: offsets {span.start}-{span.end} are not on token boundaries")
        problems.extend(f"{where}: {record.id}: {label}: {p}" for p in _attr_problems(span))

    spans = record.span_by_id()
    for relation in record.relations:
        head, child = spans.get(relation.head), spans.get(relation.child)
        name = f"relation {relation.label} {relation.head}->{relation.child}"
        if head is None or child is None:
            problem(f"{name}: names a span that does not exist")
            continue
        if head.label != "COUNT":
            problem(f"{name}: starts at a {head.label}, not a COUNT")
        if child.label != RELATION_TARGETS[relation.label]:
            problem(
                f"{name}: points at a {child.label}, expected {RELATION_TARGETS[relation.label]}"
            )
    problems.extend(f"{where}: {record.id}: {p}" for p in convention_problems(record))
    for span in record.spans:
        target = span.attrs.get("restates")
        if target is None:
            continue
        if target not in spans or spans[target].label != "COUNT":
            problem(f"span {span.id}: restates {target!r}, which is not a COUNT")
        elif spans[target].attrs.get("restates"):
            problem(f"span {span.id}: restates {target}, itself a restatement: name the claim")
    if problems:
        return problems

    try:
        expected = events_from_annotations(record)
    except DataError as error:
        problem(str(error))
        return problems
    if len(expected) != len(record.events):
        problem(f"has {len(record.events)} events, the spans give {len(expected)}")
        return problems
    problems.extend(f"{where}: {record.id}: {p}" for p in breakdown_problems(expected))
    for index, (want, got) in enumerate(zip(expected, record.events, strict=True)):
        want_json, got_json = want.model_dump(mode="json"), got.model_dump(mode="json")
        for key in want_json:
            if key in ("sentence", "confidence"):
                continue
            if want_json[key] != got_json[key]:
                problem(
                    f"event {index}: {key} is {got_json[key]!r}, the spans give {want_json[key]!r}"
                )
    return problems


#: words before a place that make it a target, not where something was brought down
TARGET_WORDS = frozenset({"at", "on", "against", "towards", "toward", "targeting", "targetting"})


def convention_problems(record: ArticleRecord) -> list[str]:
    """The place conventions of docs/annotation.md that the spans alone can show:
    where drones were flying is their heading, not where they were downed, unless
    the text says so apart ("flying towards Moscow, downed over the Istra district"),
    and the target of a launch ("fired 40 missiles at Kyiv") is its heading."""
    spans = record.span_by_id()
    links: dict[str, dict[str, list[str]]] = {}
    for relation in record.relations:
        links.setdefault(relation.head, {}).setdefault(relation.label, []).append(relation.child)
    out: list[str] = []
    for head, linked in links.items():
        places, headings = linked.get("place", []), linked.get("heading_to", [])
        for place in set(places) & set(headings):
            out.append(
                f"span {head}: place and heading_to are the same mention {place} "
                f"({spans[place].text!r}): a heading is not where it was downed"
            )
        launched = (
            any(spans[o].attrs.get("value") == "launched" for o in linked.get("outcome", []))
            or spans[head].attrs.get("outcome") == "launched"
        )
        for place in places if launched else []:
            before = [w.lower() for w in record.text[: spans[place].start].split()[-2:]]
            if before[-1:] == ["the"]:
                before = before[:-1]
            if before and before[-1] in TARGET_WORDS:
                out.append(
                    f"span {head}: the target of a launch ({spans[place].text!r}) is its "
                    "heading_to (to=), not its place"
                )
    return out


def breakdown_problems(events: Sequence[InterceptionEvent]) -> list[str]:
    """Exact parts of one way of splitting a total that add up to more than the
    exact total: the text cannot mean that (see `skytally.totals`)."""
    data = [event.model_dump(mode="json") for event in events]
    out: list[str] = []
    for index, (fate, way), members in overfull_parts(data):
        whole = data[index]["count"]
        used = sum(data[i]["count"]["value"] for i in members)
        out.append(
            f"event {index} ({whole['text']!r} = {whole['value']}) has exact parts "
            f"({fate}, by {way}) adding up to {used}"
        )
    return out


def _attr_problems(span: SpanRecord) -> list[str]:
    label, attrs = span.label, span.attrs
    out: list[str] = []
    if label == "COUNT":
        if not isinstance(attrs.get("value"), int) or attrs["value"] < 0:
            out.append(f"value {attrs.get('value')!r} is not a non-negative whole number")
        if attrs.get("qualifier", "exact") not in QUALIFIERS:
            out.append(f"qualifier {attrs.get('qualifier')!r} is unknown")
        if "outcome" in attrs and attrs["outcome"] not in OUTCOMES:
            out.append(f"outcome {attrs['outcome']!r} is unknown")
    elif label == "WEAPON":
        if attrs.get("category") not in CATEGORIES:
            out.append(f"category {attrs.get('category')!r} is unknown")
    elif label == "PLACE":
        code = attrs.get("code")
        if code is not None and code not in _known_codes():
            out.append(f"code {code!r} is not an ISO 3166-2 code of RU/UA, RU, UA or SEA-*")
    elif label == "TIME":
        for key in ("start", "end"):
            value = attrs.get(key)
            if value is None:
                continue
            try:
                moment = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                out.append(f"{key} {value!r} is not an ISO datetime")
                continue
            if moment.tzinfo is None:
                out.append(f"{key} {value!r} has no UTC offset")
    elif label == "OUTCOME" and attrs.get("value") not in OUTCOMES:
        out.append(f"outcome value {attrs.get('value')!r} is unknown")
    return out
