"""The public event model: what `skytally.extract` returns.

Every piece of evidence carries `text`, `start` and `end`, character offsets
into the input string, so `input[start:end] == text` always holds.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator


class Qualifier(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    APPROXIMATE = "approximate"


class WeaponCategory(StrEnum):
    DRONE = "drone"
    NAVAL_DRONE = "naval_drone"
    MISSILE = "missile"
    GUIDED_BOMB = "guided_bomb"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    DESTROYED = "destroyed"
    SUPPRESSED = "suppressed"
    LAUNCHED = "launched"
    HIT = "hit"


class PlaceKind(StrEnum):
    REGION = "region"
    CITY = "city"
    DISTRICT = "district"
    SEA = "sea"
    COUNTRY = "country"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TextSpan(_Frozen):
    """A stretch of the input text."""

    text: str = Field(description="The characters of the input that say so.")
    start: int = Field(ge=0, description="Offset of the first character in the input.")
    end: int = Field(ge=0, description="Offset one past the last character.")

    @model_validator(mode="after")
    def _ordered(self) -> TextSpan:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Count(TextSpan):
    value: int = Field(
        ge=0,
        description="The number as written ('a dozen' = 12); the lower "
        "bound of a range ('10-15 drones').",
    )
    qualifier: Qualifier = Qualifier.EXACT
    upper: int | None = Field(
        default=None, ge=0, description="The upper bound of a range ('10-15 drones' = 15)."
    )

    @model_validator(mode="after")
    def _range_ordered(self) -> Count:
        if self.upper is not None and self.upper < self.value:
            raise ValueError(f"range upper bound {self.upper} is below its value {self.value}")
        return self


class Weapon(TextSpan):
    category: WeaponCategory


class Place(TextSpan):
    code: str | None = Field(
        description="ISO 3166-2 code (RU-BEL), country code (RU, UA), SEA-* for seas; "
        "null when the name is not a real region."
    )
    name: str = Field(description="English name of the place as skytally knows it.")
    kind: PlaceKind


class Period(_Frozen):
    """When: an absolute span of time, and the words that say so.

    `start` and `end` are the times; the text's offsets are `text_start` and
    `text_end` (the other evidence objects call them `start` and `end`)."""

    text: str
    text_start: int = Field(ge=0, description="Offset of the expression's first character.")
    text_end: int = Field(ge=0, description="Offset one past its last character.")
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None


class Claimant(TextSpan):
    name: str = Field(description="Who makes the claim, in a normalised form.")


class SentenceSpan(_Frozen):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class InterceptionEvent(_Frozen):
    """One claim: N objects of a kind, with an outcome, somewhere, at some time."""

    count: Count
    weapon: Weapon | None = None
    outcome: Outcome
    place: Place | None = None
    heading_to: Place | None = None
    period: Period | None = None
    claimant: Claimant | None = None
    part_of: int | None = Field(
        default=None,
        ge=0,
        description="Index, in the same list, of the total this count is part of.",
    )
    sentence: SentenceSpan
    confidence: float = Field(ge=0.0, le=1.0)
    mentions: list[TextSpan] = Field(
        default_factory=list,
        description="Other statements of the same claim in the text (a headline, a quote, a "
        "closing line): their count's characters. The claim is reported once.",
    )


class GoldEvent(InterceptionEvent):
    """An annotated event; `optional` marks a debatable reading that is neither
    credited nor penalised in evaluation."""

    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    optional: bool = False
