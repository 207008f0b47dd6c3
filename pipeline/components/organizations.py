"""Organisation names by a suffix grammar over segmented words plus gazetteers (factory "organization_rules").

Match, then resolve:

1. *Units.* The doc's jieba words (token.idx gives char offsets), with words jieba made up by HMM
   (not in its dictionary: 锋源, 从市, 省经) split into characters, and each unit classed with the
   jieba dictionary's POS tag and the word lists in `org_stopwords.yaml`. A unit inside a time
   expression (`find_dates`: 一季度, 2023年) or an ordinal (第二个) is a boundary. A unit is classed
   when the grammar reads it (`_Units`): only those before an anchor are.
2. *Anchors.* Every place where a suffix of `org_suffixes.yaml` (有限公司, 研究院, 高新区, 科技局 ...)
   or a gazetteer name of `org_gazetteer.yaml` ends on a unit boundary (found from the characters
   suffixes end with, one regular expression over the text).
3. *Left part.* From the anchor, units are taken leftwards while they can belong to a name (places,
   nouns, unknown words, 省/市/县, embedded organisations); a boundary word, a preposition, a pronoun,
   punctuation or a coordinate body (市委 before 市政府) ends it. Exceptions: a boundary word that
   makes a name phrase with the next word (建设 + 投资), a verb inside a research field before a
   field suffix (作物遗传改良国家重点实验室), and an unknown place name (2-4 characters jieba does not
   know) right before 省/市/县/区/镇 at a boundary (岚港市科学技术局).
4. *Resolve.* A candidate is kept when its left part makes it a name (not 省级高新区, 我市高新区, 企业研究院),
   when it is not a modifier of an event or project (…项目, …大赛) or a counted category (研发中心16个),
   and not inside a document title 《…》; a generic name before the suffix only qualifies it
   (开发区管委会); a park that is only the venue of an event (在…科技城举行) or a construction project
   (…产业基地开工) is no organisation, nor is a venue after 在/于 (在南港国际会展中心开幕). A count or an
   ordinal (两家, 首个) ends the left part (两家高新区 is no name). A body + an internal department
   (县委组织部, 市委人才办, 科技部农村科技司) is one name; a made-up word ending in 州 is a place
   (澜州大学); 与/和 between two common words of a research field stays inside it before a field suffix
   (复合材料与结构重点实验室). Overlapping candidates: the longest wins (maximal name).

Traditional Chinese text is analysed through a length-preserving conversion to Simplified (opencc),
so offsets always refer to the original text and the word lists are written once.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, add_mentions, doc_text, doc_words
from pipeline.jieba_dict import WordTags, word_tag_table
from pipeline.resolve import safe_load_yaml

RESOURCE_PACKAGE = "pipeline.resources.zh"
MAX_NAME_CHARS = 32
_PUNCT_OR_SPACE = re.compile(r"^[\s\W_]+$")
_DIGITS = re.compile(r"^[0-9０-９.．%％]+$")
_ASCII_WORD = re.compile(r"^[A-Za-z][A-Za-z&\-]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMERAL_WORD = re.compile(r"^[0-9０-９零〇一二两三四五六七八九十百千万亿几多余半数第首]+$")
_CN_NUMERAL = re.compile(r"^[零〇一二两三四五六七八九十百]+$")
_OPEN, _CLOSE = ("(", "（"), (")", "）")


# --------------------------------------------------------------------------- resources


def _load_yaml(name: str) -> dict:
    path = Path(str(resources.files(RESOURCE_PACKAGE).joinpath(name)))
    return safe_load_yaml(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Suffix:
    text: str
    org_type: str
    complete: bool  # a name on its own (市政府, 科技部, gazetteer names)
    coordinate: bool  # a body of a rank that stands beside another one (市委, 国务院)
    gazetteer: bool = False
    department: bool = False
    internal: bool = False  # an internal unit (司, 处): needs a government body before it


@dataclass(frozen=True)
class OrgLexicon:
    suffixes: dict[str, Suffix]
    max_suffix: int
    stop_chars: frozenset[str]
    piece_stop_chars: frozenset[str]
    weak_suffixes: frozenset[str]
    numbered_suffixes: dict[str, str]
    boundary_words: frozenset[str]
    name_verbs: frozenset[str]
    deictics: frozenset[str]
    admin_levels: frozenset[str]
    qualifiers: frozenset[str]
    generic_names: frozenset[str]
    event_followers: tuple[str, ...]
    count_pattern: re.Pattern
    right_glue: frozenset[str]
    park_levels: frozenset[str]
    province_endings: tuple[str, ...]
    field_suffixes: frozenset[str]
    name_phrases: frozenset[str]
    proper_words: frozenset[str]
    ordinal_prefixes: tuple[str, ...]
    unknown_place_levels: frozenset[str]
    unknown_place_chars: tuple[int, int]
    venue_before: frozenset[str]
    venue_after: tuple[str, ...]
    venue_types: frozenset[str]
    project_followers: tuple[str, ...]
    field_conjunctions: frozenset[str] = frozenset()
    unknown_place_endings: frozenset[str] = frozenset()
    venue_suffixes: tuple[str, ...] = ()
    ner_trim_tags: frozenset[str] = frozenset()
    bare_place_max_chars: int = 6
    ner_name_end_words: frozenset[str] = frozenset()
    bare_place_levels: tuple[str, ...] = ()
    place_before: tuple[str, ...] = ()
    place_after: tuple[str, ...] = ()
    split_words: frozenset[str] = frozenset()
    place_directions: frozenset[str] = frozenset()
    suffix_ends: frozenset[str] = frozenset()  # the last characters of all suffixes (a quick test)
    # qualifiers, level words and generic mentions together, and their lengths, longest first
    # (merge.py reads a name as a run of them)
    qualifier_words: frozenset[str] = frozenset()
    qualifier_lengths: tuple[int, ...] = ()
    gazetteer_names: tuple[str, ...] = ()  # org_gazetteer.yaml's names, longest first
    overreach_tags: frozenset[str] = frozenset()
    deictic_words: tuple[str, ...] = ()  # the deictics, for str.startswith

    def suffix_type(self, name: str) -> str | None:
        """org_type of the longest suffix `name` ends with (None when it ends with none)."""
        for length in range(min(len(name), self.max_suffix), 0, -1):
            found = self.suffixes.get(name[-length:])
            if found is not None:
                return found.org_type
        return None


@lru_cache(maxsize=1)
def org_lexicon() -> OrgLexicon:
    """The suffix grammar and word lists, read once from pipeline/resources/zh."""
    grammar = _load_yaml("org_suffixes.yaml")
    gazetteer = _load_yaml("org_gazetteer.yaml")
    stop = _load_yaml("org_stopwords.yaml")
    coordinate = set(grammar["coordinate"])
    table: dict[str, Suffix] = {}
    for org_type, words in grammar["suffixes"].items():
        for word in words:
            table[word] = Suffix(word, org_type, word in coordinate, word in coordinate)
    for dept in grammar["departments"]:
        for level, need in grammar["departmentlevels"].items():
            word = dept + level
            table.setdefault(
                word, Suffix(word, "government", need == "complete", word in coordinate, department=True)
            )
    for word, org_type in grammar["internal_units"].items():
        table.setdefault(word, Suffix(word, org_type, False, False, internal=True))
    for word in coordinate:
        table[word] = Suffix(word, "government", True, True)
    for org_type, words in gazetteer.items():
        for word in words:
            table[word] = Suffix(word, org_type, True, word in coordinate, gazetteer=True)
    measures = "|".join(sorted(map(re.escape, stop["count_measures"]), key=len, reverse=True))
    count = re.compile(rf"^[0-9０-９零〇一二两三四五六七八九十百千万]+(?:余|多)?(?:{measures})")
    qualifier_words = (
        frozenset(stop["qualifiers"]) | frozenset(stop["admin_levels"]) | frozenset(stop["generic_names"])
    )
    return OrgLexicon(
        suffixes=table,
        qualifier_words=qualifier_words,
        qualifier_lengths=tuple(sorted({len(w) for w in qualifier_words}, reverse=True)),
        max_suffix=max(map(len, table)),
        suffix_ends=frozenset(word[-1] for word in table),
        stop_chars=frozenset(stop["stop_chars"]),
        piece_stop_chars=frozenset(stop["piece_stop_chars"]),
        weak_suffixes=frozenset(grammar["weak"]),
        numbered_suffixes=dict(grammar["numbered"]),
        boundary_words=frozenset(stop["boundary_words"]),
        name_verbs=frozenset(stop["name_verbs"]),
        deictics=frozenset(stop["deictics"]),
        deictic_words=tuple(sorted(stop["deictics"])),
        admin_levels=frozenset(stop["admin_levels"]),
        qualifiers=frozenset(stop["qualifiers"]),
        generic_names=frozenset(stop["generic_names"]),
        event_followers=tuple(sorted(stop["event_followers"], key=len, reverse=True)),
        count_pattern=count,
        right_glue=frozenset(stop["right_glue"]),
        park_levels=frozenset(stop["park_levels"]),
        province_endings=tuple(stop["province_endings"]),
        field_suffixes=frozenset(grammar["field_suffixes"]),
        name_phrases=frozenset(stop["name_phrases"]),
        proper_words=frozenset(stop["proper_words"]),
        ordinal_prefixes=tuple(stop["ordinal_prefixes"]),
        unknown_place_levels=frozenset(stop["unknown_place_levels"]),
        unknown_place_chars=tuple(stop["unknown_place_chars"]),
        venue_before=frozenset(stop["venue_before"]),
        venue_after=tuple(sorted(stop["venue_after"], key=len, reverse=True)),
        venue_types=frozenset(stop["venue_types"]),
        project_followers=tuple(stop["project_followers"]),
        field_conjunctions=frozenset(grammar["field_conjunctions"]),
        unknown_place_endings=frozenset(stop["unknown_place_endings"]),
        venue_suffixes=tuple(sorted(stop["venue_suffixes"], key=len, reverse=True)),
        ner_trim_tags=frozenset(stop["ner_trim_tags"]),
        bare_place_max_chars=int(stop["bare_place_max_chars"]),
        ner_name_end_words=frozenset(stop["ner_name_end_words"]),
        bare_place_levels=tuple(stop["bare_place_levels"]),
        place_before=tuple(stop["place_before"]),
        place_after=tuple(sorted(stop["place_after"], key=len, reverse=True)),
        split_words=frozenset(stop["split_words"]),
        place_directions=frozenset(stop["place_directions"]),
        gazetteer_names=tuple(sorted((w for ws in gazetteer.values() for w in ws), key=len, reverse=True)),
        overreach_tags=frozenset(stop["overreach_tags"]),
    )


@lru_cache(maxsize=1)
def word_tags() -> WordTags:
    """word -> POS tag from jieba's own dictionary plus the project dictionary (a read-only mapping:
    `get` and `in`; jieba's words are read one first character at a time, `pipeline.jieba_dict`)."""
    from pipeline.segment import domain_words

    return word_tag_table({word: tag or "n" for word, _, tag in domain_words()})


def holds_common_word(name: str) -> bool:
    """Whether `name`, or a word of two characters inside it, is a dictionary word that is no name
    (tagged otherwise than place, person, other proper noun or abbreviation): 开发 of 开发区, 成为 of
    成为全市, 一线 of 一线城市. The test that the place part of a place or zone no stage found (栖东区,
    芗原经济开发区) is a name, not words of the clause. Traditional text is looked up in Simplified.

    >>> holds_common_word("开发"), holds_common_word("成为全"), holds_common_word("栖东"), holds_common_word("杭州")
    (True, True, False, False)
    """
    tags = word_tags()

    def common(word: str) -> bool:
        tag = tags.get(simplified(word))
        return tag is not None and not tag.startswith(("ns", "nr", "nz", "j"))

    return common(name) or any(common(name[k : k + 2]) for k in range(len(name) - 1))


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a project dependency
        return None
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """`text` in Simplified characters when the conversion keeps every offset, else `text` itself."""
    converter = _t2s()
    if converter is None:
        return text
    out = converter.convert(text)
    return out if len(out) == len(text) else text


# --------------------------------------------------------------------------- units

STOP, DEICTIC, ADMIN, QUAL, PLACE, ORG, OTHER = "stop", "deictic", "admin", "qual", "place", "org", "other"
_STOP_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "rr", "rz", "d", "m", "mq", "q", "t", "tg",
              "f", "y", "e", "o", "h", "k", "i", "b", "s"}  # fmt: skip


class Unit(NamedTuple):  # a tuple: built for every word, a frozen dataclass costs twice as much
    start: int
    end: int
    text: str
    cls: str
    piece: bool = False  # a character of a made-up word split up (its end is no word boundary)
    proper: bool = False  # a place, an organisation, a proper noun or a word jieba does not know


def _split_words(words: list[tuple[int, str]]) -> list[tuple[int, str, bool | str | None]]:
    """(offset, word, piece): made-up (out-of-dictionary) CJK words split into characters.

    piece is True inside a split word, None on its last character, False for a dictionary word, and
    "place" for a made-up word that is a place name (澜州)."""
    tags = word_tags()
    lex = org_lexicon()
    out: list[tuple[int, str, bool | str | None]] = []
    for start, word in words:
        if len(word) > 1 and word[-1] in lex.right_glue and word[:-1] in lex.suffixes:
            out.extend([(start, word[:-1], False), (start + len(word) - 1, word[-1], False)])  # 网讯
        elif word in lex.split_words:  # 州市 in 澜州市: a place's end and a level
            out.extend((start + i, ch, False) for i, ch in enumerate(word))
        elif 2 <= len(word) <= 3 and word[-1] in lex.unknown_place_endings and word not in tags:
            # 澜州: a made-up word ending in 州 is a place name; a stop character before it is not (由澜州)
            head = 1 if len(word) > 2 and word[0] in lex.piece_stop_chars else 0
            if head:
                out.append((start, word[0], False))
            out.append((start + head, word[head:], "place"))
        elif (
            len(word) > 1
            and word not in tags
            and word not in lex.boundary_words
            and _CJK.search(word)
            and not _ASCII_WORD.match(word)
        ):
            out.extend((start + i, ch, True) for i, ch in enumerate(word))
            out[-1] = (out[-1][0], out[-1][1], None)  # the made-up word's last char: a real word end
        else:
            out.append((start, word, False))
    return out


def classify(word: str, lex: OrgLexicon, piece: bool = False) -> str:
    """The class of one unit for growing a name leftwards (`piece`: a character of a made-up word)."""
    if _PUNCT_OR_SPACE.match(word) or _DIGITS.match(word):
        return STOP
    if word in lex.deictics or (
        word[0] in lex.deictics
        and len(word) > 1
        and (word[1:] in lex.admin_levels or all(ch in lex.unknown_place_levels for ch in word[1:]))
    ):
        return DEICTIC  # 我市, 各县市, 各县区: the local ones, no name (原州区 is a place: 州)
    if word in lex.admin_levels:
        return ADMIN
    if word in lex.boundary_words:
        return STOP
    if word.startswith(lex.ordinal_prefixes) and len(word) > 1 and _NUMERAL_WORD.match(word[1:2]):
        return STOP  # 第二个, 第三家: an ordinal
    if _is_count_word(word, lex):
        return STOP  # 两家, 3个, 首个: a count or an ordinal of a category
    if word in lex.proper_words:
        return OTHER
    if len(word) == 1 and word in (lex.piece_stop_chars if piece else lex.stop_chars):
        return STOP
    if word in lex.qualifiers:
        return QUAL
    if word in lex.suffixes:
        return ORG
    if _ASCII_WORD.match(word) or piece:
        return OTHER
    tag = word_tags().get(word)
    if tag is None:
        return OTHER
    if tag.startswith("ns"):
        return PLACE
    if tag == "nt":
        return ORG
    if tag in ("m", "mq") and not _NUMERAL_WORD.match(word):
        return OTHER  # 零部件, 万亩: not a number
    if tag in _STOP_TAGS:
        return STOP
    if tag.startswith("v") and tag != "vn" and len(word) > 1 and word not in lex.name_verbs:
        return STOP
    return OTHER


def _is_count_word(word: str, lex: OrgLexicon) -> bool:
    """两家, 3个, 十余家 (a numeral + a measure word) or 首个, 首家 (an ordinal prefix + a measure word)."""
    found = lex.count_pattern.match(word)
    if found is not None and found.end() == len(word):
        return True
    if len(word) < 2 or not word.startswith(lex.ordinal_prefixes):
        return False
    found = lex.count_pattern.match("1" + word[1:])
    return found is not None and found.end() == len(word)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    org_type: str
    rule: str


class _Units:
    """The classed units of a text, as a read-only sequence (`units[i]`, slices, `len`); a unit
    inside a time expression (`dates`: spans) is a boundary. A Unit is made when the grammar reads it:
    it reads the few before each anchor (`anchors`), and a million characters make 587,000 units, of
    which 5 % end with a character a suffix ends with."""

    def __init__(self, words: list[tuple[int, str]], dates: list[tuple[int, int]] = ()) -> None:
        self._starts = [start for start, _ in words]
        self._words = [_word_pieces(word) for _, word in words]
        self._first = list(accumulate(map(len, self._words), initial=0))  # each word's first unit
        self._in_date = bytearray(max((e for _, e in dates), default=0))  # 1 inside a date
        for ds, de in dates:
            self._in_date[ds:de] = b"\x01" * (de - ds)
        self._made: dict[int, Unit] = {}

    def __len__(self) -> int:
        return self._first[-1]

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        unit = self._made.get(i)
        if unit is None:
            if not 0 <= i < len(self):
                raise IndexError(i)
            w = bisect_right(self._first, i) - 1
            offset, text, piece = self._words[w][i - self._first[w]]
            cls, piece, proper, datable = _piece_class(text, piece)
            s = self._starts[w] + offset
            if datable and self._in_date.find(1, s, s + len(text)) >= 0:
                cls, proper = STOP, False  # 一季度开发区: a date glued to a generic noun is no name part
            unit = self._made[i] = Unit(s, s + len(text), text, cls, piece, proper)
        return unit

    def anchors(self, text: str, last_chars: re.Pattern) -> Iterator[int]:
        """The indices, in order, of the units that end with a character `last_chars` matches (the
        words cover `text`)."""
        starts, words, first = self._starts, self._words, self._first
        for found in last_chars.finditer(text):
            end = found.end()
            w = bisect_right(starts, found.start()) - 1
            for k, (offset, unit_text, _) in enumerate(words[w]):
                if starts[w] + offset + len(unit_text) == end:
                    yield first[w] + k
                    break


@lru_cache(maxsize=1 << 16)
def _word_pieces(word: str) -> tuple[tuple[int, str, bool | str | None], ...]:
    """(offset in the word, text, piece) of the units one word makes (`_split_words`); cached, as the
    same words make up most of the text."""
    return tuple(_split_words([(0, word)]))


def _piece_class(text: str, piece: bool | str | None) -> tuple[str, bool, bool, bool]:
    """(class, piece, proper, whether a date overrides the class) of a unit outside dates."""
    if piece == "place":
        return PLACE, False, True, False
    cls, proper = _word_class(text, piece is not False)
    return cls, bool(piece), proper, True


@lru_cache(maxsize=1 << 16)
def _word_class(word: str, piece: bool) -> tuple[str, bool]:
    """(class, proper) of a unit outside dates: depends on the word and the lexicon only, so cached
    (the same few thousand words make up most of the text)."""
    cls = classify(word, org_lexicon(), piece)
    return cls, is_proper(word, cls, piece)


def _date_spans(text: str) -> list[tuple[int, int]]:
    from pipeline.components.dates import find_dates

    return [(d.start, d.end) for d in find_dates(text)]


_PROPER_TAGS = {"ns", "nz", "nr", "nrt", "nrfg", "nt", "j", "eng"}


def is_proper(word: str, cls: str, piece: bool = False) -> bool:
    """Whether a unit can carry a name (锋源, 兴庆, 新浪, 中小城市) as opposed to a common word (外贸, 个别)."""
    if cls in (PLACE, ORG):
        return True
    if cls != OTHER:
        return False
    tag = word_tags().get(word)
    return (
        piece
        or tag is None
        or tag in _PROPER_TAGS
        or word in org_lexicon().proper_words
        or bool(_ASCII_WORD.match(word))
    )


@lru_cache(maxsize=4)
def _title_marks(text: str) -> tuple[list[int], list[int]]:
    """Where 《 and 》 are in `text` (found once per text: a long article has thousands of candidates)."""
    return [m.start() for m in re.finditer("《", text)], [m.start() for m in re.finditer("》", text)]


def _inside_title(text: str, start: int, end: int) -> bool:
    """After a 《 with no 》 between it and `start`, and some 》 after `end`."""
    opens, closes = _title_marks(text)
    i = bisect_left(opens, start) - 1
    if i < 0:
        return False
    j = bisect_left(closes, opens[i])
    if j < len(closes) and closes[j] < start:
        return False
    return bisect_left(closes, end) < len(closes)


def find_candidates(text: str, words: list[tuple[int, str]]) -> list[Candidate]:
    """All organisation candidates in `text` (Simplified), from its words [(offset, word)]."""
    lex = org_lexicon()
    units = _Units(words, _date_spans(text))
    found: list[Candidate] = []
    for last in units.anchors(text, _anchor_chars()):
        unit = units[last]
        end = unit.end
        if unit.piece and text[end : end + 1] not in lex.right_glue:
            continue
        suffix = None
        if text[end - 1] in lex.suffix_ends:
            for length in range(min(lex.max_suffix, end), 0, -1):
                suffix = lex.suffixes.get(text[end - length : end])
                if suffix is not None:
                    break
        if suffix is None and unit.text[-1] in lex.numbered_suffixes:
            suffix = _numbered_suffix(units, last, lex)  # 航天科工二十三所, 中电科十四所
        if suffix is None:
            continue
        cand = _grow(text, units, last, end - len(suffix.text), suffix, lex)
        if cand is not None:
            found.append(cand)
    return found


@lru_cache(maxsize=1)
def _anchor_chars() -> re.Pattern:
    """The last characters of the suffixes and numbered suffixes: where a name can end."""
    lex = org_lexicon()
    return re.compile(
        "[" + "".join(sorted(map(re.escape, lex.suffix_ends | set(lex.numbered_suffixes)))) + "]"
    )


def _numbered_suffix(units: _Units, last: int, lex: OrgLexicon) -> Suffix | None:
    """Numeral + 所/局/院/厂 after a name, as one word (十四所) or two (二十三 + 所)."""
    unit = units[last]
    numeral, k = unit.text[:-1], last - 1
    if not numeral and k >= 0:
        numeral, k = units[k].text, k - 1
    if not numeral or not _CN_NUMERAL.match(numeral) or k < 0 or units[k].cls not in (OTHER, PLACE, ORG):
        return None
    word = numeral + unit.text[-1]
    return Suffix(word, lex.numbered_suffixes[unit.text[-1]], False, False)


def _grow(
    text: str, units: _Units, last: int, s_start: int, suffix: Suffix, lex: OrgLexicon
) -> Candidate | None:
    end = units[last].end
    # the unit holding the suffix start; a word prefix before the suffix is the first left unit
    i = last
    while units[i].start > s_start:
        i -= 1
    left: list[Unit] = []
    stopper: Unit | None = None
    if units[i].start < s_start:
        prefix = text[units[i].start : s_start]
        cls = classify(prefix, lex, piece=True)  # a word's own prefix: only the word lists stop it
        head = Unit(units[i].start, s_start, prefix, cls, proper=is_proper(prefix, cls))
        if head.cls in (STOP, DEICTIC):
            return _resolve(text, s_start, end, suffix, [], head, lex)
        left.append(head)
    j = i - 1
    while j >= 0:
        unit = units[j]
        if (
            unit.text in _CLOSE
            and j >= 2
            and units[j - 1].cls in (PLACE, OTHER)
            and len(units[j - 1].text) <= 4
            and units[j - 2].text in _OPEN
        ):
            left.extend([unit, units[j - 1], units[j - 2]])  # 芯越微新材料(嘉兴)有限公司
            j -= 3
            continue
        if unit.cls == STOP and _inside_name(units, j, suffix, lex):
            unit = Unit(unit.start, unit.end, unit.text, OTHER, unit.piece, False)
        if unit.cls != OTHER or unit.piece or len(unit.text) == 1:  # 屿 in 北屿: a made-up word ends
            k = _unknown_place(units, j, left, lex)
            if k is not None:  # 岚港市科学技术局, 柘原镇人民政府: an unknown place name before its level
                left.extend(reversed(units[k : j + 1]))
                j = k - 1
                continue  # a boundary or a higher level (岚港市 + 岚港区科技局) comes next
        if unit.cls in (STOP, DEICTIC):
            stopper = unit
            break
        if suffix.coordinate and unit.text in lex.suffixes and lex.suffixes[unit.text].coordinate:
            stopper = unit
            break
        if (suffix.complete or suffix.department) and unit.cls not in (PLACE, ADMIN, QUAL, ORG):
            stopper = unit  # 国家科技部, 黄山市政府; not 前段时间住建部, 做客新浪
            break
        if end - unit.start > MAX_NAME_CHARS:
            stopper = unit
            break
        left.append(unit)
        j -= 1
    left.reverse()
    if left and left[0].text in _OPEN:  # "(绍兴)有限公司" with no name before the bracket
        left = left[3:]
    return _resolve(text, left[0].start if left else s_start, end, suffix, left, stopper, lex)


def _inside_name(units: _Units, j: int, suffix: Suffix, lex: OrgLexicon) -> bool:
    """Whether the stop unit units[j] is part of the name after all: a boundary word that makes one
    name part with the word after it (建设 + 投资), or a verb between two words of a research field
    before a field suffix (作物遗传 改良 国家重点实验室)."""
    unit = units[j]
    if unit.piece or j + 1 >= len(units):
        return False
    if unit.text + units[j + 1].text in lex.name_phrases:
        return True
    if unit.text in lex.place_directions and units[j + 1].cls == PLACE:
        return True  # 西 + 太湖: 西太湖高新区
    if suffix.text not in lex.field_suffixes:
        return False
    if unit.text in lex.field_conjunctions:
        # 复合材料 与 结构 重点实验室: common words on both sides (no place, no organisation, no suffix)
        before, after = units[j - 1] if j > 0 else None, units[j + 1]
        return (
            before is not None
            and before.cls in (OTHER, QUAL)
            and not before.proper
            and len(before.text) >= 2
            and after.cls in (OTHER, QUAL)
            and not after.proper
            and after.text not in lex.suffixes
        )
    if unit.text in lex.boundary_words or len(unit.text) < 2:
        return False
    tag = word_tags().get(unit.text, "")
    return tag.startswith("v") and j > 0 and units[j - 1].cls in (OTHER, PLACE)


def _unknown_place(units: _Units, j: int, left: list[Unit], lex: OrgLexicon) -> int | None:
    """Where an unknown place name starts when units[..j] end with one right before a level
    (岚港 + 市 + 科学技术局): 2-4 characters jieba does not know, after a boundary or the text start."""
    if not left or left[-1].cls != ADMIN or left[-1].text not in lex.unknown_place_levels:
        return None
    low, high = lex.unknown_place_chars
    tags = word_tags()
    chars, k, unknown = 0, j, False
    while k >= 0:
        unit = units[k]
        if unit.cls == STOP or not _CJK.match(unit.text) or chars >= high:
            break
        if unit.cls not in (OTHER, PLACE, DEICTIC) or len(unit.text) > 2:
            return None
        unknown = unknown or unit.piece or unit.text not in tags
        chars += len(unit.text)
        k -= 1
    if not unknown or not low <= chars <= high:
        return None
    before = units[k] if k >= 0 else None
    if (
        before is not None
        and _CJK.match(before.text)
        and before.cls != STOP
        and not (before.cls == DEICTIC and not before.piece)
        and not (before.cls == ADMIN and before.text in lex.unknown_place_levels)
    ):
        return None  # the run goes on to the left: not a place name at a boundary
    return k + 1


def _resolve(
    text: str, start: int, end: int, suffix: Suffix, left: list[Unit], stopper: Unit | None, lex: OrgLexicon
) -> Candidate | None:
    name = text[start:end]
    if name in lex.generic_names:
        return None
    if suffix.internal:  # 科技部 高新技术 司: a government body, then at least one word
        bodies = [k for k, u in enumerate(left) if u.cls == ORG and lex.suffix_type(u.text) == "government"]
        if not bodies or bodies[-1] == len(left) - 1:
            return None
    # a generic name before the suffix qualifies it like 省级 does (开发区管委会 is no name)
    classes = [QUAL if u.text in lex.generic_names else u.cls for u in left]
    deictic_before = stopper is not None and stopper.cls == DEICTIC
    rule = "gazetteer" if suffix.gazetteer else ("department" if suffix.department else suffix.org_type)
    if not left:
        if not suffix.complete:
            return None
        # 各部委 / 我市 + complete name is still a name only when the suffix names itself (市政府 is not "我市政府")
        if deictic_before and suffix.text[0] in lex.admin_levels:
            return None
        rule += "_name"
    elif all(c in (ADMIN, QUAL) for c in classes):
        only_level = classes == [ADMIN]
        if deictic_before and only_level:
            return None  # 我市高新区, 各市科技局
        if only_level and (
            suffix.org_type == "government" or (suffix.org_type == "park" and left[0].text in lex.park_levels)
        ):
            rule += "_level_shorthand"  # 市科技局, 县工业园
        elif suffix.department or suffix.complete:
            rule += "_qualified"  # 国家科技部, 省委
        else:
            return None  # 省级高新区, 国家高新区, 省级企业研究院
    elif _qualified_category(left, suffix, lex):
        return None  # 科技部国家高新区: a body, then a category; 河南省高新技术产业开发区
    else:
        distinct = sum(len(u.text) for u in left if u.cls not in (QUAL, ADMIN))
        if distinct < 2 and not any(c in (PLACE, ORG) for c in classes):
            return None
        if suffix.text in lex.weak_suffixes and not any(u.proper or u.cls == ADMIN for u in left):
            return None  # 外贸公司, 个别银行, 客服中心: a common noun before a weak suffix
        rule += "_compound"
    after = text[end : end + 8]
    if after.startswith(lex.event_followers):
        return None
    if lex.count_pattern.match(after):
        return None
    if _inside_title(text, start, end):
        return None
    if _venue(text, start, end, suffix, lex):
        return None
    if text[start - 1 : start] == "“" and text[end : end + 1] == "”" and classes and classes[0] == QUAL:
        return None  # a title of honour: “省级工业设计中心”

    return Candidate(start, end, suffix.org_type, rule)


def venue_name(text: str, start: int, end: int, lex: OrgLexicon) -> bool:
    """A venue (…会展中心, …会议中心) named as the place of an event: after 在/于 or before 举行."""
    if not text[start:end].endswith(lex.venue_suffixes):
        return False
    return text[start - 1 : start] in lex.venue_before or text.startswith(lex.venue_after, end)


def count_or_ordinal_start(name: str, lex: OrgLexicon) -> bool:
    """两家高新区, 3个园区, 首个全国重点实验室: a count or an ordinal before a category."""
    if lex.count_pattern.match(name):
        return True
    return (
        len(name) > 1
        and name.startswith(lex.ordinal_prefixes)
        and bool(lex.count_pattern.match("1" + name[1:]))
    )


def _venue(text: str, start: int, end: int, suffix: Suffix, lex: OrgLexicon) -> bool:
    """A park named only as the place of an event (在滨江科技城举行) or as a construction project
    (…产业基地开工建设): GUIDELINES.md counts zones only when they act."""
    if text[start:end].endswith(lex.venue_suffixes):  # 在南港国际会展中心开幕
        return venue_name(text, start, end, lex)
    if suffix.org_type not in lex.venue_types:
        return False
    if text.startswith(lex.project_followers, end):
        return True
    return text[start - 1 : start] in lex.venue_before and text.startswith(lex.venue_after, end)


def _qualified_category(left: list[Unit], suffix: Suffix, lex: OrgLexicon) -> bool:
    """A left part that only qualifies a category: an organisation, then qualifiers only (科技部 国家
    高新区), or, for parks, a province alone (河南省 高新技术产业开发区: zones are named after cities)."""
    if suffix.complete or suffix.department or suffix.org_type != "park":
        return False
    orgs = [k for k, u in enumerate(left) if u.cls == ORG]
    if orgs and orgs[-1] < len(left) - 1 and all(u.cls in (QUAL, ADMIN) for u in left[orgs[-1] + 1 :]):
        return True
    if suffix.org_type == "park" and len(left) == 1 and left[0].cls == PLACE:
        return left[0].text.endswith(lex.province_endings)
    return False


def select_maximal(cands: list[Candidate]) -> list[Candidate]:
    """Longest first; a candidate overlapping one already kept is dropped (nested duplicates too)."""
    kept: list[Candidate] = []
    taken = bytearray(max((c.end for c in cands), default=0) + 1)  # 1 where a kept one lies: linear time
    for cand in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if cand.end > cand.start and taken.find(1, cand.start, cand.end) == -1:
            kept.append(cand)
            taken[cand.start : cand.end] = b"\x01" * (cand.end - cand.start)
    return sorted(kept, key=lambda c: c.start)


def extract_organizations(text: str, words: list[tuple[int, str]] | None = None) -> list[Candidate]:
    """Organisation spans of `text`. `words` are (offset, word) pairs; None: segment `text` here."""
    analysed = simplified(text)
    if words is None or analysed != text:
        from pipeline.segment import get_segmenter

        words = []
        pos = 0
        for w in get_segmenter("jieba").cut(analysed):
            words.append((pos, w))
            pos += len(w)
    return select_maximal(find_candidates(analysed, words))


class OrganizationRules:
    """The rule stage: appends organization Mentions with extractor "organizations.<rule>"."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        org_lexicon()
        word_tags()

    def __call__(self, doc: Doc) -> Doc:
        words = doc_words(doc)
        text = doc_text(doc)
        found = [
            Mention(
                kind="organization",
                start=c.start,
                end=c.end,
                fields={"name": text[c.start : c.end], "org_type": c.org_type},
                extractor=f"organizations.{c.rule}",
            )
            for c in extract_organizations(text, words)
        ]
        add_mentions(doc, found)
        return doc


@Language.factory("organization_rules", default_config={})
def make_organization_rules(nlp: Language, name: str) -> OrganizationRules:
    return OrganizationRules(nlp, name)
