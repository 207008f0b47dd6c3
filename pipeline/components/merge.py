"""Merge the rule stage's and the statistical NER stage's entities (factory "entity_merger").

Runs after "organization_rules" and "statistical_ner"; either may be absent. The policy, in order:

1. Rule organisations (extractor "organizations.*") are kept as they are: the suffix grammar
   builds the complete, maximal name (浙江锋源氢能科技有限公司, 上海交大平湖智能光电研究院) and has
   already dropped generic mentions, events and projects.
2. An NER organisation is first cut before the clause it runs into (clause punctuation, numerals,
   measure words after a numeral, function words and verbs of two characters or more at its end:
   南港海关统计, -> 南港海关); when something was cut and no organisation suffix ends what is left, it
   is dropped (北屿市积极, 县(市、区)共有, 嘉泽市分别位列第23位). It is then kept only if it passes the
   filters below; its `org_type` is set from the suffix grammar (`org_suffixes.yaml`; "other" when its
   name ends with no known suffix):
   - not a generic mention or a qualifier-only phrase (高新区, 园区, 企业, 省级高新区, 管委会:
     org_stopwords.yaml), not starting with a deictic (我市高新区, 该公司; a gazetteer name may:
     全国人大常委会), at least two characters;
   - not a fragment: brackets balanced, and something left once level words and punctuation are
     removed (县(市、, 县(市) are pieces of "县(市、区)");
   - not a place used as a place: a name with no organisation suffix that is one dictionary word
     tagged as a place name, next to a word that shows it used as a place (在漳州, (漳州)分赛区,
     长三角第5位: `place_before`/`place_after` in org_stopwords.yaml; GUIDELINES.md: a bare city
     name is no organisation; without such a neighbour the model's reading stands: a club named
     after its city, 罗马德比战胜拉齐奥), or a short name ending in 省/市/县/乡/镇/村 (北屿市,
     柳塘乡: places jieba does not know);
   - not a counted or ordered category (两家高新区, 首个全国重点实验室), not a venue named as the
     place of an event (在南港国际会展中心开幕);
   - not an event, competition or project: it neither ends with nor is followed by an event word
     (中国创新创业大赛, 长城汽车平湖整车项目), and is not inside a document title 《…》.
3. An NER organisation that overlaps a rule organisation is dropped: the rule span wins (it is
   the longer, complete name or the grammar decided the text there is no name). Except: an NER
   organisation that contains exactly one rule organisation (and overlaps no other), is longer
   and ends with an organisation suffix replaces it: the grammar stopped short of a unit or a
   prefix it does not know (广州分行 -> 招行广州分行, 镇政府 -> 戴窑镇政府). And: an NER
   organisation that ends where exactly one rule organisation ends (and overlaps no other) and
   starts later replaces it when the rule's extra characters are clause words, no name material
   (a verb, function word or locative, and no place, level, qualifier or proper word): the grammar
   ran past the name's start (无渣打银行 -> 渣打银行, 预期中信银行 -> 中信银行; not 省科技厅 ->
   科技厅). NER organisations nested in or overlapping other NER organisations: the longest is kept.
4. Persons and locations (from any stage) are kept unless they overlap a kept organisation
   (平湖 inside 平湖先进装备智造高新技术产业园区 is part of the name, not a place mention) or a
   number or date the rule stages found (余家 in 400余家 is a count, not a person). NER
   organisations overlapping a number or date are dropped the same way. A one-character person
   is dropped (德 of 德清, 王 of 项目为王): in bulletins a lone surname is noise, though the NER
   model, trained on 1998 news, tags 江 of 江主席 (its MSRA score counts those).
5. The article's own readings (`pipeline.discourse.org_names`, on every kept organisation, rule or
   NER): a generic phrase is dropped (世界一流大学, 同类开发区), a foreign country before a foreign
   body is cut off (荷兰莱顿大学 -> 莱顿大学), a clause word inside a name splits it (…部直属研究机构… ->
   two names), a continuation joins it (…开发区(筹)), an English word that is only part of an English
   phrase is dropped (Studies of …Technology Studies); then names the stages could not see are added
   where no other mention stands: list members (鲁南制药、红日化工等10大高新技术企业), outlets in
   bylines (郑州观察记者, 每日甘肃网兰州讯) and titles (《科技日报》), short forms the article defines or repeats (汇龙环保 after
   江苏汇龙环保科技有限公司), English names in brackets after a name. Each organisation's `name` is
   then its full form when the article gives one (上海交大 -> 上海交通大学); `text` stays the span.
6. Mentions of every other kind pass through untouched, in their order.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, doc_text, mentions
from pipeline.components.organizations import (
    ADMIN,
    ORG,
    PLACE,
    QUAL,
    OrgLexicon,
    _inside_title,
    classify,
    count_or_ordinal_start,
    holds_common_word,
    is_proper,
    org_lexicon,
    simplified,
    venue_name,
    word_tags,
)
from pipeline.discourse import org_names

RULE_PREFIX = "organizations."
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】", "《": "》", "“": "”"}
_PLACE_TAGS = ("ns",)
_CLAUSE_PUNCT = re.compile(r"^[\s,，。、;；:：!！?？]+$")
_CLAUSE_PUNCT_INSIDE = re.compile(r"[,，。、;；:：!！?？]")
_TRAILING = " \t,，。、;；:：!！?？"
_NUMERAL = re.compile(r"^[0-9.．%]+$")
_INSIDE_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
ENTITY_KINDS = ("organization", "person", "location")


def _is_qualified_generic(name: str, lex: OrgLexicon) -> bool:
    """省级高新区, 国家高新区, 全省企业, 开发区管委会: qualifiers, level words and generic mentions, then
    nothing or a generic mention."""
    rest = name
    while rest:
        # the longest qualifier, level word or generic mention `rest` starts with
        length = next(
            (n for n in lex.qualifier_lengths if n <= len(rest) and rest[:n] in lex.qualifier_words), 0
        )
        if not length:
            break
        rest = rest[length:]
    return rest != name and (not rest or rest in lex.generic_names)


def _is_fragment(name: str, lex: OrgLexicon) -> bool:
    """县(市、 or 县(市): unbalanced brackets, or nothing but level words and punctuation."""
    stack: list[str] = []
    for ch in name:
        if ch in _BRACKETS:
            stack.append(_BRACKETS[ch])
        elif ch in _BRACKETS.values():
            if not stack or stack.pop() != ch:
                return True
    if stack:
        return True
    rest = "".join(ch for ch in name if ch.isalnum() and ch not in lex.admin_levels)
    return not rest


def _is_bare_place(name: str, lex: OrgLexicon) -> bool:
    """漳州, 长三角: one dictionary word tagged as a place name, with no organisation suffix."""
    return lex.suffix_type(name) is None and word_tags().get(name, "").startswith(_PLACE_TAGS)


def _place_used_as_place(text: str, start: int, end: int, lex: OrgLexicon) -> bool:
    """A bare place name (`_is_bare_place`) whose neighbours show it used as a place: 在漳州,
    (漳州)分赛区, 长三角第5位. Without such a neighbour the model's context decides: a club
    named after its city (罗马德比战胜拉齐奥, 战胜利物浦) is an organisation."""
    name = text[start:end].strip()
    if not _is_bare_place(name, lex):
        return False
    before = text[max(0, start - 4) : start]
    return before.endswith(lex.place_before) or text.startswith(lex.place_after, end)


def _is_unknown_place(name: str, lex: OrgLexicon) -> bool:
    """北屿市, 柳塘乡: a short name ending in an administrative level, with no organisation suffix."""
    return (
        lex.suffix_type(name) is None
        and len(name) <= lex.bare_place_max_chars
        and len(name) > 1
        and name.endswith(lex.bare_place_levels)
    )


def _clause_word(words: list[str], lex: OrgLexicon) -> bool:
    """Whether the last of `words` (an NER span segmented) belongs to the clause after a name:
    clause punctuation, a numeral, a measure word after a numeral, or a function word or a verb of two
    characters or more (共有, 分别, 位列, 统计); never the only word (建行, 招行) nor a suffix."""
    last, tags = words[-1], word_tags()
    if _CLAUSE_PUNCT.match(last):
        return True
    if len(words) < 2 or lex.suffix_type(last) is not None or last in lex.ner_name_end_words:
        return False
    tag = tags.get(last)
    if _NUMERAL.match(last) or tag in ("m", "mq"):
        return True
    before = words[-2]
    if (len(last) == 1 or tag == "q") and (_NUMERAL.match(before) or tags.get(before) in ("m", "mq")):
        return True  # 216 项, 58 个: a measure word after a numeral
    return tag in lex.ner_trim_tags and len(last) >= 2


def trim_clause(text: str, start: int, end: int, lex: OrgLexicon | None = None) -> tuple[int, int] | None:
    """The NER span without the clause it runs into (南港海关统计, -> 南港海关), or None when a cut
    leaves no name ending in an organisation suffix (北屿市积极, 县(市、区)共有, X市分别位列第23位)."""
    from pipeline.segment import clause_segmenter

    lex = lex or org_lexicon()
    if _CLAUSE_PUNCT_INSIDE.search(_INSIDE_BRACKETS.sub("", text[start:end]).rstrip(_TRAILING)):
        return None  # a clause boundary inside: 南港市研发人员…达到4.6万人年,技术合同成交额, 北屿市、柳塘乡
    words = clause_segmenter().cut(text[start:end])
    cut = False
    while words and _clause_word(words, lex):
        end -= len(words.pop())
        cut = True
    if end <= start:
        return None
    if cut and lex.suffix_type(text[start:end]) is None:
        return None
    return start, end


def ner_org_acceptable(text: str, start: int, end: int, lex: OrgLexicon | None = None) -> bool:
    """Whether an NER organisation span of `text` passes the filters (rule 2 of the policy)."""
    lex = lex or org_lexicon()
    name = text[start:end].strip()
    if len(name) < 2 or name in lex.generic_names:
        return False
    if _is_fragment(name, lex) or _is_unknown_place(name, lex) or _place_used_as_place(text, start, end, lex):
        return False
    if count_or_ordinal_start(name, lex) or venue_name(text, start, end, lex):
        return False
    if name.startswith(lex.deictic_words) and not name.startswith(lex.gazetteer_names):
        return False  # 我市高新区, 该公司; not 全国人大常委会
    if name.endswith(lex.event_followers):
        return False
    after = text[end : end + 8]
    if after.startswith(lex.event_followers):
        return False
    if _is_qualified_generic(name, lex):
        return False
    if _inside_title(text, start, end):  # (by bisection over the text's 《 and 》: linear time)
        return False
    return True


def org_type_of(name: str, lex: OrgLexicon | None = None) -> str:
    """org_type from the suffix grammar; "other" when the name ends with no known suffix."""
    return (lex or org_lexicon()).suffix_type(name) or "other"


class _KeptOrgs:
    """The kept organisations, sorted by start, so the ones overlapping a span are found by
    bisection (in time independent of the article's length, which may hold thousands)."""

    def __init__(self, orgs: list[Mention]) -> None:
        self._items: list[tuple[int, int, int, Mention]] = []
        self._seq = 0
        self._longest = 0
        for m in orgs:
            self.add(m)

    def add(self, m: Mention) -> None:
        insort(self._items, (m.start, m.end, self._seq, m))
        self._seq += 1
        self._longest = max(self._longest, m.end - m.start)

    def remove(self, m: Mention) -> None:
        for i, item in enumerate(self._items):
            if item[3] is m:
                del self._items[i]
                return
        raise ValueError("not kept")

    def overlapping(self, m: Mention) -> list[Mention]:
        lo = bisect_left(self._items, (m.start - self._longest,))
        hi = bisect_left(self._items, (m.end,))
        return [k for _, _, _, k in self._items[lo:hi] if k.start < m.end and m.start < k.end]

    def __iter__(self):
        return (item[3] for item in self._items)


def _only_rule_org_overlapping(m: Mention, kept: _KeptOrgs, quantities: bytearray) -> Mention | None:
    """The rule organisation an NER organisation `m` may replace (rule 3's exceptions), or None:
    the only kept organisation `m` overlaps, when it is a rule one and `m` overlaps no number or date."""
    if quantities.find(1, m.start, m.end) >= 0:
        return None
    overlapping = kept.overlapping(m)
    if len(overlapping) != 1 or not overlapping[0].extractor.startswith(RULE_PREFIX):
        return None
    return overlapping[0]


def _extends(text: str, m: Mention, rule: Mention, lex: OrgLexicon) -> bool:
    """Rule 3's first exception: `rule` lies strictly inside `m`, and `m` ends with an organisation
    suffix (广州分行 -> 招行广州分行)."""
    if rule.start < m.start or rule.end > m.end or (rule.start, rule.end) == (m.start, m.end):
        return False
    return lex.suffix_type(text[m.start : m.end]) is not None


def _corrects_start(text: str, m: Mention, rule: Mention, lex: OrgLexicon) -> bool:
    """Rule 3's second exception: `rule` ends where `m` ends and starts before it, with clause words
    in front of `m` (`clause_words`: 无渣打银行 -> 渣打银行)."""
    return rule.end == m.end and rule.start < m.start and clause_words(text[rule.start : m.start], lex)


def clause_words(prefix: str, lex: OrgLexicon | None = None) -> bool:
    """Whether `prefix` (segmented by jieba) is words of the clause before a name, no part of it: a
    verb, function word or locative among them (`overreach_tags`: 无, 预期, 开庭, 前) and no name
    material (a place, a level, a qualifier, an organisation word, a proper or unknown word)."""
    from pipeline.segment import clause_segmenter

    lex = lex or org_lexicon()
    tags = word_tags()
    words = clause_segmenter().cut(prefix)
    for word in words:
        cls = classify(word, lex)
        if cls in (PLACE, ADMIN, QUAL, ORG) or is_proper(word, cls):
            return False
    return any(tags.get(word) in lex.overreach_tags for word in words)


def merge_entities(text: str, found: list[Mention]) -> list[Mention]:
    """The merged mention list (the policy in the module docstring); other kinds keep their order."""
    lex = org_lexicon()
    rule_orgs = [m for m in found if m.kind == "organization" and m.extractor.startswith(RULE_PREFIX)]
    ner_orgs = [m for m in found if m.kind == "organization" and not m.extractor.startswith(RULE_PREFIX)]
    kept_orgs = _KeptOrgs(rule_orgs)
    # 1 on the characters of kept organisations, numbers and dates: what an NER organisation, a
    # person or a location must not overlap
    quantities = bytearray(len(text))  # 1 on numbers and dates only
    for m in found:
        if m.kind in ("number", "date"):
            quantities[m.start : m.end] = b"\x01" * (m.end - m.start)
    blocked = bytearray(quantities)
    for m in rule_orgs:
        blocked[m.start : m.end] = b"\x01" * (m.end - m.start)
    for m in sorted(ner_orgs, key=lambda m: (-(m.end - m.start), m.start)):
        span = trim_clause(text, m.start, m.end, lex)
        if span is None:
            continue
        if span != (m.start, m.end):
            m = Mention(m.kind, span[0], span[1], {**m.fields, "name": text[span[0] : span[1]]}, m.extractor)
        if not ner_org_acceptable(text, m.start, m.end, lex):
            continue
        if blocked.find(1, m.start, m.end) >= 0:
            replaced = _only_rule_org_overlapping(m, kept_orgs, quantities)
            if replaced is None:
                continue
            if _corrects_start(text, m, replaced, lex):  # its clause words before `m` are free again
                blocked[replaced.start : m.start] = quantities[replaced.start : m.start]
            elif not _extends(text, m, replaced, lex):
                continue
            kept_orgs.remove(replaced)
        name = text[m.start : m.end]
        fields = {**m.fields, "name": m.fields.get("name") or name, "org_type": org_type_of(name, lex)}
        kept_orgs.add(Mention(m.kind, m.start, m.end, fields, m.extractor))
        blocked[m.start : m.end] = b"\x01" * (m.end - m.start)
    kept_orgs = _KeptOrgs(article_names(text, list(kept_orgs), quantities, lex))
    for m in kept_orgs:
        blocked[m.start : m.end] = b"\x01" * (m.end - m.start)
    out: list[Mention] = []
    placed = False
    for m in found:
        if m.kind == "organization":
            if not placed:
                out.extend(sorted(kept_orgs, key=lambda k: (k.start, k.end)))
                placed = True
            continue
        if m.kind in ("person", "location") and blocked.find(1, m.start, m.end) >= 0:
            continue
        if m.kind == "person" and m.end - m.start < 2:
            continue
        out.append(m)
    if not placed:
        out.extend(sorted(kept_orgs, key=lambda k: (k.start, k.end)))
    return out


_LATIN_WORD = re.compile(r"^[A-Za-z]+$")


def _latin_fragment(text: str, start: int, end: int) -> bool:
    """Studies of "…Technology Studies)", Indicators of "Essential Science Indicators,": one English
    word that the English words around it continue."""
    if not _LATIN_WORD.match(text[start:end]):
        return False
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    return bool(re.match(r".*[A-Za-z] $", before) or re.match(r"^ [A-Za-z]", after))


def _org_mention(text: str, start: int, end: int, rule: str, lex: OrgLexicon) -> Mention:
    name = text[start:end]
    org_type = "media" if rule.startswith("org_names.media") else org_type_of(name, lex)
    return Mention("organization", start, end, {"name": name, "org_type": org_type}, rule)


def _cuts_a_word(analysed: str, start: int, end: int, cut, lex: OrgLexicon) -> bool:
    """A span with no organisation suffix ending or starting inside a dictionary word of three
    characters or more of the text around it (上海市科 of 上海市科学技术奖; not 建行 of 建行为64元,
    nor 家具协会 of 家具协会会长)."""
    if lex.suffix_type(analysed[start:end]) is not None:
        return False
    tags = word_tags()
    for lo, hi, at in ((start, end + 4, end), (max(0, start - 4), end, start)):
        pos = lo
        for word in cut(analysed[lo:hi]):
            if pos < at < pos + len(word):
                if len(word) >= 3 and word in tags:
                    return True
                break
            pos += len(word)
    return False


_CLAUSE_EDGES = set(",，。;；:：!！?？\n()（）“”")
_ITEM_EDGE = re.compile(r"[、,，。;；:：!！?？\s和与及]")


def _list_item(piece: str) -> str:
    """`piece` cut at its first item edge: the list item it opens."""
    m = _ITEM_EDGE.search(piece)
    return piece[: m.start()] if m else piece


def _is_place_word(word: str, lex: OrgLexicon) -> bool:
    return _is_bare_place(word, lex) or _is_unknown_place(word, lex)


def _listed_place(text: str, m: Mention, lex: OrgLexicon) -> bool:
    """A bare place name in a list with another place (荆门、黄冈、神农架、天门四个市州): a place, not a
    body (银联 in 中国农业银行、银联 stays: no other item is a place)."""
    if not _is_bare_place(text[m.start : m.end], lex):
        return False
    if text[m.start - 1 : m.start] != "、" and text[m.end : m.end + 1] != "、":
        return False
    lo, hi = m.start, m.end
    while lo > 0 and m.start - lo < 40 and text[lo - 1] not in _CLAUSE_EDGES:
        lo -= 1
    while hi < len(text) and hi - m.end < 40 and text[hi] not in _CLAUSE_EDGES:
        hi += 1
    items = [
        _list_item(piece) for piece in re.split(r"[、和与及]", text[lo : m.start] + "、" + text[m.end : hi])
    ]
    return any(_is_place_word(item, lex) for item in items if item)


def _repaired(text: str, analysed: str, m: Mention, lex: OrgLexicon, cut, tags) -> list[Mention]:
    """Rule 5's filters and repairs of one kept organisation: [] when it is no name."""
    name = analysed[m.start : m.end]
    if org_names.is_generic_phrase(name) or _latin_fragment(text, m.start, m.end):
        return []
    if org_names.distributive(analysed, m.start) or _listed_place(analysed, m, lex):
        return []
    if not m.extractor.startswith(RULE_PREFIX) and _cuts_a_word(analysed, m.start, m.end, cut, lex):
        return []
    start = m.start + org_names.without_country(name)
    has_suffix = lambda n: lex.suffix_type(n) is not None  # noqa: E731
    parts = org_names.split_at_clause_words(analysed[start : m.end], cut, has_suffix)
    parts = [
        (s + a, s + b)
        for s, e in parts
        for a, b in org_names.split_at_separators(analysed[start + s : start + e])
    ]
    out = []
    for s, e in parts:
        s, e = start + s, start + e
        e = org_names.continued_end(analysed, s, e, cut, tags)
        if (s, e) == (m.start, m.end):
            out.append(m)
        else:
            out.append(Mention(m.kind, s, e, {**m.fields, "name": text[s:e]}, m.extractor))
    return out


def article_names(text: str, orgs: list[Mention], quantities: bytearray, lex: OrgLexicon) -> list[Mention]:
    """Rule 5: the kept organisations filtered and repaired, the article's other names added, and
    each organisation's `name` its full form where the article gives one."""
    from pipeline.segment import clause_segmenter

    if not orgs and not any(cue in text for cue in ("等", "记者", "讯", "报道", "消息", "《")):
        return orgs  # nothing to filter, and no cue of a list, a byline or a title
    cut, tags = clause_segmenter().cut, word_tags()
    analysed = simplified(text)
    kept = _KeptOrgs([r for m in orgs for r in _repaired(text, analysed, m, lex, cut, tags)])
    taken = org_names.SpanMask(len(text), ((m.start, m.end) for m in kept))  # names
    numbers_dates = org_names.SpanMask(
        len(text), (m.span() for m in re.finditer(b"\x01+", bytes(quantities)))
    )

    def add(found: list[tuple[int, int]], rule: str, replace_inside: bool = False) -> None:
        for s, e in found:
            if e - s < 2 or numbers_dates.any(s, e) or (_inside_title(text, s, e) and rule != "media_outlet"):
                continue
            if rule != "english_name" and _cuts_a_word(analysed, s, e, cut, lex):
                continue
            probe = Mention("organization", s, e, {}, "")
            overlapping = kept.overlapping(probe) if taken.any(s, e) else []
            inside = [m for m in overlapping if s <= m.start and m.end <= e and (m.start, m.end) != (s, e)]
            if overlapping and not (replace_inside and len(inside) == len(overlapping)):
                continue
            for m in inside:
                kept.remove(m)
            kept.add(_org_mention(text, s, e, f"org_names.{rule}", lex))
            taken.mark(s, e)

    # an English name replaces the English words inside it that the model took for names (Studies)
    add(org_names.english_names(text, [(m.start, m.end) for m in kept]), "english_name", replace_inside=True)
    # a name found once is a name where the article repeats it (the first of two mentions in a list)
    surfaces = {analysed[m.start : m.end] for m in kept if m.end - m.start >= 3}
    for surface in sorted(surfaces, key=lambda w: (-len(w), w)):
        add(org_names.occurrences(analysed, surface, taken), "repeated")
    add(org_names.zones_at_boundaries(analysed, taken, holds_common_word), "zone_at_boundary")
    add(org_names.list_members(analysed, taken, cut, tags), "list_member")
    # an outlet replaces the shorter names inside it (甘肃网 of 每日甘肃网); a name found where an
    # outlet stands is an outlet (澜江财经记者: org_type media, which holds no figure)
    outlets = org_names.media_outlets(analysed, numbers_dates, cut, tags) + org_names.media_titles(analysed)
    outlet_spans = set(outlets)
    for m in [m for m in kept if (m.start, m.end) in outlet_spans]:
        kept.remove(m)
        kept.add(Mention(m.kind, m.start, m.end, {**m.fields, "org_type": "media"}, m.extractor))
    add(outlets, "media_outlet", replace_inside=True)
    # a short form replaces the shorter names inside it (汇鸿 of 汇鸿环保)
    defined = org_names.short_forms(analysed, [(m.start, m.end) for m in kept], cut, tags)
    for short in defined:
        add(org_names.occurrences(analysed, short, numbers_dates), "short_form", replace_inside=True)
    return _with_canonical_names(text, analysed, list(kept), defined, cut, tags, lex)


def _with_canonical_names(text, analysed, orgs, defined, cut, tags, lex) -> list[Mention]:
    """Each organisation's `name`: the full form of the article's name it abbreviates, if any."""
    surfaces: dict[str, str] = {}  # Simplified surface -> the surface as written (its first mention)
    for m in sorted(orgs, key=lambda m: m.start):
        surfaces.setdefault(analysed[m.start : m.end], text[m.start : m.end])

    def strip_place(name: str) -> str:
        words = cut(name)
        i = 0
        while i < len(words) - 1 and tags.get(words[i], "").startswith("ns"):
            i += 1
        return "".join(words[i:])

    canon = org_names.canonical_names(list(surfaces), defined, strip_place, lambda n: org_type_of(n, lex))
    if not canon:
        return orgs
    out = []
    for m in orgs:
        full = canon.get(analysed[m.start : m.end])
        if full is not None:
            m = Mention(m.kind, m.start, m.end, {**m.fields, "name": surfaces[full]}, m.extractor)
        out.append(m)
    return out


class EntityMerger:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        org_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        merged = merge_entities(doc_text(doc), mentions(doc))
        doc._.mentions = merged
        return doc


@Language.factory("entity_merger", default_config={})
def make_entity_merger(nlp: Language, name: str) -> EntityMerger:
    return EntityMerger(nlp, name)
