"""`skytally_relation_model`: a trainable scorer of links from counts to entities.

It is the statistical counterpart of the rule linker: both write scored
candidate links to `doc._.link_candidates[<component name>]` and leave the
choice of links to `skytally_decoder`. Candidates come from a registered
generator (`skytally.link_candidates.v1`): every entity of a compatible label
within a few sentences of a COUNT. The model (`skytally.LinkScorer.v1`) reads
the shared tok2vec (or transformer) output: the mean vector of the count, of
the other end and of the words between them, plus a few fixed features
(distance, order, what lies between), and gives one probability per label.

Training uses the entities the pipeline predicts (`ner` listed in
`training.annotating_components`) together with the gold entities, so the
model learns to score the noisy candidates it meets at run time as well as
the clean ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import PRFScore
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model, Optimizer, chain, set_dropout_rate
from thinc.types import Floats2d

from ..errors import Errors, InputError
from ..numbers import parse_count
from . import attributes
from .sentences import SentenceIndex

#: the links a count has, and the entity label at their other end
LINK_LABELS: tuple[str, ...] = (
    "outcome",
    "weapon",
    "place",
    "heading_to",
    "time",
    "claimant",
    "part_of",
)
CHILD_LABEL: dict[str, str] = {
    "outcome": "OUTCOME",
    "weapon": "WEAPON",
    "place": "PLACE",
    "heading_to": "PLACE",
    "time": "TIME",
    "claimant": "CLAIMANT",
    "part_of": "COUNT",
}
ENTITY_LABELS: tuple[str, ...] = ("OUTCOME", "WEAPON", "PLACE", "TIME", "CLAIMANT", "COUNT")
#: which link labels an entity label can take, as a 0/1 row over LINK_LABELS
LABEL_MASK: dict[str, numpy.ndarray] = {
    entity: numpy.array([CHILD_LABEL[link] == entity for link in LINK_LABELS], dtype="float32")
    for entity in ENTITY_LABELS
}
TOKEN_DISTANCE_BUCKETS = (1, 2, 3, 4, 6, 9, 14, 22, 35)
N_FEATURES = len(ENTITY_LABELS) + 1 + (len(TOKEN_DISTANCE_BUCKETS) + 1) + 4 + 3 + 3 + 1 + 3
#: the ranges pooled for a pair: count, other end, the words between, and a few
#: words either side of each end (the verb after "45 drones", the "of" before "the 97")
N_POOLED = 5
CONTEXT_TOKENS = 3


@dataclass(frozen=True)
class Candidate:
    """A possible link: token offsets of the count and of the other end, and the
    fixed features of the pair."""

    count: tuple[int, int]
    child: tuple[int, int]
    child_label: str
    features: numpy.ndarray

    def chars(self, doc: Doc) -> tuple[int, int, int, int]:
        count, child = doc[self.count[0] : self.count[1]], doc[self.child[0] : self.child[1]]
        return count.start_char, count.end_char, child.start_char, child.end_char


CandidateGenerator = Callable[[Doc, Sequence[Span]], list[Candidate]]


def _bucket(value: int, bounds: Sequence[int]) -> int:
    for index, bound in enumerate(bounds):
        if value < bound:
            return index
    return len(bounds)


def _one_hot(index: int, size: int) -> list[float]:
    row = [0.0] * size
    row[min(index, size - 1)] = 1.0
    return row


def _count_value(span: Span) -> int | None:
    parsed = parse_count(span.text)
    return parsed[0] if parsed else None


def _compare_counts(count: Span, other: Span) -> list[float]:
    """For a count and a possible total: is the total larger, equal, or unknown."""
    if other.label_ != "COUNT":
        return [0.0, 0.0, 0.0]
    part, whole = _count_value(count), _count_value(other)
    if part is None or whole is None:
        return [0.0, 0.0, 1.0]
    return [float(whole > part), float(whole == part), 0.0]


@registry.misc("skytally.link_candidates.v1")
def make_candidate_generator(
    sentences_before: dict[str, int], sentences_after: dict[str, int], max_tokens: int
) -> CandidateGenerator:
    """Pairs (COUNT, entity) close enough to be linked: the entity's sentence lies at
    most `sentences_before[label]` sentences before the count's and at most
    `sentences_after[label]` after it, and at most `max_tokens` tokens away."""
    for name, table in (
        ("sentences_before", sentences_before),
        ("sentences_after", sentences_after),
    ):
        unknown = set(table) - set(ENTITY_LABELS)
        if unknown:
            raise InputError(
                Errors.E006.format(
                    name=f"{name} keys", allowed=f"among {ENTITY_LABELS}", value=sorted(unknown)
                )
            )

    def generate(doc: Doc, ents: Sequence[Span]) -> list[Candidate]:
        if not ents:
            return []
        sentences = SentenceIndex(doc)
        ents = sorted(ents, key=lambda e: (e.start, e.end))
        counts = [e for e in ents if e.label_ == "COUNT"]
        found: list[Candidate] = []
        for count in counts:
            count_sentence = sentences.number[count.start]
            for other in ents:
                label = other.label_
                if other is count or label not in LABEL_MASK:
                    continue
                if (other.start, other.end) == (count.start, count.end):
                    continue
                sentence = sentences.number[other.start]
                if not (
                    count_sentence - sentences_before.get(label, 0)
                    <= sentence
                    <= count_sentence + sentences_after.get(label, 0)
                ):
                    continue
                before = other.end <= count.start
                gap = count.start - other.end if before else other.start - count.end
                if gap > max_tokens or gap < 0:
                    continue
                first, last = (other.end, count.start) if before else (count.end, other.start)
                between = [e for e in ents if first <= e.start and e.end <= last]
                features = [
                    *_one_hot(ENTITY_LABELS.index(label), len(ENTITY_LABELS)),
                    1.0 if before else 0.0,
                    *_one_hot(
                        _bucket(gap, TOKEN_DISTANCE_BUCKETS), len(TOKEN_DISTANCE_BUCKETS) + 1
                    ),
                    *_one_hot(abs(count_sentence - sentence), 4),
                    *_one_hot(sum(e.label_ == "COUNT" for e in between), 3),
                    *_one_hot(sum(e.label_ == label for e in between), 3),
                    1.0 if "\n" in doc[first:last].text else 0.0,
                    *_compare_counts(count, other),
                ]
                found.append(
                    Candidate(
                        (count.start, count.end),
                        (other.start, other.end),
                        label,
                        numpy.asarray(features, dtype="float32"),
                    )
                )
        return found

    return generate


# ------------------------------------------------------------------ the model


@registry.architectures("skytally.LinkScorer.v1")
def build_link_scorer(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int,
    dropout: float,
    tok2vec_width: int | None = None,
) -> Model[tuple[list[Doc], list[list[Candidate]]], Floats2d]:
    """tok2vec -> pair vectors -> Relu -> one logit per link label (the pipe applies
    the sigmoid, and trains with binary cross-entropy on the logits)."""
    from thinc.api import Dropout, Linear, Relu

    pairs = _pair_vectors(tok2vec, tok2vec_width)
    return chain(
        pairs,
        Relu(nO=hidden_width),
        Dropout(dropout),
        Linear(nO=len(LINK_LABELS)),
    )


def _pair_vectors(
    tok2vec: Model[list[Doc], list[Floats2d]], width: int | None
) -> Model[tuple[list[Doc], list[list[Candidate]]], Floats2d]:
    # a transformer listener knows its width only once it has seen output, so the
    # config gives it (`tok2vec_width`); a CNN listener declares it
    return Model(
        "skytally_pair_vectors",
        _pair_forward,
        layers=[tok2vec],
        init=_pair_init,
        dims={"nO": None},
        attrs={"width": width},
    )


def _width(model: Model) -> int:
    width = model.attrs["width"]
    return int(width) if width else int(model.layers[0].get_dim("nO"))


def _pair_init(model: Model, X: Any = None, Y: Any = None) -> Model:
    tok2vec = model.layers[0]
    if X is not None:
        tok2vec.initialize(X=X[0])
    model.set_dim("nO", N_POOLED * _width(model) + N_FEATURES)
    return model


def _mean_rows(vectors: numpy.ndarray, start: int, end: int) -> numpy.ndarray:
    if end <= start:
        return numpy.zeros((vectors.shape[1],), dtype="float32")
    return vectors[start:end].mean(axis=0)


def _pooled_ranges(candidate: Candidate, n_tokens: int) -> list[tuple[int, int]]:
    count, child = candidate.count, candidate.child
    between = (child[1], count[0]) if child[1] <= count[0] else (count[1], child[0])

    def around(span: tuple[int, int]) -> tuple[int, int]:
        # the words just outside the span; its own tokens are pooled separately
        return max(0, span[0] - CONTEXT_TOKENS), min(n_tokens, span[1] + CONTEXT_TOKENS)

    return [count, child, between, around(count), around(child)]


def _pair_forward(
    model: Model, inputs: tuple[list[Doc], list[list[Candidate]]], is_train: bool
) -> tuple[Floats2d, Callable[[Floats2d], Any]]:
    docs, candidates = inputs
    tok2vec = model.layers[0]
    tokvecs, backprop_tokvecs = tok2vec(docs, is_train)
    host_vecs = [model.ops.to_numpy(v) for v in tokvecs]
    width = _width(model)
    rows: list[numpy.ndarray] = []
    # the document and the pooled token ranges of every row, for the gradient
    ranges: list[tuple[int, list[tuple[int, int]]]] = []
    for doc_index, (vectors, doc_candidates) in enumerate(zip(host_vecs, candidates, strict=True)):
        n_tokens = len(vectors)
        for candidate in doc_candidates:
            pooled = _pooled_ranges(candidate, n_tokens)
            rows.append(
                numpy.concatenate(
                    [*(_mean_rows(vectors, *pair) for pair in pooled), candidate.features]
                )
            )
            ranges.append((doc_index, pooled))
    output = (
        numpy.vstack(rows).astype("float32")
        if rows
        else numpy.zeros((0, N_POOLED * width + N_FEATURES), dtype="float32")
    )

    def backprop(d_output: Floats2d) -> Any:
        d_host = model.ops.to_numpy(d_output)
        d_tokvecs = [numpy.zeros_like(v) for v in host_vecs]
        for row, (doc_index, pooled) in enumerate(ranges):
            for part, (start, end) in enumerate(pooled):
                if end > start:
                    gradient = d_host[row, part * width : (part + 1) * width] / (end - start)
                    d_tokvecs[doc_index][start:end] += gradient
        backprop_tokvecs([model.ops.asarray(d) for d in d_tokvecs])
        return inputs

    return model.ops.asarray(output), backprop


# ------------------------------------------------------------------- the pipe


class RelationModel(TrainablePipe):
    """Scores every candidate link of a Doc; writes them, the decoder chooses."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "skytally_relation_model",
        *,
        candidates: CandidateGenerator,
        min_score: float,
        scorer: Callable[..., dict[str, Any]] | None,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.candidates = candidates
        self.scorer = scorer
        self.cfg: dict[str, Any] = {"labels": list(LINK_LABELS), "min_score": min_score}
        attributes.register()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    # --- predicting
    def predict(self, docs: Iterable[Doc]) -> tuple[list[list[Candidate]], Floats2d]:
        docs = list(docs)
        candidates = [self.candidates(doc, list(doc.ents)) for doc in docs]
        if not any(candidates):
            return candidates, self.model.ops.alloc2f(0, len(LINK_LABELS))
        logits = self.model.ops.to_numpy(self.model.predict((docs, candidates)))
        return candidates, 1.0 / (1.0 + numpy.exp(-logits))

    def set_annotations(
        self, docs: Iterable[Doc], predictions: tuple[list[list[Candidate]], Floats2d]
    ) -> None:
        candidates, scores = predictions
        host_scores = self.model.ops.to_numpy(scores)
        row = 0
        min_score = float(self.cfg["min_score"])
        for doc, doc_candidates in zip(docs, candidates, strict=True):
            written: list[list[Any]] = []
            for candidate in doc_candidates:
                probabilities = host_scores[row] * LABEL_MASK[candidate.child_label]
                row += 1
                offsets = candidate.chars(doc)
                for label, probability in zip(LINK_LABELS, probabilities, strict=True):
                    if probability >= min_score:
                        written.append([*offsets, label, round(float(probability), 4)])
            found = dict(doc._.link_candidates or {})
            found[self.name] = written
            doc._.link_candidates = found

    # --- training
    def _training_candidates(self, example: Example) -> list[Candidate]:
        """Candidates over the predicted entities and over the gold ones, once each."""
        predicted = example.predicted
        gold_ents = []
        for ent in example.reference.ents:
            span = predicted.char_span(ent.start_char, ent.end_char, label=ent.label_)
            if span is not None:
                gold_ents.append(span)
        seen: set[tuple[tuple[int, int], tuple[int, int], str]] = set()
        found: list[Candidate] = []
        for candidate in [
            *self.candidates(predicted, list(predicted.ents)),
            *self.candidates(predicted, gold_ents),
        ]:
            key = (candidate.count, candidate.child, candidate.child_label)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
        return found

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        validate_get_examples(lambda: examples, "RelationModel.update")  # type: ignore[arg-type]
        examples = list(examples)
        candidates = [self._training_candidates(eg) for eg in examples]
        if not any(candidates):
            return losses
        docs = [eg.predicted for eg in examples]
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update((docs, candidates))
        loss, gradient = self._loss(examples, candidates, scores)
        backprop(gradient)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def _gold(self, examples: Sequence[Example], candidates: Sequence[list[Candidate]]) -> Any:
        truth = numpy.zeros((sum(len(c) for c in candidates), len(LINK_LABELS)), dtype="float32")
        mask = numpy.zeros_like(truth)
        row = 0
        for example, doc_candidates in zip(examples, candidates, strict=True):
            gold = {tuple(link[:5]) for link in example.reference._.links or []}
            for candidate in doc_candidates:
                offsets = candidate.chars(example.predicted)
                for column, label in enumerate(LINK_LABELS):
                    truth[row, column] = (*offsets, label) in gold
                mask[row] = LABEL_MASK[candidate.child_label]
                row += 1
        return truth, mask

    def _loss(
        self, examples: Sequence[Example], candidates: Sequence[list[Candidate]], scores: Floats2d
    ) -> tuple[float, Floats2d]:
        truth, mask = self._gold(examples, candidates)
        probabilities = 1.0 / (1.0 + numpy.exp(-self.model.ops.to_numpy(scores)))
        # binary cross-entropy on the logits, over the labels the other end can take
        gradient = (probabilities - truth) * mask
        clipped = numpy.clip(probabilities, 1e-7, 1 - 1e-7)
        loss = -float(
            (mask * (truth * numpy.log(clipped) + (1 - truth) * numpy.log(1 - clipped))).sum()
        )
        return loss, self.model.ops.asarray(gradient / max(1, len(gradient)))

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        examples = list(examples)
        candidates = [self._training_candidates(eg) for eg in examples]
        return self._loss(examples, candidates, scores)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        validate_get_examples(get_examples, "RelationModel.initialize")
        sample = list(islice(get_examples(), 10))
        docs = [eg.reference for eg in sample]
        candidates = [self.candidates(doc, list(doc.ents)) for doc in docs]
        self.model.initialize(X=(docs, candidates))

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return self.scorer(examples, source=self.name) if self.scorer else {}


@Language.factory(
    "skytally_relation_model",
    requires=["doc.ents", "token.is_sent_start"],
    assigns=["doc._.link_candidates"],
    default_config={
        "model": {
            "@architectures": "skytally.LinkScorer.v1",
            "hidden_width": 128,
            "dropout": 0.1,
            "tok2vec": {
                "@architectures": "spacy.Tok2VecListener.v1",
                "width": 96,
                "upstream": "*",
            },
        },
        "candidates": {
            "@misc": "skytally.link_candidates.v1",
            "sentences_before": {"TIME": 4, "CLAIMANT": 3, "COUNT": 10, "PLACE": 1},
            "sentences_after": {"CLAIMANT": 1, "PLACE": 1},
            "max_tokens": 200,
        },
        "min_score": 0.05,
        "scorer": {"@scorers": "skytally.candidate_scorer.v1"},
    },
    default_score_weights={"cand_f": 0.0},
)
def make_relation_model(
    nlp: Language,
    name: str,
    model: Model,
    *,
    candidates: CandidateGenerator,
    min_score: float,
    scorer: Callable[..., dict[str, Any]] | None,
) -> RelationModel:
    return RelationModel(
        nlp.vocab, model, name, candidates=candidates, min_score=min_score, scorer=scorer
    )


def score_candidates(
    examples: Iterable[Example], *, source: str | None = None, **kwargs: Any
) -> dict[str, Any]:
    """Precision, recall and F1 of one scorer's candidate links scored at least 0.5,
    before decoding (`cand_p/r/f`): how well that scorer alone finds links. `source`
    is the scorer's component name (all scorers when None)."""
    prf = PRFScore()
    for example in examples:
        found = example.predicted._.link_candidates or {}
        predicted = {
            tuple(row[:5])
            for name, rows in found.items()
            if source is None or name == source
            for row in rows
            if float(row[5]) >= 0.5
        }
        prf.score_set(predicted, {tuple(row[:5]) for row in example.reference._.links or []})
    return {"cand_p": prf.precision, "cand_r": prf.recall, "cand_f": prf.fscore}


@registry.scorers("skytally.candidate_scorer.v1")
def make_candidate_scorer() -> Callable[..., dict[str, Any]]:
    return score_candidates
