"""The `number_extractor` component: match quantities, then resolve them (pipeline/resolve/numerals.py).

A quantity is a numeral (Arabic, Chinese or mixed; 万/亿 multipliers; 多/余 inside) with the unit or
measure word after it. Word lists are data: pipeline/resources/zh/numbers.yaml (qualifiers,
negatives) and units.yaml (units and their number_kind). Matching runs on the folded text (one
character to one character), and the unit is reported as written.

Values are exact Decimals. After matching: a currency word before a number names its currency
(港币20亿元, 欧元5亿); a numeral with no unit, a range word and a quantity make one range (3至5亿元);
the word before a number gives its direction (增长 up, 下降 down); `percent_value` normalises shares
(九成 -> 90). See the README's "Number values" for the contract.

Not quantities (each a named filter below, each with negatives in tests/examples/number.yaml):
years and dates (whatever `find_dates` matches), ordinals and bands (第17位, 前三十), ranks
(分别为67位), numbers in names, codes and slogans (二十三所, 5G, “8+5”), article-like 一个,
vague 数十家, document and phone numbers, list markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, add_mentions, doc_text
from pipeline.components.dates import find_dates
from pipeline.resolve import load_resource
from pipeline.resolve.first_chars import StartScan
from pipeline.resolve.numerals import digit_chars, divide, fold, parse_fraction, parse_numeral


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
    scale: Decimal = Decimal(1)  # the multiplier written after the digits (5亿 -> 1e8), shared by a range
    currency: str | None = None  # ISO 4217 code stated by the unit or a currency word before the number
    value_high: Decimal | None = None  # a range: value is its low bound
    direction: str | None = None  # up / down: the change word before the number
    range_only: bool = False  # a bare numeral kept only as the low bound of a range (三至五成)


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


@cache
def _not_followed_by() -> dict[str, str]:
    data = load_resource("units.yaml").get("not_followed_by") or {}
    return {fold(str(k)): fold(str(v)) for k, v in data.items()}


@cache
def _symbols() -> dict[str, str]:
    return {fold(str(k)): v for k, v in (load_resource("units.yaml").get("prefix_symbols") or {}).items()}


def unit_kind(unit: str | None) -> str:
    if unit is None:
        return "other"
    if fold(unit) in _symbols():
        return "money"
    return _units()[0].get(fold(unit), "other")


def currency_code(unit: str | None) -> str | None:
    if not unit:
        return None
    return _units()[1].get(fold(unit)) or _symbols().get(fold(unit))


@cache
def _currency_data() -> tuple[tuple[str, ...], dict[str, str], frozenset[str]]:
    """(currency words written before a number, longest first; symbol -> ISO code; units that name no
    currency of their own: 元 alone)."""
    data = load_resource("units.yaml")
    words = tuple(sorted((fold(str(w)) for w in data["currency_words_before"]), key=len, reverse=True))
    symbols = {fold(str(k)): v for k, v in data["symbol_currency"].items()}
    return words, symbols, frozenset(fold(str(u)) for u in data["yuan_units"])


def stated_currency(unit_key: str | None) -> str | None:
    """The ISO 4217 code a unit states by itself: 美元 -> USD, $ -> USD; 元 alone states none."""
    if unit_key is None:
        return None
    words, symbols, yuan = _currency_data()
    if unit_key in yuan:
        return None
    return symbols.get(unit_key) or _units()[1].get(unit_key)


def with_default_currency(fields: dict) -> dict:
    """元 alone (and 块, 角 ...) is CNY in an article written in Simplified characters (the mainland's
    script). Applied by pipeline/process.py to such articles only: in Traditional text (Hong Kong,
    Macao, Taiwan) 元 may be HKD, MOP, TWD or CNY, and its currency stays null."""
    unit = fields.get("unit")
    if fields.get("currency") is None and fields.get("number_kind") == "money" and unit:
        if fold(unit) in _currency_data()[2]:
            return {**fields, "currency": "CNY"}
    return fields


def _sci() -> str:
    return r"(?:[eE][-+]?\d+|\^[-+]?\d+(?:\.\d+)?)"


@cache
def _scan() -> StartScan:
    """`_pattern`, tried only where a match can start (the same matches, found faster)."""
    return StartScan(_pattern())


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
    # A unit may be written with stray spaces between its characters (个 百 分点). A unit that starts a
    # longer word (人年均, 项目) does not match there, so a shorter unit can (3000人 + 年均).
    followers = _not_followed_by()

    def unit_regex(u: str) -> str:
        body = "[ \t]*".join(re.escape(ch) for ch in u)
        return body + (f"(?![{re.escape(followers[u])}])" if u in followers else "")

    unit_alt = "|".join(unit_regex(u) for u in units)
    arabic = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
    chinese = (
        rf"[{cn}](?:[ \t]*[{cn}])*(?:[ \t]*[{fillers}][ \t]*[{cn}](?:[ \t]*[{cn}])*)?"
        rf"(?:[ \t]*点(?:[ \t]*[{digits}])+)?"
    )
    ge = re.escape(data["measure_before_multiplier"])
    dozen = "|".join(
        f"{re.escape(w)}(?![{re.escape(spec['not_before'])}])"
        for w, spec in data["counted_multipliers"].items()
    )
    symbols = re.escape("".join(_symbols()))
    return re.compile(
        rf"""
        (?:(?P<sym>[{symbols}])[ \t]?)?
        (?P<neg>负|(?<![0-9A-Za-z_.])-(?=[\d.]))?
        (?:
            百[ \t]*分[ \t]*之[ \t]*(?P<pct>{arabic}|{chinese})        # 百分之四十, 百分之2.4
            (?P<pkilo>[ \t]?[kK](?![A-Za-z]))?
          | (?P<half>半)(?=[ \t]*[成折])                                # 半成
          | (?P<frac>                                                  # 三分之一, 3又一千分之23
              (?:(?P<whole>{arabic}|{chinese})[ \t]*又[ \t]*)?
              (?P<den>{arabic}|{chinese})[ \t]*分[ \t]*之[ \t]*(?P<numer>负?(?:{arabic}|{chinese})))
          | (?P<slash>(?:(?P<swhole>\d+)[ \t]+)?(?P<snum>\d+)/(?P<sden>\d+)(?![\d/.]))  # 3/5, 1 3/5
          | (?P<ar>(?:{arabic})(?P<sci>{_sci()})?)
            (?P<armid>[ \t]?[{inside}])?                                # 40多, 200余
            (?P<mult>(?:[ \t]*[{small}{big}](?![米克瓦卡伏赫比焦帕])
                (?:零?\d+(?![\d.])|[ \t]+\d+(?=[ \t]*[{small}{big}]))?)*)  # 280.5亿, 5亿1万, 7万 5千 4百
            (?P<kilo>[ \t]?[kK](?![A-Za-z]))?                            # 12k
          | (?P<cn>{chinese})
        )
        (?P<dozen>[ \t]*(?:{dozen}))?                                  # 五十打 (a dozen)
        (?:(?P<ge>{ge})(?P<mult2>[{big}]+))?                           # 2个亿
        (?P<mid>[{inside}])?
        [ \t]*(?P<unit>{unit_alt})?
        (?P<tenth>(?<=[成折])[ \t]*(?:半|[{digits}](?![\u4e00-\u9fff])))?   # 三成半, 七成六
        """,
        re.VERBOSE,
    )


_URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。；]+")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _qualifier(folded: str, start: int, end: int) -> str | None:
    """The approximation word right before or after the span (not part of it), if any."""
    data = _numbers()
    for word in sorted(data["qualifiers_before"], key=len, reverse=True):
        if folded.endswith(word, 0, start):
            return word
    for word in sorted(data["qualifiers_after"], key=len, reverse=True):
        if folded.startswith(word, end):
            return word
    return None


def _in_short_quote(text: str, start: int, end: int, limit: int) -> bool:
    # Searched only `limit` characters back and ahead: the same answer, in time independent of the
    # article's length.
    low = max(0, start - limit)
    open_at = max(text.rfind("“", low, start), text.rfind('"', low, start))
    if open_at == -1 or start - open_at > limit:
        return False
    if text.rfind("”", open_at, start) != -1:
        return False
    close_at = text.find("”", end, open_at + limit + 2)
    return close_at != -1 and close_at - open_at - 1 <= limit


def _inside_title(text: str, start: int, end: int) -> bool:
    """Whether [start, end) lies inside a document title 《…》 on one line."""
    opening, closing = _numbers()["title_marks"]
    line_start = text.rfind("\n", 0, start) + 1  # searched within the line only: linear time
    opened = text.rfind(opening, line_start, start)
    if opened < 0 or text.rfind(closing, opened, start) >= 0:
        return False
    line_end = text.find("\n", end)
    closed = text.find(closing, end, len(text) if line_end == -1 else line_end)
    return closed >= 0


def _span_mask(spans: list[tuple[int, int]], length: int) -> bytearray:
    """One byte per character, 1 inside any of the spans: an overlap test costs the span's length,
    not the number of spans (long articles have thousands)."""
    mask = bytearray(length + 1)
    for s, e in spans:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def _overlaps(mask: bytearray, start: int, end: int) -> bool:
    return mask.find(1, start, end) != -1


def _phrase_spans(folded: str, phrases: list[str]) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        p = fold(phrase)
        i = folded.find(p)
        while i != -1:
            spans.append((i, i + len(p)))
            i = folded.find(p, i + 1)
    spans.extend(m.span() for m in _URL.finditer(folded))
    return spans


def _is_list_marker(folded: str, start: int, end: int) -> bool:
    line_start = folded.rfind("\n", 0, start) + 1
    before = folded[line_start:start].strip()
    after = folded[end : end + 1]
    if before in ("", "(", "（") and after in (".", "、", ")", "）"):
        return True
    return before.endswith(("(", "（")) and after in (")", "）") and end - start <= 2


def _core(m: re.Match) -> str:
    for name in ("pct", "half", "frac", "slash", "ar", "cn"):
        if m.group(name):
            return name
    raise ValueError("empty match")


def _chinese_value(text: str, allow_trim: bool) -> tuple[Decimal, bool, int]:
    """Parse a Chinese numeral; when it does not parse (七十百), the longest prefix that does."""
    try:
        n = parse_numeral(text)
        return n.value, n.approximate, len(text)
    except (ValueError, ArithmeticError):
        if not allow_trim:
            raise
    for k in range(len(text) - 1, 0, -1):
        try:
            n = parse_numeral(text[:k])
            return n.value, n.approximate, len(text[:k].rstrip())
        except (ValueError, ArithmeticError):
            continue
    raise ValueError(f"no numeral in {text!r}")


# Emphasis spans at most 200 characters of one line (a bound: a line of stray * costs linear time).
_EMPHASIS = re.compile(
    r"(?<![0-9A-Za-z*_])(\*{1,3}|_{1,3})(?![\s*_])([^\n]{1,200}?)(?<![\s*_])\1(?![0-9A-Za-z*_])"
)


def without_emphasis(folded: str) -> str:
    """Markdown emphasis marks (*35家*, **3.2亿元**, __x__) as spaces: not part of the text a quantity
    is read from (same length, offsets unchanged). A * between digits (3*5) is no emphasis."""
    return _EMPHASIS.sub(lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(1)), folded)


def find_numbers(text: str) -> list[NumberMatch]:
    """Every quantity in `text`, in text order (see the module docstring for what is left out)."""
    with localcontext() as exact:
        exact.prec = 80  # every digit of any numeral a text writes, and of its multipliers
        return _find_numbers(text)


def _find_numbers(text: str) -> list[NumberMatch]:
    data = _numbers()
    folded = without_emphasis(fold(text))
    kinds, _, arabic_only = _units()
    date_spans = _span_mask([(d.start, d.end) for d in find_dates(text)], len(folded))
    numeral_chars = digit_chars() + "".join(data["small_units"]) + "".join(data["big_units"])
    blocked = _span_mask(
        _phrase_spans(folded, data["idioms"])
        + [
            (s, e)
            for s, e in _phrase_spans(folded, data["vague"])
            if not (s and folded[s - 1] in numeral_chars)
        ],
        len(folded),
    )
    year_lo, year_hi = data["year_range"]
    code = data["code_neighbours"]
    found: list[NumberMatch] = []
    for m in _scan().finditer(folded):
        if not any(m.group(g) for g in ("pct", "half", "frac", "slash", "ar", "cn")):
            continue
        core = _core(m)
        try:
            counted = found[-1].end if found and found[-1].unit_key else -1  # 一对八千: a price after a count
            match = _filter_and_resolve(m, core, text, folded, kinds, arabic_only, counted)
        except (ValueError, ArithmeticError):
            continue  # not a well-formed numeral (六七亿, 二三十): no value to report
        if match is None:
            continue
        start, end = match.start, match.end
        num_end = m.end(core)
        if _overlaps(date_spans, start, end) or _overlaps(blocked, start, end):
            continue
        if any(folded.endswith(w, 0, m.start(core)) for w in data["not_after"]):
            continue
        if any(folded.startswith(w, num_end) for w in data["not_before"]):
            continue
        if _in_short_quote(folded, start, end, data["slogan_max_chars"]):
            continue
        if _inside_title(folded, start, end):
            continue  # 《…三年行动计划》: part of a title
        if core == "slash":
            before = folded[m.start(core) - 1] if m.start(core) else ""
            after = folded[num_end] if num_end < len(folded) else ""
            if (before and (before.isdigit() or before in code)) or (after and after in code):
                continue  # a path or a date: 2020/12/1, a/b/c
        if core == "ar":
            plain = m.group("ar").replace(",", "").replace(m.group("sci") or "", "")
            before = folded[m.start("ar") - 1] if m.start("ar") else ""
            after = folded[num_end] if num_end < len(folded) else ""
            bare = match.unit_key is None and not (m.group("mult") or m.group("mult2") or m.group("kilo"))
            after_letter = re.match(r"[A-Za-z]", after) and not (match.unit_key or m.group("kilo"))
            if re.match(r"[A-Za-z]", before) or after_letter:
                continue  # 5G, COVID19, B2
            if (before and before in code) or (after and after in code):
                continue  # 8+5, 1.6:1, 3/5
            if before == "." or plain.startswith(".") and before.isdigit():
                continue  # 2222.2222.22222: a version or code
            if after == "." and folded[num_end + 1 : num_end + 2].isdigit():
                continue
            if bare and plain.isdigit() and len(plain) == 4 and year_lo <= int(plain) <= year_hi:
                continue  # a year with no 年: 2018湖北, 报告2021
            if bare and len(plain) > 1 and plain.startswith("0") and not plain.startswith("0."):
                continue  # 0573: an area code or a serial number
            grouped = "," in m.group("ar")  # 1,050,000,000: digit grouping is no phone number
            if bare and not grouped and len(plain.replace(".", "")) >= data["max_bare_digits"]:
                continue  # a phone or document number
            if bare and _is_list_marker(folded, m.start("ar"), num_end):
                continue
        if match.unit_key == data["place_unit"] and not _counts_places(folded, start, end):
            continue
        found.append(_with_currency_word(folded, text, match))
    found = [m for m in _ranges(folded, _compound_money(folded, text, found)) if not m.range_only]
    return [_with_direction(folded, m) for m in _share_units(folded, found)]


_LOOK_BACK = 16  # characters before a number searched for a currency word or a change word


def _with_currency_word(folded: str, text: str, match: NumberMatch) -> NumberMatch:
    """A currency word right before the number: 港币20亿元 (unit 元, HKD), 欧元5亿 (unit 欧元, EUR)."""
    words = _currency_data()[0]
    low = max(0, match.start - _LOOK_BACK)
    head = folded[low : match.start].rstrip(" \t")  # a window: time independent of the article's length
    word = next((w for w in words if head.endswith(w)), None)
    if word is None or match.rule.startswith("symbol_"):
        return match
    at = low + len(head) - len(word)
    code = _units()[1].get(word)
    if match.unit_key is None:
        if match.rule in ("fraction", "fraction_slash", "percent_words"):
            return match
        after = folded[match.end : match.end + 1]
        if after and _is_cjk(after) and match.scale == 1:
            return match  # 美元3笔: the number counts something else
        return replace(
            match,
            start=at,
            unit=text[at : at + len(word)],
            unit_key=word,
            currency=code,
            rule=match.rule.replace("_bare", "_with_unit") + "_currency_before",
        )
    if match.unit_key in _currency_data()[2]:
        return replace(match, currency=code)  # 港币20亿元: the span stays 20亿元, its currency HKD
    return match


@cache
def _compound_money_data() -> tuple[dict[str, dict[str, Decimal]], re.Pattern]:
    """(unit -> {smaller unit -> its value in the unit}, the pattern of one smaller amount)."""
    data = load_resource("units.yaml")
    table = {
        fold(str(u)): {fold(str(k)): Decimal(str(v)) for k, v in subs.items()}
        for u, subs in data["compound_money"].items()
    }
    subunits = sorted({k for subs in table.values() for k in subs}, key=len, reverse=True)
    connectors = "".join(re.escape(fold(c)) for c in data["compound_money_connectors"])
    digits = digit_chars() + "".join(_numbers()["small_units"])
    return table, re.compile(
        rf"[ \t]*[{connectors}]?[ \t]*(?P<n>\d+|[{digits}]+)[ \t]*(?P<sub>{'|'.join(map(re.escape, subunits))})"
        rf"(?![{re.escape(data['compound_money_not_before'])}])"
    )


def _compound_money(folded: str, text: str, found: list[NumberMatch]) -> list[NumberMatch]:
    """两美元又三美分 -> 2.03 美元, 50元6角三分 -> 50.63 元: an amount and the amounts in the smaller units of
    its currency after it (units.yaml compound_money) are one amount; the matches they cover are dropped."""
    table, piece = _compound_money_data()
    out: list[NumberMatch] = []
    for match in found:
        if out and match.start < out[-1].end:
            continue  # a smaller amount taken by the amount before it
        subs = table.get(match.unit_key or "")
        whole = match.value == match.value.to_integral_value()  # 2.5元3分 is no one amount
        if subs is None or not whole or match.scale != 1 or match.value_high is not None or match.approximate:
            out.append(match)
            continue
        end, value, last = match.end, match.value, Decimal(1)
        while (m := piece.match(folded, end)) and m.group("sub") in subs:
            try:
                amount = parse_numeral(m.group("n")).value * subs[m.group("sub")]
            except (ValueError, ArithmeticError):
                break
            if subs[m.group("sub")] >= last or not 0 < amount < last:
                break  # 5元8元, 3元50角: not smaller units of one amount
            end, value, last = m.end(), value + amount, subs[m.group("sub")]
        if end == match.end:
            out.append(match)
        else:
            out.append(replace(match, end=end, value=value, rule=match.rule + "_compound"))
    return out


def _ranges(folded: str, found: list[NumberMatch]) -> list[NumberMatch]:
    """3至5亿元, 10-20亿元, 三至五成, 3~5%: one quantity with a low and a high bound, the multiplier
    and the unit of the high bound shared by the low one (3 -> 300000000). A low bound written with its
    own unit (50万元至100万元, 3%~5%) is a whole quantity: two numbers, as the annotation guidelines
    count them, each value right on its own. 从3家到5家 states two levels."""
    data = _numbers()
    separators = data["range_separators"]
    out: list[NumberMatch] = []
    i = 0
    while i < len(found):
        cur = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        merged = _range(folded, cur, nxt, separators, data) if nxt is not None else None
        if merged is not None:
            out.append(merged)
            i += 2
        else:
            out.append(cur)
            i += 1
    return out


def _range(folded, cur: NumberMatch, nxt: NumberMatch, separators, data) -> NumberMatch | None:
    if cur.value_high is not None or nxt.range_only or cur.chinese != nxt.chinese:
        return None
    if folded[cur.end : nxt.start].strip(" \t") not in separators:
        return None
    if nxt.unit_key is None and nxt.scale == 1 and cur.unit_key is None:
        return None  # 1-2 alone: a score, a code or two numbers, not a quantity with a range
    if cur.unit_key is not None:
        return None  # 50万元至100万元, 3%~5%: each bound is a whole quantity, two numbers (GUIDELINES)
    if any(folded.endswith(w, 0, cur.start) for w in data["range_not_after"]):
        return None  # 从3家到5家, 由3%到5%: from one level to another
    if cur.rule.startswith("fraction") or nxt.rule.startswith("fraction"):
        return None
    low = cur.value
    if cur.scale == 1 and nxt.scale != 1 and cur.unit_key is None:
        low = cur.value * nxt.scale  # 3至5亿元: the 亿 is shared
    if not low < nxt.value:
        return None
    return replace(
        nxt,
        start=cur.start,
        rule="range",
        value=low,
        value_high=nxt.value,
        approximate=cur.approximate or nxt.approximate,
        qualifier=cur.qualifier or nxt.qualifier,
        range_only=False,
    )


def _with_direction(folded: str, match: NumberMatch) -> NumberMatch:
    """up / down from the change word right before the number (同比增长3.2%, 下降3位, 提高了近6个百分点).
    增至, 降到 ... state the level reached, not the change: no direction."""
    data = _numbers()
    head = folded[max(0, match.start - _LOOK_BACK) : match.start].rstrip(" \t")
    qualifier = next(
        (w for w in sorted(data["qualifiers_before"], key=len, reverse=True) if head.endswith(w)), None
    )
    if qualifier:
        head = head[: -len(qualifier)]
    for filler in sorted(data["direction_fillers"], key=len, reverse=True):
        if head.endswith(filler):
            head = head[: -len(filler)]
            break
    for direction in ("up", "down"):
        if any(head.endswith(w) for w in data["direction_words"][direction]):
            return replace(match, direction=direction)
    return match


def _filter_and_resolve(m, core, text, folded, kinds, arabic_only, counted=-1) -> NumberMatch | None:
    """The match as a NumberMatch, or None when its numeral is not a quantity on its own. `counted`: where
    the quantity before it with a unit ends (-1 if none)."""
    data = _numbers()
    start, end = m.start(), m.end()
    unit_key = re.sub(r"[ \t]", "", m.group("unit")) if m.group("unit") else None
    num_text = m.group(core)
    scale = Decimal(1)
    range_only = False
    chinese = core == "cn" or (core in ("pct", "frac") and not re.search(r"\d", num_text))
    if core == "cn" and unit_key in arabic_only:
        unit_key = None
    follower = folded[m.end("unit") : m.end("unit") + 1] if unit_key else ""
    if follower and follower in _not_followed_by().get(unit_key, ""):
        unit_key = None  # 百亿项目: the unit starts a longer word
    approximate = False
    if core == "pct":
        value, approximate, used = _chinese_value(num_text, allow_trim=True)
        if used < len(num_text):
            end, unit_key = m.start("pct") + used, None
        if m.group("pkilo"):
            value *= 1000
            end = m.end("pkilo")
        unit_key = "%"
        unit = "%"
        rule = "percent_words"
    elif core == "half":
        value, unit_key = Decimal("0.5"), re.sub(r"[ \t]", "", m.group("unit") or "")
        unit = text[m.start("unit") : m.end("unit")]
        rule = "half_with_unit"
    elif core == "frac":
        den = re.sub(r"[ \t]", "", m.group("den"))
        per = data["per_words"].get(den)
        if per is not None and not m.group("whole"):
            # 千分之二点四 -> 0.24 %, 万分之三 -> 0.03 % (as Recognizers-Text reads them)
            value = parse_numeral(m.group("numer")).value * Decimal(100) / Decimal(per)
            end = m.end("frac")
            unit_key = unit = "%"
            rule = "per_mille_words" if per == 1000 else "per_ten_thousand_words"
        elif den in data["small_units"] or den in data["big_units"]:
            return None  # 十分之, 百分之 without a numeral
        else:
            value = parse_fraction(den, m.group("numer"))
            if m.group("whole"):
                value = parse_numeral(m.group("whole")).value + value
            end = m.end("frac")
            unit_key = unit = None
            rule = "fraction"
    elif core == "slash":
        if int(m.group("sden")) == 0:
            return None
        value = divide(Decimal(m.group("snum")), Decimal(m.group("sden")))
        if m.group("swhole"):
            value += Decimal(m.group("swhole"))
        end = m.end("slash")
        unit_key = unit = None
        rule = "fraction_slash"
    else:
        if core == "ar":
            value = parse_numeral(
                m.group("ar").replace(m.group("sci") or "", "") + _strip(m.group("mult"))
            ).value
            value = _apply_sci(value, m.group("sci"))
            if m.group("kilo"):
                value *= 1000
                scale *= 1000
            scale *= _multiplier(_strip(m.group("mult")))
            approximate = bool(m.group("armid"))
        else:
            if not re.search(f"[{digit_chars()}]", num_text) and num_text[0] not in data["small_units"]:
                return None  # 亿元以上, 万众: a multiplier alone is not a numeral
            if not num_text.replace(" ", "").strip("零〇"):
                return None  # 零部件
            value, approximate, used = _chinese_value(num_text, allow_trim=unit_key is None)
            if used < len(num_text):
                unit_key = None
                end = m.start("cn") + used
            scale *= _trailing_multiplier(re.sub(r"[ \t]", "", num_text[:used]))
        for ch in m.group("mult2") or "":
            value *= data["big_units"][ch]
            scale *= data["big_units"][ch]
        if m.group("dozen"):
            if unit_key is not None:
                return None  # 一打人: 打 is a verb
            factor = Decimal(data["counted_multipliers"][m.group("dozen").strip()]["factor"])
            value, scale = value * factor, scale * factor  # 五十打 -> 600
        approximate = approximate or bool(m.group("mid"))
        if unit_key is None:
            end = _end_without_unit(m, end)
        unit = text[m.start("unit") : m.end("unit")] if unit_key else None
        rule = _rule_name(m, unit_key)
        if core == "cn":
            numeral = re.sub(r"[ \t]", "", num_text)
            kind = kinds.get(unit_key) if unit_key else None
            if numeral in ("一", "壹") and kind not in ("percent", "money") and not m.group("dozen"):
                if unit_key is None or not (_clause_ends(folded, end) or _price_follows(folded, end)):
                    if not (unit_key is None and _is_predicate(folded, start, end)):
                        return None  # article-like 一个, 一家 (一只。 and 是一不是二 count)
            if (
                unit_key is None
                and not (m.group("mult2") or m.group("dozen"))
                and not re.search("[万亿兆]", numeral)
            ):
                before = folded[start - 1] if start else ""
                after = folded[end] if end < len(folded) else ""
                if _starts_range(folded, end):
                    range_only = True  # 三至五成: the low bound of a range, dropped if none follows
                elif (_is_cjk(before) or _is_cjk(after)) and not (
                    _stands_alone(folded, numeral, start, end)
                    or (counted == start and _clause_ends(folded, end))
                ):
                    return None  # a bare Chinese numeral inside words: 一看, 四川, 十三五
    if m.group("tenth") and unit_key in ("成", "折"):
        tenth = m.group("tenth").strip()
        value += Decimal("0.5") if tenth == "半" else Decimal(digit_chars_value(tenth)) / 10
        end = m.end("tenth")
    if unit_key in data["half_after_units"] and folded[end : end + 1] == "半":
        if folded[end + 1 : end + 2] not in data["half_not_before"] or end + 1 == len(folded):
            value += Decimal("0.5")  # 两年半, 3年半
            end += 1
    if unit_key == "折" and chinese and value == 10:
        return None  # 十折 is no discount
    if m.group("sym"):
        if unit_key is not None:
            return None  # $20美元: one currency at a time
        unit_key = unit = m.group("sym")
        rule = "symbol_" + rule.replace("_bare", "_with_unit")
    if m.group("neg"):
        neg = m.start("neg")
        if m.group("neg") == data["minus"] and neg and folded[neg - 1] in data["minus_not_after"]:
            start = m.end("neg")  # 减负2亿元: 负 ends the word before, the number is 2亿元
        else:
            value = -value
    qualifier = _qualifier(folded, start, end)
    inner = m.group("armid") or m.group("mid")
    if core == "cn" and inner is None:
        inner = next((f for f in data["approx_fillers"] if f in num_text), None)
    if qualifier is None and inner:
        qualifier = inner.strip()
    return NumberMatch(
        start=start,
        end=end,
        rule=rule,
        value=value,
        unit=unit,
        unit_key=unit_key,
        approximate=approximate or qualifier is not None,
        qualifier=qualifier,
        chinese=chinese,
        scale=scale,
        currency=stated_currency(unit_key),
        range_only=range_only,
    )


def _clause_ends(folded: str, end: int) -> bool:
    """Whether a clause ends at `end`: the end of the text or a clause mark (numbers.yaml standalone)."""
    return end >= len(folded) or folded[end] in _numbers()["standalone"]["clause_end"]


def _is_predicate(folded: str, start: int, end: int) -> bool:
    """答案是四不是五: a numeral right after 是 and before the end of its clause is the predicate."""
    spec = _numbers()["standalone"]
    after_copula = any(folded.endswith(w, 0, start) for w in spec["predicate_before"])
    closes = _clause_ends(folded, end) or any(folded.startswith(w, end) for w in spec["clause_after"])
    return after_copula and closes


def _price_follows(folded: str, end: int) -> bool:
    """戒指一对八千: a bare numeral ending its clause right after a count (its price)."""
    m = _price_pattern().match(folded, end)
    return m is not None and _clause_ends(folded, m.end())


@cache
def _price_pattern() -> re.Pattern:
    data = _numbers()
    cn = digit_chars() + "".join(data["small_units"]) + "".join(data["big_units"]) + data["point"]
    return re.compile(rf"(?:\d+(?:\.\d+)?|[{cn}]+)(?<!{data['point']})")


def _stands_alone(folded: str, numeral: str, start: int, end: int) -> bool:
    """A bare Chinese numeral that is no part of a word: a predicate (是四不是五), or a decimal (九点九)
    ending its clause."""
    point = _numbers()["point"]
    decimal = point in numeral[1:-1] and _clause_ends(folded, end)
    return decimal or _is_predicate(folded, start, end)


def _multiplier(chars: str) -> Decimal:
    """The factor of a run of multiplier characters alone (亿 -> 1e8, 千万 -> 1e7); 1 when digits are mixed in."""
    data = _numbers()
    factor = Decimal(1)
    for ch in chars:
        unit = data["big_units"].get(ch) or data["small_units"].get(ch)
        if unit is None:
            return Decimal(1)
        factor *= unit
    return factor


def _trailing_multiplier(numeral: str) -> Decimal:
    """The multiplier a Chinese numeral ends with, after its last digit: 五亿 -> 1e8, 十五万 -> 1e4."""
    digits = digit_chars()
    at = max((i for i, ch in enumerate(numeral) if ch in digits), default=-1)
    return _multiplier(numeral[at + 1 :]) if at >= 0 else Decimal(1)


def _starts_range(folded: str, end: int) -> bool:
    """Whether a range separator and a numeral follow `end` (三至五成, 10-20亿元)."""
    rest = folded[end : end + 4].lstrip(" \t")
    for sep in _numbers()["range_separators"]:
        if rest.startswith(sep):
            after = rest[len(sep) :].lstrip(" \t")[:1]
            return bool(after) and (after.isdigit() or after in digit_chars())
    return False


def digit_chars_value(ch: str) -> int:
    return int(parse_numeral(ch).value)


def _strip(text: str | None) -> str:
    return re.sub(r"[ \t]", "", text or "")


def _apply_sci(value: Decimal, sci: str | None) -> Decimal:
    if not sci:
        return value
    if sci[0] in "eE":
        return value.scaleb(int(sci[1:]))
    exponent = Decimal(sci[1:])
    if exponent != exponent.to_integral_value() or abs(exponent) > 100:
        raise ValueError("unsupported exponent")
    return value ** int(exponent)


def _end_without_unit(m: re.Match, end: int) -> int:
    """Where the span ends when no unit is taken: after the numeral and any 个亿 / 多 part."""
    if m.group("unit"):
        end = min(end, m.start("unit"))
    while end > m.start() and m.string[end - 1] in " \t":
        end -= 1
    return end


def _counts_places(folded: str, start: int, end: int) -> bool:
    data = _numbers()
    window = folded[max(0, start - data["place_window"]) : start]
    if any(w in window for w in data["place_change_words"]):
        return True
    after = folded[end : end + 1]
    return bool(after) and after not in data["rank_followers"]


def _rule_name(m: re.Match, unit_key: str | None) -> str:
    if m.group("pct"):
        return "percent_words"
    shape = "arabic" if m.group("ar") else "chinese"
    if (
        m.group("mult")
        or m.group("mult2")
        or m.group("dozen")
        or (m.group("cn") and re.search("[万亿兆]", m.group("cn")))
    ):
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
            out[i] = replace(
                cur,
                rule=cur.rule + "_shared_unit",
                unit=nxt.unit,
                unit_key=nxt.unit_key,
                currency=nxt.currency,
            )
    return out


def percent_value(match: NumberMatch) -> Decimal | None:
    """The share in percent, whatever the surface unit: 九成 -> 90, 2折 -> 20, 75折 -> 75, 三分之一 ->
    33.33..., 3.24% -> 3.24 (个百分点: in percentage points). None for a range and for other units."""
    if match.value_high is not None:
        return None
    key, value = match.unit_key, match.value
    if match.rule in ("fraction", "fraction_slash"):
        return value * 100
    if key == "成":
        return value * 10 if 0 < value <= 10 else None
    if key == "折":
        if 0 < value < 10:
            return value * 10  # 2折 -> 20, 9.9折 -> 99
        return value if 10 <= value < 100 else None  # 75折, 三八折: two digits are already percent
    if unit_kind(key) == "percent":
        return value
    return None


def number_fields(match: NumberMatch) -> dict:
    kind = unit_kind(match.unit_key)
    ranged = match.value_high is not None
    return {
        "value": None if ranged else match.value,
        "unit": match.unit,
        "number_kind": kind,
        "approximate": match.approximate,
        "qualifier": match.qualifier,
        "value_low": match.value if ranged else None,
        "value_high": match.value_high,
        "direction": match.direction,
        "currency": match.currency if kind == "money" else None,
        "percent_value": percent_value(match),
    }


def number_mentions(text: str) -> list[Mention]:
    return [
        Mention("number", m.start, m.end, number_fields(m), f"numbers.{m.rule}") for m in find_numbers(text)
    ]


class NumberExtractor:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        add_mentions(doc, number_mentions(doc_text(doc)))
        return doc


@Language.factory("number_extractor", default_config={})
def make_number_extractor(nlp: Language, name: str) -> NumberExtractor:
    return NumberExtractor(nlp, name)


__all__ = ["find_numbers", "number_mentions", "currency_code", "unit_kind", "parse_fraction"]
