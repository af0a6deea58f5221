"""`skytally extract`, `schema` and `save-model` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skytally.cli import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bulletin.txt"
runner = CliRunner()


def _extract(*args: str, input: str | None = None):
    return runner.invoke(app, ["extract", *args], input=input)


def test_json_output_of_the_bundled_example() -> None:
    result = _extract(str(EXAMPLE), "--published", "2025-03-03T10:00:00+03:00")
    assert result.exit_code == 0, result.output
    (document,) = json.loads(result.stdout)
    assert document["source"] == str(EXAMPLE)
    events = document["events"]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert events[0]["count"]["value"] == 64 and events[0]["part_of"] is None
    assert events[0]["period"]["start"] == "2025-03-02T23:00:00+03:00"
    for event in events:
        assert text[event["count"]["start"] : event["count"]["end"]] == event["count"]["text"]
    # "Two each were destroyed over the Tula and Kaluga regions"
    each = [
        (e["count"]["value"], e["place"]["code"]) for e in events if e["count"]["text"] == "Two"
    ]
    assert each == [(2, "RU-TUL"), (2, "RU-KLU")]
    # the production figure and the war-long tally are not events
    assert all(e["count"]["value"] < 1000 for e in events)


def test_jsonl_and_csv_have_one_row_per_event() -> None:
    args = (str(EXAMPLE), "--published", "2025-03-03")
    as_json = json.loads(_extract(*args).stdout)[0]["events"]
    lines = _extract(*args, "--format", "jsonl").stdout.splitlines()
    assert len(lines) == len(as_json)
    assert json.loads(lines[0])["count"] == as_json[0]["count"]
    rows = list(csv.DictReader(io.StringIO(_extract(*args, "--format", "csv").stdout)))
    assert len(rows) == len(as_json)
    assert rows[1]["place_code"] == as_json[1]["place"]["code"]
    assert rows[1]["part_of"] == "0"


def test_table_output() -> None:
    result = _extract(str(EXAMPLE), "--format", "table")
    assert result.exit_code == 0
    assert "RU-BRY" in result.stdout and "events" in result.stdout


def test_standard_input() -> None:
    result = _extract("-", input="Air defences shot down 7 drones over the Kursk region.")
    assert result.exit_code == 0
    (document,) = json.loads(result.stdout)
    assert document["source"] == "-"
    assert [e["place"]["code"] for e in document["events"]] == ["RU-KRS"]


def test_several_files_keep_their_names(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("Air defences destroyed 3 drones over the Oryol region.", encoding="utf-8")
    second.write_text("Nothing was shot down.", encoding="utf-8")
    documents = json.loads(_extract(str(first), str(second)).stdout)
    assert [d["source"] for d in documents] == [str(first), str(second)]
    assert [len(d["events"]) for d in documents] == [1, 0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "cannot read missing.txt: no such file"),
        ([str(EXAMPLE), "--published", "last week"], "invalid published date 'last week'"),
        ([str(EXAMPLE), "--model", "/nonexistent/model"], "is not a skytally pipeline"),
    ],
)
def test_user_errors_are_one_line_and_exit_two(args: list[str], message: str) -> None:
    result = _extract(*args)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_undecodable_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Über 12 Drohnen".encode("latin-1"))
    result = _extract(str(path))
    assert result.exit_code == 2
    assert f"cannot read {path}: the file is not valid UTF-8" in result.stderr


def test_unknown_format_is_refused() -> None:
    result = _extract(str(EXAMPLE), "--format", "xml")
    assert result.exit_code == 2


def test_schema_is_the_event_json_schema() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "InterceptionEvent"
    assert {"count", "weapon", "outcome", "place", "period", "part_of"} <= set(schema["properties"])


def test_save_model_writes_a_loadable_pipeline(tmp_path: Path) -> None:
    target = tmp_path / "model"
    assert runner.invoke(app, ["save-model", str(target)]).exit_code == 0
    result = _extract(str(EXAMPLE), "--model", str(target), "--format", "jsonl")
    assert result.exit_code == 0 and result.stdout.count("\n") > 5
    again = runner.invoke(app, ["save-model", str(target)])
    assert again.exit_code == 2 and f"cannot write {target}" in again.stderr


def test_console_script_is_installed() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skytally.cli", "schema"], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)["title"] == "InterceptionEvent"


def test_table_keeps_the_time_zone() -> None:
    result = _extract(str(EXAMPLE), "--published", "2025-03-03T10:00:00+03:00", "--format", "table")
    assert "2025-03-02 23:00+03:00" in result.stdout  # the Russian claim, Moscow time
    assert "2025-03-02 23:00+02:00" in result.stdout  # the Ukrainian one, Kyiv time in March


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    result = _extract(str(tmp_path))
    assert result.exit_code == 2
    assert "it is a folder, not a file" in result.stderr


@pytest.mark.parametrize("args", [["extract", str(EXAMPLE), "--format", "xml"], ["extract"]])
def test_usage_mistakes_are_one_line_too(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skytally.cli", *args], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_validate_refuses_markup_and_empty_files(tmp_path: Path) -> None:
    markup = ROOT / "training_data" / "sources" / "wire_story.txt"
    result = runner.invoke(app, ["data", "validate", str(markup)])
    assert result.exit_code == 2 and "skytally data build" in result.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["data", "validate", str(empty)])
    assert result.exit_code == 2 and "holds no records" in result.stderr
