"""Place names -> ISO 3166-2 codes for the regions, cities and districts reports name.

The bundled list is ``skytally/data/places.json``; the readings follow
``docs/conventions.md`` (Places): a city or district carries its region's code,
and a bare region stem ("Kursk") is the region, not the city.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from skytally.errors import DataError, Errors, InputError

KINDS: frozenset[str] = frozenset({"region", "city", "district", "sea", "country"})
# Kinds that stand for a whole code; a city only does when nothing else has its code.
_PRINCIPAL_KINDS = frozenset({"region", "country", "sea"})
_FIELDS = ("code", "name", "kind", "aliases")

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u02bc\u0060\u00b4\u2032", "'"))
_DASHES = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014\u2212]")
_PUNCT = re.compile(r"[.()\[\],]")
# Transliterations disagree on the adjective ending: -skiy, -skii, -skyi, -skyy all mean -sky.
_ADJ_ENDING = re.compile(r"(?<=[sz])k(?:iy|ii|yi|yy|ij)\b")

# Longest first, so "autonomous okrug" is tried before "okrug".
_REGION_SUFFIXES = (
    "autonomous district",
    "autonomous region",
    "autonomous okrug",
    "autonomous area",
    "governorate",
    "territory",
    "province",
    "republic",
    "region",
    "oblast",
    "okrug",
    "krai",
    "kray",
    "area",
)
_REGION_PREFIXES = ("republic of ", "region of ", "province of ")
_DISTRICT_SUFFIXES = (
    "municipal district",
    "municipal okrug",
    "urban district",
    "city district",
    "urban okrug",
    "district",
    "raion",
    "rayon",
)
_CITY_PREFIXES = ("city of ", "town of ")
_CITY_SUFFIXES = ("city", "town")

_BUNDLED = "skytally/data/places.json"


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """One place skytally knows: its code, English name and kind."""

    code: str | None
    name: str
    kind: str  # one of KINDS: "region" | "city" | "district" | "sea" | "country"


def normalize(surface: str) -> str:
    """The lookup key of a surface form: case, apostrophes, hyphens, dots and "the" ignored."""
    text = unicodedata.normalize("NFKC", surface).translate(_APOSTROPHES).casefold()
    text = _DASHES.sub(" ", _PUNCT.sub(" ", text))
    text = " ".join(text.split())
    text = text.removesuffix("'s")
    # A word-final apostrophe is a transliterated soft sign (Oblast', Tver'), not a letter.
    text = re.sub(r"'(?= |$)", "", text)
    text = text.removeprefix("the ")
    return _ADJ_ENDING.sub("ky", text)


def _strip_suffix(key: str, suffixes: Sequence[str]) -> str | None:
    for suffix in suffixes:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1]
    return None


def _strip_prefix(key: str, prefixes: Sequence[str]) -> str | None:
    for prefix in prefixes:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return None


class Gazetteer:
    """Resolves place names written in news text to `PlaceEntry` values."""

    def __init__(
        self, records: Sequence[tuple[PlaceEntry, Sequence[str]]], source: str = "<gazetteer>"
    ) -> None:
        self._records = [(entry, tuple(aliases)) for entry, aliases in records]
        self._index: dict[str, PlaceEntry] = {}
        owner: dict[str, int] = {}
        problems: list[str] = []
        for i, (entry, aliases) in enumerate(self._records):
            for alias in aliases:
                key = normalize(alias)
                where = f"{source}: entry {i} ({entry.name})"
                if not key:
                    reason = f"alias {alias!r} is empty once normalised"
                    problems.append(Errors.E011.format(where=where, reason=reason))
                elif key in owner and owner[key] != i:
                    first = owner[key]
                    reason = (
                        f"alias {alias!r} is already used by entry {first} "
                        f"({self._records[first][0].name})"
                    )
                    problems.append(Errors.E011.format(where=where, reason=reason))
                else:
                    owner[key] = i
                    self._index[key] = entry
        if problems:
            raise _data_error(problems)
        self._by_code = self._principal_entries()
        self._region_stems = self._stems()

    # ------------------------------------------------------------------ loading
    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer bundled with skytally (loaded once per process)."""
        return _bundled()

    @classmethod
    def from_path(cls, path: Path) -> Gazetteer:
        """Load a places file; raises `DataError` (a ValueError) naming the file and entry."""
        path = Path(path)
        return cls._from_bytes(path.read_bytes(), str(path))

    @classmethod
    def _from_bytes(cls, raw: bytes, source: str) -> Gazetteer:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _data_error([Errors.E003.format(path=source, position=exc.start)]) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _data_error([Errors.E010.format(where=source, reason=str(exc))]) from None
        return cls(_parse(data, source), source)

    # ------------------------------------------------------------------ queries
    def lookup(self, surface: str) -> PlaceEntry | None:
        """The place `surface` names, or None when it is not a known place.

        Besides the listed aliases this reads "X region|Oblast|Krai|Territory|area"
        and "Republic of X" as the region X, "X raion" as the listed "X district",
        and "city of X" as X. A designator after a known place of another kind keeps
        that place's code ("Kazan region" -> Tatarstan, "Taganrog district" -> Taganrog).
        """
        key = normalize(surface)
        if not key:
            return None
        hit = self._index.get(key)
        if hit is not None:
            return hit
        return self._lookup_designated(key)

    def aliases(self) -> list[tuple[str, PlaceEntry]]:
        """Every surface form with its entry, for a spaCy ``PhraseMatcher(attr="LOWER")``.

        Besides the listed aliases this holds the spellings a token matcher would
        otherwise miss: hyphens as spaces, curly apostrophes, and "raion" for "district".
        """
        out: list[tuple[str, PlaceEntry]] = []
        seen: set[str] = set()
        for entry, aliases in self._records:
            for alias in aliases:
                for form in _variants(alias, entry.kind):
                    if form.casefold() not in seen:
                        seen.add(form.casefold())
                        out.append((form, entry))
        return out

    def by_code(self, code: str) -> PlaceEntry | None:
        """The region, country or sea entry for `code`; for a federal city, the city."""
        return self._by_code.get(code)

    def entries(self) -> list[PlaceEntry]:
        """All entries, in file order."""
        return [entry for entry, _ in self._records]

    # ------------------------------------------------------------------ internals
    def _lookup_designated(self, key: str) -> PlaceEntry | None:
        # "Kirishi raion", "Kirishskiy municipal district" -> the district entry, if listed.
        stem = _strip_suffix(key, _DISTRICT_SUFFIXES)
        if stem is not None:
            hit = self._district(stem + " district")
            # An unlisted district named after a known place keeps that place's code.
            if hit is not None or (hit := self._index.get(stem)) is not None:
                return hit
        # "Samara Oblast", "Krasnodar Territory", "Kursk area" -> the region.
        stem = _strip_suffix(key, _REGION_SUFFIXES) or _strip_prefix(key, _REGION_PREFIXES)
        if stem is not None:
            if (hit := self._region_stems.get(stem)) is not None:
                return hit
            if (hit := self._index.get(stem)) is not None:
                if key.endswith(" area") or hit.kind not in {"city", "district"}:
                    return hit  # "the Sochi area" is the city; "the Black Sea region" the sea
                # "the Kazan region" is the region Kazan lies in.
                return self._by_code.get(hit.code or "", hit)
        stem = _strip_prefix(key, _CITY_PREFIXES) or _strip_suffix(key, _CITY_SUFFIXES)
        if stem is not None:
            hit = self._index.get(stem)
            # A capital that shares its region's stem has no entry of its own, so
            # "the city of Kursk" falls back to the region (same code).
            if hit is not None and hit.kind in {"city", "region"}:
                return hit
        if key.endswith("sky"):
            # "Odintsovsky" alone is short for its district.
            return self._district(key + " district")
        return None

    def _district(self, key: str) -> PlaceEntry | None:
        hit = self._index.get(key)
        return hit if hit is not None and hit.kind == "district" else None

    def _principal_entries(self) -> dict[str, PlaceEntry]:
        principal: dict[str, PlaceEntry] = {}
        fallback: dict[str, PlaceEntry] = {}
        for entry, _ in self._records:
            if entry.code is None:
                continue
            if entry.kind in _PRINCIPAL_KINDS:
                principal.setdefault(entry.code, entry)
            elif entry.kind == "city":
                fallback.setdefault(entry.code, entry)
        return fallback | principal

    def _stems(self) -> dict[str, PlaceEntry]:
        """Region stems: "samara" from "Samara region", "tatarstan" from "Republic of Tatarstan"."""
        designated: dict[str, PlaceEntry | None] = {}
        bare: dict[str, PlaceEntry] = {}
        for entry, aliases in self._records:
            principal = self._by_code.get(entry.code or "") is entry
            if entry.kind != "region" and not principal:
                continue
            for alias in aliases:
                key = normalize(alias)
                stem = _strip_suffix(key, _REGION_SUFFIXES) or _strip_prefix(key, _REGION_PREFIXES)
                if stem is None:
                    bare.setdefault(key, entry)
                elif designated.get(stem, entry) is not entry:
                    designated[stem] = None  # two regions claim this stem: do not guess
                else:
                    designated[stem] = entry
        stems = {stem: entry for stem, entry in designated.items() if entry is not None}
        for key, entry in bare.items():
            if key not in designated:
                stems[key] = entry
        return stems


def _variants(alias: str, kind: str) -> Iterator[str]:
    forms = [alias]
    if "-" in alias:
        forms.append(alias.replace("-", " "))
    if "'" in alias:
        forms += [form.replace("'", "\u2019") for form in forms]
    if kind == "district":
        forms += [
            form[: -len("district")] + "raion" for form in forms if form.endswith(" district")
        ]
    yield from forms


def _parse(data: Any, source: str) -> list[tuple[PlaceEntry, list[str]]]:
    if not isinstance(data, list):
        kind = type(data).__name__
        raise _data_error([Errors.E011.format(where=source, reason=f"expected a list, got {kind}")])
    records: list[tuple[PlaceEntry, list[str]]] = []
    problems: list[str] = []
    for i, item in enumerate(data):
        where = f"{source}: entry {i}"
        reason = _check_entry(item)
        if reason is not None:
            problems.append(Errors.E011.format(where=where, reason=reason))
            continue
        entry = PlaceEntry(code=item["code"], name=item["name"], kind=item["kind"])
        records.append((entry, list(item["aliases"])))
    if problems:
        raise _data_error(problems)
    return records


def _check_entry(item: Any) -> str | None:
    """Why `item` is not a valid places entry, or None when it is."""
    if not isinstance(item, dict):
        return f"expected an object, got {type(item).__name__}"
    missing = [field for field in _FIELDS if field not in item]
    if missing:
        return f"missing field(s): {', '.join(missing)}"
    extra = sorted(set(item) - set(_FIELDS))
    if extra:
        return f"unknown field(s): {', '.join(extra)}"
    code, name, kind, aliases = (item[field] for field in _FIELDS)
    if code is not None and (not isinstance(code, str) or not code or code != code.strip()):
        return f"code must be a non-empty string or null, got {code!r}"
    if not isinstance(name, str) or not name.strip():
        return f"name must be a non-empty string, got {name!r}"
    if kind not in KINDS:
        return f"kind must be one of {', '.join(sorted(KINDS))}, got {kind!r}"
    if not isinstance(aliases, list) or not aliases:
        return "aliases must be a non-empty list of strings"
    for alias in aliases:
        if not isinstance(alias, str) or not alias.strip():
            return f"aliases must be non-empty strings, got {alias!r}"
    return None


def _data_error(problems: list[str]) -> DataError:
    message = problems[0]
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem(s))"
    return DataError(message, problems)


@cache
def _bundled() -> Gazetteer:
    resource = files("skytally") / "data" / "places.json"
    return Gazetteer._from_bytes(resource.read_bytes(), _BUNDLED)


class ConfiguredGazetteer:
    """The gazetteer a component is configured with (`gazetteer_path`), kept with the
    pipeline: `to_disk` copies a custom places file into the component's folder and
    `from_disk` reads that copy, so a saved pipeline works where the original file
    is gone. A path that is missing when the component is built is an error only
    if no saved copy replaces it before the first Doc."""

    FILE_NAME = "places.json"

    def __init__(self, component: str, path: str | None) -> None:
        self.component = component
        self.raw: bytes | None = None
        self.missing: str | None = None
        self.gazetteer = Gazetteer.default()
        if path is None:
            return
        location = Path(path)
        if not location.is_file():
            self.missing = str(location)
            return
        self.raw = location.read_bytes()
        self.gazetteer = Gazetteer._from_bytes(self.raw, str(location))

    def check(self) -> None:
        if self.missing is not None:
            raise InputError(Errors.E054.format(component=self.component, path=self.missing))

    def to_disk(self, folder: Path) -> None:
        if self.raw is not None:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / self.FILE_NAME).write_bytes(self.raw)

    def from_disk(self, folder: Path) -> bool:
        """Read the saved copy, if the component was saved with one; True when read."""
        saved = folder / self.FILE_NAME
        if not saved.is_file():
            return False
        self.raw = saved.read_bytes()
        self.gazetteer = Gazetteer._from_bytes(self.raw, str(saved))
        self.missing = None
        return True
