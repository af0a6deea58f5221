"""Event-level matching: the number users care about.

A gold event is *found* when a predicted event has the same count value,
outcome and place code. Matching is one to one. Gold events marked
`optional` are matched last: a prediction that matches one is neither
credited nor penalised, and an unmatched optional event is not a miss.
Over the found events, the accuracy of the other fields is measured
(docs/evaluation.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from spacy.scorer import PRFScore

from ..schema import GoldEvent, InterceptionEvent, Period

ATTRIBUTES = ("weapon", "qualifier", "heading_to", "period", "part_of", "end_date", "clock")
#: the fields an event must get right, beyond the match itself, to count as strictly right
STRICT_ATTRIBUTES = ("weapon", "qualifier", "heading_to", "period", "part_of")
# What makes a gold period checkable to the minute: a clock written in the
# text (docs/conventions.md lists the forms: 14:20, 23.00, 2 pm, 2300 hrs,
# 0400 GMT, noon, midnight).
CLOCK_TIME = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b|\b\d{4}\s*(?:hrs|hours|gmt|utc|msk)\b"
    r"|\b(?:noon|midday|midnight)\b",
    re.IGNORECASE,
)
CLOCK_TOLERANCE = timedelta(minutes=1)


def match_key(event: InterceptionEvent) -> tuple[int, str, str | None]:
    return (event.count.value, event.outcome.value, event.place.code if event.place else None)


@dataclass
class DocumentMatch:
    """How the predictions of one document line up with its gold events."""

    pairs: list[tuple[int, int]] = field(default_factory=list)  # (gold index, predicted index)
    optional_pairs: list[tuple[int, int]] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)  # gold indices
    spurious: list[int] = field(default_factory=list)  # predicted indices

    @property
    def gold_to_predicted(self) -> dict[int, int]:
        return dict(self.pairs + self.optional_pairs)


def match_events(
    gold: Sequence[GoldEvent], predicted: Sequence[InterceptionEvent]
) -> DocumentMatch:
    """One-to-one matching on `match_key`.

    Required gold events are paired first, so an optional reading never takes
    a prediction a required one could use. Within each round, the candidate
    pairs are taken closest-first (distance between the count offsets): the
    number of pairs is the same whatever the order, because equal keys form
    interchangeable groups, but closest-first pairs a count with the
    prediction read from the same words, which is what the attribute scores
    and the `part_of` mapping need.
    """
    result = DocumentMatch()
    free = set(range(len(predicted)))
    keys = [match_key(p) for p in predicted]
    for want_optional in (False, True):
        wanted = [g for g, event in enumerate(gold) if event.optional == want_optional]
        candidates = sorted(
            (abs(predicted[p].count.start - gold[g].count.start), g, p)
            for g in wanted
            for p in free
            if keys[p] == match_key(gold[g])
        )
        paired: set[int] = set()
        for _, g_index, p_index in candidates:
            if g_index in paired or p_index not in free:
                continue
            paired.add(g_index)
            free.discard(p_index)
            (result.optional_pairs if want_optional else result.pairs).append((g_index, p_index))
        if not want_optional:
            result.missed = [g for g in wanted if g not in paired]
    result.pairs.sort()
    result.optional_pairs.sort()
    result.spurious = sorted(free)
    return result


def _same_place(a: Any, b: Any) -> bool:
    return (a.code if a else None) == (b.code if b else None)


def period_agrees(gold: GoldEvent, predicted: InterceptionEvent) -> bool:
    """The period rule (docs/evaluation.md).

    * gold unresolved (no period, or neither start nor end): the prediction
      must be unresolved too;
    * otherwise the gold end (the start, for an open end such as "since
      23:00", which then needs an open predicted end) and the predicted one
      fall on the same calendar day, read at the gold UTC offset;
    * where the gold text names a clock time, start and end must also each
      be within a minute of the gold ones (a missing side only matches a
      missing side).

    Dates rather than instants by default because named windows
    ("overnight", "on Sunday") have conventional hours that a reader of the
    text cannot check; a clock time in the text can be checked exactly.
    """
    if not end_date_agrees(gold, predicted):
        return False
    clock = clock_agrees(gold, predicted)
    return True if clock is None else clock


def end_date_agrees(gold: GoldEvent, predicted: InterceptionEvent) -> bool:
    """The calendar-day half of the period rule: the gold end (or the start, for an
    open end) and the predicted one fall on the same day at the gold UTC offset."""
    gold_start, gold_end = _bounds(gold.period)
    predicted_start, predicted_end = _bounds(predicted.period)
    if gold_start is None and gold_end is None:
        return predicted_start is None and predicted_end is None
    if gold_end is not None:
        anchor, other = gold_end, predicted_end
    else:
        if predicted_end is not None:
            return False
        anchor, other = gold_start, predicted_start  # type: ignore[assignment]
    return other is not None and other.astimezone(anchor.tzinfo).date() == anchor.date()


def clock_agrees(gold: GoldEvent, predicted: InterceptionEvent) -> bool | None:
    """The clock half of the period rule: None where the gold text names no clock
    time; otherwise whether start and end are each within a minute of the gold."""
    if gold.period is None or not CLOCK_TIME.search(gold.period.text):
        return None
    gold_start, gold_end = _bounds(gold.period)
    predicted_start, predicted_end = _bounds(predicted.period)
    return _close(gold_end, predicted_end) and _close(gold_start, predicted_start)


def _bounds(period: Period | None) -> tuple[datetime | None, datetime | None]:
    return (period.start, period.end) if period is not None else (None, None)


def _close(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= CLOCK_TOLERANCE


def part_of_agrees(
    gold: Sequence[GoldEvent],
    predicted: Sequence[InterceptionEvent],
    g_index: int,
    p_index: int,
    predicted_to_gold: dict[int, int],
) -> bool:
    """Indices differ between the two lists, so `part_of` is compared through
    the matching: the predicted parent must be the match of the gold parent.

    A total read "each" ("two each over A and B") is several gold events with
    one count; `part_of` names the first of them, so the match of any event
    with the gold parent's count is accepted.
    """
    gold_parent, predicted_parent = gold[g_index].part_of, predicted[p_index].part_of
    if gold_parent is None or predicted_parent is None:
        return gold_parent is None and predicted_parent is None
    matched = predicted_to_gold.get(predicted_parent)
    if matched is None or not 0 <= gold_parent < len(gold):
        return False
    return _count_span(gold[matched]) == _count_span(gold[gold_parent])


def _count_span(event: InterceptionEvent) -> tuple[int, int]:
    return (event.count.start, event.count.end)


def attribute_agreement(
    gold: Sequence[GoldEvent],
    predicted: Sequence[InterceptionEvent],
    match: DocumentMatch,
) -> dict[str, list[bool]]:
    """For each attribute, one bool per found (non-optional) gold event."""
    predicted_to_gold = {p: g for g, p in match.gold_to_predicted.items()}
    results: dict[str, list[bool]] = {name: [] for name in ATTRIBUTES}
    for g_index, p_index in match.pairs:
        g, p = gold[g_index], predicted[p_index]
        results["weapon"].append(
            (g.weapon.category if g.weapon else None) == (p.weapon.category if p.weapon else None)
        )
        results["qualifier"].append(g.count.qualifier == p.count.qualifier)
        results["heading_to"].append(_same_place(g.heading_to, p.heading_to))
        results["period"].append(period_agrees(g, p))
        results["part_of"].append(
            part_of_agrees(gold, predicted, g_index, p_index, predicted_to_gold)
        )
        results["end_date"].append(end_date_agrees(g, p))
        clock = clock_agrees(g, p)
        if clock is not None:  # only where the gold text names a clock time
            results["clock"].append(clock)
    return results


@dataclass
class EventScores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    optional_matched: int = 0
    attribute_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ATTRIBUTES, 0))
    attribute_totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ATTRIBUTES, 0))
    strict_tp: int = 0

    def add(
        self, gold: Sequence[GoldEvent], predicted: Sequence[InterceptionEvent]
    ) -> DocumentMatch:
        match = match_events(gold, predicted)
        self.tp += len(match.pairs)
        self.fn += len(match.missed)
        self.fp += len(match.spurious)
        self.optional_matched += len(match.optional_pairs)
        agreement = attribute_agreement(gold, predicted, match)
        for name, hits in agreement.items():
            self.attribute_hits[name] += sum(hits)
            self.attribute_totals[name] += len(hits)
        self.strict_tp += sum(
            all(agreement[name][i] for name in STRICT_ATTRIBUTES) for i in range(len(match.pairs))
        )
        return match

    @property
    def scores(self) -> PRFScore:
        return PRFScore(tp=self.tp, fp=self.fp, fn=self.fn)

    @property
    def strict_scores(self) -> PRFScore:
        """Found events with every other field right too: the others count as wrong
        predictions and as misses."""
        wrong = self.tp - self.strict_tp
        return PRFScore(tp=self.strict_tp, fp=self.fp + wrong, fn=self.fn + wrong)

    @property
    def precision(self) -> float:
        return float(self.scores.precision)

    @property
    def recall(self) -> float:
        return float(self.scores.recall)

    @property
    def f1(self) -> float:
        return float(self.scores.fscore)

    def as_dict(self) -> dict[str, Any]:
        return {
            "events_p": self.precision,
            "events_r": self.recall,
            "events_f": self.f1,
            "events_tp": self.tp,
            "events_fp": self.fp,
            "events_fn": self.fn,
            "events_optional_matched": self.optional_matched,
            "events_strict_p": self.strict_precision,
            "events_strict_r": self.strict_recall,
            "events_strict_f": self.strict_f1,
            "events_attribute_accuracy": {
                name: self.attribute_hits[name] / self.attribute_totals[name]
                if self.attribute_totals[name]
                else 0.0
                for name in ATTRIBUTES
            },
            "events_attribute_counts": {
                name: {"correct": self.attribute_hits[name], "total": self.attribute_totals[name]}
                for name in ATTRIBUTES
            },
        }

    @property
    def strict_precision(self) -> float:
        return float(self.strict_scores.precision)

    @property
    def strict_recall(self) -> float:
        return float(self.strict_scores.recall)

    @property
    def strict_f1(self) -> float:
        return float(self.strict_scores.fscore)


def gold_events_of(doc: Any) -> list[GoldEvent]:
    return [GoldEvent.model_validate(item) for item in doc._.event_data or []]


def score_event_examples(examples: Iterable[Any]) -> dict[str, Any]:
    """spaCy scorer: reference docs carry gold events in `doc._.event_data`."""
    scores = EventScores()
    for example in examples:
        scores.add(gold_events_of(example.reference), example.predicted._.events)
    return scores.as_dict()
