"""When a number holds: the period of a fact (FACTS.md `period`), from the article's dates.

The candidates are the date mentions of the article, without the ones that date the announcement
(近日, 7月21日 — convention 1), comparison bases (比去年同期, 较上年, 与2012年相比 — convention 2),
dates inside a title 《…》 (but an evaluation year 《2019年度…评价》: convention 16) and dates naming a batch or an
edition (2017年第一批); a 截至 / 截止 before a
date is part of its span (截至目前 — convention 3), and frames of a statistic the date stage does not
find (十年来, 近3年) are added. A number takes the last candidate before it in its sentence; else the
period carries over from the sentence before (convention 4) within the body, never out of the headline
and never into it (convention 5: a headline states only what it states). An evaluation's year
(公布了2021年度…评价结果, in the headline too: convention 16) is the period of the numbers after it
whose own sentence gives none, unless a time stated after it carries over.

>>> text = "今年以来,园区工业总产值达280.5亿元,比去年同期增长12%。"
>>> at = text.index
>>> p = Periods.of(text, [DateView(0, 4, None), DateView(at("去年"), at("去年") + 2, None)])
>>> p.period_for(at("280.5"), at("亿元,") + 2), p.period_for(at("12%"), at("12%") + 3)
('今年以来', '今年以来')
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from pipeline.discourse.lexicon import facts_lexicon
from pipeline.text.segments import Segments

_DIGIT = re.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class DateView:
    """What the period resolver reads of a date mention."""

    start: int
    end: int
    value: str | None
    granularity: str = "year"


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    text: str
    value: str | None
    carries: bool = True  # False: the earlier time of a from–to pair (由上年的第4位), its own value's only


def _inside_title(text: str, start: int) -> bool:
    opened = text.rfind("《", max(0, start - 60), start)
    return opened >= 0 and text.find("》", opened, start) < 0


_QUOTES = "“”\"「」『』'‘’"
_YEAR = re.compile(r"^(?:[0-9０-９]{4}|[零〇一二三四五六七八九]{4})\s*年度?$")


def _after_word(text: str, start: int, words: tuple[str, ...]) -> bool:
    """Whether the text before `start` ends with one of `words`, an opening quote between them
    (荣获“2021年度…”: the date is an award's)."""
    window = max(map(len, words), default=0) + 2
    return text[max(0, start - window) : start].rstrip(_QUOTES).endswith(words)


def evaluation_year(text: str, dates: list[DateView], seg: Segments) -> Period | None:
    """The year of the evaluation the article reports (convention 16): the first year or 年度 with an
    evaluation word after it in its clause or right before it.

    >>> t = "近日,省高新区工作领导小组办公室公布了2021年度浙江省高新区评价结果。"
    >>> evaluation_year(t, [DateView(t.index("2021"), t.index("2021") + 6, "2021")], Segments(t)).text
    '2021年度'
    """
    lex = facts_lexicon()
    for d in sorted(dates, key=lambda d: d.start):
        span = text[d.start : d.end]
        if not _YEAR.match(span):
            continue
        clause_end = seg.span("clauses", seg.clause_of(d.start))[1]
        after = text[d.end : min(clause_end, d.end + lex.evaluation_window)]
        before = text[max(0, d.start - 2) : d.start]
        if _after_word(text, d.start, lex.award_before):
            continue
        if any(w in after for w in lex.evaluation_words) or before.endswith(lex.evaluation_words):
            return Period(d.start, d.end, span, d.value)
    return None


def period_candidates(text: str, dates: list[DateView]) -> list[Period]:
    """The dates of `text` that can be a number's period, in text order, with 截至 kept in front."""
    lex = facts_lexicon()
    found: list[Period] = []
    for d in sorted(dates, key=lambda d: d.start):
        span = text[d.start : d.end]
        if (d.granularity == "day" and _DIGIT.search(span)) or span in lex.reporting_dates:
            continue
        before = text[max(0, d.start - 4) : d.start]
        if before.endswith(lex.comparison_before) or text.startswith(lex.comparison_after, d.end):
            continue
        if text.startswith(lex.period_not_before, d.end) or (
            _inside_title(text, d.start) and not span.endswith("年度")
        ):
            continue
        if _after_word(text, d.start, lex.period_not_after):
            continue  # 荣获2021年度…, 荣获“2021年度…”: an award's or a document's year
        start, end = d.start, d.end
        prefix = next((p for p in lex.period_prefixes if before.endswith(p)), None)
        if prefix:
            start -= len(prefix)
        suffix = next((p for p in lex.period_suffixes if text.startswith(p, end)), None)
        if suffix and prefix:
            end += len(suffix)  # 截至一季度末
        # 由上年的第4位降至第6位 / 从2017年的3.24%: the time of the earlier value, carried no further
        carries = not (text[max(0, start - 1) : start] in ("由", "从") and text.startswith("的", end))
        found.append(Period(start, end, text[start:end], d.value, carries))
    taken = [(p.start, p.end) for p in found]
    for m in lex.period_frames.finditer(text):
        if not any(s < m.end() and m.start() < e for s, e in taken):
            found.append(Period(m.start(), m.end(), m.group(), None))
    return sorted(found, key=lambda p: p.start)


@dataclass
class Periods:
    """The period candidates of one article and the rule that gives each number its period."""

    candidates: list[Period]
    starts: list[int]
    seg: Segments
    evaluation: Period | None = None

    @classmethod
    def of(cls, text: str, dates: list[DateView], seg: Segments | None = None) -> Periods:
        seg = seg or Segments(text)
        candidates = period_candidates(text, dates)
        return cls(candidates, [p.start for p in candidates], seg, evaluation_year(text, dates, seg))

    def _last_before(self, pos: int, lower: int, carried: bool = False) -> Period | None:
        i = bisect_left(self.starts, pos) - 1
        while i >= 0 and (self.candidates[i].end > pos or (carried and not self.candidates[i].carries)):
            i -= 1
        if i >= 0 and self.candidates[i].start >= lower:
            return self.candidates[i]
        return None

    def resolve(self, start: int, end: int, count: bool = False) -> Period | None:
        """The period of the number at [start, end); `count`: it is a count, whose noun may follow it."""
        seg = self.seg
        if seg.in_headline(start):
            return self._last_before(start, 0)
        sentence = seg.span("sentences", seg.sentence_of(start))[0]
        body = seg.span("paragraphs", 0)[1] if seg.headline else 0
        own = self._last_before(start, sentence)
        if own:
            return own
        after = self._right_after(end) if count else None
        if after:
            return after
        carried = self._last_before(sentence, body, carried=True)
        evaluation = self.evaluation if self.evaluation and self.evaluation.end <= start else None
        if evaluation and (carried is None or carried.start < evaluation.start):
            return evaluation  # convention 16: the results of an evaluation take its year
        return carried

    def _right_after(self, end: int) -> Period | None:
        """A date right after a count and before its noun (200家2020年度省专精特新中小企业)."""
        i = bisect_left(self.starts, end)
        if i < len(self.candidates) and self.candidates[i].start == end:
            return self.candidates[i]
        return None

    def period_for(self, start: int, end: int, count: bool = False) -> str | None:
        period = self.resolve(start, end, count)
        return period.text if period else None
