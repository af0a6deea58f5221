"""Corpus-scale extraction: records in, one row per event out, nothing lost.

Why a module of its own: `extract_many` pairs texts with events and raises on
the first bad text, which is right for a caller holding a list in memory and
wrong for a news archive of hundreds of thousands of records, where one
undecodable line must not stop (or silently shorten) a run of hours. Here

* records are read lazily (a folder of .txt files, JSONL, CSV, Parquet, or a
  stream), so memory does not grow with the corpus;
* every record read ends as exactly one `RecordResult`, ``ok`` with its
  number of events or ``failed`` with the reason, in input order: a broken
  line, invalid UTF-8, an empty text, a bad date, a component raising;
* events are written as they come, append-only, and each record's line in the
  records file is the checkpoint after its rows: a killed run leaves at most
  rows past the last checkpoint, which `--resume` cuts off before going on,
  so a resumed run writes the same bytes as an uninterrupted one;
* the same per-record processing runs in one process, in spaCy's worker
  processes (`n_process`) or on Dask workers (`extract_dask`), so all three
  give the same events.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, ConfigDict
from spacy.language import Language

from .api import _check_text, _published_text, _shift, load, split_into_chunks
from .errors import Errors, InputError
from .normalize import OffsetMap, matching_view
from .schema import InterceptionEvent

#: the fields of a record skytally reads itself; every other field is carried through
KNOWN_FIELDS = ("id", "text", "published", "source")
#: an escaped byte of invalid UTF-8 (errors="surrogateescape")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


class InputFormat(StrEnum):
    txt = "txt"  # a folder of .txt files, one article each
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class EventFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class RecordStatus(StrEnum):
    ok = "ok"
    failed = "failed"


class RecordResult(BaseModel):
    """One line of the records file: what became of one input record.

    `seq` is the record's position in the input (0-based, broken lines
    included): `--resume` skips the first `seq + 1` records after the last
    line. `output_end` is the size of the event file after this record's rows,
    the checkpoint a resumed run cuts the event file back to."""

    model_config = ConfigDict(extra="forbid")

    seq: int
    id: str
    where: str
    status: RecordStatus
    events: int = 0
    error: str | None = None
    output_end: int | None = None


@dataclass
class Record:
    """A record as read: its text and fields, not yet checked."""

    seq: int
    id: str
    where: str
    text: Any
    published: Any = None
    source: Any = None
    carried: dict[str, Any] = field(default_factory=dict)


@dataclass
class BadRecord:
    """A record that could not be read (a broken line, invalid UTF-8): reported, not processed."""

    seq: int
    id: str
    where: str
    error: str
    published: Any = None
    source: Any = None
    carried: dict[str, Any] = field(default_factory=dict)


Item = Record | BadRecord


@dataclass
class Outcome:
    """A processed record: its events, or the error that stopped it."""

    item: Item
    events: list[InterceptionEvent]
    error: str | None = None
    words: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def result(self, output_end: int | None = None) -> RecordResult:
        return RecordResult(
            seq=self.item.seq,
            id=self.item.id,
            where=self.item.where,
            status=RecordStatus.ok if self.ok else RecordStatus.failed,
            events=len(self.events),
            error=self.error,
            output_end=output_end,
        )


# --------------------------------------------------------------------- reading


def detect_input_format(path: str, explicit: str | None = None) -> InputFormat | None:
    """The record format of `path` (a folder is `txt`), or None for a plain article file."""
    if explicit:
        try:
            return InputFormat(explicit.lower())
        except ValueError:
            choices = ", ".join(f.value for f in InputFormat)
            raise InputError(
                Errors.E006.format(
                    name="--input-format", value=explicit, allowed=f"one of {choices}"
                )
            ) from None
    if path != "-" and Path(path).is_dir():
        return InputFormat.txt
    suffix = Path(path).suffix.lower()
    return {
        ".jsonl": InputFormat.jsonl,
        ".csv": InputFormat.csv,
        ".parquet": InputFormat.parquet,
    }.get(suffix)


def read_records(path: str, input_format: InputFormat) -> Iterator[Item]:
    """Records of `path` ('-': standard input) one by one, in order.

    Raises InputError, before yielding anything, for input that cannot be
    records at all: a missing file, a folder with no .txt files, a table with
    no `text` column, a first JSON record with no `text` field."""
    readers: dict[InputFormat, Callable[[str], Iterator[Item]]] = {
        InputFormat.txt: _read_folder,
        InputFormat.jsonl: _read_jsonl,
        InputFormat.csv: _read_csv,
        InputFormat.parquet: _read_parquet,
    }
    items = readers[input_format](path)
    first = next(items, None)  # the checks before any work happen here
    if first is None:
        return iter(())
    return _chain_one(first, items)


def _chain_one(first: Item, rest: Iterator[Item]) -> Iterator[Item]:
    yield first
    yield from rest


def _no_such(path: str) -> InputError:
    return InputError(Errors.E004.format(path=path, reason="no such file"))


def _read_folder(path: str) -> Iterator[Item]:
    root = Path(path)
    # sorted paths only (not texts) stay in memory: a few MB for 100,000 files
    files = sorted(p for p in root.rglob("*.txt") if p.is_file())
    if not files:
        raise InputError(
            Errors.E004.format(
                path=path, reason="it is a folder, not a file, and holds no .txt files"
            )
        )
    for seq, file in enumerate(files):
        name = file.relative_to(root).as_posix()
        try:
            raw = file.read_bytes()
        except OSError as error:
            yield BadRecord(
                seq, name, str(file), Errors.E004.format(path=file, reason=error.strerror)
            )
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            yield BadRecord(
                seq, name, str(file), Errors.E003.format(path=file, position=error.start)
            )
            continue
        yield Record(seq, name, str(file), text)


@contextlib.contextmanager
def _open_text(path: str, newline: str | None = None) -> Iterator[IO[str]]:
    """A text stream of `path` or standard input in which invalid UTF-8 bytes survive
    as escaped surrogates, so one bad record does not stop the reading."""
    if path == "-":
        stream = io.TextIOWrapper(
            sys.stdin.buffer, encoding="utf-8-sig", errors="surrogateescape", newline=newline
        )
        try:
            yield stream
        finally:
            stream.detach()
        return
    if Path(path).is_dir():
        raise InputError(Errors.E004.format(path=path, reason="it is a folder, not a file"))
    try:
        handle = open(path, encoding="utf-8-sig", errors="surrogateescape", newline=newline)  # noqa: SIM115
    except FileNotFoundError:
        raise _no_such(path) from None
    except OSError as error:
        raise InputError(Errors.E004.format(path=path, reason=error.strerror)) from None
    with handle:
        yield handle


def _undecodable(where: str, text: str) -> str | None:
    found = _ESCAPED_BYTE.search(text)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    return f"{where}: not valid UTF-8 (byte 0x{byte:02X} at character {found.start()})"


def _split_fields(
    seq: int, where: str, fields: dict[str, Any]
) -> tuple[str, Any, Any, Any, dict[str, Any]]:
    raw_id = fields.get("id")
    record_id = where if raw_id is None or raw_id == "" else str(raw_id)
    carried = {k: v for k, v in fields.items() if k not in KNOWN_FIELDS}
    return record_id, fields.get("text"), fields.get("published"), fields.get("source"), carried


def _read_jsonl(path: str) -> Iterator[Item]:
    name = "<stdin>" if path == "-" else path
    with _open_text(path) as stream:
        seq = 0
        checked = False
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            bad = _undecodable(where, line)
            if bad is not None:
                yield BadRecord(seq, where, where, bad)
                seq += 1
                continue
            try:
                fields = json.loads(line)
            except json.JSONDecodeError as error:
                yield BadRecord(
                    seq, where, where, Errors.E010.format(where=where, reason=error.msg)
                )
                seq += 1
                continue
            if not isinstance(fields, dict):
                reason = f"a record is a JSON object, not {type(fields).__name__}"
                yield BadRecord(seq, where, where, Errors.E011.format(where=where, reason=reason))
                seq += 1
                continue
            if not checked:
                checked = True
                if "text" not in fields:
                    raise InputError(Errors.E040.format(where=where, fields=", ".join(fields)))
            record_id, text, published, source, carried = _split_fields(seq, where, fields)
            if "text" not in fields:
                yield BadRecord(
                    seq,
                    record_id,
                    where,
                    Errors.E011.format(where=where, reason="the record has no 'text' field"),
                    published,
                    source,
                    carried,
                )
            else:
                yield Record(seq, record_id, where, text, published, source, carried)
            seq += 1


def _read_csv(path: str) -> Iterator[Item]:
    name = "<stdin>" if path == "-" else path
    csv.field_size_limit(2**31 - 1)  # a 5 MB article is one field
    with _open_text(path, newline="") as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise InputError(Errors.E004.format(path=name, reason=f"line 1: {error}")) from None
        if header is None:
            return
        header = [column.strip() for column in header]
        if "text" not in header:
            raise InputError(Errors.E040.format(where=f"{name}:1", fields=", ".join(header)))
        seq = 0
        line = reader.line_num + 1
        while True:
            where = f"{name}:{line}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield BadRecord(seq, where, where, Errors.E011.format(where=where, reason=error))
                seq += 1
                line = reader.line_num + 1
                continue
            line = reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if len(row) != len(header):
                reason = f"expected {len(header)} fields, got {len(row)}"
                yield BadRecord(seq, where, where, Errors.E011.format(where=where, reason=reason))
                seq += 1
                continue
            fields = dict(zip(header, row, strict=True))
            bad = _undecodable(where, "\x00".join(row))
            record_id, text, published, source, carried = _split_fields(seq, where, fields)
            if bad is not None:
                yield BadRecord(seq, record_id, where, bad)
            else:
                yield Record(
                    seq, record_id, where, text, published or None, source or None, carried
                )
            seq += 1


def _read_parquet(path: str) -> Iterator[Item]:
    if path == "-":
        raise InputError(Errors.E004.format(path="standard input", reason="Parquet needs a file"))
    pq = _pyarrow_parquet()
    try:
        table = pq.ParquetFile(path)
    except FileNotFoundError:
        raise _no_such(path) from None
    except Exception as error:  # pyarrow raises several types for a broken file
        raise InputError(Errors.E004.format(path=path, reason=str(error).splitlines()[0])) from None
    columns = table.schema_arrow.names
    if "text" not in columns:
        raise InputError(Errors.E040.format(where=path, fields=", ".join(columns)))
    seq = 0
    for batch in table.iter_batches(batch_size=256):
        for fields in batch.to_pylist():
            where = f"{path}:row {seq + 1}"
            record_id, text, published, source, carried = _split_fields(seq, where, fields)
            yield Record(seq, record_id, where, text, published, source, carried)
            seq += 1


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(Errors.E041.format(what="Parquet", extra="parquet")) from None
    return pq


# ------------------------------------------------------------------ processing

#: the message of a component's exception, keyed by the chunk it failed on (this process)
_COMPONENT_ERRORS: dict[Any, str] = {}


def _record_component_error(name: str, component: Any, docs: list[Any], error: Exception) -> None:
    """spaCy's error_handler: note which chunk failed and why, instead of stopping the run.
    spaCy drops the Doc; `process` sees the gap. (Module level, so worker processes
    can unpickle it.)"""
    for doc in docs:
        _COMPONENT_ERRORS[getattr(doc, "_context", None)] = (
            f"component {name} failed: {type(error).__name__}: {error}"
        )


@dataclass
class _Pending:
    item: Record
    chunks: int
    done: int = 0
    events: list[InterceptionEvent] = field(default_factory=list)
    error: str | None = None
    words: int = 0


def process(
    items: Iterable[Item],
    nlp: Language | None = None,
    *,
    published: Any = None,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[Outcome]:
    """One `Outcome` per item, in input order, whatever the item holds.

    A record's events are those of `skytally.extract(text, published)`: the
    same chunking, matching view and offset mapping. `published` is the date
    of records that have none of their own. Text and date are checked here,
    per record, so a bad one fails alone; a component that raises on a chunk
    fails that chunk's record (spaCy's `error_handler` keeps the pipe going)."""
    from .api import _positive

    _positive("batch_size", batch_size, "a whole number of 1 or more")
    if n_process != -1:
        _positive("n_process", n_process, "a whole number of 1 or more, or -1 (every CPU)")
    default = _published_text(published)
    pipeline = nlp or load()
    return _process(items, pipeline, default, batch_size, n_process)


def _process(
    items: Iterable[Item], pipeline: Language, default: str | None, batch_size: int, n_process: int
) -> Iterator[Outcome]:
    # every item fed, in order: a BadRecord/Outcome to pass on, or a chunk key (seq, n)
    fed: deque[Any] = deque()
    pending: dict[int, _Pending] = {}
    chunks: dict[tuple[int, int], tuple[OffsetMap | None, str, int, Any]] = {}

    def docs() -> Iterator[tuple[Any, tuple[int, int]]]:
        for item in items:
            if isinstance(item, BadRecord):
                fed.append(Outcome(item, [], item.error))
                continue
            try:
                text = _check_text(item.text)
                if not text.strip():
                    raise InputError(Errors.E042)
                value = default if item.published in (None, "") else _published_text(item.published)
            except (TypeError, ValueError) as error:
                fed.append(Outcome(item, [], str(error)))
                continue
            parts = split_into_chunks(text)
            state = _Pending(item, len(parts), words=len(text.split()))
            pending[item.seq] = state
            for number, (offset, chunk) in enumerate(parts):
                try:
                    view, mapping = matching_view(chunk)
                    doc = pipeline.make_doc(view)
                    doc._.published = value
                except Exception as error:  # the tokenizer is a component too
                    state.error = f"tokenizer failed: {type(error).__name__}: {error}"
                    state.chunks = number
                    if state.done >= number:  # the chunks before came back already
                        del pending[item.seq]
                        fed.append(Outcome(item, [], state.error, state.words))
                    break
                key = (item.seq, number)
                chunks[key] = (mapping, chunk, offset, value)
                fed.append(key)
                yield doc, key

    def finish(key: tuple[int, int]) -> Outcome | None:
        state = pending[key[0]]
        state.done += 1
        if state.done < state.chunks:
            return None
        del pending[key[0]]
        if state.error is not None:
            return Outcome(state.item, [], state.error, state.words)
        return Outcome(state.item, state.events, None, state.words)

    def dropped(key: tuple[int, int]) -> Outcome | None:
        """A chunk spaCy did not return: a component raised on it."""
        _, chunk, _, value = chunks.pop(key)
        state = pending[key[0]]
        if state.error is None:
            state.error = _COMPONENT_ERRORS.pop(key, None) or _rerun_error(pipeline, chunk, value)
        return finish(key)

    def drain(until: tuple[int, int] | None) -> Iterator[Outcome]:
        while fed and fed[0] != until:
            entry = fed.popleft()
            outcome = entry if isinstance(entry, Outcome) else dropped(entry)
            if outcome is not None:
                yield outcome

    previous = pipeline.default_error_handler
    _set_error_handler(pipeline, _record_component_error)
    try:
        for doc, key in pipeline.pipe(
            docs(), as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            yield from drain(key)
            fed.popleft()
            mapping, chunk, offset, _ = chunks.pop(key)
            state = pending[key[0]]
            if state.error is None:
                try:
                    found = doc._.events
                    base = len(state.events)
                    state.events.extend(
                        _shift(event, offset, base, mapping, chunk) for event in found
                    )
                except Exception as error:
                    state.error = f"assembling events failed: {type(error).__name__}: {error}"
            outcome = finish(key)
            if outcome is not None:
                yield outcome
        yield from drain(None)
    finally:
        _set_error_handler(pipeline, previous)


def _set_error_handler(pipeline: Language, handler: Callable[..., Any]) -> None:
    """`Language.set_error_handler`, for the components that take one: spaCy's
    Cython components (`ner`) have no `error_handler` attribute to set, and an
    error inside one still reaches the record's fallback (`_rerun_error`)."""
    pipeline.default_error_handler = handler
    for _, component in pipeline.pipeline:
        if hasattr(component, "set_error_handler"):
            with contextlib.suppress(AttributeError):
                component.set_error_handler(handler)


def _rerun_error(pipeline: Language, chunk: str, value: Any) -> str:
    """Why a chunk failed in a worker process (its message stayed there): run it again here."""
    try:
        doc = pipeline.make_doc(matching_view(chunk)[0])
        doc._.published = value
        for _, component in pipeline.pipeline:
            doc = component(doc)
    except Exception as error:
        return f"a component failed: {type(error).__name__}: {error}"
    return "a component failed in a worker process"


# --------------------------------------------------------------------- writing


def event_columns() -> tuple[str, ...]:
    from .cli import CSV_COLUMNS

    return tuple(c for c in CSV_COLUMNS if c not in ("source", "index"))


_EVENT_FIELDS = frozenset(InterceptionEvent.model_fields)


def _carried_name(name: str, taken: Iterable[str]) -> str:
    """A carried field keeps its name unless an output column has it: then input_NAME."""
    return f"input_{name}" if name in taken else name


def _plain(value: Any) -> Any:
    """A carried value as JSON can hold it (dates from Parquet as ISO strings)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def jsonl_rows(item: Item, events: list[InterceptionEvent]) -> Iterator[dict[str, Any]]:
    """One flat JSON object per event: id, published, source, carried fields, index, event."""
    head: dict[str, Any] = {
        "id": item.id,
        "published": _plain(item.published),
        "source": _plain(item.source),
    }
    taken = {*_EVENT_FIELDS, "id", "published", "source", "index"}
    for name, value in item.carried.items():
        head[_carried_name(name, taken)] = _plain(value)
    for index, event in enumerate(events):
        yield {**head, "index": index, **event.model_dump(mode="json")}


class TableLayout:
    """The columns of CSV and Parquet output, fixed before the first row: id,
    published, source, the input table's other columns (CSV, Parquet input) or
    one `carried` column holding the other fields as JSON (JSONL input), index,
    then the event columns of `skytally extract --format csv`."""

    def __init__(self, carried: list[str] | None) -> None:
        self.events = event_columns()
        taken = {*self.events, "id", "published", "source", "index", "carried"}
        self.carried = carried
        self.carried_names = (
            [_carried_name(c, taken) for c in carried] if carried is not None else ["carried"]
        )
        self.columns = ["id", "published", "source", *self.carried_names, "index", *self.events]

    def rows(self, item: Item, events: list[InterceptionEvent]) -> Iterator[dict[str, Any]]:
        from .cli import event_row

        head: dict[str, Any] = {
            "id": item.id,
            "published": _cell(item.published),
            "source": _cell(item.source),
        }
        if self.carried is None:
            head["carried"] = (
                json.dumps(_plain(item.carried), ensure_ascii=False, sort_keys=True)
                if item.carried
                else ""
            )
        else:
            for name, column in zip(self.carried, self.carried_names, strict=True):
                head[column] = _cell(item.carried.get(name))
        for index, event in enumerate(events):
            row = event_row("", index, event)
            yield {**head, "index": index, **{c: row[c] for c in self.events}}


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def input_columns(path: str, input_format: InputFormat) -> list[str] | None:
    """The carried columns of a table input (CSV, Parquet header), None for JSONL and folders."""
    if input_format is InputFormat.csv and path != "-":
        with _open_text(path, newline="") as stream:
            header = next(csv.reader(stream), [])
        return [c.strip() for c in header if c.strip() not in KNOWN_FIELDS]
    if input_format is InputFormat.parquet:
        names = _pyarrow_parquet().ParquetFile(path).schema_arrow.names
        return [c for c in names if c not in KNOWN_FIELDS]
    return None


class EventSink:
    """Append-only event output: a JSONL or CSV file (Parquet: a JSONL spool turned
    into Parquet at the end), or a stream. `checkpoint()` is the byte size after
    the rows written so far; `open(resume_at=...)` cuts a file back to it."""

    def __init__(
        self,
        target: Path | None,
        event_format: EventFormat,
        layout: TableLayout,
        stream: IO[str] | None = None,
    ) -> None:
        self.target = target
        self.format = event_format
        self.layout = layout
        self.stream = stream
        self.handle: IO[bytes] | None = None
        self.header_written = False

    @property
    def spool(self) -> Path | None:
        if self.target is None or self.format is not EventFormat.parquet:
            return None
        return self.target.with_name(self.target.name + ".partial.jsonl")

    @property
    def file(self) -> Path | None:
        return self.spool or self.target

    def open(self, resume_at: int | None = None) -> None:
        path = self.file
        if path is None:
            return
        if resume_at is None:
            self.handle = open(path, "wb")  # noqa: SIM115
        else:
            size = path.stat().st_size if path.exists() else 0
            if size < resume_at:
                finished = self.spool is not None and self.target is not None
                reason = (
                    f"{self.target} was finished already (its spool {path.name} is gone)"
                    if finished and self.target is not None and self.target.exists()
                    else f"{path} holds {size} bytes, the checkpoint is at {resume_at}"
                )
                raise InputError(Errors.E043.format(where=path, reason=reason))
            self.handle = open(path, "r+b" if path.exists() else "w+b")  # noqa: SIM115
            self.handle.truncate(resume_at)
            self.handle.seek(resume_at)
            self.header_written = resume_at > 0

    def write(self, item: Item, events: list[InterceptionEvent]) -> None:
        chunks: list[str] = []
        if self.format is EventFormat.csv:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=self.layout.columns, lineterminator="\n")
            if not self.header_written:
                writer.writeheader()
                self.header_written = True
            writer.writerows(self.layout.rows(item, events))
            chunks.append(buffer.getvalue())
        elif self.format is EventFormat.parquet:
            chunks.extend(
                json.dumps(row, ensure_ascii=False) + "\n" for row in self.layout.rows(item, events)
            )
        else:
            chunks.extend(
                json.dumps(row, ensure_ascii=False) + "\n" for row in jsonl_rows(item, events)
            )
        data = "".join(chunks)
        if self.handle is not None:
            if data:
                self.handle.write(data.encode("utf-8", "surrogatepass"))
                self.handle.flush()
        elif self.stream is not None and data:
            self.stream.write(data)
            self.stream.flush()

    def checkpoint(self) -> int | None:
        return self.handle.tell() if self.handle is not None else None

    def close(self, complete: bool) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        if complete and self.spool is not None and self.target is not None:
            write_parquet(self.spool, self.target, self.layout)
            self.spool.unlink()


_INT_COLUMNS = ("index", "count", "count_start", "count_end", "sentence_start", "sentence_end")


def write_parquet(spool: Path, target: Path, layout: TableLayout) -> None:
    """The spooled rows as one Parquet file, 10,000 rows at a time (memory stays flat);
    written next to `target` and renamed over it, so a reader never sees half a file."""
    import pyarrow as pa

    pq = _pyarrow_parquet()
    types = {c: pa.int64() for c in _INT_COLUMNS}
    types.update(part_of=pa.int64(), confidence=pa.float64())
    schema = pa.schema([(c, types.get(c, pa.string())) for c in layout.columns])
    partial = target.with_name(target.name + ".tmp")
    with pq.ParquetWriter(partial, schema) as writer:
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            columns = {
                c: [_typed(row.get(c), types.get(c)) for row in batch] for c in layout.columns
            }
            writer.write_table(pa.table(columns, schema=schema))
            batch.clear()

        with open(spool, encoding="utf-8") as rows:
            for line in rows:
                batch.append(json.loads(line))
                if len(batch) >= 10_000:
                    flush()
        if batch:
            flush()
    os.replace(partial, target)


def _typed(value: Any, kind: Any) -> Any:
    if kind is None:
        return value
    if value in ("", None):
        return None
    return float(value) if str(kind) == "double" else int(value)


# ------------------------------------------------------------------ a whole run


def default_records_path(output: Path) -> Path:
    """OUT.records.jsonl next to OUT (events.csv -> events.records.jsonl)."""
    return output.with_name(f"{output.stem}.records.jsonl")


def check_writable(path: Path) -> None:
    """Fail before any input is read when `path` cannot be written."""
    if path.is_dir():
        raise InputError(Errors.E007.format(path=path, reason="it is a folder, not a file"))
    if not path.parent.is_dir():
        raise InputError(
            Errors.E007.format(path=path, reason=f"folder {path.parent} does not exist")
        )
    # os.access rather than opening: a run refused later (no `text` column) leaves no file
    if path.exists() and not os.access(path, os.W_OK):
        raise InputError(Errors.E007.format(path=path, reason="permission denied"))
    if not path.exists() and not os.access(path.parent, os.W_OK | os.X_OK):
        raise InputError(
            Errors.E007.format(path=path, reason=f"folder {path.parent} is not writable")
        )


@dataclass
class ResumePoint:
    """Where an interrupted run stopped: records done, the last one's id, the checkpoint."""

    done: int = 0
    ok: int = 0
    failed: int = 0
    events: int = 0
    last_id: str | None = None
    records_end: int = 0
    output_end: int = 0


def read_resume_point(records: Path) -> ResumePoint:
    """The checkpoint in a records file: its complete lines (a half-written last line,
    from a kill, is ignored and cut off)."""
    point = ResumePoint()
    if not records.exists():
        return point
    with open(records, "rb") as handle:
        offset = 0
        for number, raw in enumerate(handle, start=1):
            if not raw.endswith(b"\n"):
                break  # cut off by a kill
            try:
                result = RecordResult.model_validate_json(raw)
            except ValueError:
                raise InputError(
                    Errors.E043.format(where=f"{records}:{number}", reason="not a record result")
                ) from None
            if result.seq != point.done:
                raise InputError(
                    Errors.E043.format(
                        where=f"{records}:{number}",
                        reason=f"record {result.seq} where {point.done} was expected",
                    )
                )
            offset += len(raw)
            point.done += 1
            point.ok += result.status is RecordStatus.ok
            point.failed += result.status is RecordStatus.failed
            point.events += result.events
            point.last_id = result.id
            point.records_end = offset
            if result.output_end is not None:
                point.output_end = result.output_end
    return point


@dataclass
class RunSummary:
    read: int = 0
    ok: int = 0
    failed: int = 0
    events: int = 0
    resumed: int = 0
    words: int = 0

    def line(self) -> str:
        resumed = f" ({self.resumed} from the earlier run)" if self.resumed else ""
        return (
            f"{self.read} record(s) read{resumed}: {self.ok} ok with {self.events} event(s), "
            f"{self.failed} failed"
        )


Executor = Callable[[Iterable[Item]], Iterator[Outcome]]


def run_corpus(
    items: Iterable[Item],
    sink: EventSink,
    records_path: Path | None,
    executor: Executor,
    *,
    resume: bool = False,
    limit: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> RunSummary:
    """Process `items` with `executor`, writing each record's rows, then its line in the
    records file (the checkpoint). With `resume`, the records already in the records file
    are skipped and the event file is cut back to their checkpoint first. `limit` stops
    after that many records in this run (as a kill would, but cleanly)."""
    point = read_resume_point(records_path) if resume and records_path is not None else None
    summary = RunSummary()
    if point is not None:
        summary = RunSummary(
            read=point.done, ok=point.ok, failed=point.failed, events=point.events,
            resumed=point.done,
        )  # fmt: skip
    sink.open(resume_at=point.output_end if point is not None else None)
    records_handle: IO[bytes] | None = None
    if records_path is not None:
        if point is not None:
            records_handle = open(records_path, "r+b" if records_path.exists() else "w+b")  # noqa: SIM115
            records_handle.truncate(point.records_end)
            records_handle.seek(point.records_end)
        else:
            records_handle = open(records_path, "wb")  # noqa: SIM115

    handed = 0  # records given to the executor: each must come back as one outcome

    def todo() -> Iterator[Item]:
        nonlocal handed
        taken = 0
        source = iter(items)
        while True:
            if limit is not None and taken >= limit:
                return  # before reading one more: _exhausted() looks at what is left
            item = next(source, None)
            if item is None:
                return
            if point is not None and item.seq < point.done:
                if item.seq == point.done - 1 and item.id != point.last_id:
                    raise InputError(
                        Errors.E043.format(
                            where=str(records_path),
                            reason=f"its last record is {point.last_id!r}, the input's record "
                            f"{item.seq} is {item.id!r}: not the same input",
                        )
                    )
                continue
            taken += 1
            handed += 1
            yield item

    complete = False
    try:
        for outcome in executor(todo()):
            sink.write(outcome.item, outcome.events)
            result = outcome.result(sink.checkpoint())
            if records_handle is not None:
                records_handle.write(
                    result.model_dump_json().encode("utf-8", "surrogatepass") + b"\n"
                )
                records_handle.flush()
            summary.read += 1
            summary.words += outcome.words
            if outcome.ok:
                summary.ok += 1
                summary.events += len(outcome.events)
            else:
                summary.failed += 1
            if on_outcome is not None:
                on_outcome(outcome)
        complete = True
    finally:
        if records_handle is not None:
            records_handle.close()
        sink.close(complete=complete and (limit is None or _exhausted(items)))
    # the accounting: every record read ends as ok or failed, exactly once
    if summary.ok + summary.failed != summary.read or summary.read - summary.resumed != handed:
        raise RuntimeError(
            f"records lost: {handed} handed to the pipeline, "
            f"{summary.read - summary.resumed} came back; {summary.line()}"
        )
    return summary


def _exhausted(items: Iterable[Item]) -> bool:
    """Whether a limited run still reached the end of its input (then Parquet is written)."""
    iterator = iter(items)
    return next(iterator, None) is None


# ---------------------------------------------------------------------- Dask


@lru_cache(maxsize=4)
def worker_pipeline(model: str | None = None) -> Language:
    """The pipeline of this process, loaded on first use and kept: a Dask worker
    loads it once, not once per record or partition."""
    global PIPELINE_LOADS
    PIPELINE_LOADS += 1
    return load(model)


#: how many times this process loaded a pipeline through `worker_pipeline`
PIPELINE_LOADS = 0


def pipeline_loads() -> int:
    return PIPELINE_LOADS


def process_block(
    items: list[Item], published: Any = None, model: str | None = None, batch_size: int = 32
) -> list[tuple[int, list[InterceptionEvent], str | None, int]]:
    """Process a block of records on a worker: (seq, events, error, words) per record, in
    order (the texts do not travel back)."""
    outcomes = process(items, worker_pipeline(model), published=published, batch_size=batch_size)
    return [(o.item.seq, o.events, o.error, o.words) for o in outcomes]


def _in_blocks(
    items: Iterable[Item],
    submit: Callable[[list[Item]], Any],
    block_size: int,
    in_flight: int,
) -> Iterator[Outcome]:
    """Outcomes of `items` sent as blocks to `submit` (which returns a future of
    `process_block`'s result), in input order, with at most `in_flight` blocks out: memory
    stays flat however long the input."""
    queue: deque[tuple[list[Item], Any]] = deque()

    def collect() -> Iterator[Outcome]:
        block, future = queue.popleft()
        for item, (seq, events, error, words) in zip(block, future.result(), strict=True):
            if item.seq != seq:
                raise RuntimeError(f"record {item.seq} came back as {seq}")
            yield Outcome(item, events, error, words)

    block: list[Item] = []
    for item in items:
        block.append(item)
        if len(block) >= block_size:
            queue.append((block, submit(block)))
            block = []
            while len(queue) >= in_flight:
                yield from collect()
    if block:
        queue.append((block, submit(block)))
    while queue:
        yield from collect()


def dask_executor(
    client: Any,
    *,
    published: Any = None,
    model: str | None = None,
    batch_size: int = 32,
    block_size: int = 128,
    in_flight: int | None = None,
) -> Executor:
    """An executor that runs blocks of records on a Dask cluster (`process_block`, the
    pipeline loaded once per worker) and yields their outcomes in input order."""
    _published_text(published)  # a bad default date fails here, before any work
    workers = max(1, len(client.scheduler_info().get("workers", {})))

    def submit(block: list[Item]) -> Any:
        return client.submit(process_block, block, published, model, batch_size, pure=False)

    def run(items: Iterable[Item]) -> Iterator[Outcome]:
        return _in_blocks(items, submit, block_size, in_flight or 2 * workers)

    return run


def pool_executor(
    n_process: int,
    *,
    published: Any = None,
    model: str | None = None,
    batch_size: int = 32,
    block_size: int = 128,
) -> Executor:
    """An executor on `n_process` worker processes of our own (`-1`: one per CPU).

    Why not spaCy's `nlp.pipe(n_process=...)`: it tokenizes in the main process, ships
    every Doc to a worker and back as bytes and reads the events in the main process,
    which made two processes slower than one (docs/performance.md). Here a worker gets
    the texts of a block of records and sends back only their events, like a Dask worker;
    the outcomes are the same as in one process."""
    from .api import _positive

    _published_text(published)
    _positive("batch_size", batch_size, "a whole number of 1 or more")
    workers = (os.cpu_count() or 1) if n_process == -1 else n_process

    def run(items: Iterable[Item]) -> Iterator[Outcome]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the parent may hold threads (the progress bar)
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=worker_pipeline,
            initargs=(model,),
        ) as pool:

            def submit(block: list[Item]) -> Any:
                return pool.submit(process_block, block, published, model, batch_size)

            try:
                yield from _in_blocks(items, submit, block_size, 2 * workers)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    return run


def _partition(
    records: Iterable[dict[str, Any]], published: Any, model: str | None, batch_size: int
) -> list[dict[str, Any]]:
    items: list[Item] = []
    for seq, fields in enumerate(records):
        where = f"partition record {seq + 1}"
        record_id, text, record_published, source, carried = _split_fields(seq, where, fields)
        if "text" not in fields:
            items.append(
                BadRecord(seq, record_id, where, "the record has no 'text' field",
                          record_published, source, carried)
            )  # fmt: skip
        else:
            items.append(Record(seq, record_id, where, text, record_published, source, carried))
    results = process(items, worker_pipeline(model), published=published, batch_size=batch_size)
    return [
        {
            "id": o.item.id,
            "status": "ok" if o.ok else "failed",
            "error": o.error,
            "events": [e.model_dump(mode="json") for e in o.events],
            "published": _plain(o.item.published),
            "source": _plain(o.item.source),
            **{k: _plain(v) for k, v in o.item.carried.items()},
        }
        for o in results
    ]


def extract_dask(
    records: Any,
    *,
    published: Any = None,
    model: str | Path | None = None,
    batch_size: int = 32,
) -> Any:
    """Extraction over a `dask.bag.Bag` of record dicts (`id`, `text`, optional
    `published`, `source`, others carried) or a `dask.dataframe.DataFrame` with those
    columns. Returns a lazy `dask.bag.Bag` with one dict per record, in order: `id`,
    `status` (`ok`/`failed`), `error`, `events` (JSON-ready event dicts) and the
    record's other fields. Each worker loads the pipeline once (`worker_pipeline`).

    Needs `pip install skytally[dask]`."""
    try:
        import dask.bag as db
    except ImportError:
        raise InputError(Errors.E041.format(what="Dask", extra="dask")) from None
    _published_text(published)
    if not isinstance(records, db.Bag):
        if hasattr(records, "to_bag") and hasattr(records, "columns"):
            if "text" not in records.columns:
                raise InputError(
                    Errors.E040.format(where="the dataframe", fields=", ".join(records.columns))
                )
            records = records.to_bag(index=False, format="dict")
        else:
            raise TypeError(
                f"extract_dask expects a dask.bag.Bag or dask.dataframe.DataFrame, "
                f"got {type(records).__name__}"
            )
    location = None if model is None else str(model)
    return records.map_partitions(
        _partition, published=published, model=location, batch_size=batch_size
    )
