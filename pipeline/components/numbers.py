"""The `number_extractor` component: match quantities, then resolve them (pipeline/resolve/numerals.py).

A quantity is a numeral (Arabic, Chinese or mixed; 万/亿 multipliers; 多/余 inside) with the unit or
measure word after it. Word lists are data: pipeline/resources/zh/numbers.yaml (qualifiers,
negatives) and units.yaml (units and their number_kind). Matching runs on the folded text (one
character to one character), and the unit is reported as written.

Not quantities (each a named filter below, each with negatives in tests/examples/number.yaml):
years and dates (whatever `find_dates` matches), ordinals and bands (第17位, 前三十), ranks
(分别为67位), numbers in names, codes and slogans (二十三所, 5G, “8+5”), article-like 一个,
vague 数十家, document and phone numbers, list markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, add_mentions
from pipeline.components.dates import find_dates
from pipeline.resolve import load_resource
from pipeline.resolve.numerals import digit_chars, fold, parse_fraction, parse_numeral, to_json_number


@dataclass(frozen=True)
class NumberMatch:
    start: int
    end: int
    rule: str
    value: Decimal
    unit: str | None  # as written in the text
    unit_key: str | None  # folded, the key into units.yaml
    approximate: bool
    qualifier: str | None
    chinese: bool


@cache
def _numbers() -> dict:
    return load_resource("numbers.yaml")


@cache
def _units() -> tuple[dict[str, str], dict[str, str | None], frozenset[str]]:
    """(folded unit -> number_kind, folded money unit -> ISO code, arabic-only units)."""
    data = load_resource("units.yaml")
    kinds: dict[str, str] = {}
    iso: dict[str, str | None] = {}
    for kind in ("money", "percent", "count", "measure", "duration", "other"):
        entries = data.get(kind) or []
        for unit in entries:
            kinds[fold(str(unit))] = kind
            if kind == "money":
                iso[fold(str(unit))] = entries[unit]
    return kinds, iso, frozenset(fold(u) for u in data.get("arabic_only", []))


def unit_kind(unit: str | None) -> str:
    if unit is None:
        return "other"
    return _units()[0].get(fold(unit), "other")


def currency_code(unit: str | None) -> str | None:
    return _units()[1].get(fold(unit)) if unit else None


@cache
def _pattern() -> re.Pattern:
    data = _numbers()
    digits = digit_chars()
    small = "".join(data["small_units"])
    big = "".join(data["big_units"])
    cn = f"{digits}{small}{big}"
    fillers = "".join(data["approx_fillers"])
    inside = "".join(data["qualifiers_inside"])
    units = sorted(_units()[0], key=len, reverse=True)
    unit_alt = "|".join(re.escape(u) for u in units)
    arabic = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
    chinese = rf"[{cn}]+(?:[{fillers}][{cn}]+)?(?:点[{digits}]+)?"
    ge = re.escape(data["measure_before_multiplier"])
    return re.compile(
        rf"""
        (?P<neg>负)?
        (?:
            百分之(?P<pct>{arabic}|{chinese})                      # 百分之四十, 百分之2.4
          | (?P<ar>{arabic})
            (?P<armid>[ \t]?[{inside}])?                           # 40多, 200余
            (?P<mult>(?:[ \t]?[{small}{big}](?![米克瓦卡伏]))*)     # 280.5亿, 8万 (not 千米)
          | (?P<cn>{chinese})
        )
        (?:(?P<ge>{ge})(?P<mult2>[{big}]+))?                       # 2个亿
        (?P<mid>[{inside}])?
        [ \t]?(?P<unit>{unit_alt})?
        """,
        re.VERBOSE,
    )


def _qualifier(folded: str, start: int, end: int) -> tuple[str | None, int, int]:
    """The approximation word before or after the span (not part of it), if any."""
    data = _numbers()
    for word in sorted(data["qualifiers_before"], key=len, reverse=True):
        if folded.endswith(word, 0, start):
            return word, start, end
    for word in sorted(data["qualifiers_after"], key=len, reverse=True):
        if folded.startswith(word, end):
            return word, start, end
    return None, start, end


def _in_short_quote(text: str, start: int, end: int, limit: int) -> bool:
    open_at = max(text.rfind("“", 0, start), text.rfind('"', 0, start))
    if open_at == -1 or start - open_at > limit:
        return False
    if text.rfind("”", open_at, start) != -1:
        return False
    close_at = text.find("”", end)
    return close_at != -1 and close_at - open_at - 1 <= limit


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _phrase_spans(folded: str, phrases: list[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        p = fold(phrase)
        i = folded.find(p)
        while i != -1:
            spans.append((i, i + len(p)))
            i = folded.find(p, i + 1)
    return spans


def _is_list_marker(folded: str, start: int, end: int) -> bool:
    line_start = folded.rfind("\n", 0, start) + 1
    before = folded[line_start:start].strip()
    after = folded[end : end + 1]
    if before in ("", "(", "（") and after in (".", "、", ")", "）"):
        return True
    return before.endswith(("(", "（")) and after in (")", "）") and end - start <= 2


def find_numbers(text: str) -> list[NumberMatch]:
    """Every quantity in `text`, in text order (see the module docstring for what is left out)."""
    data = _numbers()
    folded = fold(text)
    kinds, _, arabic_only = _units()
    date_spans = [(d.start, d.end) for d in find_dates(text)]
    blocked = _phrase_spans(folded, data["idioms"] + data["vague"])
    year_lo, year_hi = data["year_range"]
    code = data["code_neighbours"]
    found: list[NumberMatch] = []
    for m in _pattern().finditer(folded):
        if not (m.group("pct") or m.group("ar") or m.group("cn")):
            continue
        start, end = m.start(), m.end()
        num_text = m.group("pct") or m.group("ar") or m.group("cn")
        num_end = m.end("pct") if m.group("pct") else m.end("ar") if m.group("ar") else m.end("cn")
        chinese = bool(m.group("cn")) or (bool(m.group("pct")) and not re.search(r"\d", num_text))
        unit_key = m.group("unit")
        if unit_key and chinese and unit_key in arabic_only:
            unit_key = None
            end = m.start("unit")
        if unit_key is None:
            end = m.end("mid") if m.group("mid") else (m.end("mult2") if m.group("mult2") else end)
            end = m.start("unit") if m.group("unit") and end > m.start("unit") else end
            while end > start and folded[end - 1] in " \t":
                end -= 1
        if m.group("pct"):
            unit_key = "%"
        rule = _rule_name(m, unit_key)
        # --- filters: what looks like a number but is not a quantity
        if _overlaps(date_spans, start, end) or _overlaps(blocked, start, end):
            continue
        if any(folded.endswith(w, 0, start) for w in data["not_after"]):
            continue
        if any(folded.startswith(w, num_end) for w in data["not_before"]):
            continue
        if _in_short_quote(folded, start, end, data["slogan_max_chars"]):
            continue
        if m.group("cn") and not m.group("pct"):
            if not re.search(f"[{digit_chars()}]", num_text) and num_text[0] not in data["small_units"]:
                continue  # 亿元以上, 万众: a multiplier alone is not a numeral
            if unit_key is None and not m.group("mult2") and not re.search("[万亿兆]", num_text):
                continue  # a bare Chinese numeral is too often part of a word (一看, 四川, 十三五)
            if num_text in ("一", "壹"):
                continue  # article-like 一个, 一家
            if not num_text.strip("零〇"):
                continue  # 零部件: a zero alone is not a quantity
        if m.group("ar"):
            before = folded[start - 1] if start else ""
            after = folded[num_end] if num_end < len(folded) else ""
            if re.match(r"[A-Za-z]", before) or (re.match(r"[A-Za-z]", after) and not unit_key):
                continue  # 5G, COVID19, B2
            if (before and before in code) or (after and after in code):
                continue  # 8+5, 1.6:1
            if before == "." or (after == "." and folded[num_end + 1 : num_end + 2].isdigit()):
                continue  # 2222.2222.22222: a version or code
            bare = unit_key is None and not m.group("mult") and not m.group("mult2")
            plain = m.group("ar").replace(",", "")
            if bare and plain.isdigit() and year_lo <= int(plain) <= year_hi and len(plain) == 4:
                continue  # a year with no 年: 2018湖北, 报告2021
            if bare and len(plain) > 1 and plain.startswith("0") and not plain.startswith("0."):
                continue  # 0573: an area code or a serial number
            if bare and len(plain.replace(".", "")) >= data["max_bare_digits"]:
                continue  # a phone or document number
            if bare and _is_list_marker(folded, start, num_end):
                continue
        if unit_key == data["place_unit"] and not _counts_places(folded, start, end):
            continue
        try:
            value, approximate = _value(m)
        except (ValueError, ArithmeticError):
            continue
        qualifier, _, _ = _qualifier(folded, start, end)
        inner = (
            m.group("armid")
            or m.group("mid")
            or (next((f for f in data["approx_fillers"] if f in num_text), None) if m.group("cn") else None)
        )
        if qualifier is None and inner:
            qualifier = inner.strip()
        if m.group("neg"):
            value = -value
        unit = text[m.start("unit") : m.end("unit")] if unit_key and m.group("unit") else unit_key
        found.append(
            NumberMatch(
                start=start,
                end=end,
                rule=rule,
                value=value,
                unit=unit,
                unit_key=unit_key,
                approximate=approximate or qualifier is not None,
                qualifier=qualifier,
                chinese=chinese,
            )
        )
    return _share_units(folded, found)


def _counts_places(folded: str, start: int, end: int) -> bool:
    data = _numbers()
    window = folded[max(0, start - data["place_window"]) : start]
    if any(w in window for w in data["place_change_words"]):
        return True
    after = folded[end : end + 1]
    return bool(after) and after not in data["rank_followers"]


def _value(m: re.Match) -> tuple[Decimal, bool]:
    data = _numbers()
    if m.group("pct"):
        n = parse_numeral(m.group("pct"))
        return n.value, n.approximate
    if m.group("ar"):
        text = m.group("ar") + (m.group("mult") or "").replace(" ", "").replace("\t", "")
        n = parse_numeral(text)
        value, approximate = n.value, n.approximate or bool(m.group("armid"))
    else:
        n = parse_numeral(m.group("cn"))
        value, approximate = n.value, n.approximate
    for ch in m.group("mult2") or "":
        value *= data["big_units"][ch]
    return value, approximate or bool(m.group("mid"))


def _rule_name(m: re.Match, unit_key: str | None) -> str:
    if m.group("pct"):
        return "percent_words"
    shape = "arabic" if m.group("ar") else "chinese"
    if m.group("mult") or m.group("mult2") or (m.group("cn") and re.search("[万亿兆]", m.group("cn"))):
        shape += "_multiplier"
    return f"{shape}_with_unit" if unit_key else f"{shape}_bare"


def _share_units(folded: str, found: list[NumberMatch]) -> list[NumberMatch]:
    """分别提高1.5、2.0和0.8个百分点: bare numbers in an enumeration take the unit of the last one."""
    separators = sorted(_numbers()["shared_unit_separators"], key=len, reverse=True)
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        cur, nxt = out[i], out[i + 1]
        if cur.unit is not None or nxt.unit is None or cur.chinese != nxt.chinese:
            continue
        gap = folded[cur.end : nxt.start]
        if gap in separators:
            out[i] = NumberMatch(
                cur.start,
                cur.end,
                cur.rule + "_shared_unit",
                cur.value,
                nxt.unit,
                nxt.unit_key,
                cur.approximate,
                cur.qualifier,
                cur.chinese,
            )
    return out


def number_fields(match: NumberMatch) -> dict:
    kind = "percent" if match.rule == "percent_words" else unit_kind(match.unit_key)
    return {
        "value": to_json_number(match.value),
        "unit": match.unit,
        "number_kind": kind,
        "approximate": match.approximate,
        "qualifier": match.qualifier,
    }


def number_mentions(text: str) -> list[Mention]:
    return [
        Mention("number", m.start, m.end, number_fields(m), f"numbers.{m.rule}") for m in find_numbers(text)
    ]


class NumberExtractor:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        add_mentions(doc, number_mentions(doc.text))
        return doc


@Language.factory("number_extractor", default_config={})
def make_number_extractor(nlp: Language, name: str) -> NumberExtractor:
    return NumberExtractor(nlp, name)


__all__ = ["find_numbers", "number_mentions", "currency_code", "unit_kind", "parse_fraction"]
