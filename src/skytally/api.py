"""The public functions: `load`, `extract`, `extract_many`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from .errors import Errors, InputError
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
    "skytally_events",
)
BUNDLED_MODEL = "skytally-rules"

PublishedLike = str | date | datetime | None


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


def load(path: str | Path | None = None) -> Language:
    """The skytally pipeline: the bundled model by default, or one saved at `path`."""
    if path is None:
        return _default_pipeline()
    location = Path(path)
    if not location.exists():
        raise InputError(Errors.E005.format(path=location, reason="no such file or folder"))
    if not (location / "config.cfg").exists():
        raise InputError(Errors.E005.format(path=location, reason="it has no config.cfg"))
    try:
        nlp = spacy.load(location)
    except Exception as error:  # spaCy raises many types for a broken folder
        raise InputError(
            Errors.E005.format(path=location, reason=str(error).splitlines()[0])
        ) from None
    if "skytally_events" not in nlp.pipe_names:
        raise InputError(
            Errors.E005.format(
                path=location, reason="its pipeline has no skytally_events component"
            )
        )
    return nlp


def bundled_model_path() -> Path:
    """The folder of the pipeline shipped with the package (models/ in the repository)."""
    from importlib.resources import files

    return Path(str(files("skytally.models") / BUNDLED_MODEL))


@lru_cache(maxsize=1)
def _default_pipeline() -> Language:
    return spacy.load(bundled_model_path())


def _check_text(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(Errors.E001.format(type_name=type(text).__name__, value=text))
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


def _shift(event: InterceptionEvent, offset: int, index_base: int) -> InterceptionEvent:
    if offset == 0 and index_base == 0:
        return event
    data = event.model_dump()
    for key in ("count", "weapon", "place", "heading_to", "claimant", "sentence"):
        if data.get(key) is not None:
            data[key]["start"] += offset
            data[key]["end"] += offset
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


def extract_many(
    texts: Iterable[str],
    published: PublishedLike | Sequence[PublishedLike] = None,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    nlp: Language | None = None,
) -> Iterator[list[InterceptionEvent]]:
    """Events for each text, in order. `published` is one value for all texts
    or a sequence with one value per text."""
    if isinstance(texts, (str, bytes)):
        raise TypeError(Errors.E008.format(type_name=type(texts).__name__))
    pipeline = nlp or load()
    if isinstance(published, (list, tuple)):
        published_values: Iterator[PublishedLike] = iter(published)
        per_text = True
    else:
        per_text = False
        shared = _published_text(published)  # type: ignore[arg-type]

    def docs() -> Iterator[tuple[Any, tuple[int, int, int]]]:
        for index, text in enumerate(texts):
            _check_text(text)
            if per_text:
                try:
                    value = _published_text(next(published_values))
                except StopIteration:
                    raise InputError(
                        Errors.E002.format(
                            value=published, reason=f"fewer published values than texts ({index})"
                        )
                    ) from None
            else:
                value = shared
            chunks = split_into_chunks(text)
            for number, (offset, chunk) in enumerate(chunks):
                doc = pipeline.make_doc(chunk)
                doc._.published = value
                yield doc, (index, offset, len(chunks) - number - 1)

    current: list[InterceptionEvent] = []
    for doc, (_, offset, chunks_left) in pipeline.pipe(
        docs(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        base = len(current)
        current.extend(_shift(event, offset, base) for event in doc._.events)
        if chunks_left == 0:
            yield current
            current = []
