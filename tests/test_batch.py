"""Corpus-scale extraction (skytally.batch, `skytally extract` in records mode): bad
records are reported and the run goes on, every record is accounted for, a killed run
resumes to the same output, and n_process / Dask give the same events as one process."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from typer.testing import CliRunner

import skytally
from skytally import batch
from skytally.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
REGIONS = ("Belgorod", "Kursk", "Bryansk", "Oryol", "Tula", "Kaluga")


def articles(n: int, split: str = "dev") -> list[dict[str, Any]]:
    """The first `n` annotated articles of a split, as records."""
    found = []
    with open(ROOT / "training_data" / f"{split}.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            found.append(
                {
                    "id": record["id"],
                    "text": record["text"],
                    "published": record.get("published"),
                    "source": record.get("style", "corpus"),
                    "desk": "test",
                }
            )
            if len(found) == n:
                break
    return found


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return path


def records_file(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def events_by_id(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The event rows of a JSONL output grouped by record id, as event dicts."""
    fields = set(skytally.InterceptionEvent.model_fields)
    found: dict[str, list[dict[str, Any]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found.setdefault(row["id"], []).append({k: v for k, v in row.items() if k in fields})
    return found


def dumped(events: list[Any]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in events]


def comma_list(items: int) -> str:
    body = ", ".join(f"{i % 50 + 1} over the {REGIONS[i % 6]} region" for i in range(items))
    return f"Air defences destroyed drones overnight: {body}."


def run(*args: str, input: str | bytes | None = None) -> Any:
    return runner.invoke(app, ["extract", *args], input=input)


# ----------------------------------------------------------- bad records


def bad_corpus(
    path: Path, big: str, list_items: int = 20_000
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """A JSONL corpus of good articles with bad records injected between them;
    returns the good records and, per bad record's id, a word its error must hold."""
    good = articles(8)
    good.append({"id": "long-list", "text": comma_list(list_items), "published": "2025-06-01"})
    good.append({"id": "five-mb", "text": big})
    lines: list[bytes] = [json.dumps(r).encode() for r in good[:3]]
    lines.append(b'{"id": "latin1", "text": "\xdcber 12 Drohnen abgeschossen"}')
    lines.append(json.dumps({"id": "empty", "text": "   \n"}).encode())
    lines.append(b'{"id": "broken", "text": "45 drones over Kursk')
    lines.append(
        json.dumps(
            {"id": "bad-date", "text": "9 drones downed.", "published": "2025-02-30"}
        ).encode()
    )
    lines += [json.dumps(r).encode() for r in good[3:6]]
    lines.append(b'{"id": "surrogate", "text": "45 drones \\ud800 over Kursk"}')
    lines.append(json.dumps({"id": "number", "text": 45}).encode())
    lines.append(json.dumps({"id": "no-text", "body": "45 drones"}).encode())
    lines.append(b"[1, 2, 3]")
    lines += [json.dumps(r).encode() for r in good[6:]]
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected_errors = {
        f"{path}:4": "not valid UTF-8",
        "empty": "empty",
        f"{path}:6": "invalid JSON",
        "bad-date": "invalid published date",
        "surrogate": "lone surrogate",
        "number": "expects text as str",
        "no-text": "no 'text' field",
        f"{path}:14": "JSON object",
    }
    return good, expected_errors


def check_bad_corpus(tmp_path: Path, nlp: Language, big: str, *extra: str) -> None:
    corpus = tmp_path / "corpus.jsonl"
    good, expected_errors = bad_corpus(corpus, big)
    out = tmp_path / "events.jsonl"
    result = run(str(corpus), "--output", str(out), *extra)
    assert result.exit_code == 0, result.output
    results = records_file(tmp_path / "events.records.jsonl")
    read = len(corpus.read_bytes().splitlines())
    # every input line accounted for, in order, once
    assert [r["seq"] for r in results] == list(range(read))
    failed = {r["id"]: r["error"] for r in results if r["status"] == "failed"}
    assert set(failed) == set(expected_errors)
    for record_id, word in expected_errors.items():
        assert word in failed[record_id], (record_id, failed[record_id])
    assert f"{read} record(s) read: {len(good)} ok" in result.stderr
    assert f"{len(expected_errors)} failed" in result.stderr
    # the good records' events are skytally.extract's, one by one
    found = events_by_id(out)
    counts = {r["id"]: r["events"] for r in results if r["status"] == "ok"}
    for record in good:
        expected = dumped(skytally.extract(record["text"], record.get("published"), nlp=nlp))
        assert found.get(record["id"], []) == expected, record["id"]
        assert counts[record["id"]] == len(expected)
    assert len(found["long-list"]) > 10


def test_bad_records_are_reported_and_good_ones_match_extract(tmp_path: Path, nlp) -> None:
    # the 5 MB record is 50,000 lines of one long word (fast to tokenize); the slow
    # test below has 5 MB of news text
    check_bad_corpus(tmp_path, nlp, ("x" * 99 + "\n") * 50_000)


@pytest.mark.slow
def test_bad_records_with_five_mb_of_news_text(tmp_path: Path, nlp) -> None:
    text = "\n\n".join(r["text"] for r in articles(75))
    check_bad_corpus(
        tmp_path, nlp, (text * (5_000_000 // len(text) + 1))[:5_000_000], "--n-process", "2"
    )


def test_a_component_that_raises_fails_only_its_record() -> None:
    nlp = skytally.build_pipeline()

    @Language.component("skytally_test_bomb")
    def bomb(doc: Any) -> Any:
        if "BOOM" in doc.text:
            raise RuntimeError("boom in the pipeline")
        return doc

    nlp.add_pipe("skytally_test_bomb", first=True)
    texts = ["45 drones were shot down over Kursk.", "BOOM: 3 drones", "7 missiles were destroyed."]
    items = [batch.Record(i, f"r{i}", f"r{i}", text) for i, text in enumerate(texts)]
    outcomes = list(batch.process(items, nlp, batch_size=2))
    assert [o.item.id for o in outcomes] == ["r0", "r1", "r2"]
    assert [o.ok for o in outcomes] == [True, False, True]
    assert "skytally_test_bomb" in (outcomes[1].error or "")
    assert "boom in the pipeline" in (outcomes[1].error or "")
    assert outcomes[2].events and outcomes[2].events[0].count.value == 7
    assert nlp.default_error_handler is not batch._record_component_error  # restored


def test_csv_records_carry_their_columns_and_name_broken_lines(tmp_path: Path, nlp) -> None:
    corpus = tmp_path / "corpus.csv"
    good = articles(4)
    with open(corpus, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "published", "source", "desk", "count"])
        for record in good[:2]:
            writer.writerow([record["id"], record["text"], record["published"], "tass", "A", "x"])
        handle.write('bad-row,"only two fields"\n')
        for record in good[2:]:
            writer.writerow([record["id"], record["text"], record["published"], "", "B", "y"])
    out = tmp_path / "events.csv"
    result = run(str(corpus), "--output", str(out))
    assert result.exit_code == 0, result.output
    results = records_file(tmp_path / "events.records.jsonl")
    assert [r["status"] for r in results] == ["ok", "ok", "failed", "ok", "ok"]
    broken = results[2]
    line = 2 + good[0]["text"].count("\n") + good[1]["text"].count("\n") + 2
    assert broken["error"] == f"{corpus}:{line}: expected 6 fields, got 2"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    header = list(rows[0])
    assert header[:6] == ["id", "published", "source", "desk", "input_count", "index"]
    first = [r for r in rows if r["id"] == good[0]["id"]]
    expected = skytally.extract(good[0]["text"], good[0]["published"], nlp=nlp)
    assert [int(r["count"]) for r in first] == [e.count.value for e in expected]
    assert {(r["desk"], r["input_count"], r["source"]) for r in first} == {("A", "x", "tass")}


def test_a_missing_text_column_is_one_error_before_any_work(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.csv"
    corpus.write_text("id,body\n1,45 drones\n", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    result = run(str(corpus), "--output", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: [E040] {corpus}:1: the records have no 'text' field (fields: id, body); "
        "each record needs 'text' (and optionally 'id', 'published', 'source')"
    ]
    assert not out.exists() and not (tmp_path / "events.records.jsonl").exists()


def test_an_unwritable_output_fails_before_reading_the_input(tmp_path: Path) -> None:
    # the input does not exist: the error must be about the output, found first
    result = run(str(tmp_path / "missing.jsonl"), "--output", str(tmp_path / "no" / "out.jsonl"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr and "does not exist" in result.stderr
    result = run(str(tmp_path / "missing.jsonl"), "--output", str(tmp_path))
    assert result.exit_code == 2 and "it is a folder" in result.stderr


def test_a_folder_of_articles_and_standard_input(tmp_path: Path, nlp) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Air defences shot down 7 drones over the Kursk region.")
    (folder / "sub" / "b.txt").write_text("12 missiles were destroyed over the Black Sea.")
    (folder / "latin.txt").write_bytes("Über 12 Drohnen".encode("latin-1"))
    result = run(str(folder), "--published", "2025-06-01")  # events to stdout
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(r["id"], r["count"]["value"]) for r in rows} == {("a.txt", 7), ("sub/b.txt", 12)}
    assert rows[0]["published"] is None  # the record had none; --published filled in
    assert "3 record(s) read: 2 ok with 2 event(s), 1 failed" in result.stderr
    # standard input as JSONL records
    lines = "".join(json.dumps(r) + "\n" for r in articles(2))
    piped = run("-", "--input-format", "jsonl", "--format", "csv", input=lines)
    assert piped.exit_code == 0, piped.output
    assert piped.stdout.startswith("id,published,source,carried,index,count,")
    assert "2 record(s) read: 2 ok" in piped.stderr


def test_no_progress_bar_when_not_a_terminal(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", articles(12))
    result = run(str(corpus), "--output", str(tmp_path / "out.jsonl"))
    assert result.exit_code == 0
    assert len(result.stderr.strip().splitlines()) == 1  # the summary line only


# ------------------------------------------------------- resume after a kill


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_a_stopped_run_resumed_equals_an_uninterrupted_one(tmp_path: Path, suffix: str) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    corpus = tmp_path / "corpus.jsonl"
    write_jsonl(corpus, [*articles(12)[:5], {"id": "e", "text": ""}, *articles(12)[5:]])
    whole = tmp_path / f"whole{suffix}"
    assert run(str(corpus), "-o", str(whole)).exit_code == 0
    parts = tmp_path / f"parts{suffix}"
    first = run(str(corpus), "-o", str(parts), "--limit", "4")
    assert first.exit_code == 0 and "4 record(s) read" in first.stderr
    again = run(str(corpus), "-o", str(parts), "--resume", "--limit", "3")
    assert "7 record(s) read (4 from the earlier run)" in again.stderr
    last = run(str(corpus), "-o", str(parts), "--resume")
    assert last.exit_code == 0 and "13 record(s) read (7 from the earlier run)" in last.stderr
    assert parts.read_bytes() == whole.read_bytes()
    records = tmp_path / "parts.records.jsonl"
    assert records.read_bytes() == (tmp_path / "whole.records.jsonl").read_bytes()


def test_half_written_rows_and_lines_are_cut_off_on_resume(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", articles(10))
    whole = tmp_path / "whole.jsonl"
    assert run(str(corpus), "-o", str(whole)).exit_code == 0
    # a kill after record 6's rows, in the middle of its records line, and in a row of record 7
    out = tmp_path / "out.jsonl"
    records = tmp_path / "out.records.jsonl"
    lines = (tmp_path / "whole.records.jsonl").read_bytes().splitlines(keepends=True)
    checkpoint = json.loads(lines[5])["output_end"]
    records.write_bytes(b"".join(lines[:6]) + lines[6][:20])
    out.write_bytes(whole.read_bytes()[: json.loads(lines[6])["output_end"]] + b'{"id": "x", "ha')
    assert checkpoint < out.stat().st_size
    result = run(str(corpus), "-o", str(out), "--resume")
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == whole.read_bytes()
    assert records.read_bytes() == (tmp_path / "whole.records.jsonl").read_bytes()


def test_resume_refuses_another_input(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", articles(4))
    out = tmp_path / "out.jsonl"
    assert run(str(corpus), "-o", str(out), "--limit", "2").exit_code == 0
    write_jsonl(corpus, articles(4)[::-1])
    result = run(str(corpus), "-o", str(out), "--resume")
    assert result.exit_code == 2 and "not the same input" in result.stderr


def test_a_killed_process_resumes_to_the_same_output(tmp_path: Path) -> None:
    records = articles(60)
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [*records, *records, *records])
    whole = tmp_path / "whole.jsonl"
    assert run(str(corpus), "-o", str(whole)).exit_code == 0
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "skytally", "extract", str(corpus), "-o", str(out)]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    done = tmp_path / "out.records.jsonl"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if done.exists() and done.read_bytes().count(b"\n") >= 20:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    killed_at = done.read_bytes().count(b"\n")
    assert 20 <= killed_at < 180
    resumed = subprocess.run(
        [*command, "--resume"], capture_output=True, text=True, check=True, timeout=120
    )
    assert f"180 record(s) read ({killed_at} from the earlier run)" in resumed.stderr
    assert out.read_bytes() == whole.read_bytes()


# ------------------------------------------------------------ processes


def test_python_dash_m_skytally_is_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skytally", "schema"], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)["title"] == "InterceptionEvent"


def test_extract_many_keeps_pairs_with_two_processes(nlp) -> None:
    texts = [r["text"] for r in articles(6)]
    texts.insert(2, "")
    texts.insert(4, "\n\n".join(texts[:2] * 60))  # over 100,000 characters: several chunks
    assert len(texts[4]) > 2 * skytally.api.MAX_CHUNK_CHARS
    single = [dumped(skytally.extract(t, "2025-06-01", nlp=nlp)) for t in texts]
    double = skytally.extract_many(texts, "2025-06-01", nlp=nlp, n_process=2, batch_size=2)
    assert [dumped(events) for events in double] == single


def test_process_with_two_processes_equals_one(tmp_path: Path, nlp) -> None:
    corpus = tmp_path / "corpus.jsonl"
    good, _ = bad_corpus(corpus, "short big record", 300)

    def outcomes(n_process: int) -> list[tuple[str, str | None, list[dict[str, Any]]]]:
        items = batch.read_records(str(corpus), batch.InputFormat.jsonl)
        found = batch.process(items, nlp, batch_size=3, n_process=n_process)
        return [(o.item.id, o.error, dumped(o.events)) for o in found]

    one = outcomes(1)
    assert outcomes(2) == one
    assert sum(error is None for _, error, _ in one) == len(good)


def test_parquet_in_and_out(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    good = articles(5)
    table = pa.table({k: [r[k] for r in good] for k in ("id", "text", "published", "desk")})
    source = tmp_path / "in.parquet"
    pq.write_table(table, source)
    out = tmp_path / "out.parquet"
    result = run(str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    events = pq.read_table(out)
    assert events.schema.field("count").type == pa.int64()
    rows = events.to_pylist()
    as_jsonl = tmp_path / "out.jsonl"
    assert run(str(source), "-o", str(as_jsonl)).exit_code == 0
    expected = [json.loads(line) for line in as_jsonl.read_text().splitlines()]
    assert [(r["id"], r["desk"], r["count"]) for r in rows] == [
        (e["id"], e["desk"], e["count"]["value"]) for e in expected
    ]
    assert not (tmp_path / "out.parquet.partial.jsonl").exists()


# ------------------------------------------------------------------ Dask


@pytest.fixture(scope="module")
def dask_client() -> Any:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_extract_dask_equals_the_single_process_run(tmp_path: Path, nlp, dask_client) -> None:
    import dask.bag as db

    records = [
        *articles(10),
        {"id": "empty", "text": ""},
        {"id": "date", "text": "x", "published": "soon"},
    ]
    bag = db.from_sequence(records, npartitions=4)
    found = extract_dask_results(bag)
    assert [r["id"] for r in found] == [r["id"] for r in records]
    for record, result in zip(records, found, strict=True):
        if record["id"] in ("empty", "date"):
            assert result["status"] == "failed" and result["error"]
            continue
        expected = dumped(skytally.extract(record["text"], record["published"], nlp=nlp))
        assert result["events"] == expected, record["id"]
        assert result["desk"] == "test"
    # one pipeline per worker, however many partitions
    loads = dask_client.run(batch.pipeline_loads)
    assert len(loads) == 2 and all(n <= 1 for n in loads.values()) and sum(loads.values()) >= 1


def extract_dask_results(collection: Any) -> list[dict[str, Any]]:
    return batch.extract_dask(collection).compute()


def test_extract_dask_takes_a_dataframe(nlp, dask_client) -> None:
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    records = articles(4)
    frame = dd.from_pandas(pd.DataFrame(records), npartitions=2)
    found = extract_dask_results(frame)
    assert [r["id"] for r in found] == [r["id"] for r in records]
    for record, result in zip(records, found, strict=True):
        expected = dumped(skytally.extract(record["text"], record["published"], nlp=nlp))
        assert result["events"] == expected
    with pytest.raises(ValueError, match="no 'text' field"):
        batch.extract_dask(frame.drop(columns=["text"]))


def test_cli_on_dask_equals_the_single_process_run(tmp_path: Path, dask_client) -> None:
    corpus = tmp_path / "corpus.jsonl"
    bad_corpus(corpus, "a big record that is not big", 300)
    alone = tmp_path / "alone.csv"
    assert run(str(corpus), "-o", str(alone)).exit_code == 0
    on_dask = tmp_path / "dask.csv"
    address = dask_client.scheduler.address
    result = run(str(corpus), "-o", str(on_dask), "--dask", address, "--batch-size", "4")
    assert result.exit_code == 0, result.output
    assert on_dask.read_bytes() == alone.read_bytes()
    assert (tmp_path / "dask.records.jsonl").read_bytes() == (
        tmp_path / "alone.records.jsonl"
    ).read_bytes()


def test_the_counter_shows_records_and_words_per_second_on_a_terminal(monkeypatch) -> None:
    from skytally.cli import rate_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    with rate_progress("extracting") as advance:
        for _ in range(3):
            advance(250)
            time.sleep(0.12)
    shown = screen.getvalue()
    assert "records/s" in shown and "words/s" in shown and "3 records" in shown


def test_resume_of_a_finished_parquet_run_says_so(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    corpus = write_jsonl(tmp_path / "corpus.jsonl", articles(3))
    out = tmp_path / "out.parquet"
    assert run(str(corpus), "-o", str(out)).exit_code == 0
    result = run(str(corpus), "-o", str(out), "--resume")
    assert result.exit_code == 2 and "was finished already" in result.stderr


def test_cli_with_two_processes_equals_one(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    bad_corpus(corpus, "a big record that is not big", 300)
    alone = tmp_path / "alone.jsonl"
    assert run(str(corpus), "-o", str(alone)).exit_code == 0
    two = tmp_path / "two.jsonl"
    result = run(str(corpus), "-o", str(two), "--n-process", "2", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert two.read_bytes() == alone.read_bytes()
    assert (tmp_path / "two.records.jsonl").read_bytes() == (
        tmp_path / "alone.records.jsonl"
    ).read_bytes()
    refused = run(str(corpus), "-o", str(two), "--n-process", "0")
    assert refused.exit_code == 2 and "n_process must be" in refused.stderr
