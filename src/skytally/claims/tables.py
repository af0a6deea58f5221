"""Claims as tables: a pandas DataFrame, CSV, Parquet, JSONL, and the daily layout of the
public "Massive Missile Attacks on Ukraine" data set (docs/claims.md has the mapping).

pandas is imported here only, so `import skytally` stays light; without it the user is
told which extra to install.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..errors import Errors, InputError
from .merging import Claim

#: the columns of the claims table, in order
COLUMNS = (
    "claim_id",
    "day",
    "period_start",
    "period_end",
    "claimant",
    "side",
    "outcome",
    "weapon",
    "model",
    "place_code",
    "place_name",
    "heading_to",
    "value",
    "qualifier",
    "conflict",
    "said",
    "part_of",
    "counted",
    "n_sources",
    "outlets",
    "primary",
    "sources",
)

#: the daily table's columns, as the public data set has them, and their pandas types
KAGGLE_COLUMNS: dict[str, str] = {
    "time_start": "string",
    "time_end": "string",
    "model": "string",
    "launch_place": "string",
    "target": "string",
    "target_main": "string",
    "launched": "Int64",
    "destroyed": "Int64",
    "not_reach_goal": "Int64",
    "still_attacking": "Int64",
    "border_crossing": "string",
    "is_shahed": "Int64",
    "num_hit_location": "Int64",
    "num_fall_fragment_location": "Int64",
    "carrier": "string",
    "turbojet": "Int64",
    "turbojet_destroyed": "Int64",
    "affected region": "string",
    "destroyed_details": "string",
    "launched_details": "string",
    "launch_place_details": "string",
    "source": "string",
}
#: the data set's time format: Kyiv local time to the minute
KAGGLE_TIME = "%Y-%m-%d %H:%M"
#: whose claims the daily table holds (the data set transcribes the Air Force's reports)
KAGGLE_CLAIMANT = "Ukrainian Air Force"
#: skytally outcome -> the data set's count column
KAGGLE_OUTCOMES = {"launched": "launched", "destroyed": "destroyed", "suppressed": "not_reach_goal"}


def pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise InputError(Errors.E041.format(what="The claims table", extra="claims")) from None
    return pd


def _source_dict(source: Any) -> dict[str, Any]:
    return source.model_dump(mode="json")


def claims_frame(claims: list[Claim]) -> Any:
    """One row per claim (COLUMNS); `sources` holds each supporting article with its
    evidence spans, `said` who said what."""
    pd = pandas()
    rows = []
    for claim in claims:
        outlets = sorted({s.label for s in claim.sources})
        rows.append(
            {
                "claim_id": claim.claim_id,
                "day": claim.day,
                "period_start": claim.period_start.isoformat() if claim.period_start else None,
                "period_end": claim.period_end.isoformat() if claim.period_end else None,
                "claimant": claim.claimant,
                "side": claim.side,
                "outcome": claim.outcome,
                "weapon": claim.weapon,
                "model": claim.model,
                "place_code": claim.place_code,
                "place_name": claim.place_name,
                "heading_to": claim.heading_to,
                "value": claim.value,
                "qualifier": claim.qualifier,
                "conflict": "+".join(claim.conflict),
                "said": claim.said,
                "part_of": claim.part_of,
                "counted": claim.counted,
                "n_sources": len({s.article for s in claim.sources}),
                "outlets": outlets,
                "primary": sorted({s.label for s in claim.sources if s.primary}),
                "sources": [_source_dict(s) for s in claim.sources],
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["value"] = frame["value"].astype("int64")
    frame["n_sources"] = frame["n_sources"].astype("int64")
    frame["counted"] = frame["counted"].astype("bool")
    return frame


def _flat(frame: Any) -> Any:
    """Nested cells (lists, dicts) as JSON text, for CSV and Parquet."""
    flat = frame.copy()
    for column in ("said", "outlets", "primary", "sources"):
        flat[column] = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in flat[column]]
    return flat


EXPORTS = ("csv", "parquet", "jsonl")


def export_format(path: Path, explicit: str | None = None) -> str:
    name = (explicit or path.suffix.lstrip(".")).lower()
    if name not in EXPORTS:
        raise InputError(Errors.E062.format(path=path, choices=".csv, .parquet or .jsonl"))
    return name


def write_claims(frame: Any, path: Path, fmt: str | None = None) -> None:
    """The claims table as CSV, Parquet (nested cells as JSON text) or JSONL (nested)."""
    kind = export_format(path, fmt)
    if kind == "jsonl":
        with open(path, "w", encoding="utf-8") as handle:
            for row in frame.to_dict(orient="records"):
                handle.write(json.dumps(_plain_row(row), ensure_ascii=False) + "\n")
    elif kind == "csv":
        _flat(frame).to_csv(path, index=False)
    else:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError(Errors.E041.format(what="Parquet", extra="parquet")) from None
        _flat(frame).to_parquet(path, index=False)


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    plain = {}
    for key, value in row.items():
        if hasattr(value, "item"):  # numpy scalars
            value = value.item()
        elif value != value:  # NaN from an all-empty column
            value = None
        plain[key] = value
    return plain


def kaggle_frame(claims: list[Claim]) -> Any:
    """Ukrainian Air Force claims in the daily data set's layout: one row per period and
    model, with launched / destroyed / not_reach_goal from the place-less claims, the places
    of their parts in `affected region`, and the supporting outlets in `source`."""
    pd = pandas()
    by_id = {c.claim_id: c for c in claims}
    groups: dict[tuple[str, str, str], dict[str, list[Claim]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for claim in claims:
        if claim.claimant != KAGGLE_CLAIMANT or claim.outcome not in KAGGLE_OUTCOMES:
            continue
        if claim.place_code is not None or claim.place_name is not None or claim.heading_to:
            continue  # places and headings go to `affected region` / `target` below
        key = (
            _kaggle_time(claim.period_start),
            _kaggle_time(claim.period_end),
            _model(claim, by_id),
        )
        groups[key][claim.outcome].append(claim)
    rows = []
    for (start, end, model), outcomes in sorted(groups.items()):
        row: dict[str, Any] = dict.fromkeys(KAGGLE_COLUMNS)
        row.update(time_start=start or None, time_end=end or None, model=model)
        members: list[Claim] = []
        for outcome, column in KAGGLE_OUTCOMES.items():
            found = outcomes.get(outcome, [])
            if found:
                # the widest figure: a part of another claim of the same outcome is inside it
                top = min(found, key=lambda c: (_depth(c, by_id), -c.value))
                row[column] = top.value
                members.extend(found)
        ids = {c.claim_id for c in members}
        parts = [c for c in claims if c.part_of in ids]
        row["affected region"] = _names(c.place_name for c in parts if c.place_name) or None
        row["target"] = _names(c.heading_to for c in parts if c.heading_to) or None
        row["is_shahed"] = 1 if model == "Shahed-136/131" else 0
        row["source"] = _names(s.label for c in members for s in c.sources) or None
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(KAGGLE_COLUMNS))
    return frame.astype(KAGGLE_COLUMNS)


def _depth(claim: Claim, by_id: dict[str, Claim]) -> int:
    depth, step = 0, claim.part_of
    while step is not None and depth < 100:
        depth += 1
        step = by_id[step].part_of if step in by_id else None
    return depth


def _model(claim: Claim, by_id: dict[str, Claim]) -> str:
    """The named model; else the model of the launched total it is part of ("4 missiles
    shot down" of "6 Kh-101 launched"); else the category, so kinds never add up."""
    step: Claim | None = claim
    for _ in range(100):
        if step is None or step.weapon != claim.weapon:
            break
        if step.model:
            return step.model
        step = by_id.get(step.part_of) if step.part_of else None
    return {"drone": "UAV", "missile": "Missile"}.get(claim.weapon, claim.weapon)


def _kaggle_time(value: Any) -> str:
    if value is None:
        return ""
    from ..times import KYIV

    return value.astimezone(KYIV).strftime(KAGGLE_TIME)


def _names(values: Any) -> str:
    return ", ".join(sorted(set(values)))


def write_kaggle(frame: Any, path: Path) -> None:
    frame.to_csv(path, index=False)
