"""The number_extractor against its corpus of examples (tests/examples/number.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.components.numbers import number_mentions

EXAMPLES = yaml.safe_load((Path(__file__).parent / "examples" / "number.yaml").read_text(encoding="utf-8"))


def _found(text: str) -> list[tuple]:
    out = []
    for m in number_mentions(text):
        f = m.fields
        out.append((text[m.start : m.end], f["value"], f["unit"], f["number_kind"]))
    return out


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:24])
def test_positive(case):
    expected = [(str(n[0]), *n[1:4]) for n in case["numbers"]]
    assert _found(case["text"]) == expected


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:24])
def test_qualifiers(case):
    by_span = {case["text"][m.start : m.end]: m.fields for m in number_mentions(case["text"])}
    for n in case["numbers"]:
        qualifier = n[4] if len(n) > 4 else None
        fields = by_span[str(n[0])]
        assert fields["qualifier"] == qualifier
        assert fields["approximate"] is (qualifier is not None)


@pytest.mark.parametrize("case", EXAMPLES["negatives"], ids=lambda c: c["text"][:24])
def test_negative(case):
    expected = [(str(n[0]), *n[1:4]) for n in case.get("expect", [])]
    assert _found(case["text"]) == expected, case["reason"]


def test_values_are_json_ints_when_integral():
    (m,) = number_mentions("总投资280.5亿元")
    assert m.fields["value"] == 28050000000 and isinstance(m.fields["value"], int)


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
