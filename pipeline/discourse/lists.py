"""Ordered lists: one ranking per member, where the sentence-level stage found fewer.

Five forms (patterns in `discourse.yaml`, `ordered_lists`):
- 前N名 … 是 / 分别是 / 依次为: members ranked 1..N, when exactly N members follow
  (营业收入排名前十位的民营企业分别是:A、B、…), the sentence or its first clause;
- 依次位列前N名 after exactly N members (A、B和C依次位列前三名): 1..N, the band it would be gives way;
- 第A名至第B名 … 是: members ranked A..B (排在第11名至第20名的依次是…);
- members, then 分别 … 第A至第B位 (A、B、C分别以108家、79家和56家位列全省第一至第三位): A..B;
- 其次是 … / … 紧随其后: members ranked on from the last rank stated before them
  (A荣登榜首,其次是B、C和D -> 2, 3, 4).
A member whose rank the sentence-level stage already gave in the same sentence is left to it.

>>> items = ordered_lists("排名前三的城市依次为甲市、乙市和丙市。", []).items
>>> [(i.rank, i.subject) for i in items]
[(1, '甲市'), (2, '乙市'), (3, '丙市')]
>>> [(i.rank, i.subject) for i in ordered_lists("甲县排在第三,乙县、丙县紧随其后。", [(3, 0, 6)]).items]
[(4, '乙县'), (5, '丙县')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.resolve import safe_load_yaml
from pipeline.resolve.numerals import parse_numeral
from pipeline.text.segments import Segments

RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "zh" / "discourse.yaml"
_NUMERAL = r"(?:\d{1,3}|[一二两三四五六七八九十百]{1,4})"
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")


@dataclass(frozen=True)
class Lists:
    """The members found, and the spans of list heads (排在第11名至第20名的依次是): a ranking the
    sentence-level stage found inside a head is the head, not a member, and gives way to them."""

    items: list[ListItem]
    heads: list[tuple[int, int]]


@dataclass(frozen=True)
class ListItem:
    rank: int
    subject: str
    start: int  # the member's span in the text
    end: int
    scope: str | None


@dataclass(frozen=True)
class _Patterns:
    top: re.Pattern[str]
    top_after: re.Pattern[str]
    span: re.Pattern[str]
    span_after: re.Pattern[str]
    next_before: re.Pattern[str]
    next_after: re.Pattern[str]
    separators: re.Pattern[str]
    clause_break: re.Pattern[str]
    member_max: int


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    raw = safe_load_yaml(RESOURCE.read_text(encoding="utf-8"))
    lists = raw["ordered_lists"]
    return _Patterns(
        top=re.compile(lists["top"].replace("{n}", f"(?P<n>{_NUMERAL})")),
        top_after=re.compile(lists["top_after"].replace("{n}", f"(?P<n>{_NUMERAL})")),
        span=re.compile(
            lists["span"].replace("{a}", f"(?P<a>{_NUMERAL})").replace("{b}", f"(?P<b>{_NUMERAL})")
        ),
        span_after=re.compile(
            lists["span_after"].replace("{a}", f"(?P<a>{_NUMERAL})").replace("{b}", f"(?P<b>{_NUMERAL})")
        ),
        next_before=re.compile(lists["next_before"]),
        next_after=re.compile(lists["next_after"]),
        separators=re.compile(raw["list_separators"]),
        clause_break=re.compile(raw["list_clause_break"]),
        member_max=raw["list_member_max"],
    )


def _number(text: str) -> int | None:
    try:
        value = parse_numeral(text).value
    except ValueError:
        return None
    return int(value) if value == int(value) else None


def _members(text: str, start: int, end: int, pat: _Patterns) -> list[tuple[int, int]]:
    """The (start, end) of each list member in text[start:end], or [] when one is no name."""
    out, pos = [], start
    for m in pat.separators.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    out = [(s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip())) for s, e in out]
    if any(e - s < 2 or e - s > pat.member_max for s, e in out):
        return []
    return out


def _members_of(text: str, start: int, end: int, n: int, pat: _Patterns) -> list[tuple[int, int]]:
    """The `n` members after a list head: up to the sentence's end, or up to the first comma when the
    sentence goes on after the list (排在第11名至第14名的依次是A、B、C和D,其中A较上年进位5名)."""
    members = _members(text, start, end, pat)
    if len(members) != n:
        comma = pat.clause_break.search(text, start, end)
        if comma:
            members = _members(text, start, comma.start(), pat)
    return members


def ordered_lists(text: str, ranks: list[tuple[int, int, int]], seg: Segments | None = None) -> Lists:
    """The ordered lists of `text`. `ranks`: (rank, start, end) of the rankings already found, so that
    a member they cover is not given twice."""
    pat = _patterns()
    seg = seg or Segments(text)
    out: list[ListItem] = []
    heads: list[tuple[int, int]] = []
    found: list[tuple[int, int, int]] = []  # (rank, start, end) of the members given here

    def sentence_end(pos: int) -> int:
        m = _SENTENCE_END.search(text, pos)
        return m.start() if m else len(text)

    def taken(rank: int, lo: int, hi: int) -> bool:
        return any(r == rank and lo <= s < hi for r, s, _ in ranks)

    def emit(first: int, members, scope: str | None, lo: int, hi: int) -> None:
        for k, (s, e) in enumerate(members):
            if not taken(first + k, lo, hi):
                out.append(ListItem(first + k, text[s:e], s, e, scope))
                found.append((first + k, s, e))  # 依次位列前三,其次是…: a list goes on from these

    for m in pat.top.finditer(text):
        n = _number(m.group("n"))
        end = sentence_end(m.end())
        members = _members_of(text, m.end(), end, n or 0, pat)
        if n and len(members) == n:
            lo = seg.span("sentences", seg.sentence_of(m.start()))[0]
            clause = seg.span("clauses", seg.clause_of(m.start()))[0]
            emit(1, members, text[clause : m.start()].strip("，,:： ") or None, lo, end)
    for m in pat.span.finditer(text):
        a, b = _number(m.group("a")), _number(m.group("b"))
        end = sentence_end(m.end())
        members = _members_of(text, m.end(), end, (b or 0) - (a or 0) + 1, pat)
        if a and b and b > a and len(members) == b - a + 1:
            heads.append((m.start(), m.end()))
            ranks = [r for r in ranks if not (r[1] < m.end() and m.start() < r[2])]
            lo = seg.span("sentences", seg.sentence_of(m.start()))[0]
            emit(a, members, None, lo, end)

    def members_before(m: re.Match, first: int | None, last: int | None, head_from_members: bool) -> None:
        """Members listed before a head in its clause, ranked first..last; the head (and with
        `head_from_members` the members too) replaces the rankings found there."""
        nonlocal ranks
        lo = seg.span("clauses", seg.clause_of(m.start()))[0]
        members = _members(text, lo, m.start(), pat)
        if first and last and last >= first and len(members) == last - first + 1:
            heads.append((lo if head_from_members else m.start(), m.end()))
            ranks = [r for r in ranks if not (r[1] < m.end() and lo <= r[1])]
            emit(first, members, None, lo, m.end())

    for m in pat.top_after.finditer(text):
        # A、B和C依次位列前三名: the members before an ordered head; a band there is the head
        n = _number(m.group("n"))
        members_before(m, 1 if n else None, n, head_from_members=False)
    for m in pat.span_after.finditer(text):
        # A、B、C分别以108家、79家和56家位列全省第一至第三位: the members before, ranked a..b
        a, b = _number(m.group("a")), _number(m.group("b"))
        if a and b and b > a:
            members_before(m, a, b, head_from_members=True)
    for m in pat.next_before.finditer(text):
        _next(text, seg, m.start(), m.end(), sentence_end(m.end()), ranks + found, pat, emit)
    for m in pat.next_after.finditer(text):
        clause = seg.span("clauses", seg.clause_of(m.start()))
        _next(text, seg, clause[0], clause[0], m.start(), ranks + found, pat, emit)
    return Lists(sorted(out, key=lambda i: i.start), heads)


def _next(text, seg, anchor, start, end, ranks, pat, emit) -> None:
    """Members in text[start:end] ranked on from the last rank stated before `anchor` in its sentence
    or the sentence before."""
    sentence = seg.sentence_of(anchor)
    lo = seg.span("sentences", max(sentence - 1, 0))[0]
    before = [(s, r) for r, s, _ in ranks if lo <= s < anchor]
    members = _members(text, start, end, pat)
    if before and members:
        emit(max(before)[1] + 1, members, None, start, end)
