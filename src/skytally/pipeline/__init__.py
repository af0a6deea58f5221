"""skytally's spaCy components, one module each.

Importing a module registers its factory; `spacy.load` finds them through
the `spacy_factories` entry points without importing skytally first.
"""

from __future__ import annotations


def register_factories() -> None:
    from . import (  # noqa: F401
        assembler,
        decoder,
        encoder,
        entity_ruler,
        linker,
        normalizer,
        relation_model,
        sentences,
        tokenizer,
    )
