"""skytally markup: a compact inline format for annotating articles by hand.

    id: bulletin-0001
    published: 2025-11-01T09:00:00+03:00
    source_style: ministry_bulletin
    split: train
    ---
    [Air defence systems]{...} destroyed [98]{COUNT#c1 value=98 out=o1 weapon=w1}
    [drones]{WEAPON#w1 cat=drone} ...

A file holds one or more articles separated by a line of five or more `=`.
`[surface]{LABEL#id key=value ...}` marks a span; relations are written as
attributes of the COUNT they start from. docs/annotation.md is the
reference. `build_record` turns one article into an `ArticleRecord` with
exact offsets, relations and the expected events.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import DataError, Errors
from .format import ArticleRecord, RelationRecord, SpanRecord, read_text_file

SPAN_MARK = re.compile(r"\[(?P<surface>[^\[\]\n]+)\]\{(?P<spec>[^{}\n]+)\}")
ARTICLE_SEPARATOR = re.compile(r"^={5,}\s*$", re.MULTILINE)
HEADER_KEYS = ("id", "published", "source_style", "split", "source_url")

#: COUNT attribute -> relation label
RELATION_ATTRS = {
    "place": "place",
    "time": "time",
    "weapon": "weapon",
    "by": "claimant",
    "of": "part_of",
    "to": "heading_to",
    "out": "outcome",
}
OUTCOME_VALUES = frozenset({"destroyed", "suppressed", "launched", "hit"})
QUALIFIER_ALIASES = {
    "exact": "exact",
    "at_least": "at_least",
    "more_than": "more_than",
    "at_most": "at_most",
    "approximate": "approximate",
    "approx": "approximate",
}


@dataclass
class MarkupArticle:
    header: dict[str, str]
    body: str
    line: int  # line of the header's first line in the source file
    path: str


@dataclass
class _Span:
    id: str
    label: str
    start: int
    end: int
    text: str
    attrs: dict[str, str] = field(default_factory=dict)


def split_articles(source: str, path: str = "<string>") -> list[MarkupArticle]:
    articles: list[MarkupArticle] = []
    position = 0
    chunks: list[tuple[int, str]] = []
    for separator in ARTICLE_SEPARATOR.finditer(source):
        chunks.append((position, source[position : separator.start()]))
        position = separator.end()
    chunks.append((position, source[position:]))
    for offset, chunk in chunks:
        if not chunk.strip():
            continue
        first_line = source.count("\n", 0, offset) + 1 + (len(chunk) - len(chunk.lstrip("\n")))
        chunk = chunk.strip("\n")
        head, sep, body = chunk.partition("\n---\n")
        if not sep:
            raise DataError(
                Errors.E012.format(
                    where=f"{path}:{first_line}", reason="header must end with a line '---'"
                )
            )
        header: dict[str, str] = {}
        for index, raw in enumerate(head.splitlines()):
            key, colon, value = raw.partition(":")
            if not colon or key.strip() not in HEADER_KEYS:
                raise DataError(
                    Errors.E012.format(
                        where=f"{path}:{first_line + index}",
                        reason=f"header line {raw!r} is not one of {', '.join(HEADER_KEYS)}",
                    )
                )
            header[key.strip()] = value.strip()
        body_line = first_line + head.count("\n") + 2
        articles.append(
            MarkupArticle(header=header, body=body.strip("\n"), line=body_line, path=path)
        )
    return articles


def _parse_spec(spec: str, where: str) -> tuple[str, str, dict[str, str]]:
    try:
        parts = shlex.split(spec)
    except ValueError as error:
        raise DataError(Errors.E012.format(where=where, reason=f"{spec!r}: {error}")) from None
    if not parts or "#" not in parts[0]:
        raise DataError(
            Errors.E012.format(where=where, reason=f"{{{spec}}} must start with LABEL#id")
        )
    label, _, span_id = parts[0].partition("#")
    attrs: dict[str, str] = {}
    for part in parts[1:]:
        key, eq, value = part.partition("=")
        if not eq:
            raise DataError(
                Errors.E012.format(where=where, reason=f"attribute {part!r} needs key=value")
            )
        attrs[key] = value
    return label, span_id, attrs


def strip_markup(article: MarkupArticle) -> tuple[str, list[_Span]]:
    """The plain text and the spans (with offsets into it) of one article."""
    pieces: list[str] = []
    spans: list[_Span] = []
    cursor = 0
    length = 0
    for match in SPAN_MARK.finditer(article.body):
        pieces.append(article.body[cursor : match.start()])
        length += match.start() - cursor
        line = article.line + article.body.count("\n", 0, match.start())
        label, span_id, attrs = _parse_spec(match["spec"], f"{article.path}:{line}")
        surface = match["surface"]
        spans.append(_Span(span_id, label, length, length + len(surface), surface, attrs))
        spans[-1].attrs["_line"] = str(line)
        pieces.append(surface)
        length += len(surface)
        cursor = match.end()
    pieces.append(article.body[cursor:])
    text = "".join(pieces)
    stray = re.search(r"\]\{|\{[A-Z]+#", text)
    if stray:
        line = article.line + text.count("\n", 0, stray.start())
        raise DataError(
            Errors.E012.format(
                where=f"{article.path}:{line}",
                reason="unbalanced markup near "
                + repr(text[max(0, stray.start() - 20) : stray.end() + 20]),
            )
        )
    return text, spans


def build_record(article: MarkupArticle) -> ArticleRecord:
    """Resolve one markup article into a validated-shape `ArticleRecord`."""
    from .gold import events_from_annotations

    text, raw_spans = strip_markup(article)
    where_header = f"{article.path}:{article.line}"
    if "id" not in article.header:
        raise DataError(Errors.E012.format(where=where_header, reason="header has no id"))
    seen: dict[str, _Span] = {}
    for span in raw_spans:
        if span.id in seen:
            raise DataError(
                Errors.E012.format(
                    where=f"{article.path}:{span.attrs['_line']}",
                    reason=f"span id {span.id!r} used twice",
                )
            )
        seen[span.id] = span

    spans: list[SpanRecord] = []
    relations: list[RelationRecord] = []
    for span in raw_spans:
        where = f"{article.path}:{span.attrs.pop('_line')}"
        attrs = _typed_attrs(span, where)
        if span.label == "COUNT":
            for key, label in RELATION_ATTRS.items():
                targets = span.attrs.get(key)
                if not targets:
                    continue
                for target in targets.split(","):
                    if key == "out" and target in OUTCOME_VALUES:
                        attrs["outcome"] = target
                        continue
                    if target not in seen:
                        raise DataError(
                            Errors.E012.format(
                                where=where,
                                reason=f"{span.id}: {key}={target} names no span",
                            )
                        )
                    relations.append(RelationRecord(head=span.id, child=target, label=label))  # type: ignore[arg-type]
        spans.append(
            SpanRecord(
                id=span.id,
                start=span.start,
                end=span.end,
                label=span.label,  # type: ignore[arg-type]
                text=span.text,
                attrs=attrs,
            )
        )
    record = ArticleRecord(
        id=article.header["id"],
        text=text,
        published=article.header.get("published") or None,
        source_style=article.header.get("source_style", "other"),
        split=article.header.get("split") or None,  # type: ignore[arg-type]
        source_url=article.header.get("source_url") or None,
        spans=spans,
        relations=relations,
    )
    record.events = events_from_annotations(record)
    return record


def _none(value: str | None) -> str | None:
    return None if value is None or value.lower() in {"none", "null", ""} else value


def _typed_attrs(span: _Span, where: str) -> dict[str, Any]:
    attrs = span.attrs

    def fail(reason: str) -> DataError:
        return DataError(Errors.E012.format(where=where, reason=f"{span.id}: {reason}"))

    if span.label == "COUNT":
        if "value" not in attrs:
            raise fail("COUNT needs value=")
        try:
            value = int(attrs["value"])
        except ValueError:
            raise fail(f"value={attrs['value']!r} is not a whole number") from None
        qualifier = QUALIFIER_ALIASES.get(attrs.get("q", "exact"))
        if qualifier is None:
            raise fail(f"q={attrs['q']!r} is not one of {', '.join(QUALIFIER_ALIASES)}")
        result: dict[str, Any] = {"value": value, "qualifier": qualifier}
        if "upper" in attrs:
            try:
                upper = int(attrs["upper"])
            except ValueError:
                raise fail(f"upper={attrs['upper']!r} is not a whole number") from None
            if upper < value:
                raise fail(f"upper={upper} is below value={value}")
            result["upper"] = upper
        if attrs.get("opt", "").lower() in {"1", "true", "yes"}:
            result["optional"] = True
        if attrs.get("same"):
            result["restates"] = attrs["same"]
        return result
    if span.label == "WEAPON":
        category = attrs.get("cat", "unknown")
        if category not in {
            "drone",
            "naval_drone",
            "missile",
            "guided_bomb",
            "aircraft",
            "unknown",
        }:
            raise fail(f"cat={category!r} is not a weapon category")
        return {"category": category}
    if span.label == "PLACE":
        return _place_attrs(span, fail)
    if span.label == "TIME":
        bounds: dict[str, Any] = {}
        for key in ("start", "end"):
            value = _none(attrs.get(key))
            if value is not None:
                try:
                    moment = datetime.fromisoformat(value)
                except ValueError:
                    raise fail(f"{key}={value!r} is not an ISO datetime") from None
                if moment.tzinfo is None:
                    raise fail(f"{key}={value!r} needs a UTC offset (+03:00)")
                value = moment.isoformat()
            bounds[key] = value
        return bounds
    if span.label == "CLAIMANT":
        return {"name": attrs.get("name") or span.text}
    if span.label == "OUTCOME":
        outcome = attrs.get("value")
        if outcome not in OUTCOME_VALUES:
            raise fail(f"OUTCOME value={outcome!r} must be destroyed|suppressed|launched|hit")
        return {"value": outcome}
    raise fail(f"unknown label {span.label!r}")


def _place_attrs(span: _Span, fail: Any) -> dict[str, Any]:
    from ..gazetteer import Gazetteer

    attrs = span.attrs
    entry = Gazetteer.default().lookup(span.text)
    if "code" in attrs:
        code = _none(attrs["code"])
    elif entry is not None:
        code = entry.code
    else:
        raise fail(f"place {span.text!r} is not in the gazetteer: write code=RU-XXX or code=none")
    same_entry = entry is not None and entry.code == code
    kind = attrs.get("kind") or (entry.kind if same_entry and entry else "region")
    if kind not in {"region", "city", "district", "sea", "country"}:
        raise fail(f"kind={kind!r} is not region|city|district|sea|country")
    name = attrs.get("name") or (entry.name if same_entry and entry else span.text)
    return {"code": code, "kind": kind, "name": name}


def read_markup(path: Path) -> list[ArticleRecord]:
    source = read_text_file(path)
    return [build_record(article) for article in split_articles(source, str(path))]


# --------------------------------------------------------------------------- writing

#: relation label -> COUNT attribute (the inverse of RELATION_ATTRS)
_ATTR_OF_RELATION = {label: key for key, label in RELATION_ATTRS.items()}


def _quoted(value: Any) -> str:
    text = str(value)
    if text and not any(c.isspace() or c in "\"'\\" for c in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _span_spec(span: SpanRecord, links: dict[str, list[str]]) -> str:
    attrs = span.attrs
    parts = [f"{span.label}#{span.id}"]
    if span.label == "COUNT":
        parts.append(f"value={attrs['value']}")
        if attrs.get("qualifier", "exact") != "exact":
            parts.append(f"q={attrs['qualifier']}")
        if attrs.get("upper") is not None:
            parts.append(f"upper={attrs['upper']}")
        outcomes = links.get("out") or ([attrs["outcome"]] if attrs.get("outcome") else [])
        links = {**links, "out": outcomes}
        for key in RELATION_ATTRS:
            if links.get(key):
                parts.append(f"{key}={','.join(links[key])}")
        if attrs.get("optional"):
            parts.append("opt=1")
        if attrs.get("restates"):
            parts.append(f"same={attrs['restates']}")
    elif span.label == "WEAPON":
        parts.append(f"cat={attrs.get('category', 'unknown')}")
    elif span.label == "PLACE":
        from ..gazetteer import Gazetteer

        code = attrs.get("code")
        entry = Gazetteer.default().lookup(span.text)
        known = entry is not None and entry.code == code
        parts.append(f"code={code or 'none'}")
        if attrs.get("kind") and attrs["kind"] != (entry.kind if known and entry else "region"):
            parts.append(f"kind={attrs['kind']}")
        if attrs.get("name") and attrs["name"] != (entry.name if known and entry else span.text):
            parts.append(f"name={_quoted(attrs['name'])}")
    elif span.label == "TIME":
        parts.append(f"start={attrs.get('start') or 'none'}")
        parts.append(f"end={attrs.get('end') or 'none'}")
    elif span.label == "CLAIMANT":
        parts.append(f"name={_quoted(attrs.get('name') or span.text)}")
    elif span.label == "OUTCOME":
        parts.append(f"value={attrs['value']}")
    return " ".join(parts)


def to_markup(record: ArticleRecord) -> str:
    """One article in skytally markup: the inverse of `build_record` for spans and
    relations. Spans whose text cannot be written inline (brackets, line breaks) or
    that overlap an earlier span are left out, so the result always parses."""
    links: dict[str, dict[str, list[str]]] = {}
    for relation in record.relations:
        key = _ATTR_OF_RELATION[relation.label]
        links.setdefault(relation.head, {}).setdefault(key, []).append(relation.child)
    header = [f"id: {record.id}"]
    if record.published:
        header.append(f"published: {record.published}")
    header.append(f"source_style: {record.source_style}")
    if record.split:
        header.append(f"split: {record.split}")
    if record.source_url:
        header.append(f"source_url: {record.source_url}")
    written = {
        span.id
        for span in record.spans
        if not any(c in "[]{}\n" for c in span.text) and span.start < span.end
    }
    pieces: list[str] = []
    cursor = 0
    for span in sorted(record.spans, key=lambda s: (s.start, -s.end)):
        if span.id not in written or span.start < cursor:
            continue
        span_links = {
            key: [target for target in targets if target in written]
            for key, targets in links.get(span.id, {}).items()
        }
        pieces.append(record.text[cursor : span.start])
        pieces.append(f"[{span.text}]{{{_span_spec(span, span_links)}}}")
        cursor = span.end
    pieces.append(record.text[cursor:])
    return "\n".join(header) + "\n---\n" + "".join(pieces).strip("\n") + "\n"
