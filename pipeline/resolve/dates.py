"""Date expressions -> ISO values (pure: the reference date is an argument, the clock is never read).

    >>> resolve(DateExpression("year_month", year="2018", month="11"), None).value
    '2018-11'
    >>> resolve(DateExpression("relative", word="去年"), date(2020, 1, 14)).value
    '2019'
    >>> resolve(DateExpression("relative", word="去年"), None).value is None
    True

Month and day forms with no year (8月24日, 1-10月, 三季度) are resolved against the reference
year when there is one (relative: true, resolved: true), else their value is null; so are those
whose year is a relative word (去年8月 -> the month 8 of the reference year minus one).
A part of a month (6月底, 3月上旬) stays in the span and resolves to the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from pipeline.resolve import load_resource
from pipeline.resolve.numerals import parse_numeral


@dataclass(frozen=True)
class DateExpression:
    """What a date pattern matched: its shape and the pieces as written (strings)."""

    shape: str  # a pattern name from dates.yaml, or "relative" for a relative word
    year: str | None = None
    month: str | None = None
    day: str | None = None
    year2: str | None = None
    month2: str | None = None
    day2: str | None = None
    part: str | None = None
    word: str | None = None
    era: str | None = None  # a reign era (reign_eras.yaml) the year counts from: 康熙 in 康熙三年


@dataclass(frozen=True)
class DateValue:
    value: str | None
    granularity: str
    relative: bool
    resolved: bool


@cache
def _data() -> dict:
    return load_resource("dates.yaml")


def _int(text: str | None) -> int | None:
    """A written month or day: 8, 十二, 正 (the first lunar month), 初一 (a lunar day, as written)."""
    if text is None:
        return None
    if text == "正":
        return 1
    return int(parse_numeral(text.strip().removeprefix("初")).value)


@cache
def _eras() -> dict[str, int]:
    return load_resource("reign_eras.yaml")["eras"]


def reign_year(era: str, year: str) -> int:
    """The Gregorian year of year `year` of a reign era: its start year + n - 1 (元年 is the first).

    >>> reign_year("康熙", "三"), reign_year("神龙", "元"), reign_year("民国", "三十八")
    (1664, 705, 1949)
    """
    n = 1 if year == "元" else int(parse_numeral(year).value)
    if n < 1:
        raise ValueError(f"no year {year!r} of {era}")
    return _eras()[era] + n - 1


def _year(text: str | None) -> int | None:
    """A written year: 2019, 二〇一九; a two-digit one (dates.yaml YEAR2, YEARYY): 08, 零八, 18 -> 2008,
    2008, 2018; 50-99 -> 1950-1999."""
    year = _int(text)
    if year is not None and len(text.strip()) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _ymd(year: int, month: int, day: int) -> str:
    date(year, month, day)  # raises ValueError on an impossible date
    return f"{year:04d}-{month:02d}-{day:02d}"


def _part_granularity(part: str | None) -> str:
    spec = _data()["parts"].get(part or "", None)
    return spec["granularity"] if spec else "year"


def resolve(expr: DateExpression, reference: date | None) -> DateValue:
    """The ISO value of `expr`; relative expressions are resolved against `reference` when given."""
    shape = expr.shape
    if shape == "relative":
        return _resolve_relative(expr.word or "", reference)
    m, d = _int(expr.month), _int(expr.day)
    if expr.era is not None:  # 康熙三年五月: the same shapes, the year counted from the era
        y, shape = reign_year(expr.era, expr.year or ""), shape.removeprefix("reign_")
    else:
        y = _year(expr.year)
    y2, m2, d2 = _year(expr.year2), _int(expr.month2), _int(expr.day2)
    if shape in ("iso_day", "year_month_day"):
        return DateValue(_ymd(y, m, d), "day", False, False)
    if shape in ("day_range_in_year", "iso_day_range"):
        return DateValue(f"{_ymd(y, m, d)}/{_ymd(y2 or y, m2 or m, d2)}", "range", False, False)
    if shape == "year_range":
        return DateValue(f"{y:04d}/{y2:04d}", "range", False, False)
    if shape == "year_month_range":
        return DateValue(f"{_ym(y, m)}/{_ym(y, m2)}", "range", False, False)
    if shape == "year_month":
        return DateValue(_ym(y, m), "month", False, False)
    if shape == "year_part":
        return DateValue(f"{y:04d}", _part_granularity(expr.part), False, False)
    if shape == "year":
        return DateValue(f"{y:04d}", "year", False, False)
    if shape == "plan_period":
        return DateValue(None, "period", False, False)
    # Forms with no year: the year comes from the reference date.
    ry = reference.year if reference else None
    if shape.startswith("relative_year_"):
        # 去年8月, 今年6月底, 去年一季度: the relative year word sets the year (reference year + offset)
        if ry is not None:
            ry += _year_offset(expr.word or "")
        if shape == "relative_year_month_day":
            value = _ymd(ry, m, d) if ry is not None else None
            return DateValue(value, "day", True, value is not None)
        if shape == "relative_year_month":
            value = _ym(ry, m) if ry is not None else None
            return DateValue(value, "month", True, value is not None)
        if shape == "relative_year_month_range":
            value = f"{_ym(ry, m)}/{_ym(ry, m2)}" if ry is not None else None
            return DateValue(value, "range", True, value is not None)
        if shape == "relative_year_part":
            value = f"{ry:04d}" if ry is not None else None
            return DateValue(value, _part_granularity(expr.part), True, value is not None)
    if shape == "relative_month_day":
        # 本月十日, 上月15日: the month is the reference month plus the word's offset
        spec = _data()["relative_words"][expr.word or ""]
        value = None
        if reference is not None:
            value = _ymd(*_shift_month(reference.year, reference.month, int(spec.get("offset", 0))), d)
        return DateValue(value, "day", True, value is not None)
    if shape == "days_ago":
        value = (reference - timedelta(days=d)).isoformat() if reference is not None else None
        return DateValue(value, "day", True, value is not None)
    if shape == "month_range":
        value = f"{_ym(ry, m)}/{_ym(ry, m2)}" if ry else None
        return DateValue(value, "range", True, value is not None)
    if shape == "month_day_range":
        value = f"{_ymd(ry, m, d)}/{_ymd(ry, m2 or m, d2)}" if ry else None
        return DateValue(value, "range", True, value is not None)
    if shape == "month_day":
        value = _ymd(ry, m, d) if ry else None
        return DateValue(value, "day", True, value is not None)
    if shape == "day":
        try:
            value = _ymd(ry, reference.month, d) if ry else None
        except ValueError:
            value = None  # 31日 in a month of 30 days: the month is not the reference month
        return DateValue(value, "day", True, value is not None)
    if shape == "month":
        value = _ym(ry, m) if ry else None
        return DateValue(value, "month", True, value is not None)
    if shape == "part_of_year":
        value = f"{ry:04d}" if ry else None
        return DateValue(value, _part_granularity(expr.part), True, value is not None)
    raise ValueError(f"unknown date shape {shape!r}")


def _year_offset(word: str) -> int:
    """The year offset of a relative year word (去年 -> -1), from its entry in relative_words."""
    spec = _data()["relative_words"].get(word)
    if spec is None or spec.get("anchor") != "year":
        raise ValueError(f"not a relative year word: {word!r}")
    return int(spec.get("offset", 0))


def _resolve_relative(word: str, reference: date | None) -> DateValue:
    spec = _data()["relative_words"].get(word)
    if spec is None:
        raise ValueError(f"not a relative date word: {word!r}")
    granularity = spec["granularity"]
    anchor = spec.get("anchor")
    if anchor is None or reference is None:
        return DateValue(None, granularity, True, False)
    offset = int(spec.get("offset", 0))
    if anchor == "year":
        value = f"{reference.year + offset:04d}"
    elif anchor == "month":
        value = _ym(*_shift_month(reference.year, reference.month, offset))
    elif anchor == "day":
        value = (reference + timedelta(days=offset)).isoformat()
    elif anchor == "year_to_date":
        value = f"{reference.year + offset:04d}-01-01/{reference.isoformat()}"
    else:
        raise ValueError(f"unknown anchor {anchor!r} for {word!r}")
    return DateValue(value, granularity, True, True)
