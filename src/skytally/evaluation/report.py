"""What `skytally evaluate` shows: terminal tables, a JSON report, an HTML page.

The numbers come from `evaluate.py`; this module only lays them out. Every
table is built once as a `TableSpec` (plain strings) and drawn twice, by
rich in the terminal and as HTML, so the two never disagree.

The HTML page is self-contained (inline CSS, no script, no web fonts): it
is opened from disk, attached to issues and archived with a model, so it
must render the same offline in ten years.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import Field
from rich.console import Console
from rich.table import Table
from spacy import displacy
from spacy.displacy import templates as displacy_templates

from ..schema import GoldEvent, InterceptionEvent, Place
from .evaluate import (
    PRF,
    ArticleCounts,
    ArticleRun,
    BootstrapResult,
    EvaluationResult,
    SweepRow,
    compare_results,
)
from .matching import (
    ATTRIBUTES,
    DocumentMatch,
    match_events,
    part_of_agrees,
    period_agrees,
)

Status = Literal["MATCHED", "MISSED", "SPURIOUS", "OPTIONAL"]
EvidenceLabel = Literal["PLACE", "WEAPON", "TIME"]

#: displaCy span colours. Event statuses are saturated and far apart in hue
#: (green / red / orange, grey for optional readings); evidence colours are
#: paler so the eye goes to the counts first. Labels are drawn in black on
#: these, so none is darker than mid-tone.
COLOURS: dict[str, str] = {
    "MATCHED": "#4caf50",
    "MISSED": "#f44336",
    "SPURIOUS": "#ff9800",
    "OPTIONAL": "#bdbdbd",
    "PLACE": "#90caf9",
    "WEAPON": "#ce93d8",
    "TIME": "#fff176",
}
LEGEND: dict[str, str] = {
    "MATCHED": "gold count found: a predicted event has the same number, outcome and place",
    "MISSED": "gold count not found (a false negative)",
    "SPURIOUS": "predicted event no gold event matches (a false positive)",
    "OPTIONAL": "optional gold reading nobody predicted (not an error)",
    "PLACE": "place or heading of one of these events",
    "WEAPON": "weapon of one of these events",
    "TIME": "time expression of one of these events",
}


class EvaluationReport(EvaluationResult):
    """An `EvaluationResult` with what the run added: a baseline scored on the
    same articles, the differences (model - baseline), the paired bootstrap
    of the event-F1 difference, and the relation threshold sweep.

    A subclass, so the JSON keeps every `EvaluationResult` key at the top
    level and `EvaluationResult.model_validate` still reads it."""

    baseline: EvaluationResult | None = None
    differences: dict[str, float] | None = Field(
        default=None, description="model minus baseline per summary number"
    )
    bootstrap: BootstrapResult | None = None
    sweep: list[SweepRow] | None = None


def build_report(
    result: EvaluationResult,
    *,
    baseline: EvaluationResult | None = None,
    sweep: list[SweepRow] | None = None,
    samples: int = 1000,
    seed: int = 0,
) -> EvaluationReport:
    report = EvaluationReport(**dict(result), sweep=sweep)
    if baseline is not None:
        comparison = compare_results(result, baseline, samples=samples, seed=seed)
        report.baseline = baseline
        report.differences = comparison.differences
        report.bootstrap = comparison.bootstrap
    return report


# ---------------------------------------------------------------- tables


@dataclass
class TableSpec:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    #: columns holding a difference: coloured by sign
    delta_columns: frozenset[int] = frozenset()
    caption: str = ""

    def is_numeric(self, column: int) -> bool:
        """Right-align a column only when every cell in it is a number: a
        count text such as "45" among "a" and "another" stays left."""
        cells = [row[column] for row in self.rows if row[column]]
        return column > 0 and bool(cells) and all(_looks_numeric(cell) for cell in cells)


def _looks_numeric(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _f(value: float) -> str:
    return f"{value:.3f}"


def _d(value: float) -> str:
    # a signed difference; exactly zero gets no sign so it reads as "same"
    return "0.000" if abs(value) < 5e-4 else f"{value:+.3f}"


def _n(value: int) -> str:
    return f"{value:+d}" if value else "0"


def _prf_cells(prf: PRF | None) -> list[str]:
    if prf is None:
        return ["", "", "", "", "", ""]
    return [_f(prf.p), _f(prf.r), _f(prf.f), str(prf.tp), str(prf.fp), str(prf.fn)]


def _prf_table(
    title: str,
    overall: PRF,
    per_label: dict[str, PRF],
    baseline: tuple[PRF, dict[str, PRF]] | None,
    caption: str = "",
) -> TableSpec:
    columns = ["label", "P", "R", "F1", "tp", "fp", "fn"]
    if baseline is not None:
        columns += ["base P", "base R", "base F1", "ΔP", "ΔR", "ΔF1"]
    labels = sorted(set(per_label) | (set(baseline[1]) if baseline else set()))
    spec = TableSpec(title, columns, caption=caption)
    if baseline is not None:
        spec.delta_columns = frozenset({10, 11, 12})
    for label, prf, base in [
        ("all", overall, baseline[0] if baseline else None),
        *(
            (label, per_label.get(label), baseline[1].get(label) if baseline else None)
            for label in labels
        ),
    ]:
        row = [label, *_prf_cells(prf)]
        if baseline is not None:
            ours = prf or PRF.of(0, 0, 0)
            theirs = base or PRF.of(0, 0, 0)
            row += [_f(theirs.p), _f(theirs.r), _f(theirs.f)]
            row += [_d(ours.p - theirs.p), _d(ours.r - theirs.r), _d(ours.f - theirs.f)]
        spec.rows.append(row)
    return spec


def summary_tables(report: EvaluationReport) -> list[TableSpec]:
    """Events, attributes, entities, relations (and comparison, sweep)."""
    base = report.baseline
    events = TableSpec(
        "Events",
        ["system", "P", "R", "F1", "tp", "fp", "fn", "optional matched"],
        caption="a gold event is found when a predicted event has the same count value, "
        "outcome and place code (one to one); strict: and weapon, qualifier, heading_to, "
        "period and part_of right too",
    )
    events.rows.append(
        [report.model, *_prf_cells(report.events), str(report.events_optional_matched)]
    )
    events.rows.append([f"{report.model} strict", *_prf_cells(report.events_strict), ""])
    if base is not None:
        events.rows.append(
            [
                f"{base.model} (baseline)",
                *_prf_cells(base.events),
                str(base.events_optional_matched),
            ]
        )
        ours, theirs = report.events, base.events
        events.rows.append(
            [
                "Δ",
                _d(ours.p - theirs.p),
                _d(ours.r - theirs.r),
                _d(ours.f - theirs.f),
                _n(ours.tp - theirs.tp),
                _n(ours.fp - theirs.fp),
                _n(ours.fn - theirs.fn),
                _n(report.events_optional_matched - base.events_optional_matched),
            ]
        )
        # colour only the rates: more tp is better but more fp is worse, so
        # the sign of a count difference means nothing by itself
        events.delta_columns = frozenset({1, 2, 3})
    tables = [events]

    attributes = TableSpec(
        "Event attributes (over found events)",
        ["attribute", "accuracy", "correct", "total"],
        caption="accuracy of the other fields of the events found above",
    )
    if base is not None:
        attributes.columns += ["base accuracy", "base correct", "base total", "Δ accuracy"]
        attributes.delta_columns = frozenset({7})
    for name in ATTRIBUTES:
        ours_a = report.attributes[name]
        row = [name, _f(ours_a.accuracy), str(ours_a.correct), str(ours_a.total)]
        if base is not None:
            theirs_a = base.attributes[name]
            row += [
                _f(theirs_a.accuracy),
                str(theirs_a.correct),
                str(theirs_a.total),
                _d(ours_a.accuracy - theirs_a.accuracy),
            ]
        attributes.rows.append(row)
    tables.append(attributes)

    tables.append(
        _prf_table(
            "Entities",
            report.entities,
            report.entities_per_label,
            (base.entities, base.entities_per_label) if base else None,
            caption="exact span and label (spaCy ents_p / ents_r / ents_f / ents_per_type)",
        )
    )
    tables.append(
        _prf_table(
            "Relations on predicted entities",
            report.relations,
            report.relations_per_label,
            (base.relations, base.relations_per_label) if base else None,
            caption="a link counts when head span, child span and label are all right: "
            "what the pipeline delivers end to end",
        )
    )
    tables.append(
        _prf_table(
            "Relations on gold entities",
            report.relations_on_gold_entities,
            report.relations_on_gold_entities_per_label,
            (base.relations_on_gold_entities, base.relations_on_gold_entities_per_label)
            if base
            else None,
            caption="the linker handed the annotated spans: its own accuracy, "
            "without the entity errors",
        )
    )
    if base is not None and report.bootstrap is not None:
        boot = report.bootstrap
        low_pct = round(boot.confidence * 100)
        tables.append(
            TableSpec(
                f"Event F1: {report.model} vs {base.model}",
                [
                    "metric",
                    "model",
                    "baseline",
                    "difference",
                    f"{low_pct}% CI low",
                    f"{low_pct}% CI high",
                    "samples",
                ],
                [
                    [
                        "event F1",
                        _f(report.events.f),
                        _f(base.events.f),
                        _d(boot.difference),
                        _d(boot.low),
                        _d(boot.high),
                        str(boot.samples),
                    ]
                ],
                delta_columns=frozenset({3, 4, 5}),
                caption=f"paired bootstrap over {report.articles} articles: "
                + (
                    "the interval excludes 0, the difference is unlikely to be chance"
                    if boot.low > 0 or boot.high < 0
                    else "the interval contains 0, the difference may be chance"
                ),
            )
        )
    if report.sweep:
        tables.append(sweep_table(report.sweep))
    return tables


def sweep_table(rows: Sequence[SweepRow]) -> TableSpec:
    spec = TableSpec(
        "Relation threshold sweep",
        ["threshold", "P", "R", "F1", "links kept", "random P", "random R", "random F1"],
        caption="links scored at or above the threshold; 'random' keeps the same links "
        "with random scores: a useful score beats it",
    )
    for row in rows:
        spec.rows.append(
            [
                f"{row.threshold:.2f}",
                _f(row.model.p),
                _f(row.model.r),
                _f(row.model.f),
                str(row.model.tp + row.model.fp),
                _f(row.random_baseline.p),
                _f(row.random_baseline.r),
                _f(row.random_baseline.f),
            ]
        )
    return spec


def _event_summary(event: dict[str, Any]) -> tuple[str, str, str, str]:
    count = event["count"]
    place = event.get("place")
    return (
        count["text"],
        str(count["value"]) + ("" if count["qualifier"] == "exact" else f" ({count['qualifier']})"),
        event["outcome"],
        (place["code"] or "none") if place else "",
    )


def error_tables(report: EvaluationResult, limit: int) -> list[TableSpec]:
    by_cause = Counter((e.kind, e.cause) for e in report.errors)
    causes = TableSpec("Errors by cause", ["kind", "cause", "events"])
    for kind in ("missed", "spurious"):
        for (k, cause), n in sorted(by_cause.items(), key=lambda item: (-item[1], item[0][1])):
            if k == kind:
                causes.rows.append([kind, cause, str(n)])
    if not report.errors:
        causes.caption = "no errors"
    tables = [causes]
    if limit > 0 and report.errors:
        shown = report.errors[:limit]
        listing = TableSpec(
            f"First {len(shown)} of {len(report.errors)} errors",
            ["kind", "article", "cause", "count", "value", "outcome", "place", "sentence"],
        )
        for error in shown:
            listing.rows.append(
                [
                    error.kind,
                    error.article,
                    error.cause,
                    *_event_summary(error.event),
                    error.sentence,
                ]
            )
        tables.append(listing)
    return tables


# ---------------------------------------------------------------- terminal


def rich_table(spec: TableSpec) -> Table:
    table = Table(
        title=spec.title,
        title_justify="left",
        caption=spec.caption or None,
        caption_justify="left",
    )
    for index, column in enumerate(spec.columns):
        wide = column == "sentence"
        table.add_column(
            column,
            justify="right" if spec.is_numeric(index) else "left",
            overflow="fold",
            ratio=3 if wide else None,
            min_width=30 if wide else None,
        )
    for row in spec.rows:
        cells = []
        for index, cell in enumerate(row):
            if index in spec.delta_columns and cell.startswith("+"):
                cells.append(f"[green]{cell}[/green]")
            elif index in spec.delta_columns and cell.startswith("-"):
                cells.append(f"[red]{cell}[/red]")
            else:
                cells.append(cell.replace("[", "\\["))
        table.add_row(*cells)
    return table


def print_report(report: EvaluationReport, console: Console, errors: int = 20) -> None:
    head = f"{report.articles} articles from {report.data}, model: {report.model}"
    if report.baseline is not None:
        head += f", baseline: {report.baseline.model}"
    console.print(head)
    for spec in [*summary_tables(report), *error_tables(report, errors)]:
        console.print(rich_table(spec))


# ---------------------------------------------------------------- HTML


@dataclass
class _Mark:
    start: int
    end: int
    label: str


@dataclass
class _EventRow:
    status: Status
    event: InterceptionEvent
    events: Sequence[InterceptionEvent]  # the list `part_of` indexes into
    note: str = ""


def _evidence_marks(event: InterceptionEvent) -> list[_Mark]:
    marks = []
    for place in (event.place, event.heading_to):
        if place is not None:
            marks.append(_Mark(place.start, place.end, "PLACE"))
    if event.weapon is not None:
        marks.append(_Mark(event.weapon.start, event.weapon.end, "WEAPON"))
    if event.period is not None:
        marks.append(_Mark(event.period.text_start, event.period.text_end, "TIME"))
    return marks


def _disagreements(
    gold: Sequence[GoldEvent],
    predicted: Sequence[InterceptionEvent],
    g_index: int,
    p_index: int,
    match: DocumentMatch,
) -> str:
    """The attributes of a found event that the prediction got wrong, with
    what it said instead."""
    g, p = gold[g_index], predicted[p_index]
    wrong = []
    g_weapon = g.weapon.category.value if g.weapon else None
    p_weapon = p.weapon.category.value if p.weapon else None
    if g_weapon != p_weapon:
        wrong.append(f"weapon: predicted {p_weapon or 'none'}")
    if g.count.qualifier != p.count.qualifier:
        wrong.append(f"qualifier: predicted {p.count.qualifier.value}")
    g_heading = g.heading_to.code if g.heading_to else None
    p_heading = p.heading_to.code if p.heading_to else None
    if g_heading != p_heading:
        wrong.append(f"heading_to: predicted {p_heading or 'none'}")
    if not period_agrees(g, p):
        wrong.append(f"period: predicted {_period_text(p)}")
    predicted_to_gold = {pi: gi for gi, pi in match.gold_to_predicted.items()}
    if not part_of_agrees(gold, predicted, g_index, p_index, predicted_to_gold):
        wrong.append(f"part_of: predicted {_parent_text(p, predicted)}")
    return "; ".join(wrong)


def _period_text(event: InterceptionEvent) -> str:
    """ "“overnight” 2025-11-01 23:00 – 2025-11-02 07:00 +03:00": short enough
    for a table cell, the offset written once."""
    period = event.period
    if period is None:
        return "none"
    start, end = period.start, period.end
    if start is None and end is None:
        return f"“{period.text}” (unresolved)"
    offset = (start or end).strftime("%z")  # type: ignore[union-attr]
    offset = f"{offset[:3]}:{offset[3:]}" if offset else ""

    def moment(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if value else "open"

    return f"“{period.text}” {moment(start)} – {moment(end)} {offset}".rstrip()


def _parent_text(event: InterceptionEvent, events: Sequence[InterceptionEvent]) -> str:
    if event.part_of is None or not 0 <= event.part_of < len(events):
        return "none"
    parent = events[event.part_of]
    return f"“{parent.count.text}” ({parent.count.value} {parent.outcome.value})"


def article_rows(run: ArticleRun, causes: dict[tuple[Any, ...], str]) -> list[_EventRow]:
    gold, predicted = run.record.events, run.predicted_events
    match = match_events(gold, predicted)
    rows: list[_EventRow] = []
    for g_index in match.missed:
        rows.append(
            _EventRow(
                "MISSED", gold[g_index], gold, causes.get(_error_key("missed", gold[g_index]), "")
            )
        )
    for p_index in match.spurious:
        rows.append(
            _EventRow(
                "SPURIOUS",
                predicted[p_index],
                predicted,
                causes.get(_error_key("spurious", predicted[p_index]), ""),
            )
        )
    for g_index, p_index in match.pairs:
        rows.append(
            _EventRow(
                "MATCHED",
                gold[g_index],
                gold,
                _disagreements(gold, predicted, g_index, p_index, match),
            )
        )
    for g_index, _ in match.optional_pairs:
        rows.append(_EventRow("MATCHED", gold[g_index], gold, "optional reading"))
    paired = {g for g, _ in match.pairs + match.optional_pairs}
    for g_index, event in enumerate(gold):
        if event.optional and g_index not in paired:
            rows.append(_EventRow("OPTIONAL", event, gold, "optional reading, not predicted"))
    rows.sort(key=lambda row: (row.event.count.start, row.status))
    return rows


def _error_key(kind: str, event: InterceptionEvent | dict[str, Any]) -> tuple[Any, ...]:
    data = event if isinstance(event, dict) else event.model_dump(mode="json")
    place = data.get("place")
    return (
        kind,
        data["count"]["start"],
        data["count"]["end"],
        data["count"]["value"],
        data["outcome"],
        place["code"] if place else None,
    )


def _pieces(text: str, start: int, end: int, cuts: set[int]) -> list[tuple[int, int]]:
    """Tokens for displaCy: words split at whitespace and wherever a mark
    starts or ends. displaCy's span style puts a space after every token, so
    tokens no finer than marks need keep "drones," in one piece."""
    pieces: list[tuple[int, int]] = []
    position = start
    while position < end:
        while position < end and text[position].isspace():
            position += 1
        if position >= end:
            break
        stop = position
        while stop < end and not text[stop].isspace():
            stop += 1
        inner = sorted(c for c in cuts if position < c < stop)
        for a, b in zip([position, *inner], [*inner, stop], strict=True):
            pieces.append((a, b))
        position = stop
    return pieces


#: displaCy's span templates, changed in two ways. The token template loses
#: the whitespace between its tags: the stock one puts a space after every
#: marked token, so "Kursk region, 13" came out as "Kursk region , 13". The
#: label box gets a class per label (`mark-MISSED`) instead of its inline
#: `top` and `z-index`, so STYLE can draw evidence labels under their line
#: and status labels on top: a status label is wider than a short count
#: ("12") and used to be hidden by the label of the next word ("drones").
SPAN_TEMPLATES: dict[str, str] = {
    "span": re.sub(r"\s*\n\s*", "", displacy_templates.TPL_SPAN),
    "slice": displacy_templates.TPL_SPAN_SLICE,
    "start": (
        '<span style="background: {bg}; top: {top_offset}px; height: 4px; '
        "border-top-left-radius: 3px; border-bottom-left-radius: 3px; left: -1px; "
        'width: calc(100% + 2px); position: absolute;">'
        '<span class="mark-label mark-{label}" style="background: {bg}; color: #000; '
        "padding: 2px 3px; position: absolute; font-size: 0.6em; font-weight: bold; "
        'line-height: 1; border-radius: 3px; white-space: nowrap">{label}{kb_link}</span></span>'
    ),
}


def render_article_text(text: str, marks: Iterable[_Mark]) -> str:
    """The text as displaCy span markup, one block per paragraph."""
    unique = sorted({(m.start, m.end, m.label) for m in marks if m.end > m.start})
    parsed = []
    position = 0
    for paragraph in text.split("\n"):
        start, end = position, position + len(paragraph)
        position = end + 1
        inside = [
            (max(s, start), min(e, end), label) for s, e, label in unique if s < end and start < e
        ]
        cuts = {s for s, _, _ in inside} | {e for _, e, _ in inside}
        pieces = _pieces(text, start, end, cuts)
        if not pieces:
            continue
        first = {a: i for i, (a, _) in enumerate(pieces)}
        last = {b: i for i, (_, b) in enumerate(pieces)}
        spans = []
        for s, e, label in inside:
            # marks start and end on piece boundaries (we cut there), but
            # a mark that starts or ends on whitespace is pulled in to a word
            s_token = first.get(s, next((i for i, (a, _) in enumerate(pieces) if a >= s), None))
            e_token = last.get(
                e, next((i for i in range(len(pieces) - 1, -1, -1) if pieces[i][1] <= e), None)
            )
            if s_token is None or e_token is None or e_token < s_token:
                continue
            spans.append({"start_token": s_token, "end_token": e_token + 1, "label": label})
        marked = {i for span in spans for i in range(span["start_token"], span["end_token"])}
        tokens = [
            # displaCy writes an unmarked token followed by a space; a marked
            # token (SPAN_TEMPLATES) carries its own space, a no-break one so
            # the inline block keeps it and the underline runs on to the
            # next word of the mark
            text[a:b] + ("\u00a0" if i in marked and b < len(text) and text[b].isspace() else "")
            for i, (a, b) in enumerate(pieces)
        ]
        parsed.append({"text": text[start:end], "tokens": tokens, "spans": spans})
    if not parsed:
        return ""
    return displacy.render(
        parsed,
        style="span",
        manual=True,
        page=False,
        options={"colors": COLOURS, "template": SPAN_TEMPLATES},
    )


def _cell(value: str) -> str:
    return html.escape(value)


def _html_table(spec: TableSpec) -> str:
    head = "".join(f"<th>{_cell(c)}</th>" for c in spec.columns)
    body = []
    for row in spec.rows:
        cells = []
        for index, cell in enumerate(row):
            classes = []
            if spec.is_numeric(index):
                classes.append("num")
            if index in spec.delta_columns and cell.startswith("+"):
                classes.append("better")
            elif index in spec.delta_columns and cell.startswith("-"):
                classes.append("worse")
            attr = f' class="{" ".join(classes)}"' if classes else ""
            cells.append(f"<td{attr}>{_cell(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f'<p class="caption">{_cell(spec.caption)}</p>' if spec.caption else ""
    return (
        f'<section class="table"><h3>{_cell(spec.title)}</h3>{caption}'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></section>"
    )


def _legend() -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{COLOURS[label]}">{label}</span> '
        f"{_cell(text)}</li>"
        for label, text in LEGEND.items()
    )
    return f'<ul class="legend">{items}</ul>'


def _place_text(place: Place | None) -> str:
    return f"“{place.text}” → {place.code or 'none'}" if place is not None else ""


def _events_table(rows: Sequence[_EventRow]) -> str:
    columns = [
        "status",
        "count",
        "outcome",
        "place",
        "heading to",
        "weapon",
        "time",
        "claimant",
        "part of",
        "cause / wrong attributes",
    ]
    body = []
    for row in rows:
        e = row.event
        qualifier = "" if e.count.qualifier.value == "exact" else f" {e.count.qualifier.value}"
        cells = [
            f'<span class="swatch" style="background:{COLOURS[row.status]}">{row.status}</span>',
            _cell(f"“{e.count.text}” = {e.count.value}{qualifier}"),
            _cell(e.outcome.value),
            _cell(_place_text(e.place)),
            _cell(_place_text(e.heading_to)),
            _cell(f"“{e.weapon.text}” → {e.weapon.category.value}" if e.weapon else ""),
            _cell(_period_text(e) if e.period else ""),
            _cell(e.claimant.name if e.claimant else ""),
            _cell(_parent_text(e, row.events) if e.part_of is not None else ""),
            _cell(row.note),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{c}</th>" for c in columns)
    return (
        '<table class="events"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


def _article_section(
    run: ArticleRun, causes: dict[tuple[Any, ...], str], counts: ArticleCounts
) -> str:
    rows = article_rows(run, causes)
    marks: list[_Mark] = []
    for row in rows:
        marks.append(_Mark(row.event.count.start, row.event.count.end, row.status))
        marks.extend(_evidence_marks(row.event))
    record = run.record
    meta = f"{run.where} · published {record.published or 'unknown'} · {record.source_style}"
    return (
        f'<section class="article" id="{_anchor(record.id)}">'
        f"<h3>{_cell(record.id)} "
        f"<small>tp {counts.tp} · fp {counts.fp} · fn {counts.fn}</small></h3>"
        f'<p class="meta">{_cell(meta)}</p>'
        f'<div class="text">{render_article_text(record.text, marks)}</div>'
        f"<h4>Events and their links</h4>{_events_table(rows)}</section>"
    )


def _anchor(article: str) -> str:
    return "article-" + "".join(c if c.isalnum() or c in "-_" else "_" for c in article)


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 2rem auto; max-width: 1200px; padding: 0 1.5rem; color: #1a1a1a;
       background: #fff; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 2px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .3rem; }
h3 small { font-weight: normal; color: #555; margin-left: .6rem; }
h4 { font-size: .95rem; margin: 1rem 0 .3rem; }
.meta, .caption { color: #555; font-size: .85rem; margin: .1rem 0 .4rem; }
table { border-collapse: collapse; font-size: .85rem; margin: .2rem 0 .8rem; }
th, td { border: 1px solid #d0d0d0; padding: .25rem .55rem; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
tbody tr:nth-child(even) { background: #fafafa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.better { color: #1b6e20; font-weight: 600; }
td.worse { color: #b71c1c; font-weight: 600; }
.summary { display: flex; flex-wrap: wrap; gap: 0 2.5rem; }
.legend { list-style: none; padding: 0; display: grid;
          grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: .35rem 1.5rem;
          font-size: .85rem; }
.swatch { display: inline-block; min-width: 5.6rem; text-align: center; font-size: .72rem;
          font-weight: 700; padding: .12rem .3rem; border-radius: 3px; color: #000; }
.article { border-top: 1px solid #ddd; margin-top: 1.8rem; }
.article .text { border: 1px solid #e3e3e3; border-radius: 4px; padding: .3rem 1rem .6rem;
                 background: #fcfcfc; font-size: 15px; }
.article .text .spans { margin-bottom: .6rem; }
table.events td:first-child { white-space: nowrap; }
/* labels of the marks (SPAN_TEMPLATES): statuses sit on their line and on
   top of everything, evidence labels hang under theirs */
.mark-label { top: -0.5em; z-index: 20; }
.mark-PLACE, .mark-WEAPON, .mark-TIME { top: 6px; z-index: 10; font-weight: 600; }
.index { columns: 3 18rem; font-size: .85rem; padding-left: 1.2rem; }
"""


def render_html(
    report: EvaluationReport,
    runs: Sequence[ArticleRun],
    *,
    title: str = "skytally evaluation",
) -> str:
    """One self-contained page: summary tables, error analysis and every
    article with an error, its counts and their evidence marked."""
    causes = {_error_key(e.kind, e.event): e.cause for e in report.errors}
    counts_by_article = {c.article: c for c in report.per_article}
    with_errors = [
        run
        for run in runs
        if (c := counts_by_article.get(run.record.id)) is not None and (c.fp or c.fn)
    ]
    head = f"{report.articles} articles from {report.data} · model: {report.model}"
    if report.baseline is not None:
        head += f" · baseline: {report.baseline.model}"
    summary = "".join(_html_table(spec) for spec in summary_tables(report))
    errors = "".join(_html_table(spec) for spec in error_tables(report, 0))
    index = "".join(
        f'<li><a href="#{_anchor(run.record.id)}">{_cell(run.record.id)}</a> '
        f"(fp {counts_by_article[run.record.id].fp}, fn {counts_by_article[run.record.id].fn})</li>"
        for run in with_errors
    )
    articles = "".join(
        _article_section(run, causes, counts_by_article[run.record.id]) for run in with_errors
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_cell(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{_cell(title)}</h1>
<p class="meta">{_cell(head)}</p>
<h2>Summary</h2>
<div class="summary">{summary}</div>
<h2>Error analysis</h2>
{errors}
<h2>Articles with errors ({len(with_errors)} of {report.articles})</h2>
<p class="caption">Counts are marked by what happened to their event; the evidence of those
events (places, weapons, time expressions) is underlined in paler colours. A count with
several events (“two each over A and B”) can carry several marks.</p>
{_legend()}
<ul class="index">{index}</ul>
{articles}
</body>
</html>
"""
