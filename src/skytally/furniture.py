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

MAX_STAMP_LENGTH = 80  # a stamp is a short line; a long one is a sentence with a date
# bullets, emoji and other symbols a line may open with before its words
_LEAD = r"^[\s\W_]*?"


@cache
def _lists() -> dict[str, list[str]]:
    """The word lists of `data/page_furniture.json`, read once."""
    data = json.loads((files("skytally") / "data" / "page_furniture.json").read_text("utf-8"))
    return {key: data[key] for key in ("line_starts", "stamp_words")}


@cache
def _line_start() -> re.Pattern[str]:
    openings = sorted(_lists()["line_starts"], key=len, reverse=True)
    words = "|".join(re.escape(opening).replace(r"\ ", r"\s+") for opening in openings)
    return re.compile(rf"{_LEAD}(?:{words})", re.IGNORECASE)


@cache
def _stamp_words() -> frozenset[str]:
    return frozenset(_lists()["stamp_words"])


def is_stamp(line: str) -> bool:
    """A line that only dates the page or a live-blog entry ("2024-05-02 | 07:45",
    "Updated: May 26, 2023 14:05 GMT", "07:32"): no words but dates, clocks and the
    words pages put around them."""
    from .times import find_time_expressions

    if not any(c.isdigit() for c in line):
        return False
    rest = line
    for start, end in reversed(find_time_expressions(line)):
        rest = rest[:start] + " " + rest[end:]
    words = re.findall(r"[^\W\d_]+", rest.lower())
    return all(word in _stamp_words() for word in words)


def furniture_lines(text: str) -> list[tuple[int, int]]:
    """Character ranges of the lines of `text` that are page furniture."""
    ranges: list[tuple[int, int]] = []
    start = 0
    pattern = _line_start()
    for line in text.splitlines(keepends=True):
        end = start + len(line)
        if pattern.match(line) or (len(line) < MAX_STAMP_LENGTH and is_stamp(line)):
            ranges.append((start, end))
        start = end
    return ranges
