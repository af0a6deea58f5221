"""Converters between skytally JSONL and Prodigy, Label Studio, doccano and spaCy DocBin.

The hand-made files under fixtures/convert/ are in each tool's own export
format, without skytally metadata, as a user would bring them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import DocBin
from typer.testing import CliRunner

from skytally import __version__
from skytally.cli import app
from skytally.corpus.convert import (
    DOC_RECORD_KEY,
    Article,
    infer_format,
    make_doc,
    prediction_record,
    read_annotations,
    read_articles,
    span_values,
    to_doccano,
    to_labelstudio,
    to_prodigy,
    write_annotations,
)
from skytally.corpus.format import ArticleRecord
from skytally.corpus.markup import read_markup
from skytally.corpus.validate import validate_record
from skytally.errors import DataError, InputError

FIXTURES = Path(__file__).parent / "fixtures"
CONVERT = FIXTURES / "convert"
ARTICLES = FIXTURES / "articles.txt"
FORMATS = {
    "jsonl": "jsonl",
    "prodigy": "jsonl",
    "labelstudio": "json",
    "doccano": "jsonl",
    "spacy": "spacy",
}

runner = CliRunner()


@pytest.fixture(scope="module")
def records() -> list[ArticleRecord]:
    return read_markup(ARTICLES)


def dump(records: list[ArticleRecord]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in records]


def imported(path: Path, fmt: str) -> list[ArticleRecord]:
    return [record for _, record in read_annotations(path, fmt).records]


def event_rows(record: ArticleRecord) -> list[tuple[Any, ...]]:
    return [
        (
            e.count.value,
            e.count.qualifier.value,
            e.outcome.value,
            e.weapon.category.value if e.weapon else None,
            e.place.code if e.place else None,
            e.heading_to.code if e.heading_to else None,
            e.claimant.name if e.claimant else None,
            e.part_of,
        )
        for e in record.events
    ]


def relation_rows(record: ArticleRecord) -> set[tuple[str, str, str]]:
    spans = record.span_by_id()
    return {(spans[r.head].text, r.label, spans[r.child].text) for r in record.relations}


def write_lines(path: Path, items: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def raises_problem(path: Path, fmt: str) -> DataError:
    with pytest.raises(DataError) as caught:
        read_annotations(path, fmt)
    return caught.value


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_round_trip_gives_back_identical_records(
    records: list[ArticleRecord], fmt: str, tmp_path: Path
) -> None:
    path = tmp_path / f"corpus.{FORMATS[fmt]}"
    written = write_annotations([(r.id, r) for r in records], path, fmt)
    assert written == len(records)
    back = read_annotations(path, fmt)
    assert dump([r for _, r in back.records]) == dump(records)
    assert back.notes == []


@pytest.mark.parametrize("fmt", ["prodigy", "labelstudio", "doccano", "spacy"])
def test_round_trip_through_cli_then_validates(fmt: str, tmp_path: Path) -> None:
    exported = tmp_path / f"out.{FORMATS[fmt]}"
    back = tmp_path / "back.jsonl"
    first = runner.invoke(app, ["data", "convert", str(ARTICLES), str(exported), "--to", fmt])
    assert first.exit_code == 0, first.output
    assert f"(markup -> {fmt})" in first.stdout
    second = runner.invoke(app, ["data", "convert", str(exported), str(back), "--from", fmt])
    assert second.exit_code == 0, second.output
    original = dump(read_markup(ARTICLES))
    assert f"wrote {len(original)} record(s) to {back} ({fmt} -> jsonl)" in second.stdout
    assert [json.loads(line) for line in back.read_text().splitlines()] == original
    assert runner.invoke(app, ["data", "validate", str(back)]).exit_code == 0


def test_reordered_by_the_tool_still_round_trips(
    records: list[ArticleRecord], tmp_path: Path
) -> None:
    # tools re-sort regions; the snapshot restores the order, and the record
    record = records[0]
    task = to_labelstudio(record, 0)
    task["annotations"][0]["result"].reverse()
    path = tmp_path / "reordered.json"
    path.write_text(json.dumps([task]))
    back = read_annotations(path, "labelstudio")
    assert dump([r for _, r in back.records]) == dump([record])
    assert back.notes == []


# --------------------------------------------------------------------------- export shapes


def test_prodigy_export_is_what_rel_manual_writes(records: list[ArticleRecord]) -> None:
    record = records[0]
    task = to_prodigy(record, record.id)
    assert task["answer"] == "accept"
    assert task["meta"]["article_id"] == record.id
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in task["tokens"]) == record.text
    by_offsets = {(s["start"], s["end"]): s for s in task["spans"]}
    for relation in task["relations"]:
        # head and child are the index of the last token of the span
        assert relation["head"] == relation["head_span"]["token_end"]
        assert relation["child"] == relation["child_span"]["token_end"]
        head = relation["head_span"]
        assert by_offsets[(head["start"], head["end"])]["label"] == "COUNT"
    for span in task["spans"]:
        tokens = task["tokens"][span["token_start"] : span["token_end"] + 1]
        assert (tokens[0]["start"], tokens[-1]["end"]) == (span["start"], span["end"])


def test_labelstudio_and_doccano_exports(records: list[ArticleRecord]) -> None:
    record = records[1]
    task = to_labelstudio(record, 4)
    assert task["id"] == 5 and task["data"]["text"] == record.text
    result = task["annotations"][0]["result"]
    regions = [r for r in result if r["type"] == "labels"]
    arrows = [r for r in result if r["type"] == "relation"]
    assert len(regions) == len(record.spans) and len(arrows) == len(record.relations)
    assert {(r["from_name"], r["to_name"]) for r in regions} == {("label", "text")}
    region_ids = {r["id"] for r in regions}
    assert all(a["from_id"] in region_ids and a["to_id"] in region_ids for a in arrows)
    assert all(a["direction"] == "right" and len(a["labels"]) == 1 for a in arrows)
    line = to_doccano(record, 0)
    ids = {e["id"] for e in line["entities"]}
    assert all(isinstance(i, int) for i in ids)
    assert {(r["from_id"] in ids, r["to_id"] in ids) for r in line["relations"]} == {(True, True)}
    assert line["article_id"] == record.id


def test_docbin_carries_entities_links_values_and_events(
    records: list[ArticleRecord], tmp_path: Path
) -> None:
    record = records[0]
    path = tmp_path / "train.spacy"
    write_annotations([(record.id, record)], path, "spacy")
    doc = next(iter(DocBin().from_disk(path).get_docs(make_doc("").vocab)))
    assert doc.text == record.text
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == sorted(
        (s.start, s.end, s.label) for s in record.spans
    )
    assert len(doc._.links) == len(record.relations)
    assert doc._.published == record.published
    assert len(doc._.event_data) == len(record.events)
    assert doc.user_data[DOC_RECORD_KEY]["id"] == record.id
    count = next(s for s in record.spans if s.label == "COUNT")
    assert doc._.skytally_values[f"{count.start}:{count.end}"]["value"] == count.attrs["value"]


# --------------------------------------------------------------------------- hand-made imports


def test_prodigy_rel_manual_export_imports() -> None:
    result = read_annotations(CONVERT / "prodigy_rel_manual.jsonl", "prodigy")
    assert [where.rsplit(":", 1)[1] for where, _ in result.records] == ["1", "2"]
    assert any("skipped 1 task(s) answered 'reject'" in note for note in result.notes)
    first, second = (record for _, record in result.records)

    assert first.id == "pg-bryansk"  # from meta.article_id
    assert first.published == "2025-06-02T08:00:00+03:00"
    # text order, with markup-style ids
    assert [(s.id, s.label, s.text) for s in first.spans] == [
        ("o1", "OUTCOME", "shot down"),
        ("c1", "COUNT", "23"),
        ("w1", "WEAPON", "drones"),
        ("t1", "TIME", "overnight"),
        ("c2", "COUNT", "14"),
        ("p1", "PLACE", "Bryansk region"),
        ("k1", "CLAIMANT", "Defence Ministry"),
    ]
    spans = {s.text: s for s in first.spans}
    assert spans["23"].attrs == {"value": 23, "qualifier": "exact"}
    assert spans["Bryansk region"].attrs["code"] == "RU-BRY"
    assert spans["Defence Ministry"].attrs == {"name": "Russian Ministry of Defence"}
    assert spans["overnight"].attrs == {
        "start": "2025-06-01T23:00:00+03:00",
        "end": "2025-06-02T07:00:00+03:00",
    }
    assert relation_rows(first) == {
        ("23", "outcome", "shot down"),
        ("23", "weapon", "drones"),
        ("23", "time", "overnight"),
        ("23", "claimant", "Defence Ministry"),
        ("14", "part_of", "23"),
        ("14", "place", "Bryansk region"),
    }
    assert event_rows(first) == [
        (23, "exact", "destroyed", "drone", None, None, "Russian Ministry of Defence", None),
        (14, "exact", "destroyed", "drone", "RU-BRY", None, "Russian Ministry of Defence", 0),
    ]
    # no article id in meta: the file's name and line
    assert second.id == "prodigy_rel_manual-2" and second.published is None
    assert event_rows(second) == [
        (11, "exact", "destroyed", "missile", "UA-51", None, "Ukrainian Air Force", 1),
        (17, "exact", "launched", "missile", None, None, "Ukrainian Air Force", None),
    ]
    assert any("'17' has no outcome word" in note and "launched" in note for note in result.notes)
    for where, record in result.records:
        assert validate_record(record, where) == []


def test_labelstudio_export_imports() -> None:
    launched, heading = imported(CONVERT / "labelstudio_export.json", "labelstudio")
    assert launched.id == "labelstudio_export-101"
    assert [s.id for s in launched.spans if s.label == "COUNT"] == ["c1", "c2", "c3"]
    assert event_rows(launched) == [
        (45, "exact", "launched", "drone", None, None, "Ukrainian Air Force", None),
        (38, "exact", "destroyed", "drone", None, None, "Ukrainian Air Force", 0),
        (5, "exact", "suppressed", "drone", None, None, "Ukrainian Air Force", 0),
    ]
    period = launched.events[1].period
    assert period is not None and period.end is not None
    assert period.end.isoformat() == "2025-03-04T07:00:00+02:00"  # resolved against data.published
    assert relation_rows(heading) == {
        ("three", "outcome", "downed"),
        ("three", "weapon", "drones"),
        ("three", "claimant", "Sergei Sobyanin"),
        ("three", "heading_to", "Moscow"),
    }
    assert event_rows(heading) == [
        (3, "exact", "destroyed", "drone", None, "RU-MOW", "Sergei Sobyanin", None)
    ]


def test_doccano_export_imports() -> None:
    more_than, each = imported(CONVERT / "doccano_export.jsonl", "doccano")
    assert more_than.id == "doccano_export-512" and more_than.published == "2025-05-20"
    assert event_rows(more_than) == [
        (30, "more_than", "destroyed", "drone", None, None, "Russian Ministry of Defence", None)
    ]
    # places marked but linked to nothing are kept (mark every place)
    assert {s.text for s in more_than.spans if s.label == "PLACE"} == {"Kursk", "Belgorod regions"}
    # "two each over A and B": one COUNT, two places, two events
    assert event_rows(each) == [
        (2, "exact", "destroyed", None, "RU-VOR", None, "Russian Ministry of Defence", None),
        (2, "exact", "destroyed", None, "UA-43", None, "Russian Ministry of Defence", None),
    ]


def test_format_of_jsonl_files_is_recognised(tmp_path: Path) -> None:
    assert infer_format(CONVERT / "prodigy_rel_manual.jsonl", reading=True) == "prodigy"
    assert infer_format(CONVERT / "doccano_export.jsonl", reading=True) == "doccano"
    assert infer_format(CONVERT / "labelstudio_export.json", reading=True) == "labelstudio"
    assert infer_format(ARTICLES, reading=True) == "markup"
    assert infer_format(tmp_path / "x.spacy", reading=False) == "spacy"
    with pytest.raises(InputError, match="read-only"):
        infer_format(tmp_path / "x.txt", reading=False)
    with pytest.raises(InputError, match="cannot tell the format"):
        infer_format(tmp_path / "x.csv", reading=False)


def test_edited_in_the_tool_keeps_values_and_derives_events_again(
    records: list[ArticleRecord], tmp_path: Path
) -> None:
    record = records[0]  # 52 UAVs with a regional breakdown
    task = to_labelstudio(record, 0)
    result = task["annotations"][0]["result"]
    kursk = next(s for s in record.spans if s.text == "Kursk region")
    # the annotator deletes the arrow "17 -> Kursk region" and marks "Kyiv" as a place
    result[:] = [r for r in result if not (r["type"] == "relation" and r["to_id"] == kursk.id)]
    start = record.text.index("Kyiv")
    result.append(
        {
            "id": "newregion1",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": start, "end": start + 4, "text": "Kyiv", "labels": ["PLACE"]},
        }
    )
    path = tmp_path / "edited.json"
    path.write_text(json.dumps([task]))
    back = imported(path, "labelstudio")[0]
    old_spans = {s.id: s for s in record.spans}
    for span in back.spans:
        if span.id in old_spans:
            assert span == old_spans[span.id]  # values set in skytally survive
    new = next(s for s in back.spans if s.start == start)
    assert new.id not in old_spans and new.attrs["code"] == "UA-30"
    assert len(back.events) == len(record.events)
    seventeen = next(e for e in back.events if e.count.value == 17)
    assert seventeen.place is None  # derived again, without the deleted relation
    assert validate_record(back, "edited") == []


def test_prodigy_relations_by_token_index_only(tmp_path: Path) -> None:
    line = json.loads((CONVERT / "prodigy_rel_manual.jsonl").read_text().splitlines()[0])
    for relation in line["relations"]:
        del relation["head_span"], relation["child_span"]
    back = imported(write_lines(tmp_path / "p.jsonl", [line]), "prodigy")[0]
    assert ("14", "place", "Bryansk region") in relation_rows(back)


def test_labelstudio_variants(tmp_path: Path) -> None:
    tasks = json.loads((CONVERT / "labelstudio_export.json").read_text())
    task = tasks[1]
    good = task["annotations"][0]
    # an arrow drawn the other way round, marked "left"
    for item in good["result"]:
        if item["type"] == "relation":
            item["from_id"], item["to_id"] = item["to_id"], item["from_id"]
            item["direction"] = "left"
    cancelled = {"id": 9, "result": [], "was_cancelled": True}
    second = json.loads(json.dumps(good)) | {"id": 11}
    task["annotations"] = [cancelled, good, second]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps(task))  # a single task, not a list, is read too
    result = read_annotations(path, "labelstudio")
    record = result.records[0][1]
    assert ("three", "heading_to", "Moscow") in relation_rows(record)
    assert any("has 2 annotations; used the first (id 301)" in note for note in result.notes)


def test_labelstudio_offsets_counted_in_utf16_are_fixed(tmp_path: Path) -> None:
    text = "🚀 Air defences shot down 12 drones over the Kursk region."
    units = lambda s: len(s.encode("utf-16-le")) // 2  # noqa: E731

    def region(rid: str, surface: str, label: str) -> dict[str, Any]:
        start = units(text[: text.index(surface)])
        return {
            "id": rid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {
                "start": start,
                "end": start + len(surface),
                "text": surface,
                "labels": [label],
            },
        }

    result = [
        region("a", "shot down", "OUTCOME"),
        region("b", "12", "COUNT"),
        region("c", "Kursk region", "PLACE"),
        {
            "from_id": "b",
            "to_id": "a",
            "type": "relation",
            "direction": "right",
            "labels": ["outcome"],
        },
        {
            "from_id": "b",
            "to_id": "c",
            "type": "relation",
            "direction": "right",
            "labels": ["place"],
        },
    ]
    path = tmp_path / "emoji.json"
    task = {"id": 1, "data": {"text": text}, "annotations": [{"result": result}]}
    path.write_text(json.dumps([task]))
    record = imported(path, "labelstudio")[0]
    assert [text[s.start : s.end] for s in record.spans] == ["shot down", "12", "Kursk region"]
    assert event_rows(record) == [(12, "exact", "destroyed", None, "RU-KRS", None, None, None)]


def test_handmade_docbin_imports(tmp_path: Path) -> None:
    text = "Air defences shot down 12 drones over the Kursk region."
    doc = make_doc(text)
    spans = {name: text.index(name) for name in ("shot down", "12", "drones", "Kursk region")}
    doc.ents = [
        doc.char_span(spans["shot down"], spans["shot down"] + 9, label="OUTCOME"),
        doc.char_span(spans["12"], spans["12"] + 2, label="COUNT"),
        doc.char_span(spans["drones"], spans["drones"] + 6, label="WEAPON"),
        doc.char_span(spans["Kursk region"], spans["Kursk region"] + 12, label="PLACE"),
    ]
    doc._.links = [
        [spans["12"], spans["12"] + 2, spans[c], spans[c] + len(c), label, 0.9]
        for c, label in (("shot down", "outcome"), ("drones", "weapon"), ("Kursk region", "place"))
    ]
    path = tmp_path / "own.spacy"
    DocBin(docs=[doc], store_user_data=True).to_disk(path)
    record = imported(path, "spacy")[0]
    assert record.id == "own-0"
    assert event_rows(record) == [(12, "exact", "destroyed", "drone", "RU-KRS", None, None, None)]


def test_span_values_reads_like_the_pipeline() -> None:
    text = "Nearly two dozen Shaheds were downed over the Belgorod region overnight."
    spans = [
        (text.index(s), text.index(s) + len(s), label)
        for s, label in (
            ("Nearly two dozen", "COUNT"),
            ("Shaheds", "WEAPON"),
            ("downed", "OUTCOME"),
            ("Belgorod region", "PLACE"),
            ("overnight", "TIME"),
        )
    ]
    values = span_values(text, spans, "2025-06-02")
    assert values[0] == {"value": 24, "qualifier": "approximate"}
    assert values[1] == {"category": "drone"}
    assert values[2] == {"value": "destroyed"}
    assert values[3] is not None and values[3]["code"] == "RU-BEL"
    assert values[4] is not None and values[4]["end"] is not None


# --------------------------------------------------------------------------- errors


def fixture_lines(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CONVERT / name).read_text().splitlines()]


def prodigy_lines() -> list[dict[str, Any]]:
    return fixture_lines("prodigy_rel_manual.jsonl")


def test_unknown_span_label_names_file_and_line(tmp_path: Path) -> None:
    lines = prodigy_lines()
    lines[1]["spans"][3]["label"] = "MISSILE"
    path = write_lines(tmp_path / "bad.jsonl", lines)
    error = raises_problem(path, "prodigy")
    assert str(error).startswith(f"{path}:2: spans[3]: ")
    assert "label 'MISSILE'" in str(error) and "COUNT, WEAPON" in str(error)


def test_offsets_outside_the_text_name_file_and_line(tmp_path: Path) -> None:
    lines = fixture_lines("doccano_export.jsonl")
    lines[1]["entities"][2]["end_offset"] = 500
    path = write_lines(tmp_path / "bad.jsonl", lines)
    error = raises_problem(path, "doccano")
    assert str(error).startswith(f"{path}:2: entities[2] (id ")
    assert "outside the text" in str(error)


def test_dangling_relation_names_the_task(tmp_path: Path) -> None:
    tasks = json.loads((CONVERT / "labelstudio_export.json").read_text())
    result = tasks[1]["annotations"][0]["result"]
    result[:] = [r for r in result if r.get("value", {}).get("text") != "Moscow"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(tasks))
    error = raises_problem(path, "labelstudio")
    assert str(error).startswith(f"{path}: task 1 (id 102): result[")
    assert "heading_to" in str(error) and "there is no span" in str(error)


def test_relation_drawn_backwards_is_explained(tmp_path: Path) -> None:
    lines = prodigy_lines()[:1]
    relation = lines[0]["relations"][5]  # 14 -> Bryansk region (place)
    relation["head"], relation["child"] = relation["child"], relation["head"]
    relation["head_span"], relation["child_span"] = relation["child_span"], relation["head_span"]
    error = raises_problem(write_lines(tmp_path / "bad.jsonl", lines), "prodigy")
    assert ":1: relations[5]: " in str(error)
    assert "goes from a PLACE to a COUNT" in str(error) and "draw it from the COUNT" in str(error)


def test_unknown_relation_label(tmp_path: Path) -> None:
    lines = fixture_lines("doccano_export.jsonl")
    lines[0]["relations"][0]["type"] = "said_by"
    error = raises_problem(write_lines(tmp_path / "bad.jsonl", lines), "doccano")
    assert ":1: relations[0]: " in str(error) and "'said_by'" in str(error)


def test_invalid_json_line_and_every_problem_listed(tmp_path: Path) -> None:
    lines = prodigy_lines()
    lines[0]["spans"][0]["label"] = "VERB"
    path = write_lines(tmp_path / "bad.jsonl", lines)
    with path.open("a") as handle:
        handle.write('{"text": "unfinished\n')
    error = raises_problem(path, "prodigy")
    assert str(error).startswith(f"{path}:1: ")
    assert any(p.startswith(f"[E010] {path}:4: invalid JSON") for p in error.problems)
    assert len(error.problems) == 2


def test_invalid_labelstudio_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": 1,\n   "data": {"text": "x"}\n  ,,\n]')
    error = raises_problem(path, "labelstudio")
    assert str(error).startswith(f"[E010] {path}:4: invalid JSON")


def test_span_problems(tmp_path: Path) -> None:
    text = "Air defences destroyed several drones over Kursk."

    def entity(n: int, start: int, end: int, label: str) -> dict[str, Any]:
        return {"id": n, "label": label, "start_offset": start, "end_offset": end}

    several = text.index("several")
    cases = {
        # a count with no number in it
        "has no number": [entity(1, several, several + 7, "COUNT")],
        # half a word
        "token boundaries": [entity(1, several, several + 4, "WEAPON")],
        # two spans over the same words
        "overlaps": [
            entity(1, several, several + 14, "WEAPON"),
            entity(2, several + 8, several + 14, "WEAPON"),
        ],
        # a word that is no outcome
        "is not an outcome": [entity(1, text.index("Air"), text.index("Air") + 3, "OUTCOME")],
    }
    for expected, entities in cases.items():
        path = write_lines(
            tmp_path / "bad.jsonl", [{"id": 1, "text": text, "entities": entities, "relations": []}]
        )
        error = raises_problem(path, "doccano")
        assert str(error).startswith(f"{path}:1: entities["), (expected, str(error))
        assert expected in str(error), (expected, str(error))


def test_count_without_any_outcome_is_an_error(tmp_path: Path) -> None:
    lines = fixture_lines("doccano_export.jsonl")
    lines[1]["relations"] = [r for r in lines[1]["relations"] if r["type"] != "outcome"]
    error = raises_problem(write_lines(tmp_path / "bad.jsonl", lines), "doccano")
    assert str(error).startswith(f"{tmp_path / 'bad.jsonl'}:2: ")
    assert "has no outcome" in str(error)


def test_export_refuses_spans_off_token_boundaries(
    records: list[ArticleRecord], tmp_path: Path
) -> None:
    record = records[0].model_copy(deep=True)
    span = next(s for s in record.spans if s.text == "UAVs")
    span.end -= 1
    span.text = span.text[:-1]
    with pytest.raises(DataError, match="token boundaries"):
        write_annotations([("x.jsonl:1", record)], tmp_path / "x.spacy", "spacy")
    record.relations[0].child = "nope"
    with pytest.raises(DataError, match=r"x\.jsonl:1: fixture-001: relation .* does not exist"):
        write_annotations([("x.jsonl:1", record)], tmp_path / "x.jsonl", "prodigy")


# --------------------------------------------------------------------------- CLI


def test_cli_infers_formats_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    source = CONVERT / "prodigy_rel_manual.jsonl"
    result = runner.invoke(app, ["data", "convert", str(source), str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote 2 record(s) to {out} (prodigy -> jsonl)"
    assert "note: " in result.stderr and "answered 'reject'" in result.stderr
    assert len(out.read_text().splitlines()) == 2


def test_cli_markup_is_read_only(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["data", "convert", str(CONVERT / "doccano_export.jsonl"), str(tmp_path / "x.txt")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: [E022] markup is read-only")
    assert "from markup, jsonl, prodigy, labelstudio, doccano, spacy to jsonl" in result.stderr
    result = runner.invoke(
        app, ["data", "convert", str(ARTICLES), str(tmp_path / "x.json"), "--to", "markup"]
    )
    assert result.exit_code == 2 and "read-only" in result.stderr


def test_cli_unknown_formats(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["data", "convert", str(ARTICLES), str(tmp_path / "x.json"), "--to", "brat"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: [E020] unknown conversion markup -> brat; supported: from"
    )
    result = runner.invoke(app, ["data", "convert", str(ARTICLES), str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "cannot tell the format of" in result.stderr and "--to" in result.stderr


def test_cli_bad_input_is_one_line_per_problem(tmp_path: Path) -> None:
    lines = prodigy_lines()
    lines[0]["relations"][0]["child_span"]["start"] = 0  # a span nobody marked
    bad = write_lines(tmp_path / "bad.jsonl", lines)
    result = runner.invoke(app, ["data", "convert", str(bad), str(tmp_path / "x.jsonl")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:1: relations[0]: ")
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.jsonl").exists()
    missing = runner.invoke(
        app, ["data", "convert", str(tmp_path / "nope.json"), str(tmp_path / "x.jsonl")]
    )
    assert missing.exit_code == 2 and missing.stderr.startswith("error: [E004] cannot read")


# --------------------------------------------------------------------------- annotate


@pytest.fixture(scope="module")
def seed_files() -> list[Path]:
    return sorted((FIXTURES / "seeds").glob("*.txt"))[:3]


def test_annotate_labelstudio_loads_back(seed_files: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    result = runner.invoke(
        app,
        [
            "annotate",
            *map(str, seed_files),
            "--to",
            "labelstudio",
            "--output",
            str(out),
            "--published",
            "2025-11-01T09:00:00+03:00",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {len(seed_files)} labelstudio task(s) with ")
    tasks = json.loads(out.read_text())
    assert [t["data"]["article_id"] for t in tasks] == [p.stem for p in seed_files]
    prediction = tasks[0]["predictions"][0]
    assert prediction["model_version"] == f"skytally-{__version__}"
    assert any(r["type"] == "relation" for r in prediction["result"])
    back = read_annotations(out, "labelstudio")
    assert len(back.records) == len(seed_files)
    assert any("used the prediction of skytally-" in note for note in back.notes)
    first = back.records[0][1]
    assert first.published == "2025-11-01T09:00:00+03:00"
    assert first.events and any(e.count.value == 98 for e in first.events)


def test_annotate_prodigy_from_jsonl_loads_back(tmp_path: Path) -> None:
    source = write_lines(
        tmp_path / "articles.jsonl",
        [
            {
                "id": "a1",
                "text": "Air defences shot down 12 drones over the Kursk region overnight.",
                "published": "2025-06-02",
            },
            {"text": "Russia launched 30 Shahed drones at Ukraine; 21 of them were shot down."},
        ],
    )
    out = tmp_path / "tasks.jsonl"
    result = runner.invoke(app, ["annotate", str(source), "--to", "prodigy", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tasks = [json.loads(line) for line in out.read_text().splitlines()]
    assert [t["meta"]["article_id"] for t in tasks] == ["a1", "articles-2"]
    assert "answer" not in tasks[0]  # a pre-annotation, for rel.manual to open
    assert tasks[0]["relations"] and all(
        r["head"] == r["head_span"]["token_end"] for r in tasks[0]["relations"]
    )
    records = imported(out, "prodigy")
    assert event_rows(records[0])[0][:5] == (12, "exact", "destroyed", "drone", "RU-KRS")
    assert records[0].published == "2025-06-02"


def test_annotate_many_inputs_and_errors(tmp_path: Path) -> None:
    files = []
    for n in range(12):  # more than PROGRESS_AFTER: the progress bar path
        path = tmp_path / f"a{n:02d}.txt"
        path.write_text(f"Air defences shot down {n + 1} drones over the Bryansk region.")
        files.append(str(path))
    out = tmp_path / "many.json"
    result = runner.invoke(app, ["annotate", *files, "--to", "labelstudio", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())) == 12
    bad_target = runner.invoke(app, ["annotate", files[0], "--to", "doccano", "-o", str(out)])
    assert bad_target.exit_code == 2
    assert bad_target.stderr.strip() == (
        "error: [E024] annotate writes labelstudio, prodigy or markup, not 'doccano'"
    )
    bad_date = runner.invoke(
        app, ["annotate", files[0], "--to", "prodigy", "-o", str(out), "--published", "yesterday"]
    )
    assert bad_date.exit_code == 2 and bad_date.stderr.startswith("error: --published: ")
    missing = runner.invoke(
        app, ["annotate", str(tmp_path / "nope.txt"), "--to", "prodigy", "-o", str(out)]
    )
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_read_articles_reports_lines_without_text(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "in.jsonl", [{"text": "ok"}, {"title": "no text"}])
    with pytest.raises(DataError, match=r"in\.jsonl:2: the line has no \"text\""):
        read_articles([path])


def test_prediction_record_is_a_pre_annotation(nlp: Any) -> None:
    doc = nlp("Air defences shot down 12 drones over the Kursk region.")
    record = prediction_record(doc, Article("x", doc.text, None, "x"))
    assert [s.label for s in record.spans].count("COUNT") == 1
    assert record.events == []


def test_annotate_to_markup_builds_back_to_the_predictions(tmp_path: Path) -> None:
    from skytally.corpus.markup import read_markup

    article = tmp_path / "tass.txt"
    article.write_text(
        "MOSCOW, March 4 - Russian air defense systems destroyed 38 Ukrainian drones "
        "overnight, the Defense Ministry said. Nineteen UAVs were shot down over the "
        "Bryansk region and 10 over the Kursk region."
    )
    out = tmp_path / "draft.txt"
    result = runner.invoke(
        app,
        [
            "annotate",
            str(article),
            "--to",
            "markup",
            "-o",
            str(out),
            "--published",
            "2025-03-04T09:00:00+03:00",
        ],
    )
    assert result.exit_code == 0, result.output
    (record,) = read_markup(out)
    assert record.text == article.read_text()
    rows = sorted(event_rows(record))
    assert [row[:5] for row in rows] == [
        (10, "exact", "destroyed", "drone", "RU-KRS"),
        (19, "exact", "destroyed", "drone", "RU-BRY"),
        (38, "exact", "destroyed", "drone", None),
    ]
