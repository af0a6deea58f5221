"""The public functions: `load`, `extract`, `extract_many`."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from .errors import Errors, InputError
from .normalize import OffsetMap, matching_view
from .schema import InterceptionEvent
from .times import parse_published

#: spaCy refuses texts over 1,000,000 characters; far shorter chunks keep
#: memory flat on a 10 MB input.
MAX_CHUNK_CHARS = 50_000
PIPELINE = (
    "skytally_sentences",
    "skytally_entities",
    "skytally_normalizer",
    "skytally_linker",
    "skytally_decoder",
    "skytally_events",
)
BUNDLED_MODEL = "skytally-rules"

PublishedLike = str | date | datetime | None
_END = object()


def build_pipeline(config: dict[str, dict[str, Any]] | None = None) -> Language:
    """The rule-based pipeline from its default settings, with overrides per component."""
    from .pipeline import register_factories

    register_factories()
    from .pipeline.tokenizer import blank_english

    nlp = blank_english()
    for name in PIPELINE:
        nlp.add_pipe(name, config=(config or {}).get(name, {}))
    nlp.meta["name"] = "skytally_rules"
    nlp.meta["description"] = "skytally rule-based interception-event extractor"
    from . import __version__

    nlp.meta["version"] = __version__
    return nlp


#: the pipelines shipped in models/, by the names `load` takes
BUNDLED_MODELS = {"rules": "skytally-rules", "efficiency": "skytally-efficiency"}


@lru_cache(maxsize=1)
def default_model_name() -> str:
    """The bundled pipeline `load()` returns, as `benchmarks/model_comparison.py --write`
    recorded it in models/default.txt: the trained pipeline when it beats the rules on
    the corpus's realistic test split beyond the bootstrap's 95% interval, else the rules."""
    from importlib.resources import files

    name = (files("skytally.models") / "default.txt").read_text(encoding="utf-8").strip()
    return name if name in BUNDLED_MODELS.values() else BUNDLED_MODEL


def load(path: str | Path | None = None) -> Language:
    """The skytally pipeline: the better bundled model by default; 'rules' or
    'efficiency' for a bundled one by name; or a pipeline saved at `path`."""
    if path is None:
        return _default_pipeline()
    if str(path) in BUNDLED_MODELS:
        return _bundled(BUNDLED_MODELS[str(path)])
    location = Path(path)
    if not location.exists():
        reason = f"no such file or folder (bundled pipelines: {', '.join(BUNDLED_MODELS)})"
        raise InputError(Errors.E005.format(path=location, reason=reason))
    if not (location / "config.cfg").exists():
        raise InputError(Errors.E005.format(path=location, reason="it has no config.cfg"))
    try:
        nlp = spacy.load(location)
    except Exception as error:  # spaCy raises many types for a broken folder
        raise InputError(Errors.E005.format(path=location, reason=_reason(error))) from None
    missing = missing_stages(nlp.pipe_names)
    if missing:
        reason = f"its pipeline has no {', '.join(missing)} (it has {', '.join(nlp.pipe_names)})"
        raise InputError(Errors.E005.format(path=location, reason=reason))
    return nlp


#: the stages every skytally pipeline has, each as the components that can fill it
STAGES: tuple[tuple[str, ...], ...] = (
    ("skytally_sentences",),
    ("skytally_entities", "ner"),
    ("skytally_normalizer",),
    ("skytally_linker", "skytally_relation_model"),
    ("skytally_decoder",),
    ("skytally_events",),
)


def missing_stages(pipe_names: list[str]) -> list[str]:
    """The stages (named by their components, 'a or b') no component of `pipe_names` fills."""
    return [" or ".join(stage) for stage in STAGES if not set(stage) & set(pipe_names)]


def _reason(error: Exception) -> str:
    """One line saying why spaCy could not load a folder: for a bad config value, which
    setting and what is wrong with it (spaCy's message starts with blank lines)."""
    details = getattr(error, "errors", None)
    if isinstance(details, list) and details and isinstance(details[0], dict):
        first = details[0]
        where = " -> ".join(str(part) for part in first.get("loc", ()))
        title = getattr(error, "title", None) or "config error"
        return f"{title}: {where}: {first.get('msg', '')}".strip()
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def bundled_model_path(name: str = BUNDLED_MODEL) -> Path:
    """The folder of a pipeline shipped with the package (models/ in the repository)."""
    from importlib.resources import files

    return Path(str(files("skytally.models") / name))


@lru_cache(maxsize=4)
def _bundled(name: str) -> Language:
    return spacy.load(bundled_model_path(name))


def _default_pipeline() -> Language:
    return _bundled(default_model_name())


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(Errors.E001.format(type_name=type(text).__name__, value=text))
    if not text.isascii():
        surrogate = _SURROGATE.search(text)
        if surrogate is not None:
            raise InputError(
                Errors.E009.format(code=ord(surrogate.group()), position=surrogate.start())
            )
    return text


def _published_text(published: PublishedLike) -> str | None:
    value = parse_published(published)
    return value.isoformat() if value is not None else None


def split_into_chunks(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """(offset, chunk) pairs covering `text`, cut at paragraph breaks where possible."""
    limit = limit or MAX_CHUNK_CHARS
    if len(text) <= limit:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            window = text[start:end]
            cut = -1
            for pattern in (r"\n\s*\n", r"\n", r"[.!?]\s"):
                found = [m.end() for m in re.finditer(pattern, window)]
                if found and found[-1] > limit // 4:
                    cut = found[-1]
                    break
            end = start + cut if cut > 0 else end
        chunks.append((start, text[start:end]))
        start = end
    return chunks


_EVIDENCE = ("count", "weapon", "place", "heading_to", "claimant")


def _shift(
    event: InterceptionEvent,
    offset: int,
    index_base: int,
    view: OffsetMap | None = None,
    original: str = "",
) -> InterceptionEvent:
    """`event` with offsets moved by `offset` and `part_of` by `index_base`; with a
    `view` map, offsets first go from the matching view back to `original`."""
    if offset == 0 and index_base == 0 and view is None:
        return event
    data = event.model_dump()
    if view is not None:
        for key in _EVIDENCE:
            if data.get(key) is not None:
                start, end = view.start(data[key]["start"]), view.end(data[key]["end"])
                data[key].update(start=start, end=end, text=original[start:end])
        for mention in data.get("mentions") or []:
            start, end = view.start(mention["start"]), view.end(mention["end"])
            mention.update(start=start, end=end, text=original[start:end])
        sentence = data["sentence"]
        sentence.update(start=view.start(sentence["start"]), end=view.end(sentence["end"]))
        if data.get("period") is not None:
            period = data["period"]
            start, end = view.start(period["text_start"]), view.end(period["text_end"])
            period.update(text_start=start, text_end=end, text=original[start:end])
    for key in (*_EVIDENCE, "sentence"):
        if data.get(key) is not None:
            data[key]["start"] += offset
            data[key]["end"] += offset
    for mention in data.get("mentions") or []:
        mention["start"] += offset
        mention["end"] += offset
    if data.get("period") is not None:
        data["period"]["text_start"] += offset
        data["period"]["text_end"] += offset
    if data["part_of"] is not None:
        data["part_of"] += index_base
    return InterceptionEvent.model_validate(data)


def extract(
    text: str, published: PublishedLike = None, *, nlp: Language | None = None
) -> list[InterceptionEvent]:
    """Every interception event stated in `text`, with offsets into `text`."""
    return next(extract_many([text], published=published, nlp=nlp))


def _positive(name: str, value: object, allowed: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(Errors.E006.format(name=name, value=value, allowed=allowed))
    return value


def extract_many(
    texts: Iterable[str],
    published: PublishedLike | Iterable[PublishedLike] = None,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    nlp: Language | None = None,
) -> Iterator[list[InterceptionEvent]]:
    """Events for each text, in order. `published` is one value for all texts
    or an iterable (list, tuple, generator) with exactly one value per text.

    Arguments are checked on the call; texts and per-text published values as
    they are read."""
    if isinstance(texts, (str, bytes)):
        raise TypeError(Errors.E008.format(type_name=type(texts).__name__))
    _positive("batch_size", batch_size, "a whole number of 1 or more")
    if n_process != -1:
        _positive("n_process", n_process, "a whole number of 1 or more, or -1 (every CPU)")
    if published is None or isinstance(published, (str, bytes, date)):
        shared = _published_text(published)
        return _extract_stream(texts, None, shared, batch_size, n_process, nlp or load())
    try:
        values = iter(published)  # type: ignore[call-overload]
    except TypeError:
        # not a date and not iterable: parse_published names what it got
        _published_text(published)  # type: ignore[arg-type]
        raise
    return _extract_stream(texts, values, None, batch_size, n_process, nlp or load())


def _extract_stream(
    texts: Iterable[str],
    published_values: Iterator[PublishedLike] | None,
    shared: str | None,
    batch_size: int,
    n_process: int,
    pipeline: Language,
) -> Iterator[list[InterceptionEvent]]:
    # the matching view's map of each chunk, in the order pipe() returns them
    views: deque[tuple[OffsetMap | None, str]] = deque()

    def docs() -> Iterator[tuple[Any, tuple[int, int, int]]]:
        count = 0
        for index, text in enumerate(texts):
            count = index + 1
            _check_text(text)
            if published_values is not None:
                try:
                    value = _published_text(next(published_values))
                except StopIteration:
                    raise InputError(
                        Errors.E016.format(
                            detail=f"fewer published values than texts ({index} for more)"
                        )
                    ) from None
            else:
                value = shared
            chunks = split_into_chunks(text)
            for number, (offset, chunk) in enumerate(chunks):
                view, mapping = matching_view(chunk)
                views.append((mapping, chunk))
                doc = pipeline.make_doc(view)
                doc._.published = value
                yield doc, (index, offset, len(chunks) - number - 1)
        if published_values is not None and next(published_values, _END) is not _END:
            raise InputError(
                Errors.E016.format(
                    detail=f"more published values than texts (over {count} for {count})"
                )
            )

    current: list[InterceptionEvent] = []
    for doc, (_, offset, chunks_left) in pipeline.pipe(
        docs(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        mapping, chunk = views.popleft()
        base = len(current)
        current.extend(_shift(event, offset, base, mapping, chunk) for event in doc._.events)
        if chunks_left == 0:
            yield current
            current = []
