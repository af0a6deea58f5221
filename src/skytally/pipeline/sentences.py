"""`skytally_sentences`: sentence boundaries from punctuation and line breaks.

Governors' posts and live blogs often end a line without a full stop, and a
bulleted list item is a statement of its own, so a line break is a boundary
too. Rule-based on purpose: a parser would cost most of the time budget.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token

DEFAULT_PUNCT = (".", "!", "?", "…")
CLOSING_MARKS = frozenset({'"', "”", "’", ")", "»", "]"})


class SentenceSegmenter:
    def __init__(self, name: str, *, punct_chars: list[str], split_on_newlines: bool) -> None:
        self.name = name
        self.punct_chars = frozenset(punct_chars)
        self.split_on_newlines = split_on_newlines

    def __call__(self, doc: Doc) -> Doc:
        set_sentence_starts(doc, self.punct_chars, self.split_on_newlines)
        return doc


def set_sentence_starts(doc: Doc, punct_chars: frozenset[str], split_on_newlines: bool) -> None:
    previous_ends = True
    for token in doc:
        if token.is_space and token.i > 0:
            # white space between sentences belongs to the one before it
            token.is_sent_start = False
            if split_on_newlines and "\n" in token.text:
                previous_ends = True
            continue
        if previous_ends and token.i > 0 and token.text in CLOSING_MARKS and not _space_before(token):
            # a closing quote or bracket right after the full stop stays in its sentence
            token.is_sent_start = False
            continue
        token.is_sent_start = previous_ends
        previous_ends = token.text in punct_chars or (
            token.is_punct and token.text[-1:] in punct_chars
        )
        if split_on_newlines and "\n" in token.whitespace_:
            previous_ends = True


def _space_before(token: Token) -> bool:
    return token.i > 0 and bool(token.doc[token.i - 1].whitespace_)


@Language.factory(
    "skytally_sentences",
    default_config={"punct_chars": list(DEFAULT_PUNCT), "split_on_newlines": True},
)
def make_sentence_segmenter(
    nlp: Language, name: str, *, punct_chars: list[str], split_on_newlines: bool
) -> SentenceSegmenter:
    return SentenceSegmenter(name, punct_chars=punct_chars, split_on_newlines=split_on_newlines)
