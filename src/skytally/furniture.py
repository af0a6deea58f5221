"""Page furniture: the lines of a scraped page that are not the report.

Captions, "Read also" links to other stories, share and subscribe prompts
carry counts and dates of their own ("Photo: debris of a drone, March 2023";
"Read also: Russia launched 50 drones overnight"): none of them is a claim of
the article. The line openings are listed in `data/page_furniture.json`.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

# bullets, emoji and other symbols a line may open with before its words
_LEAD = r"^[\s\W_]*?"


@cache
def _line_start() -> re.Pattern[str]:
    data = json.loads((files("skytally") / "data" / "page_furniture.json").read_text("utf-8"))
    openings = sorted(data["line_starts"], key=len, reverse=True)
    words = "|".join(re.escape(opening).replace(r"\ ", r"\s+") for opening in openings)
    return re.compile(rf"{_LEAD}(?:{words})", re.IGNORECASE)


def furniture_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of the lines of `text` that are page furniture."""
    ranges: list[tuple[int, int]] = []
    start = 0
    pattern = _line_start()
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        if pattern.match(line):
            ranges.append((start, end))
        start = end
    return ranges
