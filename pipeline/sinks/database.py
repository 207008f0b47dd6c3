"""Load the pipeline's output into SQLite (default) or PostgreSQL (psycopg 3).

    python -m pipeline load OUT --db sqlite:///out/bulletins.db
    python -m pipeline load OUT --db postgresql://user@host:5432/bulletins

The tables are those of pipeline/sinks/ddl.py (schemas/*.sql), created when missing.

Guarantees:
- Idempotent: articles are upserted on article_id, records on record_id; loading the same
  output twice, or the output of a re-run, leaves each record once.
- An article and all its records are written in the same transaction, and when an article is
  loaded again its stale records (ids no longer in the output for that article) are deleted in
  that transaction. A transaction holds whole articles, about `batch_size` rows.
- An interrupted load leaves every article either complete (as of its last load) or absent, and
  can simply be run again.
- An input file's articles are replaced as a whole: an article an input gave at its last load and
  no longer gives (a brief removed from a page shifts the numbering) is deleted with its records.
  Articles of inputs the output does not hold are left alone.
- An output whose files do not match its manifest.json (a run killed between the final renames, a
  file removed or emptied by hand) is refused; the files are opened before they are checked, so a
  load reads one consistent snapshot even while an `extract` rewrites the folder.
- An output older than what the database holds for one of its inputs is refused (`--allow-older`).
- Database errors (a read-only or non-database file, a server refusing a value) are LoadErrors
  with a message, never a traceback; a password in a URL is never printed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from operator import attrgetter
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError

from pipeline.records import SCHEMA_VERSION, Article, ErrorRecord, Record, decimal_text, parse_record
from pipeline.sinks.ddl import (
    ARTICLES,
    LOADED_INPUTS,
    RECORD_TABLES,
    SCHEMA_INFO,
    TABLE_BY_KIND,
    TABLES,
    Column,
    Dialect,
    Table,
    quote,
    render_ddl,
    structure_hash,
)

log = logging.getLogger(__name__)

DEFAULT_DB_URL = "sqlite:///out/bulletins.db"
DB_FILE = "bulletins.db"  # `load OUT` without --db: OUT/bulletins.db
_INT64 = 2**63
DEFAULT_BATCH_SIZE = 1000


class LoadError(Exception):
    """The output or the database cannot be loaded as asked (message says why and what to do)."""


class UsageError(LoadError):
    """A bad URL or a missing output directory: exit status 2."""


@dataclass
class LoadStats:
    articles: int = 0
    records: Counter[str] = field(default_factory=Counter)  # per kind
    stale_deleted: int = 0  # records of re-loaded articles that are no longer in the output
    ghosts_deleted: int = 0  # articles an input gave at its last load and no longer gives
    orphans: int = 0  # records whose article is not in articles.jsonl: not loaded
    batches: int = 0  # transactions committed
    seconds: float = 0.0

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    def describe(self) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.records.items())) or "none"
        text = (
            f"loaded {self.articles} articles and {self.total_records} records ({kinds}) "
            f"in {self.batches} transactions, {self.seconds:.2f}s; "
            f"{self.stale_deleted} stale records deleted"
        )
        if self.ghosts_deleted:
            text += f"; {self.ghosts_deleted} articles their input no longer gives deleted"
        if self.orphans:
            text += f"; {self.orphans} records skipped (their article is not in articles.jsonl)"
        return text


# --------------------------------------------------------------------------- connections


def parse_db_url(db_url: str) -> tuple[Dialect, str]:
    """'sqlite:///rel/path.db', 'sqlite:////abs/path.db', 'sqlite:///:memory:' or
    'postgresql://...' / 'postgres://...' -> (dialect, path or conninfo)."""
    if db_url.startswith("sqlite:///"):
        path = db_url[len("sqlite:///") :]
        if not path:
            raise UsageError(f"{db_url!r}: no database path (try sqlite:///out/bulletins.db)")
        return "sqlite", path
    if db_url.startswith(("postgresql://", "postgres://")):
        return "postgresql", db_url
    raise UsageError(
        f"{db_url!r}: unsupported database URL; use sqlite:///PATH (relative), sqlite:////PATH (absolute) "
        "or postgresql://user@host:port/dbname"
    )


class _Backend:
    """The few things that differ between the two databases."""

    dialect: Dialect
    param: str

    def __init__(self, conn: Any):
        self.conn = conn

    def begin(self) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def close(self) -> None:
        self.conn.close()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: list[tuple]) -> None:
        self.conn.cursor().executemany(sql, rows)

    def execute_script(self, script: str) -> None:
        raise NotImplementedError

    def id_set(self, column: str) -> str:
        """A condition `column IN <one list parameter>`."""
        raise NotImplementedError

    def converter(self, column: Column) -> Callable[[Any], Any] | None:
        """How a model value becomes a query parameter for this column (None: as it is)."""
        if column.choices:
            return _enum_value
        return None


class _SQLite(_Backend):
    dialect: Dialect = "sqlite"
    param = "?"

    @classmethod
    def connect(cls, path: str) -> _SQLite:
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                if Path(path).is_dir():
                    raise UsageError(f"sqlite:///{path}: a directory, not a database file")
            conn = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()  # is it a database at all?
        except OSError as e:
            raise LoadError(f"cannot create the database folder for {path}: {e.strerror or e}") from e
        except sqlite3.Error as e:
            raise LoadError(f"cannot open {path} as an SQLite database: {e}") from e
        return cls(conn)

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def execute_script(self, script: str) -> None:
        self.conn.executescript(script)

    def id_set(self, column: str) -> str:
        return f"{quote(column)} IN (SELECT value FROM json_each(?))"

    def id_list(self, ids: list[str]) -> Any:
        return json.dumps(ids)

    def converter(self, column: Column) -> Callable[[Any], Any] | None:
        if column.type == "date":  # ISO text
            return lambda v: v.isoformat() if isinstance(v, date) else v
        if column.type == "text_list":  # a JSON array
            return lambda v: None if v is None else json.dumps(list(v), ensure_ascii=False)
        if column.type == "boolean":
            return lambda v: None if v is None else int(v)
        if column.type == "numeric":
            return sqlite_number
        return super().converter(column)


class _PostgreSQL(_Backend):
    dialect: Dialect = "postgresql"
    param = "%s"

    @classmethod
    def connect(cls, conninfo: str) -> _PostgreSQL:
        try:
            import psycopg
        except ImportError as e:  # pragma: no cover - psycopg is a pinned dependency
            raise LoadError("PostgreSQL needs psycopg 3: pip install 'psycopg[binary]'") from e
        try:
            conn = psycopg.connect(conninfo)
        except psycopg.Error as e:
            raise LoadError(f"cannot connect to PostgreSQL: {e}".strip()) from e
        return cls(conn)

    def begin(self) -> None:
        pass  # psycopg opens a transaction with the first statement

    def execute_script(self, script: str) -> None:
        # One loader at a time creates the tables: two first loads into an empty database at once
        # would otherwise both create the same types (UniqueViolation).
        self.conn.execute("SELECT pg_advisory_xact_lock(7317001)")
        self.conn.execute(script)
        self.conn.commit()

    def id_set(self, column: str) -> str:
        return f"{quote(column)} = ANY(%s::text[])"

    def id_list(self, ids: list[str]) -> Any:
        return ids

    def converter(self, column: Column) -> Callable[[Any], Any] | None:
        if column.type == "numeric":  # a float as its shortest exact decimal, not the binary value
            return lambda v: Decimal(repr(v)) if isinstance(v, float) else v
        if column.type == "text_list":
            return lambda v: None if v is None else [_no_nul(x) for x in v]
        if column.type == "text" and not column.choices:  # PostgreSQL text cannot hold NUL: U+FFFD
            return _no_nul
        return super().converter(column)


def sqlite_number(value: Any) -> Any:
    """An exact decimal as SQLite can hold it without losing a digit (the column has no affinity).

    A 64-bit integer as INTEGER; a value whose double prints back as the same decimal as REAL
    (10000.233); anything else as TEXT, the exact decimal ('9223372036854775808'). SUM and AVG read such
    text as a double; compare and sum exactly in PostgreSQL (NUMERIC) or in Python (Decimal).

    >>> sqlite_number(Decimal("300000000")), sqlite_number(Decimal("10000.233"))
    (300000000, 10000.233)
    >>> sqlite_number(Decimal("9223372036854775808")), sqlite_number(Decimal("0.10000000000000000555"))
    ('9223372036854775808', '0.10000000000000000555')
    """
    if value is None or isinstance(value, bool):
        return value
    exact = (
        value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)
    )
    if exact == exact.to_integral_value():
        whole = int(exact)
        return whole if -_INT64 <= whole < _INT64 else str(whole)
    double = float(exact)
    return double if Decimal(repr(double)) == exact else decimal_text(exact)


def _no_nul(value: Any) -> Any:
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def connect(db_url: str) -> _Backend:
    dialect, target = parse_db_url(db_url)
    return _SQLite.connect(target) if dialect == "sqlite" else _PostgreSQL.connect(target)


# --------------------------------------------------------------------------- statements


def _upsert_sql(table: Table, param: str) -> str:
    names = [quote(c.name) for c in table.columns]
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != quote(table.key))
    return (
        f"INSERT INTO {quote(table.name)} ({', '.join(names)}) "
        f"VALUES ({', '.join([param] * len(names))}) "
        f"ON CONFLICT ({quote(table.key)}) DO UPDATE SET {updates}"
    )


def _row_builder(backend: _Backend, table: Table) -> Callable[[BaseModel], tuple]:
    """model -> the parameters of its upsert, in column order (converters resolved once)."""
    getters = [attrgetter(c.name) for c in table.field_columns] + [d.compute for d in table.derived]
    steps = [(get, backend.converter(c)) for get, c in zip(getters, table.columns, strict=True)]

    def row(model: BaseModel) -> tuple:
        return tuple(conv(get(model)) if conv else get(model) for get, conv in steps)

    return row


def _ensure_schema(backend: _Backend) -> None:
    """Create the tables when missing; refuse a database made with another table structure."""
    backend.execute_script(render_ddl(backend.dialect))  # IF NOT EXISTS: a no-op on a loaded database
    backend.begin()
    try:
        key, value, p = quote("key"), quote("value"), backend.param
        select = f"SELECT {key}, {value} FROM {quote(SCHEMA_INFO)}"
        wanted = {"schema_version": SCHEMA_VERSION, "structure_hash": structure_hash()}
        found = dict(backend.execute(select).fetchall())
        if not found:
            # a first load; another first load may be writing the same rows at this moment: its rows
            # then stand, and are checked below like any others
            for k, v in wanted.items():
                backend.execute(
                    f"INSERT INTO {quote(SCHEMA_INFO)} ({key}, {value}) VALUES ({p}, {p}) "
                    f"ON CONFLICT ({key}) DO NOTHING",
                    (k, v),
                )
            found = dict(backend.execute(select).fetchall())
        if found.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
            raise LoadError(
                f"the database holds output of schema_version {found['schema_version']}; this pipeline "
                f"writes schema_version {SCHEMA_VERSION} (exact decimal values, ranges, currencies), and an "
                "older database is not migrated: load into a new database, or drop its tables first"
            )
        if found != wanted:
            raise LoadError(
                f"the database was created for another table structure ({found}; this pipeline has "
                f"{wanted}): load into a new database, or drop its tables first"
            )
        backend.commit()
    except BaseException:
        backend.rollback()
        raise


# --------------------------------------------------------------------------- the sink


class DatabaseSink:
    """Writes articles with their records into a database, whole articles per transaction.

    with DatabaseSink("sqlite:///out/bulletins.db") as sink:
        sink.write(article, records)   # buffered; committed every ~batch_size rows
    # close() (or leaving the block normally) commits the rest; an exception rolls it back.
    """

    def __init__(self, db_url: str = DEFAULT_DB_URL, batch_size: int = DEFAULT_BATCH_SIZE):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.db_url = db_url
        self.batch_size = batch_size
        self.stats = LoadStats()
        self._started = time.perf_counter()
        self._backend = connect(db_url)
        try:
            _ensure_schema(self._backend)
        except BaseException:
            self._backend.close()
            raise
        p = self._backend.param
        self._upserts = {t.name: (_upsert_sql(t, p), _row_builder(self._backend, t)) for t in TABLES}
        self._pending: list[tuple[Article, list[Record]]] = []
        self._pending_rows = 0
        self._closed = False

    @property
    def dialect(self) -> Dialect:
        return self._backend.dialect

    def write(self, article: Article, records: Iterable[Record]) -> None:
        """Queue one article with ALL its records (the records it has now: others are deleted)."""
        if self._closed:
            raise RuntimeError("DatabaseSink is closed")
        records = list(records)
        for record in records:
            if record.article_id != article.article_id:
                raise ValueError(
                    f"record {record.record_id} belongs to {record.article_id}, not {article.article_id}"
                )
        self._pending.append((article, records))
        self._pending_rows += 1 + len(records)
        if self._pending_rows >= self.batch_size:
            self.flush()

    def write_json(self, article_json: str | bytes, records_json: Iterable[str | bytes]) -> None:
        """`write` for lines as they appear in articles.jsonl / records.jsonl (validated here)."""
        article = Article.model_validate_json(article_json)
        self.write(article, [parse_record(r) for r in records_json])

    def flush(self) -> None:
        """Commit the queued articles and records in one transaction."""
        if not self._pending:
            return
        backend = self._backend
        backend.begin()
        try:
            deleted = _write_batch(backend, self._upserts, self._pending)
            backend.commit()
        except BaseException:
            backend.rollback()
            raise
        self.stats.batches += 1
        self.stats.articles += len(self._pending)
        self.stats.stale_deleted += deleted
        for _, records in self._pending:
            self.stats.records.update(r.kind for r in records)
        self._pending.clear()
        self._pending_rows = 0

    def close(self) -> LoadStats:
        """Commit what is queued and close the connection; returns the statistics."""
        if not self._closed:
            try:
                self.flush()
            finally:
                self._closed = True
                self._backend.close()
                self.stats.seconds = time.perf_counter() - self._started
        return self.stats

    def abort(self) -> None:
        """Drop what is queued (nothing of it is written) and close the connection."""
        if not self._closed:
            self._pending.clear()
            self._closed = True
            self._backend.close()

    def __enter__(self) -> DatabaseSink:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def _write_batch(
    backend: _Backend,
    upserts: dict[str, tuple[str, Callable[[BaseModel], tuple]]],
    batch: list[tuple[Article, list[Record]]],
) -> int:
    """Upsert the articles, delete their stale records, upsert their records. Returns #deleted."""
    sql, row = upserts[ARTICLES]
    backend.executemany(sql, [row(a) for a, _ in batch])
    article_ids = backend.id_list([a.article_id for a, _ in batch])
    by_kind: dict[str, list[Record]] = {t.kind: [] for t in RECORD_TABLES}
    for _, records in batch:
        for record in records:
            by_kind[record.kind].append(record)
    deleted = 0
    for kind, records in by_kind.items():
        table = TABLE_BY_KIND[kind]
        keep = backend.id_list([r.record_id for r in records])
        cursor = backend.execute(
            f"DELETE FROM {quote(table.name)} WHERE {backend.id_set('article_id')} "
            f"AND NOT ({backend.id_set('record_id')})",
            (article_ids, keep),
        )
        deleted += max(cursor.rowcount, 0)
    for kind, records in by_kind.items():
        if records:
            sql, row = upserts[TABLE_BY_KIND[kind].name]
            backend.executemany(sql, [row(r) for r in records])
    return deleted


# --------------------------------------------------------------------------- reading OUT/


def _read_lines(handle) -> Iterator[tuple[int, bytes]]:
    handle.seek(0)
    for number, line in enumerate(handle, 1):
        if line.strip():
            yield number, line


_ARTICLE_ID = re.compile(rb'^\{"record_id":"[0-9a-f]*","article_id":("(?:[^"\\]|\\.)*")')


def _index_records(handle, path: Path) -> dict[str, list[int]]:
    """article_id -> byte offsets of its lines in records.jsonl (any order in the file works)."""
    index: dict[str, list[int]] = {}
    handle.seek(0)
    offset = 0
    for number, line in enumerate(handle, 1):
        if line.strip():
            try:
                m = _ARTICLE_ID.search(line)  # the writer's field order makes this the common case
                article_id = json.loads(m.group(1)) if m else json.loads(line)["article_id"]
            except (ValueError, KeyError, TypeError) as e:
                raise LoadError(f"{path}:{number}: not a record line ({e})") from e
            index.setdefault(article_id, []).append(offset)
        offset += len(line)
    return index


def _check_summary(handle, path: Path) -> None:
    try:
        handle.seek(0)
        version = json.loads(handle.read().decode("utf-8")).get("schema_version")
    except (ValueError, AttributeError) as e:
        raise LoadError(f"{path}: not a summary ({e})") from e
    if version and version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise LoadError(f"{path}: schema_version {version} cannot be loaded by schema {SCHEMA_VERSION}")


def _digest(handle) -> dict:
    handle.seek(0)
    digest, size = hashlib.sha256(), 0
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
        size += len(block)
    return {"bytes": size, "sha256": digest.hexdigest()}


SNAPSHOT_TRIES = 5


class OutputReader:
    """Iterates (article, its records) over OUT/, in articles.jsonl order, validated.

    The files are opened first and then checked against manifest.json (sizes and SHA-256, written
    last by `extract`): the open files are one consistent snapshot even if an `extract` renames new
    ones into place meanwhile (it is tried again a few times). An output without manifest.json (made
    by other means) is read as it is, but must have both JSONL files.

    records.jsonl is indexed first (article_id -> byte offsets), so its order does not matter.
    Records whose article is not in articles.jsonl are counted in `orphans` and not yielded.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.articles_path = self.out_dir / "articles.jsonl"
        self.records_path = self.out_dir / "records.jsonl"
        self.orphans = 0
        self.manifest: dict | None = None
        if not self.articles_path.exists():
            raise UsageError(
                f"{self.articles_path} not found: is {self.out_dir} the output of `python -m pipeline extract`?"
            )
        for attempt in range(SNAPSHOT_TRIES):
            problem = self._open_snapshot()
            if problem is None:
                break
            self.close()
            if attempt + 1 < SNAPSHOT_TRIES:
                time.sleep(0.2 * (attempt + 1))
        else:
            raise LoadError(
                f"{self.out_dir} is incomplete or inconsistent ({problem}): nothing was loaded; run "
                "`extract` into it again to repair it"
            )

    def _open_snapshot(self) -> str | None:
        self._files: dict[str, Any] = {}
        for name in ("manifest.json", "articles.jsonl", "records.jsonl", "errors.jsonl", "summary.json"):
            try:
                self._files[name] = (self.out_dir / name).open("rb")
            except FileNotFoundError:
                pass
            except OSError as e:
                raise LoadError(f"{self.out_dir / name}: cannot read ({e.strerror or e})") from e
        if "manifest.json" not in self._files:
            if "records.jsonl" not in self._files:
                return "records.jsonl is missing"
            if "summary.json" in self._files:
                _check_summary(self._files["summary.json"], self.out_dir / "summary.json")
            return None
        try:
            manifest = json.loads(self._files["manifest.json"].read().decode("utf-8"))
            files = manifest["files"]
        except (ValueError, KeyError, TypeError):
            return "manifest.json is not a manifest of this pipeline"
        for name, expected in files.items():
            handle = self._files.get(name)
            if handle is None:
                return f"{name} is missing"
            found = _digest(handle)
            if found != expected:
                return f"{name} is not the file manifest.json describes ({found['bytes']} bytes, expected {expected['bytes']})"
        _check_summary(self._files["summary.json"], self.out_dir / "summary.json")
        self.manifest = manifest
        return None

    def close(self) -> None:
        for handle in getattr(self, "_files", {}).values():
            handle.close()
        self._files = {}

    def inputs(self) -> dict[str, dict]:
        """The manifest's inputs: name -> {part, extracted_at, articles, ...} (empty without one)."""
        return dict(self.manifest.get("inputs", {})) if self.manifest else {}

    def summary(self) -> dict:
        """summary.json of the snapshot (empty when the output has none)."""
        handle = self._files.get("summary.json")
        if handle is None:
            return {}
        handle.seek(0)
        return json.loads(handle.read().decode("utf-8"))

    def errors(self) -> Iterator[ErrorRecord]:
        """errors.jsonl of the snapshot, validated (nothing when the output has none)."""
        handle = self._files.get("errors.jsonl")
        if handle is None:
            return
        path = self.out_dir / "errors.jsonl"
        for number, line in _read_lines(handle):
            try:
                yield ErrorRecord.model_validate_json(line)
            except ValidationError as e:
                raise LoadError(f"{path}:{number}: invalid error line: {e}") from e

    def __iter__(self) -> Iterator[tuple[Article, list[Record]]]:
        records_file = self._files.get("records.jsonl")
        index = _index_records(records_file, self.records_path) if records_file else {}
        for number, line in _read_lines(self._files["articles.jsonl"]):
            try:
                article = Article.model_validate_json(line)
            except ValidationError as e:
                raise LoadError(f"{self.articles_path}:{number}: invalid article: {e}") from e
            records = []
            for offset in index.pop(article.article_id, ()):
                records_file.seek(offset)
                try:
                    records.append(parse_record(records_file.readline()))
                except ValidationError as e:
                    raise LoadError(f"{self.records_path} at byte {offset}: invalid record: {e}") from e
            yield article, records
        self.orphans = sum(len(v) for v in index.values())
        if self.orphans:
            log.warning(
                "%d records in %s have no article in %s: not loaded",
                self.orphans,
                self.records_path,
                self.articles_path,
            )


def _loaded_inputs(backend: _Backend, names: list[str]) -> dict[str, tuple[str, str, list[str]]]:
    """input -> (part, extracted_at, article ids) as the database holds them."""
    if not names:
        return {}
    rows = backend.execute(
        f"SELECT {quote('input')}, {quote('part')}, {quote('extracted_at')}, {quote('article_ids')} "
        f"FROM {quote(LOADED_INPUTS)} WHERE {backend.id_set('input')}",
        (backend.id_list(names),),
    ).fetchall()
    return {r[0]: (r[1], r[2], json.loads(r[3])) for r in rows}


def _check_not_older(found: dict, inputs: dict[str, dict]) -> None:
    older = [
        (name, found[name][1], entry["extracted_at"])
        for name, entry in inputs.items()
        if name in found and found[name][0] != entry["part"] and found[name][1] > entry["extracted_at"]
    ]
    if older:
        shown = "; ".join(f"{n} (database: {db_at}, this output: {at})" for n, db_at, at in older[:5])
        raise LoadError(
            f"this output is older than what the database holds for {len(older)} input(s): {shown}; "
            "nothing was loaded (pass --allow-older to load it anyway)"
        )


def _replace_inputs(backend: _Backend, inputs: dict[str, dict], found: dict, all_ids: set[str]) -> int:
    """Delete the articles each input gave at its last load and no longer gives (unless another
    input of this output gives them), then record what each input gives now. Returns #deleted."""
    ghosts = sorted(
        {
            article_id
            for name, entry in inputs.items()
            for article_id in (found.get(name, (None, None, []))[2])
            if article_id not in all_ids
        }
    )
    p = backend.param
    backend.begin()
    try:
        if ghosts:
            ids = backend.id_list(ghosts)
            for table in RECORD_TABLES:
                backend.execute(
                    f"DELETE FROM {quote(table.name)} WHERE {backend.id_set('article_id')}", (ids,)
                )
            backend.execute(f"DELETE FROM {quote(ARTICLES)} WHERE {backend.id_set('article_id')}", (ids,))
        names = [quote(c) for c in ("input", "part", "extracted_at", "article_ids")]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[1:])
        backend.executemany(
            f"INSERT INTO {quote(LOADED_INPUTS)} ({', '.join(names)}) VALUES ({', '.join([p] * 4)}) "
            f"ON CONFLICT ({names[0]}) DO UPDATE SET {updates}",
            [
                (name, e["part"], e["extracted_at"], json.dumps(e.get("articles", []), ensure_ascii=False))
                for name, e in inputs.items()
            ],
        )
        backend.commit()
    except BaseException:
        backend.rollback()
        raise
    return len(ghosts)


def default_db_url(out_dir: Path) -> str:
    return f"sqlite:///{Path(out_dir) / DB_FILE}"


def load_output(
    out_dir: Path,
    db_url: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    allow_older: bool = False,
) -> LoadStats:
    """Load OUT/articles.jsonl and OUT/records.jsonl into the database at db_url (default
    OUT/bulletins.db); returns statistics. Raises LoadError (UsageError) with a message."""
    db_url = db_url or default_db_url(out_dir)
    reader = OutputReader(out_dir)
    try:
        return _load(reader, db_url, batch_size, allow_older)
    except LoadError:
        raise
    except (sqlite3.Error, OverflowError) as e:
        raise LoadError(
            f"the database refused the load ({type(e).__name__}: {e}); nothing more was written"
        ) from e
    except Exception as e:
        if type(e).__module__.startswith("psycopg"):
            raise LoadError(
                f"PostgreSQL refused the load ({type(e).__name__}: {str(e).strip()}); "
                "whole articles loaded before it are kept"
            ) from e
        raise
    finally:
        reader.close()


def _load(reader: OutputReader, db_url: str, batch_size: int, allow_older: bool) -> LoadStats:
    inputs = reader.inputs()
    with DatabaseSink(db_url, batch_size) as sink:
        found = _loaded_inputs(sink._backend, list(inputs))
        if not allow_older:
            _check_not_older(found, inputs)
        all_ids: set[str] = set()
        for article, records in reader:
            all_ids.add(article.article_id)
            sink.write(article, records)
        sink.flush()
        if inputs:
            sink.stats.ghosts_deleted = _replace_inputs(sink._backend, inputs, found, all_ids)
    sink.stats.orphans = reader.orphans
    return sink.stats


# --------------------------------------------------------------------------- CLI


def load_command(
    out: Annotated[
        Path,
        typer.Argument(help="The output directory of `extract` (articles.jsonl, records.jsonl)."),
    ] = Path("out"),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="sqlite:///PATH (relative), sqlite:////PATH (absolute) or postgresql://user@host:port/dbname "
            "(default: OUT/bulletins.db).",
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Rows per transaction (whole articles).")
    ] = DEFAULT_BATCH_SIZE,
    allow_older: Annotated[
        bool,
        typer.Option(help="Load even inputs the database holds a newer extraction of (reverts them)."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line on stderr.")] = False,
) -> None:
    """Load OUT into a database (created when missing); running it again is safe: upserts, no duplicates."""
    from pipeline.cli import _masked, mask_url

    db = db or default_db_url(out)
    try:
        stats = load_output(out, db, batch_size, allow_older=allow_older)
    except LoadError as e:
        typer.echo(f"load: {_masked(str(e), db)}", err=True)
        raise typer.Exit(2 if isinstance(e, UsageError) else 1) from None
    if not quiet:
        typer.echo(f"{mask_url(db)}: {stats.describe()}", err=True)


if __name__ == "__main__":
    typer.run(load_command)
