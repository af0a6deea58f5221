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

from ..schema import GoldEvent, InterceptionEvent

ATTRIBUTES = ("weapon", "qualifier", "heading_to", "period", "part_of")
CLOCK_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b|\b\d{4}\s*hrs\b", re.IGNORECASE)
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


def match_events(gold: Sequence[GoldEvent], predicted: Sequence[InterceptionEvent]) -> DocumentMatch:
    """One-to-one matching; among equal keys the pair closest in the text wins."""
    result = DocumentMatch()
    free = set(range(len(predicted)))
    for want_optional in (False, True):
        for g_index, gold_event in enumerate(gold):
            if gold_event.optional != want_optional:
                continue
            candidates = [p for p in free if match_key(predicted[p]) == match_key(gold_event)]
            if not candidates:
                if not want_optional:
                    result.missed.append(g_index)
                continue
            best = min(
                candidates, key=lambda p: abs(predicted[p].count.start - gold_event.count.start)
            )
            free.discard(best)
            (result.optional_pairs if want_optional else result.pairs).append((g_index, best))
    result.spurious = sorted(free)
    return result


def _same_place(a: Any, b: Any) -> bool:
    return (a.code if a else None) == (b.code if b else None)


def period_agrees(gold: GoldEvent, predicted: InterceptionEvent) -> bool:
    """End dates agree; where the gold text names clock times, within a minute."""
    gold_period, predicted_period = gold.period, predicted.period
    gold_end = gold_period.end if gold_period else None
    gold_start = gold_period.start if gold_period else None
    predicted_end = predicted_period.end if predicted_period else None
    predicted_start = predicted_period.start if predicted_period else None
    if gold_end is None and gold_start is None:
        return predicted_end is None and predicted_start is None
    if gold_end is None or predicted_end is None:
        return gold_end is None and predicted_end is None and _close(gold_start, predicted_start)
    if predicted_end.astimezone(gold_end.tzinfo).date() != gold_end.date():
        return False
    if gold_period is not None and CLOCK_TIME.search(gold_period.text):
        return _close(gold_end, predicted_end) and _close(gold_start, predicted_start)
    return True


def _close(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= CLOCK_TOLERANCE


def attribute_agreement(
    gold: Sequence[GoldEvent],
    predicted: Sequence[InterceptionEvent],
    match: DocumentMatch,
) -> dict[str, list[bool]]:
    """For each attribute, one bool per found (non-optional) gold event."""
    mapping = match.gold_to_predicted
    results: dict[str, list[bool]] = {name: [] for name in ATTRIBUTES}
    for g_index, p_index in match.pairs:
        g, p = gold[g_index], predicted[p_index]
        results["weapon"].append(
            (g.weapon.category if g.weapon else None) == (p.weapon.category if p.weapon else None)
        )
        results["qualifier"].append(g.count.qualifier == p.count.qualifier)
        results["heading_to"].append(_same_place(g.heading_to, p.heading_to))
        results["period"].append(period_agrees(g, p))
        if g.part_of is None:
            results["part_of"].append(p.part_of is None)
        else:
            results["part_of"].append(mapping.get(g.part_of, -1) == p.part_of)
    return results


@dataclass
class EventScores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    optional_matched: int = 0
    attribute_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ATTRIBUTES, 0))
    attribute_total: int = 0

    def add(self, gold: Sequence[GoldEvent], predicted: Sequence[InterceptionEvent]) -> DocumentMatch:
        match = match_events(gold, predicted)
        self.tp += len(match.pairs)
        self.fn += len(match.missed)
        self.fp += len(match.spurious)
        self.optional_matched += len(match.optional_pairs)
        for name, hits in attribute_agreement(gold, predicted, match).items():
            self.attribute_hits[name] += sum(hits)
        self.attribute_total += len(match.pairs)
        return match

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "events_p": self.precision,
            "events_r": self.recall,
            "events_f": self.f1,
            "events_tp": self.tp,
            "events_fp": self.fp,
            "events_fn": self.fn,
            "events_optional_matched": self.optional_matched,
            "events_attribute_accuracy": {
                name: (self.attribute_hits[name] / self.attribute_total if self.attribute_total else 0.0)
                for name in ATTRIBUTES
            },
            "events_attribute_counts": {
                name: {"correct": self.attribute_hits[name], "total": self.attribute_total}
                for name in ATTRIBUTES
            },
        }


def gold_events_of(doc: Any) -> list[GoldEvent]:
    return [GoldEvent.model_validate(item) for item in doc._.event_data or []]


def score_event_examples(examples: Iterable[Any]) -> dict[str, Any]:
    """spaCy scorer: reference docs carry gold events in `doc._.event_data`."""
    scores = EventScores()
    for example in examples:
        scores.add(gold_events_of(example.reference), example.predicted._.events)
    return scores.as_dict()
