"""Weapon mentions in news text: "Kh-101 cruise missiles", "Shahed-type attack UAVs".

Span convention
---------------
A match covers the weapon noun phrase together with the modifiers that say what
kind of weapon it is, and nothing else:

* included: designators and names ("Kh-101", "Iskander-M", "Shahed-type",
  "Storm Shadow/SCALP", "HIMARS"), and kind words ("fixed-wing", "aircraft-type",
  "attack", "kamikaze", "long-range", "decoy", "cruise", "ballistic", "guided",
  "glide", "aerial", "unmanned", "uncrewed", "surface", "naval", "fighter",
  "interceptor"): "aircraft-type UAVs", "Iskander-M ballistic missiles",
  "uncrewed surface vessels".
* kinds coordinated before one shared head noun are one mention: "Shahed and
  Gerbera drones", "cruise and ballistic missiles", "Shahed, Gerbera and other
  drones". Without a shared generic noun the names stay apart ("the Magura and
  Sea Baby" is two mentions), and so do two head nouns ("drones and decoys").
* a kind or name given after the head belongs to it: "unmanned aerial vehicles
  of the aircraft type", "24 drones Shahed" (translated bulletins).
* excluded: the count, determiners, the owner or nationality ("Ukrainian",
  "Russian", "enemy", "hostile", "the Ukrainian Armed Forces'", "Iranian-made").
* singular and plural alike ("drone", "Shaheds", "Su-34s", "KABs").

What is not a match (decisions a user should know):

* A weapon word that modifies a non-weapon noun is not a countable weapon
  mention: "drone attack", "missile strike", "drone debris", "drone industry",
  "missile danger", "drone manufacturers", "Strategic Missile Forces",
  "missile and drone attacks", "Kh-101 missile strike", "F-16 pilots".
  `categorize` still names the kind of such a phrase ("drone attack" -> drone).
* Counter-weapons and air defence hardware: "anti-drone", "counter-drone",
  "air defence systems", "S-400 system". Interceptor munitions are weapons
  ("interceptor drones", "Patriot missiles"), as the annotated corpus has them.
  "S-300"/"S-400", "Patriot" and launchers ("HIMARS", "MLRS", "Grad", "Vampire")
  are matched only as modifiers of a weapon noun ("S-300 missiles", "HIMARS
  rockets"); bare "HIMARS" is the launcher.
* Generic nouns need a kind word: "aerial targets", "air objects", "unmanned
  boats", "uncrewed surface vessels", "loitering munitions", "jet fighters",
  "unmanned aerial vehicles", "unmanned aerial systems"; bare "targets",
  "boats", "vessels", "fighters" (often troops), "military targets" are not
  matched.
* A kind word that is also an ordinary noun can attach to a following weapon
  noun: "during the attack drones were ..." gives "attack drones".

Categories: the head noun (the last word) decides; naval words ("naval", "sea",
"surface", "boat", "underwater") turn a drone into a naval_drone; "unmanned
aircraft" and "drone aircraft" are drones; "decoys" and "imitators" are drones.
Bare "bombs" / "aerial bombs" are guided_bomb (the glide and guided bombs of
this war). "aerial targets", "air objects", "means of air attack" are unknown
("ballistic targets" are missiles); "aerial vehicles" is a drone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from skytally.schema import WeaponCategory
from skytally.wordlists import word_lists

__all__ = ["WeaponMatch", "categorize", "find_weapons"]

# the names and words below: data/weapons.json
_WEAPONS = word_lists("weapons")


@dataclass(frozen=True, slots=True)
class WeaponMatch:
    start: int
    end: int
    category: WeaponCategory


def _trie(words: list[str]) -> str:
    """One pattern for many lower-case kind words, with shared prefixes factored out.

    A flat alternation of some 170 words is tried word by word at every position; the trie
    form only descends into branches whose first letter matches, several times faster.
    "-" in a word also matches a space or nothing ("fixed-wing", "fixed wing"), " " matches
    1-3 whitespace characters.
    """
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def symbol(char: str) -> str:
        return {"-": "[-‑ ]?", " ": r"\s{1,3}"}.get(char, re.escape(char))

    def emit(node: dict[str, dict]) -> str:
        branches = [symbol(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: try the longer words first, as `?` is greedy
            return f"(?:{group})?"
        return group

    return emit(root)


def _alt(patterns: list[str]) -> str:
    return "(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + ")"


_KIND_WORDS = list(_WEAPONS["kind_words"])

# Named weapons, case-sensitive. Each may head a phrase or modify a noun.
_NAMED_DRONE = list(_WEAPONS["named_drones"])
_NAMED_NAVAL = list(_WEAPONS["named_naval_drones"])
_NAMED_MISSILE = list(_WEAPONS["named_missiles"])
_NAMED_BOMB = list(_WEAPONS["named_bombs"])
_NAMED_AIRCRAFT = list(_WEAPONS["named_aircraft"])
# Named only as modifiers of a missile/rocket noun: alone they are launchers or air defence.
_NAMED_MOD_ONLY = list(_WEAPONS["named_modifiers_only"])

_NAMED_HEADS = _alt(_NAMED_DRONE + _NAMED_NAVAL + _NAMED_MISSILE + _NAMED_BOMB + _NAMED_AIRCRAFT)
_NAMED_ALL = _alt(
    _NAMED_DRONE + _NAMED_NAVAL + _NAMED_MISSILE + _NAMED_BOMB + _NAMED_AIRCRAFT + _NAMED_MOD_ONLY
)
_SLASH_TAIL = r"\d{2,3}[A-Z0-9]*"  # "Kh-59/69"
_NAMED_HEAD_UNIT = rf"(?-i:{_NAMED_HEADS}(?:/(?:{_NAMED_ALL}|{_SLASH_TAIL}))*s?)"
_NAMED_MOD_UNIT = rf"(?-i:{_NAMED_ALL}(?:/(?:{_NAMED_ALL}|{_SLASH_TAIL}))*)"

# "Shahed-type", "Shahed-136-type", "Shahed type" (a name, so the space is safe)
_TYPE_WORD = rf"(?:[A-Za-z]+(?:[-‑]\d{{1,3}})?[-‑]type|(?-i:{_NAMED_ALL})\s{{1,3}}type)"
_KIND = rf"(?:{_trie(_KIND_WORDS)}|{_TYPE_WORD})"
_MOD = rf"(?:{_NAMED_MOD_UNIT}|{_KIND})"

_GENERIC_HEADS = list(_WEAPONS["generic_heads"])
_HEAD = rf"(?:{_NAMED_HEAD_UNIT}|{_alt(_GENERIC_HEADS)})"

_SEP = r"\s{1,3}"
# Coordinated kinds sharing one head noun are one mention: "Shahed and Gerbera drones",
# "cruise and ballistic missiles", "Shahed, Gerbera and other drones".
# Everyday words among the kind words ("food, water and attack drones") do not coordinate.
_EVERYDAY_KINDS = set(_WEAPONS["everyday_kinds"])
_COORD_MOD = (
    rf"(?:{_NAMED_MOD_UNIT}|{_trie([w for w in _KIND_WORDS if w not in _EVERYDAY_KINDS])}"
    rf"|{_TYPE_WORD})"
)
_COORDINATED = (
    rf"(?:{_COORD_MOD}(?:\s{{0,3}},{_SEP}{_COORD_MOD}){{0,3}},?{_SEP}(?:and|or|&){_SEP}"
    rf"(?:other{_SEP})?)"
)
# At most five kind words, separated by 1-3 whitespace characters: this bounds the
# backtracking per start, and lets `_phrase_starts` find every possible start by walking
# back a few words from a head.
_GENERIC_HEADS_ALT = _alt(_GENERIC_HEADS)
# Coordination needs a shared generic head noun: "Magura and Sea Baby" are two mentions.
_SHARED_HEAD_AHEAD = rf"(?=(?:{_MOD}{_SEP}){{0,5}}{_GENERIC_HEADS_ALT}(?!\w|[-‑]\w))"
_PHRASE = re.compile(
    rf"(?<![\w\-‑/])(?P<mods>(?:{_COORDINATED}{_SHARED_HEAD_AHEAD})?(?:{_MOD}{_SEP}){{0,5}})"
    rf"(?P<head>{_HEAD})(?!\w|[-‑]\w)",
    re.IGNORECASE,
)
# A kind given after the head: "unmanned aerial vehicles of the aircraft type".
_OF_TYPE = re.compile(
    rf"{_SEP}of{_SEP}(?:the{_SEP})?(?:aircraft|airplane|aeroplane|plane|helicopter|copter"
    rf"|multicopter|quadcopter|jet|(?-i:{_NAMED_ALL}))[-‑ ]type\b(?![-‑]\w)",
    re.IGNORECASE,
)
# A name after a generic plural head, in translated bulletins: "24 drones Shahed".
_TRAILING_NAME = re.compile(rf"{_SEP}({_NAMED_HEAD_UNIT})(?!\w|[-‑]\w)")
# Every phrase ends in a head noun; heads are rare in ordinary text, so the phrase regex is
# only tried at the few word starts just before a head rather than at every offset. Heads
# are found by tokenising with a trivial regex and looking words up in sets (much faster
# than one big alternation tried at every offset), then confirmed with an anchored match.
_TOKEN = re.compile(r"\w+")
_HEAD_AT = re.compile(_HEAD, re.IGNORECASE)
_GENERIC_HEAD_FIRST = frozenset(_WEAPONS["generic_head_first"])
_NAMED_HEAD_FIRST = frozenset(
    # first words of the patterns that do not start with a plain word
    set(_WEAPONS["named_head_first_extra"])
    | {
        match.group()
        for pattern in _NAMED_DRONE + _NAMED_NAVAL + _NAMED_MISSILE + _NAMED_BOMB + _NAMED_AIRCRAFT
        if (match := re.match(r"[A-Za-z]+", pattern))
    }
)
_LETTERS = re.compile(r"[A-Za-z]*")
_JOINERS = frozenset("_-‑/")  # characters a phrase cannot start right after
_MAX_CHAIN = 12  # words before a head that can belong to its phrase
_CONJUNCTIONS = frozenset({"and", "or", "&", "other"})
_KIND_PARTS = frozenset(
    part
    for word in _KIND_WORDS
    for part in [*re.split(r"[- ]", word), word.replace("-", ""), word.replace(" ", "")]
)

# Generic heads that are weapons only with the right kind word in front.
_WEAK_HEADS: dict[str, re.Pattern[str]] = {
    "vehicle": re.compile(
        r"\b(?:aerial|air)\b|\b(?:unmanned|uncrewed)\b.*\b(?:surface|underwater|sea|naval|maritime)"
    ),
    # "barrage munitions" is a common translation of the Russian for loitering munitions
    "munition": re.compile(r"loitering|barrage|lancet|shahed|one[-‑ ]?way"),
    "projectile": re.compile(
        r"himars|mlrs|grad|uragan|smerch|vampire|tornado|olkha|vilkha|rocket|guided|rm[-‑]70"
        r"|bm[-‑]21"
    ),
    # "unmanned aerial systems", but not "air defence systems" or "S-400 systems"
    "system": re.compile(r"\b(?:unmanned|uncrewed)\b.*\b(?:aerial|aircraft)\b"),
    "boat": re.compile(
        r"unmanned|uncrewed|drone|kamikaze|explosive|remote|robotic|autonomous|pilotless|magura"
    ),
    "target": re.compile(r"aerial|\bair\b|airborne|flying|ballistic|unidentified"),
    "fighter": re.compile(r"\bjet\b|su[-‑ ]?\d|mig[-‑ ]?\d|f[-‑]\d|mirage|multirole|multi-role"),
}
_WEAK_HEADS["vessel"] = _WEAK_HEADS["boat"]
_WEAK_HEADS["object"] = _WEAK_HEADS["target"]
_WEAK_HEADS["shell"] = _WEAK_HEADS["projectile"]

# Nouns that turn a singular weapon word into a modifier: "drone attack", "missile strike".
_NOT_WEAPON_NOUNS = list(_WEAPONS["not_weapon_nouns"])
_AFTER_NOT_WEAPON = re.compile(
    r"(?:(?:\s*,\s*|\s+(?:and|or|&)\s+|\s*/\s*)[\w-]+){0,3}\s+"
    rf"{_alt(_NOT_WEAPON_NOUNS)}\b",
    re.IGNORECASE,
)
_BEFORE_ANTI = re.compile(r"\b(?i:anti|counter)\s+$")  # "anti drone guns"
# "UAVs of the aircraft type": the generic head noun names a type, it is not a weapon.
_AFTER_TYPE = re.compile(r"\s{1,3}types?\b", re.IGNORECASE)
_GENERIC_HEAD = re.compile(_alt(_GENERIC_HEADS), re.IGNORECASE)
_BEFORE_SEA_NAME = re.compile(
    r"\b(?:Black|Azov|Caspian|Baltic|Red|North|Mediterranean|Barents|White|Okhotsk|Japan)\s+$"
)
_BEFORE_THE = re.compile(r"\bThe\s+$")
_AFTER_VERB_BOMBS = re.compile(r"\s+(?:the\b|[A-Z][a-z])")
# Bombs that are not air-dropped weapons.
_BEFORE_GROUND_BOMB = re.compile(
    r"\b(?i:car|truck|pipe|roadside|nuclear|atomic|dirty|letter|parcel|homemade|improvised"
    r"|smoke|time)\s+$"
)
_HARDWARE = re.compile(
    r"\b(?:systems?|complex(?:es)?|batter(?:y|ies)|launchers?|divisions?)\b", re.IGNORECASE
)
_INVARIANT_S = set(_WEAPONS["invariant_plurals"])
_BEFORE_WINDOW = 30

_TOKEN_CATEGORY: tuple[tuple[re.Pattern[str], WeaponCategory], ...] = tuple(
    (re.compile("|".join(alternatives), re.IGNORECASE), WeaponCategory(category))
    for category, alternatives in _WEAPONS["category_patterns"].items()
)
_NAVAL_MARKERS = set(_WEAPONS["naval_markers"])
_UNMANNED = set(_WEAPONS["unmanned_words"])


def _token_category(token: str) -> WeaponCategory | None:
    token = token.strip(".,;:!?()[]\"'").removesuffix("'s").removesuffix("’s")
    for sub in reversed(token.split("/")):  # "Storm Shadow/SCALP": the last name decides
        if sub.lower() in {"vehicle", "vehicles", "system", "systems"}:
            return WeaponCategory.DRONE  # only "unmanned aerial ..." gets here
        for pattern, category in _TOKEN_CATEGORY:
            if pattern.fullmatch(sub):
                return category
    return None


def _classify(words: list[str]) -> WeaponCategory | None:
    """Category of a weapon phrase's words: the right-most recognised word (the head) wins."""
    for index in range(len(words) - 1, -1, -1):
        category = _token_category(words[index])
        if category is None:
            continue
        modifiers = {w.lower() for w in words[:index]}
        head = words[index].lower()
        if category is WeaponCategory.DRONE and modifiers & _NAVAL_MARKERS:
            return WeaponCategory.NAVAL_DRONE
        if category is WeaponCategory.AIRCRAFT and head == "aircraft" and modifiers & _UNMANNED:
            # "unmanned aircraft", "drone aircraft"
            return WeaponCategory.DRONE
        if category is WeaponCategory.UNKNOWN and modifiers & {"ballistic", "cruise"}:
            return WeaponCategory.MISSILE  # "ballistic targets"
        return category
    return None


def _is_plural(head: str) -> bool:
    last = head.split()[-1].split("/")[-1]
    return last.endswith("s") and last.lower() not in _INVARIANT_S


def _accept(m: re.Match[str], text: str) -> bool:
    """Whether a grammatical candidate is really a countable weapon mention."""
    head = m.group("head")
    mods = m.group("mods").lower()
    head_key = head.lower().rstrip("s")
    weak = _WEAK_HEADS.get(head_key)
    if weak is not None and not weak.search(mods + " " + head.lower()):
        return False
    window = max(0, m.start() - _BEFORE_WINDOW)
    if _BEFORE_ANTI.search(text, window, m.start()):
        return False
    first_word = m.group(0).split(maxsplit=1)[0]
    if first_word.lower() == "sea" and _BEFORE_SEA_NAME.search(text, window, m.start()):
        return False  # "Black Sea drones": the sea's name, not a naval drone
    if first_word.startswith("Lancet") and _BEFORE_THE.search(text, window, m.start()):
        return False  # The Lancet, the journal
    if head_key == "bomb" and _BEFORE_GROUND_BOMB.search(text, window, m.start()):
        return False
    if head == "bombs" and not mods and _AFTER_VERB_BOMBS.match(text, m.end()):
        return False  # "Russia bombs Kharkiv": the verb
    if _is_plural(head):
        return True
    if _GENERIC_HEAD.fullmatch(head) and _AFTER_TYPE.match(text, m.end()):
        return False
    return not _AFTER_NOT_WEAPON.match(text, m.end())


def _phrase_starts(text: str, head: int, floor: int) -> list[int]:
    """Where a phrase ending at or after the head word at `head` can begin, in order.

    Walks back over the whitespace-separated words before the head for as long as they
    could be kind words or names; a phrase cannot start before that chain (its words are
    separated by 1-3 whitespace characters only). Usually this is zero to two words.
    """
    starts = [head]
    word_start = head
    while word_start > floor and not text[word_start - 1].isspace():
        word_start -= 1
    # The head's own word may begin earlier ("anti-aircraft", "Storm Shadow/SCALP").
    start, broken = _last_start(text, word_start, head)
    if start < head:
        starts.append(start)
    chain_end = word_start
    for _ in range(_MAX_CHAIN):
        if broken:
            break
        gap_start = chain_end
        while gap_start > floor and chain_end - gap_start < 4 and text[gap_start - 1].isspace():
            gap_start -= 1
        if not 1 <= chain_end - gap_start <= 3 or gap_start <= floor:
            break
        word_start = gap_start
        while word_start > floor and not text[word_start - 1].isspace():
            word_start -= 1
        word_end = gap_start - 1 if text[gap_start - 1] == "," else gap_start  # "Shahed,"
        if word_end <= word_start:
            break
        if text[word_start:word_end].lower() in _CONJUNCTIONS:
            chain_end = word_start  # "Shahed and Gerbera drones": walk on
            continue
        start, broken = _last_start(text, word_start, word_end)
        if not text[word_end - 1].isalnum() or not _could_be_kind(text[start:word_end]):
            break
        starts.append(start)
        chain_end = word_start
    return sorted(starts)


def _last_start(text: str, start: int, end: int) -> tuple[int, bool]:
    """The last place in text[start:end] a phrase can begin (after punctuation such as
    "(" or "."), and whether punctuation was found, which ends the chain of words."""
    for index in range(end - 1, start - 1, -1):
        char = text[index]
        if not (char.isalnum() or char in _JOINERS):
            return index + 1, True
    return start, False


def _could_be_kind(word: str) -> bool:
    """Cheap over-approximation of "this word can be part of a modifier"."""
    lowered = word.lower()
    if lowered in _KIND_PARTS or lowered.endswith("type") or lowered != word:
        return True  # capitalised words and designators may be names: "Storm", "Kh-101"
    return any(c.isdigit() for c in word) or all(
        part in _KIND_PARTS for part in re.split(r"[-‑/]", lowered)
    )


def find_weapons(text: str) -> list[WeaponMatch]:
    """Every weapon mention in `text`, sorted, non-overlapping and maximal."""
    found: list[WeaponMatch] = []
    position = 0
    for head in _head_starts(text):
        if head < position:
            continue
        for start in _phrase_starts(text, head, position):
            m = _PHRASE.match(text, start)
            # A rejected phrase may still hold a weapon further on ("Black Sea drones"),
            # so the later starts are tried too.
            if m is not None and _accept(m, text):
                found.append(_complete(m, text))
                position = found[-1].end
                break
        else:
            position = head + 1
    return found


def _complete(m: re.Match[str], text: str) -> WeaponMatch:
    """The match of an accepted phrase, with a kind or name given after its head."""
    category = _classify(m.group(0).split()) or WeaponCategory.UNKNOWN
    end = m.end()
    head = m.group("head")
    if _is_plural(head) and _GENERIC_HEAD.fullmatch(head):
        name = _TRAILING_NAME.match(text, end)
        if name is not None and _classify([name.group(1)]) is category:
            end = name.end()
    kind = _OF_TYPE.match(text, end)
    if kind is not None:
        end = kind.end()
    return WeaponMatch(m.start(), end, category)


def _head_starts(text: str) -> Iterator[int]:
    """Offsets where a head noun begins (those starts of words that a head matches)."""
    for token in _TOKEN.finditer(text):
        word = token.group()
        if word.lower() not in _GENERIC_HEAD_FIRST:
            match = _LETTERS.match(word)
            letters = match.group() if match else ""
            if not (
                letters in _NAMED_HEAD_FIRST
                or (letters.endswith("s") and letters[:-1] in _NAMED_HEAD_FIRST)
                or word[:2] in {"3M", "9M"}
            ):
                continue
        if _HEAD_AT.match(text, token.start()):
            yield token.start()


def categorize(phrase: str) -> WeaponCategory:
    """Category of an isolated weapon phrase; UNKNOWN if no weapon word is recognised."""
    matches = find_weapons(phrase)
    if matches:
        best = max(matches, key=lambda w: (w.end - w.start, w.start))
        return best.category
    if _HARDWARE.search(phrase):
        return WeaponCategory.UNKNOWN  # "S-400 system", "HIMARS launchers": not a projectile
    # Not a countable mention ("drone attack", "S-300"): still name the kind of weapon.
    return _classify(phrase.split()) or WeaponCategory.UNKNOWN
