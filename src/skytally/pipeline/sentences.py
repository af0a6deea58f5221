"""`skytally_sentences`: sentence boundaries from punctuation and line breaks.

Governors' posts and live blogs often end a line without a full stop, and a
bulleted list item is a statement of its own, so a line break is a boundary
too. Rule-based on purpose: a parser would cost most of the time budget.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

DEFAULT_PUNCT = (".", "!", "?", "…")
CLOSING_MARKS = frozenset({'"', "”", "’", ")", "»", "]"})


#: where a run-on "sentence" may be cut when it grows past `max_sentence_tokens`
SOFT_BREAKS = frozenset({",", ";", ":", "–", "—"})


class SentenceSegmenter(Pipe):
    def __init__(
        self,
        name: str,
        *,
        punct_chars: list[str],
        split_on_newlines: bool,
        max_sentence_tokens: int,
    ) -> None:
        self.name = name
        self.punct_chars = frozenset(punct_chars)
        self.split_on_newlines = split_on_newlines
        self.max_sentence_tokens = max_sentence_tokens

    def __call__(self, doc: Doc) -> Doc:
        set_sentence_starts(doc, self.punct_chars, self.split_on_newlines, self.max_sentence_tokens)
        return doc


def set_sentence_starts(
    doc: Doc,
    punct_chars: frozenset[str],
    split_on_newlines: bool,
    max_sentence_tokens: int = 0,
) -> None:
    """Work on integer arrays, not Token objects: this runs on every document
    and a Python loop over Token objects would cost more than the rest of
    the pipeline.

    A "sentence" longer than `max_sentence_tokens` (a scraped table with no
    full stops, a 400-region list) is cut at its next comma or dash, and at
    twice the length wherever it is: the later stages look for links within a
    sentence, and an unbounded sentence would make their work grow with its
    square. 0 means no limit."""
    if len(doc) == 0:
        return
    strings = doc.vocab.strings
    columns = doc.to_array([ORTH, IS_SPACE, IS_PUNCT, SPACY])
    starts = numpy.zeros(len(doc), dtype="int64")
    previous_ends = True
    previous_had_space = True
    length = 0  # tokens of the sentence so far
    for index, (orth, is_space, is_punct, space_after) in enumerate(columns.tolist()):
        text = strings[orth]
        if index == 0:
            starts[index] = 1
        elif is_space:
            # white space between sentences belongs to the one before it
            starts[index] = -1
            if split_on_newlines and "\n" in text:
                previous_ends = True
            previous_had_space = True
            continue
        elif previous_ends and text in CLOSING_MARKS and not previous_had_space:
            # a closing quote or bracket right after the full stop stays in its sentence
            starts[index] = -1
            previous_had_space = bool(space_after)
            continue
        else:
            starts[index] = 1 if previous_ends else -1
        length = 1 if starts[index] == 1 else length + 1
        previous_ends = text in punct_chars or (bool(is_punct) and text[-1:] in punct_chars)
        if max_sentence_tokens and length >= max_sentence_tokens:
            previous_ends = (
                previous_ends or text in SOFT_BREAKS or length >= 2 * max_sentence_tokens
            )
        previous_had_space = bool(space_after)
    doc.from_array([SENT_START], starts.astype("uint64").reshape(-1, 1))


@Language.factory(
    "skytally_sentences",
    assigns=["token.is_sent_start", "doc.sents"],
    default_config={
        "punct_chars": list(DEFAULT_PUNCT),
        "split_on_newlines": True,
        "max_sentence_tokens": 120,
    },
)
def make_sentence_segmenter(
    nlp: Language,
    name: str,
    *,
    punct_chars: list[str],
    split_on_newlines: bool,
    max_sentence_tokens: int,
) -> SentenceSegmenter:
    return SentenceSegmenter(
        name,
        punct_chars=punct_chars,
        split_on_newlines=split_on_newlines,
        max_sentence_tokens=max_sentence_tokens,
    )


class SentenceIndex:
    """Sentence bounds of every token, computed once per Doc.

    `Span.sent` re-checks the whole Doc's annotation on each call, which made
    it the most expensive line of the rule-based stages."""

    def __init__(self, doc: Doc) -> None:
        starts = doc.to_array([SENT_START]).astype("int64").reshape(-1) if len(doc) else []
        self._start = [0] * len(doc)
        self._end = [0] * len(doc)
        self.bounds: list[tuple[int, int]] = []
        begin = 0
        for index in range(1, len(doc) + 1):
            if index == len(doc) or starts[index] == 1:
                self.bounds.append((begin, index))
                begin = index
        self.number = [0] * len(doc)
        for number, (first, last) in enumerate(self.bounds):
            for token in range(first, last):
                self._start[token] = first
                self._end[token] = last
                self.number[token] = number

    def start(self, span: Span) -> int:
        return self._start[span.start]

    def end(self, span: Span) -> int:
        return self._end[span.start]
