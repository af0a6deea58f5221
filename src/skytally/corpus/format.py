"""The annotated-article format: one JSON object per line (JSONL).

The same record trains the entity and relation components and scores the
whole extractor, so spans, relations and expected events live side by side.
See docs/annotation.md for the field-by-field description.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import DataError, Errors
from ..schema import GoldEvent

T = TypeVar("T")

SPAN_LABELS: tuple[str, ...] = ("COUNT", "WEAPON", "PLACE", "TIME", "CLAIMANT", "OUTCOME")

#: relation label -> label of the span it points at (the head is always a COUNT)
RELATION_TARGETS: dict[str, str] = {
    "place": "PLACE",
    "time": "TIME",
    "weapon": "WEAPON",
    "claimant": "CLAIMANT",
    "part_of": "COUNT",
    "heading_to": "PLACE",
    "outcome": "OUTCOME",
}

SOURCE_STYLES: tuple[str, ...] = (
    "ministry_bulletin",
    "wire_story",
    "state_agency",
    "ukrainian_relay",
    "governor_post",
    "air_force_summary",
    "city_administration",
    "analysis",
    "content_farm",
    "live_blog",
    "real_derived",
    "other",
)

#: `real_test` holds articles modelled on real reports that are never used for tuning
SPLITS: tuple[str, ...] = ("train", "dev", "test", "real_test")


class SpanRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    label: Literal["COUNT", "WEAPON", "PLACE", "TIME", "CLAIMANT", "OUTCOME"]
    text: str
    attrs: dict[str, Any] = Field(default_factory=dict)


class RelationRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    head: str
    child: str
    label: Literal["place", "time", "weapon", "claimant", "part_of", "heading_to", "outcome"]


class ArticleRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    published: str | None = None
    source_style: str = "other"
    split: Literal["train", "dev", "test", "real_test"] | None = None
    source_url: str | None = None
    spans: list[SpanRecord] = Field(default_factory=list)
    relations: list[RelationRecord] = Field(default_factory=list)
    events: list[GoldEvent] = Field(default_factory=list)

    @field_validator("published")
    @classmethod
    def _published_supported(cls, value: str | None) -> str | None:
        # the same check as `skytally extract --published`: a record `data validate`
        # passes never fails later in `evaluate` or `annotate`
        from ..times import parse_published

        parse_published(value)
        return value

    def span_by_id(self) -> dict[str, SpanRecord]:
        return {span.id: span for span in self.spans}


def _format_validation_error(error: ValidationError) -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in first["loc"])
    return f"{location}: {first['msg']}"


def parse_object(line: str, where: str) -> dict[str, Any]:
    """One JSON object from one line; errors name `where` (file:line)."""
    line = line.rstrip("\r\n")
    try:
        payload = json.loads(line)
    except json.JSONDecodeError as error:
        # the position in this line: a line cut short fails at its end, not at
        # "column 1" of a line after it
        at = "at the end of the line" if error.pos >= len(line) else f"column {error.pos + 1}"
        raise DataError(Errors.E010.format(where=where, reason=f"{error.msg} ({at})")) from None
    if not isinstance(payload, dict):
        raise DataError(Errors.E011.format(where=where, reason="a line must hold one JSON object"))
    return payload


def parse_line(line: str, where: str) -> ArticleRecord:
    """Parse one JSONL line into a record; errors name `where` (file:line)."""
    try:
        return ArticleRecord.model_validate(parse_object(line, where))
    except ValidationError as error:
        raise DataError(
            Errors.E011.format(where=where, reason=_format_validation_error(error))
        ) from None


def iter_lines(path: Path, parse: Callable[[str, str], T]) -> Iterator[tuple[str, T | DataError]]:
    """Yield (`file:line`, what `parse` made of the line, or the error it raised)
    for every non-blank line. Errors are yielded rather than raised so a
    validator can report them all; a file that cannot be read at all raises."""
    try:
        # utf-8-sig: files saved by Windows tools start with a byte-order mark
        handle = path.open(encoding="utf-8-sig")
    except OSError as error:
        raise DataError(Errors.E004.format(path=path, reason=error.strerror)) from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    yield where, parse(line, where)
                except DataError as error:
                    yield where, error
        except UnicodeDecodeError as error:
            raise DataError(Errors.E003.format(path=path, position=error.start)) from None


def iter_jsonl(path: Path) -> Iterator[tuple[str, ArticleRecord | DataError]]:
    """Every record of a JSONL file, with its `file:line`."""
    return iter_lines(path, parse_line)


def read_text_file(path: Path) -> str:
    """A whole UTF-8 file (a byte-order mark is dropped); errors name the file."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(Errors.E003.format(path=path, position=error.start)) from None
    except OSError as error:
        raise DataError(Errors.E004.format(path=path, reason=error.strerror)) from None


def data_files(path: Path) -> list[Path]:
    """A JSONL file, or every *.jsonl directly inside a folder, sorted."""
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise DataError(Errors.E004.format(path=path, reason="no .jsonl files in folder"))
        return files
    if not path.exists():
        raise DataError(Errors.E004.format(path=path, reason="no such file or folder"))
    if path.suffix == ".txt":
        raise DataError(
            Errors.E004.format(
                path=path,
                reason="this looks like skytally markup, not JSONL: compile it with "
                "`skytally data build` (or check it with `python -m skytally.corpus`)",
            )
        )
    return [path]


def read_records(path: Path) -> list[tuple[str, ArticleRecord]]:
    """Every record under `path`; raises DataError listing every unreadable line."""
    records: list[tuple[str, ArticleRecord]] = []
    problems: list[str] = []
    for file in data_files(path):
        for where, item in iter_jsonl(file):
            if isinstance(item, DataError):
                problems.append(str(item))
            else:
                records.append((where, item))
    if problems:
        raise DataError(problems[0], problems)
    return records


def write_jsonl(records: Iterable[ArticleRecord], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(record.model_dump_json(exclude_none=False) + "\n")
            count += 1
    return count
