"""`skytally claims`: a generated corpus of 220 articles relaying known claims goes in, the
table must give back those claims, their conflicts and their sources (tests/claims_corpus.py)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from claims_corpus import AGGREGATOR, FARM, MOD, UAF, build
from typer.testing import CliRunner

from skytally.claims import (
    KAGGLE_COLUMNS,
    build_claims,
    claims_frame,
    claims_table,
    overlap,
    read_event_rows,
)
from skytally.cli import app

pd = pytest.importorskip("pandas")
runner = CliRunner()


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus() -> Any:
    return build()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, corpus: Any) -> dict[str, Path]:
    """Extract the corpus, then `skytally claims` with every output."""
    folder = tmp_path_factory.mktemp("claims")
    records = _write_jsonl(folder / "articles.jsonl", corpus.records)
    events = folder / "events.jsonl"
    extracted = runner.invoke(app, ["extract", str(records), "--output", str(events)])
    assert extracted.exit_code == 0, extracted.output
    paths = {
        "records": records,
        "events": events,
        "csv": folder / "claims.csv",
        "parquet": folder / "claims.parquet",
        "jsonl": folder / "claims.jsonl",
        "kaggle": folder / "daily.csv",
        "png": folder / "timeline.png",
        "svg": folder / "timeline.svg",
        "html": folder / "review.html",
    }
    for fmt in ("csv", "parquet", "jsonl"):
        args = ["claims", str(events), "-o", str(paths[fmt])]
        if fmt == "csv":
            args += ["--kaggle", str(paths["kaggle"]), "--plot", str(paths["png"]),
                     "--html", str(paths["html"]), "--articles", str(records)]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    svg = runner.invoke(app, ["claims", str(events), "-o", str(folder / "x.csv"),
                              "--plot", str(paths["svg"]), "--plot-by", "region"])  # fmt: skip
    assert svg.exit_code == 0, svg.output
    return paths


@pytest.fixture(scope="module")
def table(run: dict[str, Path]) -> Any:
    frame = claims_table(run["events"])
    return frame.astype(object).where(frame.notna(), None)


def _rows_by_key(table: Any) -> dict[tuple[Any, ...], list[Any]]:
    rows: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for row in table.to_dict(orient="records"):
        key = (row["day"], row["claimant"], row["outcome"], row["weapon"], row["place_code"])
        rows[key].append(row)
    return rows


def test_the_corpus_is_large_and_varied(corpus: Any) -> None:
    assert len(corpus.records) >= 200
    outlets = {r["source"] for r in corpus.records}
    assert {MOD, UAF, FARM, AGGREGATOR, "TASS", "Reuters"} <= outlets
    per_claim = [len(t.outlets) for t in corpus.truths]
    assert min(per_claim) >= 4


def test_the_table_recovers_every_known_claim_and_no_other(table: Any, corpus: Any) -> None:
    rows = _rows_by_key(table)
    truths = {t.key: t for t in corpus.truths}
    assert set(rows) == set(truths)
    for key, truth in truths.items():
        assert len(rows[key]) == 1, key
        row = rows[key][0]
        assert row["value"] == truth.value, (key, row["said"])
        assert set(row["outlets"]) == set(truth.outlets), key
        assert row["n_sources"] == len(truth.outlets)


def test_conflicts_say_who_said_what(table: Any, corpus: Any) -> None:
    rows = _rows_by_key(table)
    conflicts = [t for t in corpus.truths if t.conflict]
    assert {"value", "place"} <= {t.conflict for t in conflicts}
    for truth in corpus.truths:
        row = rows[truth.key][0]
        assert row["conflict"] == truth.conflict, (truth.key, row["said"])
        for outlet, stated in truth.wrong.items():
            assert outlet in row["said"][stated]
        if truth.conflict:
            # the consensus is the majority's, which the primary source is part of
            primary = f"{truth.claimant} (primary)"
            assert primary in row["said"][str(truth.value)]
            assert row["primary"] == [truth.claimant]


def test_breakdown_only_articles_support_the_total_by_their_sum(table: Any, corpus: Any) -> None:
    rows = _rows_by_key(table)
    checked = 0
    for truth in corpus.truths:
        if truth.place_code is None and AGGREGATOR in truth.outlets:
            sums = [s for s in rows[truth.key][0]["sources"] if s["kind"] == "breakdown sum"]
            assert [(s["outlet"], s["value"]) for s in sums] == [(AGGREGATOR, truth.value)]
            assert len(sums[0]["evidence"]) >= 3  # the parts' spans
            checked += 1
    assert checked >= 10


def test_totals_and_parts_stay_linked_and_nothing_is_counted_twice(table: Any, corpus: Any) -> None:
    rows = _rows_by_key(table)
    by_id = {row["claim_id"]: row for r in rows.values() for row in r}
    for truth in corpus.truths:
        row = rows[truth.key][0]
        if truth.parent is None:
            assert row["part_of"] is None, truth.key
        else:
            parent = by_id[row["part_of"]]
            outcome, weapon, place = truth.parent
            assert (parent["outcome"], parent["weapon"], parent["place_code"]) == (
                outcome, weapon, place)  # fmt: skip
            assert parent["day"] == truth.day
    # the truth's top-level sums per day, side and outcome
    expected: dict[tuple[str, str, str], int] = defaultdict(int)
    counted: dict[tuple[str, str, str], int] = defaultdict(int)
    for truth in corpus.truths:
        if truth.parent is None:
            expected[(truth.day, truth.claimant, truth.outcome)] += truth.value
        # within an outcome, a part of another claim of the same outcome is not counted
        if truth.parent is None or truth.parent[0] != truth.outcome:
            counted[(truth.day, truth.claimant, truth.outcome)] += truth.value
    top = table[table["part_of"].isna()]
    got = top.groupby(["day", "claimant", "outcome"])["value"].sum().to_dict()
    assert got == dict(expected)
    flagged = table[table["counted"].astype(bool)]
    got_counted = flagged.groupby(["day", "claimant", "outcome"])["value"].sum().to_dict()
    assert got_counted == dict(counted)
    # and naive summing of every row would have counted the breakdowns twice
    assert table["value"].sum() > top["value"].sum()


def test_any_input_order_gives_the_same_table(run: dict[str, Path], tmp_path: Path) -> None:
    lines = run["events"].read_text(encoding="utf-8").splitlines(keepends=True)

    def table_of(path: Path) -> list[dict[str, Any]]:
        frame = claims_table(path)
        rows = frame.to_dict(orient="records")
        for row in rows:
            for source in row["sources"]:
                source.pop("where")  # the line the event was read from: changes with order
        return rows

    reference = table_of(run["events"])
    for seed in (1, 2, 3):
        shuffled = lines[:]
        random.Random(seed).shuffle(shuffled)
        path = tmp_path / f"shuffled-{seed}.jsonl"
        path.write_text("".join(shuffled), encoding="utf-8")
        assert table_of(path) == reference


def test_merging_is_transitive_through_a_chain_of_periods() -> None:
    """A ~ B and B ~ C but not A ~ C: still one claim (connected components)."""
    base = {"count": {"text": "5", "start": 0, "end": 1, "value": 5},
            "outcome": "destroyed", "sentence": {"start": 0, "end": 10}, "confidence": 0.9,
            "claimant": {"text": "the Air Force", "start": 2, "end": 15,
                         "name": "Ukrainian Air Force"}}  # fmt: skip
    spans = [("2025-11-01T00:00:00+02:00", "2025-11-01T08:00:00+02:00"),
             ("2025-11-01T03:00:00+02:00", "2025-11-01T11:00:00+02:00"),
             ("2025-11-01T06:00:00+02:00", "2025-11-01T14:00:00+02:00")]  # fmt: skip
    rows = []
    for n, (start, end) in enumerate(spans):
        period = {"text": "x", "text_start": 0, "text_end": 1, "start": start, "end": end}
        rows.append({"id": f"a{n}", "index": 0, **base, "period": period})
    from datetime import datetime

    def interval(i: int) -> tuple[datetime, datetime]:
        return datetime.fromisoformat(spans[i][0]), datetime.fromisoformat(spans[i][1])

    assert overlap(interval(0), interval(1)) and overlap(interval(1), interval(2))
    assert not overlap(interval(0), interval(2))
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = _write_jsonl(Path(folder) / "e.jsonl", rows)
        for order in ([0, 1, 2], [0, 2, 1], [2, 0, 1]):
            claims = build_claims([read_event_rows(path).events[i] for i in order])
            assert len(claims) == 1 and len(claims[0].sources) == 3


def test_exports_read_back(run: dict[str, Path], table: Any) -> None:
    csv = pd.read_csv(run["csv"])
    parquet = pd.read_parquet(run["parquet"])
    jsonl = pd.read_json(run["jsonl"], lines=True)
    for frame in (csv, parquet, jsonl):
        assert list(frame.columns) == list(table.columns)
        assert len(frame) == len(table)
        assert frame["value"].tolist() == table["value"].tolist()
    assert json.loads(csv["sources"][0]) == table["sources"][0]
    assert jsonl["sources"][0] == table["sources"][0]


def test_the_daily_table_has_the_public_layout(run: dict[str, Path], corpus: Any) -> None:
    plain = pd.read_csv(run["kaggle"])
    assert list(plain.columns) == list(KAGGLE_COLUMNS)
    for column in ("launched", "destroyed", "is_shahed"):
        assert pd.api.types.is_integer_dtype(plain[column])
    assert pd.api.types.is_numeric_dtype(plain["not_reach_goal"])
    typed = pd.read_csv(run["kaggle"], dtype=KAGGLE_COLUMNS)
    assert {c: str(t) for c, t in typed.dtypes.items()} == {
        c: str(pd.Series(dtype=t).dtype) for c, t in KAGGLE_COLUMNS.items()
    }
    starts = pd.to_datetime(plain["time_start"], format="%Y-%m-%d %H:%M")
    assert starts.notna().all()
    # one row per night and model: Shahed rows carry the Air Force's three figures
    truths = {(t.day, t.outcome, t.weapon): t.value for t in corpus.truths if t.claimant == UAF}
    shahed = plain[plain["model"] == "Shahed-136/131"]
    days = [d.date().isoformat() for d in pd.to_datetime(shahed["time_end"])]
    assert len(days) == len({t.day for t in corpus.truths})
    for day, row in zip(days, shahed.to_dict(orient="records"), strict=True):
        assert row["launched"] == truths[(day, "launched", "drone")]
        assert row["destroyed"] == truths[(day, "destroyed", "drone")]
        assert row["not_reach_goal"] == truths[(day, "suppressed", "drone")]
        assert row["is_shahed"] == 1
        assert UAF in row["source"]
    missiles = plain[plain["model"] == "X-101/X-555"]
    assert len(missiles) == sum(1 for t in truths if t[1:] == ("launched", "missile"))
    assert (missiles["destroyed"] <= missiles["launched"]).all()
    assert not plain["source"].str.contains(MOD).any()  # Air Force claims only


def test_plot_and_review_page_are_written(run: dict[str, Path], table: Any) -> None:
    assert run["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run["svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    page = run["html"].read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page  # nothing to fetch
    assert "<script src" not in page and "<link" not in page
    data = page.split('<script type="application/json" id="claims-data">')[1].split("</script>")[0]
    payload = json.loads(data)
    assert [c["claim_id"] for c in payload["claims"]] == table["claim_id"].tolist()
    assert len(payload["texts"]) == 220  # every article's text, for the evidence
    for claim in payload["claims"][:20]:
        for source in claim["sources"]:
            text = payload["texts"][source["article"]]
            for span in source["evidence"]:
                assert text[span["start"] : span["end"]] == span["text"]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="no Chromium (apt-get install chromium)")
def test_the_review_page_renders_in_a_real_browser(run: dict[str, Path], tmp_path: Path) -> None:
    """Headless Chromium runs the page's script: the rows, the filters, the marked evidence."""
    conflict = pd.read_csv(run["csv"]).query("conflict == 'place'")["claim_id"].iloc[0]
    url = f"{run['html'].as_uri()}#claim={conflict}"
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    dom = subprocess.run(
        [*base, "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert dom.count('<tr class="claim"') == len(pd.read_csv(run["csv"]))
    assert f"<h2>{conflict}:" in dom
    assert "Sources disagree (place)" in dom
    for role in ("count", "weapon", "place", "time", "claimant"):
        assert f'<mark class="{role}"' in dom
    shot = tmp_path / "review.png"
    subprocess.run([*base, "--window-size=1300,1100", f"--screenshot={shot}", url],
                   capture_output=True, timeout=120, check=True)  # fmt: skip
    # a blank page compresses to a few kB; a drawn table and texts do not
    assert shot.stat().st_size > 50_000


# ------------------------------------------------------------------ bad and empty input


def test_a_row_from_another_version_names_file_and_line(
    run: dict[str, Path], tmp_path: Path
) -> None:
    rows = [json.loads(line) for line in run["events"].read_text().splitlines()[:5]]
    broken = [dict(r) for r in rows]
    del broken[3]["outcome"]
    path = _write_jsonl(tmp_path / "old.jsonl", broken)
    result = runner.invoke(app, ["claims", str(path)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: [E060] {path}:4: ")
    assert "outcome" in lines[0]

    renamed = [dict(r) for r in rows]
    renamed[1]["count"] = renamed[1]["count"]["value"]  # an older flat layout
    path = _write_jsonl(tmp_path / "flat.jsonl", renamed)
    result = runner.invoke(app, ["claims", str(path)])
    assert result.exit_code == 2 and f"{path}:2: " in result.output

    stamped = [dict(r, skytally_version="0.0.9") for r in rows]
    path = _write_jsonl(tmp_path / "stamped.jsonl", stamped)
    result = runner.invoke(app, ["claims", str(path)])
    assert result.exit_code == 2 and f"{path}:1: written by skytally 0.0.9" in result.output

    no_id = [{k: v for k, v in r.items() if k != "id"} for r in rows]
    path = _write_jsonl(tmp_path / "noid.jsonl", no_id)
    result = runner.invoke(app, ["claims", str(path)])
    assert result.exit_code == 2 and "no 'id' field" in result.output

    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text(json.dumps(rows[0]) + "\n{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["claims", str(garbage)])
    assert result.exit_code == 2 and f"{garbage}:2: invalid JSON" in result.output


def test_empty_input_gives_an_empty_table_with_a_note(tmp_path: Path) -> None:
    empty = tmp_path / "events.jsonl"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "claims.csv"
    kaggle = tmp_path / "daily.csv"
    html = tmp_path / "review.html"
    plot = tmp_path / "t.png"
    args = ["-o", str(out), "--kaggle", str(kaggle), "--html", str(html), "--plot", str(plot)]
    result = runner.invoke(app, ["claims", str(empty), *args])
    assert result.exit_code == 0, result.output
    assert "note: " in result.output and "0 claim(s)" in result.output
    frame = pd.read_csv(out)
    assert frame.empty and len(frame.columns) > 10
    assert list(pd.read_csv(kaggle).columns) == list(KAGGLE_COLUMNS)
    assert "0 claims" in html.read_text(encoding="utf-8")
    table = claims_table(empty)
    assert table.empty and table.attrs["notes"]


def test_articles_are_extracted_first(tmp_path: Path, corpus: Any) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for record in corpus.records[:10]:
        (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
    result = runner.invoke(app, ["claims", str(folder), "--published", "2025-11-01T09:00:00+03:00",
                                 "-o", str(tmp_path / "c.jsonl")])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    totals = [r for r in rows if r["claimant"] == MOD and r["place_code"] is None]
    assert len(totals) == 1 and totals[0]["n_sources"] >= 4
    assert totals[0]["value"] == corpus.truths[0].value
    # .txt files have no `source` field: the ministry's own post, which names no claimant,
    # cannot be told to be the ministry's and stays a claim apart (docs/claims.md)
    assert any(r["claimant"] == "" and r["value"] == corpus.truths[0].value for r in rows)


def test_wrong_output_names_fail_before_any_work(tmp_path: Path, run: dict[str, Path]) -> None:
    for args in (["-o", str(tmp_path / "x.xlsx")], ["--plot", str(tmp_path / "x.jpg")],
                 ["--plot", str(tmp_path / "x.png"), "--plot-by", "weather"],
                 ["--html", str(tmp_path / "missing" / "x.html")]):  # fmt: skip
        result = runner.invoke(app, ["claims", str(run["events"]), *args])
        assert result.exit_code == 2, args
        assert result.output.startswith("error: ") and len(result.output.splitlines()) == 1


def test_claims_frame_of_no_claims_has_the_columns() -> None:
    assert claims_frame([]).empty


def test_a_surname_cited_alone_is_the_same_claimant_as_the_full_name(tmp_path: Path) -> None:
    """One outlet writes "Moscow Mayor Sergei Sobyanin", another only "Sobyanin": the
    same claim; a surname two full names share stays apart."""
    from skytally.claims.merging import canonical_claimants

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Moscow Mayor Sergei Sobyanin said air defences shot down three drones flying "
        "towards Moscow overnight.",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Sobyanin said air defences shot down three drones flying towards Moscow overnight.",
        encoding="utf-8",
    )
    frame = claims_table(folder, published="2025-11-01T09:00:00+03:00")
    assert list(frame["claimant"]) == ["Sergei Sobyanin"]
    assert list(frame["n_sources"]) == [2]
    assert canonical_claimants({"Kim", "Anna Kim", "Boris Kim", "Sobyanin"}) == {}


def test_a_date_without_a_time_dates_an_event_without_a_period(tmp_path: Path) -> None:
    """Found by a new user: a record published "2026-01-04" whose event has no time in
    the text is placed on that day, not a crash."""
    records = tmp_path / "a.jsonl"
    line = {
        "id": "a",
        "text": "Air defences destroyed 5 Ukrainian drones over the Kursk region, the "
        "Russian Defence Ministry said.",
        "published": "2026-01-04",
    }
    records.write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["claims", str(records), "-o", str(tmp_path / "c.jsonl")])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(x) for x in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert row["value"] == 5 and str(row["day"]).startswith("2026-01-04")
