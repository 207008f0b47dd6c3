"""pipeline.resolve.numerals: Chinese, Arabic and mixed numerals -> values (pure)."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pipeline.resolve.numerals as numerals
from pipeline.resolve.numerals import fold, parse_numeral, to_json_number

CASES = {
    "280.5亿": 28050000000,
    "7.15亿": 715000000,
    "31.75万": 317500,
    "十多万": 100000,
    "4,565": 4565,
    "三十六": 36,
    "两": 2,
    "两千四百五": 2450,
    "九万四": 94000,
    "一千陆": 1600,
    "五亿零六": 500000006,
    "七十八万五佰零六": 780506,
    "一百零十万": 1100000,
    "一万零十二": 10012,
    "四万万": 400000000,
    "四万亿": 4000000000000,
    "五兆六十二亿四万五千二": 5006200045200,
    "四億五千六百四十二萬零壹十五": 456420015,
    "肆佰陸拾": 460,
    "5亿1万4千6百": 500014600,
    "3万4000": 34000,
    "1,100.9亿": 110090000000,
    "负四百零五亿零四百零四万": -40504040000,
    "五百余万": 5000000,
    "一千五百零几万": 15000000,
    "二点五": 2.5,
    "两千万点五五四四": 20000000.5544,
    "二〇一九": 2019,
    "千亿": 100000000000,
    "１，１２３": 1123,
}


@pytest.mark.parametrize(("text", "value"), CASES.items())
def test_values(text, value):
    assert to_json_number(parse_numeral(text).value) == value


@pytest.mark.parametrize("text", ["十多万", "五百余万", "一千五百零几万"])
def test_fillers_make_it_approximate(text):
    assert parse_numeral(text).approximate


@pytest.mark.parametrize("text", ["", "万a", "abc", "两x"])
def test_not_numerals_raise(text):
    with pytest.raises(ValueError):
        parse_numeral(text)


def test_to_json_number_types():
    assert isinstance(to_json_number(Decimal("2.0")), int)
    assert isinstance(to_json_number(Decimal("2.5")), float)


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_round_trip(n):
    assert to_json_number(parse_numeral(f"{n:,}").value) == n


@given(st.text(alphabet="萬億兩貳陸點個０１２３４５６７８９．，％", max_size=20))
def test_fold_keeps_length(text):
    assert len(fold(text)) == len(text)


def test_doctests():
    assert doctest.testmod(numerals).failed == 0
