"""`extract`: inputs -> articles -> records -> OUT/, resumable and incremental.

Each input file's results go to a part file `OUT/.parts/<key>.part`, renamed into place when the
input is done; the key hashes the input's name and bytes with the pipeline fingerprint. A run reuses
the parts it finds (a killed run resumes; a run on a corpus with new bulletins processes only those),
then merges all parts, in input order, into the final files, each written atomically:
articles.jsonl, records.jsonl, errors.jsonl, summary.json, manifest.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from pipeline import __version__
from pipeline.components.ner import shipped_path
from pipeline.engines import Chunk, make_engine, part_line
from pipeline.ner.ensemble import ENSEMBLE_FILE, is_ensemble
from pipeline.nlp import PipelineSettings
from pipeline.records import SCHEMA_VERSION, ErrorRecord, Summary
from pipeline.sinks.jsonl import atomic_writer
from pipeline.sources import DEFAULT_MAX_PAGE_BYTES, InputFile, SkippedInput, discover, read_input

PARTS_DIR = ".parts"
CHUNK_ARTICLES = 4  # articles per unit of work: small, so that workers share short inputs evenly
EXIT_OK, EXIT_USAGE, EXIT_PARTIAL = 0, 2, 3


@dataclass
class RunOptions:
    out: Path
    settings: PipelineSettings = field(default_factory=PipelineSettings)
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    force: bool = False
    progress: bool = False
    db: str | None = None
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES


@dataclass
class RunResult:
    summary: Summary
    exit_code: int
    reused_inputs: int = 0


def resources_digest() -> str:
    """Hash of the shipped word lists and patterns: a change in them invalidates cached parts."""
    digest = hashlib.sha256()
    root = resources.files("pipeline.resources.zh")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_file():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Hash of the pipeline's own code (every .py file of the package): a change in the code that
    makes the records may change them, so it invalidates cached parts (__version__ alone is not
    bumped on every change)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(settings: PipelineSettings) -> str:
    """What the records depend on besides the input: the code, the schema, the settings, the word
    lists and the models (a retrained NER model has a new version)."""
    found = versions(settings)
    return hashlib.sha256(
        f"{__version__}|{SCHEMA_VERSION}|{settings!r}|{resources_digest()}|{code_digest()}|"
        f"{found['ner_model']}|{found['segmenter']}".encode()
    ).hexdigest()[:16]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions(settings: PipelineSettings) -> dict[str, str]:
    found = {
        "pipeline": __version__,
        "code": code_digest(),
        "schema": SCHEMA_VERSION,
        "resources": resources_digest(),
    }
    for package in ("spacy", "jieba", "rjieba", "spacy-pkuseg", "pydantic", "opencc"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    found["segmenter"] = settings.segmenter + (f":{settings.pkuseg_model}" if settings.pkuseg_model else "")
    found["ner_model"] = _ner_model_version(settings.ner_model)
    if settings.segmenter == "pkuseg" and not settings.pkuseg_model:
        found["segmenter"] += ":pkuseg_pd"
    return found


def _ner_model_version(model: str | None) -> str:
    """'<name> <version>' of the NER model the settings name: a shipped one, a directory (its
    meta.json), or an installed spaCy package (its distribution version)."""
    directory = shipped_path(model) or (Path(model) if model and Path(model).is_dir() else None)
    if directory is not None:
        return _model_dir_version(directory)
    try:
        return f"{model} {metadata.version(str(model))}"
    except (metadata.PackageNotFoundError, ValueError):
        return str(model)


def _model_dir_version(model_dir: Path) -> str:
    """'<name> <version>' from a model directory's meta.json (spaCy, CRF, BiLSTM-CRF), or
    'missing'; for an ensemble, its members' with their weights."""
    if is_ensemble(model_dir):
        members = json.loads((model_dir / ENSEMBLE_FILE).read_text(encoding="utf-8"))["members"]
        parts = [f"{_model_dir_version(model_dir / m['path'])} x{m['weight']}" for m in members]
        return f"{model_dir.name} ({' + '.join(parts)})"
    try:
        data = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "missing"
    return f"{data.get('name', model_dir.name)} {data.get('version', '?')}"


def _chunks(index: int, item: InputFile, max_page_bytes: int) -> Iterator[Chunk]:
    batch: list = []
    for entry in read_input(item, max_page_bytes):
        batch.append(entry)
        if len(batch) >= CHUNK_ARTICLES:
            yield index, batch
            batch = []
    if batch:
        yield index, batch


class _PartWriter:
    """Streams one input's lines to a temporary file and renames it into place when done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.handle = self.tmp.open("w", encoding="utf-8", newline="\n")

    def write(self, lines: list[str]) -> None:
        self.handle.writelines(lines)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.path)


def run_extract(paths: list[Path], options: RunOptions) -> RunResult:
    started = time.perf_counter()
    out = options.out
    parts = out / PARTS_DIR
    parts.mkdir(parents=True, exist_ok=True)
    _remove_temporaries(out, parts)
    key_prefix = fingerprint(options.settings)

    inputs: list[InputFile] = []
    skipped: list[SkippedInput] = []
    for found in discover(paths):
        (inputs if isinstance(found, InputFile) else skipped).append(found)

    keys: list[str] = []
    manifest: dict[str, str] = {}
    for item in inputs:
        try:
            content = file_digest(item.path)
        except OSError:
            content = "unreadable"  # read_input reports it; never cached as done
        manifest[item.source] = content
        keys.append(hashlib.sha256(f"{key_prefix}|{item.source}|{content}".encode()).hexdigest()[:24])

    todo = [
        i
        for i, key in enumerate(keys)
        if options.force or manifest[inputs[i].source] == "unreadable" or not (parts / f"{key}.part").exists()
    ]
    _process_inputs(inputs, keys, todo, parts, options)

    summary = _merge(inputs, keys, skipped, parts, out, options, started)
    _write_manifest(out, manifest, keys, inputs)
    _remove_stale_parts(parts, set(keys))
    exit_code = EXIT_PARTIAL if summary.errors else EXIT_OK
    return RunResult(summary=summary, exit_code=exit_code, reused_inputs=len(inputs) - len(todo))


def _process_inputs(inputs, keys, todo, parts: Path, options: RunOptions) -> None:
    if not todo:
        return
    engine = make_engine(options.settings, options.workers, options.engine, options.scheduler)
    progress = _progress(len(todo)) if options.progress else None
    try:

        def all_chunks() -> Iterator[Chunk]:
            for i in todo:
                produced = False
                for chunk in _chunks(i, inputs[i], options.max_page_bytes):
                    produced = True
                    yield chunk
                if not produced:  # an input with nothing in it still gets its (empty) part
                    yield i, []

        writer: _PartWriter | None = None
        current = -1
        for index, lines in engine.map_ordered(all_chunks()):
            if index != current:
                if writer:
                    writer.commit()
                    _advance(progress)
                writer = _PartWriter(parts / f"{keys[index]}.part")
                current = index
            writer.write(lines)
        if writer:
            writer.commit()
            _advance(progress)
    finally:
        engine.close()
        if progress:
            progress.stop()


def _progress(total: int):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    progress.start()
    progress.add_task("inputs", total=total)
    return progress


def _advance(progress) -> None:
    if progress:
        progress.advance(progress.task_ids[0])


def _merge(inputs, keys, skipped, parts: Path, out: Path, options: RunOptions, started: float) -> Summary:
    counts: Counter[str] = Counter()
    sink = _database_sink(options.db)
    try:
        n_articles, n_records, n_errors = _merge_parts(inputs, keys, skipped, parts, out, counts, sink)
    except BaseException:
        if sink:
            sink.abort()
        raise
    if sink:
        sink.close()
    summary = Summary(
        inputs=len(inputs) + len(skipped),
        articles=n_articles,
        records=n_records,
        errors=n_errors,
        counts=dict(sorted(counts.items())),
        seconds=round(time.perf_counter() - started, 3),
        versions=versions(options.settings),
    )
    with atomic_writer(out / "summary.json") as handle:
        handle.write(summary.model_dump_json(indent=2) + "\n")
    return summary


def _duplicate_error(source: str, article_id: str) -> str:
    return (
        ErrorRecord(
            source=source,
            article_id=article_id,
            error="DuplicateId",
            message=f"article id {article_id!r} was already used by an earlier article; this one is skipped",
        ).model_dump_json()
        + "\n"
    )


def _merge_parts(
    inputs, keys, skipped, parts: Path, out: Path, counts: Counter, sink
) -> tuple[int, int, int]:
    """Concatenate the part files, in input order, into the final JSONL files (and the database sink).
    A later article with an id already used is moved to errors with its records dropped."""
    seen_ids: set[str] = set()
    n_articles = n_records = n_errors = 0
    with (
        atomic_writer(out / "articles.jsonl") as articles,
        atomic_writer(out / "records.jsonl") as records,
        atomic_writer(out / "errors.jsonl") as errors,
    ):
        for skip in skipped:
            errors.write(
                ErrorRecord(source=skip.source, error=skip.error, message=skip.reason).model_dump_json()
            )
            errors.write("\n")
            n_errors += 1
        for item, key in zip(inputs, keys, strict=True):
            duplicate: str | None = None
            pending_article: str | None = None
            pending_records: list[str] = []
            for line in (parts / f"{key}.part").open(encoding="utf-8"):
                tag, article_id, payload = line.split("\t", 2)
                if tag == "a":
                    if pending_article is not None and sink:
                        sink.write_json(pending_article, pending_records)
                    pending_article, pending_records = None, []
                    if article_id in seen_ids:
                        duplicate = article_id
                        errors.write(_duplicate_error(item.source, article_id))
                        n_errors += 1
                        continue
                    duplicate = None
                    seen_ids.add(article_id)
                    articles.write(payload)
                    pending_article = payload
                    n_articles += 1
                elif tag[0] == "r":  # r:<kind>
                    if article_id == duplicate:
                        continue
                    records.write(payload)
                    pending_records.append(payload)
                    n_records += 1
                    counts[tag[2:]] += 1
                else:
                    errors.write(payload)
                    n_errors += 1
            if pending_article is not None and sink:
                sink.write_json(pending_article, pending_records)
    return n_articles, n_records, n_errors


def _database_sink(db: str | None):
    if not db:
        return None
    from pipeline.sinks.database import DatabaseSink

    return DatabaseSink(db)


def _write_manifest(out: Path, manifest: dict[str, str], keys: list[str], inputs: list[InputFile]) -> None:
    entries = {
        item.source: {"sha256": manifest[item.source], "part": key}
        for item, key in zip(inputs, keys, strict=True)
    }
    with atomic_writer(out / "manifest.json") as handle:
        json.dump(entries, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def _remove_temporaries(*directories: Path) -> None:
    """Temporary files a killed run left behind (its finished parts are kept and reused)."""
    for directory in directories:
        for path in directory.glob(".*.tmp"):
            path.unlink(missing_ok=True)


def _remove_stale_parts(parts: Path, keep: set[str]) -> None:
    for path in parts.glob("*.part"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)


__all__ = ["RunOptions", "RunResult", "run_extract", "part_line", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE"]
