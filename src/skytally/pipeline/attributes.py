"""Custom attributes skytally stores on Doc and Span objects.

Values are kept JSON-shaped (str, int, float, dict, list) so a Doc survives
`Doc.to_bytes` / `DocBin` and the round trip between worker processes in
`nlp.pipe(n_process=...)`; typed objects are rebuilt by the getters.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from ..errors import Errors, InputError
from ..schema import InterceptionEvent


def span_key(start_char: int, end_char: int) -> str:
    return f"{start_char}:{end_char}"


def _span_value(span: Span) -> dict[str, Any] | None:
    values = span.doc._.skytally_values or {}
    return values.get(span_key(span.start_char, span.end_char))


def _events(doc: Doc) -> list[InterceptionEvent]:
    check_pipeline_ran(doc)
    return [InterceptionEvent.model_validate(item) for item in doc._.event_data or []]


def check_pipeline_ran(doc: Doc) -> None:
    """Raise InputError (E014) naming the component whose work is missing from `doc`.

    A pipeline loaded with `exclude=` or `disable=` of a skytally component runs
    without error but finds nothing; its events would be an empty list that
    looks like a result. A Doc with no tokens has nothing to check."""
    if len(doc) == 0:
        return
    missing: list[tuple[str, str]] = []
    if doc._.event_data is None:
        missing.append(("skytally_events", "it makes the events"))
    else:
        if not doc.has_annotation("SENT_START"):
            missing.append(("skytally_sentences", "no sentence boundaries were set"))
        if not doc.has_annotation("ENT_IOB"):
            missing.append(("skytally_entities", "no entities were looked for"))
        if doc._.skytally_values is None:
            missing.append(("skytally_normalizer", "no entity has a value"))
        if doc._.link_candidates is None:
            missing.append(
                ("skytally_linker or skytally_relation_model", "no link was scored for any count")
            )
        if doc._.links is None:
            missing.append(("skytally_decoder", "no link was chosen for any count"))
    if missing:
        raise InputError(
            Errors.E014.format(
                missing=", ".join(name for name, _ in missing),
                why="; ".join(why for _, why in missing),
            )
        )


def register() -> None:
    """Idempotent: every component calls it, so any subset of the pipeline works."""
    for name in (
        "published",
        "time_zone",
        "skytally_values",
        "link_candidates",
        "links",
        "count_info",
        "event_data",
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("events"):
        Doc.set_extension("events", getter=_events)
    if not Span.has_extension("value"):
        Span.set_extension("value", getter=_span_value)


register()
