"""pipeline.resolve.dates: date expression + explicit reference date -> ISO value (pure)."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

import pipeline.resolve.dates as dates
from pipeline.resolve.dates import DateExpression, resolve

REF = date(2020, 1, 14)


@pytest.mark.parametrize(
    ("expr", "value", "granularity", "relative"),
    [
        (DateExpression("year", year="2019"), "2019", "year", False),
        (DateExpression("year_month", year="2018", month="11"), "2018-11", "month", False),
        (DateExpression("year_month_day", year="2020", month="十一", day="5"), "2020-11-05", "day", False),
        (DateExpression("year_range", year="2017", year2="2019"), "2017/2019", "range", False),
        (DateExpression("year_part", year="2022", part="下半年"), "2022", "half", False),
        (DateExpression("year_part", year="2019", part="前三季度"), "2019", "quarter", False),
        (DateExpression("month", month="十"), "2020-10", "month", True),
        (DateExpression("month_day", month="8", day="24"), "2020-08-24", "day", True),
        (DateExpression("relative", word="上月"), "2019-12", "month", True),
        (DateExpression("relative", word="次月"), "2020-02", "month", True),
        (DateExpression("relative", word="昨日"), "2020-01-13", "day", True),
        (DateExpression("relative", word="今年以来"), "2020-01-01/2020-01-14", "range", True),
        (DateExpression("relative", word="近年来"), None, "period", True),
        (DateExpression("relative_year_month", month="8", word="去年"), "2019-08", "month", True),
        (
            DateExpression("relative_year_month_day", month="3", day="1", word="明年"),
            "2021-03-01",
            "day",
            True,
        ),
        (DateExpression("relative_year_part", part="一季度", word="今年"), "2020", "quarter", True),
    ],
)
def test_resolve(expr, value, granularity, relative):
    out = resolve(expr, REF)
    assert (out.value, out.granularity, out.relative) == (value, granularity, relative)


def test_no_reference_no_value():
    assert resolve(DateExpression("month_day", month="8", day="24"), None).value is None
    assert resolve(DateExpression("relative", word="去年"), None).resolved is False


def test_relative_year_without_reference_stays_null():
    out = resolve(DateExpression("relative_year_month", month="8", word="去年"), None)
    assert (out.value, out.relative, out.resolved) == (None, True, False)


def test_impossible_dates_raise():
    with pytest.raises(ValueError):
        resolve(DateExpression("year_month_day", year="2021", month="2", day="30"), None)


def test_doctests():
    assert doctest.testmod(dates).failed == 0
