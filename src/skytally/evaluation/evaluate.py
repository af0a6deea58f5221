"""`skytally evaluate`: entity, relation and event accuracy on annotated articles.

`evaluate()` runs a pipeline over annotated records and returns an
`EvaluationResult`: scores with the counts behind them, per-article counts
(for the bootstrap), and every missed and spurious event with its cause.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from spacy.language import Language
from spacy.tokens import Doc

from ..corpus.format import ArticleRecord, read_records
from ..corpus.validate import validate_record
from ..errors import DataError, Errors
from ..pipeline import attributes
from ..schema import GoldEvent, InterceptionEvent
from .matching import ATTRIBUTES, EventScores, match_events

ENTITY_STAGES = ("skytally_entities", "ner")
ErrorCause = Literal[
    "wrong number",
    "wrong place",
    "wrong outcome",
    "missing link",
    "count not found",
    "distractor taken as an event",
    "duplicate",
]


class PRF(BaseModel):
    p: float
    r: float
    f: float
    tp: int
    fp: int
    fn: int

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> PRF:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return cls(p=p, r=r, f=f, tp=tp, fp=fp, fn=fn)


class Accuracy(BaseModel):
    accuracy: float
    correct: int
    total: int


class EventError(BaseModel):
    kind: Literal["missed", "spurious"]
    cause: ErrorCause
    article: str
    sentence: str
    event: dict[str, Any]
    where: str = Field(description="file:line of the article")


class ArticleCounts(BaseModel):
    article: str
    tp: int
    fp: int
    fn: int


class EvaluationResult(BaseModel):
    data: str
    model: str
    articles: int
    entities: PRF
    entities_per_label: dict[str, PRF]
    relations: PRF
    relations_per_label: dict[str, PRF]
    relations_on_gold_entities: PRF
    relations_on_gold_entities_per_label: dict[str, PRF]
    events: PRF
    events_optional_matched: int
    attributes: dict[str, Accuracy]
    per_article: list[ArticleCounts]
    errors: list[EventError]


class ArticleRun(BaseModel):
    """What one article produced, kept for the HTML report and the sweep."""

    model_config = {"arbitrary_types_allowed": True}

    record: ArticleRecord
    where: str
    predicted_events: list[InterceptionEvent]
    predicted_entities: list[tuple[int, int, str]]
    predicted_links: list[tuple[int, int, int, int, str, float]]


Link = tuple[int, int, int, int, str]


def load_records(data: Path) -> list[tuple[str, ArticleRecord]]:
    """Read and validate annotated data; stop with every problem listed."""
    records = read_records(data)
    problems = [p for where, record in records for p in validate_record(record, where)]
    if problems:
        raise DataError(Errors.E030.format(n=len(problems), first=problems[0]), problems)
    return records


def _gold_links(record: ArticleRecord) -> set[Link]:
    spans = record.span_by_id()
    return {
        (spans[r.head].start, spans[r.head].end, spans[r.child].start, spans[r.child].end, r.label)
        for r in record.relations
    }


def _prepare(nlp: Language, record: ArticleRecord) -> Doc:
    doc = nlp.make_doc(record.text)
    doc._.published = record.published
    return doc


def _run_from_gold_entities(nlp: Language, record: ArticleRecord) -> set[Link]:
    """Links the pipeline draws when it is handed the gold entities."""
    doc = _prepare(nlp, record)
    for name, component in nlp.pipeline:
        if name == "skytally_sentences":
            doc = component(doc)
    spans = [doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in record.spans]
    doc.ents = [s for s in spans if s is not None]
    entity_stage_seen = False
    for name, component in nlp.pipeline:
        if name in ENTITY_STAGES:
            entity_stage_seen = True
            continue
        if entity_stage_seen:
            doc = component(doc)
    return {tuple(row[:5]) for row in doc._.links or []}  # type: ignore[misc]


def run_articles(
    nlp: Language,
    records: Sequence[tuple[str, ArticleRecord]],
    progress: Callable[[int], None] | None = None,
) -> list[ArticleRun]:
    runs: list[ArticleRun] = []
    docs = (_prepare(nlp, record) for _, record in records)
    for (where, record), doc in zip(records, nlp.pipe(docs, batch_size=16), strict=True):
        runs.append(
            ArticleRun(
                record=record,
                where=where,
                predicted_events=doc._.events,
                predicted_entities=[(e.start_char, e.end_char, e.label_) for e in doc.ents],
                predicted_links=[tuple(row) for row in doc._.links or []],  # type: ignore[misc]
            )
        )
        if progress is not None:
            progress(1)
    return runs


def _prf_table(
    pairs: Iterable[tuple[set[Any], set[Any]]], label_of: Callable[[Any], str]
) -> tuple[PRF, dict[str, PRF]]:
    total = [0, 0, 0]
    per_label: dict[str, list[int]] = {}
    for predicted, gold in pairs:
        for item, slot in [
            *((i, 0) for i in predicted & gold),
            *((i, 1) for i in predicted - gold),
            *((i, 2) for i in gold - predicted),
        ]:
            total[slot] += 1
            per_label.setdefault(label_of(item), [0, 0, 0])[slot] += 1
    return PRF.of(*total), {k: PRF.of(*v) for k, v in sorted(per_label.items())}


def _overlaps(a: InterceptionEvent, b: InterceptionEvent) -> bool:
    return a.count.start < b.count.end and b.count.start < a.count.end


def _cause(
    event: InterceptionEvent,
    others: Sequence[InterceptionEvent],
    annotated_counts: set[tuple[int, int]],
    kind: str,
) -> ErrorCause:
    near = [o for o in others if _overlaps(o, event)]
    if not near:
        if kind == "missed":
            return "count not found"
        overlapping_gold = any(
            s < event.count.end and event.count.start < e for s, e in annotated_counts
        )
        return "duplicate" if overlapping_gold else "distractor taken as an event"
    other = near[0]
    if other.count.value != event.count.value:
        return "wrong number"
    if other.outcome != event.outcome:
        return "wrong outcome"
    if (other.place.code if other.place else None) != (event.place.code if event.place else None):
        return "wrong place" if (other.place and event.place) else "missing link"
    return "duplicate"


def _sentence(text: str, event: InterceptionEvent) -> str:
    return " ".join(text[event.sentence.start : event.sentence.end].split())


def score_runs(
    runs: Sequence[ArticleRun],
    nlp: Language,
    *,
    data: str = "",
    model: str = "",
    link_threshold: float = 0.0,
) -> EvaluationResult:
    scores = EventScores()
    per_article: list[ArticleCounts] = []
    errors: list[EventError] = []
    entity_pairs = []
    relation_pairs = []
    gold_entity_relation_pairs = []
    for run in runs:
        record = run.record
        gold_events: list[GoldEvent] = record.events
        before = (scores.tp, scores.fp, scores.fn)
        match = scores.add(gold_events, run.predicted_events)
        per_article.append(
            ArticleCounts(
                article=record.id,
                tp=scores.tp - before[0],
                fp=scores.fp - before[1],
                fn=scores.fn - before[2],
            )
        )
        annotated_counts = {(s.start, s.end) for s in record.spans if s.label == "COUNT"}
        unmatched_predicted = [run.predicted_events[i] for i in match.spurious]
        for g_index in match.missed:
            event = gold_events[g_index]
            errors.append(
                EventError(
                    kind="missed",
                    cause=_cause(event, unmatched_predicted, annotated_counts, "missed"),
                    article=record.id,
                    sentence=_sentence(record.text, event),
                    event=event.model_dump(mode="json"),
                    where=run.where,
                )
            )
        missed_gold = [gold_events[i] for i in match.missed]
        for p_index in match.spurious:
            event = run.predicted_events[p_index]
            errors.append(
                EventError(
                    kind="spurious",
                    cause=_cause(event, missed_gold, annotated_counts, "spurious"),
                    article=record.id,
                    sentence=_sentence(record.text, event),
                    event=event.model_dump(mode="json"),
                    where=run.where,
                )
            )
        entity_pairs.append(
            (set(run.predicted_entities), {(s.start, s.end, s.label) for s in record.spans})
        )
        gold_links = _gold_links(record)
        relation_pairs.append(
            ({tuple(r[:5]) for r in run.predicted_links if r[5] >= link_threshold}, gold_links)
        )
        gold_entity_relation_pairs.append((_run_from_gold_entities(nlp, record), gold_links))

    entities, entities_per_label = _prf_table(entity_pairs, lambda item: item[2])
    relations, relations_per_label = _prf_table(relation_pairs, lambda item: item[4])
    on_gold, on_gold_per_label = _prf_table(gold_entity_relation_pairs, lambda item: item[4])
    summary = scores.as_dict()
    return EvaluationResult(
        data=data,
        model=model,
        articles=len(runs),
        entities=entities,
        entities_per_label=entities_per_label,
        relations=relations,
        relations_per_label=relations_per_label,
        relations_on_gold_entities=on_gold,
        relations_on_gold_entities_per_label=on_gold_per_label,
        events=PRF.of(scores.tp, scores.fp, scores.fn),
        events_optional_matched=scores.optional_matched,
        attributes={
            name: Accuracy(
                accuracy=summary["events_attribute_accuracy"][name],
                correct=summary["events_attribute_counts"][name]["correct"],
                total=summary["events_attribute_counts"][name]["total"],
            )
            for name in ATTRIBUTES
        },
        per_article=per_article,
        errors=errors,
    )


def evaluate(
    data: Path | str,
    model: Path | str | None = None,
    *,
    nlp: Language | None = None,
    progress: Callable[[int], None] | None = None,
) -> EvaluationResult:
    """Score a pipeline (the bundled one by default) on annotated JSONL data."""
    from ..api import load

    records = load_records(Path(data))
    pipeline = nlp or load(model)
    runs = run_articles(pipeline, records, progress)
    return score_runs(runs, pipeline, data=str(data), model=str(model or "bundled"))


class BootstrapResult(BaseModel):
    difference: float
    low: float
    high: float
    samples: int
    confidence: float


def _f1(counts: Iterable[ArticleCounts]) -> float:
    tp = fp = fn = 0
    for c in counts:
        tp, fp, fn = tp + c.tp, fp + c.fp, fn + c.fn
    return PRF.of(tp, fp, fn).f


def paired_bootstrap(
    model: Sequence[ArticleCounts],
    baseline: Sequence[ArticleCounts],
    *,
    samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapResult:
    """Confidence interval of the event-F1 difference (model - baseline),
    resampling articles with replacement; both models see the same sample."""
    if len(model) != len(baseline):
        raise ValueError("paired bootstrap needs the same articles for both models")
    rng = random.Random(seed)
    n = len(model)
    differences = []
    for _ in range(samples):
        picks = [rng.randrange(n) for _ in range(n)] if n else []
        differences.append(_f1(model[i] for i in picks) - _f1(baseline[i] for i in picks))
    differences.sort()
    tail = (1 - confidence) / 2
    low = differences[int(tail * (samples - 1))] if differences else 0.0
    high = differences[int((1 - tail) * (samples - 1))] if differences else 0.0
    return BootstrapResult(
        difference=_f1(model) - _f1(baseline), low=low, high=high, samples=samples, confidence=confidence
    )


class SweepRow(BaseModel):
    threshold: float
    model: PRF
    random_baseline: PRF


def threshold_sweep(
    runs: Sequence[ArticleRun], thresholds: Sequence[float] | None = None, seed: int = 0
) -> list[SweepRow]:
    """Relation P/R/F1 keeping links scored at or above each threshold, beside
    the same predicted links with random scores (what a useless score gives)."""
    rng = random.Random(seed)
    thresholds = thresholds or [round(0.1 * i, 1) for i in range(11)]
    random_scores = [[rng.random() for _ in run.predicted_links] for run in runs]
    rows = []
    for threshold in thresholds:
        kept = []
        kept_random = []
        for run, scores in zip(runs, random_scores, strict=True):
            gold = _gold_links(run.record)
            kept.append(({tuple(r[:5]) for r in run.predicted_links if r[5] >= threshold}, gold))
            kept_random.append(
                (
                    {tuple(r[:5]) for r, s in zip(run.predicted_links, scores, strict=True) if s >= threshold},
                    gold,
                )
            )
        model_prf, _ = _prf_table(kept, lambda item: item[4])
        random_prf, _ = _prf_table(kept_random, lambda item: item[4])
        rows.append(SweepRow(threshold=threshold, model=model_prf, random_baseline=random_prf))
    return rows


attributes.register()
