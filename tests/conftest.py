from __future__ import annotations

import pytest
from spacy.language import Language

import skytally


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The pipeline as shipped (built from its default settings)."""
    return skytally.build_pipeline()
