"""Compile the markup sources of a corpus into one JSONL file per split."""

from __future__ import annotations

from pathlib import Path

from ..errors import DataError, Errors
from .format import SPLITS, ArticleRecord, write_jsonl
from .markup import read_markup
from .validate import validate_record


def compile_sources(sources: list[Path]) -> list[ArticleRecord]:
    """Every article of the markup files, checked; raises DataError listing all problems."""
    records: list[ArticleRecord] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sources:
        try:
            found = read_markup(path)
        except DataError as error:
            problems.append(str(error))
            continue
        for record in found:
            if record.id in seen:
                problems.append(f"{path}: {record.id}: id already used in {seen[record.id]}")
            seen[record.id] = str(path)
            problems.extend(validate_record(record, where=str(path)))
            records.append(record)
    if problems:
        raise DataError(problems[0], problems)
    return records


MANIFEST_NAME = "manifest.tsv"
MANIFEST_COLUMNS = ("id", "split", "source_style", "source_url")


def write_manifest(records: list[ArticleRecord], path: Path) -> int:
    """One line per article modelled on a real report: where the real report is."""
    modelled = sorted((r for r in records if r.source_url), key=lambda r: r.id)
    lines = ["\t".join(MANIFEST_COLUMNS)]
    lines += [f"{r.id}\t{r.split}\t{r.source_style}\t{r.source_url}" for r in modelled]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(modelled)


def build_corpus(source: Path, output: Path) -> dict[str, int]:
    """Write one JSONL file per split (`train.jsonl`, `dev.jsonl`, `test.jsonl`,
    `real_test.jsonl`) and `manifest.tsv` under `output` from markup under `source`."""
    files = sorted(source.glob("*.txt")) if source.is_dir() else [source]
    if not files:
        raise DataError(Errors.E004.format(path=source, reason="no markup .txt files"))
    records = compile_sources(files)
    missing = [r.id for r in records if r.split not in SPLITS]
    if missing:
        raise DataError(
            Errors.E011.format(
                where=source, reason=f"articles without a split: {', '.join(missing[:5])}"
            )
        )
    output.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for split in SPLITS:
        chosen = sorted((r for r in records if r.split == split), key=lambda r: r.id)
        written[split] = write_jsonl(chosen, output / f"{split}.jsonl")
    write_manifest(records, output / MANIFEST_NAME)
    return written
