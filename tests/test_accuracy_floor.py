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


COMPARISON = json.loads((ROOT / "benchmarks" / "model_comparison.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("split", ["test", "real_test"])
def test_the_shipped_trained_pipeline_scores_what_was_recorded(split: str) -> None:
    """benchmarks/model_comparison.json is what the shipped efficiency pipeline scores."""
    import skytally

    result = evaluate(ROOT / "training_data" / f"{split}.jsonl", nlp=skytally.load("efficiency"))
    recorded = COMPARISON["splits"][split]["efficiency"]
    assert result.events.f == pytest.approx(recorded["events_f"], abs=0.005)
    assert result.events_strict.f == pytest.approx(recorded["events_strict_f"], abs=0.005)


def test_the_default_pipeline_is_the_recorded_decision() -> None:
    """models/default.txt names the trained pipeline only when its recorded gain on the
    realistic split is above zero with 95% confidence."""
    from skytally.api import default_model_name

    gain = COMPARISON["splits"][COMPARISON["deciding_split"]]["efficiency"]
    expected = "skytally-efficiency" if gain["ci95_low"] > 0 else "skytally-rules"
    assert COMPARISON["default"] == expected == default_model_name()
