"""`python -m skytally.corpus FILE...`: compile markup files and report problems.

A quick check for annotators; `skytally data convert --from markup` writes the JSONL.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from ..errors import DataError
from .markup import read_markup
from .validate import validate_record


def main(argv: list[str]) -> int:
    failures = 0
    for name in argv:
        try:
            records = read_markup(Path(name))
        except DataError as error:
            print(error)
            failures += 1
            continue
        events = Counter(len(r.events) for r in records)
        problems = [p for r in records for p in validate_record(r, where=f"{name}:{r.id}")]
        for problem in problems:
            print(problem)
        failures += bool(problems)
        total = sum(len(r.events) for r in records)
        print(f"{name}: {len(records)} articles, {total} events, events per article {dict(events)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
