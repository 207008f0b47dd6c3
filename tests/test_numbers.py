"""The number_extractor against its corpus of examples (tests/examples/number.yaml)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.components.numbers import number_mentions, with_default_currency

EXAMPLES = yaml.safe_load((Path(__file__).parent / "examples" / "number.yaml").read_text(encoding="utf-8"))

# The fields an example may key a number by, besides its span: a list [span, value, unit, number_kind,
# qualifier?] or a mapping with `text` and any of these (unstated ones must be null / false).
KEYS = (
    "value",
    "unit",
    "number_kind",
    "qualifier",
    "currency",
    "value_low",
    "value_high",
    "direction",
    "percent_value",
)
DECIMALS = ("value", "value_low", "value_high", "percent_value")


def _exact(value):
    return None if value is None else Decimal(str(value))


def _expected(entry) -> tuple[str, dict]:
    """An example entry as (span, {field: expected}) with exact decimals."""
    if isinstance(entry, dict):
        fields = {k: entry.get(k) for k in KEYS if k in entry}
        fields.setdefault("value", None)
        span = str(entry["text"])
    else:
        span, value, unit, kind, *rest = entry
        fields = {"value": value, "unit": unit, "number_kind": kind, "qualifier": rest[0] if rest else None}
        span = str(span)
    return span, {k: _exact(v) if k in DECIMALS else v for k, v in fields.items()}


def _found(text: str, keys) -> list[tuple]:
    """The numbers with the fields their records get in a Simplified (mainland) article: 元 is CNY."""
    out = []
    for m in number_mentions(text):
        fields = with_default_currency(m.fields)
        out.append((text[m.start : m.end], {k: fields[k] for k in keys}))
    return out


def _check(text: str, entries) -> None:
    expected = [_expected(e) for e in entries]
    found = _found(text, KEYS)
    assert [span for span, _ in found] == [span for span, _ in expected]
    for (span, got), (_, want) in zip(found, expected, strict=True):
        keys = KEYS if want.keys() - {"value", "unit", "number_kind", "qualifier"} else want.keys()
        for key in keys:  # a mapping states every field (unstated: null); a list the first four
            assert got[key] == want.get(key), (span, key)


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:24])
def test_positive(case):
    _check(case["text"], case["numbers"])


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:24])
def test_qualifiers(case):
    by_span = {case["text"][m.start : m.end]: m.fields for m in number_mentions(case["text"])}
    for entry in case["numbers"]:
        span, want = _expected(entry)
        assert by_span[span]["approximate"] is (want.get("qualifier") is not None)


@pytest.mark.parametrize("case", EXAMPLES["negatives"], ids=lambda c: c["text"][:24])
def test_negative(case):
    _check(case["text"], case.get("expect", []))


def test_values_are_exact_decimals():
    (m,) = number_mentions("总投资280.5亿元")
    assert m.fields["value"] == Decimal("28050000000") and isinstance(m.fields["value"], Decimal)


def test_offsets_are_character_offsets():
    text = "成都高新區連續四年名列前茅,共有企業105個。"
    spans = [text[m.start : m.end] for m in number_mentions(text)]
    assert spans == ["四年", "105個"]


def test_extractor_names_say_the_shape():
    names = {m.extractor for m in number_mentions("新增企业12家,投资3.5亿元,带动就业十多万人,得分92.6")}
    assert names == {
        "numbers.arabic_with_unit",
        "numbers.arabic_multiplier_with_unit",
        "numbers.chinese_multiplier_with_unit",
        "numbers.arabic_bare",
    }


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet="零一二两三四五六七八九十百千万亿兆多余几点负分之又个成折元%.,/-+:0123456789 年月日第前kK$萬億",
        max_size=24,
    )
)
def test_never_raises_and_spans_are_in_the_text(text):
    for m in number_mentions(text):
        assert 0 <= m.start < m.end <= len(text)
        assert not text[m.start : m.end].startswith((" ", "\t"))
