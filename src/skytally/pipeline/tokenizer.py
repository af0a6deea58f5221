"""`skytally.tokenizer.v1`: spaCy's English tokenizer, plus dashes as infixes.

Reports glue numbers to words with dashes ("drones—13—neutralized",
"Kursk–12"); spaCy keeps "drones—13" as one token, which would put a
count inside a weapon. Splitting on em and en dashes keeps every entity on
its own tokens. Annotation offsets are checked against this same tokenizer.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

DASH_INFIXES = (r"[—–]",)


@registry.tokenizers("skytally.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    def make(nlp: Language) -> Tokenizer:
        defaults = nlp.Defaults
        return Tokenizer(
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
