"""`skytally.tokenizer.v1`: spaCy's English tokenizer, plus dashes as infixes.

Reports glue numbers to words with dashes ("drones—13—neutralized",
"Kursk–12"); spaCy keeps "drones—13" as one token, which would put a
count inside a weapon. Splitting on em and en dashes keeps every entity on
its own tokens. Annotation offsets are checked against this same tokenizer.

spaCy strips prefixes and suffixes one character at a time, re-reading the
rest of the word each time, so a long run of punctuation or emoji ("!!!!..."
16,000 times) is quadratic: seconds to minutes for one odd page. A run of
`LONG_RUN` or more such characters is cut out before spaCy sees it and made
one token per character; the text around it is tokenized as usual.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

DASH_INFIXES = (r"[—–]",)
#: this many characters that are neither letters, digits nor white space in a row
LONG_RUN = 64
_RUN = re.compile(rf"[^\w\s]{{{LONG_RUN},}}")


class SkytallyTokenizer(Tokenizer):
    """spaCy's tokenizer with long runs of punctuation and symbols pre-split."""

    def __call__(self, text: str) -> Doc:
        if len(text) < LONG_RUN or _RUN.search(text) is None:
            return super().__call__(text)
        pieces: list[Doc] = []
        position = 0
        for run in _RUN.finditer(text):
            if run.start() > position:
                pieces.append(super().__call__(text[position : run.start()]))
            characters = list(run.group())
            spaces = [False] * len(characters)
            position = run.end()
            if text.startswith(" ", position):  # the run's trailing space, as spaCy keeps it
                spaces[-1] = True
                position += 1
            pieces.append(Doc(self.vocab, words=characters, spaces=spaces))
        if position < len(text):
            pieces.append(super().__call__(text[position:]))
        return Doc.from_docs(pieces, ensure_whitespace=False)


@registry.tokenizers("skytally.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    def make(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return SkytallyTokenizer(
            nlp.vocab,
            rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex([*defaults.infixes, *DASH_INFIXES]).finditer,
            token_match=defaults.token_match,
            url_match=defaults.url_match,
        )

    return make


def blank_english() -> Language:
    """A blank English pipeline with skytally's tokenizer."""
    import spacy

    return spacy.blank(
        "en", config={"nlp": {"tokenizer": {"@tokenizers": "skytally.tokenizer.v1"}}}
    )
