"""The `skytally` command line.

Every user mistake (a missing file, a bad date, an invalid record) ends in
one line on stderr, `error: ...`, and a non-zero exit; never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .errors import DataError, Errors, InputError, SkytallyError

app = typer.Typer(
    name="skytally",
    help="Typed interception events (drones, missiles, guided bombs) from English news text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data_app = typer.Typer(
    help="Annotated data: validate, statistics, conversion.", no_args_is_help=True
)
app.add_typer(data_app, name="data")

T = TypeVar("T")
EXIT_USER_ERROR = 2


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    table = "table"
    parquet = "parquet"


def fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=EXIT_USER_ERROR)


def guarded(action: Callable[[], T]) -> T:
    """Run `action`, turning a user's mistake into one line and exit code 2."""
    try:
        return action()
    except DataError as error:
        for problem in error.problems[1:]:
            typer.echo(problem, err=True)
        raise fail(str(error)) from None
    except (SkytallyError, TypeError, ValueError, OSError) as error:
        raise fail(str(error)) from None


#: with more articles than this, `extract` and `annotate` show a progress bar
PROGRESS_AFTER = 10


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A transient progress bar on stderr (stdout stays clean for pipes); yields
    the function that advances it. Short jobs get no bar."""
    if total <= PROGRESS_AFTER:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda: progress.advance(task)


@contextmanager
def rate_progress(label: str) -> Iterator[Callable[[int], None]]:
    """A transient counter on stderr for a stream of unknown length: records done,
    records/s and words/s. Only on a terminal: a log file or a pipe gets nothing but the
    summary line. Yields the function that counts one record of `words` words."""
    if not sys.stderr.isatty():
        yield lambda words: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,.0f} records"),
        TextColumn("{task.fields[records_rate]:,.0f} records/s"),
        TextColumn("{task.fields[words_rate]:,.0f} words/s"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None, records_rate=0.0, words_rate=0.0)
        words_done = 0

        def advance(words: int) -> None:
            nonlocal words_done
            words_done += words
            elapsed = progress.tasks[task].elapsed or 1e-9
            done = progress.tasks[task].completed + 1
            progress.update(
                task, advance=1, records_rate=done / elapsed, words_rate=words_done / elapsed
            )

        yield advance


def read_text(source: str) -> str:
    """The text of a file, of a device or pipe (/dev/null, `<(cat f)`), or of standard
    input for '-'."""
    if source == "-":
        raw = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        path = Path(source)
        if path.is_dir():
            raise InputError(Errors.E004.format(path=source, reason="it is a folder, not a file"))
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise InputError(Errors.E004.format(path=source, reason="no such file")) from None
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise InputError(Errors.E004.format(path=source, reason=reason)) from None
        name = source
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(Errors.E003.format(path=name, position=error.start)) from None


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


CSV_COLUMNS = (
    "source",
    "index",
    "count",
    "qualifier",
    "weapon",
    "outcome",
    "place_code",
    "place_name",
    "place_kind",
    "heading_to_code",
    "period_start",
    "period_end",
    "claimant",
    "part_of",
    "confidence",
    "count_text",
    "count_start",
    "count_end",
    "sentence_start",
    "sentence_end",
)


def event_row(source: str, index: int, event: Any) -> dict[str, Any]:
    return {
        "source": source,
        "index": index,
        "count": event.count.value,
        "qualifier": event.count.qualifier.value,
        "weapon": event.weapon.category.value if event.weapon else "",
        "outcome": event.outcome.value,
        "place_code": (event.place.code or "") if event.place else "",
        "place_name": event.place.name if event.place else "",
        "place_kind": event.place.kind.value if event.place else "",
        "heading_to_code": (event.heading_to.code or "") if event.heading_to else "",
        "period_start": event.period.start.isoformat()
        if event.period and event.period.start
        else "",
        "period_end": event.period.end.isoformat() if event.period and event.period.end else "",
        "claimant": event.claimant.name if event.claimant else "",
        "part_of": "" if event.part_of is None else event.part_of,
        "confidence": event.confidence,
        "count_text": event.count.text,
        "count_start": event.count.start,
        "count_end": event.count.end,
        "sentence_start": event.sentence.start,
        "sentence_end": event.sentence.end,
    }


def render(results: list[tuple[str, list[Any]]], output: OutputFormat) -> str:
    if output is OutputFormat.json:
        payload = [
            {"source": source, "events": [e.model_dump(mode="json") for e in events]}
            for source, events in results
        ]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if output is OutputFormat.jsonl:
        lines = [
            json.dumps(
                {"source": source, "index": i, **e.model_dump(mode="json")}, ensure_ascii=False
            )
            for source, events in results
            for i, e in enumerate(events)
        ]
        return "".join(line + "\n" for line in lines)
    if output is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for source, events in results:
            for i, e in enumerate(events):
                writer.writerow(event_row(source, i, e))
        return buffer.getvalue()
    return render_table(results)


def render_table(results: list[tuple[str, list[Any]]]) -> str:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=io.StringIO(), width=160, force_terminal=False)
    for source, events in results:
        table = Table(title=f"{source}: {len(events)} events", title_justify="left")
        for column in (
            "#",
            "count",
            "weapon",
            "outcome",
            "place",
            "heading to",
            "period",
            "claimant",
            "part of",
            "conf.",
        ):
            table.add_column(column)
        for i, e in enumerate(events):
            row = event_row(source, i, e)
            count = f"{row['count']}" + (
                "" if row["qualifier"] == "exact" else f" ({row['qualifier']})"
            )
            place = f"{row['place_code'] or '?'} {row['place_name']}" if e.place else ""
            period = (
                f"{_short_time(row['period_start'])} .. {_short_time(row['period_end'])}"
                if e.period
                else ""
            )
            table.add_row(
                str(i),
                count,
                row["weapon"],
                row["outcome"],
                place,
                row["heading_to_code"],
                period,
                row["claimant"],
                str(row["part_of"]),
                f"{e.confidence:.2f}",
            )
        console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined]


def _short_time(value: str) -> str:
    """ "2025-03-02T23:00:00+03:00" -> "2025-03-02 23:00+03:00": minutes, and the zone kept."""
    return f"{value[:10]} {value[11:16]}{value[19:]}" if value else "?"


@app.command()
def extract(
    files: Annotated[
        list[str], typer.Argument(help="Text files to read; '-' reads standard input.")
    ],
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date or datetime (ISO 8601) the texts' times are resolved against."
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: json (default), jsonl, csv or table for article files; jsonl, "
            "csv or parquet for records (default: from --output's suffix, else jsonl).",
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="A saved skytally pipeline (default: the bundled model).")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Records mode: write one row per event here (.jsonl, .csv, .parquet), "
            "append-only with a checkpoint per record.",
        ),
    ] = None,
    records: Annotated[
        Path | None,
        typer.Option(
            help="Records mode: per input record, ok with N events or its error (JSONL). "
            "Default: OUTPUT's name with .records.jsonl."
        ),
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            help="Read FILE ('-' too) as records: jsonl, csv, parquet or txt (a folder). "
            "Default: a folder, .jsonl, .csv and .parquet files are records.",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Skip the records already in the records file and append the rest."
        ),
    ] = False,
    batch_size: Annotated[int, typer.Option(help="Texts per spaCy batch.")] = 32,
    n_process: Annotated[int, typer.Option(help="Worker processes (-1: one per CPU).")] = 1,
    limit: Annotated[
        int | None,
        typer.Option(min=1, help="Records mode: stop after this many records (--resume goes on)."),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="SCHEDULER_ADDRESS",
            help="Records mode: run on this Dask cluster (pip install 'skytally[dask]').",
        ),
    ] = None,
) -> None:
    """Extract interception events from news articles, or from a corpus of records.

    Records mode (a folder of .txt files, a .jsonl/.csv/.parquet file of records with
    'id', 'text', optional 'published' and 'source', or --input-format with '-'): one row
    per event with the record's id and other fields, a records file accounting for every
    record, a summary line on stderr; a bad record is reported there and the run goes on.
    """
    from .batch import detect_input_format

    record_options = output or records or resume or limit or dask or input_format
    formats = guarded(lambda: [detect_input_format(name, input_format) for name in files])
    if record_options or any(f is not None for f in formats):
        extract_records(
            files, formats, published, output_format, model, output, records, resume,
            batch_size, n_process, limit, dask,
        )  # fmt: skip
        return
    if output_format is OutputFormat.parquet:
        raise fail("parquet output is for records mode: give --output FILE.parquet")
    fmt = output_format or OutputFormat.json
    from .api import extract_many, load

    def run() -> str:
        if files.count("-") > 1:
            raise InputError(Errors.E015)
        texts = [(name, read_text(name)) for name in files]
        for name, text in texts:
            if not text.strip():
                warn(f"{'standard input' if name == '-' else name} holds no text: no events")
        nlp = load(model)
        results = []
        with progress_bar(len(texts), "extracting") as advance:
            found = extract_many([t for _, t in texts], published=published, nlp=nlp)
            for (name, _), events in zip(texts, found, strict=True):
                results.append((name, events))
                advance()
        return render(results, fmt)

    sys.stdout.write(guarded(run))


def extract_records(
    files: list[str],
    formats: list[Any],
    published: str | None,
    output_format: OutputFormat | None,
    model: Path | None,
    output: Path | None,
    records: Path | None,
    resume: bool,
    batch_size: int,
    n_process: int,
    limit: int | None,
    dask: str | None,
) -> None:
    """`skytally extract` in records mode (skytally.batch): checks that fail before any
    work (formats, writable paths, the `text` column), then the streaming run."""
    from . import batch

    def prepare() -> tuple[Any, Any, Path | None]:
        if len(files) != 1:
            raise InputError(
                Errors.E044.format(detail=f"got {len(files)} inputs; give one folder or file")
            )
        name, input_format = files[0], formats[0]
        if input_format is None:
            raise InputError(
                Errors.E044.format(
                    detail=f"{name} is not a folder or a .jsonl, .csv or .parquet file; "
                    "pass --input-format"
                )
            )
        if input_format is batch.InputFormat.txt and name == "-":
            raise InputError(Errors.E044.format(detail="a folder of .txt files cannot be '-'"))
        event_format = _event_format(output_format, output)
        target = records or (batch.default_records_path(output) if output else None)
        if resume and (output is None or target is None):
            raise InputError(Errors.E044.format(detail="--resume needs --output"))
        if dask and n_process != 1:
            raise InputError(Errors.E044.format(detail="--dask runs without --n-process"))
        if output is not None and target is not None and output.resolve() == target.resolve():
            raise InputError(Errors.E044.format(detail="--records must differ from --output"))
        for path in (output, target):  # fail before reading any input
            if path is not None:
                batch.check_writable(path)
        if event_format is batch.EventFormat.parquet:
            if output is None:
                raise InputError(Errors.E044.format(detail="parquet output needs --output FILE"))
            batch._pyarrow_parquet()
        items = batch.read_records(name, input_format)  # checks the `text` column
        layout = batch.TableLayout(batch.input_columns(name, input_format))
        sink = batch.EventSink(output, event_format, layout, stream=sys.stdout)
        return items, sink, target

    items, sink, target = guarded(prepare)

    def run() -> Any:
        from .api import load

        if dask:
            try:
                from distributed import Client
            except ImportError:
                raise InputError(Errors.E041.format(what="Dask", extra="dask")) from None
            client = Client(dask)
            executor = batch.dask_executor(
                client,
                published=published,
                model=None if model is None else str(model),
                batch_size=batch_size,
                block_size=4 * batch_size,
            )
        elif n_process != 1:
            client = None
            if n_process < -1 or n_process == 0:
                allowed = "a whole number of 1 or more, or -1 (every CPU)"
                raise InputError(
                    Errors.E006.format(name="n_process", value=n_process, allowed=allowed)
                )
            load(model)  # a broken model fails here, not in every worker
            executor = batch.pool_executor(
                n_process,
                published=published,
                model=None if model is None else str(model),
                batch_size=batch_size,
                block_size=4 * batch_size,
            )
        else:
            client = None
            nlp = load(model)
            batch.process([], nlp, published=published, batch_size=batch_size, n_process=n_process)

            def executor(todo: Any) -> Any:
                return batch.process(
                    todo, nlp, published=published, batch_size=batch_size, n_process=n_process
                )

        try:
            with rate_progress("extracting") as advance:
                return batch.run_corpus(
                    items,
                    sink,
                    target,
                    executor,
                    resume=resume,
                    limit=limit,
                    on_outcome=lambda outcome: advance(outcome.words),
                )
        finally:
            if client is not None:
                client.close()

    summary = guarded(run)
    where = f"; records in {target}" if target is not None else ""
    typer.echo(f"{summary.line()}{where}", err=True)


def _event_format(output_format: OutputFormat | None, output: Path | None) -> Any:
    from .batch import EventFormat

    if output_format is not None:
        if output_format.value not in EventFormat.__members__:
            allowed = "jsonl, csv or parquet in records mode"
            raise InputError(
                Errors.E006.format(name="--format", value=output_format.value, allowed=allowed)
            )
        return EventFormat(output_format.value)
    suffix = output.suffix.lower() if output is not None else ""
    return {".csv": EventFormat.csv, ".parquet": EventFormat.parquet}.get(suffix, EventFormat.jsonl)


@app.command("claims")
def claims_command(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="The events of `skytally extract --output events.jsonl`, or articles (a "
            "folder of .txt files, a .jsonl/.csv/.parquet records file), extracted first.",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the claims table: .csv, .parquet or .jsonl (default: "
            "CSV on standard output).",
        ),
    ] = None,
    kaggle: Annotated[
        Path | None,
        typer.Option(
            help="Write Ukrainian Air Force claims as a daily CSV in the layout of the public "
            "'Massive Missile Attacks on Ukraine' data (docs/claims.md)."
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option(help="Draw the timeline: .png or .svg (pip install 'skytally[plot]')."),
    ] = None,
    plot_by: Annotated[
        str, typer.Option(help="Series of the timeline: outcome, region or claimant.")
    ] = "outcome",
    html: Annotated[
        Path | None, typer.Option(help="Write the self-contained review page (.html).")
    ] = None,
    articles: Annotated[
        Path | None,
        typer.Option(
            help="The articles an events INPUT was extracted from, for their text on the "
            "review page (a folder or records file)."
        ),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date of articles that state none (articles INPUT)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="A saved skytally pipeline (articles INPUT).")
    ] = None,
) -> None:
    """One row per unique claim across many articles: sources, conflicts, consensus.

    Same claim: claimant, outcome, weapon and place agree and the periods overlap (or one
    article's breakdown sums to another's total). Consensus: the majority value, then the
    primary source's (the claimant's own channel). See docs/claims.md.
    """
    from .claims import build_claims, claims_frame, read_corpus, read_texts
    from .claims.plot import BY, check_plot_path
    from .claims.tables import export_format, kaggle_frame, pandas, write_claims, write_kaggle

    def prepare() -> None:
        # every output is checked before minutes of extraction
        pandas()
        if output is not None:
            export_format(output)
        if plot is not None:
            check_plot_path(plot)
            if plot_by not in BY:
                raise InputError(
                    Errors.E006.format(name="--plot-by", allowed=", ".join(BY), value=plot_by)
                )
            from .claims.plot import _pyplot

            _pyplot()
        for target in (output, kaggle, plot, html):
            if target is not None:
                from .batch import check_writable

                check_writable(target)

    guarded(prepare)

    def run() -> tuple[Any, list[Any], Any]:
        with rate_progress("extracting") as advance:
            corpus = read_corpus(source, published=published, model=model,
                                 on_record=lambda: advance(0))  # fmt: skip
        texts = dict(corpus.texts)
        if articles is not None:
            texts.update(read_texts(articles))
        claims = build_claims(corpus.events)
        frame = claims_frame(claims)
        if output is not None:
            write_claims(frame, output)
        if kaggle is not None:
            write_kaggle(kaggle_frame(claims), kaggle)
        if plot is not None:
            from .claims.plot import plot_timeline

            plot_timeline(frame, plot, by=plot_by)
        if html is not None:
            from .claims.html import write_review

            write_review(claims, texts, html, notes=corpus.notes)
        return corpus, claims, frame

    corpus, claims, frame = guarded(run)
    for note in corpus.notes:
        typer.echo(f"note: {note}", err=True)
    if output is None:
        from .claims.tables import _flat

        sys.stdout.write(_flat(frame).to_csv(index=False))
    conflicts = sum(1 for c in claims if c.conflict)
    typer.echo(
        f"{len(claims)} claim(s), {conflicts} with conflicting sources, from "
        f"{len(corpus.events)} event(s) in {corpus.articles} article(s)",
        err=True,
    )
    for target, what in ((output, "claims"), (kaggle, "daily table"), (plot, "timeline"),
                         (html, "review page")):  # fmt: skip
        if target is not None:
            typer.echo(f"wrote {what} to {target}", err=True)


@app.command()
def schema() -> None:
    """Print the JSON schema of an extracted event."""
    from .schema import InterceptionEvent

    typer.echo(json.dumps(InterceptionEvent.model_json_schema(), indent=2))


@app.command("save-model")
def save_model(
    output: Annotated[Path, typer.Argument(help="Folder to write the pipeline to.")],
) -> None:
    """Write the rule-based pipeline (with its config.cfg) to a folder.

    Edit the folder's config.cfg to change a component's settings, then use
    it with `--model` or `skytally.load(path)`; `spacy.load(path)` works too.
    """
    from .api import build_pipeline

    def run() -> None:
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            raise InputError(
                Errors.E007.format(path=output, reason="it exists and is not an empty folder")
            )
        build_pipeline().to_disk(output)

    guarded(run)
    typer.echo(f"saved the rule-based pipeline to {output}")


@data_app.command("validate")
def data_validate(
    path: Annotated[Path, typer.Argument(help="A JSONL file or a folder of them.")],
) -> None:
    """Check annotated data: offsets, token boundaries, labels, relations, events."""
    from .corpus.format import data_files, iter_jsonl
    from .corpus.validate import validate_record

    def run() -> tuple[int, list[str]]:
        problems: list[str] = []
        seen: dict[str, str] = {}
        count = 0
        for file in data_files(path):
            for where, item in iter_jsonl(file):
                if isinstance(item, DataError):
                    problems.append(str(item))
                    continue
                count += 1
                if item.id in seen:
                    problems.append(f"{where}: {item.id}: id already used at {seen[item.id]}")
                seen[item.id] = where
                problems.extend(validate_record(item, where=where))
        return count, problems

    count, problems = guarded(run)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        raise fail(f"{len(problems)} problem(s) in {count} record(s) under {path}")
    if count == 0:
        raise fail(f"{path} holds no records")
    typer.echo(f"{count} records under {path}: all valid")


@data_app.command("stats")
def data_stats(
    path: Annotated[Path, typer.Argument(help="A JSONL file or a folder of them.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Counts per label, relation, style, split and phenomenon."""
    from .corpus.format import read_records
    from .corpus.stats import corpus_stats

    tables = guarded(lambda: corpus_stats(record for _, record in read_records(path)))
    if as_json:
        typer.echo(json.dumps({k: dict(v) for k, v in tables.items()}, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for name, counter in tables.items():
        table = Table(title=name, title_justify="left")
        table.add_column(name)
        table.add_column("count", justify="right")
        for key, value in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(key, str(value))
        console.print(table)


@data_app.command("overlap")
def data_overlap(
    article: Annotated[Path, typer.Argument(help="Your article (plain text or markup).")],
    source: Annotated[Path, typer.Argument(help="The real report it was modelled on.")],
) -> None:
    """Refuse an article that shares a run of 8 or more words with its source."""
    from .corpus.format import read_text_file
    from .corpus.overlap import RUN_LENGTH, shared_runs

    runs = guarded(lambda: shared_runs(read_text_file(article), read_text_file(source)))
    if runs:
        for run in runs:
            typer.echo(
                f"error: {article}: shares {len(run.words)} words with {source}: {run}", err=True
            )
        raise typer.Exit(2)
    typer.echo(f"{article}: no run of {RUN_LENGTH} words shared with {source}")


@data_app.command("build")
def data_build(
    source: Annotated[Path, typer.Argument(help="A skytally markup file or a folder of them.")],
    output: Annotated[Path, typer.Argument(help="Folder for train.jsonl, dev.jsonl, test.jsonl.")],
) -> None:
    """Compile skytally markup (docs/annotation.md) into one JSONL file per split."""
    from .corpus.build import build_corpus

    written = guarded(lambda: build_corpus(source, output))
    typer.echo(", ".join(f"{split}: {n}" for split, n in written.items()) + f" -> {output}")


@data_app.command("convert")
def data_convert(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="File to read (for jsonl or markup also a folder of .jsonl / .txt files).",
        ),
    ],
    output_path: Annotated[Path, typer.Argument(metavar="OUTPUT", help="File to write.")],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="markup, jsonl, prodigy, labelstudio, doccano or spacy. Default: from INPUT's "
            "name (.txt markup, .json labelstudio, .spacy spacy; a .jsonl by its first line).",
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="jsonl, prodigy, labelstudio, doccano or spacy. Default: from OUTPUT's name "
            "(.jsonl jsonl, .json labelstudio, .spacy spacy).",
        ),
    ] = None,
) -> None:
    """Convert annotated articles between skytally and annotation tools (docs/converters.md).

    Reads markup, jsonl, prodigy, labelstudio, doccano, spacy; writes them all but markup.
    """
    from .corpus.convert import convert

    result = guarded(
        lambda: convert(
            input_path,
            output_path,
            source.lower() if source else None,
            target.lower() if target else None,
        )
    )
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(
        f"wrote {result.count} record(s) to {output_path} ({result.source} -> {result.target})"
    )


@app.command()
def annotate(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="INPUT...",
            help='.txt files (one article each) or JSONL files with "text" and optional "id" '
            'and "published" on each line.',
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to", help="labelstudio, prodigy or markup (skytally markup, to correct by hand)."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File to write: a JSON list of tasks (labelstudio), JSONL (prodigy) or a "
            "markup source (markup).",
        ),
    ],
    model: Annotated[
        Path | None, typer.Option(help="A saved skytally pipeline (default: the bundled model).")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (ISO 8601) of articles that do not state their own."),
    ] = None,
) -> None:
    """Pre-annotate articles with skytally's predictions, to correct in Label Studio, Prodigy
    or by hand in skytally markup."""
    from spacy.tokens import Doc

    from . import __version__
    from .api import load
    from .corpus.convert import (
        TASK_FORMATS,
        prediction_record,
        prediction_task,
        read_articles,
        write_tasks,
    )

    target = to.lower()

    def run() -> tuple[int, int, int]:
        if target not in TASK_FORMATS:
            choices = ", ".join(TASK_FORMATS[:-1]) + " or " + TASK_FORMATS[-1]
            raise InputError(Errors.E024.format(choices=choices, value=to))
        articles = read_articles(inputs, published)
        nlp = load(model)

        def docs() -> Iterator[Doc]:
            for article in articles:
                doc = nlp.make_doc(article.text)
                doc._.published = article.published
                yield doc

        tasks: list[dict[str, Any]] = []
        spans = relations = 0
        with progress_bar(len(articles), "annotating") as advance:
            for article, doc in zip(articles, nlp.pipe(docs()), strict=True):
                record = prediction_record(doc, article)
                events = doc._.events
                score = sum(e.confidence for e in events) / len(events) if events else None
                tasks.append(prediction_task(record, target, f"skytally-{__version__}", score))
                spans += len(record.spans)
                relations += len(record.relations)
                advance()
        try:
            write_tasks(tasks, output, target)
        except OSError as error:
            raise InputError(Errors.E023.format(path=output, reason=error.strerror)) from None
        return len(tasks), spans, relations

    count, spans, relations = guarded(run)
    typer.echo(
        f"wrote {count} {target} task(s) with {spans} predicted spans and {relations} relations "
        f"to {output}"
    )


@app.command("train")
def train_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for model-best/ and model-last/.")
    ],
    train: Annotated[
        list[Path],
        typer.Option(
            help="Annotated articles to train on (corpus JSONL or a folder of it, Prodigy, "
            "Label Studio, doccano, DocBin); repeat for several."
        ),
    ],
    dev: Annotated[Path, typer.Option(help="Annotated articles to choose the best steps on.")],
    config: Annotated[
        str,
        typer.Option(
            help="'efficiency' (CNN, default), 'accuracy' (transformer) or a config file."
        ),
    ] = "efficiency",
    base: Annotated[
        str | None,
        typer.Option(
            help="Fine-tune this pipeline instead of starting from scratch: a pipeline "
            "folder, or 'shipped' for the trained pipeline bundled with skytally."
        ),
    ] = None,
    max_steps: Annotated[
        int | None, typer.Option(min=1, help="Stop after this many updates (config: 3000).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (config: 0).")] = None,
) -> None:
    """Train the statistical components (ner and the link scorer) on annotated articles.

    With --base, every component (weights and settings) comes from the base pipeline and
    --config gives only the training settings (steps, batches, optimizer)."""
    from .api import bundled_model_path
    from .training import TRAINED_MODEL
    from .training import train as run_training

    overrides: dict[str, Any] = {}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    if seed is not None:
        overrides["system.seed"] = seed
    base_path = None
    if base is not None:
        base_path = bundled_model_path(TRAINED_MODEL) if base == "shipped" else Path(base)
        if not base_path.is_dir():
            reason = (
                "it is a file, not a pipeline folder" if base_path.exists() else "no such folder"
            )
            raise fail(Errors.E005.format(path=base_path, reason=reason))
    run = guarded(
        lambda: run_training(
            config,
            output,
            train_paths=train,
            dev_path=dev,
            base=base_path,
            overrides=overrides,
            progress_bar=sys.stderr.isatty(),
        )
    )
    typer.echo(
        f"trained on {run.train_articles} articles; the best-scored steps on the "
        f"{run.dev_articles} dev articles are in {run.best}",
        err=True,
    )
    baseline = "rules" if base is None else ("efficiency" if base == "shipped" else base)
    typer.echo(
        f"compare: skytally evaluate HELD_OUT.jsonl --model {run.best} --baseline {baseline}",
        err=True,
    )


@app.command("evaluate")
def evaluate_command(
    data: Annotated[Path, typer.Argument(help="Annotated JSONL file or a folder of them.")],
    model: Annotated[
        Path | None,
        typer.Option(
            help="A saved skytally pipeline (default: the bundled model; 'rules': "
            "the rule-based pipeline)."
        ),
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option(
            help="A second pipeline scored on the same data, side by side with a "
            "paired bootstrap of the event-F1 difference; 'rules' = the bundled "
            "rule-based pipeline."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the full result as JSON."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(help="Write a self-contained HTML report with the articles' errors marked."),
    ] = None,
    sweep: Annotated[
        bool, typer.Option("--sweep", help="Relation P/R/F1 at link-score thresholds 0.0-1.0.")
    ] = False,
    errors: Annotated[
        int, typer.Option(min=0, help="How many errors to list (0: only the counts by cause).")
    ] = 20,
) -> None:
    """Score a pipeline on annotated articles: events, attributes, entities, relations."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .evaluation.evaluate import (
        load_pipeline,
        load_records,
        run_articles,
        score_runs,
        threshold_sweep,
    )
    from .evaluation.report import build_report, print_report, render_html

    for target in (output, html):
        # fail before minutes of scoring, not after
        if target is not None and not target.parent.is_dir():
            raise fail(f"cannot write {target}: folder {target.parent} does not exist")
        if target is not None and target.is_dir():
            raise fail(Errors.E007.format(path=target, reason="it is a folder, not a file"))

    def prepare() -> tuple[list[Any], list[tuple[Any, str]]]:
        # data first: an invalid file is reported before any model loads
        records = load_records(data)
        pipelines = [load_pipeline(model)]
        if baseline is not None:
            pipelines.append(load_pipeline(baseline))
        return records, pipelines

    records, pipelines = guarded(prepare)

    def run() -> tuple[Any, list[Any]]:
        results, all_runs = [], []
        # on stderr, so the tables on stdout can be piped or redirected
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            for nlp, name in pipelines:
                task = progress.add_task(f"scoring {name}", total=2 * len(records))

                def step(n: int, task: Any = task) -> None:
                    progress.advance(task, n)

                runs = run_articles(nlp, records, step)
                results.append(score_runs(runs, nlp, data=str(data), model=name, progress=step))
                all_runs.append(runs)
        report = build_report(
            results[0],
            baseline=results[1] if len(results) > 1 else None,
            sweep=threshold_sweep(all_runs[0]) if sweep else None,
        )
        return report, all_runs[0]

    report, runs = guarded(run)
    # a pipe or a file gets 160 columns rather than rich's 80, so tables keep one line per row
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    print_report(report, console, errors)
    for nlp, name in pipelines:
        if "skytally_relation_model" in nlp.pipe_names:
            scores = guarded(lambda nlp=nlp: link_scorer_alone(nlp, data))
            console.print(
                f"link scorer alone ({name}, links it scores >= 0.5 before decoding): "
                f"P {scores['cand_p']:.3f}  R {scores['cand_r']:.3f}  F1 {scores['cand_f']:.3f}"
            )

    def write() -> None:
        if output is not None:
            output.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
        if html is not None:
            html.write_text(render_html(report, runs), encoding="utf-8")

    guarded(write)
    for target, what in ((output, "JSON"), (html, "HTML")):
        if target is not None:
            typer.echo(f"wrote {what} report to {target}", err=True)


def link_scorer_alone(nlp: Any, data: Path) -> dict[str, float]:
    """The trained link scorer's own precision and recall on annotated articles."""
    from .pipeline.relation_model import score_candidates
    from .training import create_corpus_reader

    examples = list(create_corpus_reader(data)(nlp))
    docs = nlp.pipe([example.predicted for example in examples])
    for example, doc in zip(examples, docs, strict=True):
        example.predicted = doc
    return score_candidates(examples, source="skytally_relation_model")


def main() -> None:
    """Entry point: usage mistakes (an unknown option, a missing argument) get
    the same one-line `error: ...` and exit code 2 as every other mistake."""
    # typer ships its own copy of click; its UsageError is BadParameter's base
    usage_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    try:
        code = app(standalone_mode=False)
    except usage_error as error:
        if type(error).__name__ == "NoArgsIsHelpError" and error.ctx is not None:
            typer.echo(error.ctx.get_help())
        else:
            typer.echo(f"error: {error.format_message()}", err=True)
        raise SystemExit(EXIT_USER_ERROR) from None
    except typer.Abort:
        raise SystemExit(130) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
