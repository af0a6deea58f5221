"""skytally: typed interception events from English news text.

>>> import skytally
>>> events = skytally.extract(text, published="2025-11-01")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import build_pipeline, extract, extract_many, load
from .schema import (
    Claimant,
    Count,
    InterceptionEvent,
    Outcome,
    Period,
    Place,
    PlaceKind,
    Qualifier,
    Weapon,
    WeaponCategory,
)

__all__ = [
    "Claimant",
    "Count",
    "InterceptionEvent",
    "Outcome",
    "Period",
    "Place",
    "PlaceKind",
    "Qualifier",
    "Weapon",
    "WeaponCategory",
    "__version__",
    "build_pipeline",
    "extract",
    "extract_many",
    "load",
]
