"""The output contract: Pydantic models for every line the pipeline writes.

These models are the single source of truth. `schemas/*.json` is generated from them
(`make schemas`) and a test fails when the committed files drift.
"""

from __future__ import annotations

import hashlib
import json
import re
import typing
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)

# 2.0: number values are exact decimals; numbers gain value_low / value_high (ranges), direction,
# currency and percent_value, and number facts: metric, subject, period, period_value (FACTS.md).
# A database made for 1.x is refused by the loader (pipeline/sinks/database.py).
SCHEMA_VERSION = "2.0"


def decimal_text(value: Decimal) -> str:
    """The exact decimal as plain JSON number text, no exponent: 3E+8 -> 300000000, 1.50 -> 1.5."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value, "f").rstrip("0")


def _json_decimal(value: Decimal) -> int | float | str:
    """JSON mode: an int when integral, a float when the float prints as the same decimal (10000.233),
    else the exact decimal as a string, which `model_json` writes as a bare JSON number."""
    if value == value.to_integral_value():
        return int(value)
    text = decimal_text(value)
    double = float(value)
    return double if repr(double) == text else text


# An exact decimal: a Python Decimal, written to JSON as a number with every digit (model_json below),
# described as a number in the JSON Schema.
ExactDecimal = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    PlainSerializer(_json_decimal, return_type=int | float | str, when_used="json"),
    WithJsonSchema({"type": "number"}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- articles


class Article(_Strict):
    """One article, as split from its input and repaired. All record offsets refer to `text`."""

    article_id: str = Field(
        description="`<file>#<n>` for pages and files (<file>: the path relative to the run's root), the `id` "
        "field for JSONL lines; an id an earlier article holds gets `~<hash of source and text>`."
    )
    source: str = Field(
        description="Where the article came from: the JSONL line's `source` when given, else the input file "
        "relative to the input root."
    )
    title: str | None = Field(default=None, description="The headline, when the input has one.")
    kicker: str | None = Field(default=None, description="A line printed above the headline (引题), if any.")
    byline: list[str] = Field(
        default_factory=list, description="Names after 记者 / 通讯员 / 摄影 / 实习生, in order."
    )
    section: str | None = Field(default=None, description="Page section heading such as 科技资讯.")
    publish_date: date | None = Field(default=None, description="Publication date, when known.")
    text: str = Field(description="The repaired article text that every record offset refers to.")


# --------------------------------------------------------------------------- records


class OrgType(StrEnum):
    company = "company"
    government = "government"
    research = "research"
    education = "education"
    park = "park"
    association = "association"
    media = "media"
    other = "other"


class NumberKind(StrEnum):
    money = "money"
    percent = "percent"
    count = "count"
    measure = "measure"
    duration = "duration"
    other = "other"


class DateGranularity(StrEnum):
    year = "year"
    half = "half"
    quarter = "quarter"
    month = "month"
    day = "day"
    range = "range"
    period = "period"  # a span with no single calendar value: 近年来, “十三五”期间


RecordKind = Literal["organization", "number", "date", "ranking", "person", "location"]
RECORD_KINDS: tuple[str, ...] = ("organization", "number", "date", "ranking", "person", "location")


def make_record_id(article_id: str, kind: str, start: int, end: int) -> str:
    """Deterministic id: the same article, kind and span always give the same id."""
    key = f"{article_id}\x1f{kind}\x1f{start}\x1f{end}".encode()
    return hashlib.sha1(key).hexdigest()[:16]


class _RecordBase(_Strict):
    record_id: str = Field(description="Deterministic: sha1(article_id, kind, start, end)[:16].")
    article_id: str
    text: str = Field(description="The span as it appears: always article.text[start:end].")
    start: int = Field(ge=0, description="Character offset of the span in the article text.")
    end: int = Field(ge=0, description="End offset (exclusive).")
    sentence_index: int = Field(ge=0, description="0-based index of the sentence holding `start`.")
    extractor: str = Field(description="`<stage>.<rule>` that produced the record.")

    @model_validator(mode="after")
    def _span_is_ordered(self):
        if self.end <= self.start:
            raise ValueError(f"empty or reversed span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError("text length does not match the span")
        return self


class OrganizationRecord(_RecordBase):
    kind: Literal["organization"] = "organization"
    name: str = Field(
        description="Normalised name (the span, or its expansion when the article makes one explicit)."
    )
    org_type: OrgType


class Direction(StrEnum):
    up = "up"
    down = "down"


class NumberRecord(_RecordBase):
    kind: Literal["number"] = "number"
    value: ExactDecimal | None = Field(
        description="The value with multipliers applied, exact: 280.5亿元 -> 28050000000; a negative stays "
        "negative (增长-3.2% -> -3.2). Null for a range (3至5亿元): its bounds are value_low / value_high."
    )
    unit: str | None = Field(
        description="Unit or measure word without multiplier: 元, %, 家, 平方米; null if bare."
    )
    number_kind: NumberKind
    approximate: bool = Field(default=False, description="True for 余, 多, 近, 约, 左右, 以上, 超过 ...")
    qualifier: str | None = Field(
        default=None, description="The approximation word itself, when there is one."
    )
    value_low: ExactDecimal | None = Field(
        default=None,
        description="A range's low bound, multiplier and unit shared: 3至5亿元 -> 300000000 (null if no range).",
    )
    value_high: ExactDecimal | None = Field(
        default=None, description="A range's high bound: 3至5亿元 -> 500000000 (null if no range)."
    )
    direction: Direction | None = Field(
        default=None,
        description="A change stated by the word before it: up (增长, 提高, 上升 ...), down (下降, 减少 ...); "
        "null when none (增至 and 降至 state a level, not a change).",
    )
    currency: str | None = Field(
        default=None,
        description="ISO 4217 code of an amount of money (CNY, HKD, TWD, USD, EUR, JPY ...): from the unit "
        "(美元) or the currency word before the number (港币20亿元); 元 alone is CNY, except in an article "
        "written in Traditional characters (Hong Kong, Macao, Taiwan), where it stays null.",
    )
    percent_value: ExactDecimal | None = Field(
        default=None,
        description="A share or rate in percent, whatever its surface unit: 3.24% -> 3.24, 九成 -> 90, "
        "2折 -> 20, 75折 -> 75, 千分之二点四 -> 0.24, 三分之一 -> 33.33...; 个百分点 in percentage points.",
    )

    metric: str | None = Field(
        default=None,
        description="What the number measures or counts, as written (工业总产值, 高新技术企业); null when "
        "the text names nothing (FACTS.md).",
    )
    subject: str | None = Field(
        default=None,
        description="Whose metric it is: the holder as the article names it (园区 resolved to its name), "
        "else as written (我市); null when about no identifiable entity.",
    )
    period: str | None = Field(
        default=None, description="The time the number refers to, as written (今年以来, 2017年, 截至目前)."
    )
    period_value: str | None = Field(
        default=None,
        description="The period's resolved value as a date record has it ('2017', '2021-01/2021-10'); null "
        "when it has none.",
    )

    @model_validator(mode="after")
    def _range_is_whole(self):
        if (self.value_low is None) != (self.value_high is None):
            raise ValueError("a range has both value_low and value_high")
        if self.value_low is not None and self.value is not None:
            raise ValueError("a range has value null (its bounds are value_low and value_high)")
        if self.value is None and self.value_low is None:
            raise ValueError("a number has a value or a range")
        return self


class DateRecord(_RecordBase):
    kind: Literal["date"] = "date"
    value: str | None = Field(
        description="ISO prefix ('2019', '2018-11', '2013-09-10'), range 'A/B'; null when relative and unresolved."
    )
    granularity: DateGranularity
    relative: bool = Field(description="True for 近日, 今年, 去年 ... (resolved against publish_date).")
    resolved: bool = Field(description="True when a relative expression was resolved against publish_date.")


class RankingRecord(_RecordBase):
    kind: Literal["ranking"] = "ranking"
    rank: int = Field(ge=1, description="The position; for a bound (跻身前十) the bound itself.")
    rank_is_bound: bool = Field(default=False, description="True for 前十 / 十强: rank is an upper bound.")
    total: int | None = Field(default=None, ge=1, description="Size of the ranked field when stated.")
    subject: str | None = Field(default=None, description="Who holds the rank.")
    scope: str | None = Field(default=None, description="The list the rank is in: 全省高新区综合排名.")
    period: str | None = Field(default=None, description="The period, as written: 2019年度.")
    change: int | None = Field(
        default=None, description="Signed change in places: 前进16位 -> 16, 下降3位 -> -3."
    )


class PersonRecord(_RecordBase):
    kind: Literal["person"] = "person"
    name: str


class LocationRecord(_RecordBase):
    kind: Literal["location"] = "location"
    name: str


Record = Annotated[
    OrganizationRecord | NumberRecord | DateRecord | RankingRecord | PersonRecord | LocationRecord,
    Field(discriminator="kind"),
]
RECORD_ADAPTER: TypeAdapter[Record] = TypeAdapter(Record)


def _holds_decimal(annotation) -> bool:
    if annotation is Decimal:
        return True
    return any(_holds_decimal(a) for a in typing.get_args(annotation))


def _decimal_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(name for name, info in model.model_fields.items() if _holds_decimal(info.annotation))


_DECIMAL_FIELDS: dict[type[BaseModel], re.Pattern | None] = {}


def model_json(model: BaseModel) -> str:
    """The model as one line of JSON, its exact decimals written as JSON numbers with every digit.

    A decimal a float cannot print exactly is serialised as a string by pydantic
    ("value":"0.10000000000000000555"); the string is turned into the bare number here. Sound on JSON text: a quote inside a string is always escaped, so `,"value":"` or
    `{"value":"` only ever occurs where a key starts.

    >>> model_json(TypeAdapter(Record).validate_python(dict(record_id="r", article_id="a", text="1.50元",
    ...     start=0, end=5, sentence_index=0, extractor="x", kind="number", value=Decimal("1.50"),
    ...     unit="元", number_kind="money")))[:60]
    '{"record_id":"r","article_id":"a","text":"1.50元","start":0,"'
    """
    cls = type(model)
    if cls not in _DECIMAL_FIELDS:
        names = _decimal_fields(cls)
        _DECIMAL_FIELDS[cls] = (
            re.compile(r'([{,]"(?:' + "|".join(map(re.escape, names)) + r')"):"(-?\d+(?:\.\d+)?)"')
            if names
            else None
        )
    text = model.model_dump_json()
    pattern = _DECIMAL_FIELDS[cls]
    return pattern.sub(r"\1:\2", text) if pattern is not None else text


# A JSON number with a fraction and more digits than a double holds: parsed as a Decimal, not a float.
_LONG_FRACTION = re.compile(rb"[:,\[]-?(?=[\d.]{16})\d+\.\d")


def parse_record(line: str | bytes) -> Record:
    """One records.jsonl line as its record, exact decimals read exactly (raises ValidationError)."""
    raw = line.encode() if isinstance(line, str) else line
    if _LONG_FRACTION.search(raw):
        try:
            data = json.loads(raw, parse_float=Decimal)
        except ValueError:
            return RECORD_ADAPTER.validate_json(raw)  # the adapter says what is wrong with the line
        return RECORD_ADAPTER.validate_python(data)
    return RECORD_ADAPTER.validate_json(raw)


# --------------------------------------------------------------------------- errors and summary


class ErrorRecord(_Strict):
    """One input or article that could not be processed."""

    source: str
    article_id: str | None = None
    error: str = Field(description="A stable class name: DecodeError, EmptyInput, InvalidJSON, ...")
    message: str


class Summary(_Strict):
    schema_version: str = SCHEMA_VERSION
    inputs: int
    articles: int
    records: int
    errors: int
    counts: dict[str, int] = Field(description="Records per kind.")
    seconds: float
    versions: dict[str, str] = Field(
        description="Versions of the pipeline, its libraries, models and dictionaries."
    )
    skipped: dict[str, str] = Field(
        default_factory=dict,
        description="Files in the input folders that were not read, with the reason (unsupported type, "
        "README, an output folder of this tool).",
    )
