"""Words per second of `skytally.extract_many`, beside a bare spaCy tokenizer.

    python benchmarks/throughput.py [--model rules|efficiency|PATH] [--articles 1000]
                                    [--batch-size 32] [--json]

The corpus is the project's annotated articles (training_data/), cycled until
there are `--articles` of them. Everything runs in one process pinned to one
CPU core, after a warm-up batch, so the number is what one core sustains.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--model", default=None, help="rules, efficiency or a pipeline folder")
    parser.add_argument("--target", type=int, default=10_000, help="words/s to meet")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    texts = load_texts(args.articles)
    words = sum(len(text.split()) for text in texts)
    nlp = skytally.load(args.model)
    tokenizer = spacy.blank("en").tokenizer
    list(skytally.extract_many(texts[:50], nlp=nlp))  # warm caches and lazy imports

    def tokenize(batch: list[str]) -> None:
        for text in batch:
            tokenizer(text)

    def extract(batch: list[str]) -> None:
        for _ in skytally.extract_many(batch, nlp=nlp, batch_size=args.batch_size):
            pass

    tokenizer_speed, _ = words_per_second(texts, tokenize)
    skytally_speed, elapsed = words_per_second(texts, extract)
    result = {
        "articles": len(texts),
        "words": words,
        "skytally_words_per_second": round(skytally_speed),
        "tokenizer_words_per_second": round(tokenizer_speed),
        "skytally_seconds": round(elapsed, 2),
        "model": args.model or "default",
        "target_words_per_second": args.target,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"{len(texts)} articles, {words} words, one process on one core")
    print(f"spaCy tokenizer only : {tokenizer_speed:12,.0f} words/s")
    print(f"skytally extract_many: {skytally_speed:12,.0f} words/s ({elapsed:.1f} s)")
    verdict = "meets" if skytally_speed >= args.target else "misses"
    print(f"model {args.model or 'default'}; target {args.target:,} words/s: {verdict}")


if __name__ == "__main__":
    main()
