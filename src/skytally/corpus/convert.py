"""Converters between skytally's annotated JSONL and the tools people annotate with.

Formats (docs/converters.md has an example of each):

* ``prodigy``: JSONL as Prodigy's ``rel.manual`` saves it: ``text``, ``tokens``,
  ``spans`` (character and inclusive token offsets) and ``relations`` whose
  ``head``/``child`` are the index of the *last* token of the span, with the
  spans themselves in ``head_span``/``child_span``.
* ``labelstudio``: Label Studio's JSON export, a list of tasks whose
  annotation ``result`` holds ``labels`` regions and ``relation`` arrows
  (``from_id`` -> ``to_id``).
* ``doccano``: JSONL as a doccano sequence-labelling project with relations
  exports it: ``entities`` (``start_offset``/``end_offset``) and ``relations``
  (``from_id``/``to_id``/``type``).
* ``spacy``: a ``DocBin`` for ``spacy train``: the spans are ``doc.ents`` and
  the relations, values and events ride in ``doc.user_data`` through the
  attributes the pipeline itself uses (pipeline/attributes.py).

Round trips are exact: whatever a tool has no place for (the article id,
publication date, style, split, span values, events) travels in the tool's
metadata, and comes back when the spans and relations are unchanged. Spans
and relations an annotator added or changed in the tool are read the way the
pipeline reads text (the normaliser), and the events are derived again from
the annotation (gold.events_from_annotations). Every problem is a DataError
that names the file and line (or task) and says what is wrong; nothing is
dropped quietly.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..errors import DataError, Errors, InputError, SkytallyError
from ..pipeline import attributes
from ..schema import GoldEvent
from .format import (
    RELATION_TARGETS,
    SPAN_LABELS,
    ArticleRecord,
    RelationRecord,
    SpanRecord,
    iter_lines,
    parse_object,
    read_records,
    read_text_file,
    write_jsonl,
)

READ_FORMATS: tuple[str, ...] = ("markup", "jsonl", "prodigy", "labelstudio", "doccano", "spacy")
WRITE_FORMATS: tuple[str, ...] = ("jsonl", "prodigy", "labelstudio", "doccano", "spacy")
TASK_FORMATS: tuple[str, ...] = ("labelstudio", "prodigy", "markup")
SUPPORTED = (
    f"from {', '.join(READ_FORMATS)} to {', '.join(WRITE_FORMATS)} (markup is written by hand "
    "and only read)"
)
#: a file's suffix -> its format; `.jsonl` is shared by four formats and is sniffed on reading
SUFFIX_FORMATS = {".txt": "markup", ".json": "labelstudio", ".spacy": "spacy", ".jsonl": "jsonl"}

#: key of the round-trip snapshot (span values, relations, events) in a tool's task
SNAPSHOT_KEY = "skytally"
#: key in `doc.user_data` of what a Doc has no attribute for (id, style, split, span ids)
DOC_RECORD_KEY = "skytally_record"
#: names of the `<Labels>` and `<Text>` tags of the Label Studio config in docs/converters.md
LS_FROM_NAME = "label"
LS_TO_NAME = "text"
ID_PREFIX = {
    "COUNT": "c",
    "WEAPON": "w",
    "PLACE": "p",
    "TIME": "t",
    "CLAIMANT": "k",
    "OUTCOME": "o",
}
OUTCOME_VALUES = ("destroyed", "suppressed", "launched", "hit")
SPAN_FIELDS = frozenset({"id", "start", "end", "label", "text", "attrs"})


# --------------------------------------------------------------------------- formats


def infer_format(path: Path, *, reading: bool) -> str:
    """The format a file's name (and, for `.jsonl` being read, its first record) implies."""
    option, choices = ("--from", READ_FORMATS) if reading else ("--to", WRITE_FORMATS)
    if reading and path.is_dir():
        # a folder of corpus JSONL files, as `data validate` reads them
        return "jsonl"
    found = SUFFIX_FORMATS.get(path.suffix.lower())
    if found == "markup" and not reading:
        raise InputError(Errors.E022.format(supported=SUPPORTED))
    if found == "jsonl" and reading:
        found = _sniff_jsonl(path)
    if found is None:
        raise InputError(Errors.E021.format(path=path, option=option, choices=", ".join(choices)))
    return found


def _sniff_jsonl(path: Path) -> str | None:
    """Which JSONL dialect the first record is written in; None when it cannot tell."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = next((line for line in handle if line.strip()), None)
    except (OSError, UnicodeDecodeError):
        return "jsonl"  # the reader reports the problem with the file
    if first is None:
        return "jsonl"
    try:
        payload = json.loads(first)
    except json.JSONDecodeError:
        return "jsonl"  # ... and the one with the line
    if not isinstance(payload, dict):
        return "jsonl"
    if "entities" in payload or (isinstance(payload.get("label"), list) and "spans" not in payload):
        return "doccano"
    if {"tokens", "answer", "_input_hash", "_task_hash"} & payload.keys():
        return "prodigy"
    if {"events", "source_style"} & payload.keys() or "id" in payload:
        return "jsonl"
    return None


def check_conversion(source: str, target: str) -> None:
    if target == "markup":
        raise InputError(Errors.E022.format(supported=SUPPORTED))
    if source not in READ_FORMATS or target not in WRITE_FORMATS:
        raise InputError(Errors.E020.format(source=source, target=target, supported=SUPPORTED))


# --------------------------------------------------------------------------- reading text


@cache
def reader() -> Language:
    """Tokenizer, sentences and normaliser: what turns annotated text into values.

    The same components as the shipped pipeline, with their default settings,
    so an imported span gets the value the pipeline would give it."""
    from ..pipeline import register_factories
    from ..pipeline.tokenizer import blank_english

    register_factories()
    nlp = blank_english()
    nlp.add_pipe("skytally_sentences")
    nlp.add_pipe("skytally_normalizer")
    return nlp


def make_doc(text: str) -> Doc:
    return reader().make_doc(text)


def gold_attrs(label: str, value: dict[str, Any]) -> dict[str, Any]:
    """A normaliser value (or a Doc's stored value) in the shape annotations use."""
    if label == "COUNT":
        attrs = {"value": value.get("value"), "qualifier": value.get("qualifier", "exact")}
        for key in ("optional", "outcome", "upper", "restates"):
            if value.get(key) is not None:
                attrs[key] = value[key]
        return attrs
    if label == "WEAPON":
        return {"category": value.get("category", "unknown")}
    if label == "PLACE":
        return {
            "code": value.get("code"),
            "kind": value.get("kind") or "region",
            "name": value.get("name"),
        }
    if label == "TIME":
        return {"start": value.get("start"), "end": value.get("end")}
    if label == "CLAIMANT":
        return {"name": value.get("name")}
    return {"value": value.get("value")}


def span_values(
    text: str, spans: Sequence[tuple[int, int, str]], published: str | None
) -> list[dict[str, Any] | None]:
    """skytally's reading of each (start, end, label) span of `text`, as annotation attrs.

    None where the normaliser reads nothing: a COUNT without a number, an
    OUTCOME that is not an outcome phrase. TIME spans are resolved against
    `published` like the pipeline does. Offsets must fall on token boundaries
    and spans must not overlap (ValueError otherwise)."""
    nlp = reader()
    doc = nlp.make_doc(text)
    doc._.published = published
    doc = nlp.get_pipe("skytally_sentences")(doc)
    ents = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label)
        if span is None:
            raise ValueError(f"{start}-{end} is not on token boundaries")
        ents.append(span)
    doc.ents = ents
    doc = nlp.get_pipe("skytally_normalizer")(doc)
    values: dict[str, Any] = doc._.skytally_values or {}
    readings: list[dict[str, Any] | None] = []
    for start, end, label in spans:
        value = values.get(attributes.span_key(start, end))
        readings.append(None if value is None else gold_attrs(label, value))
    return readings


# --------------------------------------------------------------------------- import model


@dataclass
class RawSpan:
    """A span as a tool wrote it; `key` is the tool's name for it, which relations use."""

    key: str
    start: Any
    end: Any
    label: Any
    where: str
    attrs: dict[str, Any] | None = None  # values the source already holds (a skytally DocBin)


@dataclass
class RawRelation:
    head: str
    child: str
    label: Any
    where: str


@dataclass
class Draft:
    """One article as read from a tool, before it is checked and completed."""

    where: str
    text: Any
    article_id: Any
    published: Any = None
    source_style: Any = "other"
    split: Any = None
    source_url: Any = None
    spans: list[RawSpan] = field(default_factory=list)
    relations: list[RawRelation] = field(default_factory=list)
    snapshot: dict[str, Any] | None = None


@dataclass
class Imported:
    records: list[tuple[str, ArticleRecord]]
    notes: list[str] = field(default_factory=list)


Parsed = list[tuple[str, Draft | DataError]]


def _problem(where: str, reason: str) -> DataError:
    return DataError(Errors.E011.format(where=where, reason=reason))


def _describe(text: str, raw: RawSpan) -> str:
    if _is_offset(raw.start) and _is_offset(raw.end) and 0 <= raw.start < raw.end <= len(text):
        return f"span {raw.label} {text[raw.start : raw.end]!r} ({raw.start}-{raw.end})"
    return f"span {raw.label} ({raw.start}-{raw.end})"


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_spans(draft: Draft) -> list[str]:
    text = draft.text
    problems: list[str] = []
    keys: set[str] = set()
    for raw in draft.spans:
        if raw.label not in SPAN_LABELS:
            problems.append(
                f"{raw.where}: span {raw.start}-{raw.end} has label {raw.label!r}; "
                f"skytally's labels are {', '.join(SPAN_LABELS)}"
            )
        elif not (_is_offset(raw.start) and _is_offset(raw.end)):
            problems.append(f"{raw.where}: {_describe(text, raw)}: offsets must be whole numbers")
        elif not 0 <= raw.start < raw.end <= len(text):
            problems.append(
                f"{raw.where}: {_describe(text, raw)}: offsets are outside the text "
                f"({len(text)} characters)"
            )
        if raw.key in keys:
            problems.append(f"{raw.where}: span {raw.key!r} is given twice")
        keys.add(raw.key)
    if problems:
        return problems
    ordered = sorted(draft.spans, key=lambda s: (s.start, s.end))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            problems.append(
                f"{after.where}: {_describe(text, after)} overlaps {_describe(text, before)}; "
                "skytally spans never overlap"
            )
    return problems


def _fresh_ids(spans: Sequence[RawSpan], taken: set[str]) -> dict[str, str]:
    """Markup-style ids (c1, p1, ...) in text order, skipping ids already in use."""
    counters = dict.fromkeys(ID_PREFIX.values(), 0)
    ids: dict[str, str] = {}
    for raw in sorted(spans, key=lambda s: s.start):
        prefix = ID_PREFIX[raw.label]
        while True:
            counters[prefix] += 1
            candidate = f"{prefix}{counters[prefix]}"
            if candidate not in taken:
                break
        taken.add(candidate)
        ids[raw.key] = candidate
    return ids


def _snapshot_spans(snapshot: dict[str, Any] | None) -> dict[tuple[int, int, str], dict[str, Any]]:
    if not snapshot or not isinstance(snapshot.get("spans"), list):
        return {}
    found: dict[tuple[int, int, str], dict[str, Any]] = {}
    for item in snapshot["spans"]:
        if isinstance(item, dict) and item.keys() >= SPAN_FIELDS:
            found[(item["start"], item["end"], item["label"])] = item
    return found


def assemble(draft: Draft) -> tuple[ArticleRecord, list[str]]:
    """Check a draft and complete it into a record; returns the record and notes.

    Raises DataError listing every problem found, each as `where: what`."""
    where, text = draft.where, draft.text
    if not isinstance(text, str) or not text:
        raise _problem(where, "the article has no text (a non-empty string)")
    if draft.published is not None:
        from ..times import parse_published

        try:
            parse_published(draft.published)
        except SkytallyError as error:
            raise _problem(where, str(error)) from None
    problems = _check_spans(draft)
    if problems:
        raise DataError(problems[0], problems)
    notes: list[str] = []
    ids, attrs = _ids_and_values(draft, problems, notes)
    relations = _relations(draft, ids, problems)
    if problems:
        raise DataError(problems[0], problems)

    spans = [
        SpanRecord(
            id=ids[raw.key],
            start=raw.start,
            end=raw.end,
            label=raw.label,
            text=text[raw.start : raw.end],
            attrs=attrs[raw.key],
        )
        for raw in draft.spans
    ]
    spans, relations, restored = _restore_order(draft.snapshot, spans, relations)
    if not restored:
        spans.sort(key=lambda s: (s.start, s.end))  # text order, as markup writes them
    try:
        record = ArticleRecord(
            id=str(draft.article_id),
            text=text,
            published=draft.published,
            source_style=draft.source_style,
            split=draft.split,
            source_url=draft.source_url,
            spans=spans,
            relations=relations,
        )
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        raise _problem(where, f"{location}: {first['msg']}") from None

    if restored and draft.snapshot is not None:
        # nothing changed in the tool: the events come back as they were
        try:
            record.events = [GoldEvent.model_validate(e) for e in draft.snapshot["events"]]
            return record, notes
        except (ValidationError, TypeError, KeyError):
            pass
    notes.extend(imply_launched_totals(record, where))
    from .gold import events_from_annotations
    from .validate import validate_record

    try:
        record.events = events_from_annotations(record)
    except DataError as error:
        raise _problem(where, str(error)) from None
    problems = validate_record(record, where)
    if problems:
        raise DataError(problems[0], problems)
    return record, notes


def _ids_and_values(
    draft: Draft, problems: list[str], notes: list[str]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Span id and attrs for each tool key. A span the snapshot knows (same offsets,
    label and text) keeps its id and values; one an annotator added gets a fresh id
    and is read the way the pipeline reads text."""
    text = draft.text
    known = _snapshot_spans(draft.snapshot)
    ids: dict[str, str] = {}
    attrs: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    for raw in draft.spans:
        kept = known.get((raw.start, raw.end, raw.label))
        if kept and kept["text"] == text[raw.start : raw.end] and kept["id"] not in taken:
            ids[raw.key] = kept["id"]
            attrs[raw.key] = kept["attrs"]
            taken.add(kept["id"])
    fresh = [raw for raw in draft.spans if raw.key not in ids]
    ids.update(_fresh_ids(fresh, taken))
    unread: list[RawSpan] = []
    for raw in fresh:
        if raw.attrs is not None:
            attrs[raw.key] = gold_attrs(raw.label, raw.attrs)
        else:
            unread.append(raw)
    if not unread:
        return ids, attrs
    doc = make_doc(text)
    misaligned = [raw for raw in unread if doc.char_span(raw.start, raw.end) is None]
    for raw in misaligned:
        problems.append(
            f"{raw.where}: {_describe(text, raw)} does not start and end on token boundaries "
            "(a span must not split a word)"
        )
    if misaligned:
        return ids, attrs
    readings = span_values(text, [(s.start, s.end, s.label) for s in unread], _published(draft))
    for raw, reading in zip(unread, readings, strict=True):
        if reading is None or (raw.label == "OUTCOME" and reading.get("value") is None):
            what = (
                "has no number skytally can read"
                if raw.label == "COUNT"
                else f"is not an outcome skytally knows ({', '.join(OUTCOME_VALUES)})"
            )
            problems.append(f"{raw.where}: {_describe(text, raw)} {what}")
            continue
        if raw.label == "PLACE" and reading.get("code") is None:
            notes.append(
                f"{raw.where}: {_describe(text, raw)} is not in the gazetteer; its code is none"
            )
        attrs[raw.key] = reading
    return ids, attrs


def _relations(draft: Draft, ids: dict[str, str], problems: list[str]) -> list[RelationRecord]:
    """The tool's relations between skytally span ids; labels map one to one."""
    relations: list[RelationRecord] = []
    label_of = {raw.key: raw.label for raw in draft.spans}
    seen: set[tuple[str, str, str]] = set()
    for rel in draft.relations:
        name = f"relation {rel.label!r} from {rel.head!r} to {rel.child!r}"
        if rel.label not in RELATION_TARGETS:
            problems.append(
                f"{rel.where}: {name}: skytally's relations are {', '.join(RELATION_TARGETS)}"
            )
            continue
        if rel.head not in ids or rel.child not in ids:
            missing = rel.head if rel.head not in ids else rel.child
            problems.append(f"{rel.where}: {name}: there is no span {missing!r}")
            continue
        head_label, child_label = label_of[rel.head], label_of[rel.child]
        expected = RELATION_TARGETS[rel.label]
        if head_label != "COUNT" or child_label != expected:
            backwards = child_label == "COUNT" and rel.label != "part_of"
            hint = " (draw it from the COUNT)" if backwards else ""
            problems.append(
                f"{rel.where}: {name} goes from a {head_label} to a {child_label}; "
                f"a {rel.label} relation goes from a COUNT to a {expected}{hint}"
            )
            continue
        triple = (ids[rel.head], ids[rel.child], rel.label)
        if triple in seen:
            problems.append(f"{rel.where}: {name} is given twice")
            continue
        seen.add(triple)
        relations.append(RelationRecord(head=triple[0], child=triple[1], label=rel.label))
    return relations


def _published(draft: Draft) -> str | None:
    return draft.published if isinstance(draft.published, str) else None


def _restore_order(
    snapshot: dict[str, Any] | None, spans: list[SpanRecord], relations: list[RelationRecord]
) -> tuple[list[SpanRecord], list[RelationRecord], bool]:
    """Spans and relations in the snapshot's order when the tool left them as they were
    (tools re-sort), and whether they are exactly the snapshot's."""
    if not snapshot:
        return spans, relations, False
    try:
        want_spans = [SpanRecord.model_validate(s) for s in snapshot["spans"]]
        want_relations = [RelationRecord.model_validate(r) for r in snapshot["relations"]]
    except (ValidationError, TypeError, KeyError):
        return spans, relations, False
    same_spans = sorted(spans, key=lambda s: s.id) == sorted(want_spans, key=lambda s: s.id)
    rel_key = lambda r: (r.head, r.child, r.label)  # noqa: E731
    same_relations = sorted(relations, key=rel_key) == sorted(want_relations, key=rel_key)
    if same_spans and same_relations:
        return want_spans, want_relations, True
    return spans, relations, False


def imply_launched_totals(record: ArticleRecord, where: str) -> list[str]:
    """A COUNT with no outcome word that other counts are `part_of` is the launched total.

    docs/annotation.md: in "11 of 17 missiles were intercepted" 17 is the
    launched total though no word says so. Markup writes that as `out=launched`;
    annotation tools cannot, so it is read from the structure, and said."""
    own: dict[str, set[str]] = {}
    parent: dict[str, str] = {}
    for rel in record.relations:
        own.setdefault(rel.head, set()).add(rel.label)
        if rel.label == "part_of":
            parent.setdefault(rel.head, rel.child)
    totals = set(parent.values())
    counts = {s.id: s for s in record.spans if s.label == "COUNT"}

    def has_outcome(count_id: str, trail: frozenset[str] = frozenset()) -> bool:
        if "outcome" in own.get(count_id, set()) or "outcome" in counts[count_id].attrs:
            return True
        above = parent.get(count_id)
        return above is not None and above not in trail and has_outcome(above, trail | {count_id})

    notes: list[str] = []
    for count in sorted(counts.values(), key=lambda s: s.start):
        if count.id in totals and not has_outcome(count.id):
            count.attrs["outcome"] = "launched"
            notes.append(
                f"{where}: COUNT {count.id} {count.text!r} has no outcome word and other counts "
                "are part of it: read as the launched total"
            )
    return notes


# --------------------------------------------------------------------------- JSON helpers


def _relation_items(container: dict[str, Any], where: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Each relation object of a task with its place, checking the shapes."""
    relations = container.get("relations") or []
    if not isinstance(relations, list):
        raise _problem(where, "'relations' must be a list")
    for index, rel in enumerate(relations):
        rel_where = f"{where}: relations[{index}]"
        if not isinstance(rel, dict):
            raise _problem(rel_where, "a relation must be a JSON object")
        yield rel, rel_where


def _json_lines(path: Path) -> Iterator[tuple[str, Any]]:
    """(file:line, parsed object or DataError) for each non-blank line."""
    return iter_lines(path, parse_object)


def _meta_fields(source: dict[str, Any], where: str, fallback_id: str) -> dict[str, Any]:
    """Article id, date, style and split from a tool's metadata dict."""
    article_id = source.get("article_id", source.get("id", fallback_id))
    if not isinstance(article_id, (str, int)) or isinstance(article_id, bool):
        raise _problem(where, f"article_id {article_id!r} is not a string")
    return {
        "article_id": str(article_id),
        "published": source.get("published"),
        "source_style": source.get("source_style", "other"),
        "split": source.get("split"),
        "source_url": source.get("source_url"),
    }


def _snapshot_of(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def article_meta(record: ArticleRecord) -> dict[str, Any]:
    """The record-level fields a tool has no place for, in the shape importers read."""
    meta: dict[str, Any] = {"article_id": record.id}
    if record.published is not None:
        meta["published"] = record.published
    meta["source_style"] = record.source_style
    if record.split is not None:
        meta["split"] = record.split
    if record.source_url is not None:
        meta["source_url"] = record.source_url
    return meta


def snapshot(record: ArticleRecord) -> dict[str, Any]:
    """What restores the record exactly: span values, relations, events."""
    return {
        "spans": [s.model_dump(mode="json") for s in record.spans],
        "relations": [r.model_dump(mode="json") for r in record.relations],
        "events": [e.model_dump(mode="json") for e in record.events],
    }


# --------------------------------------------------------------------------- Prodigy


def parse_prodigy(path: Path) -> tuple[Parsed, list[str]]:
    parsed: Parsed = []
    skipped: dict[str, list[str]] = {}
    for where, item in _json_lines(path):
        if isinstance(item, DataError):
            parsed.append((where, item))
            continue
        answer = item.get("answer", "accept")
        if answer != "accept":
            # a rejected or ignored task is the annotator saying "not this one"
            skipped.setdefault(str(answer), []).append(where.rsplit(":", 1)[1])
            continue
        try:
            parsed.append((where, _prodigy_draft(item, where, path)))
        except DataError as error:
            parsed.append((where, error))
    notes = [
        f"{path}: skipped {len(lines)} task(s) answered {answer!r} (lines {', '.join(lines)})"
        for answer, lines in skipped.items()
    ]
    return parsed, notes


def _prodigy_draft(task: dict[str, Any], where: str, path: Path) -> Draft:
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    text = task.get("text")
    tokens = task.get("tokens") if isinstance(task.get("tokens"), list) else []
    line = where.rsplit(":", 1)[1]
    draft = Draft(
        where=where,
        text=text,
        snapshot=_snapshot_of(task.get(SNAPSHOT_KEY)),
        **_meta_fields(meta, where, f"{path.stem}-{line}"),
    )
    spans = task.get("spans") or []
    if not isinstance(spans, list):
        raise _problem(where, "'spans' must be a list")
    by_token_end: dict[Any, list[str]] = {}
    for index, span in enumerate(spans):
        span_where = f"{where}: spans[{index}]"
        if not isinstance(span, dict):
            raise _problem(span_where, "a span must be a JSON object")
        start, end = _prodigy_offsets(span, tokens, span_where)
        key = f"{start}:{end}"
        draft.spans.append(RawSpan(key, start, end, span.get("label"), span_where))
        by_token_end.setdefault(span.get("token_end"), []).append(key)
    for rel, rel_where in _relation_items(task, where):
        head = _prodigy_end(rel, "head", tokens, by_token_end, rel_where)
        child = _prodigy_end(rel, "child", tokens, by_token_end, rel_where)
        draft.relations.append(RawRelation(head, child, rel.get("label"), rel_where))
    return draft


def _prodigy_offsets(span: dict[str, Any], tokens: list[Any], where: str) -> tuple[Any, Any]:
    start, end = span.get("start"), span.get("end")
    if start is None or end is None:
        # token offsets only (a task built by a script): characters from the tokens
        first, last = span.get("token_start"), span.get("token_end")
        try:
            start, end = tokens[first]["start"], tokens[last]["end"]
        except (TypeError, IndexError, KeyError):
            raise _problem(where, "span has neither start/end nor valid token offsets") from None
    return start, end


def _prodigy_end(
    rel: dict[str, Any],
    side: str,
    tokens: list[Any],
    by_token_end: dict[Any, list[str]],
    where: str,
) -> str:
    """The span one end of a relation names: its `head_span`/`child_span`, or else
    the span whose last token is `head`/`child` (what rel.manual's indices mean)."""
    span = rel.get(f"{side}_span")
    if isinstance(span, dict):
        start, end = _prodigy_offsets(span, tokens, f"{where}: {side}_span")
        return f"{start}:{end}"
    index = rel.get(side)
    keys = by_token_end.get(index, [])
    if len(keys) == 1:
        return keys[0]
    if not keys:
        return f"token {index}"  # named in the "no span" message
    raise _problem(where, f"{side} token {index} ends {len(keys)} spans; add {side}_span")


def to_prodigy(record: ArticleRecord, where: str, *, gold: bool = True) -> dict[str, Any]:
    """A rel.manual task. `gold` adds the answer and the round-trip snapshot; without
    it the task is a pre-annotation for rel.manual to open."""
    doc = make_doc(record.text)
    tokens = [
        {
            "text": t.text,
            "start": t.idx,
            "end": t.idx + len(t.text),
            "id": t.i,
            "ws": bool(t.whitespace_),
        }
        for t in doc
    ]
    spans: dict[str, dict[str, Any]] = {}
    for span in record.spans:
        tokens_of = doc.char_span(span.start, span.end)
        if tokens_of is None:
            raise _off_tokens(where, record, span)
        spans[span.id] = {
            "start": span.start,
            "end": span.end,
            "token_start": tokens_of.start,
            "token_end": tokens_of.end - 1,
            "label": span.label,
        }
    relations = [
        {
            "head": spans[rel.head]["token_end"],
            "child": spans[rel.child]["token_end"],
            "head_span": spans[rel.head],
            "child_span": spans[rel.child],
            "label": rel.label,
        }
        for rel in record.relations
    ]
    task: dict[str, Any] = {
        "text": record.text,
        "tokens": tokens,
        "spans": list(spans.values()),
        "relations": relations,
        "meta": article_meta(record),
    }
    if gold:
        task["answer"] = "accept"
        # beside "meta", not in it: Prodigy shows meta on the card, and this is bulky
        task[SNAPSHOT_KEY] = snapshot(record)
    return task


def _off_tokens(where: str, record: ArticleRecord, span: SpanRecord) -> DataError:
    return _problem(
        where,
        f"{record.id}: span {span.id} ({span.label} {span.text!r}) at {span.start}-{span.end} "
        "does not start and end on token boundaries",
    )


# --------------------------------------------------------------------------- Label Studio


def _load_json(path: Path) -> Any:
    raw = read_text_file(path)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise DataError(
            Errors.E010.format(
                where=f"{path}:{error.lineno}", reason=f"{error.msg} (column {error.colno})"
            )
        ) from None


def parse_labelstudio(path: Path) -> tuple[Parsed, list[str]]:
    payload = _load_json(path)
    tasks = [payload] if isinstance(payload, dict) else payload
    if not isinstance(tasks, list):
        raise _problem(str(path), "a Label Studio export is a JSON list of tasks")
    parsed: Parsed = []
    notes: list[str] = []
    for index, task in enumerate(tasks):
        where = f"{path}: task {index}"
        if isinstance(task, dict) and task.get("id") is not None:
            where += f" (id {task['id']})"
        try:
            parsed.append((where, _labelstudio_draft(task, where, index, path, notes)))
        except DataError as error:
            parsed.append((where, error))
    return parsed, notes


def _labelstudio_draft(task: Any, where: str, index: int, path: Path, notes: list[str]) -> Draft:
    if not isinstance(task, dict):
        raise _problem(where, "a task must be a JSON object")
    data = task.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise _problem(where, "the task has no data.text (the labelling config's $text)")
    done = [
        a
        for a in task.get("annotations") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if done:
        chosen = done[0]
        if len(done) > 1:
            notes.append(
                f"{where}: has {len(done)} annotations; used the first (id {chosen.get('id')})"
            )
    elif task.get("predictions"):
        chosen = task["predictions"][0]
        if not isinstance(chosen, dict):
            raise _problem(where, "a prediction must be a JSON object")
        notes.append(
            f"{where}: has no annotation; used the prediction of "
            f"{chosen.get('model_version', 'an unnamed model')}"
        )
    else:
        raise _problem(where, "the task has no annotation (and no prediction)")
    task_id = task.get("id", index)
    draft = Draft(
        where=where,
        text=data["text"],
        snapshot=_snapshot_of(data.get(SNAPSHOT_KEY)),
        **_meta_fields(data, where, f"{path.stem}-{task_id}"),
    )
    ignored: dict[str, int] = {}
    for number, item in enumerate(chosen.get("result") or []):
        item_where = f"{where}: result[{number}]"
        if not isinstance(item, dict):
            raise _problem(item_where, "a result must be a JSON object")
        kind = item.get("type")
        if kind == "labels":
            draft.spans.append(_labelstudio_span(item, data["text"], item_where, number))
        elif kind == "relation":
            draft.relations.extend(_labelstudio_relations(item, item_where))
        else:
            ignored[str(kind)] = ignored.get(str(kind), 0) + 1
    for kind, n in ignored.items():
        notes.append(f"{where}: ignored {n} result(s) of type {kind!r} (not spans or relations)")
    return draft


def _labelstudio_span(item: dict[str, Any], text: str, where: str, number: int) -> RawSpan:
    value = item.get("value")
    if not isinstance(value, dict):
        raise _problem(where, "a labels result needs a value")
    labels = value.get("labels")
    if not isinstance(labels, list) or len(labels) != 1:
        raise _problem(where, f"a span needs exactly one label, it has {labels!r}")
    start, end = value.get("start"), value.get("end")
    if (
        isinstance(value.get("text"), str)
        and _is_offset(start)
        and _is_offset(end)
        and text[start:end] != value["text"]
    ):
        start, end = _from_utf16(text, start, end, value["text"], where)
    key = str(item.get("id", f"#{number}"))
    return RawSpan(key, start, end, labels[0], f"{where} (id {key})")


def _from_utf16(text: str, start: int, end: int, expected: str, where: str) -> tuple[int, int]:
    """Label Studio versions that count in JavaScript string units (UTF-16) put every
    offset after an emoji one too far; translate, or say the text does not match."""
    units = 0
    positions: dict[int, int] = {}
    for index, char in enumerate(text):
        positions[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    positions[units] = len(text)
    if start in positions and end in positions:
        fixed = positions[start], positions[end]
        if text[fixed[0] : fixed[1]] == expected:
            return fixed
    raise _problem(
        where,
        f"offsets {start}-{end} cover {text[start:end]!r} in data.text, but the region's text "
        f"is {expected!r}",
    )


def _labelstudio_relations(item: dict[str, Any], where: str) -> list[RawRelation]:
    head, child = item.get("from_id"), item.get("to_id")
    direction = item.get("direction", "right")
    if direction == "left":
        head, child = child, head
    elif direction != "right":
        raise _problem(
            where,
            f"relation direction {direction!r}: skytally relations point one way (from the COUNT)",
        )
    labels = item.get("labels")
    if not isinstance(labels, list) or not labels:
        raise _problem(where, f"relation {head} -> {child} has no label")
    # one arrow with several labels (Relations choice="multiple") is several relations
    return [RawRelation(str(head), str(child), label, where) for label in labels]


def labelstudio_result(record: ArticleRecord) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = [
        {
            "id": span.id,
            "from_name": LS_FROM_NAME,
            "to_name": LS_TO_NAME,
            "type": "labels",
            "value": {
                "start": span.start,
                "end": span.end,
                "text": span.text,
                "labels": [span.label],
            },
        }
        for span in record.spans
    ]
    result.extend(
        {
            "from_id": rel.head,
            "to_id": rel.child,
            "type": "relation",
            "direction": "right",
            "labels": [rel.label],
        }
        for rel in record.relations
    )
    return result


def to_labelstudio(record: ArticleRecord, index: int) -> dict[str, Any]:
    return {
        "id": index + 1,
        "data": {"text": record.text, **article_meta(record), SNAPSHOT_KEY: snapshot(record)},
        "annotations": [
            {"result": labelstudio_result(record), "was_cancelled": False, "ground_truth": False}
        ],
    }


# --------------------------------------------------------------------------- doccano


def parse_doccano(path: Path) -> tuple[Parsed, list[str]]:
    parsed: Parsed = []
    for where, item in _json_lines(path):
        if isinstance(item, DataError):
            parsed.append((where, item))
            continue
        try:
            parsed.append((where, _doccano_draft(item, where, path)))
        except DataError as error:
            parsed.append((where, error))
    return parsed, []


def _doccano_draft(item: dict[str, Any], where: str, path: Path) -> Draft:
    # doccano owns "id" (its example number), so the article id is "article_id"
    fallback = f"{path.stem}-{item.get('id', where.rsplit(':', 1)[1])}"
    fields = _meta_fields({k: v for k, v in item.items() if k != "id"}, where, fallback)
    draft = Draft(
        where=where, text=item.get("text"), snapshot=_snapshot_of(item.get(SNAPSHOT_KEY)), **fields
    )
    entities = item.get("entities")
    if entities is None and isinstance(item.get("label"), list):
        # a sequence-labelling project without relations: "label": [[start, end, LABEL], ...]
        entities = [
            {"id": f"#{n}", "start_offset": e[0], "end_offset": e[1], "label": e[2]}
            if isinstance(e, list) and len(e) == 3
            else e
            for n, e in enumerate(item["label"])
        ]
    if not isinstance(entities or [], list):
        raise _problem(where, "'entities' must be a list")
    for index, entity in enumerate(entities or []):
        entity_where = f"{where}: entities[{index}]"
        if not isinstance(entity, dict):
            raise _problem(
                entity_where,
                "an entity must be a JSON object with id, label, start_offset and end_offset",
            )
        key = str(entity.get("id", f"#{index}"))
        draft.spans.append(
            RawSpan(
                key,
                entity.get("start_offset"),
                entity.get("end_offset"),
                entity.get("label"),
                f"{entity_where} (id {key})",
            )
        )
    for rel, rel_where in _relation_items(item, where):
        draft.relations.append(
            RawRelation(str(rel.get("from_id")), str(rel.get("to_id")), rel.get("type"), rel_where)
        )
    return draft


def to_doccano(record: ArticleRecord, index: int) -> dict[str, Any]:
    number = {span.id: n for n, span in enumerate(record.spans, start=1)}
    return {
        "id": index + 1,
        "text": record.text,
        "entities": [
            {"id": number[s.id], "label": s.label, "start_offset": s.start, "end_offset": s.end}
            for s in record.spans
        ],
        "relations": [
            {"id": n, "from_id": number[r.head], "to_id": number[r.child], "type": r.label}
            for n, r in enumerate(record.relations, start=1)
        ],
        # doccano keeps unknown keys as the example's metadata and exports them again
        **article_meta(record),
        SNAPSHOT_KEY: snapshot(record),
    }


# --------------------------------------------------------------------------- spaCy DocBin


def to_doc(record: ArticleRecord, where: str) -> Doc:
    """A Doc with the spans as entities and everything else in the pipeline's attributes:
    links and values as the pipeline writes them, gold events as the scorer reads them."""
    doc = make_doc(record.text)
    ents = []
    for span in sorted(record.spans, key=lambda s: s.start):
        ent = doc.char_span(span.start, span.end, label=span.label)
        if ent is None:
            raise _off_tokens(where, record, span)
        ents.append(ent)
    try:
        doc.ents = ents
    except ValueError:
        raise _problem(where, f"{record.id}: spans overlap; a Doc's entities cannot") from None
    spans = record.span_by_id()
    key = lambda s: attributes.span_key(s.start, s.end)  # noqa: E731
    doc._.published = record.published
    doc._.skytally_values = {key(s): s.attrs for s in record.spans}
    doc._.links = [
        [
            spans[r.head].start,
            spans[r.head].end,
            spans[r.child].start,
            spans[r.child].end,
            r.label,
            1.0,
        ]
        for r in record.relations
    ]
    # the bare outcome of a count ("11 of 17": 17 launched) where the linker keeps it
    doc._.count_info = {
        key(s): {"outcome": s.attrs["outcome"], "confidence": 1.0, "unpairable": False}
        for s in record.spans
        if s.label == "COUNT" and "outcome" in s.attrs
    }
    doc._.event_data = [e.model_dump(mode="json") for e in record.events]
    doc.user_data[DOC_RECORD_KEY] = {
        "id": record.id,
        "source_style": record.source_style,
        "split": record.split,
        "source_url": record.source_url,
        "spans": [[s.id, s.start, s.end] for s in record.spans],
    }
    return doc


def parse_docbin(path: Path) -> tuple[Parsed, list[str]]:
    try:
        docbin = DocBin(store_user_data=True).from_disk(path)
    except OSError as error:
        reason = error.strerror or str(error)
        raise DataError(Errors.E004.format(path=path, reason=reason)) from None
    except Exception as error:  # msgpack / zlib raise many types for a file that is not a DocBin
        raise DataError(
            Errors.E004.format(path=path, reason=f"not a spaCy DocBin ({type(error).__name__})")
        ) from None
    parsed: Parsed = []
    for index, doc in enumerate(docbin.get_docs(reader().vocab)):
        where = f"{path}: doc {index}"
        try:
            parsed.append((where, _doc_draft(doc, where, f"{path.stem}-{index}")))
        except DataError as error:
            parsed.append((where, error))
    return parsed, []


def _doc_draft(doc: Doc, where: str, fallback_id: str) -> Draft:
    stored = doc.user_data.get(DOC_RECORD_KEY)
    stored = stored if isinstance(stored, dict) else {}
    values: dict[str, Any] = doc._.skytally_values or {}
    draft = Draft(
        where=where,
        text=doc.text,
        article_id=stored.get("id", fallback_id),
        published=doc._.published,
        source_style=stored.get("source_style", "other"),
        split=stored.get("split"),
        source_url=stored.get("source_url"),
    )
    for ent in doc.ents:
        key = attributes.span_key(ent.start_char, ent.end_char)
        draft.spans.append(
            RawSpan(
                key,
                ent.start_char,
                ent.end_char,
                ent.label_,
                f"{where}: entity {ent.label_} {ent.text!r}",
                values.get(key),
            )
        )
    for number, row in enumerate(doc._.links or []):
        if not isinstance(row, (list, tuple)) or len(row) < 5:
            raise _problem(
                where,
                f"links[{number}] is not [head_start, head_end, child_start, "
                "child_end, label, score]",
            )
        draft.relations.append(
            RawRelation(
                attributes.span_key(row[0], row[1]),
                attributes.span_key(row[2], row[3]),
                row[4],
                f"{where}: links[{number}]",
            )
        )
    if stored.get("spans") is not None:
        label_of = {(e.start_char, e.end_char): e.label_ for e in doc.ents}
        draft.snapshot = {
            "spans": [
                {
                    "id": span_id,
                    "start": start,
                    "end": end,
                    "label": label_of.get((start, end)),
                    "text": doc.text[start:end],
                    "attrs": values.get(attributes.span_key(start, end), {}),
                }
                for span_id, start, end in stored["spans"]
            ],
            "events": doc._.event_data or [],
        }
        ids = {attributes.span_key(s, e): i for i, s, e in stored["spans"]}
        draft.snapshot["relations"] = [
            {"head": ids.get(r.head), "child": ids.get(r.child), "label": r.label}
            for r in draft.relations
        ]
    return draft


def write_docbin(records: Sequence[tuple[str, ArticleRecord]], path: Path) -> int:
    docbin = DocBin(store_user_data=True)
    for where, record in records:
        docbin.add(to_doc(record, where))
    docbin.to_disk(path)
    return len(records)


# --------------------------------------------------------------------------- read / write


PARSERS = {
    "prodigy": parse_prodigy,
    "labelstudio": parse_labelstudio,
    "doccano": parse_doccano,
    "spacy": parse_docbin,
}


def read_annotations(path: Path, source: str) -> Imported:
    """Every article of `path` in format `source`, as checked skytally records.

    Raises DataError listing every problem (each `file:line: what`)."""
    if source == "markup":
        from .markup import read_markup

        files = sorted(path.glob("*.txt")) if path.is_dir() else [path]
        if not path.exists() or not files:
            raise DataError(Errors.E004.format(path=path, reason="no markup file here"))
        return Imported([(f"{f} ({r.id})", r) for f in files for r in read_markup(f)])
    if source == "jsonl":
        return Imported(read_records(path))
    if source not in PARSERS:
        raise InputError(Errors.E020.format(source=source, target="?", supported=SUPPORTED))
    _check_readable(path)
    parsed, notes = PARSERS[source](path)
    records: list[tuple[str, ArticleRecord]] = []
    problems: list[str] = []
    for where, item in parsed:
        if isinstance(item, DataError):
            problems.extend(item.problems or [str(item)])
            continue
        try:
            record, more = assemble(item)
        except DataError as error:
            problems.extend(error.problems or [str(error)])
            continue
        records.append((where, record))
        notes.extend(more)
    if problems:
        raise DataError(problems[0], problems)
    return Imported(records, notes)


def check_writable(record: ArticleRecord, where: str) -> None:
    """What every target needs: spans inside the text, unique ids, relations to real spans."""
    problems: list[str] = []
    ids: set[str] = set()
    for span in record.spans:
        if span.id in ids:
            problems.append(f"{where}: {record.id}: span id {span.id!r} is used twice")
        ids.add(span.id)
        if not (0 <= span.start < span.end <= len(record.text)) or (
            record.text[span.start : span.end] != span.text
        ):
            problems.append(
                f"{where}: {record.id}: span {span.id} ({span.label} {span.text!r}): offsets "
                f"{span.start}-{span.end} do not hold its text"
            )
    for rel in record.relations:
        if rel.head not in ids or rel.child not in ids:
            problems.append(
                f"{where}: {record.id}: relation {rel.label} {rel.head}->{rel.child} names a "
                "span that does not exist"
            )
    if problems:
        raise DataError(problems[0], problems)


def write_annotations(records: Sequence[tuple[str, ArticleRecord]], path: Path, target: str) -> int:
    """Write `records` to `path` in format `target`; returns how many."""
    problems: list[str] = []
    for where, record in records:
        try:
            check_writable(record, where)
        except DataError as error:
            problems.extend(error.problems)
    if problems:
        raise DataError(problems[0], problems)
    if target == "jsonl":
        return write_jsonl((r for _, r in records), path)
    if target == "spacy":
        return write_docbin(records, path)
    if target == "labelstudio":
        return write_tasks([to_labelstudio(r, i) for i, (_, r) in enumerate(records)], path, target)
    if target == "prodigy":
        return write_tasks([to_prodigy(r, w) for w, r in records], path, target)
    if target == "doccano":
        return write_tasks([to_doccano(r, i) for i, (_, r) in enumerate(records)], path, target)
    raise InputError(Errors.E020.format(source="?", target=target, supported=SUPPORTED))


def write_tasks(tasks: Sequence[dict[str, Any]], path: Path, target: str) -> int:
    """Label Studio imports one JSON list; Prodigy and doccano read JSONL; markup is
    articles separated by a line of `=`."""
    with path.open("w", encoding="utf-8") as handle:
        if target == "markup":
            handle.write("=====\n".join(task["markup"] for task in tasks))
        elif target == "labelstudio":
            json.dump(list(tasks), handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        else:
            for task in tasks:
                handle.write(json.dumps(task, ensure_ascii=False) + "\n")
    return len(tasks)


@dataclass
class Conversion:
    source: str
    target: str
    count: int
    notes: list[str]


def convert(
    input_path: Path, output_path: Path, source: str | None = None, target: str | None = None
) -> Conversion:
    """Read `input_path` as `source` and write it to `output_path` as `target`;
    formats left out are inferred from the file names."""
    if not input_path.exists():
        # the real cause, not "cannot tell the format" of a file that is not there
        raise DataError(Errors.E004.format(path=input_path, reason="no such file or folder"))
    # both formats are settled (and a bad one refused) before anything is read
    source = source or infer_format(input_path, reading=True)
    target = target or infer_format(output_path, reading=False)
    check_conversion(source, target)
    imported = read_annotations(input_path, source)
    if not imported.records:
        # writing an empty file and saying "wrote 0 record(s)" hides a wrong input
        raise DataError(Errors.E013.format(path=input_path, what=f"{source} records"))
    try:
        count = write_annotations(imported.records, output_path, target)
    except OSError as error:
        raise DataError(Errors.E023.format(path=output_path, reason=error.strerror)) from None
    return Conversion(source, target, count, imported.notes)


# --------------------------------------------------------------------------- annotate


@dataclass(frozen=True)
class Article:
    """A text to pre-annotate."""

    id: str
    text: str
    published: str | None
    where: str


def read_articles(paths: Sequence[Path], published: str | None = None) -> list[Article]:
    """Articles from .txt files (one each) and JSONL files (one per line, with "text"
    and optionally "id" and "published"); `published` is the default date."""
    from ..times import parse_published

    def checked(value: Any, where: str) -> str | None:
        try:
            moment = parse_published(value)
        except SkytallyError as error:
            raise _problem(where, str(error)) from None
        return moment.isoformat() if moment is not None else None

    default = checked(published, "--published")
    articles: list[Article] = []
    problems: list[str] = []
    for path in paths:
        _check_readable(path)
        if path.suffix.lower() == ".jsonl":
            for where, item in _json_lines(path):
                if isinstance(item, DataError):
                    problems.append(str(item))
                    continue
                text = item.get("text")
                if not isinstance(text, str) or not text.strip():
                    problems.append(f'{where}: the line has no "text"')
                    continue
                try:
                    date = checked(item["published"], where) if "published" in item else default
                except DataError as error:
                    problems.append(str(error))
                    continue
                line = where.rsplit(":", 1)[1]
                articles.append(
                    Article(str(item.get("id", f"{path.stem}-{line}")), text, date, where)
                )
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise DataError(Errors.E003.format(path=path, position=error.start)) from None
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise DataError(Errors.E004.format(path=path, reason=reason)) from None
        if not text.strip():
            problems.append(Errors.E013.format(path=path, what="text"))
            continue
        articles.append(Article(path.stem, text, default, str(path)))
    if problems:
        raise DataError(problems[0], problems)
    if not articles:
        # nothing to pre-annotate: an empty task file would look like a result
        raise DataError(Errors.E013.format(path=", ".join(map(str, paths)), what="articles"))
    return articles


def _check_readable(path: Path) -> None:
    """A file, device or pipe that is there (a folder or a missing path says which)."""
    if path.is_dir():
        raise DataError(Errors.E004.format(path=path, reason="it is a folder, not a file"))
    if not path.exists():
        raise DataError(Errors.E004.format(path=path, reason="no such file"))


def prediction_record(doc: Doc, article: Article) -> ArticleRecord:
    """The pipeline's spans and links on `doc` as an annotation record (no events: a
    pre-annotation is for a person to correct, events are derived on import)."""
    values: dict[str, Any] = doc._.skytally_values or {}
    info: dict[str, Any] = doc._.count_info or {}
    # counts and outcome words the normaliser could not read take part in no event
    ents = [
        e
        for e in doc.ents
        if e.label_ in SPAN_LABELS
        and (
            e.label_ not in ("COUNT", "OUTCOME")
            or attributes.span_key(e.start_char, e.end_char) in values
        )
    ]
    counters = dict.fromkeys(ID_PREFIX.values(), 0)
    spans: list[SpanRecord] = []
    id_of: dict[str, str] = {}
    for ent in ents:
        key = attributes.span_key(ent.start_char, ent.end_char)
        prefix = ID_PREFIX[ent.label_]
        counters[prefix] += 1
        id_of[key] = f"{prefix}{counters[prefix]}"
        attrs = gold_attrs(ent.label_, values.get(key) or {})
        if ent.label_ == "COUNT" and (info.get(key) or {}).get("outcome"):
            attrs["outcome"] = info[key]["outcome"]
        spans.append(
            SpanRecord(
                id=id_of[key],
                start=ent.start_char,
                end=ent.end_char,
                label=ent.label_,
                text=ent.text,
                attrs=attrs,
            )
        )
    relations: list[RelationRecord] = []
    seen: set[tuple[str, str, str]] = set()
    for row in doc._.links or []:
        head = id_of.get(attributes.span_key(row[0], row[1]))
        child = id_of.get(attributes.span_key(row[2], row[3]))
        if head is None or child is None or row[4] not in RELATION_TARGETS:
            continue
        if (head, child, row[4]) not in seen:
            seen.add((head, child, row[4]))
            relations.append(RelationRecord(head=head, child=child, label=row[4]))
    return ArticleRecord(
        id=article.id,
        text=article.text,
        published=article.published,
        spans=spans,
        relations=relations,
    )


def prediction_task(
    record: ArticleRecord, target: str, model_version: str, score: float | None = None
) -> dict[str, Any]:
    """A pre-annotated task: Label Studio `predictions`, or a Prodigy task rel.manual opens."""
    if target == "prodigy":
        return to_prodigy(record, record.id, gold=False)
    if target == "markup":
        from .markup import to_markup

        return {"markup": to_markup(record)}
    prediction: dict[str, Any] = {
        "model_version": model_version,
        "result": labelstudio_result(record),
    }
    if score is not None:
        prediction["score"] = score
    return {"data": {"text": record.text, **article_meta(record)}, "predictions": [prediction]}
