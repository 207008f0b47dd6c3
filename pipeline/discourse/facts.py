"""Number facts: what each number measures (`metric`), of whom (`subject`) and when (`period`),
per ../shared/data/bulletins_dev/FACTS.md. Pure: spans in, fields out.

The metric comes from `discourse.metrics`, the period from `discourse.periods`; the subject is the
last holder named before the number in its sentence (an organisation, a place, or a place word such as
我市 / 全省 / 该县), else the subject of the number before it in the body (convention 4: carried over),
with deictics (园区, 该区, 该公司) resolved to the article's named holder by `discourse.holders`, the
same resolver the rankings use. A holder that is the source of the news (记者从市科技局获悉, 省统计局发布)
or the scope of a rank (进入全国前三十) is no subject, unless it stands right before the number
(全国217家国家级经开区: the count of a field takes the place that holds it).

>>> text = "园区再创佳绩\\n截至目前,平湖经开区拥有高新技术企业109家。今年以来,园区创造工业总产值达280.5亿元。"
>>> at = text.index
>>> nums = [NumberView(at("109家"), at("109家") + 4, "家", "count"),
...         NumberView(at("280.5"), at("亿元。") + 2, "元", "money")]
>>> dates = [DateView(at("目前"), at("目前") + 2, None), DateView(at("今年以来"), at("今年以来") + 4, None)]
>>> for f in number_facts(text, nums, dates, orgs=[(at("平湖经开区"), at("平湖经开区") + 5)]):
...     print(f.metric, f.subject, f.period)
高新技术企业 平湖经开区 截至目前
工业总产值 平湖经开区 今年以来
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from pipeline.discourse.fields import field_kind, field_noun
from pipeline.discourse.fields import load_lexicon as fields_lexicon
from pipeline.discourse.holders import Holders, deictic_words
from pipeline.discourse.lexicon import FactsLexicon, facts_lexicon, word_matchers
from pipeline.discourse.metrics import RANK_WORDS, NumberView, Span, metric_spans, respectively_pairs
from pipeline.discourse.periods import DateView, Periods
from pipeline.text.segments import Segments

__all__ = ["DateView", "Fact", "NumberView", "number_facts"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_SCOPE_AFTER = ("第", "前", "平均", "同类", "范围")
_REGION_STARTS = ("全", "国内", "省内", "市内", "同类", "各")
_SCOPE_BEFORE = ("居", "列", "进入", "跻身", "高于", "低于", "比", "较", "超过", "占", "在", "对", "与")


@dataclass(frozen=True)
class Fact:
    metric: str | None
    subject: str | None
    period: str | None
    period_value: str | None


def subject_candidates(text: str, named: list[Span], lex: FactsLexicon) -> list[Span]:
    """Named holders and place or deictic words (我市, 全省, 园区, 该公司) outside the named ones."""
    taken = bytearray(len(text) + 1)
    for s, e in named:
        taken[s:e] = b"\x01" * (e - s)
    found = list(named)
    words = [m.span() for m in lex.place_subject.finditer(text)]
    for word in deictic_words():  # the deictics of the ranking subjects: one list
        at = text.find(word)
        while at >= 0:
            words.append((at, at + len(word)))
            at = text.find(word, at + 1)
    for s, e in words:
        if taken.find(1, s, e) == -1:
            found.append((s, e))
            taken[s:e] = b"\x01" * (e - s)
    return sorted(found)


def _is_source_or_scope(text: str, span: Span, number_start: int, lex: FactsLexicon) -> bool:
    s, e = span
    before = text[max(0, s - 3) : s]
    if before.endswith(lex.source_before) or text.startswith(lex.source_after, e):
        return True
    if e == number_start:
        return False
    if text.startswith(RANK_WORDS, e):  # 全省排名第5: a region is the scope; 葑岭园区排名下降4位: a holder
        return text.startswith(_REGION_STARTS, s)
    return text.startswith(_SCOPE_AFTER, e) or before.endswith(_SCOPE_BEFORE)


def _publishes(text: str, end: int, number_start: int, lex: FactsLexicon) -> bool:
    """The holder ending at `end` publishes or evaluates: a publishing verb follows it before the number."""
    stretch = text[end:number_start]
    for verb in lex.publish_verbs:
        at = stretch.find(verb)
        while at >= 0:
            if not stretch.startswith(lex.publish_noun_heads, at + len(verb)):
                return True  # 科技部公布…: a verb; 苏州市综合评价得分为…: a noun of what was published
            at = stretch.find(verb, at + 1)
    return False


def _in_subject_place(
    text: str, span: Span, number_start: int, clause_start: int, skip, lex, place: bool = False
) -> bool:
    """At its clause's start (after periods and connectives), right before the number, or after 在/对.
    A holder that publishes (科技部公布…) is not in a subject's place; a `place` never publishes
    (2021年一季度威海市…的通报 names 威海市 as a place)."""
    s, e = span
    if text[max(0, s - 1) : s] == "占":
        return False  # 占全市34.3%: the whole it is a share of
    if e == number_start:
        return True
    publisher = (
        not place and not lex.place_subject.fullmatch(text[s:e]) and _publishes(text, e, number_start, lex)
    )
    if text.startswith(lex.holder_not_before, e) or publisher or lex.holder_modifies.match(text, e):
        return False
    pos = clause_start
    while pos < s:
        end = skip(pos)
        if end is None:
            lead = word_matchers().subject_lead.match(text, pos)
            word = lead.group() if lead else None
            end = pos + len(word) if word else (pos + 1 if text[pos] in "，,、：: \u3000" else None)
        if end is None or end > s:
            return False
        pos = end
    return pos == s


def named_places(
    text: str, seg: Segments, places: list[Span], orgs: list[Span], skip, lex: FactsLexicon
) -> dict[str, str]:
    """我市 / 全省 -> the place of that kind the article names as a place (a subject opening a clause,
    not a piece of a name: 宁波市茶花奖), the most often named one; words with no such place stay as
    written (convention 11)."""
    counts: dict[str, int] = {}
    in_org = bytearray(len(text) + 1)
    for os, oe in orgs:
        in_org[os:oe] = b"\x01" * (oe - os)
    for s, e in places:
        if in_org[s]:
            continue
        clause = seg.span("clauses", seg.clause_of(s))
        if not _in_subject_place(text, (s, e), clause[1], clause[0], skip, lex, place=True):
            continue
        name = text[s:e]
        counts[name] = counts.get(name, 0) + 1
    found = {}
    for word, ending in lex.named_places.items():
        fitting = [n for n in counts if n.endswith(ending) and len(n) > len(ending) and n != word]
        if fitting:
            found[word] = max(fitting, key=lambda n: counts[n])
    return found


def places_named(
    text: str,
    seg: Segments,
    places: list[Span],
    orgs: list[Span],
    dates: list[Span],
    is_common=lambda word: False,
) -> dict[str, str]:
    """`named_places` for a caller with only the article's mentions (the ranking subjects: 我县 -> the
    county the article names as a place, as a number's subject is), with the places opening a clause
    that the NER stage did not find, as `number_facts` reads them."""
    ends = {s: e for s, e in dates}
    lex = facts_lexicon()
    places = list(places) + places_opening_clauses(text, seg, list(orgs) + list(places), ends, is_common, lex)
    return named_places(text, seg, places, orgs, ends.get, lex)


def _aside_start(text: str, lower: int, pos: int) -> int | None:
    """The start of the parenthesis `pos` is inside (after `lower`), or None."""
    opened = max(text.rfind("(", lower, pos), text.rfind("（", lower, pos))
    if opened < 0:
        return None
    closed = max(text.rfind(")", opened, pos), text.rfind("）", opened, pos))
    return opened + 1 if closed < 0 else None


class _Subjects:
    def __init__(
        self, text: str, seg: Segments, candidates: list[Span], holders: Holders, periods: list[Span]
    ):
        self.text, self.seg, self.holders = text, seg, holders
        self.places: dict[str, str] = {}
        self.candidates = candidates
        self.starts = [s for s, _ in candidates]
        self.period_ends = {s: e for s, e in periods}
        self.carried: str | None = None
        self.carried_at = -1  # where the carried subject's holder is named

    def _last_valid(
        self, pos: int, lower: int, lex: FactsLexicon, strict: bool, outside_asides: bool = False
    ) -> Span | None:
        i = bisect_left(self.starts, pos) - 1
        while i >= 0 and self.candidates[i][0] >= lower:
            span = self.candidates[i]
            if outside_asides and _aside_start(self.text, lower, span[0]) is not None:
                i -= 1
                continue
            if span[1] <= pos and not _is_source_or_scope(self.text, span, pos, lex):
                clause = self.seg.clauses[self.seg.clause_of(span[0])]
                if not strict or _in_subject_place(self.text, span, pos, clause, self.period_ends.get, lex):
                    return span
            i -= 1
        return None

    def subject_for(self, num: NumberView, lex: FactsLexicon) -> str | None:
        seg = self.seg
        if seg.in_headline(num.start):
            span = self._last_valid(num.start, 0, lex, strict=False)
            return self.text[span[0] : span[1]] if span else None
        sentence = seg.span("sentences", seg.sentence_of(num.start))[0]
        aside = _aside_start(self.text, sentence, num.start)
        if aside is not None:  # (兰州高新区292亿元、白银高新区128亿元): its own holder, carried no further
            span = self._last_valid(num.start, aside, lex, strict=False)
            if span:
                return self.holders.resolve(self.text[span[0] : span[1]], num.start)
        span = self._last_valid(num.start, sentence, lex, strict=True, outside_asides=True)
        if span is None:
            span = self._named_before(sentence, lex)
        if span is None:
            return self.carried
        subject = self.holders.resolve(self.text[span[0] : span[1]], num.start)
        subject = self.places.get(subject, subject)
        self.carried, self.carried_at = subject, span[0]
        return subject

    def _named_before(self, sentence: int, lex: FactsLexicon) -> Span | None:
        """A holder named in an earlier sentence of the paragraph, newer than the carried subject,
        though no number of it took it (convention 4: 今年以来,我市通过…。截至目前,已培育…30家 -> 我市;
        去年,县工业园紧紧围绕…。项目推进实现新突破。先后组织…活动13次 -> 县工业园)."""
        seg = self.seg
        paragraph = seg.span("paragraphs", seg.paragraph_of(sentence))[0]
        end = sentence
        while end > paragraph and end > self.carried_at:
            start = seg.span("sentences", seg.sentence_of(end - 1))[0]
            if seg.in_headline(start):
                return None
            span = self._last_valid(
                end, max(start, self.carried_at + 1), lex, strict=True, outside_asides=True
            )
            if span is not None:
                return span
            end = start
        return None


def _scope_spans(text: str, rankings: list[tuple[int, int, str | None]]) -> list[Span]:
    """Where each ranking's scope is written, nearest before the ranking's end."""
    spans = []
    for start, end, scope in rankings:
        if scope:
            at = text.rfind(scope, max(0, start - 80), end + len(scope))
            if at >= 0:
                spans.append((at, at + len(scope)))
    return spans


def _listed(text: str, member: Span | None, holders: Holders) -> str | None:
    """The holder a 分别 list gives the number (甲区和乙区分别增长5%和8%)."""
    if member is None:
        return None
    return holders.resolve(text[member[0] : member[1]], member[0])


def _group_subjects(text, seg, numbers, metrics, period_ends, lex) -> list[Span]:
    """A count and its noun opening a clause that goes on are a holder for the numbers after them
    (16个高新区重大项目开工382个 -> 16个高新区)."""
    groups = []
    for num, metric in zip(numbers, metrics, strict=True):
        if num.kind != "count" or not metric or metric[0] != num.end or not _CJK.match(text, metric[1]):
            continue
        clause = seg.span("clauses", seg.clause_of(num.start))
        if _in_subject_place(text, (num.start, metric[1]), clause[1], clause[0], period_ends.get, lex):
            groups.append((num.start, metric[1]))
    return groups


def _clause_openings(text, seg, period_ends, lex):
    """Where each clause's subject would start: past its periods, separators and lead words (each
    position once: 2023年,栖东区… opens two clauses at one place). Computed once per article and set of
    periods (four readers ask for them)."""
    key = ("clause_openings", tuple(sorted(period_ends.items())))
    if key not in seg.memo:
        seg.memo[key] = list(_find_clause_openings(text, seg, period_ends))
    return seg.memo[key]


def _find_clause_openings(text, seg, period_ends):
    seen = set()
    for clause in seg.clauses:
        pos = clause
        while True:
            while (end := period_ends.get(pos)) is not None:
                pos = end
            while pos < len(text) and text[pos] in "，,、 ":
                pos += 1
            lead = word_matchers().subject_lead.match(text, pos)
            word = lead.group() if lead else None
            if not word:
                break
            pos += len(word)
        if pos not in seen:
            seen.add(pos)
            yield pos


def _opening_matches(text, seg, taken_spans, period_ends, pattern, lex):
    """The matches of `pattern` at clause openings (`_clause_openings`) that overlap no taken span."""
    taken = bytearray(len(text) + 1)
    for s, e in taken_spans:
        taken[s:e] = b"\x01" * (e - s)
    for pos in _clause_openings(text, seg, period_ends, lex):
        m = pattern.match(text, pos)
        if m and taken.find(1, m.start(), m.end()) == -1:
            yield m


def _zones_opening_clauses(text, seg, candidates, period_ends, lex) -> list[Span]:
    """Zone names opening a clause that no earlier stage found (县工业园紧紧围绕…)."""
    return [m.span() for m in _opening_matches(text, seg, candidates, period_ends, lex.zone_name, lex)]


def _groups_opening_clauses(text, seg, named, period_ends, lex) -> list[Span]:
    """The groups of a list or an evaluation opening a clause (30强企业去年合计研发投入…, 参评开发区亩均
    税收…): holders as written, over the generic word inside them (开发区)."""
    return [m.span() for m in _opening_matches(text, seg, named, period_ends, lex.group_name, lex)]


def places_opening_clauses(text, seg, taken_spans, period_ends, is_common, lex=None) -> list[Span]:
    """Place names opening a clause that no earlier stage found (栖东区研发投入强度…, 蒿坪县…): the
    name part neither is nor holds a common word (`is_common`: 开发区, 成为全市, 一线城市 are none).

    >>> t = "2023年,栖东区研发投入强度达5.16%。全市共有高新技术企业712家。"
    >>> s = Segments(t)
    >>> [t[a:b] for a, b in places_opening_clauses(t, s, [], {0: 5}, lambda w: False)]
    ['栖东区']
    """
    lex = lex or facts_lexicon()
    found = []
    for m in _opening_matches(text, seg, taken_spans, period_ends, lex.place_name, lex):
        name = m.group(1)
        if any(ch in lex.place_name_stops for ch in name) or is_common(name):
            continue  # 为我省, 成为全市, 一线城市: words of the clause, no name
        found.append(m.span())
    return found


_FIXED_SET_BEFORE = re.compile(
    r"(?:全国|全省|全市|全区|全县|[省市县区州])(?:参评|参加评价)?(?:共有|共|有|的)?$"
)


def _fixed_set(text: str, num: NumberView, metric: Span, lex) -> bool:
    """A count of all the places of a region (全省52个县(市), 珂州市9个区县, 全国31个省(区、市)), not of
    the places a list names (荆门、黄冈、天门四个市州完成率…: those hold a result of the period)."""
    before = text[max(0, num.start - 8) : num.start]
    return bool(
        lex.fixed_set_nouns.fullmatch(text, *metric)
        and _FIXED_SET_BEFORE.search(before)
        and "、" not in before  # 平湖市、海宁市、嘉善县3个县(市): the places of a list
    )


def _subject(subjects: _Subjects, num: NumberView, metric: Span | None, text: str, lex) -> str | None:
    if metric and num.kind == "count" and text[metric[0] : metric[1]].endswith(lex.scheme_nouns):
        return None  # 5个一级指标: a count in an evaluation scheme has no holder (convention 7)
    subject = subjects.subject_for(num, lex)
    if (
        subject
        and metric
        and num.kind == "count"
        and num.unit not in lex.rank_change_units
        and not lex.group_name.fullmatch(subject)  # 入榜企业 holds its 研发投入亿元以上企业41家
        and _same_kind(subject, text[metric[0] : metric[1]])
    ):
        return (
            None  # 共10所大学进入前100名 after 北京大学: a body holds no count of its own kind (convention 8)
        )
    return subject


def _same_kind(subject: str, counted: str) -> bool:
    """Whether a holder and a counted noun name the same kind of body (北京大学 / 大学, 甲公司 / 企业),
    by the field nouns of rankings.yaml; places and regions (全省, 我市) never match."""
    fields = fields_lexicon()
    noun = field_noun(counted, fields)
    if noun is None or not counted.endswith(noun[0]):
        return False  # 省级园区新开工项目: the count is of 项目, not of 园区
    kind = field_kind(subject, fields)
    return kind == noun[1] and kind not in ("city", "county", "province", "generic")


def number_facts(
    text: str,
    numbers: list[NumberView],
    dates: list[DateView],
    orgs: list[Span],
    places: list[Span] = (),
    seg: Segments | None = None,
    rankings: list[tuple[int, int, str | None]] = (),
    is_common=lambda word: False,
) -> list[Fact]:
    """The fact of each number of `numbers` (in text order): metric, subject, period and its value.
    `rankings`: (start, end, scope) of the article's rankings; `is_common(name)`: whether a name part is
    or holds a common word (no place name), for the places no earlier stage found."""
    lex = facts_lexicon()
    seg = seg or Segments(text)
    numbers = sorted(numbers, key=lambda n: n.start)
    periods = Periods.of(text, dates, seg)
    date_spans = [(p.start, p.end) for p in periods.candidates] + [(d.start, d.end) for d in dates]
    period_ends = {s: e for s, e in date_spans}
    places = list(places) + places_opening_clauses(
        text, seg, list(orgs) + list(places), period_ends, is_common, lex
    )
    named = sorted(set(orgs) | set(places))
    candidates = subject_candidates(text, named, lex)
    listed_groups = _groups_opening_clauses(text, seg, named, period_ends, lex)
    if listed_groups:
        candidates = [c for c in candidates if not any(g[0] <= c[0] and c[1] <= g[1] for g in listed_groups)]
    zones = listed_groups + _zones_opening_clauses(text, seg, candidates + listed_groups, period_ends, lex)
    holders = Holders.of(text, named + zones, seg)
    metrics = metric_spans(
        text, seg, numbers, candidates + zones, date_spans, _scope_spans(text, list(rankings))
    )
    groups = _group_subjects(text, seg, numbers, metrics, period_ends, lex)
    groups += zones
    subjects = _Subjects(text, seg, sorted(candidates + groups), holders, date_spans)
    subjects.places = named_places(text, seg, list(places), list(orgs), subjects.period_ends.get, lex)
    starts = {s: e for s, e in sorted(candidates)}
    # a 分别 list's member that starts with a holder is that holder (岚山市技术合同成交额 -> 岚山市)
    listed = {
        i: (m[0], starts[m[0]]) for i, m in respectively_pairs(text, seg, numbers).items() if m[0] in starts
    }
    facts = []
    for i, (num, metric) in enumerate(zip(numbers, metrics, strict=True)):
        count = num.kind == "count"
        period = periods.resolve(num.start, num.end, count) if num.kind != "duration" else None
        if count and metric and _fixed_set(text, num, metric, lex):
            period = None  # 全省52个县(市): a fixed set of places has no period (convention 19)
        facts.append(
            Fact(
                metric=text[metric[0] : metric[1]] if metric else None,
                subject=_listed(text, listed.get(i), holders) or _subject(subjects, num, metric, text, lex),
                period=period.text if period else None,
                period_value=period.value if period else None,
            )
        )
    return facts
