"""The word lists of `data/*.json`: vocabulary the rule-based stages look up.

Each file holds the lists of one topic (`lexicon.json`: outcome phrases and
claimants; `weapons.json`: weapon names and kind words; `linking_words.json`,
`entity_words.json`, `number_words.json`: the words the linker, the entity
stage and the number finder read around a span), with a "_doc" key saying what
the lists are for. A file is read once; the modules build their sets and
patterns from it at import.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def word_lists(name: str) -> dict[str, Any]:
    """The lists of `data/<name>.json`, without its "_doc" key, read once.

    The result is shared: copy a list before changing it.
    """
    data = json.loads((files("skytally") / "data" / f"{name}.json").read_text("utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}
