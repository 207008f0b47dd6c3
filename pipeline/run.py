"""`extract`: inputs -> articles -> records -> OUT/, resumable and incremental.

Each input file's results go to a part file `OUT/.parts/<key>.part`, renamed into place when the
input is done; the key hashes the input's name and bytes with the pipeline fingerprint. A run reuses
the parts it finds (a killed run resumes; a run on a corpus with new bulletins processes only those),
then merges all parts, in order of input name, into the final files: articles.jsonl, records.jsonl,
errors.jsonl and summary.json are written under temporary names and renamed into place together;
manifest.json, written last, is the commit record: it holds the run id, the root, every input
(with its part and article ids) and the size and SHA-256 of each of the other files, so `load` can
tell a complete output from one a killed run left half-renamed.

One output folder is one corpus: a run over some of its inputs updates those and keeps the others
(re-read from their recorded paths when they still exist); `--prune` drops every input the run was
not given. An exclusive lock on OUT/.lock keeps a second run out.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from pipeline import __version__
from pipeline.components.ner import shipped_path
from pipeline.engines import Chunk, auto_workers, make_engine, part_line, usable_cores
from pipeline.ner.ensemble import ENSEMBLE_FILE, is_ensemble
from pipeline.nlp import PipelineSettings
from pipeline.records import RECORD_ADAPTER, SCHEMA_VERSION, Article, ErrorRecord, Summary, make_record_id
from pipeline.sinks.jsonl import atomic_writer
from pipeline.sources import DEFAULT_MAX_PAGE_BYTES, InputFile, SkippedInput, discover, read_input

PARTS_DIR = ".parts"
STDIN_DIR = ".stdin"
LOCK_FILE = ".lock"
MANIFEST_FORMAT = 2
OUTPUT_FILES = ("articles.jsonl", "records.jsonl", "errors.jsonl", "summary.json")
PART_END = "z\tnull\t{}\n"  # the last line of a complete part file
CHUNK_ARTICLES = 4  # articles per unit of work: small, so that workers share short inputs evenly
EXIT_OK, EXIT_USAGE, EXIT_PARTIAL = 0, 2, 3


@dataclass
class RunOptions:
    out: Path
    settings: PipelineSettings = field(default_factory=PipelineSettings)
    workers: int | str = 1  # a number, or "auto" (engines.auto_workers: from the input size and the cores)
    engine: str = "local"
    scheduler: str | None = None
    force: bool = False
    progress: bool = False
    db: str | None = None
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    root: Path | None = None  # what input names (and article ids) are relative to
    prune: bool = False  # drop the inputs of earlier runs that this run was not given
    publish_date: date | None = None  # for articles that state no date
    allow_older: bool = False  # --db: load even where the database holds newer extractions


class RunUsageError(Exception):
    """The run cannot start as asked (missing input, root conflict, OUT locked): exit status 2."""


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


@dataclass
class _Entry:
    """One input of the output folder: a file to (re)process, or the kept part of an earlier run."""

    source: str
    key: str
    sha256: str
    item: InputFile | None  # None: the file is gone; its part (from an earlier run) is kept


def _chunks(index: int, item: InputFile, options: RunOptions) -> Iterator[Chunk]:
    batch: list = []
    for entry in read_input(item, options.max_page_bytes, options.publish_date):
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
        self.handle.write(PART_END)
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.tmp, self.path)


def _part_complete(path: Path) -> bool:
    """A part file that a finished input wrote (it ends with PART_END)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            if size < len(PART_END):
                return False
            handle.seek(size - len(PART_END))
            return handle.read() == PART_END.encode()
    except OSError:
        return False


def read_manifest(out: Path) -> dict | None:
    """OUT/manifest.json of this format, or None (absent, unreadable, or of an older format)."""
    try:
        data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    return data


@contextmanager
def output_lock(out: Path):
    """An exclusive lock on OUT for the whole run; a second run gets a clear message."""
    handle = (out / LOCK_FILE).open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise RunUsageError(
            f"another extract is writing to {out} (it holds {out / LOCK_FILE}); wait for it or use another -o"
        ) from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def _default_root(paths: list[Path]) -> Path:
    parents = [os.path.dirname(os.path.abspath(p)) for p in paths if str(p) != "-"]
    return Path(os.path.commonpath(parents)) if parents else Path(os.getcwd())


def _check_inputs(paths: list[Path], root: Path) -> None:
    for path in paths:
        if str(path) == "-":
            continue
        if not (path.exists() or path.is_symlink()):
            raise RunUsageError(f"no such file or directory: {path} (nothing was read or written)")
        absolute = os.path.abspath(path)
        if os.path.commonpath([absolute, str(root)]) != str(root):
            raise RunUsageError(
                f"{path} is not under the root {root} that article ids are relative to "
                "(an output folder keeps the root of its first run; pass --root or use another -o)"
            )


def _stdin_input(out: Path) -> InputFile:
    """`extract -`: stdin saved under OUT/.stdin/, a JSONL batch when it starts with '{', a PDF when
    it starts with '%PDF-', else a page."""
    data = sys.stdin.buffer.read()
    kind = "jsonl" if data.lstrip()[:1] == b"{" else "pdf" if data.startswith(b"%PDF-") else "txt"
    directory = out / STDIN_DIR
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"stdin.{kind}"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return InputFile(path=path, source=f"stdin.{kind}")


def run_extract(paths: list[Path], options: RunOptions) -> RunResult:
    started = time.perf_counter()
    out = options.out
    if out.exists() and not out.is_dir():
        raise RunUsageError(f"-o {out}: not a directory")
    previous = read_manifest(out) if out.is_dir() else None
    recorded = Path(previous["root"]) if previous and previous.get("root") else None
    given_root = Path(os.path.abspath(options.root)) if options.root else None
    if given_root and recorded and given_root != recorded and not options.prune:
        raise RunUsageError(
            f"{out} holds article ids relative to {recorded}, not {given_root}: use --root {recorded}, "
            "another -o, or --prune to start the folder again with the new root"
        )
    root = given_root or recorded or _default_root(paths)
    _check_inputs(paths, root)
    if options.db:
        check_database(options.db)
    if options.engine == "dask" and options.scheduler:
        _check_scheduler(options.scheduler)

    parts = out / PARTS_DIR
    parts.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        _remove_temporaries(out, parts)
        key_prefix = fingerprint(options.settings) + f"|{options.publish_date}"
        if any(str(p) == "-" for p in paths):
            stdin_item = _stdin_input(out)
            paths = [p for p in paths if str(p) != "-"]
        else:
            stdin_item = None
        found = list(discover(paths, root, exclude=(out,)))
        if stdin_item:
            found.append(stdin_item)
        inputs = [f for f in found if isinstance(f, InputFile)]
        failed = [f for f in found if isinstance(f, SkippedInput) and f.error != "Skipped"]
        ignored = {f.source: f.reason for f in found if isinstance(f, SkippedInput) and f.error == "Skipped"}

        entries: dict[str, _Entry] = {}
        for item in inputs:
            entries[item.source] = _entry(item, key_prefix)
        if previous and not options.prune:
            for source, kept in previous.get("inputs", {}).items():
                if source in entries or source in ignored:
                    continue
                path = Path(kept.get("path") or "")
                if kept.get("path") and path.is_file():
                    entries[source] = _entry(InputFile(path=path, source=source), key_prefix)
                elif _part_complete(parts / f"{kept['part']}.part"):
                    entries[source] = _Entry(source, kept["part"], kept.get("sha256", ""), None)
        ordered = [entries[s] for s in sorted(entries)]
        todo = [
            i
            for i, e in enumerate(ordered)
            if e.item is not None
            and (options.force or e.sha256 == "unreadable" or not _part_complete(parts / f"{e.key}.part"))
        ]
        _process_inputs(ordered, todo, parts, options)
        summary = _merge_and_commit(ordered, failed, ignored, parts, out, root, started, options)
        _remove_stale_parts(parts, {e.key for e in ordered})
    exit_code = EXIT_PARTIAL if summary.errors else EXIT_OK
    if options.db:
        from pipeline.sinks.database import load_output

        load_output(out, options.db, allow_older=options.allow_older)
    return RunResult(summary=summary, exit_code=exit_code, reused_inputs=len(ordered) - len(todo))


def _entry(item: InputFile, key_prefix: str) -> _Entry:
    try:
        content = file_digest(item.path)
    except OSError:
        content = "unreadable"  # read_input reports it; never cached as done
    key = hashlib.sha256(f"{key_prefix}|{item.source}|{content}".encode()).hexdigest()[:24]
    return _Entry(item.source, key, content, item)


def check_database(db: str) -> None:
    """Connect to the --db database and check its tables before any work is done."""
    from pipeline.sinks.database import DatabaseSink

    DatabaseSink(db).close()


def _check_scheduler(address: str) -> None:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if not parts.hostname or not parts.port:
        raise RunUsageError(f"--scheduler {address!r}: expected tcp://HOST:PORT")
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=5).close()
    except OSError as exc:
        raise RunUsageError(f"--scheduler {address}: cannot connect ({exc.strerror or exc})") from None


def _process_inputs(ordered: list[_Entry], todo: list[int], parts: Path, options: RunOptions) -> None:
    if not todo:
        return
    workers = options.workers
    if workers == "auto":
        workers = usable_cores() if options.engine == "dask" else auto_workers(_input_bytes(ordered, todo))
    engine = make_engine(options.settings, int(workers), options.engine, options.scheduler)
    progress = _progress(len(todo)) if options.progress else None
    try:

        def all_chunks() -> Iterator[Chunk]:
            for i in todo:
                produced = False
                for chunk in _chunks(i, ordered[i].item, options):
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
                writer = _PartWriter(parts / f"{ordered[index].key}.part")
                current = index
            writer.write(lines)
        if writer:
            writer.commit()
            _advance(progress)
    finally:
        engine.close()
        if progress:
            progress.stop()


def _input_bytes(ordered: list[_Entry], todo: list[int]) -> int:
    """The size of the inputs to process (what `--workers auto` goes by)."""
    total = 0
    for i in todo:
        try:
            total += ordered[i].item.path.stat().st_size
        except OSError:
            continue
    return total


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


class _StagedFile:
    """A file written under a temporary name, hashed as it is written, renamed by `_commit`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.handle = self.tmp.open("wb")
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode()
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)

    def finish(self) -> dict:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        return {"bytes": self.size, "sha256": self.digest.hexdigest()}

    def discard(self) -> None:
        if not self.handle.closed:
            self.handle.close()
        self.tmp.unlink(missing_ok=True)


@contextmanager
def _signals_deferred():
    """Ctrl-C or SIGTERM during the final renames takes effect after them, not between two."""
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _merge_and_commit(
    ordered: list[_Entry],
    failed,
    ignored: dict[str, str],
    parts: Path,
    out: Path,
    root: Path,
    started,
    options,
) -> Summary:
    staged = {name: _StagedFile(out / name) for name in OUTPUT_FILES}
    try:
        counts: Counter[str] = Counter()
        article_ids, n_articles, n_records, n_errors = _merge_parts(ordered, failed, parts, staged, counts)
        summary = Summary(
            inputs=len(ordered) + len(failed),
            articles=n_articles,
            records=n_records,
            errors=n_errors,
            counts=dict(sorted(counts.items())),
            seconds=round(time.perf_counter() - started, 3),
            versions=versions(options.settings),
            skipped=dict(sorted(ignored.items())),
        )
        staged["summary.json"].write(summary.model_dump_json(indent=2) + "\n")
        files = {name: f.finish() for name, f in staged.items()}
    except BaseException:
        for f in staged.values():
            f.discard()
        raise
    manifest = {
        "format": MANIFEST_FORMAT,
        "run_id": uuid.uuid4().hex,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "root": str(root),
        "files": files,
        "inputs": {
            e.source: {
                "sha256": e.sha256,
                "part": e.key,
                "path": os.path.abspath(e.item.path) if e.item else None,
                "extracted_at": _part_time(parts / f"{e.key}.part"),
                "articles": article_ids[i],
            }
            for i, e in enumerate(ordered)
        },
    }
    with _signals_deferred():
        for f in staged.values():
            os.replace(f.tmp, f.path)
        with atomic_writer(out / "manifest.json") as handle:
            json.dump(manifest, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    return summary


def _part_time(path: Path) -> str:
    try:
        stamp = path.stat().st_mtime
    except OSError:
        stamp = time.time()
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="microseconds")


def _duplicate_suffix(article_id: str, source: str, text: str, seen: set[str]) -> str:
    """A new id for an article whose id an earlier article holds: `<id>~<hash of source and text>`
    (and `~2`, `~3` ... when even that is taken)."""
    digest = hashlib.sha1(f"{source}\x1f{text}".encode()).hexdigest()[:8]
    candidate = f"{article_id}~{digest}"
    n = 2
    while candidate in seen:
        candidate = f"{article_id}~{digest}~{n}"
        n += 1
    return candidate


def _renamed(tag: str, payload: bytes, new_id: str) -> bytes:
    """The payload of a part line with its article id replaced (record ids follow the article id)."""
    if tag == "a":
        article = Article.model_validate_json(payload)
        return (article.model_copy(update={"article_id": new_id}).model_dump_json() + "\n").encode()
    if tag.startswith("r"):
        record = RECORD_ADAPTER.validate_json(payload)
        new_record = record.model_copy(
            update={
                "article_id": new_id,
                "record_id": make_record_id(new_id, record.kind, record.start, record.end),
            }
        )
        return (new_record.model_dump_json() + "\n").encode()
    error = ErrorRecord.model_validate_json(payload)
    return (error.model_copy(update={"article_id": new_id}).model_dump_json() + "\n").encode()


def _merge_parts(ordered: list[_Entry], failed, parts: Path, staged, counts: Counter):
    """Concatenate the part files, in order, into the final JSONL files. An article whose id an
    earlier one holds is kept under a new id (`_duplicate_suffix`), its records with it."""
    articles, records, errors = staged["articles.jsonl"], staged["records.jsonl"], staged["errors.jsonl"]
    seen_ids: set[str] = set()
    ids_per_input: list[list[str]] = []
    n_articles = n_records = n_errors = 0
    for skip in failed:
        errors.write(ErrorRecord(source=skip.source, error=skip.error, message=skip.reason).model_dump_json())
        errors.write("\n")
        n_errors += 1
    for entry in ordered:
        ids: list[str] = []
        rename: dict[str, str] = {}
        current: str | None = None
        last_id_json, last_id = None, None  # an article's lines follow one another: decode its id once
        with (parts / f"{entry.key}.part").open("rb") as handle:
            for line in handle:
                tag_bytes, id_json, payload = line.split(b"\t", 2)
                tag = tag_bytes.decode()
                if tag == "z":
                    continue
                if id_json != last_id_json:
                    last_id_json, last_id = id_json, json.loads(id_json)
                article_id = last_id
                if tag == "a":
                    current = article_id
                    rename.pop(article_id, None)
                    if article_id in seen_ids:
                        text = Article.model_validate_json(payload).text
                        rename[article_id] = _duplicate_suffix(article_id, entry.source, text, seen_ids)
                if article_id is not None and article_id == current and article_id in rename:
                    payload = _renamed(tag, payload, rename[article_id])
                    article_id = rename[article_id]
                if tag == "a":
                    seen_ids.add(article_id)
                    ids.append(article_id)
                    articles.write(payload)
                    n_articles += 1
                elif tag[0] == "r":  # r:<kind>
                    records.write(payload)
                    n_records += 1
                    counts[tag[2:]] += 1
                else:
                    errors.write(payload)
                    n_errors += 1
        ids_per_input.append(ids)
    return ids_per_input, n_articles, n_records, n_errors


def _remove_temporaries(*directories: Path) -> None:
    """Temporary files a killed run left behind (its finished parts are kept and reused)."""
    for directory in directories:
        for path in directory.glob(".*.tmp"):
            path.unlink(missing_ok=True)


def _remove_stale_parts(parts: Path, keep: set[str]) -> None:
    for path in parts.glob("*.part"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)


__all__ = [
    "RunOptions",
    "RunResult",
    "run_extract",
    "part_line",
    "RunUsageError",
    "read_manifest",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
]
