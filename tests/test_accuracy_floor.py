"""Event F1 on the development split and on the realistic test split stays within
`TOLERANCE` of the figures recorded in benchmarks/accuracy_floor.json (regenerated,
deliberately, by `python benchmarks/accuracy_floor.py --write`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skytally.evaluation.evaluate import evaluate

ROOT = Path(__file__).resolve().parents[1]
FLOOR = json.loads((ROOT / "benchmarks" / "accuracy_floor.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("split", ["dev", "real_test"])
def test_event_f1_does_not_drop_below_the_recorded_floor(nlp, split: str) -> None:
    result = evaluate(ROOT / "training_data" / f"{split}.jsonl", nlp=nlp)
    recorded = FLOOR["splits"][split]
    tolerance = FLOOR["tolerance"]
    assert result.events.f >= recorded["events_f"] - tolerance, (
        f"{split}: event F1 {result.events.f:.4f} fell below the floor "
        f"{recorded['events_f']:.4f} - {tolerance}"
    )
    assert result.events_strict.f >= recorded["events_strict_f"] - tolerance
