"""`skytally_entities`: rule-based entity stage.

Finds COUNT, WEAPON, PLACE, TIME, CLAIMANT and OUTCOME spans and writes them
to `doc.ents`. Places come from the gazetteer (a PhraseMatcher over every
alias), weapons, numbers and times from the pattern modules, claimants and
outcome words from `skytally.lexicon`.

A number is only a COUNT when its context says it counts weapons in an
interception claim; everything else (casualties, production, war-long
tallies) is left alone, so the linker never sees it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Pipe
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from ..errors import Errors, InputError
from ..gazetteer import ConfiguredGazetteer, Gazetteer
from ..lexicon import CLAIMANT_PATTERN, OUTCOME_PATTERN
from ..numbers import find_numbers
from ..schema import WeaponCategory
from ..times import find_time_expressions
from ..weapons import categorize, find_weapons
from ..wordlists import word_lists
from . import attributes
from .sentences import SentenceIndex

# Overlaps are settled by priority, then length: a claimant like "Kyiv City
# Military Administration" must win over the place "Kyiv" inside it.
# the vocabulary of the rules below: data/entity_words.json
_WORDS = word_lists("entity_words")
PRIORITY = {"CLAIMANT": 5, "TIME": 4, "WEAPON": 3, "PLACE": 3, "OUTCOME": 2, "COUNT": 1}

DESIGNATORS = frozenset(_WORDS["designators"])
DESIGNATOR_MODIFIERS = frozenset(_WORDS["designator_modifiers"])
# "Moscow time", "Black Sea Fleet": a place name that is not a place here
NOT_A_PLACE_AFTER = frozenset(_WORDS["not_a_place_after"])
UNKNOWN_REGION = re.compile(
    r"\b(?P<stem>[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)"
    r"\s+(?:Oblast|oblast|Region|region|Krai|krai|Republic)\b"
)
# "the capital", "the Russian capital": a place named by its role; which city it is
# the normaliser decides from the article (docs/conventions.md, Places)
CAPITAL = re.compile(
    r"(?<=\bthe )(?:(?:Russian|Ukrainian)\s+)?capital\b"
    r"(?!\s+(?:punishment|letters?|investments?|markets?|gains?|expenditure|flight)\b)",
    re.IGNORECASE,
)
NOT_THE_CAPITAL_AFTER = re.compile(r"\b(?:near|outside|beyond|from|nearby)\s+the\s+$", re.I)


@cache
def not_counted() -> dict[str, frozenset[str]]:
    """The word lists of `data/not_counted.json`."""
    data = json.loads((files("skytally") / "data" / "not_counted.json").read_text("utf-8"))
    return {key: frozenset(data[key]) for key in ("nouns_after", "words_before")}


FUNCTION_WORDS = frozenset(_WORDS["function_words"])
NOT_A_REGION_STEM = frozenset(_WORDS["not_a_region_stem"])
# A bare number followed by one of these can still be a count ("nine were
# intercepted", "45 over Belgorod", "ten, four and two respectively").
FOLLOW_WORDS = frozenset(_WORDS["follow_words"])
ANOTHER_WORDS = frozenset(_WORDS["another_words"])
DETERMINER_BREAKS = frozenset(_WORDS["determiner_breaks"])
# "wounding three", "killed two": people, not weapons
CASUALTY_WORDS = frozenset(_WORDS["casualty_words"])
BRIDGE_STOP = frozenset(_WORDS["bridge_stop"])
DETERMINER_COUNT = re.compile(
    r"\b(?P<det>[Aa]\s+(?:second|third|fourth|fifth)|[Aa]n?|[Aa]nother|[Oo]ne\s+more|[Bb]oth"
    r"|[Aa]\s+single|[Aa]\s+further)\b"
)
LIST_MEMORY = 3
# an air force table line: "Iskander-M ballistic missiles – 18 (12);"
TABLE_LINE = re.compile(r"\d\s*\(\s*\d+\s*\)")
SITE_WORDS = frozenset(_WORDS["site_words"])
DEBRIS_WORDS = frozenset(_WORDS["debris_words"])
CASUALTY_CONTEXT = re.compile(
    r"\b(?:people|injured|killed|wounded|died|dead|hospital|residents|children|civilians)\b",
    re.IGNORECASE,
)
# drones seen, not claimed: "two more drones were spotted over the district"
SIGHTING = re.compile(
    r"\b(?:spotted|sighted|observed|detected|seen|tracked|recorded\s+flying)\b", re.I
)
COMPARISON_BEFORE = re.compile(
    r"\b(?:most|largest|biggest|highest|heaviest|greatest|worst|record|first\s+time)\b[^.]*$",
    re.IGNORECASE,
)
DISTRACTOR_CONTEXT = re.compile(
    r"\b(?:produc(?:e|es|ed|ing)\b|production\s+(?:of|capacity|rate|target|line)|"
    # making drones, not "bombs of French manufacture"
    r"manufactur(?:es|ed|ing|ers?)\b|(?:can|could|will|to)\s+manufacture\b|annually|per\s+(?:year|month|day)|a\s+year|a\s+month|"
    r"capacity|(?:per|each)\s+night|\ba\s+day\b(?!\s+(?:earlier|later|after|before))|"
    r"since\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|\ba\s+night\b(?!\s+of)|monthly|weekly\s+average|on\s+average|average\s+of|"
    r"since\s+(?:the\s+(?:start|beginning|outset|full-scale|autumn|spring|summer|winter|special\s+military\s+operation|SMO\b)|20\d\d|(?:January|February|March|"
    r"April|May|June|July|August|September|October|November|December)\s+20\d\d)|"
    r"(?:throughout|during|over|over\s+the\s+course\s+of)\s+the\s+(?:full-scale\s+|whole\s+|entire\s+)?(?:war|invasion|conflict)|"
    r"in\s+total\s+since|"
    r"to\s+date|all\s+told\s+since|cumulative|"
    r"(?:destroyed|hit|struck)\s+on\s+the\s+ground|on\s+the\s+ground\s+(?:at|were|was))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # character offsets
    end: int
    label: str


#: what the ruler does with entities an earlier component set (`existing_ents`)
EXISTING_ENTS = ("overwrite", "keep", "add")


class EntityRuler(Pipe):
    """Rule-based recogniser for the six skytally entity labels."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        gazetteer_path: str | None,
        max_bridge_tokens: int,
        existing_ents: str,
        existing_labels: list[str] | None = None,
        scorer: Callable[..., dict[str, Any]] | None,
    ) -> None:
        if existing_ents not in EXISTING_ENTS:
            raise InputError(
                Errors.E006.format(
                    name="skytally_entities existing_ents",
                    allowed=" or ".join(repr(m) for m in EXISTING_ENTS),
                    value=existing_ents,
                )
            )
        self.name = name
        self.existing_ents = existing_ents
        self.existing_labels = None if existing_labels is None else set(existing_labels)
        self.max_bridge_tokens = max_bridge_tokens
        self.places = ConfiguredGazetteer(name, gazetteer_path)
        self.vocab = nlp.vocab
        self._make_doc = nlp.make_doc
        self._match_places()
        self.scorer = scorer
        attributes.register()

    @property
    def gazetteer(self) -> Gazetteer:
        return self.places.gazetteer

    def _match_places(self) -> None:
        """The phrase matcher over the gazetteer's aliases (again after `from_disk`)."""
        self.place_matcher = PhraseMatcher(self.vocab, attr="LOWER")
        aliases = [alias for alias, _ in self.gazetteer.aliases()]
        # "the Starodubsky municipal district": the adjective stem of a district
        # name is matched too, and the designator after it is taken in below
        stems = {
            alias.rsplit(" ", 1)[0]
            for alias, entry in self.gazetteer.aliases()
            if entry.kind == "district"
            and alias.lower().endswith(" district")
            and re.search(r"(?:sky|skiy|skyi|ski|skoy|tsky)$", alias.rsplit(" ", 1)[0].lower())
        }
        patterns = [self._make_doc(alias) for alias in sorted({*aliases, *stems})]
        self.place_matcher.add("PLACE", patterns)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.places.to_disk(Path(path))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> EntityRuler:
        if self.places.from_disk(Path(path)):
            self._match_places()
        return self

    def __call__(self, doc: Doc) -> Doc:
        self.places.check()
        text = doc.text
        found: list[Candidate] = []
        found += [Candidate(s, e, "TIME") for s, e in find_time_expressions(text)]
        # the named group that closed last is the claimant itself (a title is left out)
        found += [
            Candidate(m.start(m.lastgroup or 0), m.end(m.lastgroup or 0), "CLAIMANT")
            for m in CLAIMANT_PATTERN.finditer(text)
        ]
        found += [Candidate(w.start, w.end, "WEAPON") for w in find_weapons(text)]
        found += self._places(doc)
        found += [Candidate(m.start(), m.end(), "OUTCOME") for m in OUTCOME_PATTERN.finditer(text)]
        spans = self._resolve(doc, found)
        counts = self._counts(doc, spans)
        spans = self._resolve(doc, [*spans_to_candidates(spans), *counts])
        spans = self._drop_stray_outcomes(doc, spans)
        doc.ents = self._merge(list(doc.ents), spans)
        return doc

    def _merge(self, existing: list[Span], found: list[Span]) -> list[Span]:
        """The rule entities, with the entities an earlier component (spaCy's `ner`) set:
        'overwrite' drops those, 'keep' keeps them and adds the rule entities that
        overlap none, 'add' keeps the rule entities and adds those that overlap none.
        Only the existing entities with a label in `existing_labels` (all when None)
        take part."""
        if self.existing_labels is not None:
            existing = [span for span in existing if span.label_ in self.existing_labels]
        if self.existing_ents == "overwrite" or not existing:
            return found
        first, second = (existing, found) if self.existing_ents == "keep" else (found, existing)
        taken = {i for span in first for i in range(span.start, span.end)}
        merged = [*first, *(s for s in second if not taken & set(range(s.start, s.end)))]
        return sorted(merged, key=lambda span: span.start)

    def _places(self, doc: Doc) -> list[Candidate]:
        found: list[Candidate] = []
        for _, start, end in self.place_matcher(doc):
            # "Belgorod" + "region" -> the whole designation is the mention
            if (
                end + 1 < len(doc)
                and doc[end].lower_ in DESIGNATOR_MODIFIERS
                and doc[end + 1].lower_ in DESIGNATORS
            ):
                end += 2  # "the Starodubsky municipal district"
            elif end < len(doc) and doc[end].lower_ in DESIGNATORS:
                end += 1
            elif end < len(doc) and doc[end].lower_ in NOT_A_PLACE_AFTER:
                continue
            found.append(Candidate(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "PLACE"))
        # characters the gazetteer's places cover, to test overlap in constant time
        known = {i for c in found for i in range(c.start, c.end)}
        text = doc.text
        for match in UNKNOWN_REGION.finditer(text):
            stem = match["stem"]
            if stem.split()[0] in NOT_A_REGION_STEM or stem.split()[0].lower() in FUNCTION_WORDS:
                continue
            if any(i in known for i in range(match.start(), match.end())):
                continue  # the gazetteer knows this place
            found.append(Candidate(match.start(), match.end(), "PLACE"))
        found += [
            Candidate(m.start(), m.end(), "PLACE")
            for m in CAPITAL.finditer(text)
            # "Kaluga Oblast, located near the capital": a description, not a place named
            if not NOT_THE_CAPITAL_AFTER.search(text[max(0, m.start() - 16) : m.start()])
        ]
        return found

    def _resolve(self, doc: Doc, candidates: Iterable[Candidate]) -> list[Span]:
        """Token-aligned, non-overlapping spans, higher priority and longer first."""
        ordered = sorted(
            candidates, key=lambda c: (-PRIORITY[c.label], -(c.end - c.start), c.start)
        )
        taken = bytearray(len(doc))
        kept: list[Span] = []
        for candidate in ordered:
            span = doc.char_span(
                candidate.start, candidate.end, candidate.label, alignment_mode="expand"
            )
            if span is None or len(span) == 0:
                continue
            if any(taken[span.start : span.end]):
                continue
            taken[span.start : span.end] = b"\x01" * len(span)
            kept.append(span)
        return sorted(kept, key=lambda s: s.start)

    def _counts(self, doc: Doc, spans: list[Span]) -> list[Candidate]:
        label_at: dict[int, Span] = {}
        for span in spans:
            for i in range(span.start, span.end):
                label_at[i] = span
        accepted: list[Candidate] = []
        # a breakdown may continue as verbless lines ("Kaluga region – 11")
        # a few sentences after the claim that introduced it
        since_count = LIST_MEMORY + 1
        for sent in doc.sents:
            sent_spans = [s for s in spans if sent.start <= s.start < sent.end]
            has_outcome = any(s.label_ == "OUTCOME" for s in sent_spans)
            has_anchor = any(s.label_ in ("PLACE", "WEAPON") for s in sent_spans)
            since_count += 1
            if self._tally_context(sent.text):
                continue
            allowed = (
                has_outcome
                or (has_anchor and TABLE_LINE.search(sent.text))
                or (
                    since_count <= LIST_MEMORY
                    and has_anchor
                    and not SIGHTING.search(sent.text)
                    and not CASUALTY_CONTEXT.search(sent.text)
                )
            )
            in_sentence: list[Candidate] = []
            if allowed:
                in_sentence += self._number_counts(doc, sent, label_at)
                if has_outcome:
                    in_sentence += self._determiner_counts(doc, sent, label_at)
            accepted += in_sentence
            if in_sentence:
                since_count = 0
        return accepted

    def _tally_context(self, text: str) -> bool:
        """A sentence about production, averages or war-long totals. "The most since
        the full-scale invasion" compares one night with the war: still a claim."""
        for match in DISTRACTOR_CONTEXT.finditer(text):
            if not COMPARISON_BEFORE.search(text[max(0, match.start() - 40) : match.start()]):
                return True
        return False

    def _number_counts(self, doc: Doc, sent: Span, label_at: dict[int, Span]) -> list[Candidate]:
        found: list[Candidate] = []
        offset = sent.start_char
        matches = find_numbers(sent.text)
        merged: list[tuple[int, int]] = []
        index = 0
        while index < len(matches):
            match = matches[index]
            start, end = match.start + offset, match.end + offset
            # "nine out of nine" is one count; "seven out of nine" stays two
            if index + 1 < len(matches):
                following = matches[index + 1]
                between = sent.text[match.end : following.start].strip().lower()
                if (
                    between in ("out of", "of")
                    and following.value == match.value
                    and match.value > 1
                ):
                    end = following.end + offset
                    index += 1
            merged.append((start, end))
            index += 1
        for start, end in merged:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or any(i in label_at for i in range(span.start, span.end)):
                continue
            if self._one_of_the_most(doc, span) or self._pronoun_one(doc, span):
                continue
            if span.start > 0 and doc[span.start - 1].lower_ in CASUALTY_WORDS:
                continue
            if self._not_weapons(doc, span):
                continue
            if self._launch_platform(doc, span, label_at):
                continue
            if self._counts_weapons(doc, span, label_at, sent):
                found.append(Candidate(span.start_char, span.end_char, "COUNT"))
        return found

    def _one_of_the_most(self, doc: Doc, span: Span) -> bool:
        """ "one of the largest drone attacks", "one of Russia's largest
        refineries": a superlative, not a count."""
        following = [t.lower_ for t in doc[span.end : span.end + 5]]
        return (
            span.text.lower() == "one"
            and following[:1] == ["of"]
            and any(w.endswith("est") or w in {"most", "few", "many"} for w in following[1:])
        )

    def _pronoun_one(self, doc: Doc, span: Span) -> bool:
        """ "calling the attack a massive one": the pronoun, not a count."""
        before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
        return span.text.lower() == "one" and bool(
            set(before) & {"a", "an", "the", "this", "every", "each"}
        )

    def _not_weapons(self, doc: Doc, span: Span) -> bool:
        """Places and people counted next to a claim: "debris fell at 33 more",
        "at ten locations", "a family of four", "three fires", "day 457"."""
        before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
        after = doc[span.end].lower_ if span.end < len(doc) else ""
        listed = not_counted()
        if after in listed["nouns_after"] or (before[-1:] and before[-1] in listed["words_before"]):
            return True
        if before[-1:] in (["at"], ["in"]) and (
            after in SITE_WORDS or not after or doc[span.end].is_punct
        ):
            return True  # "debris fell at 33 more", "and in four more"
        following = {t.lower_ for t in doc[span.end : span.end + 3]}
        if following & CASUALTY_WORDS and not following & {"drones", "drone", "uavs"}:
            return True  # "three were wounded"
        return before[-2:-1] in (["family"], ["crew"], ["group"]) and before[-1:] == ["of"]

    def _launch_platform(self, doc: Doc, span: Span, label_at: dict[int, Span]) -> bool:
        """ "missiles from ten Tu-95MS": the aircraft that fired, not a claim."""
        if span.start == 0 or doc[span.start - 1].lower_ not in ("from", "by", "aboard"):
            return False
        weapon = label_at.get(span.end)
        return (
            weapon is not None
            and weapon.label_ == "WEAPON"
            and (categorize(weapon.text) is WeaponCategory.AIRCRAFT)
        )

    def _counts_weapons(self, doc: Doc, span: Span, label_at: dict[int, Span], sent: Span) -> bool:
        """Does the number count weapons? Either a weapon follows it within a
        few words ("six U.S.-made ATACMS missiles", "17 intercepted drones"),
        or it stands alone before a preposition, verb or punctuation ("nine
        were intercepted", "45 over Belgorod", "83 of them")."""
        position = span.end
        steps = 0
        while position < sent.end and steps <= self.max_bridge_tokens:
            entity = label_at.get(position)
            if entity is not None:
                if entity.label_ == "WEAPON":
                    return True
                if entity.label_ == "OUTCOME":
                    if steps == 0:
                        return True  # "45 shot down over ...", "nine downed drones"
                    position, steps = entity.end, steps + 1
                    continue
                if entity.label_ == "PLACE":
                    position, steps = entity.end, steps + 1  # "45 Ukraine drones"
                    continue
                break
            token = doc[position]
            if (
                token.like_num
                or token.lower_ in BRIDGE_STOP
                or (token.is_punct and token.text not in {"-", "'", "’", "."})
            ):
                break
            position += 1
            steps += 1
        position = span.end
        while position < sent.end and doc[position].lower_ in ANOTHER_WORDS:
            position += 1  # "two more falling near Voronezh"
        if position >= sent.end:
            return True  # the number ends the sentence: "the Moscow region accounted for 11."
        token = doc[position]
        entity = label_at.get(position)
        if entity is not None and entity.label_ in ("TIME", "OUTCOME", "CLAIMANT"):
            return True
        if token.lower_ == "of":
            # "83 of them", "11 of 17", "four of the seven"; not "two of its gas facilities"
            after = doc[position + 1 : min(position + 3, sent.end)]
            return bool(after) and (
                after[0].lower_ in {"them", "these", "those", "which", "whom"}
                or after[0].like_num
                or (after[0].lower_ == "the" and len(after) > 1 and after[1].like_num)
            )
        return token.is_punct or token.is_space or token.lower_ in FOLLOW_WORDS

    def _determiner_counts(
        self, doc: Doc, sent: Span, label_at: dict[int, Span]
    ) -> list[Candidate]:
        """ "a drone", "another UAV", "both were downed": counts without digits."""
        found: list[Candidate] = []
        offset = sent.start_char
        for match in DETERMINER_COUNT.finditer(sent.text):
            span = doc.char_span(
                match.start() + offset, match.end() + offset, alignment_mode="expand"
            )
            if span is None or any(i in label_at for i in range(span.start, span.end)):
                continue
            if {t.lower_ for t in doc[max(sent.start, span.start - 3) : span.start]} & DEBRIS_WORDS:
                continue  # "debris from a downed drone fell on a house": damage, not a claim
            if self._determines_weapon(doc, span, sent, label_at) or (
                match["det"].lower() == "both"
                and span.end < sent.end
                and (
                    doc[span.end].lower_ in ("were", "was", "of", "had", "have")
                    or (span.end in label_at and label_at[span.end].label_ == "OUTCOME")
                )
            ):
                found.append(Candidate(span.start_char, span.end_char, "COUNT"))
        return found

    def _determines_weapon(
        self, doc: Doc, span: Span, sent: Span, label_at: dict[int, Span]
    ) -> bool:
        # the determiner must belong to the weapon's own noun phrase: at most
        # three plain words ("a Ukrainian Armed Forces drone") in between
        position = span.end
        while position < min(span.end + 5, sent.end):
            entity = label_at.get(position)
            if entity is not None and entity.label_ == "OUTCOME":
                position = entity.end  # "a downed UAV", "an intercepted drone"
                continue
            if entity is not None:
                return entity.label_ == "WEAPON"
            token = doc[position]
            if (
                token.like_num
                or (token.is_punct and token.text != "-")
                or token.lower_ in DETERMINER_BREAKS
            ):
                return False  # "an attack by Ukrainian drones" counts an attack, not drones
            position += 1
        return False

    def _drop_stray_outcomes(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Outcome words only matter next to a count or a weapon: "hit" in a
        sentence about a power plant is not a trigger."""
        sentences = SentenceIndex(doc)
        keep_sentences: set[int] = set()
        for span in spans:
            if span.label_ in ("COUNT", "WEAPON"):
                keep_sentences.add(sentences.start(span))
        return [
            s
            for s in spans
            if s.label_ != "OUTCOME"
            or (
                sentences.start(s) in keep_sentences
                and not self._launches_something_else(doc, s, spans)
            )
        ]

    def _launches_something_else(self, doc: Doc, outcome: Span, spans: list[Span]) -> bool:
        """ "launched an incursion", "launched a counteroffensive": not a weapon."""
        if outcome.text.lower() not in ("launched", "launch", "launches", "launching"):
            return False
        end = min(outcome.end + 3, len(doc))
        following = doc[outcome.end : end]
        weapons_or_counts = any(
            s.label_ in ("WEAPON", "COUNT") and outcome.end <= s.start < end for s in spans
        )
        return (
            len(following) >= 2
            and following[0].lower_ in ("a", "an", "the", "its")
            and not weapons_or_counts
            and not any(t.like_num for t in following)
        )

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return self.scorer(examples, **kwargs) if self.scorer else {}


def spans_to_candidates(spans: Iterable[Span]) -> list[Candidate]:
    return [Candidate(s.start_char, s.end_char, s.label_) for s in spans]


def score_entities(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """spaCy's NER scores: ents_p, ents_r, ents_f and ents_per_type."""
    return get_ner_prf(examples, **kwargs)


@registry.scorers("skytally.entity_scorer.v1")
def make_entity_scorer() -> Callable[..., dict[str, Any]]:
    return score_entities


@Language.factory(
    "skytally_entities",
    assigns=["doc.ents", "token.ent_type", "token.ent_iob"],
    default_config={
        "gazetteer_path": None,
        "max_bridge_tokens": 3,
        "existing_ents": "overwrite",
        "existing_labels": None,
        "scorer": {"@scorers": "skytally.entity_scorer.v1"},
    },
)
def make_entity_ruler(
    nlp: Language,
    name: str,
    *,
    gazetteer_path: str | None,
    max_bridge_tokens: int,
    existing_ents: str,
    existing_labels: list[str] | None,
    scorer: Callable[..., dict[str, Any]] | None,
) -> EntityRuler:
    return EntityRuler(
        nlp,
        name,
        gazetteer_path=gazetteer_path,
        max_bridge_tokens=max_bridge_tokens,
        existing_ents=existing_ents,
        existing_labels=existing_labels,
        scorer=scorer,
    )
