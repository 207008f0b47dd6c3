"""The `date_extractor` component: match time expressions, then resolve them (pipeline/resolve/dates.py).

Patterns and relative-date words live in pipeline/resources/zh/dates.yaml. Matching runs on the
folded text (Traditional and full-width characters folded one to one, so offsets do not move).
At a position the longest match wins; matches never overlap.
Durations (12个月, 3年时间) are numbers, not dates: see pipeline/components/numbers.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, add_mentions, doc_text, reference_date
from pipeline.resolve import load_resource
from pipeline.resolve.dates import DateExpression, resolve
from pipeline.resolve.first_chars import StartScan
from pipeline.resolve.numerals import fold

_GROUPS = ("y", "m", "d", "y2", "m2", "d2", "part", "rel", "era")


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    rule: str
    expression: DateExpression


@cache
def _compiled() -> tuple[list[tuple[str, re.Pattern]], re.Pattern, tuple[str, ...]]:
    data = load_resource("dates.yaml")
    eras = sorted(load_resource("reign_eras.yaml")["eras"], key=len, reverse=True)
    pieces = {**data["pieces"], "ERA": "|".join(map(re.escape, eras))}  # ERA last: ERAYEAR holds it
    patterns = []
    for spec in data["patterns"]:
        regex = spec["regex"]
        for name, piece in pieces.items():
            regex = regex.replace("{" + name + "}", piece)
        patterns.append((spec["name"], re.compile(regex)))
    words = sorted(data["relative_words"], key=len, reverse=True)
    relative = re.compile("|".join(re.escape(fold(w)) for w in words))
    return patterns, relative, tuple(fold(w) for w in data.get("not_inside", []))


@cache
def _scans() -> tuple[list[tuple[str, StartScan]], StartScan]:
    """The patterns of `_compiled`, each tried only where a match can start (same matches)."""
    patterns, relative, _ = _compiled()
    return [(rule, StartScan(pattern)) for rule, pattern in patterns], StartScan(relative)


@cache
def _folded_words() -> dict[str, str]:
    return {fold(w): w for w in load_resource("dates.yaml")["relative_words"]}


def _inside_excluded(text: str, start: int, end: int, excluded: tuple[str, ...]) -> bool:
    for phrase in excluded:
        lo = max(0, start - len(phrase))
        idx = text.find(phrase, lo, end + len(phrase))
        if idx != -1 and idx <= start and idx + len(phrase) >= end:
            return True
    return False


def find_dates(text: str) -> list[DateMatch]:
    """Every time expression in `text`, in text order, non-overlapping (longest first)."""
    return list(_find_dates(text))


@lru_cache(maxsize=4)
def _find_dates(text: str) -> tuple[DateMatch, ...]:
    # Cached: the number, date and organisation stages all ask for the dates of the same text.
    folded = fold(text)
    excluded = _compiled()[2]
    patterns, relative = _scans()
    candidates: list[DateMatch] = []
    for rule, pattern in patterns:
        for m in pattern.finditer(folded):
            found = m.groupdict()
            groups = {g: found.get(g) for g in _GROUPS}
            expr = DateExpression(
                rule,
                year=groups["y"],
                month=groups["m"],
                day=groups["d"],
                year2=groups["y2"],
                month2=groups["m2"],
                day2=groups["d2"],
                part=groups["part"],
                word=groups["rel"],  # 去年 in 去年8月: the year relative to the reference date
                era=groups["era"],  # 康熙 in 康熙三年: the year counts from the era's first
            )
            candidates.append(DateMatch(m.start(), m.end(), rule, expr))
    words = _folded_words()
    for m in relative.finditer(folded):
        if _inside_excluded(folded, m.start(), m.end(), excluded):
            continue
        word = words[m.group()]
        candidates.append(
            DateMatch(m.start(), m.end(), "relative_word", DateExpression("relative", word=word))
        )
    chosen: list[DateMatch] = []
    taken = bytearray(len(folded) + 1)  # 1 where a chosen date lies: linear in the text's length
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if taken.find(1, cand.start, cand.end) != -1:
            continue
        chosen.append(cand)
        taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    return tuple(sorted(chosen, key=lambda c: c.start))


def date_mentions(text: str, reference=None) -> list[Mention]:
    """The date mentions of `text`, resolved against `reference` (a date or None)."""
    found = []
    for match in find_dates(text):
        try:
            value = resolve(match.expression, reference)
        except ValueError:
            continue  # an impossible date such as 2月30日: not a date
        fields = {
            "value": value.value,
            "granularity": value.granularity,
            "relative": value.relative,
            "resolved": value.resolved,
        }
        found.append(Mention("date", match.start, match.end, fields, f"dates.{match.rule}"))
    return found


class DateExtractor:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        add_mentions(doc, date_mentions(doc_text(doc), reference_date(doc)))
        return doc


@Language.factory("date_extractor", default_config={})
def make_date_extractor(nlp: Language, name: str) -> DateExtractor:
    return DateExtractor(nlp, name)
