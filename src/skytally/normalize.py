"""The text the rules match on, and the way back to the text a user gave.

News copied from web pages carries characters a reader never sees: soft
hyphens ("dro\u00adnes"), zero-width spaces and joiners, byte-order marks,
direction marks, NUL bytes; and characters that look like plain letters but
are not ("ＤＲＯＮＥＳ", "ﬁve"). `matching_view` builds the text the pipeline
reads:

* format characters (Unicode category Cf: soft hyphen, zero-width joiner and
  non-joiner, word joiner, BOM, direction marks) are removed;
* the zero-width space U+200B and control characters other than tab, line
  feed and carriage return (NUL among them) become a space;
* letters, digits and symbols with a compatibility form (fullwidth "Ｄ",
  ligature "ﬁ", mathematical "𝐝") take their NFKC form. Punctuation and
  spaces keep theirs: the rules already read "…", "’" and the no-break space.

`OffsetMap` maps offsets in the view back to the original text, so every
event's `text[start:end]` is the original characters. Text with none of these
characters (nearly all text) is returned as is, without a map.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: characters that may need work: controls, and anything outside ASCII
_CANDIDATE = re.compile(r"[^\t\n\r\x20-\x7e]")
_SPACE_LIKE = frozenset("\u200b")


@lru_cache(maxsize=4096)
def _replacement(char: str) -> str:
    """What `char` becomes in the matching view ("" removes it)."""
    if char in _SPACE_LIKE:
        return " "
    category = unicodedata.category(char)
    if category == "Cc":
        return " "
    if category == "Cf":
        return ""
    if category[0] in "PZ":
        return char
    folded = unicodedata.normalize("NFKC", char)
    # a compatibility form that ends in a combining mark or a space is no plain letter
    if folded != char and folded.isprintable() and not folded.isspace():
        return folded
    return char


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Offsets in a view -> offsets in the original text.

    `starts[i]` is where the original character behind view character `i`
    starts, `ends[i]` where it ends; `starts[len(view)]` is the original length."""

    starts: list[int]
    ends: list[int]

    def start(self, offset: int) -> int:
        return self.starts[offset]

    def end(self, offset: int) -> int:
        """The original end of a span that ends at view `offset` (exclusive)."""
        return self.ends[offset - 1] if offset > 0 else self.starts[0]


def matching_view(text: str) -> tuple[str, OffsetMap | None]:
    """(view, map): the text the rules read, and its map back to `text`; the map is
    None when the view is `text` itself."""
    pieces: list[str] = []
    changes: list[tuple[int, str]] = []
    for match in _CANDIDATE.finditer(text):
        char = match.group()
        replacement = _replacement(char)
        if replacement != char:
            changes.append((match.start(), replacement))
    if not changes:
        return text, None
    starts: list[int] = []
    ends: list[int] = []
    previous = 0
    for position, replacement in changes:
        pieces.append(text[previous:position])
        starts.extend(range(previous, position))
        ends.extend(range(previous + 1, position + 1))
        pieces.append(replacement)
        starts.extend([position] * len(replacement))
        ends.extend([position + 1] * len(replacement))
        previous = position + 1
    pieces.append(text[previous:])
    starts.extend(range(previous, len(text) + 1))
    ends.extend(range(previous + 1, len(text) + 1))
    return "".join(pieces), OffsetMap(starts, ends)
