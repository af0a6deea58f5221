"""Cardinal counts in news text: "98", "1,200", "forty-five", "more than a dozen".

`find_numbers` tokenises the text with a trivial regex, runs one compiled,
anchored scanner regex only at words that can begin a count, and checks a
bounded context around each hit, so it runs in linear time; quantulum3 is
never run on the whole text. `parse_count` reads one isolated count phrase and
falls back to quantulum3 (imported lazily, results cached) only for wordings
the fast path cannot read ("twenty one hundred", "one and a half thousand").

Readings a user should know about (they follow docs/conventions.md, Counts):

* The span covers the bound words and trailing markers: "more than 10",
  "40-odd", "50 or more". `value` is the number as written.
* Bounds: "more than" / "over" / "in excess of" / "upwards of" / "just over"
  -> more_than; "at least" / "no fewer than" / "not less than" / "40 or more" /
  "40-plus" / "40+" -> at_least; "up to" / "as many as" / "no more than" /
  "at most" -> at_most. The schema has no strict "less than" qualifier, so
  "fewer than" / "less than" / "just under" are read as at_most.
  "about" / "around" / "some" / "roughly" / "approximately" / "nearly" /
  "almost" / "close to" / "an estimated" / "40 or so" / "40-odd" -> approximate.
* "over" before a count of places or time ("over two regions", "over 24 hours")
  is the preposition, not a bound: the match is the bare number, exact.
* "a dozen" = 12, "two dozen" = 24, "half a dozen" = 6. "a couple of" = 2,
  approximate (colloquially it means "two or so"); bare "a couple" (often a
  pair of people) is not a count.
* A range "10-15" / "between 10 and 15" is one match with the lower bound:
  10, at_least.
* Thousands may be grouped with commas, spaces or (European style) dots:
  "1,200", "1 200", "1.200". A number glossed in brackets is one match:
  "58 (fifty-eight)", "twenty-one (21)", "one hundred and 5 (105)"; two
  numbers in digits stay two ("13 (13)" in an Air Force table is launched and
  destroyed).
* "a", "an", "another", "both", "a pair of" are not matched by `find_numbers`
  (only context tells whether "a drone" is a count); `parse_count` reads them.
* Not counts, never matched: clock times ("11:00 pm", "23.00", "7 am",
  "2300 hrs"), decimals, percentages, ordinals ("31st", "first"), numbers
  glued to letters or after a letter and hyphen ("Kh-101", "Su-34", "MiG-31K",
  "A320", "3M22"), compound modifiers ("24-hour", "500-kg", "three-day",
  "one-way"), measurements and money ("10 km", "$100"), dates ("October 31",
  "31 October", "15-16 April", "31.10.2025"), years, "24/7", phone numbers,
  identifiers ("No. 5", "Boeing 737"), "no one", "one another".
* Years: a bare four-digit number from 1900 to 2099 is a year. It is read as a
  count only after a bound and before a word that looks like a plural noun
  ("more than 2000 drones"); write-ups such as "2,000" or "2 000" are always counts.

`parse_count` takes a phrase already known to be a count, so a four-digit number
there is a count ("2000"). Besides everything `find_numbers` reads it knows
"a" / "an" / "single" / "a single" / "another" -> 1, "both" / "a pair of" -> 2,
"a fourth" / "the fifth" (one more of them) -> 1, "nine out of nine" / "9 of 9" -> 9
(the first number), and ignores "all", "more", "each" around the number. Vague
quantities ("dozens", "several", "many", "hundreds", "scores of", "a few") and
phrases whose number is a time, a model name or a date give None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from skytally.schema import Qualifier
from skytally.wordlists import word_lists

__all__ = ["NumberMatch", "find_numbers", "parse_count"]


@dataclass(frozen=True, slots=True)
class NumberMatch:
    start: int
    end: int
    value: int
    qualifier: Qualifier


SMALL_NUMBERS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,  # a frequent misspelling in wire copy
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}


def _alt(words: list[str]) -> str:
    # Longest first, so "sixteen" is not read as "six" + leftovers.
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"


_UNIT = _alt([w for w, v in SMALL_NUMBERS.items() if 1 <= v <= 9])
_TEEN = _alt([w for w, v in SMALL_NUMBERS.items() if 10 <= v <= 19])
_TENS = _alt([w for w, v in SMALL_NUMBERS.items() if v >= 20])
_HY = r"(?:[-‑]|[ \t]+)"
_SP = r"\s{1,3}"
_B100 = rf"(?:{_TENS}(?:{_HY}{_UNIT})?|{_TEEN}|{_UNIT})"
# "one hundred and 5": machine-translated bulletins mix words and digits after "and".
_AND_DIGITS = rf"{_SP}and{_SP}\d{{1,2}}(?![\d.,:])"
_HUND = rf"(?:(?:a|{_TEEN}|{_UNIT}){_HY}hundred\b(?:(?:{_SP}and)?{_SP}{_B100}|{_AND_DIGITS})?)"
_B1000 = rf"(?:{_HUND}|{_B100})"
_THOU = rf"(?:(?:a|{_B1000}){_HY}thousand\b(?:(?:{_SP}and)?{_SP}{_B1000}|{_AND_DIGITS})?)"
_MILL = rf"(?:(?:a|{_B1000}){_SP}(?:million|billion)\b(?:(?:{_SP}and)?{_SP}(?:{_THOU}|{_B1000}))?)"
_DOZEN = rf"(?:half{_SP}a{_SP}dozen|(?:a{_SP})?half[-‑ ]dozen|(?:a|{_B100}){_SP}dozen)\b"
_COUPLE = rf"a{_SP}couple{_SP}of\b"
_WORDS = rf"(?:{_DOZEN}|{_COUPLE}|{_MILL}|{_THOU}|{_HUND}|{_B100}|zero\b)"

_GAP = "[ \u00a0\u202f\u2009]"  # thousands separators that are spaces
# "1,200", "1 200" and the European "1.200" (a decimal never has exactly three digits
# after the point in a count of weapons). A grouped number must not start inside another
# digit group, or "1 111 111 ...x" would be rescanned from every group (quadratic).
_DIG_GROUPED = (
    rf"(?<!\d[.,{_GAP[1:-1]}])[1-9]\d{{0,2}}"
    rf"(?:(?:,\d{{3}})++|(?:{_GAP}\d{{3}})++|(?:\.\d{{3}})++)(?!\d)"
)
_DIG_SCALED = rf"\d++(?:\.\d++)?{_SP}(?:thousand|million|billion)\b"
_DIG_PLAIN = r"\d++"
_RANGE = r"\d++[ ]?[-–][ ]?\d++"
_BETWEEN_END = rf"(?:{_DIG_GROUPED}|{_DIG_PLAIN}|{_WORDS})"
_BETWEEN = rf"between{_SP}{_BETWEEN_END}{_SP}and{_SP}{_BETWEEN_END}"

_MORE = (
    r"(?:(?:well|just|slightly|a\s+little|a\s+bit|far|much|many)\s+(?:over|more\s+than)"
    r"|more\s+than|greater\s+than|in\s+excess\s+of|upwards\s+of|over)"
)
_AT_LEAST = (
    r"(?:at\s+least|at\s+the\s+very\s+least|no\s+fewer\s+than|not\s+fewer\s+than"
    r"|no\s+less\s+than|not\s+less\s+than|a\s+minimum\s+of)"
)
_AT_MOST = (
    r"(?:up\s+to|as\s+many\s+as|no\s+more\s+than|not\s+more\s+than|at\s+most|a\s+maximum\s+of"
    r"|(?:just|slightly|a\s+little)\s+(?:under|below)"
    r"|(?:just\s+|slightly\s+)?(?:fewer|less)\s+than)"
)
_APPROX = (
    r"(?:approximately|approx\.|roughly|just\s+about|about|around|some|nearly|almost"
    r"|close\s+to|an\s+estimated|estimated|circa|in\s+the\s+region\s+of)"
)
_SUFFIX = r"(?:\s+or\s+(?:more|so|fewer|less)\b|[-‑ ]odd\b|[-‑]plus\b|\+)"

# Skipped outright: things whose digits would otherwise look like several counts.
_SKIP = (
    r"\+\d{1,3}(?:[ .\-‑()]{1,2}\d{1,4}){2,}"  # +7 495 123-45-67
    r"|\(\d{3}\)\s?\d{3}[-.\s]\d{4}"  # (202) 555-0100
    r"|(?<!\d)\d{3}[ .\-]\d{3}[ .\-]\d{2}[ .\-]\d{2}(?!\d)"  # 495 123 45 67
)

_SCANNER = re.compile(
    rf"""
    (?P<skip>{_SKIP})
    |
    (?<![\w\-‑–.,:/$€£₽₴#№+@&])
    (?:
        (?P<bound>(?P<more>{_MORE})|(?P<atleast>{_AT_LEAST})|(?P<atmost>{_AT_MOST})
                 |(?P<approx>{_APPROX})){_SP}
    )?
    (?P<core>
        (?P<between>{_BETWEEN})
      | (?P<range>{_RANGE})
      | (?P<scaled>{_DIG_SCALED})
      | (?P<grouped>{_DIG_GROUPED})
      | (?P<plain>{_DIG_PLAIN})
      | (?P<words>{_WORDS})
    )
    (?P<suffix>{_SUFFIX})?
    (?![\w%$€£₽₴°]|[-‑–]\w|[.,]\d|:\d|/|\s*(?:%|per\s?cent\b|pct\b))
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Where the scanner can start: a digit run, "+", "(", or a word that begins a number or
# a bound. Tokenising with a trivial regex and looking the words up in a set is several
# times faster than one big alternation tried at every offset of the text.
_TOKEN = re.compile(r"\w+|[+(]")
_AFTER_ARTICLE = re.compile(
    r"\s{1,3}(?i:hundred|thousand|million|billion|dozen|couple|half|little|bit|minimum"
    r"|maximum|estimated)"
)
_FIRST_WORDS = frozenset(SMALL_NUMBERS) | {
    "a", "an", "half", "more", "over", "in", "upwards", "greater", "well", "just", "slightly",
    "far", "much", "many", "at", "no", "not", "up", "as", "fewer", "less", "approximately",
    "approx", "roughly", "about", "around", "some", "nearly", "almost", "close", "estimated",
    "circa", "between", "+", "(",
}  # fmt: skip

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
)
_UNITS_AFTER = (
    r"(?:km|kms|kilomet(?:re|er)s?|mi|miles?|m|met(?:re|er)s?|cm|mm|millimet(?:re|er)s?"
    r"|kg|kilos?|kilograms?|g|grams?|t|tonnes?|tons?|lbs?|pounds?|ft|feet|foot|inch(?:es)?"
    r"|km/h|kph|mph|knots?|hectares?|sq|square|degrees?|dollars?|euros?|roubles?|rubles?"
    r"|hryvnias?|hryvnas?|usd|eur|rub|uah|bn|mln|billion|trillion"
    r"|a\.?m\.?|p\.?m\.?|o'clock|o’clock|gmt|utc|msk)\b"
)
# Checked at the end of a candidate (case-insensitive except the month names).
# Not before a hyphen: "5 Mi-8 helicopters", "45 T-72 tanks" are counts, not miles or tonnes.
_AFTER_UNIT = re.compile(rf"[ \u00a0]?(?i:{_UNITS_AFTER})(?![\w/\-‑])")
_AFTER_MONTH = re.compile(
    rf"(?:\s*(?:-|–|—|to|and|or|/)\s*\d{{1,2}}(?:st|nd|rd|th)?)?,?\s+(?:of\s+)?{_MONTH}"
)
_AFTER_HOURS = re.compile(r"\s*(?:hrs?|hours|h)\b", re.IGNORECASE)
_AFTER_ONE = re.compile(r"\s+(?:another|by\s+one|after\s+(?:another|the\s+other))\b", re.I)
# "more than 2000 drones", "over 2000 Shaheds": a plural noun (maybe after one modifier)
# tells a bounded count from a year ("over 2024, Russia ...").
_AFTER_PLURAL_WORD = re.compile(
    r"\s+(?:[a-z][\w-]*\s+)?"
    r"(?!(?:was|has|is|as|this|its|his|us|thus|yes|less|unless|across|plus|whereas)\b)"
    r"(?:[a-z][\w-]*s|[A-Z][A-Za-z]*s)\b"
)
_AFTER_OVER_PREP = re.compile(
    r"\s+(?:[A-Za-z-]+\s+)?(?:regions?|districts?|areas?|oblasts?|provinces?|cities|towns"
    r"|villages|settlements|territories|communities|directions|fronts?|minutes?|hours?"
    r"|days?|nights?|weeks?|months?|years?|periods?)\b",
    re.IGNORECASE,
)
# The words just before a candidate are looked up in sets: a `$`-anchored regex search
# over a window would be tried at every offset of the window, for every candidate.
_MONTHS = frozenset({
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sept", "Sep", "Oct", "Nov", "Dec",
})  # fmt: skip
_RANGE_WORDS = frozenset({"to", "and", "or", "-", "–", "—", "through", "till", "until"})
_LISTS = word_lists("number_words")  # data/number_words.json
_ID_WORDS = frozenset(_LISTS["id_words"])
# Model names written with a space ("Boeing 737", "Su 34"): the number is part of the name.
_DESIGNATORS = frozenset(_LISTS["designators"])
_BEFORE_WINDOW = 40


def _words_value(text: str) -> int:
    tokens = re.findall(r"[a-z]+|\d+", text.lower())
    if "dozen" in tokens:
        if "half" in tokens:
            return 6
        before = tokens[: tokens.index("dozen")]
        return 12 * (_words_value(" ".join(before)) if before != ["a"] else 1)
    if "couple" in tokens:
        return 2
    total = current = 0
    for token in tokens:
        if token == "a":
            current = 1
        elif token.isdigit():
            current += int(token)
        elif token in SMALL_NUMBERS:
            current += SMALL_NUMBERS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _SCALE:
            total += (current or 1) * _SCALE[token]
            current = 0
    return total + current


def _digits_value(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _scaled_value(text: str) -> int | None:
    number, scale = text.split()[0], text.split()[-1].lower()
    try:
        value = Decimal(number) * _SCALE[scale]
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else None


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099


def _is_clock(text: str) -> bool:
    return len(text) == 4 and int(text[:2]) <= 23 and int(text[2:]) <= 59


def _plain_value(
    text: str,
    full: str,
    start: int,
    end: int,
    *,
    bounded: bool,
    isolated: bool,
    day_possible: bool,
) -> int | None:
    """Value of a plain digit run, or None when context shows it is not a count.

    In an `isolated` count phrase (`parse_count`) a four-digit number is a count, not a year.
    """
    if (len(text) > 1 and text[0] == "0") or len(text) > 6:
        return None  # "007", "0700", "12345678": codes, clock times, ids
    value = int(text)
    if len(text) == 4:
        plural_after = bounded and _AFTER_PLURAL_WORD.match(full, end)
        if _is_year(text) and not (isolated or plural_after):
            return None
        if _is_clock(text) and _AFTER_HOURS.match(full, end):
            return None
    if (
        day_possible
        and 1 <= value <= 31
        and (_AFTER_MONTH.match(full, end) or _after_month_name(_words_before(full, start)))
    ):
        return None
    return value


def _words_before(text: str, start: int) -> list[str]:
    """The last few words before `start`; [] when a non-space character touches it."""
    window = text[max(0, start - _BEFORE_WINDOW) : start]
    if not window or not window[-1].isspace():
        return []
    return window.split()[-3:]


def _after_month_name(words: list[str]) -> bool:
    """Whether a day number follows a month: "October 31", "April 15 to 16"."""
    if words and words[-1].rstrip(".,") in _MONTHS:
        return True
    return (
        len(words) >= 3
        and words[-3].rstrip(".,") in _MONTHS
        and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", words[-2]) is not None
        and words[-1].lower() in _RANGE_WORDS
    )


def _core_value(
    m: re.Match[str], text: str, *, bounded: bool, isolated: bool
) -> tuple[int, bool] | None:
    """(value, is_range) of the core group, or None when it is not a count."""
    core = m.group("core")
    start, end = m.span("core")
    if m.group("plain") is None and m.group("between"):
        inner = re.match(r"between\s+(.+?)\s+and\s+(.+)$", core, re.IGNORECASE | re.DOTALL)
        assert inner is not None
        low = _loose_value(inner.group(1))
        high = _loose_value(inner.group(2))
        if low is None or high is None or low >= high or _is_year(inner.group(1)):
            return None
        return low, True
    if m.group("plain") is None and m.group("range"):
        first, second = re.split(r"\s?[-–]\s?", core)
        if _AFTER_MONTH.match(text, end) or _after_month_name(_words_before(text, start)):
            return None
        low = _plain_value(
            first,
            text,
            start,
            start + len(first),
            bounded=bounded,
            isolated=isolated,
            day_possible=False,
        )
        high = _plain_value(
            second,
            text,
            end - len(second),
            end,
            bounded=bounded,
            isolated=isolated,
            day_possible=False,
        )
        if low is None or high is None or low >= high:
            return None  # "3-2" is a score, "2022-2024" years
        return low, True
    if m.group("plain"):
        value = _plain_value(
            core, text, start, end, bounded=bounded, isolated=isolated, day_possible=True
        )
        return None if value is None else (value, False)
    if m.group("scaled"):
        value = _scaled_value(core)
        return None if value is None else (value, False)
    if m.group("grouped"):
        return _digits_value(core), False
    return _words_value(core), False


def _loose_value(text: str) -> int | None:
    if text[0].isdigit():
        return _digits_value(text)
    return _words_value(text)


_BOUND_GROUPS: tuple[tuple[str, Qualifier], ...] = (
    ("more", Qualifier.MORE_THAN),
    ("atleast", Qualifier.AT_LEAST),
    ("atmost", Qualifier.AT_MOST),
    ("approx", Qualifier.APPROXIMATE),
)


def _suffix_qualifier(suffix: str) -> Qualifier:
    suffix = suffix.lower()
    if "so" in suffix.split() or "odd" in suffix:
        return Qualifier.APPROXIMATE
    if "fewer" in suffix or "less" in suffix:
        return Qualifier.AT_MOST
    return Qualifier.AT_LEAST  # "or more", "-plus", "+"


def _read(m: re.Match[str], text: str, isolated: bool) -> NumberMatch | None:
    """Turn one scanner hit into a match, or None when context says it is no count."""
    bound_name = None
    if m.group("bound"):
        bound_name = next(name for name, _ in _BOUND_GROUPS if m.group(name))
    core_start = m.start("core")
    end = m.end()
    if end < len(text) and text[end] in " \u00a0" and _AFTER_UNIT.match(text, end):
        return None
    before = _words_before(text, core_start)
    last = before[-1] if before else ""
    if last.lower() in _ID_WORDS or last in _DESIGNATORS:
        return None
    read = _core_value(m, text, bounded=bound_name is not None, isolated=isolated)
    if read is None:
        return None
    value, is_range = read
    core = m.group("core")
    if core.lower() == "one" and bound_name is None:
        if last.lower() == "no" or _AFTER_ONE.match(text, end):
            return None
        if core == "One" and last.isalpha() and last.istitle():
            return None  # "Channel One", "Air Force One"
    start = m.start()
    qualifier = Qualifier.EXACT
    over = bound_name == "more" and m.group("more").lower() == "over"
    if over and _AFTER_OVER_PREP.match(text, end):
        bound_name, start = None, core_start  # "over two regions": preposition
    if bound_name is not None:
        qualifier = dict(_BOUND_GROUPS)[bound_name]
    elif m.group("suffix"):
        qualifier = _suffix_qualifier(m.group("suffix"))
    elif is_range:
        qualifier = Qualifier.AT_LEAST
    elif m.group("words") and re.search(r"\bcouple\b", core, re.IGNORECASE):
        qualifier = Qualifier.APPROXIMATE
    return NumberMatch(start, end, value, qualifier)


def _scan(text: str, isolated: bool = False) -> tuple[list[NumberMatch], bool]:
    """All counts in `text`, and whether any number-like candidate was rejected."""
    found: list[NumberMatch] = []
    rejected = False
    resume = 0
    for token in _TOKEN.finditer(text):
        position = token.start()
        if position < resume:
            continue
        word = token.group()
        lowered = word.lower()
        if not (word[0].isdigit() or lowered in _FIRST_WORDS):
            continue
        if lowered in {"a", "an"} and not _AFTER_ARTICLE.match(text, token.end()):
            continue  # the commonest word: check the next word before the full scanner
        m = _SCANNER.match(text, position)
        if m is None:
            continue
        resume = m.end()
        if m.group("skip"):
            rejected = True
            continue
        read = _read(m, text, isolated)
        if read is None:
            rejected = True
        else:
            found.append(read)
    return found, rejected


def _merge_glosses(found: list[NumberMatch], text: str) -> list[NumberMatch]:
    """One match for a number glossed in brackets: "58 (fifty-eight)", "twenty-one (21)".

    Only digits glossed by words or words by digits: in an Air Force summary "13 (13)"
    is two counts, launched and destroyed.
    """
    merged: list[NumberMatch] = []
    for match in found:
        if merged and match.value == merged[-1].value and match.qualifier is Qualifier.EXACT:
            previous = merged[-1]
            opening = _GLOSS_OPEN.fullmatch(text, previous.end, match.start)
            closing = _GLOSS_CLOSE.match(text, match.end)
            in_digits = _IN_DIGITS.fullmatch(text, previous.start, previous.end) is not None
            if (
                opening is not None
                and closing is not None
                and in_digits != (_IN_DIGITS.fullmatch(text, match.start, match.end) is not None)
            ):
                merged[-1] = NumberMatch(
                    previous.start, closing.end(), previous.value, previous.qualifier
                )
                continue
        merged.append(match)
    return merged


_GLOSS_OPEN = re.compile(r"\s{0,3}\(\s{0,3}")
_GLOSS_CLOSE = re.compile(r"\s{0,3}\)")
_IN_DIGITS = re.compile(r"[\d,. \u00a0\u202f\u2009]+")


def find_numbers(text: str) -> list[NumberMatch]:
    """Every cardinal count expression in `text`, sorted and non-overlapping."""
    return _merge_glosses(_scan(text)[0], text)


# --- parse_count -------------------------------------------------------------------------

_SPECIAL: dict[str, tuple[int, Qualifier]] = {
    "a": (1, Qualifier.EXACT),
    "an": (1, Qualifier.EXACT),
    "single": (1, Qualifier.EXACT),
    "a single": (1, Qualifier.EXACT),
    "one single": (1, Qualifier.EXACT),
    "a lone": (1, Qualifier.EXACT),
    "lone": (1, Qualifier.EXACT),
    "another": (1, Qualifier.EXACT),
    # "a second drone had been destroyed": one more, the second of the night
    "a second": (1, Qualifier.EXACT),
    "a third": (1, Qualifier.EXACT),
    "a fourth": (1, Qualifier.EXACT),
    "a fifth": (1, Qualifier.EXACT),
    "both": (2, Qualifier.EXACT),
    "a pair": (2, Qualifier.EXACT),
    "pair": (2, Qualifier.EXACT),
    "a couple": (2, Qualifier.APPROXIMATE),
}
_ORDINAL = re.compile(
    r"(?:(?:a|an|the)\s+)?(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth)"
)
_VAGUE = re.compile(
    r"(?:dozens|several|many|numerous|multiple|few|a\s+few|hundreds|thousands|tens|scores"
    r"|a\s+number|a\s+handful|a\s+lot|lots|countless|a\s+series|a\s+wave|a\s+swarm"
    r"|a\s+large\s+number|a\s+great\s+many|some|various|a\s+group)\b",
    re.IGNORECASE,
)
_BOUND_ONLY = re.compile(
    rf"(?:(?P<more>{_MORE})|(?P<atleast>{_AT_LEAST})|(?P<atmost>{_AT_MOST})"
    rf"|(?P<approx>{_APPROX}))\s+",
    re.IGNORECASE,
)
_LEADING_NOISE = re.compile(r"(?:the|a\s+total\s+of|total\s+of|all|just|only|another)\s+", re.I)
_TAIL_OF_NUMBER = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+)?\S+", re.IGNORECASE)
_NUMBERISH = re.compile(rf"\d|\b{_alt([*SMALL_NUMBERS, *_SCALE, 'dozen', 'half'])}", re.I)
_ACCEPTED_UNITS = {"dimensionless": 1, "dozen": 12, "pair": 2}


def _normalise(phrase: str) -> str:
    text = phrase.strip().strip(".,;:!?\"'")
    if text.count("(") != text.count(")"):  # keep the brackets of "58 (fifty-eight)"
        text = text.strip("()")
    return " ".join(text.strip("[]").split())


def range_upper(phrase: str) -> int | None:
    """The upper bound of a count phrase that is a range ("10-15", "between 10 and
    15"); None for any other phrase. The lower bound is `parse_count`'s value."""
    text = _normalise(phrase)
    match = re.fullmatch(r"(?:between\s+)?(\S+?)\s*(?:[-–]|\s+and\s+)\s*(\S+)", text, re.I)
    if match is None:
        return None
    low, high = _loose_value(match.group(1)), _loose_value(match.group(2))
    if low is None or high is None or high <= low:
        return None
    return high


def parse_count(phrase: str) -> tuple[int, Qualifier] | None:
    """Value and qualifier of one isolated count phrase; None when it holds no number."""
    text = _normalise(phrase)
    if not text:
        return None
    lowered = text.lower()
    bare = re.sub(r"\s+of$", "", lowered)
    if bare in _SPECIAL:
        return _SPECIAL[bare]
    if _ORDINAL.fullmatch(bare):
        return 1, Qualifier.EXACT  # "a fourth (drone)", "the fifth": one more of them
    found, rejected = _scan(text, isolated=True)
    found = _merge_glosses(found, text)
    if found:
        first = found[0]
        # What the fast path left unread; if it still looks numeric ("twenty one hundred",
        # "one and a half thousand") quantulum3 may read the whole phrase better.
        rest = (text[: first.start] + " " + _TAIL_OF_NUMBER.sub(" ", text[first.end :])).strip()
        rest = _LEADING_NOISE.sub("", rest + " ").strip()
        if rest and _NUMBERISH.search(rest) and not rejected and len(found) == 1:
            slow = _quantulum_count(text)
            if slow is not None:
                return slow
        return first.value, first.qualifier
    if rejected or re.search(r"\d", text):
        return None  # a time, a model name, a year: never ask quantulum3 to guess
    stripped = _LEADING_NOISE.sub("", lowered + " ").strip()
    bound = _BOUND_ONLY.match(stripped + " ")
    if bound is not None:
        stripped = stripped[bound.end() :].strip()
    if stripped in _SPECIAL and stripped not in {"another"}:
        value, qualifier = _SPECIAL[stripped]
        return value, _bound_qualifier(bound) or qualifier
    if not stripped or _VAGUE.match(stripped):
        return None
    return _quantulum_count(text)


def _bound_qualifier(bound: re.Match[str] | None) -> Qualifier | None:
    if bound is None:
        return None
    return next(q for name, q in _BOUND_GROUPS if bound.group(name))


@lru_cache(maxsize=4096)
def _quantulum_count(text: str) -> tuple[int, Qualifier] | None:
    """quantulum3's reading of one phrase, if it is a single dimensionless count."""
    if not _NUMBERISH.search(text):
        return None  # nothing numeric: spare the slow parser
    import warnings

    with warnings.catch_warnings():
        # quantulum3 warns once that its optional classifier is missing; irrelevant here.
        warnings.simplefilter("ignore")
        from quantulum3 import parser

        try:
            quantities = parser.parse(text)
        except Exception:  # quantulum3 raises assorted errors on odd input
            return None
    if len(quantities) != 1:
        return None  # "11:00 pm" -> 11 and 0 picometres; "a dozen and a half": ambiguous
    quantity = quantities[0]
    if quantity.unit.entity.name != "dimensionless":
        return None
    factor = _ACCEPTED_UNITS.get(quantity.unit.name)
    if factor is None:
        return None
    value = quantity.value * factor
    if value < 0 or value != int(value):
        return None
    bound = _BOUND_ONLY.match(_normalise(text).lower() + " ")
    return int(value), _bound_qualifier(bound) or Qualifier.EXACT
