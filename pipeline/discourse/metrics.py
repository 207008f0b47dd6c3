"""What a number measures: the `metric` of a fact (FACTS.md), as a span of the article text.

Four readings, tried in this order for each number of a sentence:
1. A 分别 list pairs members with numbers when the counts agree (新能源、新材料两个领域分别增长17.1%、
   14.0% -> 新能源, 新材料).
2. A count followed by its noun names the counted thing (新增18家省专精特新中小企业 -> 省专精特新中小企业);
   a generic noun takes the status the clause gives it (4家单位被认定为自治区科技企业孵化器 ->
   自治区科技企业孵化器: convention 12).
3. Else the phrase before the number, from the clause start or the number before, without the
   subject, the period, the connectives and verbs at its start and the verb or qualifier at its end
   (今年以来,园区创造工业总产值达280.5亿元 -> 工业总产值). A share names what it is a share of (占Y的N% -> Y),
   or the whole X占Y比重 (convention 9). A change names the thing that changed (同比增长12.5%, 增速比上年
   提高1.2个百分点 -> the metric of the number before it in the sentence: convention 10).
4. Streaks and durations (连续12年, 历时两个月) have none (conventions 6, 13).

Subjects and dates are never part of a metric: stripped from its start (dates from its end too).

>>> text = "今年以来,园区创造工业总产值达280.5亿元,同比增长12.5%。新增18家省专精特新中小企业。"
>>> at = text.index
>>> nums = [NumberView(at("280.5"), at("亿元,") + 2, "元", "money"),
...         NumberView(at("12.5%"), at("12.5%") + 5, "%", "percent"),
...         NumberView(at("18家"), at("18家") + 3, "家", "count")]
>>> [text[a:b] for a, b in metric_spans(text, Segments(text), nums, [(5, 7)], [(0, 4)])]
['工业总产值', '工业总产值', '省专精特新中小企业']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from pipeline.discourse.lexicon import FactsLexicon, facts_lexicon, word_matchers
from pipeline.text.segments import Segments

Span = tuple[int, int]

_SEPARATORS = set("、,，;；:：。!！?？ \u3000\t\n（）()[]【】")
# A bracket of place words after a place noun (县(市), 县(市、区), 省(区、市)) is part of the noun.
_PLACE_ASIDE = re.compile(r"[(（][市区县旗、]{1,5}[)）]|[(（]自治区、直辖市[)）]")
_NOUN_END = re.compile(r"[^\u4e00-\u9fff“”\"A-Za-z&]")
_CLOSING = set("中里内")
_PROTECTED = ("增加值", "增长点", "增长极", "比重", "比例", "比率", "比值", "占比")
RANK_WORDS = ("排名", "排位", "位次", "名次")  # the words a rank is written with (facts reads them too)
_STREAK_UNITS = frozenset(("次", "届", "期", "轮", "度"))


@dataclass(frozen=True)
class NumberView:
    """What the fact resolvers read of a number mention."""

    start: int
    end: int
    unit: str | None
    kind: str  # a NumberKind value


class _Bounds:
    """Sorted boundary spans with O(log n) look-ups of one starting or ending at an offset."""

    def __init__(self, spans: list[Span]):
        self.by_start = sorted(spans)
        self.starts = [s for s, _ in self.by_start]
        self.ends = {e: s for s, e in spans}

    def ending_at(self, pos: int) -> int | None:
        return self.ends.get(pos)

    def starting_at(self, pos: int) -> int | None:
        i = bisect_left(self.starts, pos)
        best = None
        while i < len(self.starts) and self.starts[i] == pos:
            best = max(best or 0, self.by_start[i][1])
            i += 1
        return best


def _ends_within(spans: list[Span], starts: list[int], a: int, b: int) -> list[int]:
    """The ends of the sorted `spans` that start at or after `a` and end before `b` (a window search)."""
    found = []
    i = bisect_left(starts, a)
    while i < len(spans) and spans[i][0] < b:
        if spans[i][1] < b:
            found.append(spans[i][1])
        i += 1
    return found


def _strip(text: str, a: int, b: int, bounds: _Bounds, tails: _Bounds, lex: FactsLexicon) -> Span:
    """[a, b) without separators, boundaries and lead words at its start, dates (`tails`) and tail
    words at its end."""
    changed = True
    while changed and a < b:
        changed = False
        if text[a] in _SEPARATORS or text[a] == "的":
            a, changed = a + 1, True
            continue
        end = bounds.starting_at(a)
        if end is not None and end <= b:
            a, changed = end, True
            continue
        lead = word_matchers().lead.match(text, a, b)
        if lead:
            a, changed = lead.end(), True
    changed = True
    while changed and a < b:
        changed = False
        if text[b - 1] in _SEPARATORS:
            b, changed = b - 1, True
            continue
        start = tails.ending_at(b)
        if start is not None and start >= a:
            b, changed = start, True
            continue
        word = next(
            (w for w in word_matchers().tails_by_last.get(text[b - 1], ()) if text.endswith(w, a, b)), None
        )
        if word:
            b, changed = b - len(word), True
    return a, b


def _protected_at(text: str, i: int) -> bool:
    return any(text.startswith(p, i - k) for p in _PROTECTED for k in range(len(p)) if i - k >= 0)


def _change_at(text: str, a: int, b: int, lex: FactsLexicon) -> int | None:
    """The first offset in [a, b) where a change or comparison word starts (增长, 同比, 比上年, 增速)."""
    for i in range(a, b):
        if text.startswith(lex.growth_verbs, i) or text.startswith(lex.comparison_words, i):
            if not _protected_at(text, i):  # 增加值, 比重: a word holding a change word is none
                return i
    return None


def _noun_after(text: str, pos: int, limit: int, lex: FactsLexicon) -> Span | None:
    """The noun phrase starting at `pos` (the counted thing after a count), up to a stop word."""
    k = pos
    while k < limit and k - pos < lex.metric_max:
        if k > pos and (aside := _PLACE_ASIDE.match(text, k)):
            k = aside.end()  # 52个县(市)参加评价: the bracket belongs to the noun
            continue
        if _NOUN_END.match(text[k]) or (k > pos and text.startswith(lex.noun_stops, k)):
            break
        if (
            k > pos
            and text[k] in _CLOSING
            and (k + 1 >= limit or _NOUN_END.match(text[k + 1]) or text.startswith(lex.noun_stops, k + 1))
        ):
            break  # 在147个国家高新区中, : the 中 closes the phrase (中小企业 keeps it)
        k += 1
    return (pos, k) if k - pos >= 2 else None


_AGENT_CHARS = 16  # 被 + the body that grants the status (省科技厅, 科技部火炬中心) + the verb
_AGENT_BREAK = re.compile(r"[,，。;；:：、!！?？\n]")


def _counted_noun(text: str, num: NumberView, limit: int, date_ends: dict[int, int], lex) -> Span | None:
    if num.kind != "count" or num.unit not in lex.count_measures:
        return None
    pos = date_ends.get(num.end, num.end)  # 200家2020年度省专精特新中小企业: past the date
    if text.startswith(lex.noun_stops + lex.growth_verbs + lex.comparison_words + lex.tail_words, pos):
        return None  # 1919家增长到…, 46家达到…: a verb follows, the counted thing is before
    noun = _noun_after(text, pos, limit, lex)
    if noun and text[noun[0] : noun[1]] in lex.generic_heads:
        verb_at = _status_verb_at(text, noun[1], limit, lex)
        if verb_at is not None:
            status = _noun_after(text, verb_at[1], limit, lex)
            return status or noun
    return noun


def _status_verb_at(text: str, pos: int, limit: int, lex) -> Span | None:
    """The status verb right after a generic noun, or after 被 and its agent (15家企业被省科技厅认定为…)."""
    for verb in lex.status_verbs:
        if text.startswith(verb, pos):
            return pos, pos + len(verb)
    if not text.startswith("被", pos):
        return None
    window = text[pos + 1 : min(limit, pos + 1 + _AGENT_CHARS)]
    for verb in lex.status_verbs:
        k = window.find(verb)
        if k > 0 and not _AGENT_BREAK.search(window[:k]):
            return pos + 1 + k, pos + 1 + k + len(verb)
    return None


def _share(text: str, a: int, b: int, ends_with_de: bool) -> Span:
    """占Y的N% -> Y; X占Y(的)比重为N% -> the whole phrase; 占Y比重 -> Y比重."""
    i = text.find("占", a, b)
    if i < 0 or text.startswith("占比", i):
        return a, b
    if ends_with_de or not re.search("比重|比例|比值|比率", text[i:b]):
        return i + 1, b
    return (i + 1, b) if i == a else (a, b)


def respectively_pairs(text: str, seg: Segments, numbers: list[NumberView]) -> dict[int, Span]:
    """Numbers of a 分别 list paired with the members named before it, when the counts agree
    (index in `numbers` -> the member's span)."""
    lex = facts_lexicon()
    starts = [n.start for n in numbers]
    pairs: dict[int, Span] = {}
    for i, num in enumerate(numbers):
        if i in pairs:
            continue
        clause = seg.clause_of(num.start)
        lo = seg.clauses[max(0, clause - 1)]
        word_at = max(text.rfind(w, lo, num.start) for w in lex.respectively)
        if word_at < 0 or (i and numbers[i - 1].end > word_at):
            continue
        if re.search("[,，;；。]", text[word_at : num.start]):
            continue  # …分别为67位和89位,提升64位和13位: the list is of the ranks before
        chain = [i]
        while chain[-1] + 1 < len(numbers):
            gap = text[numbers[chain[-1]].end : numbers[chain[-1] + 1].start]
            if not lex.list_separators.sub("", gap) == "" or len(gap) > 3:
                break
            chain.append(chain[-1] + 1)
        if len(chain) < 2:
            continue
        head_start = seg.clauses[seg.clause_of(word_at)]
        if head_start == word_at or text[head_start:word_at].strip() in ("", "增长", "占"):
            head_start = seg.clauses[max(0, seg.clause_of(word_at) - 1)]
        head_end = word_at
        first = bisect_left(starts, head_start)
        inside = [numbers[first].start] if first < len(numbers) and numbers[first].start < word_at else []
        if inside:
            head_end = inside[0]  # 五个领域分别…: the count and its noun are no member
        opener = max(text.rfind(w, head_start, head_end) for w in ("是", "为", "：", ":"))
        if opener >= 0 and text.rfind("、", head_start, head_end) > opener:
            head_start = opener + 1  # 排前5位的是A、B、C,分别是…: the members follow the 是
        members, pos = [], head_start
        for m in lex.list_separators.finditer(text, head_start, head_end):
            members.append((pos, m.start()))
            pos = m.end()
        members.append((pos, head_end))
        members = [(a, b) for a, b in members if b > a]
        if len(members) == len(chain) and all(b - a <= 2 * lex.metric_max for a, b in members):
            for k, member in zip(chain, members, strict=True):
                pairs[k] = member
    return pairs


def metric_spans(
    text: str,
    seg: Segments,
    numbers: list[NumberView],
    subjects: list[Span],
    dates: list[Span],
    rank_scopes: list[Span] = (),
) -> list[Span | None]:
    """The metric span of each number (in text order), or None. `subjects` and `dates` are never
    part of a metric; `rank_scopes` are the scopes of the article's rankings (综合排名), the metric
    of a change in places after them."""
    lex = facts_lexicon()
    reading = _Reading(text, seg, numbers, _Bounds(list(subjects) + list(dates)), _Bounds(list(dates)), lex)
    reading.date_ends = {s: e for s, e in dates}
    reading.scopes = sorted(rank_scopes)
    reading.scope_starts = [a for a, _ in reading.scopes]
    reading.number_spans = [(n.start, n.end) for n in numbers]
    reading.number_starts = [n.start for n in numbers]
    holders = _Bounds(list(subjects))
    listed = respectively_pairs(text, seg, numbers)
    pairs = {
        i: m
        for i, m in listed.items()
        if holders.starting_at(m[0]) is None  # 龙岩经开区和厦门海沧台商投资区…分别: holders, not metrics
        and m[1] - m[0] <= lex.metric_max
    }
    pairs.update(_shared_after_holders(listed, holders))
    found: list[Span | None] = []
    previous: Span | None = None
    previous_sentence = -1
    for i, num in enumerate(numbers):
        sentence = seg.sentence_of(num.start)
        if sentence != previous_sentence:
            previous, previous_sentence = None, sentence
        metric = pairs[i] if i in pairs else reading.metric_of(i, previous)
        found.append(metric)
        if metric:
            previous = metric
    _respective_changes(text, seg, numbers, found, lex)
    return found


def _shared_after_holders(listed: dict[int, Span], holders: _Bounds) -> dict[int, Span]:
    """A 分别 list of holders whose last member runs on into the metric they share (琰溪市、桤城市技术合同
    成交额分别增长18.2%和25.7%): every number of the list takes that metric."""
    out: dict[int, Span] = {}
    chain: list[int] = []
    for i in sorted(listed) + [None]:
        if chain and (i is None or i != chain[-1] + 1):
            first, last = listed[chain[0]], listed[chain[-1]]
            end = holders.starting_at(last[0])
            if holders.starting_at(first[0]) == first[1] and end is not None and last[1] - end >= 2:
                out.update({k: (end, last[1]) for k in chain})
            chain = []
        if i is not None:
            chain.append(i)
    return out


def _respective_changes(text, seg, numbers, found, lex) -> None:
    """同比分别增长67%、193%和82% after as many values of its sentence (技术合同125项,合同成交额7.81亿元,
    其中技术交易额4.62亿元): each change measures the value its place in the list gives it."""
    i = 0
    while i < len(numbers):
        head = text.rfind(
            "分别", seg.span("sentences", seg.sentence_of(numbers[i].start))[0], numbers[i].start
        )
        after = text[head + 2 : numbers[i].start] if head >= 0 else ""
        clause = seg.span("clauses", seg.clause_of(head))[0] if head >= 0 else 0
        own = text[clause:head] if head >= 0 else ""
        for word in lex.comparison_words + ("上年", "去年", "同期", "均"):
            own = own.replace(word, "")
        if head < 0 or not after.startswith(lex.growth_verbs) or len(own.strip("，, ")) > 1:
            i += 1  # 琰溪市、桤城市技术合同成交额分别增长…: the clause names its own metric
            continue
        run = [i]  # the changes joined by 、 / 和 / 及 after the verb
        while run[-1] + 1 < len(numbers) and re.fullmatch(
            r"\s*[、和及与]\s*", text[numbers[run[-1]].end : numbers[run[-1] + 1].start]
        ):
            run.append(run[-1] + 1)
        sentence = seg.span("sentences", seg.sentence_of(numbers[i].start))[0]
        values = [k for k in range(i) if numbers[k].start >= sentence and found[k]][-len(run) :]
        if (
            len(run) >= 2
            and len(values) == len(run)
            and text.rfind("分别", numbers[values[-1]].end, head) < 0
        ):
            for k, v in zip(run, values, strict=True):
                found[k] = found[v]
        i = run[-1] + 1


@dataclass
class _Reading:
    text: str
    seg: Segments
    numbers: list[NumberView]
    bounds: _Bounds
    tails: _Bounds
    lex: FactsLexicon
    date_ends: dict[int, int] = None
    scopes: list[Span] = ()
    scope_starts: list[int] = ()
    number_spans: list[Span] = ()
    number_starts: list[int] = ()

    def _strip(self, a: int, b: int) -> Span:
        return _strip(self.text, a, b, self.bounds, self.tails, self.lex)

    def _after_inner(self, a: int, b: int) -> int:
        """Past the last date, number, 分别 or list (A、B等) inside [a, b) (参评高新区2021年度综合评价平均得分
        -> 综合评价平均得分; 获奖企业分别获得…资金 -> …资金)."""
        text, lex = self.text, self.lex
        cuts = _ends_within(self.tails.by_start, self.tails.starts, a, b)
        cuts += _ends_within(self.number_spans, self.number_starts, a, b)
        for word in lex.respectively + lex.inner_verbs:
            at = text.rfind(word, a, b)
            if at >= 0 and not text.startswith(lex.inner_verb_not_before, at + len(word)):
                cuts.append(at + len(word))
        at = text.rfind("等", a, b)
        if at > a and "、" in text[a:at]:
            cuts.append(at + 1)  # 机械电子、绿色食品等主导产业规上企业 -> 主导产业规上企业: the list's head
        for cut in sorted(cuts, reverse=True):  # the last cut that leaves a phrase (从2017年的3.24%: none)
            start, end = self._strip(cut, b)
            if end - start >= 2:
                return cut
        return a

    def _ranked_before(self, pos: int) -> Span | None:
        """What a change in places is a change of: the phrase ending in 排名 before it in its sentence
        (综合排名33,较去年进步了9位 -> 综合排名), else the scope of the ranking before it."""
        text = self.text
        sentence = self.seg.span("sentences", self.seg.sentence_of(pos))[0]
        end = pos
        while (at := max(text.rfind(w, sentence, end) for w in RANK_WORDS)) >= 0:
            start = self.seg.clauses[self.seg.clause_of(at)]
            start = max(start, text.rfind("中", start, at) + 1)
            a, b = self._strip(self._after_inner(start, at), at)  # 综合排名 -> 综合: the ranked quantity
            comparison = a < b and text.startswith(self.lex.comparison_words, a)
            if b - a >= 2 and not comparison:
                return a, b
            if not comparison:  # X排名第9位,较上年上升4位: only the holder before it, the word is the metric
                word = next(w for w in RANK_WORDS if text.startswith(w, at))
                return at, at + len(word)
            end = at  # 较上年排名: a comparison, the ranking is named before it
        before = _ends_within(self.scopes, self.scope_starts, sentence, pos + 1)
        if not before:
            return None
        end = before[-1]
        return next(sp for sp in reversed(self.scopes) if sp[1] == end and sp[0] >= sentence)

    def metric_of(self, i: int, previous: Span | None) -> Span | None:
        text, seg, lex, num = self.text, self.seg, self.lex, self.numbers[i]
        clause_start, clause_end = seg.span("clauses", seg.clause_of(num.start))
        lo = max(clause_start, self.numbers[i - 1].end if i and self.numbers[i - 1].end <= num.start else 0)
        if num.kind == "duration" and text[max(lo, num.start - 4) : num.start].endswith(lex.streak_before):
            return None
        if num.unit in _STREAK_UNITS and text[max(lo, num.start - 2) : num.start].endswith("连续"):
            return None  # 连续两次排名进入…, 已连续十六次发布: a streak (convention 13)
        counted = _counted_noun(text, num, clause_end, self.date_ends, lex)
        if counted:
            return counted
        a, b = self._strip(self._after_inner(lo, num.start), num.start)
        change = _change_at(text, a, b, lex) if a < b else None
        if num.unit in lex.rank_change_units and change is not None:
            return self._ranked_before(num.start) or previous  # 比上年前进16位: what was ranked
        if a >= b:
            return previous
        if change is not None:
            if change == a:
                return previous
            a, b = self._strip(a, change)
            if a >= b:
                return previous
        ends_with_de = text[lo : num.start].rstrip().endswith("的")
        whole = (a, b)
        a, b = self._strip(*_share(text, a, b, ends_with_de))
        if a >= b and text.find("占", *whole) > whole[0]:
            a, b = self._strip(whole[0], text.find("占", *whole))  # 成交总额占全省57%: a share of a place
        if b - a < 2:
            return previous
        if b - a > lex.metric_max:
            a = b - lex.metric_max
        return a, b
