"""Arithmetic of totals and their parts, shared by the decoder and the data checks.

A total can be split several ways at once: a launched total by fate (destroyed,
suppressed and hit parts exclude each other) and by kind of weapon (launched
parts), and each of those by place, by heading or by a period of its own
("67 from 13:00 to 20:00, 159 more overnight"). Parts of one way of splitting
never add up to more than an exact total; parts of different ways may.

Events are read in their JSON form (`InterceptionEvent.model_dump()` or the
decoder's drafts), so both sides use the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Event = Mapping[str, Any]


def _bounds(event: Event) -> tuple[Any, Any] | None:
    period = event.get("period")
    return (period.get("start"), period.get("end")) if period else None


def partition(part: Event, whole: Event) -> tuple[str, str]:
    """The way of splitting `whole` that `part` belongs to."""
    fate = "launched" if str(part["outcome"]) == "launched" else "fate"
    if part.get("place") is not None:
        return fate, "place"
    if part.get("heading_to") is not None:
        return fate, "heading"
    own = _bounds(part)
    if own is not None and own != _bounds(whole):
        return fate, "period"
    return fate, "plain"


def _exact(event: Event) -> bool:
    return str(event["count"].get("qualifier", "exact")) == "exact"


def overfull_parts(events: Sequence[Event]) -> list[tuple[int, tuple[str, str], list[int]]]:
    """(total index, way of splitting, part indices in order) for every group of
    exact parts that adds up to more than its exact total."""
    groups: dict[tuple[int, tuple[str, str]], list[int]] = {}
    for index, event in enumerate(events):
        parent = event.get("part_of")
        if parent is None or not _exact(event) or not 0 <= parent < len(events):
            continue
        groups.setdefault((parent, partition(event, events[parent])), []).append(index)
    overfull = []
    for (parent, way), members in sorted(groups.items()):
        whole = events[parent]
        used = sum(events[i]["count"]["value"] for i in members)
        if _exact(whole) and used > whole["count"]["value"]:
            overfull.append((parent, way, members))
    return overfull


def repair_overfull(events: Sequence[Event]) -> dict[int, int | None]:
    """New totals for the parts that make an exact total overfull: in each overfull
    group the parts are kept in text order while they fit; a part that does not
    fit goes under an earlier part of the group that still has room for it
    ("neutralised 479: 270 shot down, 208 jammed", read as parts of the 550
    launched), else it stands alone (None)."""
    moves: dict[int, int | None] = {}
    used = {i: 0 for i in range(len(events))}
    for event in events:
        parent = event.get("part_of")
        if parent is not None and 0 <= parent < len(events) and _exact(event):
            used[parent] += event["count"]["value"]
    for parent, _, members in overfull_parts(events):
        room = events[parent]["count"]["value"]
        kept: list[int] = []
        for index in members:
            value = events[index]["count"]["value"]
            if value <= room:
                room -= value
                kept.append(index)
                continue
            host = next(
                (
                    k
                    for k in reversed(kept)
                    if _exact(events[k])
                    and events[k]["count"]["value"] - used[k] >= value
                    and str(events[k]["outcome"]) != "hit"
                ),
                None,
            )
            if host is not None:
                used[host] += value
            moves[index] = host
    return moves
