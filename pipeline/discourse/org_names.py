"""Organisation names seen from the whole article (pure: text and spans in, spans and names out).

The suffix grammar and the NER model see a name where its own characters show it; an article also
names bodies by where it puts them. This module holds those readings, each with its language data
in `resources/zh/org_names.yaml` and its examples in `tests/examples/org_names.yaml`:

- *Filters and repairs* of a found name: a generic phrase (`is_generic_phrase`: 世界一流大学,
  美国顶尖大学, 同类开发区), a foreign country before a foreign body (`without_country`: 荷兰莱顿大学 ->
  莱顿大学), a clause word inside (`split_at_clause_words`: 工业和信息化部直属研究机构中国信息通信研究院 ->
  two names), a continuation after it (`continued_end`: …开发区(筹)).
- *More names*: members of a list of bodies (`list_members`: 鲁南制药、红日化工等10大高新技术企业),
  media outlets in bylines (`media_outlets`: (郑州观察记者 王延辉), 每日甘肃网兰州讯), short forms the
  article defines or repeats (`short_forms`: (以下简称“汇龙环保”), 宁德时代 after its full name), and
  English names in brackets after a name (`english_names`: 哈佛大学(Harvard University)).
- *One name per organisation* (`canonical_names`): a short form the article also gives in full takes
  the full form as its `name` (上海交大 -> 上海交通大学, 市科技局 -> 平湖市科学技术局).

The callers pass the Simplified analysis text (same length as the article) and the segmenter and
POS tags to use, so this module imports nothing from the pipeline's stages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.resolve import safe_load_yaml

RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "zh" / "org_names.yaml"

Span = tuple[int, int]
Cut = Callable[[str], list[str]]

_CLAUSE_EDGE = set(",，。;；:：!！?？\n“”\"'()（）「」『』《》[]【】 \t")
_LIST_SEP = "、"
_LAST_JOINERS = ("以及", "和", "及", "与")
_COUNT = re.compile(r"[0-9０-９一二两三四五六七八九十百千几多余]+[个家大位名所项批]?")
_LATIN_GLOSS = re.compile(r"\s*[(（]\s*([A-Za-z][A-Za-z0-9&.,'’\- ]{1,100}?)\s*[)）]")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_HAS_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_DIGITS_ONLY = re.compile(r"^[0-9０-９.．%]+$")


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class OrgNamesLexicon:
    list_heads: tuple[str, ...]
    list_head_gap: int
    member_not_endings: tuple[str, ...]
    member_common_tags: frozenset[str]
    member_left_stop_tags: frozenset[str]
    member_left_stop_words: frozenset[str]
    media_not_names: tuple[str, ...]
    media_endings: tuple[str, ...]
    media_separators: tuple[str, ...]
    title_media_endings: tuple[str, ...]
    media_lead_words: tuple[str, ...]
    media_clause_tags: tuple[str, ...]
    short_name_markers: tuple[str, ...]
    company_tails: tuple[str, ...]
    short_form_min_chars: int
    generic_modifiers: tuple[str, ...]
    generic_class_nouns: frozenset[str]
    generic_always: frozenset[str]
    generic_endings: tuple[str, ...]
    distributive_marker: str
    distributive_fillers: frozenset[str]
    foreign_countries: tuple[str, ...]
    foreign_body_suffixes: tuple[str, ...]
    country_kept_before: tuple[str, ...]
    never_inside: frozenset[str]
    connector_generics: tuple[str, ...]
    name_continuations: tuple[str, ...]
    sub_body_parents: tuple[str, ...]
    sub_bodies: tuple[str, ...]
    sub_body_gap: int
    sub_body_stop_tags: frozenset[str]
    english_org_words: frozenset[str]
    short_name_marker: re.Pattern[str]
    zone_at_boundary: re.Pattern[str]
    zone_place_stops: frozenset[str]


@lru_cache(maxsize=1)
def org_names_lexicon() -> OrgNamesLexicon:
    data = safe_load_yaml(RESOURCE.read_text(encoding="utf-8"))
    markers = "|".join(map(re.escape, _longest_first(data["short_name_markers"])))
    return OrgNamesLexicon(
        list_heads=_longest_first(data["list_heads"]),
        list_head_gap=int(data["list_head_gap"]),
        member_not_endings=_longest_first(data["member_not_endings"]),
        member_common_tags=frozenset(data["member_common_tags"]),
        member_left_stop_tags=frozenset(data["member_left_stop_tags"]),
        member_left_stop_words=frozenset(data["member_left_stop_words"]),
        media_not_names=_longest_first(data["media_not_names"]),
        media_endings=_longest_first(data["media_endings"]),
        media_separators=tuple(data["media_separators"]),
        title_media_endings=_longest_first(data["title_media_endings"]),
        media_lead_words=_longest_first(data["media_lead_words"]),
        media_clause_tags=tuple(data["media_clause_tags"]),
        short_name_markers=_longest_first(data["short_name_markers"]),
        company_tails=_longest_first(data["company_tails"]),
        short_form_min_chars=int(data["short_form_min_chars"]),
        generic_modifiers=_longest_first(data["generic_modifiers"]),
        generic_class_nouns=frozenset(data["generic_class_nouns"]),
        generic_always=frozenset(data["generic_always"]),
        generic_endings=_longest_first(data["generic_endings"]),
        distributive_marker=data["distributive_marker"],
        distributive_fillers=frozenset(data["distributive_fillers"]),
        foreign_countries=_longest_first(data["foreign_countries"]),
        foreign_body_suffixes=_longest_first(data["foreign_body_suffixes"]),
        country_kept_before=tuple(data["country_kept_before"]),
        never_inside=frozenset(data["never_inside"]),
        connector_generics=_longest_first(data["connector_generics"]),
        name_continuations=tuple(data["name_continuations"]),
        sub_body_parents=_longest_first(data["sub_body_parents"]),
        sub_bodies=_longest_first(data["sub_bodies"]),
        sub_body_gap=int(data["sub_body_gap"]),
        sub_body_stop_tags=frozenset(data["sub_body_stop_tags"]),
        english_org_words=frozenset(data["english_org_words"]),
        zone_at_boundary=re.compile(
            r"(?:^|(?<=[,，。;；:：!！?？\n、“”\"(（]))([\u4e00-\u9fff]{2,3})("
            + "|".join(map(re.escape, _longest_first(data["zone_suffixes"])))
            + ")",
            re.M,
        ),
        zone_place_stops=frozenset(data["zone_place_stops"]),
        short_name_marker=re.compile(
            r"[(（]\s*(?:" + markers + r")\s*[“\"「『]?([^”\"」』)）,，、]{2,16}?)[”\"」』]?\s*[)）,，]"
        ),
    )


# --------------------------------------------------------------------------- filters and repairs


def is_generic_phrase(name: str, lex: OrgNamesLexicon | None = None) -> bool:
    """Modifiers and then a class noun, nothing else: a class of bodies, not one body.

    >>> [is_generic_phrase(n) for n in ("世界一流大学", "美国顶尖大学", "同类开发区", "中国大学", "第三梯队")]
    [True, True, True, True, True]
    >>> [is_generic_phrase(n) for n in ("中国科学院", "中国人民大学", "浙江大学", "大学")]
    [False, False, False, False]
    """
    lex = lex or org_names_lexicon()
    if name in lex.generic_always or any(name.endswith(w) and name[0] == "第" for w in lex.generic_always):
        return True
    if name.endswith(lex.generic_endings):
        return True
    for noun in lex.generic_class_nouns:
        if name.endswith(noun) and len(name) > len(noun):
            rest = name[: -len(noun)]
            while rest:
                word = next((w for w in lex.generic_modifiers if rest.startswith(w)), None)
                if word is None:
                    break
                rest = rest[len(word) :]
            if not rest:
                return True
    return False


def without_country(name: str, lex: OrgNamesLexicon | None = None) -> int:
    """How many leading characters of `name` are a foreign country standing before a foreign body
    (0 when none).

    >>> without_country("荷兰莱顿大学"), without_country("英国剑桥大学"), without_country("澳洲2thinknow分析公司")
    (2, 2, 2)
    >>> without_country("美国国家科学基金会"), without_country("美国国务院"), without_country("中国科学院")
    (0, 0, 0)
    """
    lex = lex or org_names_lexicon()
    country = next((c for c in lex.foreign_countries if name.startswith(c)), None)
    if country is None:
        return 0
    rest = name[len(country) :]
    if (
        len(rest) < 3
        or rest.startswith(lex.country_kept_before)
        or not rest.endswith(lex.foreign_body_suffixes)
    ):
        return 0
    return len(country)


def split_at_clause_words(name: str, cut: Cut, has_suffix: Callable[[str], bool], lex=None) -> list[Span]:
    """The parts of `name` (offsets within it) left once a clause word segmented out of it cuts it,
    each ending with an organisation suffix; [(0, len(name))] when no clause word is inside.

    >>> from pipeline.segment import get_segmenter
    >>> cut = get_segmenter("jieba").cut
    >>> ends = lambda s: s.endswith(("部", "院", "局"))
    >>> n = "工业和信息化部直属研究机构中国信息通信研究院"
    >>> [n[s:e] for s, e in split_at_clause_words(n, cut, ends)]
    ['工业和信息化部', '中国信息通信研究院']
    >>> split_at_clause_words("中国(上海)自由贸易试验区", cut, ends)
    [(0, 13)]
    """
    lex = lex or org_names_lexicon()
    words = cut(name)
    pos, cuts = 0, []
    for word in words:
        if word in lex.never_inside and 0 < pos:
            cuts.append((pos, pos + len(word)))
        pos += len(word)
    if not cuts:
        return [(0, len(name))]
    parts, start = [], 0
    for cut_start, cut_end in cuts:
        parts.append((start, cut_start))
        start = cut_end
        generic = next((g for g in lex.connector_generics if name.startswith(g, start)), None)
        if generic and start + len(generic) < len(name):
            start += len(generic)
    parts.append((start, len(name)))
    return [(s, e) for s, e in parts if e - s >= 2 and has_suffix(name[s:e])]


def continued_end(text: str, start: int, end: int, cut: Cut, tags: dict[str, str], lex=None) -> int:
    """`end` moved over what continues the name `text[start:end]`: (筹) (…开发区(筹)), and a unit of a
    university or academy written right after it (南开大学人民医院, 厦门大学马来西亚分校).

    >>> from pipeline.segment import get_segmenter
    >>> from pipeline.components.organizations import word_tags
    >>> cut, tags = get_segmenter("jieba").cut, word_tags()
    >>> [t[: continued_end(t, 0, 4, cut, tags)] for t in ("南开大学人民医院、天津", "厦门大学马来西亚分校。", "北京大学和清华大学")]
    ['南开大学人民医院', '厦门大学马来西亚分校', '北京大学']
    """
    lex = lex or org_names_lexicon()
    for word in lex.name_continuations:
        if text.startswith(word, end):
            return end + len(word)
    if not text[start:end].endswith(lex.sub_body_parents):
        return end
    window = text[end : end + lex.sub_body_gap + max(map(len, lex.sub_bodies))]
    for body in lex.sub_bodies:
        k = window.find(body)
        if 0 <= k <= lex.sub_body_gap and not any(ch in _CLAUSE_EDGE or ch == _LIST_SEP for ch in window[:k]):
            gap = window[:k]
            if gap and any(tags.get(w, "") in lex.sub_body_stop_tags or len(w) == 1 for w in cut(gap)):
                continue
            return end + k + len(body)
    return end


def distributive(text: str, start: int, lex: OrgNamesLexicon | None = None) -> bool:
    """Whether the name starting at `start` follows 各 and level words: each of a class (各市科技局).

    >>> distributive("通知各市科技局", 4), distributive("各县(市)区科技局", 6), distributive("市科技局", 1)
    (True, True, False)
    """
    lex = lex or org_names_lexicon()
    j = start
    while j > 0 and start - j < 8 and text[j - 1] in lex.distributive_fillers:
        j -= 1
    return j > 0 and text[j - 1] == lex.distributive_marker


def split_at_separators(name: str, lex: OrgNamesLexicon | None = None) -> list[Span]:
    """Two outlets joined by a middle dot are two (新甘肃·甘肃日报); a part of one character is no name.

    >>> split_at_separators("新甘肃·甘肃日报"), split_at_separators("甘肃日报")
    ([(0, 3), (4, 8)], [(0, 4)])
    """
    lex = lex or org_names_lexicon()
    if not any(sep in name for sep in lex.media_separators if sep != "/") or not name.endswith(
        lex.media_endings
    ):
        return [(0, len(name))]  # k2•地产 is one name
    parts, pos = [], 0
    for k, ch in enumerate(name + "·"):
        if ch in lex.media_separators and ch != "/":
            if k - pos >= 2:
                parts.append((pos, k))
            pos = k + 1
    return parts


# --------------------------------------------------------------------------- more names


class SpanMask:
    """Which characters of a text are taken (by a name, a number, a date): overlap tests in time
    independent of how many spans there are, for articles with thousands of names."""

    def __init__(self, length: int, spans: Iterable[Span] = ()) -> None:
        self._mask = bytearray(length)
        for s, e in spans:
            self.mark(s, e)

    def mark(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)

    def any(self, start: int, end: int) -> bool:
        return self._mask.find(1, start, end) >= 0

    def copy(self) -> SpanMask:
        other = SpanMask(0)
        other._mask = bytearray(self._mask)
        return other


def _mask(text: str, spans: Iterable[Span] | SpanMask) -> SpanMask:
    """A mask of its own (the caller's is never changed)."""
    return spans.copy() if isinstance(spans, SpanMask) else SpanMask(len(text), spans)


def _clause_start(text: str, i: int, limit: int = 40, list_sep: bool = True) -> int:
    """Where the clause (or, with `list_sep`, the list item) holding position `i` starts."""
    j = i
    while (
        j > 0
        and i - j < limit
        and text[j - 1] not in _CLAUSE_EDGE
        and (text[j - 1] != _LIST_SEP or not list_sep)
    ):
        j -= 1
    return j


def _trim_left(member: str, cut: Cut, tags: dict[str, str], lex: OrgNamesLexicon) -> int:
    """How many leading characters of a list member are clause words (重点培植的 | 鲁南制药; 新签 |
    鑫创光电: a word the segmenter made up may start with a clause word of one character)."""
    keep = 0
    for word in reversed(cut(member)):
        if word in lex.member_left_stop_words or tags.get(word) in lex.member_left_stop_tags:
            break
        if word not in tags and len(word) > 2 and tags.get(word[0]) in lex.member_left_stop_tags:
            keep += len(word) - 1  # 签|鑫创 of 新签鑫创光电
            break
        keep += len(word)
    return len(member) - keep


def _common_member(member: str, cut: Cut, tags: dict[str, str], lex: OrgNamesLexicon) -> bool:
    """A member that shows the list is of no names: a common word, a place, a number."""
    if not 2 <= len(member) <= 12 or not _HAS_NAME_CHAR.search(member) or _DIGITS_ONLY.match(member):
        return True
    if is_generic_phrase(member, lex):
        return True
    return len(cut(member)) == 1 and tags.get(member) in lex.member_common_tags


def list_members(text: str, orgs, cut: Cut, tags: dict[str, str], lex=None) -> list[Span]:
    """Members of lists "A、B、C等…<head>" whose head names bodies (企业, 公司, 巨头, 项目…), not already
    found, each a plausible name (no common word, place or project).

    >>> from pipeline.segment import get_segmenter
    >>> from pipeline.components.organizations import word_tags
    >>> t = "重点培植的鲁南制药、红日化工、沂光电子等10大高新技术企业实现销售收入"
    >>> [t[s:e] for s, e in list_members(t, [], get_segmenter("jieba").cut, word_tags())]
    ['鲁南制药', '红日化工', '沂光电子']
    >>> t = "联合高校、科研院所等单位攻关"
    >>> list_members(t, [], get_segmenter("jieba").cut, word_tags())
    []
    """
    lex = lex or org_names_lexicon()
    taken = _mask(text, orgs)
    found: list[Span] = []
    for match in re.finditer("等", text):
        after = match.end()
        count = _COUNT.match(text, after)
        head_from = count.end() if count else after
        window = text[head_from : head_from + lex.list_head_gap + max(map(len, lex.list_heads))]
        head_at = min(
            (window.find(h) for h in lex.list_heads if 0 <= window.find(h) <= lex.list_head_gap),
            default=-1,
        )
        if head_at < 0 or any(ch in _CLAUSE_EDGE or ch == _LIST_SEP for ch in window[:head_at]):
            continue
        start = _clause_start(text, match.start(), limit=80, list_sep=False)
        segment = text[start : match.start()]
        # the members: split on 、, the last one also on its joiner (A、B和C)
        pieces: list[Span] = []
        pos = start
        for piece in segment.split(_LIST_SEP):
            pieces.append((pos, pos + len(piece)))
            pos += len(piece) + 1
        if len(pieces) < 2:
            s, e = pieces[-1]
            joiner = next((j for j in _LAST_JOINERS if j in text[s:e]), None)
            if joiner is None:
                continue
            k = text.index(joiner, s, e)
            pieces = [(s, k), (k + len(joiner), e)]
        else:
            s, e = pieces[-1]
            joiner = next((j for j in _LAST_JOINERS if j in text[s + 1 : e]), None)
            if joiner is not None:
                k = text.index(joiner, s + 1, e)
                pieces[-1:] = [(s, k), (k + len(joiner), e)]
        members = []
        for s, e in pieces:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            s += _trim_left(text[s:e], cut, tags, lex)
            members.append((s, e))
        if any(_common_member(text[s:e], cut, tags, lex) for s, e in members if not taken.any(s, e)):
            continue  # one member is no name: the list is of something else (研发、生产等企业)
        found.extend(
            (s, e)
            for s, e in members
            if not taken.any(s, e) and not text[s:e].endswith(lex.member_not_endings)
        )
        for s, e in found:
            taken.mark(s, e)
    return found


def media_outlets(text: str, taken, cut: Cut, tags: dict[str, str], lex=None) -> list[Span]:
    """Outlets named in bylines: "X记者" opening a clause, "X<place>讯", "据X报道"; X·Y gives both.

    >>> from pipeline.segment import get_segmenter
    >>> from pipeline.components.organizations import word_tags
    >>> t = "每日甘肃网兰州讯(新甘肃·甘肃日报记者李满福)近日,据了解"
    >>> [t[s:e] for s, e in media_outlets(t, [], get_segmenter("jieba").cut, word_tags())]
    ['每日甘肃网', '新甘肃', '甘肃日报']
    >>> t = "本报记者 王明 近日,记者从市科技局获悉"
    >>> media_outlets(t, [], get_segmenter("jieba").cut, word_tags())
    []
    """
    lex = lex or org_names_lexicon()
    taken = _mask(text, taken)
    found: list[Span] = []

    def add(s: int, e: int, need_ending: bool) -> None:
        for lead in lex.media_lead_words:
            if text.startswith(lead, s) and e - s > len(lead) + 1:
                s += len(lead)
                break
        name = text[s:e]
        if not 2 <= len(name) <= 12 or name.startswith(lex.media_not_names) or name in lex.media_not_names:
            return
        if need_ending and not name.endswith(lex.media_endings):
            return
        words = cut(name)
        last = words[-1]
        if (
            len(last) == 1
            and tags.get(last) in ("p", "c")
            or all(tags.get(ch) in ("p", "c", "d") for ch in last)
        ):
            return  # 而据记者 (not 第一财经: 经 ends a word there)
        first = tags.get(words[0], "")
        if first.startswith("t") or len(words) == 1 and tags.get(name, "").startswith(("ns", "nr", "t")):
            return  # 近日记者, 北京记者, 王明记者
        if first.startswith(("v", "m", "p", "r")) and not name.endswith(lex.media_endings):
            return  # 采访中记者, 多位记者, 这位记者; not 每日甘肃网, 第一财经
        ending = name.endswith(lex.media_endings)
        if not ending and any(tags.get(w, "").startswith(lex.media_clause_tags) for w in words[1:]):
            return  # 施先生告诉记者, 房地产经纪公司的员工告诉记者, 而据记者; not 郑州观察
        if taken.any(s, e):
            return
        found.append((s, e))
        taken.mark(s, e)

    def add_parts(s: int, e: int, need_ending: bool) -> None:
        pos = s
        for k in range(s, e + 1):
            if k == e or text[k] in lex.media_separators:
                if k > pos:
                    add(pos, k, need_ending and k == e)
                pos = k + 1

    for match in re.finditer("记者|讯", text):
        start = _clause_start(text, match.start(), limit=16)
        while start < match.start() and not _HAS_NAME_CHAR.match(text[start]):
            start += 1  # ◆每经记者
        if start == match.start():
            continue
        if match.group() == "记者" and match.start() - start >= 1:
            before = cut(text[match.start() - 1 : match.end()])
            if before[-1] != "记者":
                continue  # 登记者: no 记者 word
        if match.group() == "记者":
            add_parts(start, match.start(), need_ending=False)
        else:  # 每日甘肃网兰州讯: the outlet, then the place it reports from
            words = cut(text[start : match.start()])
            end = match.start()
            while words and tags.get(words[-1], "").startswith("ns"):
                end -= len(words.pop())
            add_parts(start, end, need_ending=True)
    for match in re.finditer(r"据([^,，。;；:：、\n]{2,12}?)(?:报道|消息)", text):
        add(match.start(1), match.end(1), need_ending=True)
    return found


def media_titles(text: str, lex: OrgNamesLexicon | None = None) -> list[Span]:
    """An outlet named as a title: 《科技日报》 (the name inside the marks), not 《年度报告》.

    >>> t = "《峤南日报》刊发评论,《年度发展报告》显示"
    >>> [t[s:e] for s, e in media_titles(t)]
    ['峤南日报']
    """
    lex = lex or org_names_lexicon()
    return [
        m.span(1)
        for m in re.finditer(r"《([^《》\n]{2,10})》", text)
        if m.group(1).endswith(lex.title_media_endings)
    ]


def occurrences(text: str, word: str, taken) -> list[Span]:
    """Where `word` stands in `text` outside the spans (or `SpanMask`) `taken`."""
    taken = taken if isinstance(taken, SpanMask) else SpanMask(len(text), taken)
    out, k = [], text.find(word)
    while k >= 0:
        if not taken.any(k, k + len(word)):
            out.append((k, k + len(word)))
        k = text.find(word, k + len(word))
    return out


def _repeated(text: str, word: str, taken: SpanMask, names: set[str]) -> bool:
    """Whether `word` stands in `text` outside every name, or is a name of its own."""
    return word in names or bool(occurrences(text, word, taken))


def short_forms(text: str, orgs: list[Span], cut: Cut, tags: dict[str, str], lex=None) -> dict[str, str]:
    """Short forms of the article's companies, each with its full name: the one a name defines
    ((以下简称“汇龙环保”)) and a prefix of a company's name (after its place, before its legal form)
    the article repeats outside any name (宁德时代新能源科技股份有限公司 … 宁德时代).

    >>> from pipeline.segment import get_segmenter
    >>> from pipeline.components.organizations import word_tags
    >>> t = "江苏汇龙环保科技有限公司(以下简称“汇龙环保”)成立于2010年。汇龙环保现有员工300人。"
    >>> short_forms(t, [(0, 12)], get_segmenter("jieba").cut, word_tags())
    {'汇龙环保': '江苏汇龙环保科技有限公司'}
    """
    lex = lex or org_names_lexicon()
    taken, names = SpanMask(len(text), orgs), {text[s:e] for s, e in orgs}
    out: dict[str, str] = {}
    for s, e in orgs:
        match = lex.short_name_marker.match(text, e)
        if match:  # a definition is explicit: it holds whatever was found inside it
            out.setdefault(match.group(1).strip(), text[s:e])
    for s, e in orgs:
        name = text[s:e]
        tail = next((t for t in lex.company_tails if name.endswith(t)), None)
        if tail is None:
            continue
        body = re.sub(r"[(（][^)）]*[)）]", "", name[: -len(tail)])
        words = cut(body)
        place = 0
        for word in words:
            if tags.get(word, "").startswith("ns") or word.endswith(("省", "市", "县", "区")):
                place += len(word)
            else:
                break
        stems = [body[place:], body] if place else [body, body[2:]]  # 崧州 | 澜曜光电: a place no one knows
        for stem in stems:
            for n in range(len(stem), lex.short_form_min_chars - 1, -1):
                prefix = stem[:n]
                if prefix in out or prefix == body[:place]:
                    break
                if _repeated(text, prefix, taken, names):
                    out[prefix] = name
                    break
            else:
                continue
            break
    return {k: v for k, v in out.items() if k != v}


def zones_at_boundaries(text: str, taken, is_common: Callable[[str], bool], lex=None) -> list[Span]:
    """Zones whose place part no stage knows, opening a clause or a list item.

    >>> t = "考核结果显示,芗原经济开发区排名第14位,全市开发区稳步发展。"
    >>> [t[s:e] for s, e in zones_at_boundaries(t, [], lambda w: False)]
    ['芗原经济开发区']
    """
    lex = lex or org_names_lexicon()
    taken = _mask(text, taken)
    found = []
    for m in lex.zone_at_boundary.finditer(text):
        place = m.group(1)
        if any(ch in lex.zone_place_stops for ch in place) or taken.any(m.start(), m.end()):
            continue
        if is_common(place):  # is or holds a common word (`holds_common_word`)
            continue
        found.append(m.span())
    return found


def english_names(text: str, orgs: list[Span], lex=None) -> list[Span]:
    """An English name in brackets right after a name: 哈佛大学(Harvard University).

    >>> t = "如今荷兰莱顿大学(Leiden University)科学暨技术研究中心(Centre for Science and Technology Studies)公布"
    >>> orgs = [(t.index(n), t.index(n) + len(n)) for n in ("莱顿大学", "科学暨技术研究中心")]
    >>> [t[s:e] for s, e in english_names(t, orgs)]
    ['Leiden University', 'Centre for Science and Technology Studies']
    """
    lex = lex or org_names_lexicon()
    found = []
    for _, e in orgs:
        match = _LATIN_GLOSS.match(text, e)
        if not match:
            continue
        gloss = match.group(1).rstrip(" ,.")
        words = set(re.findall(r"[A-Za-z]+", gloss))
        if words & lex.english_org_words or len(_CAPITALISED.findall(gloss)) >= 2:
            found.append((match.start(1), match.start(1) + len(gloss)))
    return found


# --------------------------------------------------------------------------- one name per organisation


def _subsequence(short: str, full: str) -> bool:
    it = iter(full)
    return all(ch in it for ch in short)


def canonical_names(
    names: list[str],
    defined: dict[str, str],
    strip_place: Callable[[str], str],
    org_type: Callable[[str], str],
) -> dict[str, str]:
    """{short form: full name} for the article's names that abbreviate another of its names: a short
    form the article defines or repeats (`defined`), or one whose characters the full name holds in
    order, from the same first character (after the full name's place) and ending near its end, of
    the same kind of body (上海交大 -> 上海交通大学, 市科技局 -> 平湖市科学技术局, 中科院 -> 中国科学院).
    A full name that extends the short one by a unit of its own is another body (科技部 ->
    科技部火炬中心 is not an alias). Ambiguous short forms keep their own name.

    >>> canon = lambda names: canonical_names(names, {}, lambda n: n[2:] if n.startswith("平湖") else n, lambda n: "x")
    >>> canon(["上海交大", "上海交通大学", "市科技局", "平湖市科学技术局", "科技部", "科技部火炬中心"])
    {'上海交大': '上海交通大学', '市科技局': '平湖市科学技术局'}
    >>> canon(["平湖经开区", "平湖经济技术开发区"])
    {'平湖经开区': '平湖经济技术开发区'}
    """
    out = {short: full for short, full in defined.items() if short in names and full in names}
    by_first: dict[str, list[tuple[str, str]]] = {}  # first character of a name's stem -> (name, stem)
    for full in names:
        stem = strip_place(full)
        if stem:
            by_first.setdefault(stem[0], []).append((full, stem))
    for short in names:
        if short in out or len(short) < 2:
            continue
        fulls = []
        short_stem = strip_place(short)
        place = short[: len(short) - len(short_stem)]
        pool = list(by_first.get(short[0], ()))
        if place and short_stem:
            # 临港经开区 -> 临港经济技术开发区: the same place before both, the stems compared
            pool += [(f, st) for f, st in by_first.get(short_stem[0], ()) if f.startswith(place)]
        for full, stem in pool:
            if len(full) <= len(short) or full.startswith(short) or short in full:
                continue
            own = short_stem if place and full.startswith(place) and stem[:1] == short_stem[:1] else short
            if short[-1] not in full[-3:] or not _subsequence(own, stem):
                continue
            a, b = org_type(short), org_type(full)
            if a != b and "other" not in (a, b):
                continue
            fulls.append(full)
        fulls = list(dict.fromkeys(fulls))
        if len(fulls) == 1:
            out[short] = fulls[0]
    return out
