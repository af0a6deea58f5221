"""`skytally_decoder`: chooses the links of every count from scored candidates.

Scorers (the rule linker, the trained relation model, or both) write candidate
links with a score to `doc._.link_candidates[<scorer name>]`. The decoder
combines them (a weighted mean over the scorers that ran on the Doc; a scorer
that did not propose a link gave it 0) and keeps, under hard constraints:

* at most one outcome, weapon, time, claimant, heading and total per count;
* places: the best one, and others only when they score as well (within
  `place_tie_margin`): "two each over Kursk and Bryansk" is one count with two
  places, which the rules give the same score;
* a place and a heading never share a mention (the better link wins);
* a count is part of a total only when the total is not smaller (an exact total)
  and the link closes no cycle; totals are chosen best-scored first.

Exact totals that their exact parts overfill, restatements and the other
event-level constraints are settled when events are built (`skytally_events`,
with `skytally.totals`), where the values and periods of whole events are known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.scorer import PRFScore
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from ..errors import Errors, InputError
from ..furniture import furniture_lines
from . import attributes
from .relation_model import LINK_LABELS

Row = list[Any]  # [count start, count end, child start, child end, label, score]
Key = tuple[int, int, int, int, str]
SINGLE_LABELS = ("outcome", "weapon", "time", "claimant", "heading_to")


class LinkDecoder(Pipe):
    def __init__(
        self,
        name: str,
        *,
        weights: dict[str, float],
        label_weights: dict[str, dict[str, float]],
        thresholds: dict[str, float],
        place_tie_margin: float,
        scorer: Callable[..., dict[str, Any]] | None,
    ) -> None:
        unknown = (set(thresholds) | {k for t in label_weights.values() for k in t}) - set(
            LINK_LABELS
        )
        if unknown:
            raise InputError(
                Errors.E006.format(
                    name="skytally_decoder thresholds",
                    allowed=f"among {LINK_LABELS}",
                    value=sorted(unknown),
                )
            )
        if any(weight < 0 for weight in weights.values()) or not any(weights.values()):
            raise InputError(
                Errors.E006.format(
                    name="skytally_decoder weights",
                    allowed="non-negative with at least one above 0",
                    value=weights,
                )
            )
        self.name = name
        self.weights = weights
        self.label_weights = label_weights
        self.thresholds = {label: thresholds.get(label, 0.5) for label in LINK_LABELS}
        self.place_tie_margin = place_tie_margin
        self.scorer = scorer
        attributes.register()

    def __call__(self, doc: Doc) -> Doc:
        combined = self.combine(doc._.link_candidates or {})
        values = doc._.skytally_values or {}
        doc._.links = self.decode(combined, values)
        info = dict(doc._.count_info or {})
        for start, end in furniture_lines(doc.text):
            for ent in doc.ents:
                if ent.label_ == "COUNT" and start <= ent.start_char < end:
                    key = attributes.span_key(ent.start_char, ent.end_char)
                    info[key] = {**info.get(key, {}), "furniture": True}
        doc._.count_info = info
        return doc

    def weight(self, scorer: str, label: str) -> float:
        return self.label_weights.get(scorer, {}).get(label, self.weights.get(scorer, 0.0))

    def combine(self, candidates: dict[str, list[Row]]) -> dict[Key, float]:
        """The weighted mean score of every proposed link, per label over the scorers
        that ran on the Doc."""
        totals = {
            label: sum(self.weight(name, label) for name in candidates) for label in LINK_LABELS
        }
        scores: dict[Key, float] = {}
        for name, rows in candidates.items():
            for row in rows:
                label = str(row[4])
                weight = self.weight(name, label)
                if weight <= 0 or totals.get(label, 0) <= 0:
                    continue
                key: Key = (int(row[0]), int(row[1]), int(row[2]), int(row[3]), label)
                scores[key] = scores.get(key, 0.0) + weight / totals[label] * float(row[5])
        return scores

    def decode(self, scores: dict[Key, float], values: dict[str, Any]) -> list[Row]:
        by_count: dict[tuple[int, int], dict[str, list[tuple[float, Key]]]] = {}
        for key, score in scores.items():
            if score >= self.thresholds[key[4]]:
                by_count.setdefault(key[:2], {}).setdefault(key[4], []).append((score, key))
        chosen: list[tuple[Key, float]] = []
        totals: list[tuple[float, Key]] = []
        for _count, labels in sorted(by_count.items()):
            picked: dict[str, list[tuple[float, Key]]] = {}
            for label, options in labels.items():
                options.sort(key=lambda item: (-item[0], item[1][2]))
                if label == "part_of":
                    totals.extend(options)
                elif label == "place":
                    best = options[0][0]
                    picked[label] = sorted(
                        (o for o in options if o[0] >= best - self.place_tie_margin),
                        key=lambda item: item[1][2],
                    )
                else:
                    picked[label] = options[:1]
            self._one_role_per_mention(picked)
            for label in LINK_LABELS:
                chosen.extend((key, score) for score, key in picked.get(label, []))
        chosen.extend(self._choose_totals(totals, values))
        return [[*key[:4], key[4], round(score, 4)] for key, score in chosen]

    @staticmethod
    def _one_role_per_mention(picked: dict[str, list[tuple[float, Key]]]) -> None:
        headings = picked.get("heading_to", [])
        places = picked.get("place", [])
        if not headings or not places:
            return
        heading_score, heading = headings[0]
        clash = [p for p in places if p[1][2:4] == heading[2:4]]
        if not clash:
            return
        if clash[0][0] >= heading_score:
            picked["heading_to"] = []
        else:
            picked["place"] = [p for p in places if p not in clash]

    @staticmethod
    def _choose_totals(
        options: list[tuple[float, Key]], values: dict[str, Any]
    ) -> list[tuple[Key, float]]:
        def value(start: int, end: int) -> dict[str, Any]:
            return values.get(attributes.span_key(start, end)) or {}

        parent: dict[tuple[int, int], tuple[int, int]] = {}
        chosen: list[tuple[Key, float]] = []
        for score, key in sorted(options, key=lambda item: (-item[0], item[1])):
            child, total = key[:2], key[2:4]
            if child in parent:
                continue
            part, whole = value(*child), value(*total)
            if (
                whole.get("qualifier", "exact") == "exact"
                and part.get("value") is not None
                and whole.get("value") is not None
                and part["value"] > whole["value"]
            ):
                continue
            ancestor: tuple[int, int] | None = total
            while ancestor is not None and ancestor != child:
                ancestor = parent.get(ancestor)
            if ancestor == child:
                continue
            parent[child] = total
            chosen.append((key, score))
        return sorted(chosen, key=lambda item: item[0])

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return self.scorer(examples, **kwargs) if self.scorer else {}


def score_relations(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """Precision, recall and F1 of the chosen links, overall (`rel_p/r/f`) and per label
    (`rel_per_type`): a link is right when both ends and the label match the gold."""
    overall = PRFScore()
    per_label: dict[str, PRFScore] = {}
    for example in examples:
        predicted = {tuple(row[:5]) for row in example.predicted._.links or []}
        gold = {tuple(row[:5]) for row in example.reference._.links or []}
        overall.score_set(predicted, gold)
        for label in {row[4] for row in predicted | gold}:
            per_label.setdefault(str(label), PRFScore()).score_set(
                {row for row in predicted if row[4] == label},
                {row for row in gold if row[4] == label},
            )
    return {
        "rel_p": overall.precision,
        "rel_r": overall.recall,
        "rel_f": overall.fscore,
        "rel_per_type": {label: prf.to_dict() for label, prf in sorted(per_label.items())},
    }


@registry.scorers("skytally.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., dict[str, Any]]:
    return score_relations


@Language.factory(
    "skytally_decoder",
    requires=["doc._.link_candidates", "doc._.skytally_values"],
    assigns=["doc._.links", "doc._.count_info"],
    default_config={
        "weights": {"skytally_linker": 1.0, "skytally_relation_model": 1.0},
        "label_weights": {},
        "thresholds": {},
        "place_tie_margin": 0.05,
        "scorer": {"@scorers": "skytally.relation_scorer.v1"},
    },
    default_score_weights={"rel_f": 0.5},
)
def make_decoder(
    nlp: Language,
    name: str,
    *,
    weights: dict[str, float],
    label_weights: dict[str, dict[str, float]],
    thresholds: dict[str, float],
    place_tie_margin: float,
    scorer: Callable[..., dict[str, Any]] | None,
) -> LinkDecoder:
    return LinkDecoder(
        name,
        weights=weights,
        label_weights=label_weights,
        thresholds=thresholds,
        place_tie_margin=place_tie_margin,
        scorer=scorer,
    )
