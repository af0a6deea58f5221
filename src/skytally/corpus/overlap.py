"""Check that an article written after a real report does not copy its wording.

The corpus keeps the facts and the structure of real reports, never their
text: no run of `RUN_LENGTH` words may be shared with the source. Words are
compared lower-cased, with punctuation dropped and markup removed, so a
copied sentence is found whatever its quotes, dashes or annotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .markup import SPAN_MARK

RUN_LENGTH = 8
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    plain = SPAN_MARK.sub(lambda m: m["surface"], text)
    return [w.lower().replace("’", "'") for w in _WORD.findall(plain)]


@dataclass(frozen=True)
class SharedRun:
    """A stretch of at least `RUN_LENGTH` words found in both texts."""

    words: tuple[str, ...]

    def __str__(self) -> str:
        return " ".join(self.words)


def shared_runs(article: str, source: str, length: int = RUN_LENGTH) -> list[SharedRun]:
    """Maximal runs of `length` or more consecutive words that `article` shares with
    `source`, in the order they appear in `article`."""
    mine, theirs = words(article), words(source)
    grams = {tuple(theirs[i : i + length]) for i in range(len(theirs) - length + 1)}
    runs: list[SharedRun] = []
    i = 0
    while i <= len(mine) - length:
        if tuple(mine[i : i + length]) not in grams:
            i += 1
            continue
        end = i + length
        while end < len(mine) and tuple(mine[end - length + 1 : end + 1]) in grams:
            end += 1
        runs.append(SharedRun(tuple(mine[i:end])))
        i = end
    return runs
