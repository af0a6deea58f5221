"""The annotated corpus: its files are valid, in step with their sources, and
cover what the guidelines ask; the markup compiler and the validator report
every problem with its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skytally.cli import app
from skytally.corpus.build import build_corpus
from skytally.corpus.format import SOURCE_STYLES, read_records
from skytally.corpus.markup import build_record, read_markup, split_articles
from skytally.corpus.stats import corpus_stats
from skytally.corpus.validate import validate_record
from skytally.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "training_data"
RECORDS = read_records(DATA)


@pytest.mark.parametrize("where_record", RECORDS, ids=[r.id for _, r in RECORDS])
def test_every_training_article_is_valid(where_record) -> None:
    where, record = where_record
    assert validate_record(record, where) == []


def test_jsonl_files_are_built_from_the_current_sources(tmp_path: Path) -> None:
    build_corpus(DATA / "sources", tmp_path)
    for split in ("train", "dev", "test"):
        assert (tmp_path / f"{split}.jsonl").read_text(encoding="utf-8") == (
            DATA / f"{split}.jsonl"
        ).read_text(encoding="utf-8"), f"{split}.jsonl is stale: run skytally data build"


def test_corpus_covers_the_required_styles_and_splits() -> None:
    records = [record for _, record in RECORDS]
    tables = corpus_stats(records)
    assert tables["size"]["articles"] >= 520
    styles = tables["style"]
    assert len([s for s in SOURCE_STYLES if styles[s] >= 15]) >= 11
    # at least 200 articles modelled on real reports, each with its source recorded
    assert styles["real_derived"] >= 200
    real = [r for r in records if r.source_style == "real_derived"]
    assert all(r.source_url and r.source_url.startswith("http") for r in real)
    assert tables["phenomenon"]["modelled on a real report"] >= 200
    splits = tables["split"]
    assert splits["train"] > 0.55 * len(records) and splits["dev"] >= 0.1 * len(records)
    assert splits["test"] >= 50 and splits["real_test"] >= 50
    # the realistic test split holds only articles modelled on real reports
    assert {r.source_style for r in records if r.split == "real_test"} == {"real_derived"}
    no_event = tables["phenomenon"]["no event"]
    assert 0.05 * len(records) <= no_event <= 0.3 * len(records)
    for phenomenon in (
        "total with breakdown",
        "subset heading to",
        "each / sum-pinned list",
        "respectively",
        "bound or approximation",
        "a / another / both",
        "launched",
        "suppressed",
        "hit",
        "missile",
        "guided bomb",
        "naval drone",
        "sea",
        "city or district",
        "not a real region",
        "GMT/UTC conversion",
        "hedged claim",
        "restatement (same=)",
    ):
        assert tables["phenomenon"][phenomenon] >= 5, phenomenon
    # real Ukrainian Air Force reports give "locationally lost" almost every day
    assert tables["outcome"]["suppressed"] >= 0.03 * tables["size"]["events"]


def test_the_manifest_lists_every_real_derived_article() -> None:
    lines = (DATA / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["id", "split", "source_style", "source_url"]
    listed = {line.split("\t")[0]: line.split("\t")[3] for line in lines[1:]}
    real = {r.id: r.source_url for _, r in RECORDS if r.source_url}
    assert listed == real


def test_ids_are_unique_and_splits_fixed_per_article() -> None:
    ids = [record.id for _, record in RECORDS]
    assert len(ids) == len(set(ids))
    for where, record in RECORDS:
        assert Path(where.split(":")[0]).stem == record.split


MARKUP = """id: t-0001
published: 2025-11-01T09:00:00+03:00
source_style: ministry_bulletin
split: train
---
[Air defences]{CLAIMANT#k1} [destroyed]{OUTCOME#o1 value=destroyed} \
[98]{COUNT#c1 value=98 out=o1 weapon=w1 by=k1} [drones]{WEAPON#w1 cat=drone}, \
[two]{COUNT#c2 value=2 of=c1 place=p1,p2} each over [Voronezh]{PLACE#p1 code=RU-VOR} \
and [Crimea]{PLACE#p2 code=UA-43}.
"""


def test_markup_compiles_to_offsets_relations_and_events() -> None:
    (article,) = split_articles(MARKUP, "sample.txt")
    record = build_record(article)
    assert record.text == "Air defences destroyed 98 drones, two each over Voronezh and Crimea."
    for span in record.spans:
        assert record.text[span.start : span.end] == span.text
    assert [
        (e.count.value, e.place.code if e.place else None, e.part_of) for e in record.events
    ] == [
        (98, None, None),
        (2, "RU-VOR", 0),
        (2, "UA-43", 0),
    ]
    # the breakdown inherits the total's outcome, weapon and claimant
    assert all(e.outcome.value == "destroyed" and e.weapon is not None for e in record.events)
    assert record.events[1].claimant == record.events[0].claimant


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("[98]{COUNT#c1 out=o1}", "COUNT needs value="),
        ("[98]{COUNT#c1 value=98 out=o9}", "out=o9 names no span"),
        ("[Mars]{PLACE#p1}", "not in the gazetteer"),
        ("[overnight]{TIME#t1 start=2025-11-01T07:00:00}", "needs a UTC offset"),
        ("[98]{COUNT#c1 value=98 out=destroyed q=lots}", "q='lots'"),
        ("[98]{COUNT c1 value=98}", "must start with LABEL#id"),
    ],
)
def test_markup_errors_name_file_and_line(tmp_path: Path, broken: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(
        "id: bad-1\npublished: 2025-11-01\nsource_style: other\nsplit: train\n---\n"
        f"First line.\nAir defences destroyed {broken} drones.\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as error:
        read_markup(path)
    assert f"{path}:7" in str(error.value)
    assert message in str(error.value)


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_validate_command_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    (_, good), *_ = RECORDS
    payload = json.loads(good.model_dump_json())
    broken = json.loads(good.model_dump_json())
    broken["id"] = "broken-1"
    broken["spans"][0]["start"] += 1  # text no longer matches, off token boundary
    dangling = json.loads(good.model_dump_json())
    dangling["id"] = "broken-2"
    dangling["relations"].append({"head": "c1", "child": "nope", "label": "place"})
    path = tmp_path / "data.jsonl"
    _write_jsonl(path, [payload, broken, dangling])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    result = CliRunner().invoke(app, ["data", "validate", str(path)])
    assert result.exit_code == 2
    output = result.output
    assert f"{path}:2: broken-1" in output
    assert f"{path}:3: broken-2" in output and "does not exist" in output
    assert f"{path}:4: invalid JSON" in output


def test_validate_command_passes_on_the_corpus() -> None:
    result = CliRunner().invoke(app, ["data", "validate", str(DATA)])
    assert result.exit_code == 0, result.output
    assert "all valid" in result.output


def test_stats_command_prints_tables() -> None:
    result = CliRunner().invoke(app, ["data", "stats", str(DATA / "dev.jsonl"), "--json"])
    assert result.exit_code == 0
    tables = json.loads(result.output)
    lines = (DATA / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    assert tables["split"] == {"dev": len(lines)}
    assert sum(tables["style"].values()) == len(lines)
    assert set(tables) >= {"split", "style", "label", "relation", "outcome", "phenomenon"}


def test_overlap_finds_a_copied_run_through_markup_and_punctuation() -> None:
    from skytally.corpus.overlap import shared_runs

    source = "Air defence systems on duty intercepted and destroyed 38 Ukrainian drones overnight."
    copied = (
        "[Air defence]{CLAIMANT#k1} systems on duty [intercepted and destroyed]{OUTCOME#o1 "
        "value=destroyed} [38]{COUNT#c1 value=38 out=o1} Ukrainian drones, it said."
    )
    (run,) = shared_runs(copied, source)
    assert str(run) == "air defence systems on duty intercepted and destroyed 38 ukrainian drones"
    rewritten = "Thirty-eight Ukrainian drones were downed during the night, the ministry said."
    assert shared_runs(rewritten, source) == []
    seven = "systems on duty intercepted and destroyed 38 of them"
    assert shared_runs(seven, source) == []


def test_a_cycle_of_totals_is_an_annotation_error() -> None:
    source = (
        "id: cycle-1\npublished: 2025-03-10T08:30:00+03:00\nsplit: train\n---\n"
        "Air defences [destroyed]{OUTCOME#o1 value=destroyed} "
        "[12]{COUNT#c1 value=12 out=o1 of=c2} drones, "
        "[12]{COUNT#c2 value=12 of=c1} of them over Kursk.\n"
    )
    (article,) = split_articles(source, "cycle.txt")
    with pytest.raises(DataError, match="part_of cycle through c1 -> c2 -> c1"):
        build_record(article)
