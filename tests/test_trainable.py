"""The trainable components, tested the way spaCy tests its own: overfit a few
examples until the predictions are right, then save, load and compare."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.training import Example
from spacy.util import load_config, load_model_from_config
from typer.testing import CliRunner

from skytally.cli import app
from skytally.corpus.convert import to_doc
from skytally.corpus.format import ArticleRecord, read_records, write_jsonl
from skytally.pipeline import register_factories
from skytally.pipeline.relation_model import RelationModel
from skytally.training import config_path, create_corpus_reader

TRAIN = Path(__file__).parent.parent / "training_data" / "train.jsonl"
runner = CliRunner()


def short_articles(n: int) -> list[ArticleRecord]:
    """The `n` shortest training articles with at least three counts and links of
    at least four kinds."""
    records = [record for _, record in read_records(TRAIN)]
    chosen = [
        r
        for r in sorted(records, key=lambda r: len(r.text))
        if sum(s.label == "COUNT" for s in r.spans) >= 3
        and len({rel.label for rel in r.relations}) >= 4
    ]
    return chosen[:n]


def gold_links(doc: spacy.tokens.Doc) -> set[tuple]:
    return {tuple(row[:5]) for row in doc._.links or []}


def relation_pipeline() -> spacy.language.Language:
    """Sentences, a tok2vec and the link scorer, decoded from the scorer alone."""
    register_factories()
    from skytally.pipeline.tokenizer import blank_english

    nlp = blank_english()
    nlp.add_pipe("skytally_sentences")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("skytally_relation_model")
    nlp.add_pipe("skytally_decoder", config={"weights": {"skytally_relation_model": 1.0}})
    return nlp


def with_gold_entities(nlp: spacy.language.Language, record: ArticleRecord) -> Example:
    reference = to_doc(record, record.id)
    predicted = nlp.make_doc(record.text)
    predicted.ents = [
        predicted.char_span(e.start_char, e.end_char, e.label_) for e in reference.ents
    ]
    return Example(predicted, reference)


def predict_links(nlp: spacy.language.Language, examples: list[Example]) -> list[set[tuple]]:
    docs = []
    for example in examples:
        doc = nlp.make_doc(example.reference.text)
        doc.ents = [
            doc.char_span(e.start_char, e.end_char, e.label_) for e in example.reference.ents
        ]
        docs.append(doc)
    return [gold_links(doc) for doc in nlp.pipe(docs)]


def test_the_link_scorer_overfits_a_few_articles_and_round_trips(tmp_path: Path) -> None:
    nlp = relation_pipeline()
    records = short_articles(3)
    examples = [with_gold_entities(nlp, r) for r in records]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(120):
        nlp.update(examples, sgd=optimizer, annotates=["skytally_sentences"])
    generator = nlp.get_pipe("skytally_relation_model").candidates
    predicted = predict_links(nlp, examples)
    for example, links in zip(examples, predicted, strict=True):
        # the gold links the candidate generator can propose at all
        doc = example.predicted
        nlp.get_pipe("skytally_sentences")(doc)
        reachable = {
            (*c.chars(doc), label)
            for c in generator(doc, list(doc.ents))
            for label in ("outcome", "weapon", "place", "heading_to", "time", "claimant", "part_of")
        }
        expected = gold_links(example.reference) & reachable
        assert expected, "the articles must have links to learn"
        assert links == expected
    nlp.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    assert predict_links(reloaded, examples) == predicted


def test_the_efficiency_pipeline_overfits_entities_and_links(tmp_path: Path) -> None:
    register_factories()
    config = load_config(config_path("efficiency"))
    # the statistical components alone: no rule entities, no rule links
    config["nlp"]["pipeline"] = [
        name
        for name in config["nlp"]["pipeline"]
        if name not in ("skytally_entities", "skytally_linker")
    ]
    del config["components"]["skytally_entities"], config["components"]["skytally_linker"]
    config["components"]["skytally_decoder"]["weights"] = {"skytally_relation_model": 1.0}
    config["components"]["skytally_decoder"]["label_weights"] = {}
    config["training"]["annotating_components"] = ["skytally_sentences", "ner"]
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    write_jsonl(short_articles(3), tmp_path / "three.jsonl")
    reader = create_corpus_reader(tmp_path / "three.jsonl")
    examples = list(reader(nlp))
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(150):
        nlp.update(examples, sgd=optimizer, annotates=["skytally_sentences", "ner"])
    texts = [(eg.reference.text, {"published": eg.predicted._.published}) for eg in examples]
    docs = []
    for text, context in texts:
        doc = nlp.make_doc(text)
        doc._.published = context["published"]
        docs.append(doc)
    docs = list(nlp.pipe(docs))
    for doc, example in zip(docs, examples, strict=True):
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e.start_char, e.end_char, e.label_) for e in example.reference.ents
        ]
        found = gold_links(doc)
        gold = gold_links(example.reference)
        assert len(found & gold) >= 0.9 * len(gold)
        assert len(found - gold) <= 0.1 * len(gold)
    nlp.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    again = []
    for text, context in texts:
        doc = reloaded.make_doc(text)
        doc._.published = context["published"]
        again.append(reloaded(doc))
    assert [gold_links(d) for d in again] == [gold_links(d) for d in docs]
    assert [[e.model_dump() for e in d._.events] for d in again] == [
        [e.model_dump() for e in d._.events] for d in docs
    ]


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny")
    write_jsonl(short_articles(4), folder / "tiny.jsonl")
    return folder / "tiny.jsonl"


def test_skytally_train_writes_a_pipeline_that_extracts(tmp_path: Path, tiny_corpus: Path) -> None:
    output = tmp_path / "run"
    result = runner.invoke(
        app,
        [
            "train",
            "--train",
            str(tiny_corpus),
            "--dev",
            str(tiny_corpus),
            "--output",
            str(output),
            "--max-steps",
            "4",
        ],
    )
    assert result.exit_code == 0, result.output
    meta = json.loads((output / "model-best" / "meta.json").read_text())
    assert meta["skytally"]["train_articles"] == 4
    assert len(meta["skytally"]["train_sha256"]) == 64
    import skytally

    events = skytally.extract(
        "Air defences destroyed 12 drones over the Kursk region overnight.",
        published="2025-05-01T08:00:00+03:00",
        nlp=skytally.load(output / "model-best"),
    )
    assert [(e.count.value, e.outcome.value) for e in events] == [(12, "destroyed")]


def test_the_config_trains_with_plain_spacy(tmp_path: Path, tiny_corpus: Path) -> None:
    """spaCy finds skytally's reader, architecture and components by entry points."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "train",
            str(config_path("efficiency")),
            "--output",
            str(tmp_path / "out"),
            "--paths.train",
            str(tiny_corpus),
            "--paths.dev",
            str(tiny_corpus),
            "--training.max_steps",
            "2",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "out" / "model-last" / "skytally_relation_model" / "model").exists()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--config", "fast"], "unknown config 'fast'"),
        (["--train", "missing.jsonl"], "missing.jsonl"),
        (["--base", "no/such/model"], "no/such/model"),
    ],
)
def test_training_mistakes_are_one_line(
    tmp_path: Path, tiny_corpus: Path, arguments: list[str], message: str
) -> None:
    base = ["train", "--dev", str(tiny_corpus), "--output", str(tmp_path / "o")]
    if "--train" not in arguments:
        base += ["--train", str(tiny_corpus)]
    result = runner.invoke(app, [*base, *arguments])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]


def test_the_relation_model_is_a_trainable_pipe() -> None:
    nlp = relation_pipeline()
    pipe = nlp.get_pipe("skytally_relation_model")
    assert isinstance(pipe, RelationModel)
    assert "doc._.link_candidates" in nlp.get_pipe_meta("skytally_relation_model").assigns


def test_fine_tuning_loop_teaches_a_held_out_style(tmp_path: Path) -> None:
    """docs/training.md's loop: a base pipeline that never saw city administrations'
    posts, fine-tuned on five corrected ones (the dev split's, standing in for the
    hand-corrected pre-annotations), reads the other 22 (train split, seen by neither
    run) better: its link scorer finds more of their links, and the events hold."""
    from skytally.cli import link_scorer_alone
    from skytally.evaluation.evaluate import evaluate

    style = "city_administration"
    records = {
        split: [r for _, r in read_records(TRAIN.parent / f"{split}.jsonl")]
        for split in ("train", "dev")
    }
    write_jsonl(
        [r for r in records["train"] if r.source_style not in (style, "real_derived")],
        tmp_path / "base.jsonl",
    )
    write_jsonl([r for r in records["dev"] if r.source_style == style], tmp_path / "new.jsonl")
    write_jsonl(
        [r for r in records["train"] if r.source_style == style], tmp_path / "heldout.jsonl"
    )
    steps = {"base": "200", "mine": "100"}
    for name, extra in (("base", []), ("mine", ["--base", str(tmp_path / "base" / "model-last")])):
        data = tmp_path / ("base.jsonl" if name == "base" else "new.jsonl")
        result = runner.invoke(
            app,
            [
                "train",
                "--train",
                str(data),
                "--dev",
                str(tmp_path / "new.jsonl"),
                "--output",
                str(tmp_path / name),
                "--max-steps",
                steps[name],
                *extra,
            ],
        )
        assert result.exit_code == 0, result.output
    import skytally

    heldout = tmp_path / "heldout.jsonl"
    before = skytally.load(tmp_path / "base" / "model-last")
    after = skytally.load(tmp_path / "mine" / "model-last")
    links_before = link_scorer_alone(before, heldout)["cand_f"]
    links_after = link_scorer_alone(after, heldout)["cand_f"]
    assert links_after > links_before + 0.02
    events_before = evaluate(heldout, nlp=before).events.f
    events_after = evaluate(heldout, nlp=after).events.f
    assert events_after > events_before - 0.03


def test_the_shipped_trained_pipeline_loads_with_plain_spacy() -> None:
    """models/skytally-efficiency in a fresh interpreter, without importing skytally:
    spaCy finds every component and architecture through the entry points, and the
    events of a fixture article come out."""
    from skytally.api import bundled_model_path

    folder = bundled_model_path("skytally-efficiency")
    text = (
        "Russian air defences destroyed 45 Ukrainian drones overnight, the Defence Ministry "
        "said: 30 over the Belgorod region and 15 over the Kursk region."
    )
    script = (
        "import spacy, sys\n"
        "assert 'skytally' not in sys.modules\n"
        f"nlp = spacy.load({str(folder)!r})\n"
        f"doc = nlp.make_doc({text!r})\n"
        "doc._.published = '2025-03-02T09:00:00+03:00'\n"
        "doc = nlp(doc)\n"
        "print(sorted((e.count.value, e.outcome.value, e.place.code if e.place else None) "
        "for e in doc._.events))\n"
        "print('skytally_relation_model' in nlp.pipe_names, 'ner' in nlp.pipe_names)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    events, components = result.stdout.strip().splitlines()
    assert (
        events
        == "[(15, 'destroyed', 'RU-KRS'), (30, 'destroyed', 'RU-BEL'), (45, 'destroyed', None)]"
    )
    assert components == "True True"
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["skytally"]["train_articles"] == 367


@pytest.mark.slow
def test_the_accuracy_config_trains_a_few_steps(tmp_path: Path, tiny_corpus: Path) -> None:
    """The transformer config (needs `pip install 'skytally[transformers]'`): a few steps
    on tiny data, offline, then the saved pipeline extracts."""
    pytest.importorskip("spacy_transformers", reason="the [transformers] extra is not installed")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "skytally",
            "train",
            "--config",
            "accuracy",
            "--train",
            str(tiny_corpus),
            "--dev",
            str(tiny_corpus),
            "--output",
            str(tmp_path / "acc"),
            "--max-steps",
            "3",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    import skytally

    nlp = skytally.load(tmp_path / "acc" / "model-last")
    assert "transformer" in nlp.pipe_names
    events = skytally.extract(
        "Air defences destroyed 12 drones over the Kursk region overnight.",
        published="2025-05-01T08:00:00+03:00",
        nlp=nlp,
    )
    assert [(e.count.value, e.place.code) for e in events] == [(12, "RU-KRS")]


@pytest.mark.parametrize("target, suffix", [("spacy", ".spacy"), ("labelstudio", ".json")])
def test_training_reads_the_formats_convert_writes(
    tmp_path: Path, tiny_corpus: Path, target: str, suffix: str
) -> None:
    """Annotations exported from another tool train like the corpus format."""
    converted = tmp_path / f"tiny{suffix}"
    result = runner.invoke(
        app, ["data", "convert", str(tiny_corpus), str(converted), "--to", target]
    )
    assert result.exit_code == 0, result.output
    reader = create_corpus_reader(converted)
    original = create_corpus_reader(tiny_corpus)
    nlp = relation_pipeline()
    assert [gold_links(eg.reference) for eg in reader(nlp)] == [
        gold_links(eg.reference) for eg in original(nlp)
    ]
    result = runner.invoke(
        app,
        ["train", "--train", str(converted), "--dev", str(tiny_corpus),
         "--output", str(tmp_path / "run"), "--max-steps", "2"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "run" / "model-best" / "meta.json").exists()


@pytest.mark.parametrize(
    "max_steps, frequency", [(20, 20), (300, 150), (1400, 200), (401, 1), (None, None)]
)
def test_a_short_run_scores_its_last_step(max_steps: int | None, frequency: int | None) -> None:
    """Found by a new user: with 20 steps and scores every 200, model-best was step 0."""
    from skytally.training import _scored_last_step

    settings = {} if max_steps is None else {"training.max_steps": max_steps}
    expected = {} if frequency in (None, 200) else {"training.eval_frequency": frequency}
    assert _scored_last_step(config_path("efficiency"), settings) == expected
