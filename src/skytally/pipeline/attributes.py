"""Custom attributes skytally stores on Doc and Span objects.

Values are kept JSON-shaped (str, int, float, dict, list) so a Doc survives
`Doc.to_bytes` / `DocBin` and the round trip between worker processes in
`nlp.pipe(n_process=...)`; typed objects are rebuilt by the getters.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from ..schema import InterceptionEvent


def span_key(start_char: int, end_char: int) -> str:
    return f"{start_char}:{end_char}"


def _span_value(span: Span) -> dict[str, Any] | None:
    values = span.doc._.skytally_values or {}
    return values.get(span_key(span.start_char, span.end_char))


def _events(doc: Doc) -> list[InterceptionEvent]:
    return [InterceptionEvent.model_validate(item) for item in doc._.event_data or []]


def register() -> None:
    """Idempotent: every component calls it, so any subset of the pipeline works."""
    for name in ("published", "time_zone", "skytally_values", "links", "count_info", "event_data"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("events"):
        Doc.set_extension("events", getter=_events)
    if not Span.has_extension("value"):
        Span.set_extension("value", getter=_span_value)


register()
