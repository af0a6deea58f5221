"""Records/s, words/s and peak memory of `skytally extract` in records mode on a corpus.

    python benchmarks/corpus_scale.py [--articles 10000] [--scales 1,2,4] [--no-dask]
                                      [--json FILE]

The corpus is the project's annotated articles (training_data/*.jsonl) cycled
until there are `--articles` of them, each with its own id (`000123-agency-0001`),
written to a JSONL file in a temporary folder. Each configuration runs the real
command line (`python -m skytally extract corpus.jsonl -o events.jsonl`) in a fresh
process, from the start of the process (model loading included) to its exit:

* 1 process, 2 processes (`--n-process 2`), and a Dask `LocalCluster` of two worker
  processes on loopback (`--dask ADDRESS`; needs `pip install 'skytally[dask]'`);
* the 1-process run at 1x, 2x and 4x the corpus (`--scales`): time should grow
  linearly, so seconds per 1,000 records stay flat;
* the pathological shapes of issue 9 (a long "N over Region, M over Region" list,
  numbers and words with no punctuation) at two sizes: seconds per 1,000 characters.

Peak memory is the largest total resident memory of every process the benchmark
started (the command, its spaCy workers, the Dask workers), sampled every 0.1 s
(needs psutil, which dask[distributed] installs). With the defaults it takes about
ten minutes on two cores; `--articles 2000` gives a quick look.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def source_records() -> list[dict[str, Any]]:
    records = []
    for path in sorted((ROOT / "training_data").glob("*.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                records.append(
                    {
                        "id": record["id"],
                        "text": record["text"],
                        "published": record.get("published"),
                    }
                )
    if not records:
        sys.exit("no articles under training_data/*.jsonl (run skytally data build first)")
    return records


def write_corpus(path: Path, count: int, records: list[dict[str, Any]]) -> int:
    """`count` records cycled from `records` with unique ids; returns the number of words."""
    words = 0
    with open(path, "w", encoding="utf-8") as handle:
        for number, record in enumerate(islice(cycle(records), count)):
            words += len(record["text"].split())
            handle.write(json.dumps({**record, "id": f"{number:06d}-{record['id']}"}) + "\n")
    return words


class PeakMemory:
    """The largest total RSS of this process's descendants, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.1)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_cli(corpus: Path, folder: Path, *options: str) -> tuple[float, int]:
    """Seconds and peak memory (bytes) of one `skytally extract` run."""
    out = folder / "events.jsonl"
    command = [sys.executable, "-m", "skytally", "extract", str(corpus), "-o", str(out), *options]
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr}")
    print(f"  {result.stderr.strip()}", file=sys.stderr)
    return elapsed, memory.peak


def row(name: str, records: int, words: int, seconds: float, peak: int) -> dict[str, Any]:
    return {
        "run": name,
        "records": records,
        "words": words,
        "seconds": round(seconds, 1),
        "records_per_s": round(records / seconds, 1),
        "words_per_s": round(words / seconds),
        "peak_mb": round(peak / 2**20),
    }


def pathological() -> list[dict[str, Any]]:
    """Seconds per 1,000 characters of the issue's pathological shapes at two sizes."""
    import skytally

    nlp = skytally.load()
    regions = ("Belgorod", "Kursk", "Bryansk", "Oryol", "Tula", "Kaluga")

    def comma_list(chars: int) -> str:
        items, i = [], 0
        while sum(len(x) + 2 for x in items) < chars:
            items.append(f"{i % 50 + 1} over the {regions[i % 6]} region")
            i += 1
        return "Air defences destroyed drones: " + ", ".join(items) + "."

    def run_on(chars: int) -> str:
        words = "drones 45 Kursk region destroyed 12 missiles overnight air defence " * 10_000
        return words[:chars]

    found = []
    for name, make, sizes in (
        ("comma list", comma_list, (2_400, 23_000)),
        ("no punctuation", run_on, (10_000, 40_000)),
    ):
        for size in sizes:
            text = make(size)
            started = time.perf_counter()
            skytally.extract(text, nlp=nlp)
            elapsed = time.perf_counter() - started
            found.append(
                {
                    "shape": name,
                    "chars": len(text),
                    "seconds": round(elapsed, 3),
                    "ms_per_1000_chars": round(1000 * elapsed / len(text) * 1000, 2),
                }
            )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--scales", default="1,2,4", help="multiples of --articles, 1 process")
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    records = source_records()
    results: dict[str, Any] = {"articles": args.articles, "cpus": os.cpu_count(), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpora: dict[int, tuple[Path, int]] = {}
        for scale in sorted({1, *scales}):
            corpus = folder / f"corpus-{scale}x.jsonl"
            corpora[scale] = (corpus, write_corpus(corpus, args.articles * scale, records))
        corpus, words = corpora[1]
        n = args.articles
        print(f"{n} articles, {words} words; 1 process", file=sys.stderr)
        single = run_cli(corpus, folder)
        results["runs"].append(row("1 process", n, words, *single))
        print("2 processes", file=sys.stderr)
        results["runs"].append(
            row("2 processes", n, words, *run_cli(corpus, folder, "--n-process", "2"))
        )
        if not args.no_dask:
            from distributed import LocalCluster

            print("Dask LocalCluster, 2 worker processes", file=sys.stderr)
            with LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                host="127.0.0.1",
            ) as cluster:
                timing = run_cli(corpus, folder, "--dask", cluster.scheduler_address)
            results["runs"].append(row("Dask, 2 workers", n, words, *timing))
        results["scaling"] = []
        for scale in scales:
            corpus, scale_words = corpora[scale]
            if scale == 1:
                seconds, peak = single
            else:
                print(f"{scale}x, 1 process", file=sys.stderr)
                seconds, peak = run_cli(corpus, folder)
            results["scaling"].append(
                row(f"{scale}x, 1 process", n * scale, scale_words, seconds, peak)
            )
    print("pathological shapes", file=sys.stderr)
    results["pathological"] = pathological()
    print_tables(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def print_tables(results: dict[str, Any]) -> None:
    print("| run | records | words | seconds | records/s | words/s | peak memory |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results["runs"] + results["scaling"]:
        print(
            f"| {r['run']} | {r['records']:,} | {r['words']:,} | {r['seconds']} | "
            f"{r['records_per_s']:,} | {r['words_per_s']:,} | {r['peak_mb']} MB |"
        )
    print()
    print("| shape | characters | seconds | ms per 1,000 characters |")
    print("| --- | ---: | ---: | ---: |")
    for r in results["pathological"]:
        print(f"| {r['shape']} | {r['chars']:,} | {r['seconds']} | {r['ms_per_1000_chars']} |")


if __name__ == "__main__":
    main()
