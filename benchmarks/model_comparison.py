"""The bundled pipelines side by side: the rules and the trained efficiency pipeline
(and any other saved pipeline given with --extra), scored on the corpus's test split
and on its realistic test split, with a paired bootstrap of the event-F1 difference.

    python benchmarks/model_comparison.py            # print the table
    python benchmarks/model_comparison.py --write    # and record it; models/default.txt
                                                     # then names the default pipeline

`skytally.load()` returns the pipeline models/default.txt names: the trained
efficiency pipeline when its event-F1 gain over the rules on the realistic split
is above 0 with 95% confidence (paired bootstrap over articles), else the rules.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import skytally
from skytally.evaluation.evaluate import compare_results, evaluate

ROOT = Path(__file__).resolve().parents[1]
RESULT_FILE = ROOT / "benchmarks" / "model_comparison.json"
DEFAULT_FILE = ROOT / "models" / "default.txt"
SPLITS = {
    "test": ROOT / "training_data" / "test.jsonl",
    "real_test": ROOT / "training_data" / "real_test.jsonl",
}
BUNDLED = {"rules": "skytally-rules", "efficiency": "skytally-efficiency"}
DECIDING_SPLIT = "real_test"


def measure(extra: dict[str, Path]) -> dict[str, dict[str, dict[str, float]]]:
    pipelines = {name: skytally.load(name) for name in BUNDLED}
    pipelines.update({name: skytally.load(path) for name, path in extra.items()})
    table: dict[str, dict[str, dict[str, float]]] = {}
    for split, path in SPLITS.items():
        results = {name: evaluate(path, nlp=nlp, model=name) for name, nlp in pipelines.items()}
        rules = results["rules"]
        table[split] = {}
        for name, result in results.items():
            row = {
                "events_p": round(result.events.p, 4),
                "events_r": round(result.events.r, 4),
                "events_f": round(result.events.f, 4),
                "events_strict_f": round(result.events_strict.f, 4),
                "relations_f": round(result.relations.f, 4),
                "entities_f": round(result.entities.f, 4),
            }
            if name != "rules":
                bootstrap = compare_results(result, rules).bootstrap
                assert bootstrap is not None
                row |= {
                    "events_f_minus_rules": round(bootstrap.difference, 4),
                    "ci95_low": round(bootstrap.low, 4),
                    "ci95_high": round(bootstrap.high, 4),
                }
            table[split][name] = row
            print(split, name, json.dumps(row), flush=True)
    return table


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="record the table and the default")
    parser.add_argument(
        "--extra", action="append", default=[], metavar="NAME=PATH", help="another pipeline"
    )
    args = parser.parse_args(argv)
    extra = {}
    for item in args.extra:
        name, _, path = item.partition("=")
        extra[name] = Path(path)
    table = measure(extra)
    deciding = table[DECIDING_SPLIT]["efficiency"]
    # the trained pipeline replaces the rules only when it is better beyond the noise
    # of 59 articles: the whole 95% interval of its event-F1 gain lies above 0
    best = "efficiency" if deciding["ci95_low"] > 0 else "rules"
    print(
        f"efficiency - rules on {DECIDING_SPLIT}: {deciding['events_f_minus_rules']:+.4f} "
        f"(95% CI {deciding['ci95_low']:+.4f} to {deciding['ci95_high']:+.4f}); default: {best}"
    )
    if args.write:
        payload = {
            "command": "python benchmarks/model_comparison.py --write",
            "deciding_split": DECIDING_SPLIT,
            "default": BUNDLED[best],
            "splits": table,
        }
        RESULT_FILE.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        DEFAULT_FILE.write_text(BUNDLED[best] + "\n", encoding="utf-8")
        print(f"wrote {RESULT_FILE.relative_to(ROOT)} and {DEFAULT_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
