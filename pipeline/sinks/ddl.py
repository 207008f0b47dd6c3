"""SQL tables generated from the Pydantic models in pipeline/records.py.

One table per model: `articles`, and one per record kind named by its plural (`organizations`,
`numbers`, `dates`, `rankings`, `persons`, `locations`). Columns come from walking `model_fields`
and mapping each annotation to a column type; the `kind` discriminator is dropped (the table says
it). The `dates` table adds `first_day` / `last_day`, derived from `value`, for range queries; the
`numbers` table the same two, derived from `period_value` (the days the number's period covers).

`render_ddl(dialect)` is the text committed in schemas/sqlite.sql and schemas/postgresql.sql;
the loader executes exactly that text, and a test fails when the committed files drift.
Regenerate with `python -m pipeline.sinks.ddl schemas` (or `make sql-schemas`).
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import json
import re
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel

from pipeline.records import RECORD_KINDS, SCHEMA_VERSION, Article, DateRecord, NumberRecord, Record

Dialect = Literal["sqlite", "postgresql"]
DIALECTS: tuple[Dialect, ...] = ("sqlite", "postgresql")

# Logical column types, and how each dialect spells them. SQLite keeps DATE as ISO text and a
# list as a JSON array (text); PostgreSQL has native types for both. An exact decimal is NUMERIC in
# PostgreSQL (every digit kept); SQLite stores it as INTEGER when it is a 64-bit integer, as REAL when
# the double prints back as the same decimal (10000.233), else as TEXT holding the exact decimal
# ('9223372036854775808', '0.1000000000000000055511151231257827'); see pipeline/sinks/database.py.
ColumnType = Literal["text", "integer", "numeric", "boolean", "date", "text_list"]
SQL_TYPES: dict[Dialect, dict[ColumnType, str]] = {
    "sqlite": {
        "text": "TEXT",
        "integer": "INTEGER",
        # no declared type: a column without affinity keeps what it is given (NUMERIC affinity would turn
        # the text of a decimal a double cannot hold into a rounded REAL)
        "numeric": "",
        "boolean": "BOOLEAN",
        "date": "DATE",
        "text_list": "TEXT",
    },
    "postgresql": {
        "text": "TEXT",
        "integer": "INTEGER",
        "numeric": "NUMERIC",
        "boolean": "BOOLEAN",
        "date": "DATE",
        "text_list": "TEXT[]",
    },
}

ARTICLES = "articles"
SCHEMA_INFO = "schema_info"
# Which articles each input file gave when it was last loaded (the loader's bookkeeping, not a model).
LOADED_INPUTS = "loaded_inputs"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    nullable: bool
    description: str | None = None
    choices: tuple[str, ...] | None = None  # enum values: a CHECK (... IN (...))
    minimum: int | None = None  # Field(ge=...): a CHECK (... >= ...)


@dataclass(frozen=True)
class DerivedColumn:
    """A column computed from the record, not a field of the model."""

    column: Column
    compute: Callable[[BaseModel], Any]


@dataclass(frozen=True)
class Table:
    name: str
    model: type[BaseModel]
    key: str
    columns: tuple[Column, ...]  # model fields first, then derived columns
    derived: tuple[DerivedColumn, ...] = ()
    kind: str | None = None  # the record kind; None for articles

    @property
    def field_columns(self) -> tuple[Column, ...]:
        return self.columns[: len(self.columns) - len(self.derived)]


# --------------------------------------------------------------------------- date bounds

_DATE_PART = re.compile(r"^(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q([1-4])|H([12])))?$")


def _part_bounds(part: str) -> tuple[date, date] | None:
    m = _DATE_PART.match(part)
    if not m:
        return None
    year = int(m.group(1))
    month, day, quarter, half = m.group(2), m.group(3), m.group(4), m.group(5)
    try:
        if day:
            d = date(year, int(month), int(day))
            return d, d
        if month:
            mo = int(month)
            return date(year, mo, 1), date(year, mo, calendar.monthrange(year, mo)[1])
        if quarter or half:
            first_month = (int(quarter) - 1) * 3 + 1 if quarter else (int(half) - 1) * 6 + 1
            last_month = first_month + (2 if quarter else 5)
            return (
                date(year, first_month, 1),
                date(year, last_month, calendar.monthrange(year, last_month)[1]),
            )
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # month 13, February 30th ...
        return None


@functools.lru_cache(maxsize=4096)
def date_bounds(value: str | None) -> tuple[date | None, date | None]:
    """First and last calendar day covered by a DateRecord value (pure).

    '2019' -> 2019-01-01..2019-12-31; '2018-11' -> the month; '2013-09-10' -> that day;
    '2019-Q1' / '2019-H2' -> the quarter / half; 'A/B' -> first day of A .. last day of B;
    null, or a value of another shape -> (None, None).
    """
    if not value:
        return None, None
    parts = value.split("/")
    if len(parts) > 2:
        return None, None
    bounds = [_part_bounds(p.strip()) for p in parts]
    if any(b is None for b in bounds):
        return None, None
    first, last = bounds[0][0], bounds[-1][1]
    if last < first:
        return None, None
    return first, last


def _first_day(record: BaseModel) -> date | None:
    return date_bounds(record.value)[0]


def _last_day(record: BaseModel) -> date | None:
    return date_bounds(record.value)[1]


def _period_first_day(record: BaseModel) -> date | None:
    return date_bounds(record.period_value)[0]


def _period_last_day(record: BaseModel) -> date | None:
    return date_bounds(record.period_value)[1]


DERIVED: dict[type[BaseModel], tuple[DerivedColumn, ...]] = {
    NumberRecord: (
        DerivedColumn(
            Column("first_day", "date", True, "Derived: first calendar day of the period (period_value)."),
            _period_first_day,
        ),
        DerivedColumn(
            Column("last_day", "date", True, "Derived: last calendar day of the period (period_value)."),
            _period_last_day,
        ),
    ),
    DateRecord: (
        DerivedColumn(
            Column("first_day", "date", True, "Derived: first calendar day covered by value."),
            _first_day,
        ),
        DerivedColumn(
            Column("last_day", "date", True, "Derived: last calendar day covered by value."),
            _last_day,
        ),
    ),
}


# --------------------------------------------------------------------------- model walk


def _union_args(annotation: Any) -> tuple[Any, ...]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return typing.get_args(annotation)
    return (annotation,)


def _unannotated(annotation: Any) -> Any:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


def _column_type(name: str, annotation: Any) -> tuple[ColumnType, tuple[str, ...] | None]:
    args = tuple(_unannotated(a) for a in _union_args(annotation) if a is not type(None))
    if all(isinstance(a, type) and issubclass(a, (int, float, Decimal)) and a is not bool for a in args):
        if all(a is int for a in args):
            return "integer", None
        return "numeric", None
    if len(args) != 1:
        raise TypeError(f"{name}: no SQL column type for {annotation!r}")
    (tp,) = args
    if tp is bool:
        return "boolean", None
    if tp is str:
        return "text", None
    if tp is date:
        return "date", None
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "text", tuple(str(m.value) for m in tp)
    if typing.get_origin(tp) is Literal:
        return "text", tuple(str(v) for v in typing.get_args(tp))
    if typing.get_origin(tp) is list and typing.get_args(tp) == (str,):
        return "text_list", None
    raise TypeError(f"{name}: no SQL column type for {annotation!r}; add one to pipeline/sinks/ddl.py")


def _columns(model: type[BaseModel], skip: tuple[str, ...] = ()) -> tuple[Column, ...]:
    columns = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        ctype, choices = _column_type(name, info.annotation)
        nullable = type(None) in _union_args(info.annotation)
        minimum = next((m.ge for m in info.metadata if isinstance(m, annotated_types.Ge)), None)
        columns.append(Column(name, ctype, nullable, info.description, choices, minimum))
    return tuple(columns)


def plural(kind: str) -> str:
    """The table of a record kind: its plural (every current kind takes a plain -s)."""
    return f"{kind}s"


def _record_models() -> dict[str, type[BaseModel]]:
    (union, *_) = typing.get_args(Record)  # Annotated[Union[...], Field(discriminator="kind")]
    models = {m.model_fields["kind"].default: m for m in typing.get_args(union)}
    return {kind: models[kind] for kind in RECORD_KINDS}


def build_tables() -> tuple[Table, ...]:
    tables = [Table(ARTICLES, Article, "article_id", _columns(Article))]
    for kind, model in _record_models().items():
        derived = DERIVED.get(model, ())
        columns = _columns(model, skip=("kind",)) + tuple(d.column for d in derived)
        tables.append(Table(plural(kind), model, "record_id", columns, derived, kind))
    return tuple(tables)


TABLES: tuple[Table, ...] = build_tables()
TABLE_BY_KIND: dict[str, Table] = {t.kind: t for t in TABLES if t.kind}
RECORD_TABLES: tuple[Table, ...] = tuple(t for t in TABLES if t.kind)


def structure_hash() -> str:
    """A hash of the table structure (names, types, nullability; not comments).

    Stored in `schema_info`; the loader refuses a database created with another structure.
    """
    shape = [
        [t.name, t.key, [[c.name, c.type, c.nullable, c.choices, c.minimum] for c in t.columns]]
        for t in TABLES
    ]
    return hashlib.sha256(json.dumps([SCHEMA_VERSION, shape]).encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- rendering


def quote(name: str) -> str:
    """Quote an identifier: `end` is a reserved word in both dialects."""
    return '"' + name.replace('"', '""') + '"'


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _column_sql(table: Table, column: Column, dialect: Dialect) -> str:
    q = quote(column.name)
    parts = [q, SQL_TYPES[dialect][column.type]] if SQL_TYPES[dialect][column.type] else [q]
    if not column.nullable:
        parts.append("NOT NULL")
    if column.name == table.key:
        parts.append("PRIMARY KEY")
    if table.kind and column.name == "article_id":
        parts.append(f"REFERENCES {quote(ARTICLES)} ({quote('article_id')}) ON DELETE CASCADE")
    if column.choices:
        parts.append(f"CHECK ({q} IN ({', '.join(_sql_literal(c) for c in column.choices)}))")
    if column.minimum is not None:
        parts.append(f"CHECK ({q} >= {column.minimum})")
    if dialect == "sqlite":  # SQLite does not enforce declared types: check what matters
        if column.type == "boolean":
            parts.append(f"CHECK ({q} IN (0, 1))")
        elif column.type == "date":
            parts.append(f"CHECK ({q} = date({q}))")
        elif column.type == "text_list":
            parts.append(f"CHECK (json_valid({q}))")
        elif column.type == "numeric":  # a number, or the text of an exact decimal
            parts.append(
                f"CHECK (typeof({q}) IN ('integer', 'real', 'null') OR "
                f"(typeof({q}) = 'text' AND {q} GLOB '*[0-9]*' AND {q} NOT GLOB '*[^0-9.-]*'))"
            )
    return " ".join(parts)


def _comment(text: str | None) -> str:
    return f"  -- {' '.join(text.split())}" if text else ""


def _table_sql(table: Table, dialect: Dialect) -> str:
    lines = [f"CREATE TABLE IF NOT EXISTS {quote(table.name)} ("]
    for i, column in enumerate(table.columns):
        comma = "," if i < len(table.columns) - 1 else ""
        lines.append(f"  {_column_sql(table, column, dialect)}{comma}{_comment(column.description)}")
    lines.append(");")
    if table.kind:
        lines.append(
            f"CREATE INDEX IF NOT EXISTS {quote(f'ix_{table.name}_article_id')}"
            f" ON {quote(table.name)} ({quote('article_id')});"
        )
    if table.derived:
        cols = ", ".join(quote(d.column.name) for d in table.derived)
        lines.append(
            f"CREATE INDEX IF NOT EXISTS {quote(f'ix_{table.name}_range')} ON {quote(table.name)} ({cols});"
        )
    return "\n".join(lines)


def render_ddl(dialect: Dialect) -> str:
    """The whole schema for one dialect: deterministic, idempotent (IF NOT EXISTS)."""
    title = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[dialect]
    header = [
        f"-- {title} schema for the pipeline's output (schema_version {SCHEMA_VERSION}).",
        "-- GENERATED from pipeline/records.py by pipeline/sinks/ddl.py: do not edit.",
        "-- Regenerate with `python -m pipeline.sinks.ddl schemas`; a test fails when this file drifts.",
        "-- Load with `python -m pipeline load OUT --db URL` (creates these tables when missing).",
        "",
        f"CREATE TABLE IF NOT EXISTS {quote(SCHEMA_INFO)} (",
        f"  {quote('key')} TEXT NOT NULL PRIMARY KEY,  -- schema_version, structure_hash",
        f"  {quote('value')} TEXT NOT NULL",
        ");",
        "",
        "-- The loader's bookkeeping: per input file, its last loaded extraction and the article ids it gave.",
        f"CREATE TABLE IF NOT EXISTS {quote(LOADED_INPUTS)} (",
        f"  {quote('input')} TEXT NOT NULL PRIMARY KEY,  -- the input's name (relative to the run's root)",
        f"  {quote('part')} TEXT NOT NULL,  -- the extraction's key (input bytes + pipeline fingerprint)",
        f"  {quote('extracted_at')} TEXT NOT NULL,  -- when it was extracted (ISO 8601, UTC)",
        f"  {quote('article_ids')} TEXT NOT NULL  -- JSON array",
        ");",
    ]
    body = [_table_sql(t, dialect) for t in TABLES]
    return "\n".join(header) + "\n\n" + "\n\n".join(body) + "\n"


def ddl_path(schemas_dir: Path, dialect: Dialect) -> Path:
    return schemas_dir / f"{dialect}.sql"


def write_ddl(schemas_dir: Path) -> list[Path]:
    """Write schemas/sqlite.sql and schemas/postgresql.sql; returns the paths written."""
    schemas_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for dialect in DIALECTS:
        path = ddl_path(schemas_dir, dialect)
        path.write_text(render_ddl(dialect), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_ddl(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(written)
