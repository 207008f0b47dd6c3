"""Rankings: who ranks where, in which list, for which period, moving how far.

Factory `ranking_extractor`. It runs last and reads organisation mentions from `doc._.mentions`
when there are any (to recognise subjects), but works on the text alone when there are none.
All words and patterns come from `pipeline/resources/zh/rankings.yaml`; the text is matched after a
1:1 Traditional -> Simplified mapping, so offsets are those of `doc.text`.

Match, then resolve:

1. Rank atoms. A `第N` is a rank when a rank verb precedes it in its clause (列第17位, 名列全国第四,
   居全省县级市国家高新区第一), when a region word stands right before it (综合得分全省第一), or when it
   is written `第N位` / `第N名` followed by a boundary (厦门市(第12位), 获得新材料组第一名). It is not a
   rank when a measure word follows (第一次, 第一届, 第17号, 第二批, 第一台). A bare number after 排名
   (综合排名33, 排名分别为67位和89位), 榜首 / 首位, and `从第6位上升至第2位` (two ranks: the current
   one with change +4 and the earlier one) are the other shapes. A chain `第43、52、108、52位` gives one
   rank per number. A clause matching a negative pattern (排名不分先后, 摆在第一位) gives none.
2. Resolve each rank: subject (clause head ending in an organisation or place suffix, an organisation
   mention, a deictic 该市 / 该研究院 / 该校 resolved to the nearest named holder before it with one of
   its suffixes, 该校材料学科 to <that school>材料学科; carried over from earlier clauses and sentences,
   but never from a clause whose holder published the list (市统计局发布数据, 省经信厅公布…), and
   never a metric word (增速, 增幅, 得分 open a clause without a holder)), scope (list item, "在…中"
   phrase, or region + metric), period (nearest period before the rank, never a comparison baseline
   like 比2017年度), total (see "Field sizes" below), change (前进16位 -> +16, 下降3位 -> -3, 持平 -> 0;
   a change goes to the first rank of the nearest clause before it in its sentence, never to a
   bracketed rank such as `(东部第20位)`; `提升64位和13位` is paired with the list of ranks before it).
   Subjects carry over at most `subject_paragraphs_back` paragraphs, periods `period_paragraphs_back`.
3. Replicate over lists: `A和B分别为67位和89位` pairs subjects and ranks; `“甲”及“乙”均位列全国第三`,
   `甲、乙等指标都位列第一` and `其他两个指标位列第二` give one ranking per indicator.
4. Remove repeats: a ranking in a headline line (no sentence-final punctuation) is dropped when the
   body states the same rank; a ranking repeating an earlier sentence's (subject, rank, region, metric)
   is dropped, and so is a restatement without a metric of its own of an earlier ranking of the same
   subject and rank (前三名依次是A、B和C, 其中A获得第一名): a fact said again is annotated once.

Field sizes (`total`). First, a count inside the ranking's own phrase is its total whatever its noun:
in its 在…中 phrase (在参评的56家机构中名列第6, 在九十家参评机构中), between its verb and it
(位列56家参评机构第6位), or a …中 phrase without 在 (56家单位中排名第2位); a count of indicators
(在四个一级指标排名中) is none, nor is it for a rank of a sub-region (东部第28位). Otherwise: a stated population is `<region> [参评的/共有…] N <measure word> <noun phrase>`
(全省43家高新区, 在全国参评的128个基地中, 对全国288个城市进行评价, 全省105个县(市、区)) or a total
without a region whose noun names a field (共有62家基地, (共122个单位)). Its kind of field is the last
field noun of its noun phrase (`field_nouns`: park, base, city, county, school, ...). A ranking's region
is its region word or the one in its 在…中 phrase; its kind is the last field noun between its region
and its rank (居全省高职院校首位 -> school), else the kind its subject's name suggests (…职业技术学院,
…市, …基地). A population is a candidate when regions agree (a sub-region such as 东部 or 中部地区 only
with the same sub-region; a rank with no region takes only a whole-field region such as 全国/全省) and
kinds agree (unknown on one side agrees; `field_noun_also` widens: 县(市、区) counts cities, bases and
parks are both zones). It is searched in the rank's clause, then its sentence (nearest before, else
after), then the adjacent sentences of its paragraph and the rest of the paragraph (there only when both
kinds are known and agree), and last anywhere in the text for the rank's own region (stated totals
first). A population that is part of a larger field (120个国家高新区和两个园区) is never a total.
Populations are also written noun first (参评园区共有64家, 全省共有省级高新区56家, 参评单位:64家), with a
participation word and no region (56家参评机构, 40家单位参加考核, 参评的40家单位中), or bare after a rank
((共56家)). Each has a head noun (`field_heads`: 机构, 园区, 单位 ...); a ranking's head is the last one
in its 在…中 phrase or after its region. Heads that match (equal, or one ends with the other) make a
population agree whatever the kinds; heads that differ, when kinds do not decide, make it disagree
(generic heads such as 单位 / 机构 never disagree). Beyond its sentence a ranking of no known kind takes
a population whose head matches its own or its subject's, else the one participating population of the
adjacent sentences (全省共有九十家机构参评。X位列第12位); anywhere in the text, a ranking of a known kind
or head takes a stated whole-field population of its field. `排名末位` takes the total as its rank (no
total, no ranking).

Bands: `跻身全国前十`, `进入前三十`, `上榜30强` are emitted as rankings with `rank` = the bound
(10, 30, 30) and `rank_is_bound = True`. The gold excludes bands, so evaluation ignores bound records;
a consumer that wants only positions filters on `rank_is_bound`. Ordered lists (`前三名分别是A、B和C`)
give each member its own rank (1, 2, 3); so do 排名依次为A、B和C, up to the end of the list.

The mention span is the clause the ranking comes from. Rankings that share one clause (list items)
get distinct spans ending at their own atom, or starting at their own list item, because records are
unique per (kind, start, end).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, add_mentions, doc_text, mentions
from pipeline.resolve import safe_load_yaml
from pipeline.resolve.numerals import parse_numeral
from pipeline.traditional import to_simplified

RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "zh" / "rankings.yaml"

_CLAUSE_END = "，,；;。！!？?：:\n"
_SENTENCE_END = "。！!？?；;\n"
_ORDERED_GROUPS = 1_000_000  # group ids of ordered lists (atoms' groups count from 1)
_QUOTED = re.compile(r"[“\"][^”\"]+[”\"]")
_REASK_CHARS = 3000  # how far back a clause without a holder is asked again (see _note_subjects)
_FINAL_PUNCT = '。！!？?；;…”"’)）'


# --------------------------------------------------------------------------- numerals


_NUMERAL_CHARS = frozenset("零〇一二两三四五六七八九十百千")


def cn_int(text: str) -> int | None:
    """An integer from Arabic digits or a Chinese numeral (one parser: `resolve.numerals`):
    17 -> 17, 一百零八 -> 108, 十五 -> 15; None for anything else (十多, 第三)."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if not set(text) <= _NUMERAL_CHARS:
        return None
    try:
        value = parse_numeral(text).value
    except ValueError:
        return None
    return int(value) if value == int(value) else None


# --------------------------------------------------------------------------- resources


@dataclass(frozen=True)
class Lexicon:
    raw: dict[str, Any]
    num: str
    verb_re: re.Pattern
    region_re: re.Pattern
    region_end_re: re.Pattern
    ordinal_re: re.Pattern
    bare_re: re.Pattern
    chain_re: re.Pattern
    top_re: re.Pattern
    band_re: re.Pattern
    band_verb_re: re.Pattern
    moved_re: re.Pattern
    change_re: re.Pattern
    change_verb_re: re.Pattern
    object_holder_re: re.Pattern
    class_starts: tuple[str, ...]  # after a kept deictic: a class of bodies, no name (国家级, 省级)
    indicator_endings: tuple[str, ...]  # a listed item ending with one is an indicator (指标, 单项)
    unchanged_re: re.Pattern
    leads_to_rank_re: re.Pattern  # between a change and the rank it belongs to (rankings.yaml)
    negative_re: re.Pattern
    negative_next: tuple[str, ...]
    follower_re: re.Pattern
    verb_negative_next_re: re.Pattern
    stop_re: re.Pattern
    suffixes: tuple[str, ...]  # longest first
    suffix_set: frozenset[str]
    suffix_lengths: tuple[int, ...]  # the lengths of the suffixes, longest first
    holder_bad_re: re.Pattern
    holder_bad_start_re: re.Pattern
    connective_re: re.Pattern
    noise_re: re.Pattern
    counted_re: re.Pattern
    period_re: re.Pattern
    period_negative_next: tuple[str, ...]
    period_negative_prev: tuple[str, ...]
    population_re: re.Pattern
    noun_end_re: re.Pattern
    field_noun_re: re.Pattern
    field_kind: dict[str, str]
    field_also: dict[str, tuple[str, ...]]
    ordered_re: re.Pattern
    deictic: dict[str, tuple[str, ...]]
    deictic_longest_first: tuple[str, ...]
    deictic_parts: tuple[str, ...]
    publish_re: re.Pattern
    keep_deictic: frozenset[str]
    regions: frozenset[str]
    whole_regions: frozenset[str]
    bottom_re: re.Pattern
    head_re: re.Pattern
    population_after_re: re.Pattern
    population_took_part_re: re.Pattern
    population_region_noun_re: re.Pattern
    population_part_first_re: re.Pattern
    phrase_count_re: re.Pattern


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _field_noun_re(nouns: dict[str, list[str]]) -> re.Pattern:
    """Field nouns, longest first; a one-character noun (省, 市, 县, 区) not followed by 级/内/属/委."""
    words = sorted({w for ws in nouns.values() for w in ws}, key=len, reverse=True)
    parts = [re.escape(w) + ("(?![级内属委直])" if len(w) == 1 else "") for w in words]
    return re.compile("|".join(parts))


@lru_cache(maxsize=4)
def load_lexicon(path: str = str(RESOURCE)) -> Lexicon:
    raw = safe_load_yaml(Path(path).read_text(encoding="utf-8"))
    # a holder ends with one of rankings.yaml's subject suffixes or with a park's or institute's suffix
    # of the organisation grammar (创新工场, 创业港, 研究中心): one list of those, in org_suffixes.yaml
    grammar = safe_load_yaml((Path(path).parent / "org_suffixes.yaml").read_text(encoding="utf-8"))
    holder_suffixes = {
        *raw["subject_suffixes"],
        *grammar["suffixes"]["park"],
        *grammar["suffixes"]["research"],
    }
    num = raw["numeral"]
    regions = _alt(raw["regions"])
    up, down = _alt(raw["change_up"]), _alt(raw["change_down"])
    unit = raw["change_unit"]
    return Lexicon(
        raw=raw,
        num=num,
        verb_re=re.compile(f"(?:{_alt(raw['rank_verbs'])})"),
        region_re=re.compile(f"(?:{regions})"),
        region_end_re=re.compile(f"(?:{regions})$"),
        ordinal_re=re.compile(rf"第\s*(?P<n>{num})"),
        bare_re=re.compile(
            rf"(?P<prefix>{_alt(raw['bare_rank_prefixes'])})\s*(?P<n>{num})(?P<suffix>[位名])?"
        ),
        chain_re=re.compile(
            rf"\s*[、和及与至]\s*(?P<region>{regions})?(?P<di>第)?\s*(?P<n>{num})(?P<suffix>[位名])?"
        ),
        top_re=re.compile(f"(?:{_alt(raw['top_words'])})"),
        band_re=re.compile(rf"前(?P<n>{num})(?:名|位|强)?|(?P<m>{num})强"),
        band_verb_re=re.compile(f"(?:{_alt(raw['band_verbs'])})"),
        moved_re=re.compile(
            rf"(?:从|由){raw['moved_from_prefix']}(?:{regions})?第?\s*(?P<a>{num})\s*(?:位|名)?\s*"
            rf"(?:{up}|{down}|{raw['moved_verb_short']})?(?:至|到)"
            rf"(?:{regions})?第?\s*(?P<b>{num})\s*(?:位|名)?"
        ),
        change_re=re.compile(
            rf"(?P<verb>{up}|{down})了?\s*(?P<n>{num})(?P<unit>{unit})?"
            rf"(?P<more>(?:\s*[、和及与]\s*{num}(?:{unit})?)*)"
        ),
        change_verb_re=re.compile(f"(?:{up}|{down}|{raw['moved_verb_short']}(?=至|到))"),
        unchanged_re=re.compile(f"(?:{_alt(raw['unchanged'])})"),
        leads_to_rank_re=re.compile(raw["change_leads_to_rank"]),
        object_holder_re=re.compile(raw["object_holder"]),
        class_starts=tuple(raw["class_starts"]),
        indicator_endings=tuple(raw["indicator_endings"]),
        negative_re=re.compile("|".join(raw["negative_patterns"])),
        negative_next=tuple(sorted(raw["ordinal_negative_next"], key=len, reverse=True)),
        follower_re=re.compile(raw["rank_suffix_followers"]),
        verb_negative_next_re=re.compile(raw["verb_negative_next"]),
        stop_re=re.compile(f"(?:{_alt(raw['subject_stops'])})"),
        suffixes=tuple(sorted(holder_suffixes, key=len, reverse=True)),
        suffix_set=frozenset(holder_suffixes),
        suffix_lengths=tuple(sorted({len(x) for x in holder_suffixes}, reverse=True)),
        holder_bad_re=re.compile(raw["holder_bad_chars"]),
        holder_bad_start_re=re.compile(raw["holder_bad_start"]),
        connective_re=re.compile(f"^(?:(?:{_alt(raw['leading_connectives'])})[，,]?)+"),
        noise_re=re.compile(raw["metric_noise"]),
        counted_re=re.compile(raw["counted_items"]),
        period_re=re.compile(raw["period_pattern"]),
        period_negative_next=tuple(raw["period_negative_next"]),
        period_negative_prev=tuple(raw["period_negative_prev"]),
        population_re=re.compile(raw["population_pattern"].replace("{regions}", regions)),
        noun_end_re=re.compile(raw["population_noun_end"]),
        field_noun_re=_field_noun_re(raw["field_nouns"]),
        field_kind={w: kind for kind, words in raw["field_nouns"].items() for w in words},
        field_also={k: tuple(v) for k, v in raw["field_noun_also"].items()},
        ordered_re=re.compile(raw["ordered_list_pattern"]),
        deictic={k: (v,) if isinstance(v, str) else tuple(v) for k, v in raw["deictic"].items()},
        deictic_longest_first=tuple(sorted(raw["deictic"], key=len, reverse=True)),
        deictic_parts=tuple(raw["deictic_parts"]),
        publish_re=re.compile(raw["publish_verbs"]),
        keep_deictic=frozenset(raw["keep_deictic"]),
        regions=frozenset(raw["regions"]),
        whole_regions=frozenset(raw["whole_regions"]),
        bottom_re=re.compile(f"(?:{_alt(raw['bottom_words'])})"),
        head_re=_field_noun_re({"heads": raw["field_heads"]}),
        population_after_re=re.compile(
            raw["population_after_pattern"]
            .replace("{regions}", regions)
            .replace("{participation}", raw["participation"])
        ),
        population_took_part_re=re.compile(
            raw["population_took_part_pattern"].replace("{participation}", raw["participation"])
        ),
        population_region_noun_re=re.compile(
            raw["population_region_noun_pattern"].replace("{regions}", regions)
        ),
        population_part_first_re=re.compile(
            raw["population_part_first_pattern"].replace("{participation}", raw["participation"])
        ),
        phrase_count_re=re.compile(raw["phrase_count"]),
    )


# --------------------------------------------------------------------------- text geometry


def _bounds(text: str, ends: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of `text`, each closed by one of the characters `ends`."""
    out, start = [], 0
    for m in _end_re(ends).finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


@lru_cache(maxsize=256)
def _literal(word: str) -> re.Pattern:
    return re.compile(re.escape(word))


@lru_cache(maxsize=8)
def _end_re(ends: str) -> re.Pattern:
    return re.compile("[" + re.escape(ends) + "]")


def _find(bounds: list[tuple[int, int]], pos: int) -> int:
    """The index of the piece holding `pos` (pieces are contiguous and sorted), else the last one."""
    if bounds and pos >= bounds[-1][1]:
        return len(bounds) - 1
    return max(bisect_right(bounds, pos, key=lambda b: b[0]) - 1, 0) if bounds else -1


def noun_tail(text: str, pos: int) -> str:
    """The few characters after a population (…机构参加评价), up to the clause end."""
    m = re.match(r"[^，,。；;：:\n]{0,8}", text[pos:])
    return m.group() if m else ""


def _in_brackets(text: str, pos: int, start: int) -> bool:
    """True when `pos` is inside (…) opened after `start`."""
    depth = 0
    for ch in text[start:pos]:
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
    return depth > 0


# --------------------------------------------------------------------------- found ranks


# A place suffix followed by one of these starts a word (县域, 市级, 区内): it ends no name.
_SUFFIX_WORD_STARTS = frozenset("县市区省")
_SUFFIX_WORD_ENDS = frozenset("域级内属委长")
_ZAI_PHRASE = re.compile(r"在[^，,。；;：:\n在]{2,30}?中(?!心|小|国|部|央|华)")


@dataclass
class Rank:
    rank: int
    atom_start: int
    atom_end: int
    rule: str
    bound: bool = False
    region: str | None = None
    group: int = -1  # atoms of one chain (第43、52、108位 / 67位和89位) share a group
    bracketed: bool = False
    moved_from: bool = False  # the earlier rank of 从第6位上升至第2位
    change: int | None = None
    subject: str | None = None
    subject_fixed: bool = False
    scope: str | None = None
    item_start: int | None = None
    metric: str = ""
    extra: dict = field(default_factory=dict)


class RankingExtractor:
    def __init__(
        self, nlp: Language | None = None, name: str = "ranking_extractor", resource: str | None = None
    ):
        self.name = name
        self.lex = load_lexicon(resource or str(RESOURCE))

    # ................................................................ public

    def __call__(self, doc: Doc) -> Doc:
        add_mentions(doc, self.extract(doc_text(doc), [m for m in mentions(doc) if m.kind == "organization"]))
        return doc

    def extract(self, text: str, orgs: list[Mention] | None = None) -> list[Mention]:
        norm = to_simplified(text)
        self.text, self.norm = text, norm
        self.orgs = [(m.start, m.end) for m in (orgs or [])]
        self._orgs_by_start: dict[int, list[int]] = {}
        for os_, oe in self.orgs:
            self._orgs_by_start.setdefault(os_, []).append(oe)
        self.sentences = _bounds(norm, _SENTENCE_END)
        self.clauses = _bounds(norm, _CLAUSE_END)
        self.paragraphs = _bounds(norm, "\n")
        self.fields = self._field_sizes()
        self.known_subjects: list[tuple[int, str]] = []
        self._known_prefixes: set[str] = set()  # every prefix (2+ characters) of a known subject
        self._noted_clauses: set[int] = set()  # clause starts that gave known subjects
        self._next_clause = 0  # clauses before this index have been asked at least once
        self.publishers: set[int] = set()  # positions of known subjects that published a list
        # clause start -> len(known_subjects) when the clause gave no subject: _head_subject depends
        # on the known subjects (append-only) and the text only, so it need not be asked again
        # until one is added
        self._no_subject: dict[int, int] = {}
        self._resolved: list[Rank] = []

        ranks = self._atoms() + self._bands()
        ranks = [r for r in ranks if not self._negated(r)]
        ranks.sort(key=lambda r: (r.atom_start, r.atom_end))
        self._moves(ranks)
        self._changes(ranks)
        out: list[tuple[Rank, int, int]] = []
        for rank in ranks:
            self._resolve(rank)
        ranks = self._replicate(ranks)
        ranks = self._ordered_lists(ranks)
        ranks = self._drop_repeats(ranks)
        # the members of one list (第43、52位, 依次是A、B和C) rank in one field: its kind is theirs
        self._group_kind: dict[int, str] = {}
        for rank in ranks:
            if rank.group >= 0 and rank.group not in self._group_kind:
                _, scope_kind, subject_kind = self._rank_field(rank)
                if scope_kind or subject_kind:
                    self._group_kind[rank.group] = scope_kind or subject_kind
        taken: set[tuple[int, int]] = set()
        for rank in ranks:
            start, end = self._span(rank, taken)
            out.append((rank, start, end))
        found = []
        for rank, start, end in out:
            total = self._total(rank)
            if rank.extra.get("bottom"):
                if total is None:
                    continue  # 排名末位 in a field of no stated size: no number to give
                rank.rank = total
            fields = {
                "rank": rank.rank,
                "rank_is_bound": rank.bound,
                "total": total,
                "subject": rank.subject,
                "scope": rank.scope,
                "period": None if rank.moved_from else self._period(rank),
                "change": rank.change,
            }
            found.append(Mention("ranking", start, end, fields, f"rankings.{rank.rule}"))
        return found

    # ................................................................ matching

    def _clause_of(self, pos: int) -> tuple[int, int]:
        return self.clauses[_find(self.clauses, pos)]

    def _sentence_of(self, pos: int) -> tuple[int, int]:
        return self.sentences[_find(self.sentences, pos)]

    def _verb_before(self, clause_start: int, pos: int) -> re.Match | None:
        """The last rank verb in the clause before `pos`, with at most 20 characters up to `pos`."""
        lex, norm = self.lex, self.norm
        best = None
        for m in lex.verb_re.finditer(norm, clause_start, pos):
            if len(m.group()) == 1 and lex.verb_negative_next_re.match(norm, m.end()):
                continue
            if len(m.group()) == 1 and m.start() > 0 and norm[m.start() - 1] in "前系行陈并罗位排":
                continue
            best = m
        if best is not None and pos - best.end() <= 20:
            return best
        return None

    def _negative_next(self, pos: int) -> bool:
        return any(self.norm.startswith(w, pos) for w in self.lex.negative_next)

    def _atoms(self) -> list[Rank]:
        lex, norm = self.lex, self.norm
        ranks: list[Rank] = []
        covered: set[int] = set()
        group = 0
        for m in lex.ordinal_re.finditer(norm):
            if m.start() in covered:
                continue
            n = cn_int(m.group("n"))
            if not n or n < 1 or norm.endswith("倒数", 0, m.start()):
                continue  # 倒数第一: a bottom word
            end = m.end()
            if self._negative_next(end):
                continue  # 第一次, 第二批, 第17号, 第三位嘉宾
            suffix_ok = False
            if end < len(norm) and norm[end] in "位名":
                nxt = end + 1
                suffix_ok = (
                    nxt >= len(norm)
                    or lex.follower_re.match(norm, nxt) is not None
                    or not ("\u4e00" <= norm[nxt] <= "\u9fff")
                    or lex.change_verb_re.match(norm, nxt) is not None
                )
            cs, ce = self._clause_of(m.start())
            before = norm[cs : m.start()]
            region_m = lex.region_end_re.search(before)
            verb = self._verb_before(cs, m.start())
            if not (suffix_ok or region_m or verb):
                # 获得第一、二、三名: a chain ending with 名/位 is a list of ranks
                look, chained = end, False
                while (c := lex.chain_re.match(norm, look)) and not c.group("region"):
                    look, chained = c.end(), True
                if not (chained and norm[look - 1] in "位名"):
                    continue
            if end < len(norm) and norm[end] in "位名":
                suffix_ok = True
            if suffix_ok:
                end += 1
            region = (
                region_m.group() if region_m else self._region_between(verb.end() if verb else cs, m.start())
            )
            rule = "verb_ordinal" if verb else ("region_ordinal" if region_m else "ordinal_place")
            group += 1
            first = Rank(n, m.start(), end, rule, region=region, group=group)
            first.bracketed = _in_brackets(norm, m.start(), cs)
            chain = [first]
            pos = end
            while True:
                c = lex.chain_re.match(norm, pos)
                if not c or self._negative_next(c.end()):
                    break
                if c.group("region") and not c.group("di"):
                    break
                if c.group().lstrip().startswith("至") and not c.group("di"):
                    break
                cn = cn_int(c.group("n"))
                if not cn:
                    break
                start = c.start("di") if c.group("di") else c.start("n")
                chain.append(
                    Rank(cn, start, c.end(), "ordinal_list", region=c.group("region") or region, group=group)
                )
                pos = c.end()
            own_region = any(r.region != region for r in chain[1:])
            if (
                len(chain) > 1
                and own_region
                and not (norm[pos - 1] in "位名" or norm[chain[0].atom_end - 1] in "位名")
            ):
                # 全国第四、西部第一: separate ranks (found on their own below); 第43、52、108位: one list
                chain = chain[:1]
            for r in chain:
                covered.update(range(r.atom_start, r.atom_end))
            ranks.extend(chain)
        for m in lex.bare_re.finditer(norm):
            if m.start("n") in covered:
                continue
            prefix = m.group("prefix")
            if (
                prefix.startswith("分别")
                and not m.group("suffix")
                and not norm.startswith(("位", "名"), m.end())
            ):
                # 分别为12家 is a count; require 位/名 on this number or on the chain
                c = lex.chain_re.match(norm, m.end())
                if not (c and c.group("suffix")):
                    continue
            nxt = m.end()
            if (
                not m.group("suffix")
                and nxt < len(norm)
                and not lex.follower_re.match(norm, nxt)
                and norm[nxt] not in "、和及与"
            ):
                continue
            n = cn_int(m.group("n"))
            if not n:
                continue
            group += 1
            cs, _ = self._clause_of(m.start())
            region = self._region_between(cs, m.start("n"))
            chain = [Rank(n, m.start("n"), m.end(), "bare_after_ranking", region=region, group=group)]
            pos = m.end()
            while True:
                c = lex.chain_re.match(norm, pos)
                if not c:
                    break
                cn = cn_int(c.group("n"))
                if not cn:
                    break
                chain.append(Rank(cn, c.start("n"), c.end(), "bare_list", region=region, group=group))
                pos = c.end()
            for r in chain:
                covered.update(range(r.atom_start, r.atom_end))
            ranks.extend(chain)
        for m in lex.top_re.finditer(norm):
            cs, _ = self._clause_of(m.start())
            before = norm[cs : m.start()]
            region_m = lex.region_end_re.search(before)
            verb = self._verb_before(cs, m.start())
            if m.group() not in ("榜首", "居首") and not (verb or region_m):  # 居首 holds its verb
                continue
            if m.group() == "居首" and self._negative_next(m.end()):
                continue  # 居首批: a first batch, no rank
            group += 1
            region = (
                region_m.group() if region_m else self._region_between(verb.end() if verb else cs, m.start())
            )
            ranks.append(Rank(1, m.start(), m.end(), "top_word", region=region, group=group))
        for m in lex.bottom_re.finditer(norm):
            # 排名末位 / 位列倒数第一: the last place, whose number is the field size (resolved later)
            cs, _ = self._clause_of(m.start())
            verb = self._verb_before(cs, m.start())
            if not verb or any(r.atom_start <= m.start() < r.atom_end for r in ranks):
                continue
            group += 1
            region = self._region_between(verb.end(), m.start())
            rank = Rank(0, m.start(), m.end(), "bottom_word", region=region, group=group)
            rank.extra["bottom"] = True
            ranks.append(rank)
        return ranks

    def _region_between(self, start: int, end: int) -> str | None:
        m = self.lex.region_re.search(self.norm, start, end)
        return m.group() if m else None

    def _bands(self) -> list[Rank]:
        lex, norm = self.lex, self.norm
        out = []
        for m in lex.band_re.finditer(norm):
            n = cn_int(m.group("n") or m.group("m"))
            if not n or n < 1:
                continue
            if m.group("m") and m.start() > 0 and norm[m.start() - 1] in "第前":
                continue
            if (
                m.group("m")
                and m.end() < len(norm)
                and "\u4e00" <= norm[m.end()] <= "\u9fff"
                and not norm.startswith(("之列", "行列", "榜"), m.end())
            ):
                continue  # 百强县 names a list, 30强 is a band
            if self._negative_next(m.end()) or norm.startswith(("分别", "依次", "的分别", "的依次"), m.end()):
                continue
            cs, _ = self._clause_of(m.start())
            verbs = list(lex.band_verb_re.finditer(norm, max(cs, m.start() - 20), m.start()))
            if not verbs:
                continue
            region = self._region_between(verbs[-1].end(), m.start())
            out.append(Rank(n, m.start(), m.end(), "band", bound=True, region=region))
        return out

    def _negated(self, rank: Rank) -> bool:
        cs, ce = self._clause_of(rank.atom_start)
        ss, se = self._sentence_of(rank.atom_start)
        if self.lex.negative_re.search(self.norm, cs, ce):
            return True
        return bool(re.search("不分先后", self.norm[ss:se]))

    # ................................................................ moves and changes

    def _moves(self, ranks: list[Rank]) -> None:
        for m in self.lex.moved_re.finditer(self.norm):
            a = next((r for r in ranks if m.start("a") >= r.atom_start and m.start("a") < r.atom_end), None)
            b = next((r for r in ranks if m.start("b") >= r.atom_start and m.start("b") < r.atom_end), None)
            if a is None or b is None or a is b:
                continue
            a.moved_from, a.rule = True, "moved_from"
            b.change, b.rule = a.rank - b.rank, "moved_to"
            a.group = b.group

    def _changes(self, ranks: list[Rank]) -> None:
        lex, norm = self.lex, self.norm
        for m in lex.change_re.finditer(norm):
            ss, se = self._sentence_of(m.start())
            values = [cn_int(m.group("n"))] + [cn_int(x) for x in re.findall(lex.num, m.group("more") or "")]
            if not m.group("unit") and not (m.group("more") and re.search("[位名]", m.group("more"))):
                continue
            if any(v is None for v in values):
                continue
            sign = 1 if m.group("verb") in self.lex.raw["change_up"] else -1
            values = [sign * v for v in values]
            candidates = [
                r
                for r in ranks
                if ss <= r.atom_start < se
                and not r.bound
                and not r.bracketed
                and not r.moved_from
                and r.change is None
            ]
            before = [r for r in candidates if r.atom_end <= m.start()]
            after = [r for r in candidates if r.atom_start >= m.end()]
            if len(values) > 1:
                targets = before[-len(values) :] if len(before) >= len(values) else []
                for r, v in zip(targets, values, strict=False):
                    r.change = v
                continue
            target = before[-1] if before else (after[0] if after else None)
            if after and lex.leads_to_rank_re.match(norm[m.end() : after[0].atom_start]):
                target = after[0]  # 下降2位至第17位, 较上年上升9位,列第11位: the change of the rank after it
            elif before:
                # 居全省第13位、珠三角第6位,前进2位: the change belongs to the first rank of that clause
                clause = self._clause_of(before[-1].atom_start)
                target = next(r for r in before if clause[0] <= r.atom_start < clause[1])
            if target is not None:
                target.change = values[0]
        for m in lex.unchanged_re.finditer(norm):
            ss, se = self._sentence_of(m.start())
            after = [r for r in ranks if m.end() <= r.atom_start < se and not r.bound and r.change is None]
            if after and lex.leads_to_rank_re.match(norm[m.end() : after[0].atom_start]):
                after[0].change = 0  # 与上年持平,仍列第6位
                continue
            before = [r for r in ranks if ss <= r.atom_start < m.start() and not r.bound and r.change is None]
            if before:
                before[-1].change = 0

    # ................................................................ resolving

    def _entity_like(self, s: str) -> bool:
        if len(s) < 2:
            return False
        if s in self.lex.keep_deictic or s in self.lex.deictic:
            return True
        if s in self.lex.regions or not re.fullmatch(r"[\u4e00-\u9fff（）()·]+", s):
            return False
        if s.endswith(self.lex.suffixes):
            return True
        return s in self._known_prefixes  # the start of a holder named before (桐湾 of 桐湾高新区)

    def _head_subject(self, start: int, end: int) -> tuple[str | None, list[tuple[int, str]]]:
        """The subject(s) opening norm[start:end]: (joined, [(offset, name), ...])."""
        norm, lex = self.norm, self.lex
        seg = norm[start:end]
        conn = lex.connective_re.match(seg)
        if conn:
            start += conn.end()
            seg = norm[start:end]
        # an 在…中 phrase before the holder (在这五项一级指标中我市…排在第2位) is not part of it
        scope_first = _ZAI_PHRASE.match(seg)
        if scope_first and scope_first.end() < len(seg):
            start += scope_first.end()
            seg = norm[start:end]
        # a field before the holder (56家单位中市科技局排名第2位) is not part of it
        field_first = re.match(lex.raw["phrase_without_zai"], seg)
        if field_first and field_first.end() < len(seg):
            start += field_first.end()
            seg = norm[start:end]
        # a period before the holder (2023年白石市地区生产总值…) is not part of it
        period = lex.period_re.match(seg)
        if period and not norm.startswith(lex.period_negative_next, start + period.end()):
            start += period.end()
            seg = norm[start:end]
        # …所在的波士顿: the holder is the name after a relative clause, not a name inside it
        relative = max((seg.rfind(w) + len(w) for w in lex.raw["relative_heads"] if w in seg), default=0)
        if relative and relative < len(seg):
            start += relative
            seg = norm[start:end]
            head = re.match(r"[\u4e00-\u9fff]{2,8}(?=[，,]|$)", seg)
            if head:  # the clause ends with the head noun: it is the holder, whatever its suffix
                name = self.text[start : start + head.end()]
                return name, [(start, name)]
        # quoted parts are indicators (scopes), never subjects; a bracket or a number ends the head
        seg_clean = re.sub(r"[“\"][^”\"]*[”\"]", lambda x: "\x00" * len(x.group()), seg)
        hard = re.search(r"[\x00\d%％]", seg_clean)
        limit = hard.start() if hard else len(seg_clean)
        cuts = [m.start() for m in lex.stop_re.finditer(seg_clean, 0, limit)] + [limit]
        if cuts[0] == 0 and not seg_clean.startswith("的"):
            return None, []  # the clause opens with a verb or preposition: no subject here
        weak: str | None = None
        for p in cuts:
            head = seg_clean[:p]
            if seg_clean.startswith("的", p):
                rest = seg_clean[p + 1 : limit]
                stop2 = lex.stop_re.search(rest)
                tail = rest[: stop2.start() if stop2 else len(rest)]
                tail_start = start + p + 1
                if tail and self._named_holder(tail) and tail not in lex.keep_deictic:
                    name = self.text[tail_start : tail_start + len(tail)]
                    return name, [(tail_start, name)]
                # 白石市下辖的东湖区、西溪县分别位居第31、47位: the listed holders after 的
                names = self._split_names(tail_start, tail) if re.search("和|、|及|与", tail) else []
                if len(names) > 1:
                    return "、".join(n for _, n in names), names
            if self._has_verb(head):
                break  # past the verb: the rest is the list and the rank, not the holder
            if re.search("和|、|及|与", head):
                names = self._split_names(start, head)
                # 我省东阳市、西江市分别位列…: the listed holders, not the deictic before them
                d = next((d for d in lex.keep_deictic if head.startswith(d)), None)
                if len(names) < 2 and d:
                    names = self._split_names(start + len(d), head[len(d) :])
                if len(names) < 2 and seg_clean.startswith(("分别", "依次", "先后"), p):
                    names = self._split_names(start, head, loose=True)
                if len(names) > 1 and self._indicator_list(names, seg_clean[p:]):
                    return None, []  # a list of indicators: the holder is carried from before
                if len(names) > 1:
                    return "、".join(n for _, n in names), names
            for d in lex.keep_deictic:
                # 我市浙江微创新能源有限公司: the named holder, not the deictic before it (我市高新区 stays)
                if not head.startswith(d):
                    continue
                rest = head[len(d) :]
                suffix = self._suffix(rest) or ""
                if rest.startswith(lex.class_starts):
                    # 我省国家级科技企业孵化器58家: a class of bodies, the deictic is the holder
                    return self.text[start : start + len(d)], [(start, self.text[start : start + len(d)])]
                if len(rest) > len(suffix) + 1 and self._named_holder(rest):
                    start, head, p = start + len(d), rest, p - len(d)
                    seg_clean = seg_clean[len(d) :]
                    break
            if self._deictic_part(head):
                return self.text[start : start + p], [(start, self.text[start : start + p])]
            if self._named_holder(head):
                names = self._split_names(start, head)
                if len(names) > 1:
                    return "、".join(n for _, n in names), names
                return self.text[start : start + p], [(start, self.text[start : start + p])]
            if (
                weak is None
                and self._entity_like(head)
                and not (head.endswith(lex.suffixes) and lex.holder_bad_re.search(head[:-1]))
            ):
                weak = head  # 苏州 when 苏州市 was named before
        if weak is not None:
            return self.text[start : start + len(weak)], [(start, self.text[start : start + len(weak)])]
        # 安庆市高新技术企业总数 / 该市科技型中小企业数量: the longest holder that opens the head
        head = seg_clean[: cuts[0]]
        if not self._has_verb(head):
            for i in range(len(head), 1, -1):
                cand = head[:i]
                if head[i : i + 1] in _SUFFIX_WORD_ENDS and cand[-1:] in _SUFFIX_WORD_STARTS:
                    continue  # 东湖县县域经济: 县域 is a word, the name ends at the 县 before it
                if (cand in lex.deictic or cand in lex.keep_deictic) or (
                    len(cand) >= 3 and self._named_holder(cand)
                ):
                    return self.text[start : start + i], [(start, self.text[start : start + i])]
        # fallback: an organisation mention (from the organisation stages) that opens the head
        for oe in self._orgs_by_start.get(start, ()):
            piece = norm[start:oe]
            if oe <= end and self._entity_like(piece) and not self.lex.verb_re.search(piece):
                return self.text[start:oe], [(start, self.text[start:oe])]
        return None, []

    def _named_holder(self, s: str) -> bool:
        """A holder by its form: a deictic or a name ending with an organisation or place suffix.
        Names ending with a one-character suffix (市, 国, 村) must not hold function words (使我国, 许多村)."""
        lex = self.lex
        if s in lex.keep_deictic or s in lex.deictic:
            return True
        suffix = self._suffix(s)
        if suffix is None or not self._entity_like(s):
            return False
        if len(suffix) == 1 and (len(s) > 8 or lex.holder_bad_re.search(s[:-1])):
            return False
        return not lex.holder_bad_start_re.match(s)

    def _suffix(self, s: str) -> str | None:
        """The longest holder suffix `s` ends with."""
        for n in self.lex.suffix_lengths:
            if n <= len(s) and s[-n:] in self.lex.suffix_set:
                return s[-n:]
        return None

    def _has_verb(self, piece: str) -> bool:
        for m in self.lex.verb_re.finditer(piece):
            if len(m.group()) > 1 or not self.lex.verb_negative_next_re.match(piece, m.end()):
                return True
        return False

    def _split_names(self, start: int, head: str, loose: bool = False) -> list[tuple[int, str]]:
        """`A和B` / `A、B` heads: each part when every part names a holder (`loose`, before 分别:
        each part a short name of 2-6 characters, 东阳、西江、北川分别排名第一、第二、第四)."""
        names, off = [], start
        for piece in re.split(r"(和|、|及|与)", head):
            if piece in ("和", "、", "及", "与"):
                off += len(piece)
                continue
            if loose:
                if not re.fullmatch(r"[\u4e00-\u9fff]{2,6}", piece) or self.lex.holder_bad_start_re.match(
                    piece
                ):
                    return []
            elif not self._named_holder(piece):
                return []
            names.append((off, self.text[off : off + len(piece)]))
            off += len(piece)
        return names

    def _resolve_deictic(self, name: str, before: int) -> str:
        """该研究院 / 该校 / 该区: the nearest holder before `before` ending with one of the deictic's suffixes
        (clause-opening holders, organisation mentions, or a name found by its suffix); else as written."""
        suffixes = self.lex.deictic.get(name)
        if not suffixes:
            return name
        bad = ("我", "该", "本", "全", "各", "这", "其")
        found: list[tuple[int, int, str]] = []  # (end, -length, name)
        # the nearest holder wins, so the search looks back `_REASK_CHARS` only (linear time)
        lo = max(0, before - _REASK_CHARS)
        first = bisect_left(self.known_subjects, (lo, ""))
        for pos, known in self.known_subjects[first:]:
            if (
                pos < before
                and known.endswith(suffixes)
                and known not in self.lex.deictic
                and pos not in self.publishers
            ):
                if not known.startswith(bad):
                    found.append((pos + len(known), -len(known), known))
        for os_, oe in self.orgs:
            if oe <= lo:
                continue
            piece = self.text[os_:oe]
            if self._in_zai_phrase(os_, oe, lo):
                continue  # 在中西部地区综合保税区中,该区…: the field of an 在…中 phrase, no referent
            if oe <= before and to_simplified(piece).endswith(suffixes) and not piece.startswith(bad):
                found.append((oe, -len(piece), piece))
        # a name found only by its suffix is the fallback: 中国医院 of 中国医院科技量值排行榜 is no holder
        for suffix in suffixes if not found else ():
            for m in _literal(suffix).finditer(self.norm, lo, before):
                if self._in_zai_phrase(m.start(), m.end(), lo):
                    continue  # 在中部地区国家级经开区中: the field of an 在…中 phrase, no holder
                if len(suffix) == 1 and self.norm[m.end() : m.end() + 1] in _SUFFIX_WORD_ENDS:
                    continue  # 蓊塘县县域经济: 县域 is a word, the name ends at the first 县
                left = self.norm[max(0, m.start() - 14) : m.start()]
                cut = re.match(self.lex.raw["holder_left_cuts"], left)
                prefix = left[cut.end() :] if cut else left
                cand = prefix + suffix
                if len(prefix) < 2 or cand.startswith(bad) or cand in self.lex.deictic:
                    continue
                if len(suffix) == 1 and (len(cand) > 8 or self.lex.holder_bad_re.search(prefix)):
                    continue
                start = m.start() - len(prefix)
                found.append((m.end(), -len(cand), self.text[start : m.end()]))
        if not found:
            return name
        return max(found)[2]

    def _in_zai_phrase(self, start: int, end: int, lo: int) -> bool:
        """Whether [start, end) closes an 在…中 phrase of its clause (在中西部地区综合保税区中)."""
        cs, _ = self._clause_of(start)
        return self.norm.startswith("中", end) and self.norm.find("在", max(lo, cs), start) >= 0

    def _deictic_part(self, head: str) -> tuple[str, str] | None:
        """该校材料学科 -> (该校, 材料学科): a deictic followed by a part of its referent."""
        for d in self.lex.deictic_longest_first:
            if not head.startswith(d):
                continue
            rest = head[len(d) :]
            if (
                d.startswith("该")
                and 1 < len(rest) <= 10
                and rest.endswith(self.lex.deictic_parts)
                and not self._has_verb(rest)
            ):
                return d, rest
        return None

    def _holder_of(self, start: int, end: int, clause_end: int) -> tuple[str | None, list]:
        """The clause head's holder, unless it is the publisher of the list (市统计局发布数据)."""
        subject, names = self._head_subject(start, end)
        if names and self._publisher(names[-1][0] + len(names[-1][1]), clause_end):
            return None, []
        return subject, names

    def _publisher(self, name_end: int, clause_end: int) -> bool:
        """市统计局近日发布数据: the holder opening the clause published the list; it holds no rank."""
        return self.lex.publish_re.match(self.norm[name_end:clause_end]) is not None

    def _note_subjects(self, upto: int) -> None:
        """Record clause-opening holders before `upto` (for deictics and carry-over).

        A clause that gave no holder is asked again when holders were added since (a known holder's
        start counts as a name), but only within `_REASK_CHARS` before `upto`: every clause is asked
        once, and a long article costs time linear in its length, not cubic."""
        window = bisect_left(self.clauses, upto - _REASK_CHARS, key=lambda b: b[0])
        first = min(window, self._next_clause)
        for i in range(first, len(self.clauses)):
            cs, ce = self.clauses[i]
            if cs >= upto:
                break
            asked = i < self._next_clause
            self._next_clause = max(self._next_clause, i + 1)
            if asked and i < window:
                continue
            if cs in self._noted_clauses or self._no_subject.get(cs) == len(self.known_subjects):
                continue
            subj, names = self._head_subject(cs, ce)
            if not subj or any(n in self.lex.deictic for _, n in names):
                self._no_subject[cs] = len(self.known_subjects)
                continue
            publisher = self._publisher(names[-1][0] + len(names[-1][1]), ce)
            if any(self._publisher(pos, pos + len(n)) for pos, n in names):
                publisher = True  # 省商务厅公布了全省开发区: a head that ran over its publishing verb
            for pos, n in names:
                insort(self.known_subjects, (pos, n))
                self._known_prefixes.update(n[:k] for k in range(2, len(n) + 1))
                if publisher:
                    self.publishers.add(pos)
            self._noted_clauses.add(cs)

    def _resolve(self, rank: Rank) -> None:
        norm = self.norm
        cs, ce = self._clause_of(rank.atom_start)
        ss, se = self._sentence_of(rank.atom_start)
        self._note_subjects(rank.atom_start)
        subject, names = None, []
        if rank.bracketed:
            # 厦门市(第12位): the name right before the bracket
            open_at = max(norm.rfind("(", cs, rank.atom_start), norm.rfind("（", cs, rank.atom_start))
            m = re.search(r"([\u4e00-\u9fff]{2,15})$", norm[cs:open_at])
            if m:
                cand = self._tail_holder(m.group(1))
                if cand:
                    p = open_at - len(cand)
                    subject, names = self.text[p:open_at], [(p, self.text[p:open_at])]
            if subject is None:
                rank.extra["inherit"] = True
        if subject is None and not rank.extra.get("inherit") and (held := self._ranked_noun(rank, ce)):
            subject, names = held, [(rank.atom_end + 1, held)]
        if subject is None and not rank.extra.get("inherit"):
            objects = list(self.lex.object_holder_re.finditer(norm, cs, rank.atom_start))
            if objects:  # 评价报告将苁溪高新区列为第2位: the report's object holds the rank
                at = objects[-1].start("holder")
                subject = self.text[at : objects[-1].end("holder")]
                names = [(at, subject)]
        if subject is None and not rank.extra.get("inherit"):
            subject, names = self._holder_of(cs, rank.atom_start, ce)
            k = _find(self.clauses, cs)
            while subject is None and k > 0 and self.clauses[k - 1][0] >= ss:
                k -= 1
                subject, names = self._holder_of(*self.clauses[k], self.clauses[k][1])
        if rank.extra.get("inherit"):
            previous = [r for r in self._resolved if r.atom_start >= cs and not r.bracketed]
            subject = previous[-1].subject if previous else None
        if subject is None and not rank.extra.get("inherit"):
            k = _find(self.paragraphs, rank.atom_start)
            since = self.paragraphs[max(0, k - self.lex.raw["subject_paragraphs_back"])][0]
            carried = [
                n for p, n in self.known_subjects if since <= p < rank.atom_start and p not in self.publishers
            ]
            subject = carried[-1] if carried else None
            names = []
        if subject and subject in self.lex.deictic:
            subject = self._resolve_deictic(subject, rank.atom_start)
        elif subject and (part := self._deictic_part(to_simplified(subject))):
            resolved = self._resolve_deictic(part[0], rank.atom_start)
            if resolved != part[0]:
                subject = resolved + subject[len(part[0]) :]
        rank.subject = subject
        rank.extra["names"] = names
        self._resolved.append(rank)
        # metric and scope
        verb = self._verb_before(cs, rank.atom_start)
        head_end = verb.start() if verb else rank.atom_start
        head = norm[cs:head_end]
        if names:
            last_pos, last_name = names[-1]
            if cs <= last_pos < head_end:
                head = norm[last_pos + len(last_name) : head_end]
        metric = self.lex.noise_re.sub("", re.sub(r"[“”\"()（）]", "", head)).strip("，,、 ")
        metric = re.sub(r"^(?:其中|此外|同时)", "", metric)
        rank.metric = metric if not re.search(r"\d", metric) else ""
        # 在…中 / 在…上 / 在…里, never the 中 of 中国 or the 上 of 上海 (在中国信息通信研究院指导下编制的…)
        phrases = list(
            re.finditer(
                r"在([^，,。；;在]{2,40})(?:中(?![国心央部华小])|上(?![海市级])|里)",
                norm[ss : rank.atom_start],
            )
        )
        in_phrase = phrases[-1] if phrases else None
        region = rank.region
        if in_phrase:
            scope = in_phrase.group(1)
        else:
            scope = (region or "") + (rank.metric or "")
        rank.scope = self._orig(scope) if scope else None

    def _indicator_list(self, names: list[tuple[int, str]], rest: str) -> bool:
        """Whether listed names are indicators (…和要素保障指标依次列…, …市场监管指标分别居…)."""
        endings = self.lex.indicator_endings
        return to_simplified(names[-1][1]).endswith(endings) or rest.startswith(endings)

    def _ranked_noun(self, rank: Rank, clause_end: int) -> str | None:
        """排第24位的上海,是… / 第17位的墨尔本: a rank before 的 modifies the holder after it (a bare name
        up to the clause's end or a list separator), when nothing opens the clause before the rank."""
        norm = self.norm
        if not norm.startswith("的", rank.atom_end):
            return None
        m = re.match(r"[\u4e00-\u9fff]{2,8}?(?=[，,、及和。；;]|$)", norm[rank.atom_end + 1 : clause_end])
        if not m or m.group() in self.lex.field_kind or self._has_verb(m.group()):
            return None  # 排第3位的企业: a field noun, no holder
        cs, _ = self._clause_of(rank.atom_start)
        if self._head_subject(cs, rank.atom_start)[0]:
            return None  # 东湖区排名第3位的企业…: the clause has its holder
        start = rank.atom_end + 1
        return self.text[start : start + m.end()]

    def _tail_holder(self, s: str) -> str | None:
        """The holder that ends `s` (分别为厦门市 -> 厦门市): the part after the last separator."""
        tail = re.split(r"分别为|分别是|为|是|有|、|和|及|与|：|:", s)[-1]
        return tail if self._entity_like(tail) else None

    def _orig(self, norm_piece: str) -> str:
        """The original-script text for a piece of normalised text (first occurrence)."""
        i = self.norm.find(norm_piece)
        return self.text[i : i + len(norm_piece)] if i != -1 else norm_piece

    def _period(self, rank: Rank) -> str | None:
        lex, norm = self.lex, self.norm
        ss, _ = self._sentence_of(rank.atom_start)
        best = None
        k = _find(self.paragraphs, rank.atom_start)
        window = self.paragraphs[max(0, k - self.lex.raw["period_paragraphs_back"])][0]
        for m in lex.period_re.finditer(norm, window, rank.atom_start):
            if norm.startswith(lex.period_negative_next, m.end()):
                continue
            if norm[max(0, m.start() - 4) : m.start()].endswith(lex.period_negative_prev):
                continue
            cs, _ = self._clause_of(m.start())
            if re.search(r"比|较|与|从|由|相比", norm[cs : m.start()]):
                continue
            best = m
        return self.text[best.start() : best.end()] if best else None

    def _field_kind(self, piece: str) -> str | None:
        """The kind of field the last field noun of `piece` names (region words removed), or None."""
        piece = self.lex.region_re.sub("", piece)
        found = list(self.lex.field_noun_re.finditer(piece))
        return self.lex.field_kind[found[-1].group()] if found else None

    def _subject_kind(self, subject: str | None) -> str | None:
        if not subject:
            return None
        s = to_simplified(subject)
        for word in sorted(self.lex.field_kind, key=len, reverse=True):
            # a one-character kind (市, 县, 区) only for a short place name: 东湖区, not 青年创业社区
            if s.endswith(word) and (len(word) > 1 or 1 < len(s) <= 5):
                return self.lex.field_kind[word]
        return None

    def _participating(self, pattern: re.Pattern[str], found: dict[int, dict]) -> None:
        """Counts that say they took part (a field that is partial when its noun says so)."""
        for m in pattern.finditer(self.norm):
            n = cn_int(m.group("n"))
            if not n or n < 2 or m.start("n") in found:
                continue
            noun = m.group("noun")
            found[m.start("n")] = self._population(
                m, n=n, noun=noun, partial=self._partial(noun), total=False, region=None, took_part=True
            )

    def _population(
        self,
        m: re.Match,
        n: int,
        noun: str,
        *,
        partial: bool,
        total: bool,
        region: str | None,
        took_part: bool,
        kind: str | None = None,
        head: str | None = None,
        end: int | None = None,
    ) -> dict:
        """One stated population: where it stands, its size and which field it counts."""
        return {
            "partial": partial,
            "total": total,
            "pos": m.start(),
            "end": m.end() if end is None else end,
            "region": region,
            "n": n,
            "kind": self._field_kind(noun) if kind is None else kind,
            "head": self._field_head(noun) if head is None else head,
            "noun": noun,
            "took_part": took_part,
        }

    def _field_sizes(self) -> list[dict]:
        """Stated populations: position, region (or None), size, kind of field (or None)."""
        lex, norm = self.lex, self.norm
        found: dict[int, dict] = {}
        for m in lex.population_re.finditer(norm):
            n = cn_int(m.group("n"))
            if not n or n < 2:
                continue
            if m.start() > 0 and norm[m.start() - 1] in "第前":
                continue
            noun = m.group("noun")
            end = lex.noun_end_re.search(noun)
            noun = noun[: end.start()] if end else noun
            kind = self._field_kind(noun)
            head = self._field_head(noun)
            took_part = re.search(lex.raw["participation"], m.group() + noun_tail(norm, m.end())) is not None
            bare_total = (
                m.group("total") is not None
                and not noun
                and (m.start() == 0 or norm[m.start() - 1] in "(（,，;；")
            )  # (共56家): the size of the field just named
            if m.group("region") is None and kind is None and not (head and took_part) and not bare_total:
                continue  # 项目共2018个: a count of the holder's own things, not a ranked field
            found[m.start("n")] = self._population(
                m,
                n=n,
                noun=noun,
                partial=self._partial(noun),
                total=bool(m.group("total")) or "共" in m.group(),
                region=m.group("region"),
                took_part=took_part,
                kind=kind,
                head=head,
                end=m.start("noun") + len(noun),
            )
        self._participating(lex.population_took_part_re, found)  # 56家参评机构 / 40家单位参加考核
        for m in lex.population_region_noun_re.finditer(norm):
            # 全省共有省级高新区56家 / 全国国家高新区共169家: a whole field, named before its size
            n = cn_int(m.group("n"))
            noun = m.group("noun") or m.group("noun2")
            kind = self._field_kind(noun)
            if not n or n < 2 or m.start("n") in found or kind is None:
                continue
            found[m.start("n")] = self._population(
                m,
                n=n,
                noun=noun,
                partial=False,
                total=True,
                region=m.group("region"),
                took_part=False,
                kind=kind,
            )
        self._participating(lex.population_part_first_re, found)  # 参评的56家单位中
        for m in lex.population_after_re.finditer(norm):
            # 参评园区共有64家: the noun before the count
            n = cn_int(m.group("n"))
            if not n or n < 2 or m.start("n") in found:
                continue
            noun = m.group("noun")
            found[m.start("n")] = self._population(
                m, n=n, noun=noun, partial=False, total=True, region=m.group("region"), took_part=True
            )
        return sorted(found.values(), key=lambda f: f["pos"])

    def _field_head(self, piece: str) -> str | None:
        """The last field head noun of `piece` (机构, 园区, 单位 ...), region words removed, or None."""
        piece = self.lex.region_re.sub("", piece)
        found = list(self.lex.head_re.finditer(piece))
        return found[-1].group() if found else None

    @staticmethod
    def _heads_match(a: str | None, b: str | None) -> bool:
        if not a or not b:
            return False
        short, long_ = sorted((a, b), key=len)
        return a == b or (len(short) >= 2 and long_.endswith(short))

    def _partial(self, noun: str) -> bool:
        """全国120个国家高新区和两个园区 / 105个国家高新区和苏州工业园: a part of a larger field."""
        m = re.search(self.lex.raw["population_partial"], noun)
        if not m:
            return False
        rest = m.group("rest")
        if re.match(rf"{self.lex.num}[家个座所]", rest):
            return True
        head = self.lex.field_noun_re.search(rest)
        if not head:
            return False
        named = re.sub(self.lex.raw["field_qualifiers"], "", rest[: head.start()])
        return len(named) >= 2

    def _rank_field(self, rank: Rank) -> tuple[str | None, str | None, str | None]:
        """The region and kind of field the ranking is in: its region word, else one in its clause's
        在…中 phrase (在中部地区城市中排名第五); the kind the last field noun of its scope names (居全省
        高职院校首位), and the kind its subject's name suggests (桐湾职业技术学院)."""
        norm = self.norm
        cs, _ = self._clause_of(rank.atom_start)
        scope = ""
        region = rank.region
        if region:
            at = norm.rfind(region, cs, rank.atom_start)
            if at != -1:
                scope = norm[at : rank.atom_start]
        in_phrase = re.search(
            r"在([^，,。；;在]{2,40}?)(?:中|上|里)[^，,。；;]*$", norm[cs : rank.atom_start]
        )
        if in_phrase:
            scope = in_phrase.group(1) + scope
            if region is None:
                m = self.lex.region_re.search(in_phrase.group(1))
                region = m.group() if m else None
        return region, self._field_kind(scope), self._subject_kind(rank.subject)

    def _in_phrase(self, rank: Rank) -> re.Match | None:
        """The last 在…中 phrase of the rank's sentence before it (在参评的56家机构中名列第6)."""
        ss, _ = self._sentence_of(rank.atom_start)
        phrases = list(
            re.finditer(r"在([^，,。；;在]{2,40}?)(?:中(?!心)|里)", self.norm[ss : rank.atom_start])
        )
        return phrases[-1] if phrases else None

    def _phrase_total(self, rank: Rank) -> int | None:
        """A count inside the rank's own 在…中 phrase is its field size, whatever its noun."""
        if rank.bracketed:
            return None
        cs, _ = self._clause_of(rank.atom_start)
        verb = self._verb_before(cs, rank.atom_start)
        phrase = self._in_phrase(rank)
        counts = self.lex.phrase_count_re
        if verb is not None:
            # 位列56家参评机构第6位 (but 排名分别为15位和31位: those are ranks, not a count)
            inner = self.norm[verb.end() : rank.atom_start]
            if not any(m.group("measure") not in "位名" for m in counts.finditer(inner)):
                inner = phrase.group(1) if phrase is not None else ""
        elif phrase is not None:
            inner = phrase.group(1)
        else:
            inner = ""
        if not inner:
            # 56家单位中排名第6: the 中 phrase without 在
            bare = list(re.finditer(self.lex.raw["phrase_without_zai"], self.norm[cs : rank.atom_start]))
            if not bare:
                return None
            inner = bare[-1].group()
        if rank.region and rank.region not in self.lex.whole_regions and rank.region not in inner:
            return None  # 东部第28位: a sub-field of the phrase's field
        for m in self.lex.phrase_count_re.finditer(inner):
            n = cn_int(m.group("n"))
            if n and n >= 2 and not self._partial(inner[m.end() :]):
                return n
        return None

    def _rank_head(self, rank: Rank) -> str | None:
        """The head noun of the rank's field: in its 在…中 phrase, else between its region and it."""
        phrase = self._in_phrase(rank)
        if phrase is not None and (head := self._field_head(phrase.group(1))):
            return head
        if rank.region:
            cs, _ = self._clause_of(rank.atom_start)
            at = self.norm.rfind(rank.region, cs, rank.atom_start)
            if at != -1:
                return self._field_head(self.norm[at + len(rank.region) : rank.atom_start])
        return None

    def _agrees(
        self,
        region: str | None,
        kind: str | None,
        f: dict,
        known_kind: bool,
        head: str | None = None,
        subject_head: str | None = None,
    ) -> bool:
        if f["partial"]:
            return False
        if region and f["region"] and f["region"] != region:
            return False
        if not region and f["region"] and f["region"] not in self.lex.whole_regions:
            return False  # 东部共107家: only for a rank that names 东部
        if region and region not in self.lex.whole_regions and f["region"] != region:
            return False  # 西部第一: only a population that names 西部
        if self._heads_match(head or subject_head, f.get("head")):
            return True  # 共64家服务机构 ... 在全部参评机构中
        generic = set(self.lex.raw["field_nouns"]["generic"])
        if (
            head
            and f.get("head")
            and not (kind and f["kind"])
            and head not in generic
            and f["head"] not in generic
        ):
            return False  # the population names another field (企业 vs 园区)
        if f["kind"] is None:
            return not known_kind
        if kind is None or f["kind"] == "generic" or kind == "generic":
            return True
        return f["kind"] == kind or kind in self.lex.field_also.get(f["kind"], ())

    def _total(self, rank: Rank) -> int | None:
        """The size of the rank's field: the nearest agreeing population in the rank's clause, then its
        sentence, then (kinds known on both sides) the adjacent sentences of its paragraph, then the rest
        of the paragraph; last, a population of the same region (or a stated total) anywhere."""
        if rank.bound:
            return None
        phrase_total = self._phrase_total(rank)
        if phrase_total is not None:
            return phrase_total
        region, scope_kind, subject_kind = self._rank_field(rank)
        kind = scope_kind or subject_kind or self._group_kind.get(rank.group)
        head = self._rank_head(rank)
        subject_head = self._field_head(to_simplified(rank.subject)) if rank.subject else None
        pos = rank.atom_start
        cs, ce = self._clause_of(pos)
        k = _find(self.sentences, pos)
        ss, se = self.sentences[k]
        ps, pe = self.paragraphs[_find(self.paragraphs, pos)]

        def agreeing(lo: int, hi: int, known_kind: bool) -> list[dict]:
            return [
                f
                for f in self.fields
                if lo <= f["pos"] < hi
                and not (f["pos"] <= pos < f["end"])
                and self._agrees(region, kind, f, known_kind, head, subject_head)
            ]

        for lo, hi in ((cs, ce), (ss, se)):
            cands = agreeing(lo, hi, known_kind=False)
            before = [f for f in cands if f["pos"] < pos]
            if cands:
                return (before[-1] if before else cands[0])["n"]
        adjacent = []
        if k > 0 and self.sentences[k - 1][0] >= ps:
            adjacent.append(self.sentences[k - 1])
        if k + 1 < len(self.sentences) and self.sentences[k + 1][1] <= pe:
            adjacent.append(self.sentences[k + 1])
        if kind is None and head is None and subject_head is None:
            # beyond its sentence, a ranking of no known field takes only the one population next to it
            # that says it took part (全省共有九十家机构参评。X位列第12位)
            took = [f for a in adjacent for f in agreeing(*a, known_kind=False) if f.get("took_part")]
            return took[0]["n"] if len(took) == 1 else None
        for cands in ([f for a in adjacent for f in agreeing(*a, known_kind=True)], agreeing(ps, pe, True)):
            if cands:
                return min(cands, key=lambda f: abs(f["pos"] - pos))["n"]
        if kind or head:
            # anywhere in the text: a population of the rank's region (or a stated total, 共106个单位);
            # a rank of no region: a whole-field total or participating population of its field
            def anywhere(f: dict) -> bool:
                stated = f["total"] or f.get("took_part")
                if f["region"] == region or (f["region"] is None and f["total"]):
                    return True
                return region is None and stated and f["region"] in (None, *self.lex.whole_regions)

            same = [
                f
                for f in self.fields
                if anywhere(f) and self._agrees(region, kind, f, True, head, subject_head)
            ]
            same = [f for f in same if f["total"]] or same
            before = [f for f in same if f["pos"] < pos]
            if same:
                return (before[-1] if before else same[0])["n"]
        return None

    # ................................................................ lists, repeats, spans

    def _replicate(self, ranks: list[Rank]) -> list[Rank]:
        norm, out = self.norm, []
        groups: dict[int, list[Rank]] = {}
        for r in ranks:
            groups.setdefault(r.group, []).append(r)
        for r in ranks:
            names = r.extra.get("names") or []
            members = groups.get(r.group, [r]) if r.group >= 0 else [r]
            if len(names) > 1 and len(members) == len(names):
                i = members.index(r)
                r.subject = names[i][1]
                r.item_start = names[i][0]
                out.append(r)
                continue
            if len(names) > 1 and len(members) == 1:
                for pos, name in names:
                    out.append(self._copy(r, subject=name, item_start=pos))
                continue
            if len(members) > 1 or r.bound:
                out.append(r)
                continue
            items = self._scope_items(r)
            if len(items) > 1:
                for pos, item in items:
                    out.append(self._copy(r, scope=item, item_start=pos))
                continue
            cs, _ = self._clause_of(r.atom_start)
            counted = self.lex.counted_re.search(norm, cs, r.atom_start)
            if counted and norm.startswith("中", counted.end()):
                counted = None  # 在这五项一级指标中我市…排在第2位: the field's items, not the ranked ones
            n = cn_int(counted.group("n")) if counted else None
            if n and 1 < n <= 10:
                for k in range(n):
                    out.append(self._copy(r, item_start=None, extra={"replica": k}))
                continue
            out.append(r)
        return out

    def _scope_items(self, r: Rank) -> list[tuple[int, str]]:
        norm = self.norm
        cs, _ = self._clause_of(r.atom_start)
        verb = self._verb_before(cs, r.atom_start)
        head_end = verb.start() if verb else r.atom_start
        quoted = [(m.start(), self.text[m.start() : m.end()]) for m in _QUOTED.finditer(norm, cs, head_end)]
        if len(quoted) > 1:
            return [(p, q.strip('“”"')) for p, q in quoted]
        head = norm[cs:head_end]
        names = r.extra.get("names") or []
        skip = cs
        if names and cs <= names[-1][0] < head_end:
            skip = names[-1][0] + len(names[-1][1])
            head = norm[skip:head_end]
            head = re.sub(r"^的", "", head)
            skip = head_end - len(head)
        head = re.sub(r"(?:等)?(?:指标|方面|领域)?(?:得分)?(?:都|均|皆|全部)?$", "", head)
        # 在全省90个县(市、区)中: a 、 inside brackets separates no items
        if "、" in re.sub(r"[(（][^()（）]*[)）]", "", head):
            return self._split_items(skip, head)
        # a verbless list clause right before: 科技投入、科技产出,苏州的得分位列全省第一
        k = _find(self.clauses, cs)
        ss, _ = self._sentence_of(r.atom_start)
        if k > 0 and self.clauses[k - 1][0] >= ss:
            ps, pe = self.clauses[k - 1]
            prev = norm[ps:pe].rstrip(_CLAUSE_END)
            if (
                "、" in prev
                and not re.search(r"\d|第", prev)
                and not self._verb_before(ps, pe)
                and not re.search(self.lex.raw["list_statement"], prev)
                and not _ZAI_PHRASE.fullmatch(prev)  # 在科技产出、成果转化、平台建设三个一级指标中: a field
            ):
                return self._split_items(ps, prev)
        return []

    def _split_items(self, start: int, head: str) -> list[tuple[int, str]]:
        items, off = [], start
        if re.search(r"[(（][^()（）]*、", head):
            return []  # 县(市、区): one item, not a list
        for piece in re.split(r"(、|和|及|与)", head):
            if piece in ("、", "和", "及", "与"):
                off += len(piece)
                continue
            if piece:
                items.append((off, self.text[off : off + len(piece)]))
            off += len(piece)
        return items if len(items) > 1 and all(1 < len(t) <= 20 for _, t in items) else []

    @staticmethod
    def _copy(r: Rank, **changes) -> Rank:
        new = Rank(**{k: getattr(r, k) for k in r.__dataclass_fields__ if k != "extra"})
        new.extra = dict(r.extra)
        for k, v in changes.items():
            if k == "extra":
                new.extra.update(v)
            else:
                setattr(new, k, v)
        return new

    def _ordered_lists(self, ranks: list[Rank]) -> list[Rank]:
        norm = self.norm
        for m in self.lex.ordered_re.finditer(norm):
            ss, se = self._sentence_of(m.start())
            body = norm[m.end() : se].rstrip(_SENTENCE_END + "”")
            n = cn_int(m.group("n") or "") or 0
            off = m.end()
            items = []
            for piece in re.split(r"(、|和|及|与|，|,)", body):
                if piece in ("、", "和", "及", "与", "，", ","):
                    off += len(piece)
                    continue
                clean = re.sub(r"等$", "", piece)
                if clean and (self.lex.connective_re.match(clean) or self._has_verb(clean)):
                    break  # 其中东湖区已连续三年排名第一: the list is over
                if clean:
                    items.append((off, self.text[off : off + len(clean)]))
                off += len(piece)
            for i, (pos, name) in enumerate(items[: n or None]):
                r = Rank(i + 1, pos, pos + len(name), "ordered_list", subject=name, item_start=pos)
                r.group = _ORDERED_GROUPS + m.start()
                r.scope = None
                ranks.append(r)
        ranks.sort(key=lambda r: (r.atom_start, r.atom_end))
        return ranks

    def _is_headline(self, pos: int) -> bool:
        ps, pe = self.paragraphs[_find(self.paragraphs, pos)]
        line = self.norm[ps:pe].strip()
        return bool(line) and len(line) <= 60 and line[-1] not in _FINAL_PUNCT

    def _drop_repeats(self, ranks: list[Rank]) -> list[Rank]:
        """A fact said again is one ranking: a headline rank the body states, a rank repeating an earlier
        sentence's (subject, rank, region, metric), and a restatement with no metric of its own of an
        earlier ranking of the same subject and rank (前三名依次是A、B和C, 其中A获得第一名)."""
        body = [r for r in ranks if not self._is_headline(r.atom_start)]
        body_ranks = {(r.rank, r.bound) for r in body}
        kept: list[Rank] = []
        seen: dict[tuple, int] = {}
        for r in ranks:
            if self._is_headline(r.atom_start) and (r.rank, r.bound) in body_ranks:
                continue
            if r.item_start is None and not r.extra.get("replica") and r.group >= 0:
                if r.subject and not r.metric and not r.bound and self._restates(r, kept):
                    continue
                key = (
                    r.subject,
                    r.rank,
                    r.region,
                    r.metric,
                    r.bound,
                    r.scope if r.scope and "在" in r.scope else None,
                )
                sent = _find(self.sentences, r.atom_start)
                if r.subject and key in seen and seen[key] != sent:
                    continue
                seen.setdefault(key, sent)
            kept.append(r)
        return kept

    @staticmethod
    def _restates(r: Rank, kept: list[Rank]) -> bool:
        return any(
            k.subject == r.subject
            and k.rank == r.rank
            and not k.bound
            and (k.region == r.region or not r.region or not k.region)
            and k.atom_start < r.atom_start
            for k in kept
        )

    def _span(self, r: Rank, taken: set[tuple[int, int]]) -> tuple[int, int]:
        cs, ce = self._clause_of(r.atom_start)
        ce = len(self.text[:ce].rstrip(_CLAUSE_END + " ")) if ce > cs else ce
        ce = max(ce, r.atom_end)
        options = [(cs, ce), (cs, r.atom_end)]
        if r.item_start is not None:
            options += [(r.item_start, ce), (r.item_start, r.atom_end)]
        options.append((r.atom_start, r.atom_end))
        verb = self._verb_before(cs, r.atom_start)
        if verb:
            options.append((verb.start(), r.atom_end))
        options += [(s, ce) for s in range(cs + 1, r.atom_start)]
        for opt in options:
            if opt[1] > opt[0] and opt not in taken:
                taken.add(opt)
                return opt
        return cs, ce


@Language.factory("ranking_extractor", default_config={"resource": None})
def make_ranking_extractor(nlp: Language, name: str, resource: str | None) -> RankingExtractor:
    return RankingExtractor(nlp, name, resource)
