"""`skytally_normalizer`: the value of every entity span.

COUNT -> value and qualifier; WEAPON -> category; PLACE -> code, name and
kind from the gazetteer; CLAIMANT -> normalised name and the country it
speaks for; OUTCOME -> outcome; TIME -> an absolute period, resolved
against `doc._.published` in the time zone the article's sources imply
(docs/conventions.md). Values land in `doc._.skytally_values`, read back
through `span._.value`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from ..gazetteer import ConfiguredGazetteer, Gazetteer
from ..lexicon import claimant_info, outcome_of_phrase
from ..numbers import parse_count, range_upper
from ..schema import Outcome
from ..times import KYIV, MOSCOW, dateline_anchor, resolve_period
from ..weapons import categorize
from ..wordlists import word_lists
from . import attributes
from .sentences import SentenceIndex

ZONE_OF_COUNTRY = {"RU": MOSCOW, "UA": KYIV}


EW_BEFORE = re.compile(
    r"\b(?:electronic\s+warfare|EW)(?:\s+(?:means|systems|units|equipment))?\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
AIR_DEFENCE = re.compile(
    r"\b(?:air[\s-]+defen[cs]es?|anti-aircraft|fire\s+groups?|aviation|fighters?)\b", re.I
)
WITH_AFTER = re.compile(r"\s+(?:[\w'’-]+\s+){0,3}?with\b", re.IGNORECASE)
CAPITAL_WORD = re.compile(r"\bcapital\b", re.IGNORECASE)
CAPITAL_OF = dict(word_lists("lexicon")["capital_of"])
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_LEADING_PREPOSITION = re.compile(r"^(?:on|in|since|from|as\s+of)\s+", re.IGNORECASE)


# a governor's or mayor's title written around the name the claimant span holds:
# "Bryansk Governor Alexander Bogomaz", "Vyacheslav Gladkov, the head of the region"
# (the lists are in data/lexicon.json)
ROLE_NAMES = frozenset(word_lists("lexicon")["role_names"])
REGIONAL_TITLES = frozenset(word_lists("lexicon")["regional_titles"])


def _named_as_city(span: Span) -> bool:
    doc = span.doc
    before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return before == ["city", "of"] or after == "city"


def _regional_title(span: Span) -> bool:
    doc = span.doc
    before = {t.lower_ for t in doc[max(0, span.start - 3) : span.start]}
    after = [t.lower_ for t in doc[span.end : span.end + 4]]
    return bool(REGIONAL_TITLES & before) or (
        after[:1] == [","] and bool(REGIONAL_TITLES & set(after[1:]))
    )


class Normalizer(Pipe):
    def __init__(self, name: str, *, gazetteer_path: str | None, default_zone: str) -> None:
        self.name = name
        self.places = ConfiguredGazetteer(name, gazetteer_path)
        self.default_zone = ZoneInfo(default_zone)
        attributes.register()

    @property
    def gazetteer(self) -> Gazetteer:
        return self.places.gazetteer

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.places.to_disk(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Normalizer:
        self.places.from_disk(Path(path))
        return self

    def __call__(self, doc: Doc) -> Doc:
        self.places.check()
        values: dict[str, Any] = {}
        countries: Counter[str] = Counter()
        claimant_countries: Counter[str] = Counter()
        text = doc.text
        for span in doc.ents:
            value = self._value(span, text)
            if value is None:
                continue
            values[attributes.span_key(span.start_char, span.end_char)] = value
            if span.label_ == "PLACE" and value.get("code"):
                countries[value["code"][:2]] += 1
            if span.label_ == "CLAIMANT" and value.get("country"):
                claimant_countries[value["country"]] += 1
        self._resolve_role_claimants(doc, values)
        zone = self._zone(claimant_countries, countries)
        for span in doc.ents:
            if span.label_ == "PLACE" and CAPITAL_WORD.search(span.text):
                values[attributes.span_key(span.start_char, span.end_char)] = self._capital(
                    span.text, zone
                )
        doc._.time_zone = zone.key
        published = dateline_anchor(text, doc._.published, zone)
        sentences = SentenceIndex(doc)
        claimant_zone: dict[int, ZoneInfo] = {}
        for span in doc.ents:
            if span.label_ == "CLAIMANT":
                country = values.get(attributes.span_key(span.start_char, span.end_char), {}).get(
                    "country"
                )
                if country in ZONE_OF_COUNTRY:
                    claimant_zone.setdefault(sentences.start(span), ZONE_OF_COUNTRY[country])
        dated_by_sentence: dict[int, Span] = {}
        for span in doc.ents:
            if span.label_ == "TIME":
                # a claimant in the same sentence decides the zone of its times
                # (a wire story quotes Moscow and Kyiv side by side)
                local_zone = claimant_zone.get(sentences.start(span), zone)
                period = self._period(span, published, local_zone)
                values[attributes.span_key(span.start_char, span.end_char)] = period
                if period["start"] and _YEAR.search(span.text):
                    dated_by_sentence.setdefault(sentences.start(span), span)
        for span in doc.ents:
            key = attributes.span_key(span.start_char, span.end_char)
            dated = dated_by_sentence.get(sentences.start(span)) if span.label_ == "TIME" else None
            if dated is None or dated is span or values[key]["start"] or values[key]["end"]:
                continue
            # "On March 3, 2025, ... between 23:00 and 07:00": the sentence's full date
            # dates a window that cannot be placed on its own
            local_zone = claimant_zone.get(sentences.start(span), zone)
            dated_text = _LEADING_PREPOSITION.sub("", dated.text)
            start, end = resolve_period(
                f"{span.text} on {dated_text}", published=published, tz=local_zone
            )
            if start is not None or end is not None:
                values[key] = {
                    "start": start.isoformat() if start else None,
                    "end": end.isoformat() if end else None,
                }
        doc._.skytally_values = values
        return doc

    def _value(self, span: Span, text: str) -> dict[str, Any] | None:
        """The value of one span; `text` is the Doc's text, built once per Doc
        (`doc.text` joins every token again on each call)."""
        label = span.label_
        if label == "COUNT":
            parsed = parse_count(span.text)
            if parsed is None:
                return None
            value: dict[str, Any] = {"value": parsed[0], "qualifier": parsed[1].value}
            upper = range_upper(span.text)
            if upper is not None:
                value["upper"] = upper
            return value
        if label == "WEAPON":
            return {"category": categorize(span.text).value}
        if label == "PLACE":
            entry = self.gazetteer.lookup(span.text)
            if entry is None and span.text.endswith("s"):
                # "the Belgorod and Voronezh regions": the last name carries the plural
                entry = self.gazetteer.lookup(span.text[:-1])
            if entry is None:
                return {"code": None, "name": span.text, "kind": "region"}
            if entry.kind == "region" and _named_as_city(span):
                # "the city of Voronezh", "Voronezh city": the regional capital, in
                # its region
                return {"code": entry.code, "name": span.text, "kind": "city"}
            return {"code": entry.code, "name": entry.name, "kind": entry.kind}
        if label == "CLAIMANT":
            info = claimant_info(span.text)
            regional = info.regional or _regional_title(span)
            return {"name": info.name, "country": info.country, "regional": regional}
        if label == "OUTCOME":
            outcome = outcome_of_phrase(span.text)
            if outcome is Outcome.HIT and WITH_AFTER.match(text, span.end_char):
                # "struck Kharkiv with 12 drones": the attacker's launch, not a hit
                outcome = Outcome.LAUNCHED
            before = text[max(0, span.start_char - 40) : span.start_char]
            clause = text[max(0, span.start_char - 120) : span.start_char]
            if (
                outcome is Outcome.DESTROYED
                and EW_BEFORE.search(before)
                and not AIR_DEFENCE.search(clause.rsplit(".", 1)[-1])
            ):
                # "electronic warfare brought down a drone": jammed, not shot down
                outcome = Outcome.SUPPRESSED
            return {"value": outcome.value} if outcome else None
        return None

    def _resolve_role_claimants(self, doc: Doc, values: dict[str, Any]) -> None:
        """ "the mayor", "the governor" name the official the article named before
        ("Moscow Mayor Sergei Sobyanin ... according to the mayor's posts")."""
        last_official: dict[str, Any] | None = None
        for span in doc.ents:
            if span.label_ != "CLAIMANT":
                continue
            value = values.get(attributes.span_key(span.start_char, span.end_char))
            if value is None:
                continue
            if value["name"].lower() in ROLE_NAMES:
                if last_official is not None:
                    value.update(name=last_official["name"], country=last_official["country"])
                value["regional"] = True
            elif value.get("regional"):
                last_official = value

    def _capital(self, text: str, zone: ZoneInfo) -> dict[str, Any]:
        """ "the capital" is Moscow in a report read in Moscow time, Kyiv in one read
        in Kyiv time, unless the words say whose capital."""
        lowered = text.lower()
        country = (
            "RU"
            if "russian" in lowered
            else "UA"
            if "ukrainian" in lowered
            else "UA"
            if zone.key == KYIV.key
            else "RU"
        )
        entry = self.gazetteer.lookup(CAPITAL_OF[country])
        assert entry is not None, CAPITAL_OF[country]
        return {"code": entry.code, "name": entry.name, "kind": entry.kind}

    def _zone(self, claimants: Counter[str], places: Counter[str]) -> ZoneInfo:
        for votes in (claimants, places):
            ranked = [c for c, _ in votes.most_common() if c in ZONE_OF_COUNTRY]
            if ranked:
                return ZONE_OF_COUNTRY[ranked[0]]
        return self.default_zone

    def _period(
        self, span: Span, published: date | datetime | None, zone: ZoneInfo
    ) -> dict[str, Any]:
        # a zone written in the expression wins inside resolve_period
        start, end = resolve_period(span.text, published=published, tz=zone)
        return {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        }


@Language.factory(
    "skytally_normalizer",
    requires=["doc.ents"],
    assigns=["doc._.skytally_values", "doc._.time_zone"],
    default_config={"gazetteer_path": None, "default_zone": "Europe/Moscow"},
)
def make_normalizer(
    nlp: Language, name: str, *, gazetteer_path: str | None, default_zone: str
) -> Normalizer:
    return Normalizer(name, gazetteer_path=gazetteer_path, default_zone=default_zone)
