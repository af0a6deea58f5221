"""Word lists the rule-based stages share: outcome triggers and claimants.

Kept apart from the components so a user can read, in one place, every
phrase skytally treats as "shot down" or as a source: the phrases and names
themselves are in `data/lexicon.json`, read once at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import Outcome
from .wordlists import word_lists

_LEXICON = word_lists("lexicon")

# Longest alternatives first: the regex engine takes the first that matches.
_OUTCOME_PHRASES: dict[Outcome, tuple[str, ...]] = {
    Outcome(outcome): tuple(phrases) for outcome, phrases in _LEXICON["outcome_phrases"].items()
}

OUTCOME_PATTERN = re.compile(
    r"\b(?:"
    + "|".join(
        f"(?P<{outcome.value}_{index}>{phrase})"
        for outcome, phrases in _OUTCOME_PHRASES.items()
        for index, phrase in enumerate(phrases)
    )
    + r")\b",
    re.IGNORECASE,
)


def outcome_of_match(match: re.Match[str]) -> Outcome:
    assert match.lastgroup is not None
    return Outcome(match.lastgroup.rsplit("_", 1)[0])


# Words whose pattern needs the following context ("attacked ... with"):
# their reading when the phrase stands alone.
# Words too common to search for in running text, but clear as an annotated
# outcome span ("brought them [down]", "[released] twelve glide bombs").
_ISOLATED = {word: Outcome(outcome) for word, outcome in _LEXICON["isolated_outcomes"].items()}


def outcome_of_phrase(phrase: str) -> Outcome | None:
    if phrase.strip().lower() in _ISOLATED:
        return _ISOLATED[phrase.strip().lower()]
    match = OUTCOME_PATTERN.fullmatch(phrase.strip())
    if match is None:
        match = OUTCOME_PATTERN.search(phrase)
    return outcome_of_match(match) if match else None


@dataclass(frozen=True, slots=True)
class ClaimantInfo:
    name: str
    country: str | None  # "RU" | "UA" | None: decides the default time zone
    regional: bool = False  # a governor, mayor or city administration speaks for one place


_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_PERSON = rf"{_NAME}(?:\s+{_NAME}){{1,2}}"
# Officials whose surname alone is cited as a source in reports.
KNOWN_OFFICIALS = tuple(_LEXICON["known_officials"])
_TITLE = (
    r"(?:(?:" + "|".join(_LEXICON["title_modifiers"]) + r")\s+)?"
    r"(?:" + "|".join(_LEXICON["titles"]) + r")"
)

CLAIMANT_PATTERN = re.compile(
    r"(?P<ministry>(?:[Tt]he\s+)?(?:(?:Russian|Ukrainian|Russia's|Ukraine's|Russia’s|Ukraine’s)\s+)?"
    r"(?:Ministry\s+of\s+Defen[cs]e(?:\s+of\s+(?:the\s+Russian\s+Federation|Russia|Ukraine))?"
    r"|[Dd]efen[cs]e\s+[Mm]inistry|MoD|MOD))"
    r"|(?P<airforce>(?:[Tt]he\s+)?(?:(?:Ukrainian|Ukraine's|Ukraine’s|[A-Z][a-z]+(?:'s|’s))\s+)?"
    r"(?:Air\s+Force(?:\s+Command)?(?:\s+of\s+(?:the\s+Armed\s+Forces\s+of\s+)?Ukraine)?|[Aa]ir\s+[Ff]orce(?=\s+(?:said|says|reported|stated|claimed)|\s*:)))"
    r"|(?P<staff>(?:[Tt]he\s+)?(?:(?:Ukrainian|Ukraine's|Ukraine’s)\s+)?General\s+Staff(?:\s+of\s+(?:the\s+)?(?:Armed\s+Forces\s+of\s+)?Ukraine)?)"
    r"|(?P<administration>(?:[Tt]he\s+)?(?:" + "|".join(_LEXICON["administration_cities"]) + r")"
    r"\s+(?:City|Regional|Oblast)\s+(?:State\s+|Military\s+)*Administration)"
    # a titled person: the span is the name, the title only tells us it is a source
    r"|(?:(?P<title>" + _TITLE + r")\s+)(?P<titled>" + _PERSON + r")"
    r"|(?P<official>\b(?:" + "|".join(KNOWN_OFFICIALS) + r")\b)"
    r"|(?P<ministry_short>\b[Tt]he\s+(?:(?:Russian|Ukrainian)\s+)?(?:defen[cs]e\s+)?ministry\b)"
    r"|(?P<role>\b[Tt]he\s+(?:regional\s+)?(?:governor|mayor)\b)",
)

_RUSSIAN_HINTS = tuple(_LEXICON["russian_hints"])
_UKRAINIAN_HINTS = tuple(_LEXICON["ukrainian_hints"])


def claimant_info(text: str, kind: str | None = None) -> ClaimantInfo:
    """A normalised name and the country a claimant speaks for."""
    lowered = text.lower()
    kind = kind or _kind_of(text)
    if kind in ("ministry", "ministry_short"):
        if "ukrain" in lowered:
            return ClaimantInfo("Ukrainian Ministry of Defence", "UA")
        return ClaimantInfo("Russian Ministry of Defence", "RU")
    if kind == "airforce":
        foreign = re.match(r"(?:the\s+)?([A-Z][a-z]+)(?:'s|’s)\s", text.strip())
        if foreign and foreign.group(1) != "Ukraine":
            # "Belarus's air force", "Poland's Air Force": not Ukraine's
            return ClaimantInfo(f"{foreign.group(1)} Air Force", None)
        return ClaimantInfo("Ukrainian Air Force", "UA")
    if kind == "staff":
        return ClaimantInfo("General Staff of the Armed Forces of Ukraine", "UA")
    if kind == "administration":
        words = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
        return ClaimantInfo(words.replace("Kiev", "Kyiv"), "UA", regional=True)
    name = re.sub(_TITLE + r"\s+", "", text.strip(), count=1)
    if kind == "role":
        name = re.sub(r"^[Tt]he\s+", "", name)
    country = None
    if any(hint in lowered for hint in _UKRAINIAN_HINTS):
        country = "UA"
    elif any(hint in lowered for hint in _RUSSIAN_HINTS):
        country = "RU"
    regional = kind in ("titled", "official", "role") and "spokes" not in lowered
    return ClaimantInfo(name, country, regional=regional)


def _kind_of(text: str) -> str | None:
    """The kind of an isolated claimant mention, by its head words (the
    recogniser's own pattern needs context such as "... air force said")."""
    lowered = text.lower()
    if "air force" in lowered:
        return "airforce"
    if "general staff" in lowered:
        return "staff"
    if "administration" in lowered:
        return "administration"
    if "ministry" in lowered or re.search(r"\bmod\b", lowered):
        return "ministry"
    if re.fullmatch(r"(?:the\s+)?(?:regional\s+)?(?:governor|mayor)", lowered.strip()):
        return "role"
    match = CLAIMANT_PATTERN.fullmatch(text.strip())
    return match.lastgroup if match else None
