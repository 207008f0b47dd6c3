"""The size of a ranked field (`total`): which count of the article, if any, is the field a ranking
is in.

Rules propose, a model chooses. Every count the number stage found with a field measure word
(43家, 19个, 1701所) and a value no smaller than the rank is a candidate, plus "no stated field".
Each candidate gets features: where it stands relative to the ranking (its phrase, clause,
sentence, paragraph, before or after, the headline), the words around it (a region word before it:
全省43家; a part word: 其中我市8家; a participation word: 48家高新区参评; a closing 中: 在147个国家高新区中;
a rank-change verb: 提升9位), whether its noun names the same kind of field as the ranking (park,
city, school … from `rankings.yaml`), and whether the sentence-level rules picked it. The
default choice is the article-level rule `article_pick`: the sentence-level total when it is a
plausible field, else the evaluation's field statement (`_mark_evaluation_field`). A `LinearChooser`
trained on the annotated dev articles (`pipeline.discourse.train`, `make train-discourse`) can choose
instead; under 5-fold cross-validation it scores below the rule (`make eval-rankings`, cv5.*), so the
rule is the default.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.discourse.chooser import Features, LinearChooser
from pipeline.resolve import safe_load_yaml
from pipeline.text.segments import Segments

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "zh"

# Counts further than this from a ranking are not its candidates: far beyond any article's length
# (dev's longest is 732 characters), it keeps a page-sized text linear in its length.
WINDOW_CHARS = 3000
_IN_PHRASE = re.compile(r"在([^，,。；;在]{2,20}?)中(?!心)")
_HOLDER_REGIONS = ("全县", "全市", "全区")
# A holder that is a part of a body (渼川农业大学作物学学科) is ranked among parts of its kind, not among
# the bodies a count names (1482所高校): a kind no field noun agrees with.
_PART_ENDINGS = ("学科", "學科", "专业", "專業")
_PART_KIND = "part"
_PART_AFTER = re.compile(
    rf"[\u4e00-\u9fff]{{0,12}}?(?:{'|'.join(_PART_ENDINGS)})(?=排名|排在|位列|位居|列|居|排)"
)


def _holder_is_a_part(ranking_text: str, subject: str | None) -> bool:
    """The ranked holder is a part of a body: its name ends with 学科 / 专业, or the ranking writes
    one right after it (东岚农业大学作物学学科排名全国第6位)."""
    if not subject:
        return False
    if subject.endswith(_PART_ENDINGS):
        return True
    at = ranking_text.find(subject)
    return at >= 0 and _PART_AFTER.match(ranking_text, at + len(subject)) is not None


_PLACE_SHARE = re.compile(r"(?<![全我本该各])[市县区省州](?:的)?(?:上榜|入选|入围|入榜)[\u4e00-\u9fff]{0,6}$")
_CLAUSE_STOP = re.compile(r"[，,；;：:。！？!?\n]")


@dataclass(frozen=True)
class CountView:
    """A count the number stage found: its span, integer value and measure word."""

    start: int
    end: int
    value: int
    unit: str


@dataclass(frozen=True)
class RankingView:
    """A ranking the sentence-level stage found, with the total its rules chose (or None)."""

    start: int
    end: int
    rank: int
    total: int | None
    subject: str | None
    scope: str | None


def counts_from(mentions) -> list[CountView]:
    """The integer counts with a unit among the mentions (kind "number")."""
    out = []
    for m in mentions:
        if m.kind != "number" or m.fields.get("unit") is None:
            continue
        value = m.fields.get("value")
        try:
            whole = int(value)
        except (TypeError, ValueError, OverflowError):
            continue
        if whole == value:
            out.append(CountView(m.start, m.end, whole, m.fields["unit"]))
    return out


def rankings_from(mentions) -> tuple[list[RankingView], list]:
    """The rankings whose total the chooser decides: not bands, not 排名末位 (its rank is its total)."""
    views, kept = [], []
    for m in mentions:
        f = m.fields
        if m.kind != "ranking" or f.get("rank_is_bound") or m.extractor == "rankings.bottom_word":
            continue
        views.append(RankingView(m.start, m.end, f["rank"], f.get("total"), f.get("subject"), f.get("scope")))
        kept.append(m)
    return views, kept


@dataclass(frozen=True)
class Candidate:
    value: int | None  # None: no stated field
    features: Features


@dataclass(frozen=True)
class Lexicon:
    field_measures: frozenset[str]
    whole_regions: tuple[str, ...]
    part_words: tuple[str, ...]
    participation_words: tuple[str, ...]
    total_words: tuple[str, ...]
    phrase_end: tuple[str, ...]
    change_words: tuple[str, ...]
    non_field_nouns: tuple[str, ...]
    subset_words: tuple[str, ...]
    applicant_words: tuple[str, ...]
    owned_words: tuple[str, ...]
    award_verbs: tuple[str, ...]
    entry_words: tuple[str, ...]
    place_endings: str
    evaluation_intro: re.Pattern[str]
    evaluated_after: re.Pattern[str]
    regions: tuple[str, ...]  # longest first
    nouns: tuple[tuple[str, str], ...]  # (noun, kind), longest first
    also: dict[str, tuple[str, ...]]


@lru_cache(maxsize=2)
def load_lexicon(root: Path = RESOURCES) -> Lexicon:
    own = safe_load_yaml((root / "discourse.yaml").read_text(encoding="utf-8"))
    ranks = safe_load_yaml((root / "rankings.yaml").read_text(encoding="utf-8"))
    nouns = [(noun, kind) for kind, words in ranks["field_nouns"].items() for noun in words]
    return Lexicon(
        field_measures=frozenset(own["field_measures"]),
        whole_regions=tuple(own["whole_regions"]),
        part_words=tuple(own["part_words"]),
        participation_words=tuple(own["participation_words"]),
        total_words=tuple(own["total_words"]),
        phrase_end=tuple(own["field_phrase_end"]),
        change_words=tuple(ranks["change_up"] + ranks["change_down"]),
        non_field_nouns=tuple(own["non_field_nouns"]),
        subset_words=tuple(own["subset_words"]),
        applicant_words=tuple(own["applicant_words"]),
        owned_words=tuple(own["owned_words"]),
        award_verbs=tuple(own["award_verbs"]),
        entry_words=tuple(own["entry_words"]),
        place_endings=own["place_endings"],
        evaluation_intro=re.compile(own["evaluation_intro"]),
        evaluated_after=re.compile(own["evaluated_after"]),
        regions=tuple(sorted(ranks["regions"], key=len, reverse=True)),
        nouns=tuple(sorted(nouns, key=lambda nk: -len(nk[0]))),
        also={k: tuple(v) for k, v in ranks["field_noun_also"].items()},
    )


def last_region(phrase: str, lex: Lexicon) -> str | None:
    """The last region word of `phrase` (名列全国第四、西部第一 up to 第一 -> 西部)."""
    best: tuple[int, str] | None = None
    for word in lex.regions:
        at = phrase.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best[0]):
            best = (at + len(word), word)
    return best[1] if best else None


def field_kind(phrase: str | None, lex: Lexicon) -> str | None:
    """The kind of field the last field noun of `phrase` names (全省43家高新区 -> park)."""
    found = field_noun(phrase, lex)
    return found[1] if found else None


def field_noun(phrase: str | None, lex: Lexicon) -> tuple[str, str] | None:
    """The last field noun of `phrase` and its kind (全省43家高新区 -> (高新区, park))."""
    if not phrase:
        return None
    best: tuple[int, int, str] | None = None
    for noun, kind in lex.nouns:
        at = phrase.rfind(noun)
        if at < 0:
            continue
        end = at + len(noun)
        if len(noun) == 1 and end < len(phrase) and phrase[end] in "级内属委长":
            continue
        key = (end, len(noun), kind, noun)
        if best is None or key[:2] > best[:2]:
            best = key
    return (best[3], best[2]) if best else None


# Cues whose weight depends on where the count stands (a region word in the ranking's own phrase
# says more than one three paragraphs away): each also becomes a "<position>&<cue>" feature.
_CUES = (
    "rule_pick",
    "region_before",
    "part_before",
    "total_before",
    "participation",
    "phrase_end",
    "change_before",
    "subset",
    "evaluation_field",
    "kind_agree",
    "kind_disagree",
    "kind_count_only",
    "region_mismatch",
    "local_ranking",
)


def _mark_extremes(cands: list[Candidate]) -> None:
    """The largest count of the article, and the largest of those naming the ranking's kind of field or
    following a region word (a whole field is the largest count of its kind)."""
    real = [c for c in cands if c.value is not None]
    if not real:
        return
    top = max(c.value for c in real)
    fitting = [c for c in real if c.features.get("kind_agree") or c.features.get("region_before")]
    top_fitting = max((c.value for c in fitting), default=None)
    for c in real:
        if c.value == top:
            c.features["largest"] = 1.0
        if c.value == top_fitting and c in fitting:
            c.features["largest_fitting"] = 1.0


_POSITIONS = ("in_phrase", "same_clause", "same_sentence", "same_paragraph")


def _states_field(f: Features) -> bool:
    """A count that states a whole field of the ranking's kind: a field noun that agrees (or the
    ranking names none), a region, participation, total or 在…中 word, and nothing making it a part."""
    return bool(
        (f.get("kind_agree") or f.get("kind_count_only"))
        and (f.get("region_before") or f.get("participation") or f.get("phrase_end") or f.get("total_before"))
        and not (
            f.get("part_before")
            or f.get("subset")
            or f.get("change_before")
            or f.get("person_measure")
            or f.get("metric_quantity")
            or f.get("other_evaluation")
            or f.get("phrase_mismatch")
            or f.get("later_phrase")
        )
        and not f.get("region_mismatch")
        # a contest place or a sub-region rank takes only a field stated in its own clause
        and (not f.get("local_ranking") or f.get("same_clause") or f.get("in_phrase"))
    )


def _mark_evaluation_field(cands: list[Candidate]) -> None:
    """The field statement of the evaluation a ranking belongs to: the nearest count stating a whole
    field (its phrase, clause, sentence, paragraph, then the article), the largest among equals."""
    stated = [c for c in cands if c.value is not None and _states_field(c.features)]
    if not stated:
        return

    def nearness(c: Candidate) -> tuple[int, int]:
        at = next((i for i, name in enumerate(_POSITIONS) if c.features.get(name)), len(_POSITIONS))
        return at, -(c.value or 0)

    best = min(stated, key=nearness)
    best.features["evaluation_field"] = 1.0
    position = next((name for name in _POSITIONS if best.features.get(name)), "far")
    best.features[f"{position}&evaluation_field"] = 1.0


def article_pick(cands: list[Candidate], ranking: RankingView) -> int | None:
    """The article-level rule: the sentence-level total when it is a plausible field (no smaller than
    the rank, not a part or subset of a field: 其中我市8家, 共10所大学进入前100名), else the evaluation's
    field statement, else none."""
    rule = ranking.total if ranking.total is not None and ranking.total >= ranking.rank else None
    if rule is not None:
        picked = [c for c in cands if c.value == rule and c.features.get("rule_pick")]
        vetoes = ("part_before", "subset", "other_evaluation", "phrase_mismatch", "part_holder")
        if not any(c.features.get(v) for c in picked for v in vetoes):
            return rule
    field = next((c for c in cands if c.features.get("evaluation_field")), None)
    return field.value if field else None


def _counts_the_metric(noun: str, scope: str | None) -> bool:
    """Whether a ranking's scope is the number of `noun` (孵化国家科技型中小企业数量 for 企业)."""
    if not scope:
        return False
    at = scope.rfind(noun)
    return at >= 0 and scope[at + len(noun) :].startswith(("数量", "数", "总数", "个数"))


def _own_region(before: str, ranking_region: str | None) -> bool:
    """A count after 我省 / 本市 in a ranking of 全省 / 全市: the whole of the ranking's own region
    (我省参评的27家孵化器中,A列全省第1位), not a part of a larger field (其中我省27家)."""
    if not ranking_region or not ranking_region.startswith("全") or len(ranking_region) != 2:
        return False
    level = ranking_region[1]
    return f"我{level}" in before or f"本{level}" in before


def evaluation_starts(text: str, seg: Segments, lex: Lexicon, ranked: list[int]) -> list[int]:
    """Where each evaluation the article reports begins: the body sentences that announce one
    (省科技厅公布2024年度…评价结果 / 在工信部此前公布的…排名中) and rank something (`ranked`: the
    rankings' offsets) before the next one does; an announcement that ranks nothing (研究报告公布了7类
    150个排行榜, background on the same list) starts none. The first takes in everything before it (a
    headline repeats the first evaluation); a field size belongs to its own evaluation."""
    body = seg.span("paragraphs", 0)[1] if seg.headline else 0
    starts: list[int] = []
    for m in lex.evaluation_intro.finditer(text, body):
        sentence = seg.span("sentences", seg.sentence_of(m.start()))[0]
        if not starts or sentence > starts[-1]:
            starts.append(sentence)
    bounds = [*starts, len(text) + 1]
    ranking = [s for s, e in zip(bounds, bounds[1:], strict=False) if any(s <= r < e for r in ranked)]
    return [0, *ranking[1:]] if ranking else [0]


def _kinds_agree(a: str, b: str, lex: Lexicon) -> bool:
    return a == b or "generic" in (a, b) or b in lex.also.get(a, ()) or a in lex.also.get(b, ())


def _near(text: str, start: int, end: int, words: tuple[str, ...]) -> bool:
    piece = text[max(start, 0) : end]
    return any(w in piece for w in words)


class FieldResolver:
    """Chooses each ranking's field size among the article's counts."""

    def __init__(self, chooser: LinearChooser | None = None, lexicon: Lexicon | None = None):
        self.chooser = chooser
        self.lex = lexicon or load_lexicon()

    def evaluations(self, text: str, seg: Segments, rankings: list[RankingView]) -> list[int]:
        """Where the article's evaluations begin (`evaluation_starts`), for `candidates`."""
        return evaluation_starts(text, seg, self.lex, [r.start for r in rankings])

    def candidates(
        self,
        text: str,
        seg: Segments,
        ranking: RankingView,
        counts: list[CountView],
        evaluations: list[int] = (0,),
    ):
        lex = self.lex
        out = [Candidate(None, {"none": 1.0, "none&rule_none": float(ranking.total is None)})]
        r_pos = ranking.end - 1
        r_sent, r_clause, r_par = seg.sentence_of(r_pos), seg.clause_of(r_pos), seg.paragraph_of(r_pos)
        # the holder's own kind first (鹤汀区的企业技术创新指数排名第一: a county, though its scope names 企业)
        r_text = text[ranking.start : ranking.end]
        r_kind = (
            (_PART_KIND if _holder_is_a_part(r_text, ranking.subject) else None)
            or field_kind(ranking.subject, lex)
            or field_kind(ranking.scope, lex)
        )
        # a list member's own span (第2位 of 分列全省第1位、第2位) takes the region of its clause, else of
        # its sentence (…排名全省第5位,…,琰溪创新工场排名下降3位,列第11位)
        # 全县经济规模指标列第12位: a 全县 opening the ranking is its holder, not the region it is ranked in
        own_text = r_text[2:] if r_text.startswith(_HOLDER_REGIONS) else r_text
        r_region = last_region(own_text, lex) or last_region(
            text[seg.span("clauses", r_clause)[0] : ranking.end], lex
        )
        if r_region is None:
            sentence_text = text[seg.span("sentences", r_sent)[0] : ranking.end]
            around = last_region(sentence_text, lex)
            # never a sub-region from afar, nor a 全县 opening a clause (a holder there: 全县经济规模…)
            opening = around in _HOLDER_REGIONS and re.search(rf"(?:^|[，,；;：:]){around}", sentence_text)
            r_region = around if around in lex.whole_regions and not opening else None
        if r_region in _HOLDER_REGIONS and r_text.startswith(r_region):
            r_region = None
        contest = any(verb in r_text for verb in lex.award_verbs)
        sub_region = r_region is not None and r_region not in lex.whole_regions
        out[0].features.update({"none&sub_region": float(sub_region), "none&contest": float(contest)})
        r_evaluation = bisect_right(evaluations, ranking.start)
        # 在县级开发区中列第1位: the ranking names its own field by a noun phrase (with no count in it)
        own = _IN_PHRASE.findall(text, seg.span("clauses", r_clause)[0], ranking.end)
        r_phrase = own[-1] if own and not re.search(r"\d", own[-1]) else ""
        r_phrase = r_phrase if field_kind(r_phrase, lex) else ""
        near = counts[
            bisect_left(counts, ranking.start - WINDOW_CHARS, key=lambda c: c.start) : bisect_right(
                counts, ranking.end + WINDOW_CHARS, key=lambda c: c.start
            )
        ]
        for c in near:
            if c.unit not in lex.field_measures or c.value < max(ranking.rank, 2) or c.value > 100000:
                continue
            c_sent, c_clause, c_par = (
                seg.sentence_of(c.start),
                seg.clause_of(c.start),
                seg.paragraph_of(c.start),
            )
            clause_start, clause_end = seg.span("clauses", c_clause)
            after = text[c.end : clause_end]
            stop = _CLAUSE_STOP.search(after)
            after = after[: stop.start()] if stop else after
            before = text[clause_start : c.start]
            if after.startswith(lex.non_field_nouns) or after[:2] in ("一级", "二级"):
                continue
            # the noun after the count (43家高新区), else before it (全县现有茶叶出口企业36家)
            c_noun = field_noun(after[:16], lex) or (
                field_noun(before[-8:], lex) if not after[:1].strip() else None
            )
            c_kind = c_noun[1] if c_noun else None
            c_phrase = (
                after[: after.find(c_noun[0]) + len(c_noun[0])] if c_noun and c_noun[0] in after else ""
            )
            c_region = last_region(before[-6:], lex)
            own_region = _own_region(before[-6:], r_region)
            sent_dist = abs(c_sent - r_sent)
            f: Features = {
                "cand": 1.0,
                "rule_pick": float(ranking.total == c.value),
                "in_phrase": float(ranking.start <= c.start < ranking.end),
                "same_clause": float(c_clause == r_clause),
                "same_sentence": float(c_sent == r_sent),
                "adjacent_sentence": float(sent_dist == 1 and c_par == r_par),
                "same_paragraph": float(c_par == r_par),
                "sentence_distance": min(sent_dist, 8) / 8,
                "before": float(c.start < ranking.start),
                "in_headline": float(seg.in_headline(c.start)),
                "region_before": float(
                    _near(before, len(before) - 6, len(before), lex.whole_regions)
                    or before.startswith(lex.whole_regions)
                    or own_region
                ),
                "part_before": float(
                    (_near(before, len(before) - 6, len(before), lex.part_words) and not own_region)
                    or _PLACE_SHARE.search(before[-10:]) is not None  # 崧州市上榜企业11家: one city's share
                ),
                "total_before": float(_near(before, len(before) - 3, len(before), lex.total_words)),
                "participation": float(
                    _near(before, 0, len(before), lex.participation_words)
                    or _near(after, 0, 12, lex.participation_words)
                    or lex.evaluated_after.match(after) is not None
                ),
                "phrase_end": float(any(w in after[:16] for w in lex.phrase_end)),
                "subset": float(
                    _near(after, 0, 14, lex.subset_words)
                    or _near(before, len(before) - 6, len(before), lex.applicant_words)
                    or _near(before, 0, len(before), lex.owned_words)
                    or (_near(after, 0, 14, lex.entry_words) and before[-1:] in lex.place_endings)
                ),
                "change_before": float(_near(before, len(before) - 4, len(before), lex.change_words)),
                "person_measure": float(c.unit in ("名", "位")),
                "part_holder": float(r_kind == _PART_KIND and c_kind is not None),  # a 学科 among 高校
                # …分列前三位。在13家省级高新区中,X居首位: a later 在…中 field opens the rankings after it
                "later_phrase": float(
                    c.start > ranking.end
                    and c_sent != r_sent
                    and any(w in after[:16] for w in lex.phrase_end)
                    and before.rstrip().endswith("在")
                ),
                # 在全省67家省级以上开发区中… for a ranking 在县级开发区中: another field
                "phrase_mismatch": float(
                    bool(r_phrase and c_phrase)
                    and c_clause != r_clause
                    and not (c_phrase.endswith(r_phrase) or r_phrase.endswith(c_phrase))
                ),
                "other_evaluation": float(bisect_right(evaluations, c.start) != r_evaluation),
                # 孵化中小企业318家 for a ranking by 孵化中小企业数量: a quantity of what is ranked
                "metric_quantity": float(bool(c_noun) and _counts_the_metric(c_noun[0], ranking.scope)),
                "value_is_rank": float(c.value == ranking.rank),
                "region_mismatch": float(bool(r_region and c_region and r_region != c_region)),
                "local_ranking": float(sub_region or contest),
                "log_ratio": min(math.log10(c.value / max(ranking.rank, 1)), 3.0) / 3,
            }
            if r_kind and c_kind:
                f["kind_agree" if _kinds_agree(r_kind, c_kind, lex) else "kind_disagree"] = 1.0
            elif c_kind:
                f["kind_count_only"] = 1.0
            else:
                f["kind_unknown"] = 1.0
            position = next(
                (name for name in ("in_phrase", "same_clause", "same_sentence", "same_paragraph") if f[name]),
                "far",
            )
            for cue in _CUES:
                if f.get(cue):
                    f[f"{position}&{cue}"] = 1.0
            out.append(Candidate(c.value, {k: v for k, v in f.items() if v}))
        _mark_extremes(out)
        _mark_evaluation_field(out)
        return out

    def resolve(
        self, text: str, rankings: list[RankingView], counts: list[CountView], seg: Segments | None = None
    ) -> list[int | None]:
        """The total of each ranking: the chooser's pick, or the article-level rule's without one."""
        seg = seg or Segments(text)
        counts = sorted(counts, key=lambda c: c.start)
        evaluations = self.evaluations(text, seg, rankings)
        out = []
        for ranking in rankings:
            group = self.candidates(text, seg, ranking, counts, evaluations)
            if self.chooser is None:
                out.append(article_pick(group, ranking))
            else:
                out.append(group[self.chooser.choose([c.features for c in group])].value)
        return out
