"""Events from counts and their links: one builder for the pipeline's predictions
(`skytally_events`) and for the corpus's gold events (`corpus/gold.py`), so the
two can only differ in their links, never in how links become events.

The conventions (docs/conventions.md): a count without its own weapon, period
or claimant inherits them from the total it is `part_of`; its outcome is its
own outcome word, else an outcome the text implies without a word for it
("11 of 17": the 17 were launched), else its total's; a count linked to
several places ("two each over A and B") is one event per place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

Offsets = tuple[int, int]
#: count offsets -> link label -> [(other end's offsets, score)], in the order given
Links = dict[Offsets, dict[str, list[tuple[Offsets, float]]]]


def link_table(rows: Iterable[Sequence[Any]]) -> Links:
    """Links from rows `[count start, count end, other start, other end, label, score]`."""
    links: Links = {}
    for row in rows:
        count, other, label = (int(row[0]), int(row[1])), (int(row[2]), int(row[3])), str(row[4])
        score = float(row[5]) if len(row) > 5 else 1.0
        links.setdefault(count, {}).setdefault(label, []).append((other, score))
    return links


class EventBuilder:
    """Builds the JSON form of events (`InterceptionEvent.model_dump`) of one text."""

    def __init__(
        self,
        text: str,
        links: Links,
        value_of: Callable[[Offsets], dict[str, Any]],
        implied_outcome: Callable[[Offsets], str | None],
    ) -> None:
        self.text = text
        self.links = links
        self.value_of = value_of
        self.implied_outcome = implied_outcome

    def own(self, count: Offsets, label: str) -> Offsets | None:
        found = self.links.get(count, {}).get(label)
        return found[0][0] if found else None

    def inherited(
        self, count: Offsets, label: str, seen: frozenset[Offsets] = frozenset()
    ) -> Offsets | None:
        found = self.own(count, label)
        if found is not None:
            return found
        parent = self.own(count, "part_of")
        if parent is None or parent in seen:
            return None
        return self.inherited(parent, label, seen | {count})

    def outcome(self, count: Offsets, seen: frozenset[Offsets] = frozenset()) -> str | None:
        span = self.own(count, "outcome")
        if span is not None and self.value_of(span).get("value"):
            return str(self.value_of(span)["value"])
        implied = self.implied_outcome(count)
        if implied:
            return str(implied)
        parent = self.own(count, "part_of")
        if parent is None or parent in seen:
            return None
        return self.outcome(parent, seen | {count})

    def places(self, count: Offsets) -> list[tuple[Offsets | None, float]]:
        """The places of a count with their scores; one `None` when it has none."""
        return list(self.links.get(count, {}).get("place") or [(None, 1.0)])

    def evidence(self, offsets: Offsets) -> dict[str, Any]:
        return {"text": self.text[offsets[0] : offsets[1]], "start": offsets[0], "end": offsets[1]}

    def place(self, offsets: Offsets | None) -> dict[str, Any] | None:
        if offsets is None:
            return None
        value = self.value_of(offsets)
        return {
            **self.evidence(offsets),
            "code": value.get("code"),
            "name": value.get("name") or self.text[offsets[0] : offsets[1]],
            "kind": value.get("kind") or "region",
        }

    def event(self, count: Offsets, place: Offsets | None, sentence: Offsets) -> dict[str, Any]:
        """The event of `count` at `place` (one of its places, or None): every field but
        `part_of` and `confidence`, which depend on the other events."""
        value = self.value_of(count)
        weapon = self.inherited(count, "weapon")
        period = self.inherited(count, "time")
        claimant = self.inherited(count, "claimant")
        return {
            "count": {
                **self.evidence(count),
                "value": value["value"],
                "qualifier": value.get("qualifier", "exact"),
                "upper": value.get("upper"),
            },
            "weapon": {
                **self.evidence(weapon),
                "category": self.value_of(weapon).get("category", "unknown"),
            }
            if weapon
            else None,
            "outcome": self.outcome(count),
            "place": self.place(place),
            "heading_to": self.place(self.own(count, "heading_to")),
            "period": {
                "text": self.text[period[0] : period[1]],
                "text_start": period[0],
                "text_end": period[1],
                "start": self.value_of(period).get("start"),
                "end": self.value_of(period).get("end"),
            }
            if period
            else None,
            "claimant": {**self.evidence(claimant), "name": self.value_of(claimant).get("name", "")}
            if claimant
            else None,
            "sentence": {"start": sentence[0], "end": sentence[1]},
        }
