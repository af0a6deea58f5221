"""From many articles to one table of claims (docs/claims.md).

>>> from skytally.claims import claims_table
>>> table = claims_table("events.jsonl")        # or a folder of articles, a records file
>>> table[table.counted].groupby("outcome").value.sum()   # nothing counted twice

Needs `pip install 'skytally[claims]'` (pandas); the plot needs `skytally[plot]`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .merging import Claim, Evidence, Source, build_claims, overlap, weapon_model
from .reading import Corpus, SourceEvent, read_corpus, read_event_rows, read_texts
from .tables import COLUMNS, KAGGLE_COLUMNS, claims_frame, kaggle_frame, write_claims

__all__ = [
    "COLUMNS",
    "KAGGLE_COLUMNS",
    "Claim",
    "Corpus",
    "Evidence",
    "Source",
    "SourceEvent",
    "build_claims",
    "claims_frame",
    "claims_table",
    "kaggle_frame",
    "overlap",
    "read_corpus",
    "read_event_rows",
    "read_texts",
    "weapon_model",
    "write_claims",
]


def claims_table(
    source: str | Path | Iterable[SourceEvent],
    *,
    published: str | None = None,
    model: str | Path | None = None,
) -> Any:
    """A pandas DataFrame with one row per unique claim (`COLUMNS`).

    `source` is the events file of `skytally extract --output events.jsonl`, articles (a
    folder of .txt files, a .jsonl/.csv/.parquet records file), which are extracted first,
    or `SourceEvent`s. An empty input gives an empty table with the same columns; the reason
    is in `table.attrs["notes"]`."""
    if isinstance(source, (str, Path)):
        corpus = read_corpus(Path(source), published=published, model=model)
        events: list[SourceEvent] = corpus.events
        notes = corpus.notes
    else:
        events, notes = list(source), []
    frame = claims_frame(build_claims(events))
    if frame.empty and not notes:
        notes = ["no events: no claims"]
    frame.attrs["notes"] = notes
    return frame
