"""`skytally_linker`: rule-based relations from each COUNT to its evidence.

For every COUNT it decides the outcome word, weapon, place(s), heading-to
place, time, claimant and the total it is part of, and writes them to
`doc._.links` as rows `[head_start, head_end, child_start, child_end,
label, score]` (character offsets). `doc._.count_info` keeps what is not a
link to a span: an outcome no word states ("11 of 17" -> 17 launched), and
the confidence of readings that were a guess.

The rules follow the way claims are written: an outcome verb next to its
number; a place introduced by a locative preposition after the number, or
the subject before it; a total followed by its breakdown, whose numbers
must fit inside it; "each", "respectively" and sums that pin down a list.
This is the baseline that the trainable relation component has to beat.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..furniture import furniture_lines
from ..times import parse_published
from ..wordlists import word_lists
from . import attributes
from .decoder import make_relation_scorer  # noqa: F401  (registers the linker's scorer)
from .sentences import SentenceIndex

# the vocabulary of the rules below: data/linking_words.json
_WORDS = word_lists("linking_words")
LOCATIVE = frozenset(_WORDS["locative"])
LAUNCH_SITE = frozenset(_WORDS["launch_site"])
HEADING = frozenset(_WORDS["heading"])
# words between a locative and its place: "over the left bank of the Kherson region",
# "over the city of Voronezh"
PLACE_FILLER = frozenset(_WORDS["place_filler"])
BOUND_WORDS = frozenset(_WORDS["bound_words"])
REPORTING_VERBS = frozenset(_WORDS["reporting_verbs"])
NIGHT_WORDS = frozenset(_WORDS["night_words"])
REPORTING_NOUNS = frozenset(_WORDS["reporting_nouns"])
AUXILIARY = frozenset(_WORDS["auxiliary"])
SUBSET_CUES = tuple(tuple(words) for words in _WORDS["subset_cues"])
EACH_WORDS = frozenset(_WORDS["each_words"])
LIST_MARKS = frozenset({":", "–", "—", "-", "•", "*"})
OWNED_AGENTS = frozenset(_WORDS["owned_agents"])
HIT_VERBS = frozenset(_WORDS["hit_verbs"])
HISTORY_WORDS = frozenset(_WORDS["history_words"])
FORCE_WORDS = frozenset(_WORDS["force_words"])
#: words before a count that make it the sum of the counts reported before it
RUNNING_TOTAL_CUES = tuple(_WORDS["running_total_cues"])
#: a time that ended this long before publication is background, not a claim's period
BACKGROUND_AGE = timedelta(days=3)
ANOTHER_WORDS = frozenset(_WORDS["another_words"])
NEGATIONS = frozenset(_WORDS["negations"])
CLAUSE_BREAKS = frozenset({";", ":", "—", "–"})
COUNTRY_CODES = frozenset({"RU", "UA"})
MONTHS = frozenset(_WORDS["months"])
CLOCK = re.compile(r"\d{1,2}[:.]\d{2}|\d{1,2}\s*[ap]\.?m\b", re.IGNORECASE)
GENERIC_PLACES = dict(_WORDS["generic_places"])
ADVERBS = frozenset(_WORDS["adverbs"])
PLACE_CLAUSE_BREAKS = frozenset(_WORDS["place_clause_breaks"])
LIST_JOINERS = frozenset(_WORDS["list_joiners"])
PASSIVE_AUXILIARY = frozenset(_WORDS["passive_auxiliary"])
CLAUSE_MARKERS = frozenset(_WORDS["clause_markers"])
# "more than 60 drones, with the largest number over the Voronezh region":
# the place belongs to an unnamed part of the count, not to the count
PART_WORDS = frozenset(_WORDS["part_words"])
COORDINATORS = frozenset(_WORDS["coordinators"])


class EntitiesBySentence(dict[int, list[Span]]):
    """A Doc's entities by sentence number, with the sentences that hold each label
    found once: a search back through every sentence for each count would grow
    with the square of the text. Built per Doc, never kept on the component."""

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc = doc
        self._holders: dict[str, list[int]] = {}

    def holders(self, label: str) -> list[int]:
        if label not in self._holders:
            self._holders[label] = sorted(
                index for index, ents in self.items() if any(e.label_ == label for e in ents)
            )
        return self._holders[label]


@dataclass(eq=False)
class CountNode:
    span: Span
    value: int
    qualifier: str
    sentence: int
    outcome_span: Span | None = None
    outcome: str | None = None  # own outcome, from a word or implied
    weapon: Span | None = None
    places: list[Span] = field(default_factory=list)
    each: bool = False
    ambiguous_places: bool = False
    unpairable: bool = False
    heading: Span | None = None
    time: Span | None = None
    claimant: Span | None = None
    parent: CountNode | None = None
    children: list[CountNode] = field(default_factory=list)
    context_claimant: Span | None = None
    outcome_from: CountNode | None = None  # "11 of 17 ... intercepted": the verb after the whole
    restates: CountNode | None = None  # "of the seven": a count already reported
    places_after: bool = False  # the places were named after the count
    regional_speaker: bool = False  # a governor, mayor or city administration speaks
    list_total: bool = False  # "30 drones over A, B and C, with 15, 10 and 5 respectively"
    subset_cue: bool = False
    among_cue: bool = False
    continuation_cue: bool = False
    confidence: float = 0.9

    @property
    def weight(self) -> int:
        """How much of its total this count uses up ("two each over A and B" = 4)."""
        return self.value * (len(self.places) if self.each and self.places else 1)

    def fits(self, total: CountNode) -> bool:
        used = sum(child.weight for child in total.children)
        limit = total.value if total.qualifier == "exact" else int(total.value * 1.5) + 2
        return used + self.weight <= limit


class Linker(Pipe):
    #: set on the per-Doc copy only (see __call__)
    sents: SentenceIndex

    def __init__(
        self,
        name: str,
        *,
        max_outcome_distance: int,
        max_place_distance: int,
        total_memory_sentences: int,
        scorer: Callable[..., dict[str, Any]] | None,
    ) -> None:
        self.name = name
        self.max_outcome_distance = max_outcome_distance
        self.max_place_distance = max_place_distance
        self.total_memory_sentences = total_memory_sentences
        self.scorer = scorer
        attributes.register()

    # ------------------------------------------------------------------ run
    def __call__(self, doc: Doc) -> Doc:
        # the passes share the Doc's sentence index; they run on a copy of the
        # component made for this Doc, so the component itself keeps no state of
        # any Doc (nlp.pipe, threads and worker processes all see it unchanged)
        run = copy.copy(self)
        run.sents = SentenceIndex(doc)
        return run._link(doc)

    def _link(self, doc: Doc) -> Doc:
        values = doc._.skytally_values or {}
        sentences = [doc[start:end] for start, end in self.sents.bounds]
        sentence_of = self.sents.number
        # captions and links to other stories state no claim of this article
        furniture = furniture_lines(doc.text)
        furniture_counts: list[Span] = []
        ents_by_sentence = EntitiesBySentence(doc)
        stated: list[Span] = []
        for ent in doc.ents:
            if any(start <= ent.start_char < end for start, end in furniture):
                if ent.label_ == "COUNT":
                    furniture_counts.append(ent)
                continue
            stated.append(ent)
            ents_by_sentence.setdefault(sentence_of[ent.start], []).append(ent)

        nodes: list[CountNode] = []
        for ent in stated:
            value = values.get(attributes.span_key(ent.start_char, ent.end_char))
            if ent.label_ == "COUNT" and value:
                nodes.append(
                    CountNode(ent, value["value"], value["qualifier"], sentence_of[ent.start])
                )
        consumed_places: set[int] = set()
        for index, sent in enumerate(sentences):
            sent_nodes = [n for n in nodes if n.sentence == index]
            if not sent_nodes:
                continue
            ents = ents_by_sentence.get(index, [])
            self._link_of_pairs(doc, sent_nodes, [n for n in nodes if n.sentence < index])
            for node in sent_nodes:
                self._link_outcome(doc, node, sent_nodes, ents)
                self._link_weapon(doc, node, sent_nodes, ents)
            self._share_coordinated_outcomes(doc, sent_nodes, ents)
            self._share_list_weapon(doc, sent_nodes)
            for node in sent_nodes:
                self._link_claimant(node, ents)
                speaker = node.claimant or self._nearby(
                    index, ents_by_sentence, "CLAIMANT", ahead=0
                )
                node.regional_speaker = speaker is not None and bool(
                    (
                        values.get(attributes.span_key(speaker.start_char, speaker.end_char)) or {}
                    ).get("regional")
                )
                self._link_places(doc, node, sent_nodes, ents, values, consumed_places)
                self._link_time(node, ents)
                self._read_cues(doc, node)
            self._share_coordinated_places(doc, sent_nodes)
            for node in sent_nodes:
                self._resolve_pronoun_count(doc, node, ents_by_sentence.get(index - 1, []), values)
            self._pair_respectively(doc, sent, sent_nodes, ents, values)
        for node in nodes:
            # who speaks for this count, even when its own sentence names nobody;
            # compared when deciding whether a count belongs to someone else's total
            node.context_claimant = node.claimant or self._nearby(
                node.sentence, ents_by_sentence, "CLAIMANT", ahead=2
            )
        self._link_totals(nodes, values)
        self._gather_running_totals(nodes, values)
        self._settle_ambiguous_lists(nodes)
        background = self._background_times(doc, values)
        self._fallback_context(nodes, sentences, ents_by_sentence, background)
        self._default_regional_place(doc, nodes, values)
        self._write(doc, nodes, furniture_counts)
        return doc

    # ----------------------------------------------------------- outcomes
    def _link_outcome(
        self, doc: Doc, node: CountNode, sent_nodes: list[CountNode], ents: list[Span]
    ) -> None:
        """The count's own outcome word: the verb right after it ("57 were shot
        down", "97 Shaheds launched"), else the nearest one before it that no
        other count stands in front of ("destroyed 98 drones")."""
        if node.outcome is not None:
            return
        right, left = self._outcome_candidates(node, sent_nodes, ents)
        if not right and node.outcome_from is not None:
            # "destroyed 44 of the 61 drones launched overnight": the verb before
            # the part; else the verb after the whole ("11 of 17 ... were intercepted"),
            # but never the launch that describes the whole
            whole_right, _ = self._outcome_candidates(node.outcome_from, sent_nodes, ents)
            after = [o for o in whole_right if self._outcome_value(doc, o) != "launched"]
            adjacent = [o for o in left if self._adjacent_left(doc, o, node.span)]
            chosen = adjacent[-1] if adjacent else (after[0] if after else None)
            if chosen is not None:
                node.outcome_span = chosen
                node.outcome = self._outcome_value(doc, chosen)
                return
        chosen: Span | None = None
        adjacent_left = bool(left) and self._adjacent_left(doc, left[-1], node.span)
        if (
            right
            and self._attached_right(doc, node.span, right[0])
            and not (adjacent_left and not self._passive(doc, right[0]))
        ):
            # "57 were shot down"; but in "destroyed 40 UAVs sent by the Kyiv
            # regime" the participle after the weapon only describes it
            chosen = right[0]
        elif left:
            chosen = left[-1]
        if chosen is not None:
            node.outcome_span = chosen
            node.outcome = self._outcome_value(doc, chosen)

    def _outcome_candidates(
        self, node: CountNode, sent_nodes: list[CountNode], ents: list[Span]
    ) -> tuple[list[Span], list[Span]]:
        span = node.span
        following = [n.span.start for n in sent_nodes if n.span.start > span.start]
        preceding = [n.span.end for n in sent_nodes if n.span.end <= span.start]
        right_limit = min([*following, span.end + self.max_outcome_distance])
        left_limit = max([*preceding, span.start - self.max_outcome_distance])
        outcomes = self._claiming_outcomes(ents)
        right = [e for e in outcomes if span.end <= e.start < right_limit]
        left = [e for e in outcomes if left_limit <= e.start and e.end <= span.start]
        return right, left

    def _claiming_outcomes(self, ents: list[Span]) -> list[Span]:
        """The outcome words of a sentence that can speak for a count: not a negated
        one, and not a participle that only describes a weapon ("seven drones
        launched by Russia overnight were destroyed")."""
        outcomes = [e for e in ents if e.label_ == "OUTCOME"]
        return [
            e
            for e in outcomes
            if not (
                self._negated(e)
                or (self._describes_weapon(e) and self._other_verb_in_clause(e, outcomes))
                or self._precedes_its_verb(e, outcomes, ents)
            )
        ]

    def _share_coordinated_outcomes(
        self, doc: Doc, sent_nodes: list[CountNode], ents: list[Span]
    ) -> None:
        """ "launched 539 drones, ten ballistic missiles and one cruise missile":
        one verb for the whole list. A count with no outcome word of its own
        takes the outcome of the count before it when no other outcome word
        stands between them; failing that, an outcome word after it."""
        outcomes = self._claiming_outcomes(ents)
        for previous, node in itertools.pairwise(sent_nodes):
            if node.outcome is not None or previous.outcome is None:
                continue
            between = [t.lower_ for t in doc[previous.span.end : node.span.start]]
            # "launched 85 drones and 12 missiles, and that 61 of the drones ...":
            # a new clause does not share the verb
            if any(previous.span.end <= o.start < node.span.start for o in outcomes) or (
                set(between) & CLAUSE_MARKERS
            ):
                continue
            node.outcome = previous.outcome
            node.outcome_span = previous.outcome_span
        self._share_verb_after_list(doc, sent_nodes)
        for node in sent_nodes:
            if node.outcome is None:
                right, _ = self._outcome_candidates(node, sent_nodes, ents)
                if right:
                    node.outcome_span = right[0]
                    node.outcome = self._outcome_value(doc, right[0])
        self._share_verb_after_list(doc, sent_nodes)

    def _share_verb_after_list(self, doc: Doc, sent_nodes: list[CountNode]) -> None:
        """ "12, 7 and 3 drones were shot down": the verb after the list."""
        for previous, node in reversed(list(itertools.pairwise(sent_nodes))):
            if (
                previous.outcome is None
                and node.outcome is not None
                and self._coordinated_counts(doc, previous, node)
            ):
                previous.outcome = node.outcome
                previous.outcome_span = node.outcome_span

    def _resolve_pronoun_count(
        self, doc: Doc, node: CountNode, previous: list[Span], values: dict[str, Any]
    ) -> None:
        """ "Two more drones were spotted over the Rossoshansky district. Both
        were suppressed": "both" takes its weapon and place from the sentence
        before."""
        if node.span.text.lower() not in ("both", "all") or node.weapon is not None:
            return
        weapons = [e for e in previous if e.label_ == "WEAPON"]
        if weapons:
            node.weapon = weapons[-1]
        places = [
            e
            for e in previous
            if e.label_ == "PLACE"
            and self._place_role(doc, e) not in ("launch", "heading", "dateline")
            and self._code(e, values) not in COUNTRY_CODES
        ]
        if places and not node.places:
            node.places = [places[-1]]
            node.confidence = min(node.confidence, 0.7)

    def _share_list_weapon(self, doc: Doc, sent_nodes: list[CountNode]) -> None:
        """ "12, 7 and 3 drones were shot down": the noun after the last number
        is the weapon of the whole list."""
        for previous, node in reversed(list(itertools.pairwise(sent_nodes))):
            if (
                previous.weapon is not None
                or node.weapon is None
                or node.weapon.start < node.span.end
            ):
                continue
            between = [t.lower_ for t in doc[previous.span.end : node.span.start] if not t.is_space]
            if between and all(word in {",", "and", "or"} for word in between):
                previous.weapon = node.weapon

    def _share_coordinated_places(self, doc: Doc, sent_nodes: list[CountNode]) -> None:
        """ "destroyed 12 drones and three missiles over the Dnipropetrovsk
        region": the place closes the whole list."""
        for previous, node in itertools.pairwise(sent_nodes):
            if previous.places or not node.places or not node.places_after:
                continue
            if self._coordinated_counts(doc, previous, node, conjunction_needed=True):
                previous.places = list(node.places)
                previous.each = node.each

    def _coordinated_counts(
        self, doc: Doc, previous: CountNode, node: CountNode, conjunction_needed: bool = False
    ) -> bool:
        weapon = previous.weapon
        gap_start = (
            weapon.end
            if weapon is not None and weapon.start >= previous.span.end
            else previous.span.end
        )
        between = [t.lower_ for t in doc[gap_start : node.span.start] if not t.is_space]
        if conjunction_needed and not {"and", "plus", "well"} & set(between):
            return False  # "94 drones, 30 of them over Crimea" is not a list
        return bool(between) and all(word in COORDINATORS for word in between)

    def _describes_weapon(self, outcome: Span) -> bool:
        """ "seven Shahed drones launched by Russia overnight were destroyed", "brought
        down 10 missiles fired from the Caspian Sea": the participle with its agent or
        origin describes the weapon before it; the claim is the clause's other verb."""
        doc = outcome.doc
        if outcome.text.lower() not in ("launched", "fired", "sent") or outcome.end >= len(doc):
            return False
        if doc[outcome.end].lower_ == "by":
            return True
        before = doc[outcome.start - 1] if outcome.start > 0 else None
        return (
            doc[outcome.end].lower_ == "from"
            and before is not None
            and (before.ent_type_ == "WEAPON" or before.text == ",")
        )

    def _other_verb_in_clause(self, outcome: Span, outcomes: list[Span]) -> bool:
        """Another outcome word of the same clause that is not a launch: "brought
        down 10 missiles fired from ...", but not "17 Kh-101s launched from bombers,
        16 Kalibrs fired from the Black Sea" (each launch verb is its count's own)."""
        doc = outcome.doc
        for other in outcomes:
            if other is outcome or self._outcome_value(doc, other) == "launched":
                continue
            first, last = sorted((other, outcome), key=lambda s: s.start)
            if not any(t.text in CLAUSE_BREAKS for t in doc[first.end : last.start]):
                return True
        return False

    def _negated(self, outcome: Span) -> bool:
        """ "failed to intercept any of the four Kinzhals", "were not shot down"."""
        doc = outcome.doc
        before = [t.lower_ for t in doc[max(0, outcome.start - 3) : outcome.start]]
        return bool(NEGATIONS & set(before)) or before[-2:] == ["failed", "to"]

    def _precedes_its_verb(self, outcome: Span, outcomes: list[Span], ents: list[Span]) -> bool:
        """ "two reconnaissance drones launched at the country overnight were shot
        down": a participle right after the weapon, with the clause's own passive
        verb later and no other count or clause break between them."""
        doc = outcome.doc
        before = [t.lower_ for t in doc[max(0, outcome.start - 3) : outcome.start]]
        # "... drones that Russia launched overnight were shot down": a relative clause
        relative = bool({"that", "which"} & set(before))
        if (
            outcome.start == 0
            or (doc[outcome.start - 1].ent_type_ != "WEAPON" and not relative)
            or self._passive(doc, outcome)
        ):
            return False
        later = [o for o in outcomes if o.start >= outcome.end and self._passive(doc, o)]
        if not later:
            return False
        between = doc[outcome.end : later[0].start]
        # "... fired at Kharkiv were destroyed as well, both of them": the later
        # verb has a count of its own
        return not any(t.text in {",", ";", ":"} for t in between) and not any(
            e.label_ == "COUNT" and e.start >= outcome.end for e in ents
        )

    def _adjacent_left(self, doc: Doc, outcome: Span, count: Span) -> bool:
        """ "destroyed 40 UAVs", "shot down more than 30": the verb governs the number."""
        return all(
            t.lower_ in BOUND_WORDS or (t.is_punct and t.text not in {",", ";", ".", ":"})
            for t in doc[outcome.end : count.start]
        )

    def _passive(self, doc: Doc, outcome: Span) -> bool:
        """ "were shot down", not "had taken out"."""
        return outcome.start > 0 and doc[outcome.start - 1].lower_ in PASSIVE_AUXILIARY

    def _attached_right(self, doc: Doc, count: Span, outcome: Span) -> bool:
        """True when the outcome word is this count's own verb: "57 were shot
        down", "97 Shaheds launched", "17 intercepted drones"."""
        between = doc[count.end : outcome.start]
        if len(between) == 0:
            return True
        if {t.lower_ for t in between} & CLAUSE_MARKERS:
            # "launched 138 drones ... and that air defences had taken out 113"
            return False
        words = [t for t in between if not t.is_quote and t.lower_ not in ADVERBS]
        if words and words[-1].lower_ in AUXILIARY:
            return True  # "were also shot down", "had reportedly been downed"
        # token entity tags, not `between.ents`: Span.ents walks every entity of the Doc
        ents = {t.i for t in between if t.ent_type_}
        return all(
            t.i in ents or t.is_punct or t.lower_ in {"ukrainian", "enemy", "russian", "more"}
            for t in between
        )

    def _outcome_value(self, doc: Doc, span: Span) -> str | None:
        value = (doc._.skytally_values or {}).get(
            attributes.span_key(span.start_char, span.end_char)
        )
        return value["value"] if value else None

    def _link_of_pairs(
        self, doc: Doc, sent_nodes: list[CountNode], earlier: list[CountNode]
    ) -> None:
        """ "11 of 17 missiles were intercepted": 11 is part of 17, and 17 is
        what was launched even though no word says so. In "four of the seven
        missiles", "the seven" points back at a count already reported."""
        for whole, part in itertools.pairwise(sent_nodes):
            between = [t.text for t in doc[whole.span.end : part.span.start] if not t.is_space]
            if between == ["("] and part.value <= whole.value:
                # an air force table line, "Shahed: 46 (39 shot down)", "– 18 (12)":
                # launched, and in brackets how many of them were brought down
                self._attach(part, whole)
                whole.outcome = "launched"
                if not self._bracket_outcome(doc, part):
                    part.outcome = "destroyed"
        self._link_of_the_whole(doc, sent_nodes)
        for part, whole in itertools.pairwise(sent_nodes):
            between = [t.lower_ for t in doc[part.span.end : whole.span.start]]
            if between not in (["of"], ["out", "of"], ["of", "the"]) or part.value > whole.value:
                continue
            part.outcome_from = whole
            restated = (
                next(
                    (
                        c
                        for c in reversed(earlier)
                        if c.value == whole.value and whole.sentence - c.sentence <= 3
                    ),
                    None,
                )
                if between[-1] == "the"
                else None
            )
            if restated is not None:
                whole.restates = restated
                self._attach(part, restated)
                continue
            self._attach(part, whole)
            whole.outcome = "launched"

    def _link_of_the_whole(self, doc: Doc, sent_nodes: list[CountNode]) -> None:
        """ "Of the four Kinzhal missiles, two were shot down": the sentence opens
        with the whole; the counts after it are its parts."""
        if not sent_nodes:
            return
        whole = sent_nodes[0]
        start = self.sents.start(whole.span)
        opening = [t.lower_ for t in doc[start : whole.span.start]]
        if opening not in (["of"], ["of", "the"], ["of", "these"], ["of", "those"]):
            return
        comma = next(
            (t.i for t in doc[whole.span.end : self.sents.end(whole.span)] if t.text == ","), None
        )
        if comma is None:
            return
        if not any(t.ent_type_ == "OUTCOME" for t in doc[whole.span.end : comma]):
            whole.outcome = "launched"
        for part in sent_nodes[1:]:
            if part.span.start > comma and part.parent is None and part.value <= whole.value:
                self._attach(part, whole)

    def _bracket_outcome(self, doc: Doc, count: CountNode) -> bool:
        """Whether an outcome word follows the count inside its brackets."""
        for token in doc[count.span.end : min(count.span.end + 6, len(doc))]:
            if token.text == ")":
                return False
            if token.ent_type_ == "OUTCOME":
                return True
        return False

    # ------------------------------------------------------------ weapons
    def _link_weapon(
        self, doc: Doc, node: CountNode, sent_nodes: list[CountNode], ents: list[Span]
    ) -> None:
        span = node.span
        next_count = min(
            [n.span.start for n in sent_nodes if n.span.start > span.start], default=None
        )
        for ent in ents:
            if (
                ent.label_ == "WEAPON"
                and span.end <= ent.start <= span.end + 5
                and (next_count is None or ent.start < next_count)
            ):
                node.weapon = ent
                return
        # "the largest number of drones—13—": the weapon was named just before
        previous = [e for e in ents if e.label_ == "WEAPON" and e.end <= span.start]
        earlier_counts = [n for n in sent_nodes if n.span.end <= span.start]
        if previous and (not earlier_counts or previous[-1].start > earlier_counts[-1].span.start):
            node.weapon = previous[-1]
            # "143 drones and 4 missiles launched, 118 shot down": 118 cannot be of the
            # four missiles; it is of the whole its number fits in
            owner = earlier_counts[-1] if earlier_counts else None
            if owner is not None and owner.weapon is node.weapon and owner.value < node.value:
                larger = [n for n in earlier_counts if n.value >= node.value and n.weapon]
                if larger:
                    node.weapon = larger[-1].weapon

    # ------------------------------------------------------------- places
    def _link_places(
        self,
        doc: Doc,
        node: CountNode,
        sent_nodes: list[CountNode],
        ents: list[Span],
        values: dict[str, Any],
        consumed: set[int],
    ) -> None:
        span = node.span
        if self._each_of_places_before(doc, node, ents, values, consumed):
            return
        next_count = min(
            [n.span.start for n in sent_nodes if n.span.start > span.start],
            default=self.sents.end(span),
        )
        window_end = min(next_count, span.end + self.max_place_distance)
        # "120 drones were shot down, while the missiles hit targets in the
        # Dnipropetrovsk region": another clause, another subject
        for token in doc[span.end : window_end]:
            if token.lower_ in PLACE_CLAUSE_BREAKS:
                window_end = token.i
                break
        # a whole country ("launched at Ukraine", "over Russia") is never an event's place
        places = [
            e
            for e in ents
            if e.label_ == "PLACE"
            and span.end <= e.start < window_end
            and self._code(e, values) not in COUNTRY_CODES
        ]
        index = 0
        while index < len(places):
            group = self._cut_before_next_count(doc, self._coordinated(doc, places, index))
            first = group[0]
            role = self._place_role(doc, first)
            index += len(group)
            if self._introduces_next_count(doc, node.span, group, next_count):
                continue  # "destroyed 14, in the Oryol area 9": the place is the next count's
            if {t.lower_ for t in doc[span.end : first.start]} & PART_WORDS:
                consumed.update(p.start for p in group)  # "mostly over the Sumy region"
                continue
            if (
                role == "place"
                and node.outcome == "launched"
                and self._target_word(doc, first)
                and not node.regional_speaker
            ):
                # "fired five ATACMS missiles at Sevastopol": the target; a list of
                # targets ("on the Kharkiv and Zaporizhzhia regions") names no one place.
                # A governor or mayor reports attacks on their own region, which is
                # where those events happened.
                role = "heading" if len(group) == 1 else "target list"
            if role == "heading" and node.heading is None:
                node.heading = first
            elif role == "place" and not node.places:
                if len({self._code(p, values) for p in group}) == 1:
                    # "the Kirishsky district of the Leningrad region": one place
                    group = group[:1]
                node.places = group
                node.places_after = True
                node.each = node.each or self._says_each(doc, node.span, group[-1])
                consumed.update(p.start for p in group)
        if node.heading is None:
            aimed_at = self._generic_place_after(
                doc, span, window_end, heading=True, placed=bool(node.places)
            )
            if aimed_at is not None:
                node.heading = self._antecedent(doc, span, aimed_at, values)
        if node.places:
            return
        anaphor = self._generic_place_after(doc, span, window_end)
        if anaphor is not None:
            antecedent = self._antecedent(doc, span, anaphor, values)
            if antecedent is not None:
                node.places = [antecedent]
                node.places_after = True  # named after the count, as "the region"
                node.confidence = min(node.confidence, 0.8)
                return
        if node.outcome == "launched" and not node.regional_speaker:
            # "Kyiv: ... 397 drones were launched": a launch is placed by its target
            # only; "attacked the Odesa region with 20 drones" names it before the count
            if node.heading is None and node.outcome_span is not None:
                targets = [
                    e
                    for e in ents
                    if e.label_ == "PLACE"
                    and node.outcome_span.end <= e.start
                    and e.end <= span.start
                    and self._code(e, values) not in COUNTRY_CODES
                    and doc[node.outcome_span.end : e.start].text.lower() in ("", "the")
                ]
                if targets:
                    node.heading = targets[0]
            return
        # the subject before the number: "Kaluga Oblast ... saw 12 drones intercepted";
        # not across a semicolon, which ends the clause the place belongs to
        semicolons = [t.i for t in doc[self.sents.start(span) : span.start] if t.text == ";"]
        previous_count = max(
            [n.span.end for n in sent_nodes if n.span.end <= span.start]
            + [i + 1 for i in semicolons],
            default=self.sents.start(span),
        )
        before = [
            e
            for e in ents
            if e.label_ == "PLACE"
            and previous_count <= e.start
            and e.end <= span.start
            and e.start not in consumed
            and self._place_role(doc, e) not in ("launch", "heading", "dateline", "owner")
            and self._code(e, values) not in COUNTRY_CODES
            # "fire at Ust-Luga port, Russia claims 95 drones shot down"
            and not {t.lower_ for t in doc[e.end : span.start]} & REPORTING_VERBS
        ]
        if before:
            chosen = before[-1]
            node.places = [chosen]
            consumed.add(chosen.start)

    def _place_of_count(self, doc: Doc, count: Span, place: Span) -> bool:
        """ "16 over Kursk": the place right after a count, with no break between."""
        between = doc[count.end : place.start]
        return 0 <= len(between) <= 3 and not any(t.is_punct for t in between)

    def _cut_before_next_count(self, doc: Doc, group: list[Span]) -> list[Span]:
        """ "16 over Kursk, and over the Tula and Oryol regions two each": the places
        after the last comma are the next count's; the first part stays this one's."""
        after = [t for t in doc[group[-1].end : group[-1].end + 2] if not t.is_space]
        if len(group) < 2 or not after or after[0].ent_type_ != "COUNT":
            return group
        for index in range(len(group) - 1, 0, -1):
            if "," in doc[group[index - 1].end : group[index].start].text:
                return group[:index]
        return group

    def _each_of_places_before(
        self,
        doc: Doc,
        node: CountNode,
        ents: list[Span],
        values: dict[str, Any],
        consumed: set[int],
    ) -> bool:
        """ "over Kursk and Voronezh six each": the places named just before a count
        that says "each" are its places, one event apiece."""
        after = doc[node.span.end : node.span.end + 3]
        if not any(t.lower_ in ("each", "apiece") for t in after):
            return False
        places = [e for e in ents if e.label_ == "PLACE" and e.end <= node.span.start]
        if not places:
            return False
        gap = {t.lower_ for t in doc[places[-1].end : node.span.start] if not t.is_space}
        if not gap <= {"region", "regions", "oblast", "oblasts", "—", "–", "-", ":"}:
            return False
        counts = [e for e in ents if e.label_ == "COUNT" and e.end <= node.span.start]
        group = [places[-1]]
        for earlier in reversed(places[:-1]):
            between = {t.lower_ for t in doc[earlier.end : group[0].start] if not t.is_space}
            if not between or not between <= LIST_JOINERS:
                break
            if any(self._place_of_count(doc, c, earlier) for c in counts):
                break  # "16 over Kursk, and over Tula and Oryol two each": Kursk is the 16's
            group.insert(0, earlier)
        group = [p for p in group if self._code(p, values) not in COUNTRY_CODES]
        if len(group) < 2:
            return False
        node.places, node.each, node.places_after = group, True, False
        consumed.update(p.start for p in group)
        return True

    def _target_word(self, doc: Doc, place: Span) -> bool:
        before = [
            t.lower_ for t in doc[max(self.sents.start(place), place.start - 5) : place.start]
        ]
        return bool({"at", "on", "against"} & set(before))

    def _code(self, span: Span, values: dict[str, Any]) -> str | None:
        return (values.get(attributes.span_key(span.start_char, span.end_char)) or {}).get("code")

    def _kind(self, span: Span, values: dict[str, Any]) -> str | None:
        return (values.get(attributes.span_key(span.start_char, span.end_char)) or {}).get("kind")

    def _introduces_next_count(
        self, doc: Doc, count: Span, group: list[Span], next_count: int
    ) -> bool:
        if next_count >= self.sents.end(count):
            return False
        after = [t for t in doc[group[-1].end : next_count] if not t.is_space]
        before = [t.lower_ for t in doc[count.end : group[0].start]]
        # "destroyed 14, in the Oryol area 9"; "in Kaluga nine were downed and in Smolensk five"
        return (
            len(after) <= 2
            and all(t.is_punct for t in after)
            and bool({",", ";", ":", "and"} & set(before))
        )

    def _generic_place_after(
        self, doc: Doc, count: Span, window_end: int, heading: bool = False, placed: bool = False
    ) -> str | None:
        """ "over the region", "near the city", "over the sea": a place named by
        its kind, whose name was given earlier in the article. With
        `heading`, the same after a direction ("heading for the capital")."""
        tokens = doc[count.end : min(window_end, self.sents.end(count))]
        for index, token in enumerate(tokens):
            if token.lower_ not in GENERIC_PLACES or index < 1:
                continue
            article = tokens[index - 1].lower_ in ("the", "our", "its", "his", "her", "their")
            lead = [t.lower_ for t in tokens[max(0, index - 3) : index - (1 if article else 0)]]
            if not lead:
                continue
            if heading:
                if lead[-1] in HEADING or (
                    lead[-1] in ("for", "to", "at")
                    and len(lead) > 1
                    # "over Kyiv and on the approaches to the city": the same place, no
                    # heading; without a place, "on approach to the capital" is one
                    and (
                        lead[-2] in HEADING
                        or (lead[-2] in ("approach", "approaches") and not placed)
                    )
                ):
                    return GENERIC_PLACES[token.lower_]
            elif lead[-1] in LOCATIVE and (article or token.lower_ == "capital"):
                return GENERIC_PLACES[token.lower_]
        return None

    def _antecedent(self, doc: Doc, count: Span, kind: str, values: dict[str, Any]) -> Span | None:
        if kind == "capital":
            # "the capital" is Moscow or Kyiv wherever the article names it, datelines included
            capitals = [
                e
                for e in doc.ents
                if e.label_ == "PLACE" and self._code(e, values) in ("RU-MOW", "UA-30")
            ]
            before = [e for e in capitals if e.end <= count.start]
            return before[-1] if before else (capitals[0] if capitals else None)
        for ent in reversed([e for e in doc.ents if e.label_ == "PLACE" and e.end <= count.start]):
            code, place_kind = self._code(ent, values), self._kind(ent, values)
            if (
                code is None
                or code in COUNTRY_CODES
                or self._place_role(doc, ent) in ("launch", "dateline")
            ):
                continue
            if kind == "sea" and place_kind == "sea":
                return ent
            if kind in ("region", "city") and place_kind in ("region", "city", "district"):
                return ent
            if kind == "capital" and code in ("RU-MOW", "UA-30"):
                return ent
        return None

    def _coordinated(self, doc: Doc, places: list[Span], index: int) -> list[Span]:
        """The run of places joined by commas and "and" starting at `index`."""
        group = [places[index]]
        for following in places[index + 1 :]:
            between = [t for t in doc[group[-1].end : following.start] if not t.is_space]
            words = {t.lower_ for t in between}
            if not between or not words <= LIST_JOINERS:
                break
            if self._place_role(doc, group[0]) != "subject" and self._subject_of_count(
                doc, following
            ):
                break  # "..., and the Moscow region saw 17 drones intercepted"
            group.append(following)
        return group

    def _subject_of_count(self, doc: Doc, place: Span) -> bool:
        following = doc[place.end : min(place.end + 4, self.sents.end(place))]
        # a verb right after the place: "the Moscow region saw 17 drones ..."
        return (
            bool(following)
            and not following[0].is_punct
            and following[0].lower_ not in {"and", "or", "but", "while", "with", "each", "apiece"}
            and following[0].ent_type_ == ""
            and any(t.ent_type_ == "COUNT" for t in following)
        )

    def _place_role(self, doc: Doc, place: Span) -> str:
        """What the words before a place make of it: where objects were
        downed ("over"), where they flew ("towards"), where they came from
        ("from", "the direction of"), or a bare subject."""
        if self._is_dateline(doc, place):
            return "dateline"
        if (
            place.end + 1 < len(doc)
            and doc[place.end].lower_ in ("'s", "’s")
            and doc[place.end + 1].lower_ in OWNED_AGENTS
        ):
            # "Kyiv's forces shot down 29 drones": whose forces, not where; but "the
            # Smolensk region's air defences" shoot over their region
            return "owner"
        position = place.start - 1
        skipped = 0
        while (
            position >= self.sents.start(place)
            and doc[position].lower_ in PLACE_FILLER
            and skipped < 8
        ):
            position -= 1
            skipped += 1
        if position < self.sents.start(place):
            return "subject"
        word = doc[position].lower_
        previous = doc[position - 1].lower_ if position > self.sents.start(place) else ""
        if word in LAUNCH_SITE or word == "direction":
            return "launch"
        if word in HIT_VERBS:
            # "two missiles hit Odesa": where they hit is the place of a hit claim
            # (a launch's target is its heading: the launch rule decides that)
            return "place"
        if word in HEADING or (
            word in {"to", "for", "at", "on"}
            and (previous in HEADING or previous in ("way", "approach", "approaches"))
        ):
            # "downed on approach to Moscow": where they were flying, as "heading for"
            return "heading"
        if word in LOCATIVE:
            # "Kalibrs launched from ships in the Black Sea", "missiles aimed at
            # energy sites in the Poltava region": the clause decides
            return self._clause_role(doc, place, position) or "place"
        return "subject"

    def _clause_role(self, doc: Doc, place: Span, position: int) -> str | None:
        start = max(self.sents.start(place), position - 6)
        for index in range(position - 1, start - 1, -1):
            token = doc[index]
            if token.text in {",", ";", ":"} or token.ent_type_ in ("COUNT", "OUTCOME"):
                return None
            if token.lower_ in ("from", "launched", "direction"):
                return "launch"
            if token.lower_ in HEADING:
                return "heading"
        return None

    def _is_dateline(self, doc: Doc, place: Span) -> bool:
        """ "KYIV, July 8 (Reuters) -", "MOSCOW, November 1. /TASS/.": where the
        story was filed, not where anything happened."""
        if place.start != self.sents.start(place) and not (
            place.start - 1 >= self.sents.start(place) and doc[place.start - 1].is_space
        ):
            return False
        following = doc[place.end : place.end + 3]
        return place.text.isupper() or (
            len(following) >= 2 and following[0].text == "," and following[1].text in MONTHS
        )

    def _says_each(self, doc: Doc, count: Span, last_place: Span) -> bool:
        after_count = {t.lower_ for t in doc[count.end : count.end + 2]}
        after_list = {t.lower_ for t in doc[last_place.end : last_place.end + 2]}
        return bool((after_count | after_list) & EACH_WORDS)

    def _pair_respectively(
        self,
        doc: Doc,
        sent: Span,
        sent_nodes: list[CountNode],
        ents: list[Span],
        values: dict[str, Any],
    ) -> None:
        """ "over the Kaluga, Tver and Yaroslavl regions, with eleven, nine and
        five respectively": the numbers right before the word pair, in order,
        with the list of places of the same length nearest to them. A list that
        does not fit gives no per-place reading."""
        marker = next((t.i for t in sent if t.lower_ == "respectively"), None)
        if marker is None:
            return
        before = [n for n in sent_nodes if n.span.end <= marker]
        if not before:
            return
        run = [before[-1]]
        for node in reversed(before[:-1]):
            gap = [t.lower_ for t in doc[node.span.end : run[0].span.start] if not t.is_space]
            if not gap or not all(word in {",", "and"} for word in gap):
                break
            run.insert(0, node)
        if len(run) < 2:
            return
        places = [
            e
            for e in ents
            if e.label_ == "PLACE"
            and self._place_role(doc, e) not in ("launch", "dateline", "heading")
            and self._code(e, values) not in COUNTRY_CODES
        ]
        groups: list[list[Span]] = []
        index = 0
        while index < len(places):
            groups.append(self._coordinated(doc, places, index))
            index += len(groups[-1])
        fitting = [g for g in groups if len(g) == len(run)]
        if not fitting:
            for node in run:
                node.places = []
                node.unpairable = True
                node.confidence = min(node.confidence, 0.3)
            return
        group = min(
            fitting,
            key=lambda g: min(
                abs(g[0].start - run[-1].span.end), abs(run[0].span.start - g[-1].end)
            ),
        )
        for node, place in zip(run, group, strict=True):
            node.places = [place]
            node.each = False
        starts = {p.start for p in group}
        for total in sent_nodes:
            if total in run or not {p.start for p in total.places} & starts:
                continue
            # the count that named the whole list totals the paired numbers
            total.places = []
            total.list_total = True
            for node in run:
                if node.span.start > total.span.start and node.parent is None:
                    self._attach(node, total)

    # ------------------------------------------------------ time, claimant
    def _link_time(self, node: CountNode, ents: list[Span]) -> None:
        times = [e for e in ents if e.label_ == "TIME" and not self._dateline_time(e)]
        # "claimed on Thursday morning that ... during the night": when the
        # report is dated too, the event's own time is the other one
        # when a statement was made dates no claim (docs/annotation.md): the count
        # then takes the time its context states, if any
        times = [t for t in times if not self._report_time(t) and not self._war_history(t)]
        if not times:
            return
        clocked = [t for t in times if CLOCK.search(t.text)]
        pool = clocked if len(clocked) == 1 and len(times) > 1 else times
        node.time = min(pool, key=lambda t: abs(t.start - node.span.start))

    def _war_history(self, time: Span) -> bool:
        """ "the largest attack since the full-scale invasion in February 2022": a
        date of the war's history, not of this count."""
        doc = time.doc
        before = {t.lower_ for t in doc[max(self.sents.start(time), time.start - 5) : time.start]}
        return bool(before & HISTORY_WORDS)

    def _dateline_time(self, time: Span) -> bool:
        """A dateline ("KYIV, Jan 15 -") or a live-blog timestamp ("09:50 GMT –")
        dates the report, not the attack."""
        doc = time.doc
        if (
            time.start == self.sents.start(time)
            and time.end < len(doc)
            and doc[time.end].text in {"–", "—", "-", ":", "|"}
        ):
            return True
        before = [t for t in doc[self.sents.start(time) : time.start] if not t.is_space]
        return (
            len(before) <= 2
            and bool(before)
            and before[0].ent_type_ == "PLACE"
            and (
                before[0].text.isupper()
                or (
                    time.end < self.sents.end(time)
                    and doc[time.end].text in {"-", "(", "/", "—", "–"}
                )
            )
        )

    def _report_time(self, time: Span) -> bool:
        """When a statement was made, not when the claim happened: "said on Monday",
        "wrote on Telegram on Sunday", "in a statement late on Thursday"."""
        doc = time.doc
        if NIGHT_WORDS & {t.lower_ for t in time}:
            return False  # "said overnight" is the night of the attack
        for token in reversed(doc[max(self.sents.start(time), time.start - 6) : time.start]):
            if token.ent_type_ in ("COUNT", "OUTCOME") or token.lower_ in {",", ";", ":", "that"}:
                return False
            if token.lower_ in REPORTING_VERBS or token.lower_ in REPORTING_NOUNS:
                return True
        return False

    def _link_claimant(self, node: CountNode, ents: list[Span]) -> None:
        claimants = [e for e in ents if e.label_ == "CLAIMANT"]
        # "Sobyanin wrote that the Defence Ministry's air defences had shot down two
        # drones": the ministry's forces acted, the mayor claims
        speakers = [c for c in claimants if not self._acting_force(c)]
        claimants = speakers or claimants
        if claimants:
            node.claimant = min(claimants, key=lambda c: abs(c.start - node.span.start))

    def _acting_force(self, claimant: Span) -> bool:
        doc = claimant.doc
        after = [t.lower_ for t in doc[claimant.end : claimant.end + 3]]
        return after[:1] in (["'s"], ["’s"]) and bool(set(after[1:]) & FORCE_WORDS)

    def _read_cues(self, doc: Doc, node: CountNode) -> None:
        span = node.span
        after = tuple(t.lower_ for t in doc[span.end : span.end + 3])
        before = tuple(
            t.lower_ for t in doc[max(self.sents.start(span), span.start - 3) : span.start]
        )
        node.subset_cue = any(after[: len(cue)] == cue for cue in SUBSET_CUES) or (
            bool({"including", "incl.", "incl", "among"} & set(before[-2:]))
            or before[-2:] in (("of", "these"), ("of", "them"))
            or before[-3:-1] in (("of", "these"), ("of", "them"), ("of", "which"))
        )
        following = doc[span.end : min(span.end + 3, self.sents.end(span))]
        if (
            len(following) == 3
            and following[0].lower_ == "of"
            and following[1].lower_ in ("the", "these", "those")
            and following[2].ent_type_ == "WEAPON"
        ):
            node.subset_cue = True  # "11 of the Kh-101s"
        opening = [t.lower_ for t in doc[self.sents.start(span) : self.sents.start(span) + 2]]
        if (
            opening
            and opening[0] == "among"
            and opening[1:2] in (["the"], ["them"], ["these"], ["those"])
        ):
            node.subset_cue = True  # "Among the missiles were 17 Kh-101s, 16 Kalibrs ..."
            node.among_cue = True
        node.continuation_cue = bool(set(before[-1:]) & (ANOTHER_WORDS | LIST_MARKS)) or (
            len(after) > 0 and after[0] in ANOTHER_WORDS
        )

    # -------------------------------------------------------------- totals
    def _link_totals(self, nodes: list[CountNode], values: dict[str, Any]) -> None:
        """Which total each count belongs to, reading the article in order.

        A count without a place opens a total; later counts with places (or
        without an outcome word of their own) fill the latest total of their
        outcome and weapon while they fit. A count of another outcome falls
        under the launched total of its weapon."""
        open_totals: list[CountNode] = []
        launched_totals: list[CountNode] = []
        for index, node in enumerate(nodes):
            placeless = (
                not node.places
                or self._country_only(node, values)
                or (len(node.places) > 1 and not node.each)
            )
            if node.parent is None and node.subset_cue:
                parent = self._nearest_larger(nodes[:index], node, values)
                if parent is not None:
                    self._attach(node, parent)
            sibling = nodes[index - 1] if index else None
            if (
                node.parent is None
                and sibling is not None
                and sibling.subset_cue
                and sibling.parent is not None
                and sibling.sentence == node.sentence
                and node.value <= sibling.parent.value
                and "and" in {t.lower_ for t in self._between(sibling, node)}
            ):
                # "83 of them were intercepted, and seven were suppressed": the
                # second part belongs to the same whole as the first
                self._attach(node, sibling.parent)
            if node.parent is not None:
                if node.outcome is not None and node.parent.outcome is None:
                    node.parent.outcome = "launched"
                if placeless and node.outcome == "launched":
                    launched_totals.append(node)
                continue
            recent = [
                t for t in open_totals if node.sentence - t.sentence <= self.total_memory_sentences
            ]
            joins = not node.list_total and (
                not placeless
                or node.outcome is None
                or node.continuation_cue
                or node.unpairable
                or node.heading is not None
                or (len(node.places) > 1 and not node.each)
            )
            total = self._open_total_for(node, recent, values) if joins else None
            if total is not None:
                self._attach(node, total)
                continue
            launched = self._launched_total(node, launched_totals, values)
            if launched is not None and node.outcome not in (None, "launched"):
                self._attach(node, launched)
                if placeless:
                    open_totals.append(node)
                continue
            if node.outcome is None and node.continuation_cue:
                # "84 more" after "86 destroyed" on another day: the same fate, its own claim
                node.outcome = self._continued_outcome(nodes[:index])
            if placeless:
                open_totals.append(node)
                if node.outcome == "launched":
                    launched_totals.append(node)

    def _gather_running_totals(self, nodes: list[CountNode], values: dict[str, Any]) -> None:
        """ "Since the morning, 16 drones approaching Moscow have been shot down":
        a tally that sums up the counts reported before it (a mayor's posts, a live
        blog's updates) is their total, so the day is counted once."""
        for index, node in enumerate(nodes):
            if node.parent is not None or node.children or not self._sums_up(node):
                continue
            earlier = [
                other
                for other in nodes[:index]
                if other.parent is None
                and other.value < node.value
                and other.outcome == node.outcome
                and self._same_weapon(other, node, values)
                and not self._claimant_differs(other, node, values)
                and {self._code(p, values) for p in other.places}
                <= {self._code(p, values) for p in node.places}
                and (other.heading is None) == (node.heading is None)
            ]
            if earlier and sum(other.weight for other in earlier) <= node.value:
                for other in earlier:
                    self._attach(other, node)

    def _sums_up(self, node: CountNode) -> bool:
        doc = node.span.doc
        words = " ".join(t.lower_ for t in doc[self.sents.start(node.span) : node.span.start])
        return any(cue in f" {words} " for cue in RUNNING_TOTAL_CUES)

    def _continued_outcome(self, earlier: list[CountNode]) -> str | None:
        for other in reversed(earlier):
            outcome = other.outcome
            parent = other.parent
            while outcome is None and parent is not None:
                outcome, parent = parent.outcome, parent.parent
            if outcome is not None:
                return outcome
        return None

    def _between(self, first: CountNode, second: CountNode) -> Span:
        return first.span.doc[first.span.end : second.span.start]

    def _open_total_for(
        self, node: CountNode, recent: list[CountNode], values: dict[str, Any]
    ) -> CountNode | None:
        def compatible(total: CountNode) -> bool:
            return (
                node.fits(total)
                # "32 downed" in a headline, "32 UAVs shot down over six regions" in
                # the body: a count as large as a total with no parts restates it
                and not (
                    total.value == node.value and not total.children and not self._says_all(node)
                )
                and self._same_weapon(node, total, values)
                and not self._time_differs(node, total, values)
                and not self._claimant_differs(node, total, values)
            )

        if node.outcome is not None:
            candidates = [t for t in recent if (t.outcome or "destroyed") == node.outcome]
        else:
            # a bare breakdown ("45 over Belgorod") fills an interception total first
            candidates = [t for t in recent if t.outcome != "launched"] or recent
        for total in reversed(candidates):
            if compatible(total):
                return total
        return None

    def _claimant_differs(self, node: CountNode, total: CountNode, values: dict[str, Any]) -> bool:
        """A governor's count after the ministry's total is the governor's own claim;
        a count the other side speaks for ("It said 15 ..." after "Ukraine's air force
        said") is never part of this side's total."""
        if total.context_claimant is None:
            return False
        theirs = self._claimant_value(total.context_claimant, values)
        if node.claimant is not None:
            return self._claimant_value(node.claimant, values).get("name") != theirs.get("name")
        if node.context_claimant is None:
            return False
        mine = self._claimant_value(node.context_claimant, values)
        return None not in (mine.get("country"), theirs.get("country")) and mine.get(
            "country"
        ) != theirs.get("country")

    def _claimant_value(self, span: Span, values: dict[str, Any]) -> dict[str, Any]:
        return values.get(attributes.span_key(span.start_char, span.end_char)) or {}

    def _category(self, node: CountNode, values: dict[str, Any]) -> str | None:
        if node.weapon is None:
            return None
        value = values.get(attributes.span_key(node.weapon.start_char, node.weapon.end_char)) or {}
        return value.get("category")

    def _same_weapon(self, node: CountNode, total: CountNode, values: dict[str, Any]) -> bool:
        mine, theirs = self._category(node, values), self._category(total, values)
        return mine is None or theirs is None or mine == theirs or "unknown" in (mine, theirs)

    def _launched_total(
        self, node: CountNode, launched: list[CountNode], values: dict[str, Any]
    ) -> CountNode | None:
        """ "Russia fired 40 missiles and 42 drones; 18 missiles and 39 drones
        were brought down": each count under the launch of its own weapon."""
        fitting = [
            total
            for total in launched
            if node.sentence - total.sentence <= self.total_memory_sentences
            and node.value <= total.value
            and not self._time_differs(node, total, values)
            and not self._claimant_differs(node, total, values)
        ]
        matching = [t for t in fitting if self._same_weapon(node, t, values)]
        if matching:
            return matching[-1]
        return None

    def _attach(self, node: CountNode, parent: CountNode) -> None:
        node.parent = parent
        parent.children.append(node)

    def _nearest_larger(
        self, earlier: list[CountNode], node: CountNode, values: dict[str, Any]
    ) -> CountNode | None:
        """The total a subset cue ("of these", "including") points back to:
        the nearest earlier count right before it, else the nearest open
        total it still fits in."""
        close = [
            c
            for c in earlier
            if node.sentence - c.sentence <= (2 if node.among_cue else 1)
            # "112 of them" after a headline's "112 downed": a part is smaller than
            # its whole; an equal count is the same claim said again, unless it
            # says it is all of it ("all 16 Kalibrs")
            and (
                c.value > node.value
                or (c.value == node.value and (c.qualifier != "exact" or self._says_all(node)))
            )
            and not (node.among_cue and c.sentence == node.sentence)
            and c.restates is None
            # "Earlier, Mayor Sobyanin said three drones flying towards Moscow were
            # downed": his count, not a part of the ministry's total
            and not self._claimant_differs(node, c, values)
        ]
        # "30 of the missiles" after "43 missiles and 74 drones": the total of its own weapon
        same_weapon = [
            c for c in close if self._category(c, values) == self._category(node, values)
        ]
        if node.weapon is not None and same_weapon:
            close = same_weapon
        # "11 of the Kh-101s" after "17 Kh-101 cruise missiles, 16 Kalibrs": the same name
        same_name = [c for c in close if self._same_weapon_name(node, c)]
        if same_name:
            return same_name[-1]
        if close and (close[-1].parent is None or close[-1].sentence == node.sentence):
            return close[-1]
        totals = [
            c
            for c in earlier
            if node.sentence - c.sentence <= self.total_memory_sentences
            and c.parent is None
            and (c.children or not c.places)
            and node.fits(c)
            and (c.value > node.value or c.qualifier != "exact")
            and not self._claimant_differs(node, c, values)
        ]
        if totals:
            return totals[-1]
        return close[-1] if close else None

    def _says_all(self, node: CountNode) -> bool:
        doc = node.span.doc
        first = node.span[0].lower_
        before = doc[node.span.start - 1].lower_ if node.span.start > 0 else ""
        return first in ("all", "both") or before in ("all", "both")

    def _same_weapon_name(self, node: CountNode, other: CountNode) -> bool:
        if node.weapon is None or other.weapon is None:
            return False

        def words(span: Span) -> set[str]:
            return {t.lower_.rstrip("s") for t in span if t.is_alpha or "-" in t.text} - {
                "missile",
                "drone",
                "cruise",
                "ballistic",
            }

        return bool(words(node.weapon) & words(other.weapon))

    def _time_differs(self, node: CountNode, total: CountNode, values: dict[str, Any]) -> bool:
        """Two stated periods that do not overlap. A cut-off ("as of 09:00")
        or an unresolved period contradicts nothing."""
        if node.time is None or total.time is None or node.time.start == total.time.start:
            return False
        mine = values.get(attributes.span_key(node.time.start_char, node.time.end_char)) or {}
        theirs = values.get(attributes.span_key(total.time.start_char, total.time.end_char)) or {}
        bounds = [mine.get("start"), mine.get("end"), theirs.get("start"), theirs.get("end")]
        if bounds == [None, None, None, None]:
            # no publication date: "Between 07:00 and 10:30" is still not "Overnight"
            return node.time.text.lower() != total.time.text.lower()
        if None in bounds:
            return False
        start, end, other_start, other_end = (datetime.fromisoformat(b) for b in bounds)
        return not (start < other_end and other_start < end)

    def _country_only(self, node: CountNode, values: dict[str, Any]) -> bool:
        codes = [
            (values.get(attributes.span_key(p.start_char, p.end_char)) or {}).get("code")
            for p in node.places
        ]
        return bool(codes) and all(code in COUNTRY_CODES for code in codes)

    def _settle_ambiguous_lists(self, nodes: list[CountNode]) -> None:
        """ "six over Belgorod and Smolensk" in a total of 48: the sum decides
        between six in all and six each; otherwise no per-place event."""
        for node in nodes:
            if len(node.places) < 2 or node.each:
                continue
            parent = node.parent
            if parent is not None and parent.qualifier == "exact":
                others = sum(c.weight for c in parent.children if c is not node)
                if others + node.value * len(node.places) == parent.value:
                    node.each = True
                    continue
            if node.children:
                node.places = []  # a total over several regions
                continue
            node.places = []
            node.ambiguous_places = True
            node.confidence = min(node.confidence, 0.4)

    def _background_times(self, doc: Doc, values: dict[str, Any]) -> set[int]:
        """Starts of the times that end days before the report: background ("since
        the invasion in February 2022", "on June 1" in a later report), never the
        period a count without a time of its own inherits."""
        published = parse_published(doc._.published)
        if published is None:
            return set()
        if isinstance(published, datetime):
            moment = published if published.tzinfo else published.replace(tzinfo=UTC)
        else:
            moment = datetime.combine(published, time(12), tzinfo=UTC)
        stale = set()
        for ent in doc.ents:
            if ent.label_ != "TIME":
                continue
            end = (values.get(attributes.span_key(ent.start_char, ent.end_char)) or {}).get("end")
            if end and datetime.fromisoformat(end) < moment - BACKGROUND_AGE:
                stale.add(ent.start)
        return stale

    def _fallback_context(
        self,
        nodes: list[CountNode],
        sentences: list[Span],
        ents_by_sentence: dict[int, list[Span]],
        background: set[int],
    ) -> None:
        """A claim attributed once at the top, or timed in the sentence before."""
        for node in nodes:
            if node.parent is not None:
                continue
            if node.claimant is None:
                node.claimant = self._nearby(node.sentence, ents_by_sentence, "CLAIMANT", ahead=2)
            if node.time is None:
                node.time = self._context_time(node, sentences, ents_by_sentence, background)

    def _default_regional_place(
        self, doc: Doc, nodes: list[CountNode], values: dict[str, Any]
    ) -> None:
        """A governor's or mayor's post is about their own region: a count
        there with no place of its own happened in the place the post is
        about (the region named most often)."""
        claimants = {
            c: values.get(attributes.span_key(c.start_char, c.end_char)) or {}
            for c in {n.claimant for n in nodes if n.claimant is not None}
        }
        mentions: dict[str, list[Span]] = {}
        for ent in doc.ents:
            code = self._code(ent, values) if ent.label_ == "PLACE" else None
            if (
                code
                and code not in COUNTRY_CODES
                and self._place_role(doc, ent) not in ("launch", "dateline", "heading")
            ):
                mentions.setdefault(code, []).append(ent)

        def main_mention(kinds: tuple[str, ...]) -> Span | None:
            wanted = {c: m for c, m in mentions.items() if self._kind(m[0], values) in kinds}
            if not wanted:
                return None
            code = max(wanted, key=lambda c: (len(wanted[c]), -wanted[c][0].start))
            return wanted[code][0]

        for node in nodes:
            # "two drones flying towards Moscow had been shot down", says the mayor:
            # where they were flying is not where they were downed (docs/conventions.md)
            if (
                node.places
                or node.parent is not None
                or node.outcome == "launched"
                or node.heading is not None
            ):
                continue
            if node.claimant is None or not claimants[node.claimant].get("regional"):
                continue
            # a mayor speaks for a city, a governor for a region
            mayor = self._is_mayor(doc, node.claimant)
            kinds = ("city",) if mayor else ("region", "district", "city")
            mention = main_mention(kinds) or main_mention(("region", "district", "city", "sea"))
            if mention is not None:
                node.places = [mention]
                node.confidence = min(node.confidence, 0.7)

    def _is_mayor(self, doc: Doc, claimant: Span) -> bool:
        before = doc[max(0, claimant.start - 2) : claimant.start]
        return "mayor" in claimant.text.lower() or any(t.lower_ == "mayor" for t in before)

    def _context_time(
        self,
        node: CountNode,
        sentences: list[Span],
        ents_by_sentence: dict[int, list[Span]],
        background: set[int],
    ) -> Span | None:
        """A time stated in the sentence before or after, when that sentence
        claims nothing of its own ("The timeline—between 20:00 and 23:30—...");
        a clock window wins over a bare day."""
        found: list[Span] = []
        for index in (node.sentence - 1, node.sentence + 1):
            ents = ents_by_sentence.get(index, [])
            if index < 0 or any(e.label_ == "COUNT" for e in ents):
                continue
            found += [
                e
                for e in ents
                if e.label_ == "TIME"
                and not self._dateline_time(e)
                and not self._report_time(e)
                and e.start not in background
            ]
        clocked = [t for t in found if CLOCK.search(t.text)]
        if clocked:
            return clocked[0]
        before = [t for t in found if t.end <= node.span.start]
        if before:
            return before[-1]
        # a bulletin states its period once, at the top: the latest event time
        # stated anywhere before the count
        holders = self._holders(ents_by_sentence, "TIME")
        for index in reversed(holders[: bisect.bisect_right(holders, node.sentence - 1)]):
            times = [
                e
                for e in ents_by_sentence.get(index, [])
                if e.label_ == "TIME"
                and not self._dateline_time(e)
                and not self._report_time(e)
                and e.start not in background
            ]
            if times:
                return times[-1]
        return None

    def _nearby(
        self, sentence: int, ents_by_sentence: dict[int, list[Span]], label: str, ahead: int
    ) -> Span | None:
        # the sentences holding each label, found once: a search back through every
        # sentence for each count would grow with the square of the text
        holders = self._holders(ents_by_sentence, label)
        position = bisect.bisect_left(holders, sentence)
        if position > 0:
            index = holders[position - 1]
            return [e for e in ents_by_sentence[index] if e.label_ == label][-1]
        for index in range(sentence + 1, sentence + 1 + ahead):
            if self._paragraph_break_before(ents_by_sentence, index):
                break  # a speaker named in the next paragraph speaks for that one
            found = [e for e in ents_by_sentence.get(index, []) if e.label_ == label]
            if found:
                return found[0]
        return None

    def _holders(self, ents_by_sentence: dict[int, list[Span]], label: str) -> list[int]:
        assert isinstance(ents_by_sentence, EntitiesBySentence)
        return ents_by_sentence.holders(label)

    def _paragraph_break_before(
        self, ents_by_sentence: dict[int, list[Span]], sentence: int
    ) -> bool:
        assert isinstance(ents_by_sentence, EntitiesBySentence)
        if sentence >= len(self.sents.bounds):
            return True
        start = self.sents.bounds[sentence][0]
        doc = ents_by_sentence.doc
        return start > 0 and "\n\n" in doc[max(0, start - 2) : start + 1].text_with_ws

    # -------------------------------------------------------------- output
    def _write(self, doc: Doc, nodes: list[CountNode], ignored: list[Span]) -> None:
        links: list[list[Any]] = []
        info: dict[str, Any] = {}

        def link(node: CountNode, child: Span | None, label: str, score: float = 1.0) -> None:
            if child is not None:
                links.append(
                    [
                        node.span.start_char,
                        node.span.end_char,
                        child.start_char,
                        child.end_char,
                        label,
                        score,
                    ]
                )

        for node in nodes:
            link(node, node.outcome_span, "outcome")
            link(node, node.weapon, "weapon")
            for place in node.places:
                link(node, place, "place", 1.0 if len(node.places) == 1 else 0.8)
            link(node, node.heading, "heading_to")
            link(node, node.time, "time")
            link(node, node.claimant, "claimant")
            if node.parent is not None:
                link(node, node.parent.span, "part_of")
            key = attributes.span_key(node.span.start_char, node.span.end_char)
            info[key] = {
                "outcome": node.outcome if node.outcome_span is None else None,
                "confidence": node.confidence,
                "unpairable": node.unpairable or node.ambiguous_places,
                "restates": node.restates is not None,
            }
        for ent in ignored:
            info[attributes.span_key(ent.start_char, ent.end_char)] = {"furniture": True}
        found = dict(doc._.link_candidates or {})
        found[self.name] = links
        doc._.link_candidates = found
        doc._.count_info = info

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return self.scorer(examples, **kwargs) if self.scorer else {}


@Language.factory(
    "skytally_linker",
    requires=["doc.ents", "token.is_sent_start", "doc._.skytally_values"],
    assigns=["doc._.link_candidates", "doc._.count_info"],
    default_config={
        "max_outcome_distance": 14,
        "max_place_distance": 20,
        "total_memory_sentences": 40,
        "scorer": {"@scorers": "skytally.relation_scorer.v1"},
    },
)
def make_linker(
    nlp: Language,
    name: str,
    *,
    max_outcome_distance: int,
    max_place_distance: int,
    total_memory_sentences: int,
    scorer: Callable[..., dict[str, Any]] | None,
) -> Linker:
    return Linker(
        name,
        max_outcome_distance=max_outcome_distance,
        max_place_distance=max_place_distance,
        total_memory_sentences=total_memory_sentences,
        scorer=scorer,
    )
