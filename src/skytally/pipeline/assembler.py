"""`skytally_events`: typed events from entities, values and links.

One event per COUNT and linked place ("two each over A and B" is two
events). A count without its own period, claimant, weapon or outcome takes
its total's (docs/conventions.md). The same claim restated later in an
article (a headline, a recap paragraph) is reported once: the mention
with more evidence is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from . import attributes
from .sentences import SentenceIndex

Offsets = tuple[int, int]
NEW_MENTION_WORDS = frozenset({"another", "one more", "a further"})


class EventAssembler:
    def __init__(
        self,
        name: str,
        *,
        merge_restatements: bool,
        scorer: Callable[..., dict[str, Any]] | None,
    ) -> None:
        self.name = name
        self.merge_restatements = merge_restatements
        self.scorer = scorer
        attributes.register()

    def __call__(self, doc: Doc) -> Doc:
        doc._.event_data = assemble(doc, merge_restatements=self.merge_restatements)
        return doc

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        from ..evaluation.matching import score_event_examples

        return score_event_examples(examples)


def assemble(doc: Doc, *, merge_restatements: bool = True) -> list[dict[str, Any]]:
    values: dict[str, Any] = doc._.skytally_values or {}
    info: dict[str, Any] = doc._.count_info or {}
    text = doc.text
    links: dict[Offsets, dict[str, list[tuple[Offsets, float]]]] = {}
    for head_start, head_end, child_start, child_end, label, score in doc._.links or []:
        links.setdefault((head_start, head_end), {}).setdefault(label, []).append(
            ((child_start, child_end), score)
        )
    # "four of the seven missiles": "the seven" repeats a count already reported
    counts = sorted(
        (
            e
            for e in doc.ents
            if e.label_ == "COUNT"
            and attributes.span_key(e.start_char, e.end_char) in values
            and not (info.get(attributes.span_key(e.start_char, e.end_char)) or {}).get("restates")
        ),
        key=lambda e: e.start_char,
    )
    sentences = SentenceIndex(doc)
    sentence_of = {}
    for ent in counts:
        first, last = sentences.start(ent), sentences.end(ent)
        sentence_of[ent.start_char] = (doc[first].idx, doc[last - 1].idx + len(doc[last - 1]))

    def value_of(offsets: Offsets) -> dict[str, Any]:
        return values.get(attributes.span_key(*offsets)) or {}

    def evidence(offsets: Offsets) -> dict[str, Any]:
        return {"text": text[offsets[0] : offsets[1]], "start": offsets[0], "end": offsets[1]}

    def own(count: Offsets, label: str) -> Offsets | None:
        found = links.get(count, {}).get(label)
        return found[0][0] if found else None

    def inherited(
        count: Offsets, label: str, seen: frozenset[Offsets] = frozenset()
    ) -> Offsets | None:
        found = own(count, label)
        if found is not None:
            return found
        parent = own(count, "part_of")
        if parent is None or parent in seen:
            return None
        return inherited(parent, label, seen | {count})

    def outcome_of(count: Offsets, seen: frozenset[Offsets] = frozenset()) -> str | None:
        span = own(count, "outcome")
        if span is not None and value_of(span).get("value"):
            return str(value_of(span)["value"])
        implied = (info.get(attributes.span_key(*count)) or {}).get("outcome")
        if implied:
            return str(implied)
        parent = own(count, "part_of")
        if parent is None or parent in seen:
            return None
        return outcome_of(parent, seen | {count})

    drafts: list[dict[str, Any]] = []
    for ent in counts:
        key: Offsets = (ent.start_char, ent.end_char)
        count_value = value_of(key)
        count_info = info.get(attributes.span_key(*key)) or {}
        outcome = outcome_of(key)
        confidence = float(count_info.get("confidence", 0.9))
        if outcome is None:
            # no word says what happened to them: settled below, from a twin
            # mention that does say ("up to 50 drones in the air" in a
            # headline, "... had been launched" in the body), or dropped
            confidence *= 0.6
        places = links.get(key, {}).get("place") or [(None, 1.0)]
        weapon = inherited(key, "weapon")
        period = inherited(key, "time")
        claimant = inherited(key, "claimant")
        heading = own(key, "heading_to")
        for place, score in places:
            drafts.append(
                {
                    "count": {
                        **evidence(key),
                        "value": count_value["value"],
                        "qualifier": count_value["qualifier"],
                    },
                    "weapon": {
                        **evidence(weapon),
                        "category": value_of(weapon).get("category", "unknown"),
                    }
                    if weapon
                    else None,
                    "outcome": outcome,
                    "place": _place(place, evidence, value_of),
                    "heading_to": _place(heading, evidence, value_of),
                    "period": {
                        "text": text[period[0] : period[1]],
                        "text_start": period[0],
                        "text_end": period[1],
                        "start": value_of(period).get("start"),
                        "end": value_of(period).get("end"),
                    }
                    if period
                    else None,
                    "claimant": {**evidence(claimant), "name": value_of(claimant).get("name", "")}
                    if claimant
                    else None,
                    "_parent": own(key, "part_of"),
                    "_key": key,
                    "sentence": {
                        "start": sentence_of[ent.start_char][0],
                        "end": sentence_of[ent.start_char][1],
                    },
                    "confidence": round(min(1.0, confidence * score), 3),
                }
            )
    drafts = _settle_missing_outcomes(drafts)
    first_draft: dict[Offsets, int] = {}
    for index, draft in enumerate(drafts):
        first_draft.setdefault(draft["_key"], index)
    if merge_restatements:
        drafts, first_draft = _merge_restatements(drafts)
    for draft in drafts:
        parent = draft.pop("_parent")
        draft.pop("_key")
        draft["part_of"] = first_draft.get(parent) if parent is not None else None
    return drafts


def _place(
    offsets: Offsets | None,
    evidence: Callable[[Offsets], dict[str, Any]],
    value_of: Callable[[Offsets], dict[str, Any]],
) -> dict[str, Any] | None:
    if offsets is None:
        return None
    value = value_of(offsets)
    return {
        **evidence(offsets),
        "code": value.get("code"),
        "name": value.get("name") or evidence(offsets)["text"],
        "kind": value.get("kind") or "region",
    }


def _settle_missing_outcomes(drafts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A count no outcome word speaks for is a claim only as a restatement of
    one that has one; otherwise it is not reported (it may be drones "in the
    air", spotted, or heading somewhere, with no claim about their fate)."""
    settled = []
    for draft in drafts:
        if draft["outcome"] is None:
            twin = next(
                (
                    other
                    for other in drafts
                    if other["outcome"] is not None
                    and other["count"]["value"] == draft["count"]["value"]
                    and other["count"]["qualifier"] == draft["count"]["qualifier"]
                    and _category(other) in (_category(draft), None)
                ),
                None,
            )
            if twin is None:
                continue
            draft["outcome"] = twin["outcome"]
        settled.append(draft)
    return settled


def _category(draft: dict[str, Any]) -> str | None:
    return draft["weapon"]["category"] if draft["weapon"] else None


def _identity(draft: dict[str, Any]) -> tuple[Any, ...]:
    # the place's name too: one drone over the Pogarsky district and another
    # over the Starodubsky district are two claims in the same region
    place = (draft["place"]["code"], draft["place"]["name"]) if draft["place"] else None
    heading = draft["heading_to"]["code"] if draft["heading_to"] else None
    return (draft["count"]["value"], draft["outcome"], place, _category(draft), heading)


def _periods_agree(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None or None in (a["start"], a["end"], b["start"], b["end"]):
        return True
    return a["start"] < b["end"] and b["start"] < a["end"]


def _evidence_weight(draft: dict[str, Any], children: set[Offsets]) -> int:
    return sum(draft[k] is not None for k in ("period", "claimant", "place", "weapon")) + (
        2 if draft["_key"] in children else 0
    )


def _merge_restatements(
    drafts: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[Offsets, int]]:
    """Drop a later (or weaker) mention of the same claim; children of the
    dropped mention move to the kept one."""
    parents = {d["_parent"] for d in drafts if d["_parent"] is not None}
    replaced: dict[Offsets, Offsets] = {}
    kept: list[dict[str, Any]] = []
    for draft in drafts:
        if draft["count"]["text"].lower() in NEW_MENTION_WORDS:
            kept.append(draft)  # "Another UAV was shot down" is never a restatement
            continue
        twin = next(
            (
                k
                for k in kept
                if _identity(k) == _identity(draft)
                and k["sentence"] != draft["sentence"]  # a sentence does not restate itself
                and _periods_agree(k["period"], draft["period"])
                and k["_key"] != draft["_key"]
                and k["_key"] != draft["_parent"]
                and draft["_key"] != k["_parent"]
                and (k["_parent"] is None)
                == (draft["_parent"] is None or draft["place"] is not None)
            ),
            None,
        )
        if twin is None:
            kept.append(draft)
            continue
        if _evidence_weight(draft, parents) > _evidence_weight(twin, parents):
            kept[kept.index(twin)] = draft
            replaced[twin["_key"]] = draft["_key"]
        else:
            replaced[draft["_key"]] = twin["_key"]
    kept.sort(key=lambda d: (d["count"]["start"], d["place"]["start"] if d["place"] else -1))
    for draft in kept:
        if draft["_parent"] in replaced:
            draft["_parent"] = replaced[draft["_parent"]]
        if draft["_parent"] == draft["_key"]:
            draft["_parent"] = None
    first: dict[Offsets, int] = {}
    for index, draft in enumerate(kept):
        first.setdefault(draft["_key"], index)
    for old, new in replaced.items():
        if new in first:
            first.setdefault(old, first[new])
    return kept, first


@registry.scorers("skytally.event_scorer.v1")
def make_event_scorer() -> Callable[..., dict[str, Any]]:
    from ..evaluation.matching import score_event_examples

    return score_event_examples


@Language.factory(
    "skytally_events",
    default_config={
        "merge_restatements": True,
        "scorer": {"@scorers": "skytally.event_scorer.v1"},
    },
)
def make_assembler(
    nlp: Language,
    name: str,
    *,
    merge_restatements: bool,
    scorer: Callable[..., dict[str, Any]] | None,
) -> EventAssembler:
    return EventAssembler(name, merge_restatements=merge_restatements, scorer=scorer)
