"""The output contract: Pydantic models for every line the pipeline writes.

These models are the single source of truth. `schemas/*.json` is generated from them
(`make schemas`) and a test fails when the committed files drift.
"""

from __future__ import annotations

import hashlib
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

SCHEMA_VERSION = "1.1"  # 1.1: number facts (metric, subject, period, period_value)


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


class NumberRecord(_RecordBase):
    kind: Literal["number"] = "number"
    value: float | int = Field(description="The value with multipliers applied: 280.5亿元 -> 28050000000.")
    unit: str | None = Field(
        description="Unit or measure word without multiplier: 元, %, 家, 平方米; null if bare."
    )
    number_kind: NumberKind
    approximate: bool = Field(default=False, description="True for 余, 多, 近, 约, 左右, 以上, 超过 ...")
    qualifier: str | None = Field(
        default=None, description="The approximation word itself, when there is one."
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
