"""Training skytally's statistical components: the corpus reader spaCy's trainer
uses, the packaged configs, and `train`, behind `skytally train`.

The configs train with plain `python -m spacy train` too: the reader
(`skytally.Corpus.v1`), the link scorer architecture and the components are
registered through entry points, so spaCy finds them without importing
skytally first.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

from .corpus.convert import infer_format, read_annotations, to_doc
from .corpus.format import ArticleRecord, write_jsonl
from .errors import DataError, Errors, InputError

#: the configs shipped in the package, by the name `skytally train --config` takes
PACKAGED_CONFIGS = ("efficiency", "accuracy")
#: the trained pipeline bundled in models/, beside the rule-based one
TRAINED_MODEL = "skytally-efficiency"
#: components a fine-tuning run takes from the base pipeline as they are
TRAINABLE = ("tok2vec", "transformer", "ner", "skytally_relation_model")


def config_path(name_or_path: str | Path) -> Path:
    """The packaged config called `name_or_path`, or the config file at that path."""
    if str(name_or_path) in PACKAGED_CONFIGS:
        return Path(str(files("skytally") / "configs" / f"{name_or_path}.cfg"))
    path = Path(name_or_path)
    if not path.is_file():
        raise InputError(Errors.E050.format(value=name_or_path, names=", ".join(PACKAGED_CONFIGS)))
    return path


def read_training_records(path: Path) -> list[tuple[str, ArticleRecord]]:
    """Every annotated article of `path` in any format `skytally data convert` reads."""
    path = Path(path)
    if not path.exists():
        raise DataError(Errors.E004.format(path=path, reason="no such file or folder"))
    records = read_annotations(path, infer_format(path, reading=True)).records
    if not records:
        raise DataError(Errors.E013.format(path=path, what="annotated articles"))
    return records


@registry.readers("skytally.Corpus.v1")
def create_corpus_reader(
    path: Path | None, limit: int = 0
) -> Callable[[Language], Iterable[Example]]:
    """Examples from annotated articles (corpus JSONL, a folder of it, Prodigy, Label
    Studio, doccano or a DocBin): the gold Doc carries the entities, links, values and
    events; the predicted Doc is the bare text with its published date."""
    if path is None:
        raise InputError(Errors.E051)
    records = read_training_records(Path(path))
    if limit:
        records = records[:limit]

    def read(nlp: Language) -> Iterator[Example]:
        for where, record in records:
            reference = to_doc(record, where)
            predicted = nlp.make_doc(record.text)
            predicted._.published = record.published
            yield Example(predicted, reference)

    return read


# ------------------------------------------------------------------ training


@dataclass
class TrainingRun:
    output: Path
    best: Path
    train_articles: int
    dev_articles: int
    scores: dict[str, Any]


def _gather(paths: Sequence[Path], target: Path) -> tuple[int, str]:
    """Write every article of `paths` to one corpus JSONL file; (count, sha256)."""
    records: list[ArticleRecord] = []
    for path in paths:
        records.extend(record for _, record in read_training_records(path))
    write_jsonl(records, target)
    return len(records), hashlib.sha256(target.read_bytes()).hexdigest()


def train(
    config: str | Path,
    output: Path,
    *,
    train_paths: Sequence[Path],
    dev_path: Path,
    base: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    progress_bar: bool = False,
) -> TrainingRun:
    """Train a pipeline from `config` on `train_paths`, choosing the best steps on
    `dev_path`; `base` (a pipeline folder) is fine-tuned instead of starting from
    scratch. Writes `output/model-best` and `output/model-last`."""
    from spacy.cli.train import train as spacy_train

    from .pipeline import register_factories

    register_factories()
    source = config_path(config)
    if not train_paths:
        raise InputError(Errors.E051)
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="skytally-train-") as scratch:
        folder = Path(scratch)
        n_train, train_sha = _gather(train_paths, folder / "train.jsonl")
        n_dev, dev_sha = _gather([dev_path], folder / "dev.jsonl")
        settings: dict[str, Any] = {
            "paths.train": str(folder / "train.jsonl"),
            "paths.dev": str(folder / "dev.jsonl"),
            "training.logger.progress_bar": progress_bar,
            **(overrides or {}),
        }
        settings.update(_scored_last_step(source, settings))
        config_file = source
        if base is not None:
            config_file = folder / "config.cfg"
            config_file.write_text(_fine_tuning_config(source, Path(base)), encoding="utf-8")
        spacy_train(config_file, output, use_gpu=-1, overrides=settings)
    best = output / "model-best"
    for folder in (best, output / "model-last"):
        _record_data_paths(folder, train_paths, dev_path)
    meta_path = best / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["skytally"] = {
        "config": str(config),
        "base": str(base) if base is not None else None,
        "train": [str(p) for p in train_paths],
        "train_articles": n_train,
        "train_sha256": train_sha,
        "dev": str(dev_path),
        "dev_articles": n_dev,
        "dev_sha256": dev_sha,
    }
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return TrainingRun(output, best, n_train, n_dev, meta.get("performance", {}))


def _scored_last_step(source: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """spaCy scores the dev set every `eval_frequency` steps and keeps the best-scored
    steps as model-best; a run of 20 (or 300) steps with a frequency of 200 would never
    score its last step, and model-best would be the untrained step 0. The frequency
    becomes the largest divisor of `max_steps` not above the config's."""
    from spacy.util import load_config

    training = load_config(source, interpolate=False)["training"]
    max_steps = int(settings.get("training.max_steps", training.get("max_steps", 0)) or 0)
    frequency = int(training.get("eval_frequency", 200))
    if max_steps <= 0 or max_steps % frequency == 0:
        return {}
    divisor = max(d for d in range(1, min(frequency, max_steps) + 1) if max_steps % d == 0)
    return {"training.eval_frequency": divisor}


def _record_data_paths(folder: Path, train_paths: Sequence[Path], dev_path: Path) -> None:
    """The saved config names the user's files, not the scratch copy training read."""
    from spacy.util import load_config

    config_file = folder / "config.cfg"
    if not config_file.is_file():
        return
    config = load_config(config_file, interpolate=False)
    config["paths"]["train"] = ",".join(str(p) for p in train_paths)
    config["paths"]["dev"] = str(dev_path)
    config.to_disk(config_file)


def _fine_tuning_config(source: Path, base: Path) -> str:
    """`source` with every component taken from `base` (weights and settings), so
    training goes on from the base pipeline's weights."""
    from spacy.util import load_config

    if not (base / "config.cfg").is_file():
        raise InputError(Errors.E005.format(path=base, reason="it has no config.cfg"))
    base_config = load_config(base / "config.cfg")
    config = load_config(source)
    base_names = base_config["nlp"]["pipeline"]
    missing = [
        name for name in TRAINABLE if name in config["components"] and name not in base_names
    ]
    if missing:
        raise InputError(
            Errors.E005.format(path=base, reason=f"it has no {', '.join(missing)} to fine-tune")
        )
    config["nlp"]["pipeline"] = list(base_names)
    config["components"] = {name: {"source": str(base.resolve())} for name in base_names}
    # the tokenizer and its settings come from the base too
    config["nlp"]["tokenizer"] = base_config["nlp"]["tokenizer"]
    config["initialize"]["vectors"] = None
    return config.to_str()
