"""Words per second of `skytally.extract_many`, beside a bare spaCy tokenizer.

    python benchmarks/throughput.py [--model rules|efficiency|PATH ...] [--articles 1000]
                                    [--batch-size 32] [--all-cores] [--json]

The corpus is the project's annotated articles (training_data/), cycled until
there are `--articles` of them. Everything runs in one process pinned to one
CPU core (unless --all-cores), after a warm-up batch, so the number is what one core
sustains. Each --model is measured on the same texts in the same run.
Targets: at least 10,000 words/s for the rules and the efficiency pipeline, 2,000
for a transformer (accuracy) pipeline (give --target).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from itertools import cycle, islice
from pathlib import Path

import spacy

import skytally
from skytally.corpus.format import read_records
from skytally.corpus.markup import read_markup

ROOT = Path(__file__).resolve().parents[1]


def load_texts(count: int) -> list[str]:
    data = ROOT / "training_data"
    if list(data.glob("*.jsonl")):
        texts = [record.text for _, record in read_records(data)]
    else:
        texts = [r.text for f in sorted((data / "sources").glob("*.txt")) for r in read_markup(f)]
    if not texts:
        sys.exit("no articles found under training_data/")
    return list(islice(cycle(texts), count))


def words_per_second(texts: list[str], run) -> tuple[float, float]:
    words = sum(len(text.split()) for text in texts)
    started = time.perf_counter()
    run(texts)
    elapsed = time.perf_counter() - started
    return words / elapsed, elapsed


TARGETS = {"rules": 10_000, "efficiency": 10_000}
TRANSFORMER_TARGET = 2_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--model",
        action="append",
        default=[],
        help="rules, efficiency or a pipeline folder; repeat to measure several on the same "
        "texts in one run (default: the bundled default)",
    )
    parser.add_argument(
        "--all-cores", action="store_true", help="do not pin the process to one core"
    )
    args = parser.parse_args()
    if not args.all_cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    texts = load_texts(args.articles)
    words = sum(len(text.split()) for text in texts)
    tokenizer = spacy.blank("en").tokenizer

    def tokenize(batch: list[str]) -> None:
        for text in batch:
            tokenizer(text)

    tokenizer(texts[0])
    tokenizer_speed, _ = words_per_second(texts, tokenize)
    rows = []
    for name in args.model or [None]:
        nlp = skytally.load(name)
        list(skytally.extract_many(texts[:50], nlp=nlp))  # warm caches and lazy imports

        def extract(batch: list[str], nlp=nlp) -> None:
            for _ in skytally.extract_many(batch, nlp=nlp, batch_size=args.batch_size):
                pass

        speed, elapsed = words_per_second(texts, extract)
        transformer = "transformer" in nlp.pipe_names
        target = TRANSFORMER_TARGET if transformer else TARGETS.get(str(name), 10_000)
        rows.append(
            {
                "model": name or "default",
                "words_per_second": round(speed),
                "seconds": round(elapsed, 2),
                "target_words_per_second": target,
            }
        )
    result = {
        "articles": len(texts),
        "words": words,
        "cores": "all" if args.all_cores else 1,
        "tokenizer_words_per_second": round(tokenizer_speed),
        "models": rows,
    }
    if args.json:
        print(json.dumps(result))
        return
    cores = "all cores" if args.all_cores else "one core"
    print(f"{len(texts)} articles, {words} words, one process on {cores}")
    print(f"{'spaCy tokenizer only':28}: {tokenizer_speed:12,.0f} words/s")
    for row in rows:
        verdict = "meets" if row["words_per_second"] >= row["target_words_per_second"] else "misses"
        print(
            f"{'skytally ' + str(row['model'])[-19:]:28}: {row['words_per_second']:12,.0f} words/s "
            f"({row['seconds']:.1f} s; target {row['target_words_per_second']:,}: {verdict})"
        )


if __name__ == "__main__":
    main()
