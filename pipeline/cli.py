"""Command line: `python -m pipeline extract|report|load|schemas|eval ...` (also installed as `bulletin-pipeline`)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from pipeline.segment import DEFAULT_SEGMENTER

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Extract organisations, numbers, dates and rankings from Chinese bulletins into typed JSONL records.",
)


class SegmenterName(StrEnum):
    jieba = "jieba"
    rjieba = "rjieba"
    pkuseg = "pkuseg"


_DEFAULT_SEGMENTER = SegmenterName(DEFAULT_SEGMENTER)


class EngineName(StrEnum):
    local = "local"
    dask = "dask"


SHIPPED_NER_MODELS = ("ner_zh", "ner_zh_lstm", "ner_zh_ensemble", "ner_zh_cnn")


def mask_url(url: str) -> str:
    """A database URL with its password shown as ***."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[-1]}"))


def _check_ner_model(model: str | None) -> None:
    """A shipped model name, a model directory or an installed spaCy package; else exit 2 now."""
    if model is None or model in SHIPPED_NER_MODELS:
        return
    from importlib.util import find_spec
    from pathlib import Path as _Path

    if _Path(model).is_dir():
        return
    try:
        if find_spec(model) is not None:
            return
    except (ImportError, ValueError):
        pass
    typer.echo(
        f"error: --ner-model {model!r}: not a shipped model ({', '.join(SHIPPED_NER_MODELS)}), "
        "a model directory or an installed spaCy pipeline",
        err=True,
    )
    raise typer.Exit(2)


def _workers(value: str) -> int | str:
    """`--workers`: 'auto' or a number of at least 1; else exit 2 now."""
    if value.strip().lower() == "auto":
        return "auto"
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        typer.echo(f"error: --workers {value!r}: a number of at least 1, or 'auto'", err=True)
        raise typer.Exit(2)
    return number


def _version(value: bool) -> None:
    if value:
        from pipeline import __version__

        typer.echo(f"bulletin-pipeline {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Extract organisations, numbers, dates and rankings from Chinese bulletins into typed JSONL records."""


@app.command()
def extract(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Input files or directories (.txt/.md pages, .jsonl batches, .html pages); '-' reads "
            "stdin (JSONL when it starts with '{', else a page). Default: corpus/"
        ),
    ] = None,
    out: Annotated[Path, typer.Option("-o", "--out", help="Output directory.")] = Path("out"),
    segmenter: Annotated[
        SegmenterName,
        typer.Option(
            help="Word segmenter (rjieba: jieba's dictionary and cut in Rust, the default; jieba: the Python "
            "original; pkuseg: the shipped PKU-standard model, more accurate, slower)."
        ),
    ] = _DEFAULT_SEGMENTER,
    pkuseg_model: Annotated[
        str | None,
        typer.Option(
            help="pkuseg model: a trained model directory, or a pretrained name ('default' = spacy-pkuseg's "
            "spacy_ontonotes, 'news', 'web', ...; downloaded from GitHub). Default: the shipped pipeline/models/pkuseg_pd."
        ),
    ] = None,
    ner_model: Annotated[
        str | None,
        typer.Option(
            help="NER model: a shipped one, 'ner_zh' (the character CRF, the default, fast), 'ner_zh_ensemble' "
            "(the CRF + two BiLSTM-CRFs, the most accurate, ~5x slower), 'ner_zh_lstm' (a BiLSTM-CRF), "
            "'ner_zh_cnn' (spaCy CNN); or a path to a CRF, BiLSTM-CRF or spaCy model, or an installed spaCy "
            "pipeline such as zh_core_web_sm."
        ),
    ] = None,
    ner: Annotated[
        bool,
        typer.Option(
            "--ner/--no-ner",
            help="Run the statistical NER stage (persons, locations, more organisations). --no-ner is ~1.5x faster.",
        ),
    ] = True,
    workers: Annotated[
        str,
        typer.Option(
            help="Worker processes (or Dask workers for a local cluster): a number, or 'auto' (one for a "
            "small input, more for a larger one, at most the usable cores)."
        ),
    ] = "1",
    engine: Annotated[
        EngineName, typer.Option(help="local (this machine) or dask (a Dask cluster).")
    ] = EngineName.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address tcp://HOST:PORT; default: a LocalCluster on loopback."),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Reprocess every input, ignoring results kept from earlier runs.")
    ] = False,
    db: Annotated[
        str | None, typer.Option(help="Also load the output into this database URL while writing.")
    ] = None,
    max_page_mb: Annotated[
        float,
        typer.Option(min=0.001, help="Refuse a page or HTML file larger than this (MB); JSONL is streamed."),
    ] = 20.0,
    root: Annotated[
        Path | None,
        typer.Option(
            help="Input names and article ids are paths relative to this folder (default: the common parent "
            "of the inputs given; an output folder keeps the root of its first run)."
        ),
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(help="Drop from OUT every input of earlier runs that this run was not given."),
    ] = False,
    publish_date: Annotated[
        str | None,
        typer.Option(
            help="YYYY-MM-DD: the publication date of articles that state none (no dateline, JSONL field, "
            "HTML date or date in the file name); relative dates (近日, 今年) are resolved against it."
        ),
    ] = None,
    allow_older: Annotated[
        bool, typer.Option(help="--db: load even inputs the database holds a newer extraction of.")
    ] = False,
    report: Annotated[
        bool,
        typer.Option(
            "--report", help="Also write OUT/report.html, the review report (as `report OUT` does)."
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar or summary line.")] = False,
    debug: Annotated[bool, typer.Option(help="Show full tracebacks on failure.")] = False,
) -> None:
    """Run the pipeline on bulletins; write articles, records, errors and a summary to OUT.

    Exit status: 0 when everything was processed, 3 when some inputs or articles went to
    errors.jsonl, 2 on a usage error (a missing input, a bad option, OUT in use), 1 on an
    unexpected failure, 130 when interrupted (OUT is left as it was).
    """
    with _interrupted_leaves_out(out):
        from dataclasses import replace

        from pipeline.nlp import PipelineSettings
        from pipeline.run import RunOptions, RunUsageError, run_extract

        _check_ner_model(ner_model)
        workers_value = _workers(workers)
        if scheduler and engine != EngineName.dask:
            typer.echo("error: --scheduler needs --engine dask", err=True)
            raise typer.Exit(2)
        if allow_older and not db:
            typer.echo("error: --allow-older needs --db", err=True)
            raise typer.Exit(2)
        published = None
        if publish_date is not None:
            try:
                published = date.fromisoformat(publish_date)
            except ValueError:
                typer.echo(f"error: --publish-date {publish_date!r} is not YYYY-MM-DD", err=True)
                raise typer.Exit(2) from None

        settings = PipelineSettings(segmenter=segmenter.value, pkuseg_model=pkuseg_model, ner_model=ner_model)
        if not ner:
            settings = replace(
                settings, components=tuple(c for c in settings.components if c != "statistical_ner")
            )
        options = RunOptions(
            out=out,
            settings=settings,
            workers=workers_value,
            engine=engine.value,
            scheduler=scheduler,
            force=force,
            progress=not quiet and sys.stderr.isatty(),
            db=db,
            max_page_bytes=int(max_page_mb * 2**20),
            root=root,
            prune=prune,
            publish_date=published,
            allow_older=allow_older,
        )
        from pipeline.sinks.database import LoadError, UsageError

        try:
            result = run_extract(paths or [Path("corpus")], options)
        except (RunUsageError, UsageError) as exc:
            typer.echo(f"error: {_masked(str(exc), db)}", err=True)
            raise typer.Exit(2) from None
        except LoadError as exc:
            typer.echo(f"error: --db {mask_url(db or '')}: {_masked(str(exc), db)}", err=True)
            raise typer.Exit(1) from None
        except Exception as exc:
            if _caused_by_interrupt(exc):  # Ctrl-C during an import: RuntimeError from __set_name__
                raise KeyboardInterrupt from exc
            if debug:
                raise
            typer.echo(f"error: {type(exc).__name__}: {_masked(str(exc), db)}", err=True)
            raise typer.Exit(1) from None
        if not quiet:
            s = result.summary
            kinds = ", ".join(f"{k} {v}" for k, v in s.counts.items()) or "none"
            typer.echo(
                f"{s.inputs} inputs, {s.articles} articles, {s.records} records ({kinds}), {s.errors} errors "
                f"in {s.seconds:.1f}s -> {out}",
                err=True,
            )
            if s.skipped:
                shown = "; ".join(f"{k}: {v}" for k, v in list(s.skipped.items())[:5])
                more = (
                    f" (and {len(s.skipped) - 5} more, listed in summary.json)" if len(s.skipped) > 5 else ""
                )
                typer.echo(f"{len(s.skipped)} files skipped: {shown}{more}", err=True)
        if report:
            _write_report(out, None, quiet)
        raise typer.Exit(result.exit_code)


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt is in `exc`'s chain of causes (Python wraps one raised while a
    class body runs, e.g. during a lazy import, in a RuntimeError)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


@contextmanager
def _interrupted_leaves_out(out: Path):
    """Ctrl-C at any moment of a run: one line, exit 130, OUT as it was (finished inputs kept)."""
    try:
        yield
    except KeyboardInterrupt:
        typer.echo(f"interrupted: {out} is as it was before this run (finished inputs are kept)", err=True)
        raise typer.Exit(130) from None


def _masked(message: str, url: str | None) -> str:
    """The message with the database URL's password masked wherever it appears."""
    if not url:
        return message
    from urllib.parse import urlsplit

    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    message = message.replace(url, mask_url(url))
    return message.replace(password, "***") if password else message


@app.command(name="report")
def report_command(
    out: Annotated[
        Path, typer.Argument(help="The output directory of `extract` (articles.jsonl, records.jsonl).")
    ] = Path("out"),
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Where to write it (default: OUT/report.html).")
    ] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No line naming the report.")] = False,
) -> None:
    """Write a review report of OUT: one self-contained HTML file (opens from file://, no network)
    with every article's text, its records highlighted, fact tables and an overview of the run."""
    _write_report(out, output, quiet)


def _write_report(out: Path, output: Path | None, quiet: bool) -> None:
    """Write the report of OUT; a folder that is not a complete output is a message (exit 2 / 1)."""
    from pipeline.report import write_report
    from pipeline.sinks.database import LoadError, UsageError

    try:
        path = write_report(out, output)
    except LoadError as e:
        typer.echo(f"report: {e}", err=True)
        raise typer.Exit(2 if isinstance(e, UsageError) else 1) from None
    except OSError as e:
        typer.echo(f"report: cannot write {output or out}: {e.strerror or e}", err=True)
        raise typer.Exit(1) from None
    if not quiet:
        typer.echo(f"report: {path}", err=True)


@app.command()
def schemas(
    directory: Annotated[Path, typer.Argument(help="Where to write the JSON Schema files.")] = Path(
        "schemas"
    ),
) -> None:
    """Generate schemas/ (JSON Schema and SQL DDL) from the Pydantic models (the single source of truth)."""
    from pipeline.schema_files import write_schemas
    from pipeline.sinks.ddl import write_ddl

    for path in [*write_schemas(directory), *write_ddl(directory)]:
        typer.echo(f"wrote {path}")


@app.command(name="eval")
def evaluate(
    data: Annotated[
        Path | None, typer.Option(help="The shared data directory (default ../shared/data).")
    ] = None,
    only: Annotated[list[str] | None, typer.Option(help="Run only these evaluations (by NAME).")] = None,
    report: Annotated[Path, typer.Option(help="Write the full JSON report here.")] = Path("build/eval.json"),
) -> None:
    """Score the pipeline against the gold files in ../shared/data; exit 1 when a target is missed."""
    import importlib

    from pipeline.evaluate import EVALUATIONS
    from pipeline.evaluate.report import default_data_dir

    names = []
    for module_name in EVALUATIONS:
        try:
            names.append(importlib.import_module(module_name).NAME)
        except ModuleNotFoundError:
            continue
    unknown = sorted(set(only or ()) - set(names))
    if unknown:
        typer.echo(
            f"error: --only {', '.join(unknown)}: no such evaluation (one of {', '.join(names)})", err=True
        )
        raise typer.Exit(2)
    data_dir = data or default_data_dir()
    if not data_dir.is_dir():
        typer.echo(f"error: no evaluation data at {data_dir}", err=True)
        raise typer.Exit(2)
    reports, failures = [], []
    for module_name in EVALUATIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        if only and module.NAME not in only:
            continue
        result = module.evaluate(data_dir)
        reports.append(result.as_dict())
        failures += result.failures()
        metrics = "  ".join(
            f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.metrics.items()
        )
        typer.echo(f"{result.name:16s} {metrics}")
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(reports, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for failure in failures:
        typer.echo(f"below target: {failure}", err=True)
    raise typer.Exit(1 if failures else 0)


def _register_load() -> None:
    from pipeline.sinks.database import load_command

    app.command(name="load", help="Load an extract output directory into SQLite or PostgreSQL (idempotent).")(
        load_command
    )


_register_load()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
