"""Command line: `python -m pipeline extract|schemas|eval ...` (also installed as `bulletin-pipeline`)."""

from __future__ import annotations

import json
import sys
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


@app.command()
def extract(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Input files or directories (.txt/.md pages, .jsonl batches, .html pages). Default: corpus/"
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
            help="NER model: 'ner_zh_lstm' (the shipped BiLSTM-CRF), 'ner_zh_cnn' (the shipped spaCy CNN model), "
            "a path to a CRF, BiLSTM-CRF or spaCy model, or an installed spaCy pipeline such as zh_core_web_sm "
            "(default: the shipped CRF, ner_zh)."
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
        int, typer.Option(min=1, help="Worker processes (or Dask workers for a local cluster).")
    ] = 1,
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
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar or summary line.")] = False,
    debug: Annotated[bool, typer.Option(help="Show full tracebacks on failure.")] = False,
) -> None:
    """Run the pipeline on bulletins; write articles, records, errors and a summary to OUT.

    Exit status: 0 when everything was processed, 3 when some inputs or articles went to
    errors.jsonl, 2 on a usage error.
    """
    from dataclasses import replace

    from pipeline.nlp import PipelineSettings
    from pipeline.run import RunOptions, run_extract

    settings = PipelineSettings(segmenter=segmenter.value, pkuseg_model=pkuseg_model, ner_model=ner_model)
    if not ner:
        settings = replace(
            settings, components=tuple(c for c in settings.components if c != "statistical_ner")
        )
    options = RunOptions(
        out=out,
        settings=settings,
        workers=workers,
        engine=engine.value,
        scheduler=scheduler,
        force=force,
        progress=not quiet and sys.stderr.isatty(),
        db=db,
        max_page_bytes=int(max_page_mb * 2**20),
    )
    try:
        result = run_extract(paths or [Path("corpus")], options)
    except Exception as exc:
        if debug:
            raise
        typer.echo(f"error: {type(exc).__name__}: {exc}", err=True)
        raise typer.Exit(1) from None
    if not quiet:
        s = result.summary
        kinds = ", ".join(f"{k} {v}" for k, v in s.counts.items()) or "none"
        typer.echo(
            f"{s.inputs} inputs, {s.articles} articles, {s.records} records ({kinds}), {s.errors} errors "
            f"in {s.seconds:.1f}s -> {out}",
            err=True,
        )
    raise typer.Exit(result.exit_code)


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
