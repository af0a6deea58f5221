"""skytally's spaCy components, one module each.

Importing a module registers its factory; `spacy.load` finds them through
the `spacy_factories` entry points without importing skytally first.
"""

from __future__ import annotations


def register_factories() -> None:
    from . import assembler, entity_ruler, linker, normalizer, sentences, tokenizer  # noqa: F401
