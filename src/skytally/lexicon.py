"""Word lists the rule-based stages share: outcome triggers and claimants.

Kept apart from the components so a user can read, in one place, every
phrase skytally treats as "shot down" or as a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .schema import Outcome

# Longest alternatives first: the regex engine takes the first that matches.
_OUTCOME_PHRASES: dict[Outcome, tuple[str, ...]] = {
    Outcome.SUPPRESSED: (
        r"locationally\s+lost",
        r"(?:were|was)\s+lost\s+(?:from|off)\s+(?:the\s+)?radars?",
        r"lost\s+(?:from|off)\s+(?:the\s+)?radars?",
        r"lost\s+(?:their|its)\s+locations?",
        r"lost\s+in\s+location",
        r"(?:went\s+)?missing\s+from\s+(?:the\s+)?radars?",
        r"disappeared\s+from\s+(?:the\s+)?radars?",
        r"lost\s+(?:the\s+)?track\s+of",
        # "lost" alone, but not "lost a whole entrance", "lost power": a transitive verb
        r"lost(?!\s+(?:a|an|the|its|their|his|her|power|contact|control|lives?|\d)\b)",
        r"suppres+ed(?:\s+by\s+(?:electronic\s+warfare|EW)(?:\s+(?:means|systems))?)?",
        r"jammed",
        r"(?:neutrali[sz]ed|downed|brought\s+down)\s+by\s+(?:electronic\s+warfare|EW)",
        r"(?:electronic\s+warfare|EW)\s+(?:means|systems)?",
        r"redirected",
        r"diverted(?:\s+by\s+(?:electronic\s+warfare|EW))?",
        r"did\s+not\s+reach\s+(?:their|its)\s+targets?",
        r"failed\s+to\s+reach\s+(?:their|its)\s+targets?",
    ),
    Outcome.LAUNCHED: (
        # only the verb is the trigger: a place may sit between it and "with"
        r"attacked(?=\s+(?:[\w'’-]+\s+){0,3}?with\b)",
        # "a nocturnal attack with 139 drones"
        r"attacks?(?=\s+with\b)",
        r"struck(?=\s+(?:[\w'’-]+\s+){0,3}?with\b)",
        r"attacking(?=\s+(?:[\w'’-]+\s+){0,3}?with\b)",
        r"launched",
        r"launching",
        r"launch(?:es)?",
        r"fires",
        r"firing",
        r"fired",
        r"tried\s+to\s+attack",
        r"attacked",  # "five UAVs attacked the Lipetsk region"
        r"used",
        r"sent",
        r"dropp(?:ed|ing)",
    ),
    Outcome.HIT: (
        r"hits?\s+(?:were|was)\s+recorded",
        r"hits",
        r"reached\s+(?:their|its)\s+targets?",
        r"reached(?=\s+(?:the|an?)\s)",  # "had reached the oil refinery"
        r"struck\s+(?:their|its)\s+targets?",
        r"hit\s+(?:their|its)\s+targets?",
        r"hit",
        r"hitting",
        r"struck",
        r"impacts?",
    ),
    Outcome.DESTROYED: (
        # the Ukrainian Air Force's combined figure counts as shot down
        r"(?:shot|brought)\s+down\s*(?:or|/|and)\s*(?:suppressed|jammed|neutrali[sz]ed)",
        r"destroyed\s*(?:or|/)\s*suppressed",
        r"intercepted\s+and\s+(?:knocked\s+out|neutrali[sz]ed|eliminated)",
        r"intercepted\s+and\s+destroyed",
        r"intercepted\s+and\s+shot\s+down",
        r"shot\s+down",
        r"shooting\s+down",
        r"shoots?\s+down",
        r"shoote?d\s+down",  # "was shooted down": machine-translated copy
        r"(?:taken|took|takes|taking)\s+down",
        r"sunk",
        r"sank",
        r"brought\s+down",
        r"bring(?:s|ing)?\s+down",
        r"taken\s+out",
        r"took\s+out",
        r"destroyed",
        r"destroying",
        r"destroys?",
        r"destruction",
        r"intercepted",
        r"intercepting",
        r"intercepts?",
        r"interceptions?",
        r"downed",
        r"downing",
        r"neutrali[sz]ed",
        r"neutrali[sz]ing",
        r"eliminated",
        r"repelled",
        r"fought\s+off",
        r"repelling",
        r"repulsed",
        r"knocked\s+out",
        r"knocked\s+down",
        r"struck\s+down",
        r"liquidated",
        r"annihilated",
        r"felled",
        r"downs",
    ),
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
_ISOLATED = {
    "attacked": Outcome.LAUNCHED,
    "attacking": Outcome.LAUNCHED,
    "released": Outcome.LAUNCHED,
    "drops": Outcome.LAUNCHED,
    "drop": Outcome.LAUNCHED,
    "targeted": Outcome.LAUNCHED,
    "down": Outcome.DESTROYED,
}


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
KNOWN_OFFICIALS = (
    "Sobyanin",
    "Gladkov",
    "Bogomaz",
    "Khinshtein",
    "Anokhin",
    "Drozdenko",
    "Vorobyov",
    "Gusev",
    "Kondratyev",
    "Klitschko",
    "Tkachenko",
    "Syniehubov",
    "Kiper",
    "Terekhov",
    "Lysak",
    "Fedorov",
    "Ihnat",
    "Slyusar",
    "Popko",
    "Vilkul",
    "Starovoit",
    "Shapsha",
    "Artamonov",
    "Nikitin",
    "Beglov",
    "Razvozhayev",
    "Aksyonov",
    "Kobzev",
    "Mash",
)
_TITLE = (
    r"(?:(?:Acting|acting|Regional|regional|Moscow|Kyiv|Kiev|Odesa|Kharkiv|City|city)\s+)?"
    r"(?:Governor|governor|Mayor|mayor|Head|head|Chief|chief|spokesman|spokesperson|"
    r"Spokesman|Spokesperson)"
)

CLAIMANT_PATTERN = re.compile(
    r"(?P<ministry>(?:[Tt]he\s+)?(?:(?:Russian|Ukrainian|Russia's|Ukraine's|Russia’s|Ukraine’s)\s+)?"
    r"(?:Ministry\s+of\s+Defen[cs]e(?:\s+of\s+(?:the\s+Russian\s+Federation|Russia|Ukraine))?"
    r"|[Dd]efen[cs]e\s+[Mm]inistry|MoD|MOD))"
    r"|(?P<airforce>(?:[Tt]he\s+)?(?:(?:Ukrainian|Ukraine's|Ukraine’s|[A-Z][a-z]+(?:'s|’s))\s+)?"
    r"(?:Air\s+Force(?:\s+Command)?(?:\s+of\s+(?:the\s+Armed\s+Forces\s+of\s+)?Ukraine)?|[Aa]ir\s+[Ff]orce(?=\s+(?:said|says|reported|stated|claimed)|\s*:)))"
    r"|(?P<staff>(?:[Tt]he\s+)?(?:(?:Ukrainian|Ukraine's|Ukraine’s)\s+)?General\s+Staff(?:\s+of\s+(?:the\s+)?(?:Armed\s+Forces\s+of\s+)?Ukraine)?)"
    r"|(?P<administration>(?:[Tt]he\s+)?(?:Kyiv|Kiev|Odesa|Kharkiv|Dnipro|Zaporizhzhia|Sumy|Mykolaiv|Chernihiv|Poltava)"
    r"\s+(?:City|Regional|Oblast)\s+(?:State\s+|Military\s+)*Administration)"
    # a titled person: the span is the name, the title only tells us it is a source
    r"|(?:(?P<title>" + _TITLE + r")\s+)(?P<titled>" + _PERSON + r")"
    r"|(?P<official>\b(?:" + "|".join(KNOWN_OFFICIALS) + r")\b)"
    r"|(?P<ministry_short>\b[Tt]he\s+(?:(?:Russian|Ukrainian)\s+)?(?:defen[cs]e\s+)?ministry\b)"
    r"|(?P<role>\b[Tt]he\s+(?:regional\s+)?(?:governor|mayor)\b)",
)

_RUSSIAN_HINTS = (
    "russia",
    "russian",
    "sobyanin",
    "gladkov",
    "bogomaz",
    "khinshtein",
    "anokhin",
    "drozdenko",
    "vorobyov",
    "gusev",
    "kondratyev",
    "beglov",
    "razvozhayev",
    "aksyonov",
    "starovoit",
    "shapsha",
    "artamonov",
    "nikitin",
    "governor",
)
_UKRAINIAN_HINTS = (
    "ukrain",
    "kyiv",
    "kiev",
    "odesa",
    "kharkiv",
    "klitschko",
    "ihnat",
    "tkachenko",
    "syniehubov",
    "kiper",
    "terekhov",
    "lysak",
    "fedorov",
    "slyusar",
    "popko",
    "vilkul",
)


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
