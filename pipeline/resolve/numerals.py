"""Numerals -> values: Chinese, Arabic and mixed numerals with multipliers (pure functions).

    >>> to_json_number(parse_numeral("280.5亿").value)
    28050000000
    >>> n = parse_numeral("十多万")
    >>> to_json_number(n.value), n.approximate
    (100000, True)
    >>> to_json_number(parse_numeral("4,565").value)
    4565

cn2an converts the plain Chinese forms; it raises on multipliers after Arabic digits, on fillers
(十多万), on grouping commas (4,565), on 兆 and on doubled multipliers (四万万), which the section
parser below handles. The characters come from pipeline/resources/zh/numbers.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from functools import cache, lru_cache

from pipeline.resolve import load_resource


@dataclass(frozen=True)
class Numeral:
    value: Decimal
    approximate: bool = False


@cache
def _data() -> dict:
    return load_resource("numbers.yaml")


@cache
def _fold_table() -> dict[int, str]:
    return str.maketrans({k: str(v) for k, v in _data()["variants"].items()})


# A full-width comma between full-width digits groups them (４，５６５); between ASCII digits it separates
# a list ($20，300美圆). Also applied by pipeline/repair.py before it turns full-width digits into ASCII.
FULLWIDTH_GROUPING = re.compile(r"(?<=[０-９])，(?=[０-９]{3})")


def fold(text: str) -> str:
    """Fold Traditional, financial and full-width characters; the result has the same length."""
    return FULLWIDTH_GROUPING.sub(",", text).translate(_fold_table())


def digit_chars() -> str:
    return "".join(_data()["digits"])


def unit_chars() -> str:
    return "".join(_data()["small_units"]) + "".join(_data()["big_units"])


_ARABIC_RUN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")


def to_json_number(value: Decimal) -> int | float:
    """An int when the value is integral (280.5亿 -> 28050000000), else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _section_parse(text: str) -> Decimal:
    """Integer part of a numeral by sections: digits, 十百千 inside a section, 万亿兆 between them."""
    data = _data()
    digits, small, big = data["digits"], data["small_units"], data["big_units"]
    total = Decimal(0)
    section = Decimal(0)
    pending: Decimal | None = None
    pending_single_cn = False  # a lone Chinese digit after a unit may be abbreviated: 两千四百五
    last_unit: int | None = None
    last_small: int | None = None  # within the current section: 十 after 百 is fine, 百 after 十 is not
    last_big: int | None = None
    after_zero = False
    multi_digit_cn = False  # 二三十: a run of Chinese digits may not take a unit
    i = 0
    while i < len(text):
        ch = text[i]
        match = _ARABIC_RUN.match(text, i)
        if match:
            if pending is not None:
                raise ValueError(f"two numbers in a row in {text!r}")
            pending = Decimal(match.group().replace(",", ""))
            pending_single_cn = False
            i = match.end()
            continue
        if ch in digits:
            d = digits[ch]
            if d == 0:
                after_zero = True
                if pending is not None:  # 一零五: digit by digit
                    pending = pending * 10
                    multi_digit_cn = True
            elif pending is not None and (pending_single_cn or multi_digit_cn):
                pending = pending * 10 + d  # digit-by-digit numerals (二〇一九, 五五)
                pending_single_cn = False
                multi_digit_cn = True
            else:
                pending = Decimal(d)
                pending_single_cn = not after_zero
        elif ch in small:
            mult = small[ch]
            if multi_digit_cn or (last_small is not None and mult >= last_small):
                raise ValueError(f"misplaced {ch!r} in {text!r}")  # 二三十, 七十百
            section += (pending if pending is not None else Decimal(1)) * mult
            pending = None
            last_unit = last_small = mult
            after_zero = False
        elif ch in big:
            unit = big[ch]
            if multi_digit_cn:
                raise ValueError(f"misplaced {ch!r} in {text!r}")
            last_small = None
            segment = section + (pending if pending is not None else 0)
            if segment == 0:
                total = (total if total else Decimal(1)) * unit  # 四万万, 四万亿
            elif last_big is not None and unit > last_big:
                total = (total + segment) * unit
            else:
                total += segment * unit
            last_big = unit if last_big is None else max(last_big, unit)
            section = Decimal(0)
            pending = None
            last_unit = unit
            after_zero = False
        else:
            raise ValueError(f"not a numeral character {ch!r} in {text!r}")
        i += 1
    if pending is not None:
        if pending_single_cn and last_unit is not None and not after_zero and last_unit >= 10:
            pending = pending * (Decimal(last_unit) / 10)
        section += pending
    return total + section


def _decimal_digits(text: str) -> Decimal:
    digits = _data()["digits"]
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(ch)
        elif ch in digits:
            out.append(str(digits[ch]))
        else:
            raise ValueError(f"not a decimal digit {ch!r}")
    return Decimal("0." + "".join(out)) if out else Decimal(0)


@lru_cache(maxsize=1 << 14)  # pure, and the same numerals recur (a Numeral is immutable)
def parse_numeral(text: str) -> Numeral:
    """The value of a numeral (Chinese, Arabic or mixed, with 万/亿/兆, 多/余/几 fillers, 负, 点).

    Raises ValueError when `text` is not a numeral.
    """
    data = _data()
    s = re.sub(r"\s+", "", fold(text))
    if not s:
        raise ValueError("empty numeral")
    sign = 1
    if s[0] in (data["minus"], "-"):
        sign, s = -1, s[1:]
    elif s[0] == "+":
        s = s[1:]
    approximate = False
    fillers = data["approx_fillers"]
    if any(f in s for f in fillers):
        approximate = True
        s = s.replace("几", "零") if "几" in s else s
        s = "".join(ch for ch in s if ch not in fillers)
    if not s:
        raise ValueError(f"no digits in {text!r}")
    value = _plain(s)
    return Numeral(sign * value, approximate)


@cache
def _cn2an():
    """cn2an's converter, imported on first use (its import builds three converters: 0.1 s)."""
    import cn2an

    return cn2an.cn2an


def _plain(s: str) -> Decimal:
    """A numeral with no sign and no filler."""
    point = _data()["point"]
    if re.fullmatch(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+", s):
        return Decimal(s.replace(",", ""))
    if not re.search(r"\d", s) and "兆" not in s:
        try:
            return Decimal(str(_cn2an()(s, "normal")))
        except (ValueError, KeyError, IndexError, InvalidOperation):
            pass  # fall through to the section parser (一百零十万, 四万万, ...)
    if point in s:
        head, _, tail = s.partition(point)
        # 两千万点五五四四: the decimals belong to the units digit of the whole numeral.
        return _section_parse(head) + _decimal_digits(tail)
    return _section_parse(s)


def parse_fraction(denominator: str, numerator: str) -> Decimal:
    """五分之一 -> 0.2, 百分之四十 with denominator 百 -> 0.4."""
    den = _plain(re.sub(r"\s+", "", fold(denominator)))
    num = parse_numeral(numerator).value
    return divide(num, den)


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A fraction's value to 28 significant digits (1/3 has no exact decimal)."""
    if denominator == 0:
        raise ValueError("zero denominator")
    with localcontext() as ctx:
        ctx.prec = 28
        return numerator / denominator
