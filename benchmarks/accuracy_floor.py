"""The accuracy figures a change must not lose: event F1 on the development split and
on the realistic test split (articles modelled on real reports, never used for tuning).

    python benchmarks/accuracy_floor.py            # print the current figures beside the floor
    python benchmarks/accuracy_floor.py --write    # record them as the new floor (deliberately)

tests/test_accuracy_floor.py fails when a figure drops more than `TOLERANCE` below the
recorded one. Raise the floor after an improvement; lowering it is a decision to write
down in the commit message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import skytally
from skytally.evaluation.evaluate import EvaluationResult, evaluate

ROOT = Path(__file__).resolve().parents[1]
FLOOR_FILE = ROOT / "benchmarks" / "accuracy_floor.json"
SPLITS = {
    "dev": ROOT / "training_data" / "dev.jsonl",
    "real_test": ROOT / "training_data" / "real_test.jsonl",
}
TOLERANCE = 0.02
COMMAND = "python benchmarks/accuracy_floor.py --write"


def figures(result: EvaluationResult) -> dict[str, float]:
    return {
        "events_p": round(result.events.p, 4),
        "events_r": round(result.events.r, 4),
        "events_f": round(result.events.f, 4),
        "events_strict_f": round(result.events_strict.f, 4),
        "end_date": round(result.attributes["end_date"].accuracy, 4),
        "clock": round(result.attributes["clock"].accuracy, 4),
        "part_of": round(result.attributes["part_of"].accuracy, 4),
        "heading_to": round(result.attributes["heading_to"].accuracy, 4),
    }


def measure() -> dict[str, dict[str, float]]:
    nlp = skytally.load()
    return {split: figures(evaluate(path, nlp=nlp)) for split, path in SPLITS.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="record the figures as the floor")
    args = parser.parse_args(argv)
    current = measure()
    if args.write:
        payload = {"command": COMMAND, "tolerance": TOLERANCE, "splits": current}
        FLOOR_FILE.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {FLOOR_FILE.relative_to(ROOT)}")
    recorded = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))["splits"]
    for split, values in current.items():
        for name, value in values.items():
            floor = recorded.get(split, {}).get(name)
            mark = "" if floor is None else f"  (floor {floor:.4f}, {value - floor:+.4f})"
            print(f"{split:10} {name:16} {value:.4f}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
