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
from spacy.scorer import PRFScore
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..corpus.format import ArticleRecord, read_records
from ..corpus.validate import validate_record
from ..errors import DataError, Errors
from ..pipeline import attributes
from ..schema import GoldEvent, InterceptionEvent
from .matching import ATTRIBUTES, EventScores

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
        # spaCy's PRFScore, so these figures are the ones spaCy's scorers report
        score = PRFScore(tp=tp, fp=fp, fn=fn)
        return cls(p=score.precision, r=score.recall, f=score.fscore, tp=tp, fp=fp, fn=fn)


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
    events_strict: PRF = Field(
        description="Events found with every field right (weapon, qualifier, heading_to, "
        "period, part_of): tp counts only those; fp and fn are those of `events`."
    )
    events_optional_matched: int
    attributes: dict[str, Accuracy]
    per_article: list[ArticleCounts]
    errors: list[EventError]

    def spacy_scores(self) -> dict[str, Any]:
        """The scores under the names `spacy train` / `spacy evaluate` print:
        spaCy's Scorer for entities (`ents_*`), the linker's for relations
        (`rel_*`), the event scorer's for events (`events_*`)."""

        def per_type(table: dict[str, PRF]) -> dict[str, dict[str, float]]:
            return {label: {"p": v.p, "r": v.r, "f": v.f} for label, v in table.items()}

        return {
            "ents_p": self.entities.p,
            "ents_r": self.entities.r,
            "ents_f": self.entities.f,
            "ents_per_type": per_type(self.entities_per_label),
            "rel_p": self.relations.p,
            "rel_r": self.relations.r,
            "rel_f": self.relations.f,
            "rel_per_type": per_type(self.relations_per_label),
            "events_p": self.events.p,
            "events_r": self.events.r,
            "events_f": self.events.f,
            "events_attribute_accuracy": {k: v.accuracy for k, v in self.attributes.items()},
        }

    def headline(self) -> dict[str, float]:
        """Every summary number, flat (`events.f`, `attributes.period`, ...):
        what a comparison subtracts."""
        values: dict[str, float] = {}
        for name in (
            "events",
            "events_strict",
            "entities",
            "relations",
            "relations_on_gold_entities",
        ):
            prf: PRF = getattr(self, name)
            values.update({f"{name}.p": prf.p, f"{name}.r": prf.r, f"{name}.f": prf.f})
        values.update({f"attributes.{k}": v.accuracy for k, v in self.attributes.items()})
        return values


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
    if not records:
        # a report on 0 articles would look like a result
        raise DataError(Errors.E013.format(path=data, what="records"))
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
    spans = [
        doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in record.spans
    ]
    # validated data has no overlapping spans, but "expand" can make two
    # touching spans overlap on a token the tokenizer did not split
    doc.ents = filter_spans([s for s in spans if s is not None])
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


def _place_code(event: InterceptionEvent) -> str | None:
    return event.place.code if event.place else None


def _cause(
    event: InterceptionEvent,
    unmatched: Sequence[InterceptionEvent],
    matched: Sequence[InterceptionEvent],
    kind: Literal["missed", "spurious"],
) -> ErrorCause:
    """Why a gold event was missed or a prediction is spurious.

    `unmatched` are the other side's events left over in the same article,
    `matched` the other side's events that found a partner. An error is
    explained by an unmatched event read from the same count words (the two
    are one misreading seen from both sides); failing that, by a matched
    one (the count was read, but this reading of it was not produced, or was
    produced twice).
    """
    near = [o for o in unmatched if _overlaps(o, event)]
    if not near:
        if any(_overlaps(o, event) for o in matched):
            return "missing link" if kind == "missed" else "duplicate"
        return "count not found" if kind == "missed" else "distractor taken as an event"
    # the closest misreading: same number and outcome first, then same number
    other = min(
        near,
        key=lambda o: (o.count.value != event.count.value, o.outcome != event.outcome),
    )
    gold, predicted = (event, other) if kind == "missed" else (other, event)
    if gold.count.value != predicted.count.value:
        return "wrong number"
    if gold.outcome != predicted.outcome:
        return "wrong outcome"
    if gold.place is not None and predicted.place is None:
        return "missing link"
    if _place_code(gold) != _place_code(predicted):
        return "wrong place"
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
    progress: Callable[[int], None] | None = None,
) -> EvaluationResult:
    """Score finished runs. `progress` is called once per article: the
    relations-on-gold-entities pass runs the pipeline a second time."""
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
        predicted_events = run.predicted_events
        matched_predicted = [predicted_events[p] for _, p in match.pairs + match.optional_pairs]
        unmatched_predicted = [predicted_events[i] for i in match.spurious]
        paired_gold = {g for g, _ in match.pairs + match.optional_pairs}
        matched_gold = [gold_events[g] for g in sorted(paired_gold)]
        # an unmatched optional reading can explain a spurious prediction
        # ("wrong number" against a headline's count) without being a miss
        unmatched_gold = [e for g, e in enumerate(gold_events) if g not in paired_gold]
        sides = (
            (
                "missed",
                [gold_events[i] for i in match.missed],
                unmatched_predicted,
                matched_predicted,
            ),
            (
                "spurious",
                [predicted_events[i] for i in match.spurious],
                unmatched_gold,
                matched_gold,
            ),
        )
        for kind, events, unmatched_others, matched_others in sides:
            errors.extend(
                EventError(
                    kind=kind,
                    cause=_cause(event, unmatched_others, matched_others, kind),
                    article=record.id,
                    sentence=_sentence(record.text, event),
                    event=event.model_dump(mode="json"),
                    where=run.where,
                )
                for event in events
            )
        entity_pairs.append(
            (set(run.predicted_entities), {(s.start, s.end, s.label) for s in record.spans})
        )
        gold_links = _gold_links(record)
        relation_pairs.append(
            ({tuple(r[:5]) for r in run.predicted_links if r[5] >= link_threshold}, gold_links)
        )
        gold_entity_relation_pairs.append((_run_from_gold_entities(nlp, record), gold_links))
        if progress is not None:
            progress(1)

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
        events_strict=PRF(
            p=scores.strict_precision,
            r=scores.strict_recall,
            f=scores.strict_f1,
            tp=scores.strict_tp,
            fp=scores.fp,
            fn=scores.fn,
        ),
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


RULES = "rules"


def load_pipeline(spec: Path | str | None) -> tuple[Language, str]:
    """The pipeline to evaluate and the name reports give it.

    None is the bundled model (`skytally.load()`); `"rules"` the rule-based
    pipeline built from its defaults, whatever model is bundled; anything
    else a saved pipeline folder (InputError, E005, when it is not one).
    """
    from ..api import BUNDLED_MODELS, build_pipeline, load

    if spec is None:
        return load(), "bundled"
    if str(spec) == RULES:
        return build_pipeline(), RULES
    if str(spec) in BUNDLED_MODELS:
        return load(str(spec)), str(spec)
    return load(spec), str(spec)


def evaluate(
    data: Path | str,
    model: Path | str | None = None,
    *,
    nlp: Language | None = None,
    progress: Callable[[int], None] | None = None,
) -> EvaluationResult:
    """Score a pipeline (the bundled one by default, `"rules"` for the
    rule-based one) on annotated JSONL data. `progress` is called twice per
    article (extraction, then the relations-on-gold-entities pass)."""
    records = load_records(Path(data))
    if nlp is not None:
        pipeline, name = nlp, str(model or nlp.meta.get("name", "pipeline"))
    else:
        pipeline, name = load_pipeline(model)
    runs = run_articles(pipeline, records, progress)
    return score_runs(runs, pipeline, data=str(data), model=name, progress=progress)


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
        difference=_f1(model) - _f1(baseline),
        low=low,
        high=high,
        samples=samples,
        confidence=confidence,
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
            links = run.predicted_links
            kept.append(({tuple(r[:5]) for r in links if r[5] >= threshold}, gold))
            kept_random.append(
                (
                    {tuple(r[:5]) for r, s in zip(links, scores, strict=True) if s >= threshold},
                    gold,
                )
            )
        model_prf, _ = _prf_table(kept, lambda item: item[4])
        random_prf, _ = _prf_table(kept_random, lambda item: item[4])
        rows.append(SweepRow(threshold=threshold, model=model_prf, random_baseline=random_prf))
    return rows


class ComparisonResult(BaseModel):
    """A model and a baseline scored on the same articles."""

    model: EvaluationResult
    baseline: EvaluationResult
    differences: dict[str, float] = Field(
        description="model minus baseline for every summary number (EvaluationResult.headline)"
    )
    bootstrap: BootstrapResult = Field(description="paired bootstrap of the event-F1 difference")


def compare_results(
    model: EvaluationResult,
    baseline: EvaluationResult,
    *,
    samples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> ComparisonResult:
    """Differences and the paired bootstrap of two results on the same articles."""
    if [c.article for c in model.per_article] != [c.article for c in baseline.per_article]:
        raise ValueError("a comparison needs both results on the same articles, in the same order")
    model_values, baseline_values = model.headline(), baseline.headline()
    return ComparisonResult(
        model=model,
        baseline=baseline,
        differences={k: model_values[k] - baseline_values[k] for k in model_values},
        bootstrap=paired_bootstrap(
            model.per_article,
            baseline.per_article,
            samples=samples,
            confidence=confidence,
            seed=seed,
        ),
    )


def compare(
    data: Path | str,
    model: Path | str | None = None,
    baseline: Path | str = RULES,
    *,
    progress: Callable[[int], None] | None = None,
    samples: int = 1000,
    seed: int = 0,
) -> ComparisonResult:
    """Evaluate `model` and `baseline` (default: the rule-based pipeline) on
    the same annotated data and compare them. `progress` is called four
    times per article (twice per pipeline)."""
    records = load_records(Path(data))
    pipelines = [load_pipeline(model), load_pipeline(baseline)]
    results = [
        score_runs(
            run_articles(nlp, records, progress),
            nlp,
            data=str(data),
            model=name,
            progress=progress,
        )
        for nlp, name in pipelines
    ]
    return compare_results(results[0], results[1], samples=samples, seed=seed)


attributes.register()
