"""The date_extractor against its corpus of examples (tests/examples/date.yaml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.components.dates import date_mentions

EXAMPLES = yaml.safe_load((Path(__file__).parent / "examples" / "date.yaml").read_text(encoding="utf-8"))
REFERENCE = EXAMPLES["reference"]


def _reference(case) -> date | None:
    return case["reference"] if "reference" in case else REFERENCE


def _found(text: str, reference) -> list[tuple]:
    out = []
    for m in date_mentions(text, reference):
        f = m.fields
        out.append((text[m.start : m.end], f["value"], f["granularity"], f["relative"]))
    return out


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:24])
def test_positive(case):
    expected = [(str(d[0]), *d[1:]) for d in case["dates"]]
    assert _found(case["text"], _reference(case)) == expected


@pytest.mark.parametrize("case", EXAMPLES["negatives"], ids=lambda c: c["text"][:24])
def test_negative(case):
    assert _found(case["text"], REFERENCE) == [], case["reason"]


def test_relative_dates_stay_null_without_a_reference():
    for m in date_mentions("去年,上月,今年以来,目前", None):
        assert m.fields["value"] is None
        assert m.fields["relative"] is True and m.fields["resolved"] is False


def test_resolved_flag_follows_the_reference():
    (m,) = date_mentions("去年", date(2020, 1, 14))
    assert m.fields == {"value": "2019", "granularity": "year", "relative": True, "resolved": True}


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="〇零一二三四五六七八九十0123456789年月日号度底初末上下半季前第-/.至到今去近个 ", max_size=24
    )
)
def test_never_raises(text):
    for m in date_mentions(text, date(2020, 2, 29)):
        assert 0 <= m.start < m.end <= len(text)
