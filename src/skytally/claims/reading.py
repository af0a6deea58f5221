"""What `skytally claims` reads: the event rows of `skytally extract --output x.jsonl`, or
articles (a folder of .txt files, a records file), which it extracts first.

Why a strict reader: a claims table merges thousands of rows from runs made weeks apart;
a row written by another skytally version (a renamed field, a missing one) would merge
silently into a wrong table. Every row is validated against this version's event schema,
and the first that does not fit stops the run with its file and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..corpus.format import iter_lines
from ..errors import DataError, Errors, InputError
from ..schema import InterceptionEvent

#: the event fields of a row (the rest of a row is the record's id, index and carried fields)
EVENT_FIELDS = tuple(InterceptionEvent.model_fields)
#: the row fields `skytally extract --output x.jsonl` writes besides the event's
ROW_FIELDS = ("id", "index")
#: a row that states the skytally version it was written by must state this one's major.minor
VERSION_FIELDS = ("skytally_version", "version")


class SourceEvent(BaseModel):
    """One event of one article, with where it came from: the unit the claims are built of."""

    model_config = ConfigDict(frozen=True)

    article: str
    """The record's id (a file name for a folder of .txt files)."""
    index: int
    """The event's index in its article's list (what `part_of` points at)."""
    outlet: str | None = None
    """The record's `source` field: who published the article (TASS, a ministry's channel)."""
    published: str | None = None
    where: str = ""
    """File and line the event was read from."""
    event: InterceptionEvent


class Corpus(BaseModel):
    """Events read or extracted, with the articles' texts when they are at hand."""

    events: list[SourceEvent]
    texts: dict[str, str] = {}
    articles: int = 0
    """Articles read (with or without events)."""
    notes: list[str] = []


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def read_event_rows(path: Path) -> Corpus:
    """The rows of an events JSONL file (`skytally extract --output events.jsonl`)."""
    from .. import __version__

    def parse(line: str, where: str) -> SourceEvent:
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(Errors.E010.format(where=where, reason=error.msg)) from None
        return _source_event(row, where, __version__)

    if not Path(path).exists():
        raise InputError(Errors.E004.format(path=path, reason="no such file"))
    events: list[SourceEvent] = []
    for _, event in iter_lines(Path(path), parse):
        if isinstance(event, DataError):  # parse raises InputError only; kept for typing
            raise event
        events.append(event)
    articles = {event.article for event in events}
    return Corpus(events=events, articles=len(articles))


def _source_event(row: Any, where: str, version: str) -> SourceEvent:
    if not isinstance(row, dict):
        raise InputError(Errors.E060.format(where=where, reason="a row is a JSON object"))
    for name in VERSION_FIELDS:
        stated = row.get(name)
        if isinstance(stated, str) and _major_minor(stated) != _major_minor(version):
            raise InputError(
                Errors.E061.format(where=where, theirs=stated, ours=version, field=name)
            )
    missing = [name for name in ROW_FIELDS if name not in row]
    if missing:
        reason = f"no {' or '.join(repr(m) for m in missing)} field"
        raise InputError(Errors.E060.format(where=where, reason=reason))
    body = {k: row[k] for k in EVENT_FIELDS if k in row}
    try:
        event = InterceptionEvent.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        place = ".".join(str(p) for p in first["loc"]) or "the event"
        reason = f"{place}: {first['msg']}"
        raise InputError(Errors.E060.format(where=where, reason=reason)) from None
    index = row["index"]
    if not isinstance(index, int) or index < 0:
        raise InputError(Errors.E060.format(where=where, reason=f"index {index!r}"))
    return SourceEvent(
        article=str(row["id"]),
        index=index,
        outlet=_text_or_none(row.get("source")),
        published=_text_or_none(row.get("published")),
        where=where,
        event=event,
    )


def _text_or_none(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _first_row(path: Path) -> dict[str, Any] | None:
    """The first JSON object of a JSONL file (None for an empty file or a non-object)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            for line in handle:
                if line.strip():
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:
                        return None
                    return row if isinstance(row, dict) else None
    except FileNotFoundError:
        raise InputError(Errors.E004.format(path=path, reason="no such file")) from None
    return None


def input_kind(path: Path) -> str:
    """`events` (extract's JSONL rows), `records` (articles to extract), `empty` or
    `article` (one plain-text article)."""
    if path.is_dir():
        return "records"
    if not path.exists():
        raise InputError(Errors.E004.format(path=path, reason="no such file"))
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        if path.stat().st_size == 0:
            return "empty"
        row = _first_row(path)
        if row is not None and "outcome" in row and "count" in row:
            return "events"
        if row is not None and "text" in row:
            return "records"
        if row is None and not path.read_text(encoding="utf-8", errors="replace").strip():
            return "empty"
        fields = ", ".join(row) if row else "no JSON object"
        raise InputError(
            Errors.E060.format(
                where=f"{path}:1",
                reason=f"neither an event row of skytally extract nor an article record "
                f"(fields: {fields})",
            )
        )
    if suffix in (".csv", ".parquet"):
        return "records"  # batch's reader names a table without a `text` column
    return "article"


def read_corpus(
    path: Path,
    *,
    published: str | None = None,
    model: str | Path | None = None,
    on_record: Callable[[], None] | None = None,
) -> Corpus:
    """Events of `path`: read from an events file, or extracted from articles (the texts are
    kept for the review page)."""
    kind = input_kind(path)
    if kind == "empty":
        return Corpus(events=[], notes=[f"{path} is empty: no claims"])
    if kind == "events":
        corpus = read_event_rows(path)
        if not corpus.events:
            corpus.notes.append(f"{path} holds no events: no claims")
        return corpus
    return extract_corpus(path, kind, published=published, model=model, on_record=on_record)


def extract_corpus(
    path: Path,
    kind: str,
    *,
    published: str | None = None,
    model: str | Path | None = None,
    on_record: Callable[[], None] | None = None,
) -> Corpus:
    """Articles run through the pipeline with the batch module, as `skytally extract` does."""
    from .. import batch
    from ..api import load

    if kind == "article":
        from ..cli import read_text

        items: Iterable[batch.Item] = [batch.Record(0, path.name, str(path), read_text(str(path)))]
    else:
        input_format = batch.detect_input_format(str(path))
        if input_format is None:
            raise InputError(Errors.E004.format(path=path, reason="not a folder or records file"))
        items = batch.read_records(str(path), input_format)
    nlp = load(model)
    events: list[SourceEvent] = []
    texts: dict[str, str] = {}
    notes: list[str] = []
    articles = 0
    for outcome in batch.process(items, nlp, published=published):
        articles += 1
        item = outcome.item
        if on_record is not None:
            on_record()
        if not outcome.ok:
            notes.append(f"skipped {item.where}: {outcome.error}")
            continue
        texts[item.id] = str(item.text)
        record_published = item.published if item.published not in (None, "") else published
        for index, event in enumerate(outcome.events):
            events.append(
                SourceEvent(
                    article=item.id,
                    index=index,
                    outlet=_text_or_none(batch._plain(item.source)),
                    published=_text_or_none(batch._plain(record_published)),
                    where=item.where,
                    event=event,
                )
            )
    if articles == 0:
        notes.append(f"{path} holds no articles: no claims")
    elif not events:
        notes.append(f"no events in {articles} article(s): no claims")
    return Corpus(events=events, texts=texts, articles=articles, notes=notes)


def read_texts(path: Path) -> dict[str, str]:
    """The texts of the articles an events file was extracted from, by record id (for the
    review page), read without extracting."""
    from .. import batch

    kind = input_kind(path)
    if kind == "article":
        from ..cli import read_text

        return {path.name: read_text(str(path))}
    if kind != "records":
        raise InputError(Errors.E004.format(path=path, reason="not articles (a folder or records)"))
    input_format = batch.detect_input_format(str(path))
    if input_format is None:
        raise InputError(Errors.E004.format(path=path, reason="not a folder or records file"))
    texts: dict[str, str] = {}
    for item in batch.read_records(str(path), input_format):
        if isinstance(item, batch.Record) and isinstance(item.text, str):
            texts[item.id] = item.text
    return texts
