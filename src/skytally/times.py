"""Time expressions in interception reports: find them, and resolve them to periods.

The readings are those of the Time section of ``docs/conventions.md``; the
gold annotations follow the same rules, so this module is the one place where
"overnight on November 1" becomes a pair of datetimes.

Finding and resolving share one grammar. A single compiled regex finds
*atoms* (a clock time with its zone and conversion, a date, a weekday,
"today", a named window such as "the night of"), and a linear pass glues
neighbouring atoms into one expression when the text between them is a
connector ("on", "at", ",", "to", "and", "-"). ``resolve_period`` re-scans
the isolated expression with the same grammar, so whatever
``find_time_expressions`` returns can be resolved.

Every quantifier in the grammar is bounded, and the text between atoms is
only examined when it is short, so scanning is linear in the size of the text.

The grammar isolates each date part ("Nov. 30", "the 1st of November 2025",
"31.10.2025") and dateparser reads its day, month and year
(`_read_date`, cached, `languages=['en']`). The year a yearless date gets is
decided here, not by dateparser: it depends on where the date sits in a range
(on or before the end, on or after a start with a year), which dateparser's
preferences cannot express. dateparser never sees a whole sentence: on
ranges, "pm MSK" and durations it is wrong, and on long texts it is slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skytally.errors import Errors, InputError
from skytally.numbers import SMALL_NUMBERS

__all__ = [
    "KYIV",
    "MOSCOW",
    "UTC",
    "find_time_expressions",
    "parse_published",
    "resolve_period",
    "zone_for",
]

MOSCOW = ZoneInfo("Europe/Moscow")
KYIV = ZoneInfo("Europe/Kyiv")
UTC = ZoneInfo("UTC")

_Period = tuple[datetime | None, datetime | None]

# ---------------------------------------------------------------------------
# published
# ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)


#: the earliest publication date skytally resolves times against; the latest is
#: a year after today (docs/conventions.md, "Publication dates")
EARLIEST_PUBLISHED = date(1990, 1, 1)


def latest_published(today: date | None = None) -> date:
    """The latest supported publication date: a year after `today`."""
    today = today or date.today()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def parse_published(value: str | date | datetime | None) -> date | datetime | None:
    """Read an article's publication date or datetime, strictly.

    Accepts ``None``, a ``date``, a ``datetime`` (naive or aware, returned as
    is) or an ISO 8601 string: ``2025-11-01``, ``2025-11-01T09:30:00+03:00``,
    ``2025-11-01 09:30``. Surrounding whitespace is ignored. Anything else,
    relative words like "yesterday" included, raises ``InputError`` (E002):
    guessing a publication date would silently shift every period.

    Supported dates run from 1990-01-01 to a year after today; outside that
    range, and for a UTC offset that is not a whole number of minutes, the
    error names the value. Every period resolved against an accepted value
    fits the event model.
    """
    if value is None:
        return value
    if isinstance(value, date):  # datetime is a date too
        return _check_published(value, value)
    if not isinstance(value, str):
        reason = f"expected an ISO 8601 string, a date or a datetime, not {type(value).__name__}"
        raise InputError(Errors.E002.format(value=value, reason=reason))
    text = value.strip()
    moment: date | None = None
    try:
        if _ISO_DATE.fullmatch(text):
            moment = date.fromisoformat(text)
        elif _ISO_DATETIME.fullmatch(text):
            moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InputError(Errors.E002.format(value=value, reason=exc)) from None
    if moment is not None:
        return _check_published(moment, value)
    reason = "expected an ISO 8601 date (YYYY-MM-DD) or datetime (YYYY-MM-DDTHH:MM[:SS][+HH:MM])"
    raise InputError(Errors.E002.format(value=value, reason=reason))


def _check_published(moment: date, value: object) -> date:
    """`moment` if it is in the supported range with a whole-minute offset; else E002."""
    day = moment.date() if isinstance(moment, datetime) else moment
    latest = latest_published()
    if not EARLIEST_PUBLISHED <= day <= latest:
        reason = (
            f"outside the supported range {EARLIEST_PUBLISHED.isoformat()} to "
            f"{latest.isoformat()} (a year after today)"
        )
        raise InputError(Errors.E002.format(value=value, reason=reason))
    if isinstance(moment, datetime):
        try:
            offset = moment.utcoffset()
        except Exception as error:  # a broken tzinfo
            raise InputError(Errors.E002.format(value=value, reason=error)) from None
        if offset is not None and offset % timedelta(minutes=1):
            reason = f"its UTC offset {offset} is not a whole number of minutes"
            raise InputError(Errors.E002.format(value=value, reason=reason))
    return moment


# ---------------------------------------------------------------------------
# grammar
# ---------------------------------------------------------------------------

# ASCII: "\w" and "\d" mean what an English report means by them, a
# case-insensitive "s" does not match the long s "ſ", and the prefilter in
# _atoms (ASCII tokens) sees every place an atom can start.
_FLAGS = re.IGNORECASE | re.ASCII

# Blanks between words: at most three, and at most one line break, so that a
# paragraph break never glues two expressions together and no quantifier is
# unbounded (an unbounded one makes a long run of spaces quadratic).
_SP = r"[ \t\u00a0]"
_S = rf"(?:{_SP}{{1,3}}|{_SP}{{0,2}}\r?\n{_SP}{{0,2}})"
_S0 = rf"(?:{_SP}{{0,3}}|{_SP}{{0,2}}\r?\n{_SP}{{0,2}})"

# "May" and "March" are also a verb and a noun ("5 may have been hit"), so
# those two only count when capitalised.
_MONTH_FULL = (
    r"(?:January|February|(?-i:March)|April|(?-i:May)|June|July|August|September"
    r"|October|November|December)\b"
)
_MONTH = rf"(?:{_MONTH_FULL}|(?:Sept|Jan|Feb|(?-i:Mar)|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b\.?)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\w|[:.]\d)"
_YEAR = r"20\d\d(?!\w)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_PART_WORD = r"(?:morning|afternoon|evening|night)\b"

_DATE_MDY = rf"{_MONTH}{_S}{_DAY}(?:,?{_S}{_YEAR})?"
_DATE_DMY = rf"(?:the{_S})?{_DAY}(?:{_S}of)?{_S}{_MONTH}(?:,?{_S}{_YEAR})?"
_DATE_ISO = r"20\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w-])"
_DATE_DOT = r"(?:3[01]|[12]\d|0?[1-9])\.(?:1[0-2]|0?[1-9])\.20\d\d(?!\w)"
_WEEKDAY_PREFIX = rf"(?:{_WEEKDAY},?{_S})"
_DATE = rf"{_WEEKDAY_PREFIX}?(?:{_DATE_MDY}|{_DATE_DMY}|{_DATE_ISO}|{_DATE_DOT})"

# Two days sharing a month: "15-16 April", "April 15-16", "15 to 16 April".
# "April 15 to 16" must not run into a count ("April 15 to 16 drones").
_DRANGE = (
    rf"(?:{_DAY}{_S0}[-–—/]{_S0}{_DAY}{_S}{_MONTH}"
    rf"|{_DAY}{_S}(?:to|into|and){_S}{_DAY}{_S}{_MONTH}"
    rf"|{_MONTH}{_S}{_DAY}{_S0}[-–—/]{_S0}{_DAY}"
    rf"|{_MONTH}{_S}{_DAY}{_S}(?:to|into|and){_S}{_DAY}(?!{_S0}(?-i:[a-z%])))"
    rf"(?:,?{_S}{_YEAR})?"
)
_WEEKDAY_ATOM = rf"(?:(?:last|this){_S})?{_WEEKDAY}(?:{_S}{_PART_WORD})?"
_REL = (
    rf"(?:(?:the{_S}day{_S}before{_S})?yesterday|today)\b(?:{_S}{_PART_WORD})?"
    rf"|this{_S}(?:morning|afternoon|evening)\b"
)
# What may follow a window word that needs a date ("the night of ...").
_DATEISH = (
    rf"(?:{_DRANGE}|{_DATE}|(?:last{_S})?{_WEEKDAY}"
    rf"|(?:the{_S}day{_S}before{_S})?yesterday\b|today\b)"
)

_NIGHT_LEAD = rf"(?:(?:on|during|in|over|through|throughout){_S})?(?:the{_S})?"
_NIGHT_OF = rf"{_NIGHT_LEAD}night{_S}(?:of|from|between)(?={_S}{_DATEISH})"
_NIGHT_TO = rf"{_NIGHT_LEAD}night{_S}(?:to|into|before|leading{_S}(?:up{_S})?to)(?={_S}{_DATEISH})"
_OVERNIGHT_PREP = rf"overnight{_S}(?:on|into|to|of|from|between)(?={_S}{_DATEISH})"
_NIGHT_BARE = (
    rf"(?:overnight|(?:late{_S})?last{_S}night|tonight|this{_S}(?:past{_S})?night"
    rf"|(?:during|in|over|through|throughout|in{_S}the{_S}course{_S}of){_S}the{_S}(?:past{_S})?night)\b"
)
_EARLY = (
    rf"(?:(?:(?:in|during){_S})?(?:the{_S})?early{_S}(?:morning{_S})?hours{_S}of"
    rf"|(?:(?:in|on|during){_S})?(?:the{_S})?early{_S}morning{_S}of"
    rf"|early(?:{_S}on)?)(?={_S}{_DATEISH})"
)
_EARLY_BARE = (
    rf"(?:(?:(?:in|during){_S})?the{_S}early{_S}(?:morning{_S})?hours"
    rf"|early{_S}this{_S}morning|(?:(?:in{_S})?the{_S})?early{_S}morning)\b"
)
_LATE = rf"late(?:{_S}on)?(?={_S}{_DATEISH})"
_PART_OF = rf"(?:(?:on|in|during){_S})?the{_S}(?:morning|afternoon|evening){_S}of(?={_S}{_DATEISH})"
_PART_BARE = rf"(?:(?:in|during){_S}the{_S}(?:morning|afternoon|evening)|during{_S}the{_S}day)\b"

# the number words a look-back uses: "the past two days", "the last forty-eight hours"
_NUMBER_WORDS = {
    **{word: value for word, value in SMALL_NUMBERS.items() if 1 <= value <= 12},
    "twenty-four": 24,
    "forty-eight": 48,
    "seventy-two": 72,
}
_NUM = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve" + (
    r"|twenty-four|forty-eight|seventy-two)"
)
# "the last day of the offensive" is not a look-back window.
_PAST = (
    rf"(?:(?:over|in|during|for|within|throughout){_S}(?:the{_S})?|the{_S})"
    rf"(?:past|last|previous|preceding){_S}(?:{_NUM}{_S})?(?:hours?|days?|weeks?)\b"
    rf"(?!{_S}of\b)"
)
_MONTH_ATOM = (
    rf"(?:in|during|throughout){_S}(?:the{_S}month{_S}of{_S})?{_MONTH_FULL}"
    rf"(?:,?{_S}{_YEAR})?(?!{_S0}\d)"
)
_WEEKEND = rf"(?:over|during|at|on|this|last){_S}(?:the{_S})?weekend\b"

# Clock times. "23.00" is a clock, "1.25 million" and "12.50 roubles" are not.
_AMPM = rf"(?:[ap]\.{_SP}?m\b\.?|[ap]m\b)"
_UNIT_GUARD = (
    rf"(?!{_SP}{{0,2}}(?:%|per{_SP}?cent\b|percent\b|million|mln\b|billion|bn\b|thousand"
    r"|trillion|km\b|kilomet|met(?:er|re)s?\b|miles?\b|kg\b|tonnes?\b|tons?\b|hours?\b"
    r"|minutes?\b|seconds?\b|days?\b|years?\b|times\b|roubles?\b|rubles?\b|dollars?\b"
    r"|euros?\b|hryvnias?\b|UAH\b|USD\b|EUR\b|RUB\b|points?\b))"
)
# "0700 hours" is a clock; "1000 hours" only after a word that introduces one.
_MIL_HOURS = (
    r"(?:(?:(?<=at )|(?<=from )|(?<=to )|(?<=until )|(?<=till )|(?<=since )|(?<=by )"
    r"|(?<=and )|(?<=before )|(?<=after )|(?<=between ))(?:2[0-3]|[01]\d)[0-5]\d"
    rf"|0\d[0-5]\d){_SP}?hours\b"
)
_CORE = (
    r"(?:"
    rf"(?<![\d:.])(?:(?:2[0-3]|[01]?\d):[0-5]\d(?::[0-5]\d)?|24:00)(?![\d:])(?:{_SP}?{_AMPM})?"
    rf"|(?<![\d.,])(?:1[0-2]|0?[1-9])\.[0-5]\d{_SP}?{_AMPM}"
    # "from 19.00 hours on Wednesday": two-digit hour, dot, minutes, "hours"
    rf"|(?<![\d.,])(?:2[0-3]|[01]\d)\.[0-5]\d(?={_SP}?hours\b)"
    rf"|(?<![\d.,])(?:2[0-3]|[01]\d)\.[0-5]\d(?!\d|[.,]\d){_UNIT_GUARD}"
    rf"|(?<![\d.,])(?:2[0-3]|[01]\d)[0-5]\d(?={_SP}?(?:hrs|hr|GMT|UTC|MSK)\b)"
    rf"|{_MIL_HOURS}"
    rf"|(?<![\d.,:])(?:1[0-2]|0?[1-9]){_SP}?{_AMPM}"
    rf"|(?:12{_SP}?)?noon\b|mid-?day\b|midnight\b"
    r")"
)
_HRS = rf"(?:{_SP}?(?:hrs|hr|hours)\b\.?)?"
_ZONE = (
    rf"(?:MSK\b|Moscow(?:{_SP}(?:standard|summer))?{_SP}time\b|K(?:yiv|iev){_SP}time\b"
    rf"|local{_SP}time\b|(?:GMT|UTC)\b(?:{_SP}?[+\-−]{_SP}?(?:1[0-4]|0?\d)(?::?[0-5]\d)?(?!\d))?)"
)
_ZONE_SUFFIX = rf"(?:{_SP}{{0,2}}(?:{_ZONE}|\({_SP}?{_ZONE}{_SP}?\)))?"
_RANGE_TAIL = rf"(?:{_SP}?[-–—]{_SP}?{_CORE}{_HRS})?"
_CONVERSION = rf"\({_SP}?{_CORE}{_HRS}{_RANGE_TAIL}(?:{_SP}{{0,2}}{_ZONE})?{_SP}?\)"
_CLOCK = rf"{_CORE}{_HRS}{_ZONE_SUFFIX}(?:{_SP}{{0,2}}{_CONVERSION})?"

# Order matters where two alternatives can start at the same place: the
# longer reading comes first ("late last night" before "late ...", a date
# range before a date, a date before a dotted clock).
_ALTERNATIVES = (
    ("past", _PAST),
    ("month", _MONTH_ATOM),
    ("weekend", _WEEKEND),
    ("night_of", _NIGHT_OF),
    ("night_to", _NIGHT_TO),
    ("overnight_prep", _OVERNIGHT_PREP),
    ("night_bare", _NIGHT_BARE),
    ("early", _EARLY),
    ("early_bare", _EARLY_BARE),
    ("late", _LATE),
    ("part_of", _PART_OF),
    ("part_bare", _PART_BARE),
    ("drange", _DRANGE),
    ("date", _DATE),
    ("wd", _WEEKDAY_ATOM),
    ("rel", _REL),
    ("clock", _CLOCK),
)


def _grammar(*kinds: str) -> re.Pattern[str]:
    chosen = [(k, p) for k, p in _ALTERNATIVES if not kinds or k in kinds]
    body = "|".join(f"(?P<{k}>{p})" for k, p in chosen)
    return re.compile(rf"(?<!\w)(?:{body})", _FLAGS)


_MASTER = _grammar()

_ATTACH_GAP = re.compile(
    rf"(?:{_S0},)?{_S0}(?:(?:on|at)(?:{_S}(?:around|about|approximately))?{_S}"
    rf"|(?:around|about|approximately){_S})?",
    _FLAGS,
)
_BETWEEN_GAP = re.compile(rf"(?:{_S0},)?{_S}(?P<w>between|from){_S}", _FLAGS)
_RANGE_GAP = re.compile(rf"{_S0}[-–—]{_S0}|{_S}(?P<w>to|until|till|through|into|and){_S}", _FLAGS)
_PREFIX = re.compile(
    rf"(?<!\w)(?P<p>at{_S}(?:around|about|approximately)|around|about|approximately|at|from"
    rf"|between|since|after|as{_S}of|by|until|till|before|on|starting{_S}(?:at|from)){_S}\Z",
    _FLAGS,
)
# Connectors are a few words at most; looking no further keeps gluing linear.
_MAX_GAP = 30
_PREFIX_WINDOW = 30

_STANDALONE = frozenset({"past", "month", "weekend"})
_DATEISH_KINDS = frozenset({"date", "drange", "wd", "rel"})
_FRAMES = frozenset(
    {
        "night_of",
        "night_to",
        "overnight_prep",
        "night_bare",
        "early",
        "early_bare",
        "late",
        "part_of",
        "part_bare",
    }
)
_NEEDS_DATE = frozenset({"night_of", "night_to", "overnight_prep", "early", "late", "part_of"})
_CLOCK_PREFIXES = frozenset(
    {
        "at around",
        "at about",
        "at approximately",
        "around",
        "about",
        "approximately",
        "at",
        "from",
        "between",
        "since",
        "after",
        "as of",
        "by",
        "until",
        "till",
        "before",
        "starting at",
        "starting from",
    }
)
_DATE_PREFIXES = frozenset({"on", "from", "between", "since"})
_SINCE = frozenset({"since", "after", "from", "starting at", "starting from"})
_UNTIL = frozenset({"as of", "by", "until", "till", "before"})


@dataclass(slots=True)
class _Atom:
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class _Side:
    atoms: list[_Atom] = field(default_factory=list)
    clock: bool = False
    date: bool = False
    frame: bool = False
    awaiting_date: bool = False

    def can_take(self, atom: _Atom) -> bool:
        if self.awaiting_date:
            return atom.kind in _DATEISH_KINDS
        if atom.kind == "clock":
            return not self.clock
        if atom.kind in _DATEISH_KINDS:
            return not self.date
        if atom.kind in _FRAMES:
            return not self.frame and not (atom.kind in _NEEDS_DATE and self.date)
        return False

    def take(self, atom: _Atom) -> None:
        self.atoms.append(atom)
        if atom.kind == "clock":
            self.clock = True
        elif atom.kind in _DATEISH_KINDS:
            self.date = True
            self.awaiting_date = False
        elif atom.kind in _FRAMES:
            self.frame = True
            self.awaiting_date = atom.kind in _NEEDS_DATE


@dataclass(slots=True)
class _Group:
    start: int
    end: int
    prefix: str | None
    sides: list[_Side]
    between: bool = False

    def extend(self, atom: _Atom, text: str) -> bool:
        first = self.sides[0].atoms[0]
        if atom.kind in _STANDALONE or first.kind in _STANDALONE:
            return False
        if atom.start - self.end > _MAX_GAP:
            return False
        gap = text[self.end : atom.start]
        side = self.sides[-1]
        if _ATTACH_GAP.fullmatch(gap) and side.can_take(atom):
            return self._take(side, atom)
        if side.awaiting_date:
            return False
        between = _BETWEEN_GAP.fullmatch(gap)
        if between and atom.kind == "clock" and len(self.sides) == 1 and side.can_take(atom):
            self.between = self.between or between["w"].lower() == "between"
            return self._take(side, atom)
        ranged = _RANGE_GAP.fullmatch(gap)
        if (
            ranged
            and len(self.sides) == 1
            and (side.clock or side.date)
            and (atom.kind == "clock" or atom.kind in _DATEISH_KINDS)
            and (self.between or (ranged["w"] or "").lower() != "and")
        ):
            new = _Side()
            self.sides.append(new)
            return self._take(new, atom)
        return False

    def _take(self, side: _Side, atom: _Atom) -> bool:
        side.take(atom)
        self.end = atom.end
        return True


def _normalise_words(text: str) -> str:
    return " ".join(text.lower().split())


def _open_group(atom: _Atom, text: str, floor: int) -> _Group:
    prefix: str | None = None
    start = atom.start
    if atom.kind == "clock" or atom.kind in _DATEISH_KINDS:
        m = _PREFIX.search(text, max(floor, atom.start - _PREFIX_WINDOW), atom.start)
        if m:
            word = _normalise_words(m["p"])
            allowed = _CLOCK_PREFIXES if atom.kind == "clock" else _DATE_PREFIXES
            if word in allowed:
                prefix, start = word, m.start("p")
    side = _Side()
    side.take(atom)
    group = _Group(start=start, end=atom.end, prefix=prefix, sides=[side])
    group.between = prefix == "between" or (
        atom.kind in ("night_of", "overnight_prep")
        and text[atom.start : atom.end].lower().endswith("between")
    )
    return group


# Trying the full grammar costs several microseconds a word, so it is only
# tried where an atom can start: at a word that can begin one ("overnight",
# "Sunday"), at a number followed by something a date or clock needs (":",
# "am", "April", "hrs"), or at up to four lead words ("in the early ...")
# followed by one of those. Every alternative of _MASTER starts at such a
# token; a test checks that this scan agrees with a plain _MASTER.finditer.
_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+")
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_WORDS = frozenset(_MONTH_NAMES) | {m[:3] for m in _MONTH_NAMES} | {"sept"}
_START_WORDS = (
    _MONTH_WORDS
    | frozenset(_WEEKDAY_NAMES)
    | {"night", "overnight", "tonight", "yesterday", "today", "noon", "midday", "mid", "midnight"}
)
_TAIL_WORDS = frozenset(
    {"past", "previous", "preceding", "morning", "afternoon", "evening", "weekend", "month"}
    | {"hour", "hours", "day", "days", "week", "weeks"}
    | {w.split("-")[0] for w in _NUMBER_WORDS}
)
_LEAD_WORDS = frozenset(
    {"the", "in", "on", "at", "for", "within", "over", "during", "through", "throughout"}
    | {"this", "last", "late", "early", "past", "course", "of"}
)
_AFTER_NUMBER = _MONTH_WORDS | {
    *("am", "pm", "a", "p", "hrs", "hr", "hours", "gmt", "utc", "msk", "noon"),
    *("st", "nd", "rd", "th", "of", "to", "and", "into"),
}
_CASED_MONTHS = frozenset({"may", "march", "mar"})
# Where the first word already rules most alternatives out, a smaller grammar
# with the same alternatives in the same order gives the same match, faster.
_NUMBER_GRAMMAR = _grammar("drange", "date", "clock")
_BY_WORD = {
    **dict.fromkeys(_MONTH_WORDS, _grammar("drange", "date")),
    **dict.fromkeys(_WEEKDAY_NAMES, _grammar("date", "wd")),
    **dict.fromkeys(("yesterday", "today"), _grammar("rel")),
    **dict.fromkeys(("noon", "midday", "mid", "midnight"), _grammar("clock")),
    "night": _grammar("night_of", "night_to", "night_bare"),
    "overnight": _grammar("overnight_prep", "night_bare"),
    "tonight": _grammar("night_bare"),
}
_MAX_LEADS = 6
_NUMBER_JOINERS = frozenset(":.-–—/")
_MAX_BLANKS = 6  # the widest _S


def _atoms(text: str) -> list[_Atom]:
    tokens = [(m.start(), m.group().lower()) for m in _TOKEN.finditer(text)]
    count = len(tokens)

    def number_may_start(i: int) -> bool:
        pos, word = tokens[i]
        after = pos + len(word)
        if text[after : after + _MAX_BLANKS + 1].lstrip(" \t\u00a0\r\n")[:1] in _NUMBER_JOINERS:
            return True
        return (
            i + 1 < count
            and tokens[i + 1][0] - after <= _MAX_BLANKS
            and tokens[i + 1][1] in _AFTER_NUMBER
        )

    def may_start(i: int) -> bool:
        pos, word = tokens[i]
        if word[0].isdigit():
            return number_may_start(i)
        if word in _CASED_MONTHS:
            return text[pos] == "M"
        return word in _START_WORDS

    atoms: list[_Atom] = []
    end = 0
    for i, (pos, word) in enumerate(tokens):
        if pos < end:
            continue
        if not may_start(i):
            if word not in _LEAD_WORDS:
                continue
            j = i + 1
            while j < count and j - i < _MAX_LEADS and tokens[j][1] in _LEAD_WORDS:
                j += 1
            if j >= count:
                continue
            tail = tokens[j][1]
            if not (tail in _TAIL_WORDS or tail[0].isdigit() or may_start(j)):
                continue
        grammar = _NUMBER_GRAMMAR if word[0].isdigit() else _BY_WORD.get(word, _MASTER)
        m = grammar.match(text, pos)
        if m is not None and m.lastgroup is not None:
            atoms.append(_Atom(m.lastgroup, m.start(), m.end()))
            end = m.end()
    return atoms


def _scan(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    for atom in _atoms(text):
        if current is not None and current.extend(atom, text):
            continue
        if current is not None:
            groups.append(current)
        current = _open_group(atom, text, groups[-1].end if groups else 0)
    if current is not None:
        groups.append(current)
    return groups


def find_time_expressions(text: str) -> list[tuple[int, int]]:
    """Character spans of the time expressions in ``text``.

    Spans are sorted, do not overlap and are maximal: "from 23:00 on Sunday to
    07:00 on Monday" is one span, as is "between 2:20 pm and 7:30 pm MSK"
    together with its "between". Counts ("45 drones"), model names ("Kh-101",
    "S-400"), durations ("3.5 hours"), "24/7" and bare years are not matched.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_time_expressions expects str, got {type(text).__name__}")
    found: list[tuple[int, int]] = []
    for group in _scan(text):
        if "\n" not in text[group.start : group.end]:
            found.append((_open_range_start(text, group.start, group.end), group.end))
            continue
        # an expression never runs over a line break ("in the night" closing a
        # headline, "From 23:00 MSK ..." opening the next line): read each line apart
        offset = group.start
        for line in text[group.start : group.end].split("\n"):
            found += [(offset + g.start, offset + g.end) for g in _scan(line)]
            offset += len(line) + 1
    return found


# ---------------------------------------------------------------------------
# zones
# ---------------------------------------------------------------------------

_ZONE_RE = re.compile(rf"(?<!\w){_ZONE}", _FLAGS)
_CONVERSION_RE = re.compile(_CONVERSION, _FLAGS)
_OFFSET_RE = re.compile(r"([+\-−])\s*(\d{1,2})(?::?(\d\d))?")


def _zone_named(text: str) -> ZoneInfo | None:
    low = text.lower()
    if low.startswith(("msk", "moscow")):
        return MOSCOW
    if low.startswith(("kyiv", "kiev")):
        return KYIV
    if low.startswith("local"):
        return None
    offset = _OFFSET_RE.search(low)
    if offset is None:
        return UTC
    hours = int(offset[2])
    if offset[3] not in (None, "00"):
        return None  # no IANA zone for a half-hour offset; the article's zone applies
    if hours == 0:
        return UTC
    # IANA's Etc zones invert the sign: UTC+3 is Etc/GMT-3.
    name = f"Etc/GMT{'-' if offset[1] == '+' else '+'}{hours}"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _explicit_zone(expression: str) -> tuple[ZoneInfo | None, bool]:
    """The governing written zone, and whether it was only found in a conversion."""
    conversions = [m.span() for m in _CONVERSION_RE.finditer(expression)]
    in_conversion: ZoneInfo | None = None
    for m in _ZONE_RE.finditer(expression):
        zone = _zone_named(m.group())
        if zone is None:
            continue
        if not any(s <= m.start() < e for s, e in conversions):
            return zone, False
        if in_conversion is None:
            in_conversion = zone
    return in_conversion, in_conversion is not None


def zone_for(expression: str) -> ZoneInfo | None:
    """The zone written in ``expression`` ("MSK", "Kyiv time", "GMT", "UTC+3"), else None.

    A zone on the expression's own clock times wins over one inside a
    conversion in parentheses: "20:00 MSK (17:00 GMT)" is Moscow time. When the
    only zone is in a conversion ("20:00 (17:00 GMT)") that one is returned.
    "local time" names no zone.
    """
    return _explicit_zone(expression)[0]


# ---------------------------------------------------------------------------
# resolution
# ---------------------------------------------------------------------------

_MONTH_NUMBERS = {name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)}
_WEEKDAY_NUMBERS = {name: i for i, name in enumerate(_WEEKDAY_NAMES)}
_PART_FRAMES = {
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "night": "night_of",
    "day": "afternoon",
}
# (days after D, hour) of a window's start and end on a day D.
_WINDOWS: dict[str | None, tuple[int, int, int, int]] = {
    None: (0, 0, 1, 0),
    "night_to": (-1, 23, 0, 7),
    "night_of": (0, 23, 1, 7),
    "early": (0, 0, 0, 6),
    "morning": (0, 6, 0, 12),
    "afternoon": (0, 12, 0, 18),
    "evening": (0, 18, 1, 0),
}
_NIGHTS = frozenset({"night_to", "night_of"})

_MDY_PARTS = re.compile(
    rf"(?P<mon>{_MONTH}){_S}(?P<day>{_DAY})(?:,?{_S}(?P<year>{_YEAR}))?", _FLAGS
)
_DMY_PARTS = re.compile(
    rf"(?:the{_S})?(?P<day>{_DAY})(?:{_S}of)?{_S}(?P<mon>{_MONTH})(?:,?{_S}(?P<year>{_YEAR}))?",
    _FLAGS,
)
_NUMERIC_DATE_PARTS = re.compile(
    r"(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)|(?P<day2>\d{1,2})\.(?P<mon2>\d{1,2})\.(?P<year2>\d{4})"
)
_WEEKDAY_PREFIX_RE = re.compile(_WEEKDAY_PREFIX, _FLAGS)
_CLOCK_PARTS = re.compile(
    rf"(?P<core>{_CORE}){_HRS}"
    rf"(?:{_SP}{{0,2}}(?:(?P<zone>{_ZONE})|\({_SP}?(?P<pzone>{_ZONE}){_SP}?\)))?"
    rf"(?:{_SP}{{0,2}}\({_SP}?(?P<conv>{_CORE}){_HRS}(?P<crange>{_RANGE_TAIL})"
    rf"(?:{_SP}{{0,2}}(?P<czone>{_ZONE}))?{_SP}?\))?",
    _FLAGS,
)
_MONTH_RE = re.compile(_MONTH, _FLAGS)
_YEAR_RE = re.compile(rf"(?<!\d){_YEAR}")
_DAY_NUMBER_RE = re.compile(r"(?<!\d)(\d{1,2})(?!\d)")
_WEEKDAY_RE = re.compile(_WEEKDAY, _FLAGS)
_PART_RE = re.compile(r"\b(morning|afternoon|evening|night|day)\b", _FLAGS)


@dataclass(frozen=True, slots=True)
class _Clock:
    hour: int  # 24 means the end of the day
    minute: int
    zone: ZoneInfo | None
    conversion: tuple[int, int, ZoneInfo] | None


@dataclass(frozen=True, slots=True)
class _Ymd:
    year: int | None
    month: int
    day: int


@dataclass(frozen=True, slots=True)
class _Weekday:
    index: int
    strict: bool  # "last Sunday": before the reference day, never on it


@dataclass(frozen=True, slots=True)
class _Relative:
    offset: int


@dataclass(frozen=True, slots=True)
class _DayRange:
    first: _Ymd
    last: _Ymd


_Ref = _Ymd | _Weekday | _Relative | _DayRange


@dataclass(slots=True)
class _Meaning:
    clock: _Clock | None = None
    ref: _Ref | None = None
    frame: str | None = None


def _month_number(text: str) -> int:
    return _MONTH_NUMBERS[text.lower().rstrip(".")[:3]]


def _parse_core(text: str) -> tuple[int, int] | None:
    low = text.lower()
    if "noon" in low or "midday" in low or "mid-day" in low:
        return 12, 0
    if "midnight" in low:
        return 0, 0
    digits = re.findall(r"\d+", low)
    if not digits:
        return None
    if len(digits[0]) == 4:
        hour, minute = int(digits[0][:2]), int(digits[0][2:])
    else:
        hour = int(digits[0])
        minute = int(digits[1]) if len(digits) > 1 else 0
    meridiem = re.search(r"([ap])\.?\s?m\b", low)
    if meridiem and hour <= 12:
        if hour == 12:
            hour = 0 if meridiem[1] == "a" else 12
        elif meridiem[1] == "p":
            hour += 12
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return hour, minute


def _parse_clock(text: str, pos: int) -> _Clock | None:
    m = _CLOCK_PARTS.match(text, pos)
    if m is None:
        return None
    core = _parse_core(m["core"])
    if core is None:
        return None
    zone_text = m["zone"] or m["pzone"]
    zone = _zone_named(zone_text) if zone_text else None
    conversion = None
    # a converted range, "19:30 MSK (11:20-16:30 GMT)", restates the whole
    # window after the second clock: the local reading stands on its own
    if m["conv"] and m["czone"] and not m["crange"]:
        conv_core = _parse_core(m["conv"])
        conv_zone = _zone_named(m["czone"])
        if conv_core is not None and conv_zone is not None and conv_core[0] < 24:
            conversion = (conv_core[0], conv_core[1], conv_zone)
    return _Clock(core[0], core[1], zone, conversion)


# Any fixed leap year: dateparser must fill in a year to read "29 February",
# and the real year is chosen afterwards by the conventions.
_DATEPARSER_SETTINGS = {
    "RELATIVE_BASE": datetime(2000, 1, 1),
    "PREFER_DATES_FROM": "current_period",
    "DATE_ORDER": "DMY",
    "REQUIRE_PARTS": ["day", "month"],
    "RETURN_TIME_AS_PERIOD": False,
}


@lru_cache(maxsize=8192)
def _read_date(body: str) -> tuple[int, int, int] | None:
    """(year, month, day) of an isolated date part, as dateparser reads it."""
    import dateparser

    parsed = dateparser.parse(body, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return (parsed.year, parsed.month, parsed.day) if parsed is not None else None


def _parse_date(text: str) -> _Ymd | None:
    body = _WEEKDAY_PREFIX_RE.sub("", text, count=1) if _WEEKDAY_RE.match(text) else text
    for pattern in (_MDY_PARTS, _DMY_PARTS):
        m = pattern.fullmatch(body)
        if m:
            year = int(m["year"]) if m["year"] else None
            day = int(re.match(r"\d+", m["day"]).group())  # type: ignore[union-attr]
            month = _month_number(m["mon"])
            read = _read_date(body)
            if read is not None and (read[1], read[2]) == (month, day):
                # dateparser and the grammar agree; a year only counts when written
                return _Ymd(read[0] if year is not None else None, read[1], read[2])
            return _Ymd(year, month, day)
    m = _NUMERIC_DATE_PARTS.fullmatch(body)
    if m:
        if m["year"]:
            return _Ymd(int(m["year"]), int(m["mon"]), int(m["day"]))
        return _Ymd(int(m["year2"]), int(m["mon2"]), int(m["day2"]))
    return None


def _parse_day_range(text: str) -> _DayRange | None:
    month = _MONTH_RE.search(text)
    if month is None:
        return None
    year_match = _YEAR_RE.search(text)
    year = int(year_match.group()) if year_match else None
    rest = text[: year_match.start()] if year_match else text
    days = [int(d) for d in _DAY_NUMBER_RE.findall(rest)]
    if len(days) < 2:
        return None
    number = _month_number(month.group())
    return _DayRange(_Ymd(year, number, days[0]), _Ymd(year, number, days[1]))


def _suffix_frame(text: str) -> str | None:
    m = _PART_RE.search(text)
    return _PART_FRAMES[m[1].lower()] if m else None


def _parse_dateish(kind: str, text: str) -> tuple[_Ref | None, str | None]:
    low = _normalise_words(text)
    if kind == "date":
        return _parse_date(text), None
    if kind == "drange":
        return _parse_day_range(text), None
    if kind == "wd":
        weekday = _WEEKDAY_RE.search(text)
        if weekday is None:
            return None, None
        ref = _Weekday(_WEEKDAY_NUMBERS[weekday.group().lower()], low.startswith("last "))
        return ref, _suffix_frame(text[weekday.end() :])
    # rel
    if low.startswith("this "):
        return _Relative(0), _suffix_frame(low)
    offset = -2 if "before" in low else -1 if "yesterday" in low else 0
    tail = low.rsplit("yesterday", 1)[-1] if "yesterday" in low else low.split("today", 1)[-1]
    return _Relative(offset), _suffix_frame(tail)


def _frame(kind: str, text: str) -> str:
    low = _normalise_words(text)
    if kind == "overnight_prep":
        return "night_to" if low.rsplit(" ", 1)[-1] in ("on", "into", "to") else "night_of"
    if kind in ("night_to", "night_bare"):
        return "night_to"
    if kind == "night_of":
        return "night_of"
    if kind in ("early", "early_bare"):
        return "early"
    if kind == "late":
        return "evening"
    return _suffix_frame(low) or "afternoon"


def _meaning(side: _Side, text: str) -> _Meaning:
    meaning = _Meaning()
    suffix: str | None = None
    for atom in side.atoms:
        piece = text[atom.start : atom.end]
        if atom.kind == "clock" and meaning.clock is None:
            meaning.clock = _parse_clock(text, atom.start)
        elif atom.kind in _DATEISH_KINDS and meaning.ref is None:
            meaning.ref, suffix = _parse_dateish(atom.kind, piece)
        elif atom.kind in _FRAMES and meaning.frame is None:
            meaning.frame = _frame(atom.kind, piece)
    # an explicit window word ("early", "the night of") outranks "Sunday morning"
    meaning.frame = meaning.frame or suffix
    return meaning


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, bound: date, *, after: bool) -> date | None:
    # Eight years always include a leap year, so 29 February finds a home.
    for k in range(9):
        candidate = _valid_date(bound.year + k if after else bound.year - k, month, day)
        if candidate is not None and (candidate >= bound if after else candidate <= bound):
            return candidate
    return None


def _place(
    ref: _Ref, bound: date | None, today: date | None, *, after: bool = False
) -> date | None:
    """The calendar day of ``ref``: on or before ``bound`` (or on or after, with ``after``)."""
    if isinstance(ref, _Relative):
        return None if today is None else today + timedelta(days=ref.offset)
    if isinstance(ref, _DayRange):
        return _place(ref.first if after else ref.last, bound, today, after=after)
    if isinstance(ref, _Ymd):
        if ref.year is not None:
            return _valid_date(ref.year, ref.month, ref.day)
        return None if bound is None else _year_for(ref.month, ref.day, bound, after=after)
    if bound is None:
        return None
    if after:
        return bound + timedelta(days=(ref.index - bound.weekday()) % 7)
    back = (bound.weekday() - ref.index) % 7
    if ref.strict and back == 0:
        back = 7
    return bound - timedelta(days=back)


def _has_year(ref: _Ref) -> bool:
    if isinstance(ref, _DayRange):
        ref = ref.last
    return isinstance(ref, _Ymd) and ref.year is not None


def _day_range(ref: _DayRange, bound: date | None, today: date | None) -> tuple[date, date] | None:
    last = _place(ref.last, bound, today)
    first = _place(ref.first, last, today) if last is not None else _place(ref.first, None, today)
    if first is not None and last is None:
        last = _place(ref.last, first, today, after=True)
    if first is None or last is None or first > last:
        return None
    return first, last


def _at(day: date, hour: int, minute: int, zone: tzinfo) -> datetime:
    if hour == 24:
        return datetime.combine(day + timedelta(days=1), time(0, minute), zone)
    return datetime.combine(day, time(hour, minute), zone)


def _window(frame: str | None, day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    d0, h0, d1, h1 = _WINDOWS[frame]
    return (
        _at(day + timedelta(days=d0), h0, 0, zone),
        _at(day + timedelta(days=d1), h1, 0, zone),
    )


def _instant(clock: _Clock, day: date, frame: str | None, zone: tzinfo, convert: bool) -> datetime:
    # Inside a night window, an evening hour belongs to the first day of it.
    if frame == "night_to":
        day -= timedelta(days=1 if clock.hour >= 12 else 0)
    elif frame == "night_of":
        day += timedelta(days=0 if clock.hour >= 12 else 1)
    local = _at(day, clock.hour, clock.minute, clock.zone or zone)
    if convert and clock.zone is None and clock.conversion is not None:
        hour, minute, conv_zone = clock.conversion
        # The conversion names the instant exactly; its calendar day may differ
        # from the local one ("01:00 MSK (22:00 GMT)"), so take the nearest.
        candidates = [_at(day + timedelta(days=k), hour, minute, conv_zone) for k in (-1, 0, 1)]
        local = min(candidates, key=lambda c: abs(c - local))
    return local.astimezone(zone)


def _span(meaning: _Meaning, day: date, zone: tzinfo, convert: bool) -> tuple[datetime, datetime]:
    if meaning.clock is not None:
        point = _instant(meaning.clock, day, meaning.frame, zone, convert)
        return point, point
    return _window(meaning.frame, day, zone)


def _anchor(published: date | datetime | str | None, tz: tzinfo) -> datetime | None:
    value = parse_published(published)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.utcoffset() is not None else value.replace(tzinfo=tz)
    return datetime.combine(value, time(12), tz)


def _resolve_standalone(
    kind: str, piece: str, anchor: datetime | None, today: date | None, zone: tzinfo
) -> _Period:
    if kind == "past":
        if anchor is None:
            return None, None
        words = _normalise_words(piece).split()
        unit = words[-1]
        count = 1
        for word in words:
            if word.isdigit():
                count = int(word)
            elif word in _NUMBER_WORDS:
                count = _NUMBER_WORDS[word]
        hours = {"hour": 1, "day": 24, "week": 24 * 7}[unit.rstrip("s")]
        end = anchor.astimezone(UTC)
        start = end - timedelta(hours=hours * count)
        return start.astimezone(zone), end.astimezone(zone)
    if kind == "month":
        month = _month_number(_MONTH_RE.search(piece).group())  # type: ignore[union-attr]
        year_match = _YEAR_RE.search(piece)
        if year_match:
            first = date(int(year_match.group()), month, 1)
        elif today is None:
            return None, None
        else:
            placed = _year_for(month, 1, today, after=False)
            if placed is None:
                return None, None
            first = placed
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return _at(first, 0, 0, zone), _at(following, 0, 0, zone)
    # weekend: the most recent Saturday and Sunday, a weekend in progress included
    if today is None:
        return None, None
    saturday = _place(_Weekday(5, strict=False), today, today)
    assert saturday is not None
    return _at(saturday, 0, 0, zone), _at(saturday + timedelta(days=2), 0, 0, zone)


def _resolve(expression: str, published: date | datetime | str | None, tz: tzinfo) -> _Period:
    groups = _scan(expression)
    if not groups:
        return None, None
    group = groups[0]
    anchor = _anchor(published, tz)
    written, only_in_conversion = _explicit_zone(expression)
    zone: tzinfo = written if written is not None and not only_in_conversion else tz
    convert = written is None or only_in_conversion
    today = anchor.astimezone(zone).date() if anchor is not None else None

    first = group.sides[0].atoms[0]
    if first.kind in _STANDALONE:
        return _resolve_standalone(
            first.kind, expression[first.start : first.end], anchor, today, zone
        )

    meanings = [_meaning(side, expression) for side in group.sides]
    if any(
        m.clock is None and any(a.kind == "clock" for a in s.atoms)
        for m, s in zip(meanings, group.sides, strict=True)
    ):
        return None, None
    if len(meanings) == 1:
        return _resolve_single(meanings[0], group.prefix, anchor, today, zone, convert)
    return _resolve_range(meanings[0], meanings[1], anchor, today, zone, convert)


def _resolve_single(
    meaning: _Meaning,
    prefix: str | None,
    anchor: datetime | None,
    today: date | None,
    zone: tzinfo,
    convert: bool,
) -> _Period:
    if isinstance(meaning.ref, _DayRange):
        days = _day_range(meaning.ref, today, today)
        if days is None:
            return None, None
        if meaning.frame in _NIGHTS:
            return _at(days[0], 23, 0, zone), _at(days[1], 7, 0, zone)
        return _window(meaning.frame, days[0], zone)[0], _window(meaning.frame, days[1], zone)[1]
    day = _place(meaning.ref, today, today) if meaning.ref is not None else today
    if day is None:
        return None, None
    start, end = _span(meaning, day, zone, convert)
    if meaning.ref is None and meaning.frame is None and anchor is not None and end > anchor:
        # a bare clock time that has not happened yet on the publication day
        start, end = _span(meaning, day - timedelta(days=1), zone, convert)
    elif (
        meaning.frame == "night_of"
        and meaning.clock is None
        and anchor is not None
        and start > anchor
        and day == today
    ):
        # "on the night of March 4" in a report of the morning of March 4: a claim
        # is not made about a night that has not begun, so it is the night that
        # ended that morning
        start, end = _span(meaning, day - timedelta(days=1), zone, convert)
    if prefix in _SINCE:
        return start, None
    if prefix in _UNTIL:
        return None, start
    return start, end


def _resolve_range(
    left: _Meaning,
    right: _Meaning,
    anchor: datetime | None,
    today: date | None,
    zone: tzinfo,
    convert: bool,
) -> _Period:
    def endpoint(ref: _Ref, bound: date | None, *, last: bool, after: bool = False) -> date | None:
        if isinstance(ref, _DayRange):
            ref = ref.last if last else ref.first
        return _place(ref, bound, today, after=after)

    # The end is placed by the Anchor rules and the start on or before it,
    # unless only the start has a year: then the end follows the start.
    left_day = right_day = None
    if (
        left.ref is not None
        and right.ref is not None
        and _has_year(left.ref) > _has_year(right.ref)
    ):
        left_day = endpoint(left.ref, today, last=False)
        if left_day is not None:
            right_day = endpoint(right.ref, left_day, last=True, after=True)
    else:
        if right.ref is not None:
            right_day = endpoint(right.ref, today, last=True)
        if left.ref is not None:
            bound = right_day if right_day is not None else today
            left_day = endpoint(left.ref, bound, last=False)

    shared = False
    pure_clocks = False
    if left.ref is None and left.frame is None and (right.ref is not None or right.frame):
        left = _Meaning(left.clock, right.ref, right.frame)
        left_day, shared = right_day if right.ref is not None else today, True
    elif right.ref is None and right.frame is None and (left.ref is not None or left.frame):
        right = _Meaning(right.clock, left.ref, left.frame)
        right_day, shared = left_day if left.ref is not None else today, True
    elif left.ref is None and right.ref is None:
        left_day = right_day = today
        shared = True
        pure_clocks = left.frame is None and right.frame is None
    if left.ref is None and left_day is None:
        left_day = today
    if right.ref is None and right_day is None:
        right_day = today
    if left_day is None or right_day is None:
        return None, None

    if left.clock is None and right.clock is None and left.frame in _NIGHTS:
        # "the night of Saturday to Sunday", "Saturday night into Sunday"
        return _at(left_day, 23, 0, zone), _at(right_day, 7, 0, zone)

    def bounds(shift: int) -> tuple[datetime, datetime]:
        offset = timedelta(days=shift)
        start = _span(left, left_day + offset, zone, convert)[0]
        end = _span(right, right_day + offset, zone, convert)[1]
        if shared and end < start:
            end = _span(right, right_day + offset + timedelta(days=1), zone, convert)[1]
        return start, end

    start, end = bounds(0)
    if pure_clocks and anchor is not None and end > anchor:
        start, end = bounds(-1)
    if end < start:
        return None, None
    return start, end


def resolve_period(
    expression: str, *, published: date | datetime | None, tz: ZoneInfo
) -> tuple[datetime | None, datetime | None]:
    """The absolute, timezone-aware (start, end) of one time expression.

    ``expression`` is a span found by ``find_time_expressions``. ``published``
    anchors relative expressions (a naive datetime is read in ``tz``; a date
    as 12:00 in ``tz``); ``tz`` is the article's zone, overridden by a zone
    written in the expression. Anything that cannot be placed, including every
    year-less expression when ``published`` is None, gives ``(None, None)``:
    this function never guesses today's date and never raises on odd text.
    An invalid ``published`` still raises ``InputError`` (E002).
    """
    value = parse_published(published)  # a bad published is the caller's error, not "unresolved"
    try:
        start, end = _resolve(expression, value, tz)
    except (ValueError, OverflowError):
        # dates pushed past year 1 or 9999 by arithmetic on extreme inputs
        return None, None
    start, end = _share_meridiem(expression, start, end)
    if start is not None and end is not None and end < start:
        return None, None  # self-contradictory text ("the night of Sunday to Sunday")
    return start, end


# "between 6 and" before "7 pm": the first clock of a window whose meridiem is
# written once, after the second
_RANGE_OPENING = re.compile(
    r"(?:\b(?:between|from)\s+)?\b\d{1,2}(?:[:.]\d\d)?\s*(?:and|to|till|until|-|–)\s*$",
    re.IGNORECASE,
)


def _open_range_start(text: str, start: int, end: int) -> int:
    if not re.search(r"[ap]\.?\s?m\b", text[start:end], re.IGNORECASE):
        return start
    opening = _RANGE_OPENING.search(text[max(0, start - 24) : start])
    return start - (len(opening.group()) if opening else 0)


# "between 6 and 7 pm", "6:25-8:00 p.m. GMT": one "pm" written once for both clocks
_SHARED_MERIDIEM = re.compile(
    r"^(?:(?:between|from)\s+)?(?:about\s+|around\s+)?(?P<h1>\d{1,2})(?:[:.](?P<m1>\d\d))?"
    r"\s*(?:and|to|till|until|-|–)\s*(?P<h2>\d{1,2})(?:[:.](?P<m2>\d\d))?\s*(?P<ap>[ap])\.?\s?m\b",
    re.IGNORECASE,
)


def _share_meridiem(
    expression: str, start: datetime | None, end: datetime | None
) -> tuple[datetime | None, datetime | None]:
    match = _SHARED_MERIDIEM.match(expression.strip())
    if match is None or end is None:
        return start, end
    first, second = int(match["h1"]), int(match["h2"])
    if not (1 <= first <= 12 and 1 <= second <= 12) or first > second:
        return start, end
    hour = first % 12 + (12 if match["ap"].lower() == "p" else 0)
    minute = int(match["m1"] or 0)
    local_end = end
    return local_end.replace(hour=hour, minute=minute), end


# "KYIV, March 4 (Reuters) -", "MOSCOW, 4 March. /TASS/.": a city in capitals or
# title case, a day and month, then the agency or a dash, at the top of the text
_DATELINE = re.compile(
    r"^[^\S\n]*[A-Z][A-Za-z .'’-]{1,40},[^\S\n]+"
    r"(?:(?P<month>[A-Z][a-z]{2,8})\.?[^\S\n]+(?P<day>\d{1,2})"
    r"|(?P<day2>\d{1,2})[^\S\n]+(?P<month2>[A-Z][a-z]{2,8})\.?)"
    r"(?:,?[^\S\n]+\d{4})?[^\S\n]*[.,]?[^\S\n]*(?:\(|/|-|–|—)",
    re.MULTILINE,
)
DATELINE_REACH = 600  # characters from the top where a dateline may stand


def dateline_anchor(
    text: str, published: date | datetime | None, tz: ZoneInfo
) -> date | datetime | None:
    """What relative times are read against when a dateline names the day next to the
    page's stamp (a page stamped in UTC late on March 3 carries "KYIV, March 4"; a
    relay posted early on March 4 keeps "MOSCOW, March 3"): the dateline's day.
    Otherwise `published` itself."""
    value = parse_published(published)
    if value is None:
        return value
    match = _DATELINE.search(text[:DATELINE_REACH])
    if match is None:
        return value
    month_name = match["month"] or match["month2"]
    if month_name.lower().rstrip(".")[:3] not in _MONTH_NUMBERS:
        return value
    local = (
        value.astimezone(tz).date()
        if isinstance(value, datetime) and value.tzinfo
        else (value.date() if isinstance(value, datetime) else value)
    )
    month, day = _month_number(month_name), int(match["day"] or match["day2"])
    for shift in (1, -1):
        # the day after the stamp (a UTC stamp late in the evening) or the day before
        # it (a relay posted after midnight): the dateline's day is the report's
        dated = local + timedelta(days=shift)
        if (dated.month, dated.day) == (month, day):
            return datetime.combine(dated, time(12), tz)
    return value
