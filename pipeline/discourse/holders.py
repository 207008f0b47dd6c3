"""Who a ranking is about when its clause says 园区 / 该区 / 我区 / 该校 or gives a cut-off piece:
the article's named holder.

The holders are the organisation mentions and the named ranking subjects of the article, in order of
appearance, each with its salience (how often it is named, and whether the headline names it). A
deictic subject (`deictic_holders` in `discourse.yaml`) resolves to the nearest holder named before
it in its paragraph, else the most salient one named before it, else anywhere in the article, whose name has one of the deictic's endings; with none, it
stays as written. A subject cut from a count (家开发区) is treated as missing and takes the article's
holder only when the headline names one of the right kind.

>>> h = Holders.of("东湖高新区再创佳绩\\n东湖高新区位居第六。园区创新能力排名第三。", [(0, 5), (10, 15)])
>>> h.resolve("园区", 22)
'东湖高新区'
>>> h.resolve("该市", 22)
'该市'
>>> h.resolve("从分项看,园区", 22)
'东湖高新区'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.resolve import safe_load_yaml
from pipeline.text.segments import Segments

RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "zh" / "discourse.yaml"


_LIST_ITEM = re.compile(r"[\u4e00-\u9fff（）()·]{2,15}")
LIST_SEP = re.compile(r"、|和|及|与")  # between the items of a list (the article stage splits with it too)


@lru_cache(maxsize=1)
def _verbs() -> tuple[str, ...]:
    raw = safe_load_yaml(RESOURCE.read_text(encoding="utf-8"))
    return tuple(sorted(raw["list_holder_verbs"], key=len, reverse=True))


@lru_cache(maxsize=1)
def _indicator_endings() -> tuple[str, ...]:
    """What ends a list of indicators, not holders (rankings.yaml `indicator_endings`: one copy)."""
    raw = safe_load_yaml(RESOURCE.with_name("rankings.yaml").read_text(encoding="utf-8"))
    return tuple(raw["indicator_endings"])


def list_subjects(text: str, clause_start: int, n: int) -> list[str] | None:
    """The `n` names listed at the head of a clause of `n` ranks (杭州、南京位居第二、三位 ->
    [杭州, 南京]), or None when the head is not such a list.

    >>> list_subjects("目前,杭州、南京位居第二、三位。", 3, 2)
    ['杭州', '南京']
    >>> list_subjects("杭州位居第二、三位。", 0, 2) is None
    True
    >>> list_subjects("政务服务和市场监管指标依次列第4位、第7位。", 0, 2) is None
    True
    """
    rest = text[clause_start:]
    ends = [rest.find(v) for v in _verbs() if rest.find(v) > 0]
    if not ends:
        return None
    head = rest[: min(ends)]
    items = [p.strip() for p in LIST_SEP.split(head)]
    if len(items) != n or not all(_LIST_ITEM.fullmatch(i) for i in items):
        return None
    if items[-1].endswith(_indicator_endings()):
        return None  # 政务服务、市场监管和要素保障指标依次列…: indicators, not holders
    return items


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    raw = safe_load_yaml(RESOURCE.read_text(encoding="utf-8"))
    deictics = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in raw["deictic_holders"].items()}
    return deictics, tuple(raw["broken_subject_starts"])


def deictic_words() -> tuple[str, ...]:
    """The deictic and generic subjects (园区, 该区, 该公司 ...) of `discourse.yaml`."""
    return tuple(_lexicon()[0])


def is_deictic(subject: str | None) -> bool:
    return bool(subject) and subject in _lexicon()[0]


_CLAUSE_BREAK = re.compile(r"[，,：:；;。]")


@dataclass
class Holders:
    """The named holders of one article: (first offset, name), their counts, the headline's."""

    names: list[tuple[int, str]]
    counts: dict[str, int]
    headline: set[str]
    seen: list[tuple[int, str]]  # every occurrence, in text order
    seg: Segments

    @classmethod
    def of(cls, text: str, spans: list[tuple[int, int]], seg: Segments | None = None) -> Holders:
        seg = seg or Segments(text)
        names, counts, headline, seen = [], {}, set(), []
        deictics, broken = _lexicon()
        for start, end in sorted(spans):
            name = text[start:end]
            if len(name) < 2 or name in deictics or name.startswith(broken) or _CLAUSE_BREAK.search(name):
                continue  # 分项指标中,该市: a ranking's head that ran over a clause break is no holder
            if name not in counts:
                names.append((start, name))
            counts[name] = counts.get(name, 0) + 1
            seen.append((start, name))
            if seg.in_headline(start):
                headline.add(name)
        return cls(names, counts, headline, seen, seg)

    def _best(self, endings: tuple[str, ...], before: int | None) -> str | None:
        if before is not None:
            # the nearest fitting holder named before it in its paragraph (…武进国家高新区…。高新区可持续
            # 发展能力排名53 -> 武进国家高新区), else the most salient one
            paragraph = self.seg.span("paragraphs", self.seg.paragraph_of(before))[0]
            near = [n for pos, n in self.seen if paragraph <= pos < before and n.endswith(endings)]
            if near:
                return near[-1]
        fitting = [(pos, n) for pos, n in self.names if n.endswith(endings) and n not in _lexicon()[0]]
        if before is not None:
            earlier = [(pos, n) for pos, n in fitting if pos < before]
            fitting = earlier or fitting
        if not fitting:
            return None
        best = max(fitting, key=lambda pn: (pn[1] in self.headline, self.counts[pn[1]], pn[0]))[1]
        if before is not None and best in self.headline:
            # the headline's short form (沄港电商产业园) gives way to the full name the body last gave
            # before the deictic (沄港电子商务产业园), when that is a longer form of it
            body = [n for pos, n in self.seen if pos < before and not self.seg.in_headline(pos)]
            longer = [n for n in body if n.endswith(endings) and len(n) > len(best) and n[:2] == best[:2]]
            if longer:
                return longer[-1]
        return best

    def headline_holder(self) -> str | None:
        """The one holder the headline names (蓍坪县科技创新能力升至全省第6位 -> 蓍坪县), or None."""
        named = [n for n in self.headline if n not in _lexicon()[0]]
        return named[0] if len(named) == 1 else None

    def resolve(self, subject: str | None, at: int) -> str | None:
        """The name the subject of a ranking at offset `at` stands for, else the subject itself. A
        ranking with no subject (其中,科技投入单项指标跃居全省第2位) is the headline's one holder's."""
        if subject is None:
            return self.headline_holder()
        deictics, broken = _lexicon()
        if subject and (cut := max(subject.rfind(c) for c in "，,：:；;")) >= 0:
            # 分项指标中,该市 / 从分项看,园区: a head that ran over a clause break; the holder is after it
            subject = subject[cut + 1 :].strip() or None
        if subject in deictics:
            return self._best(deictics[subject], at) or subject
        if subject and subject.startswith(broken):
            # 家开发区: a piece of 全省60家开发区, not a holder; the headline's holder of that kind
            kind = next((k for k in deictics if subject.endswith(k)), None)
            if kind:
                name = self._best(deictics[kind], None)
                if name and name in self.headline:
                    return name
            return None
        return subject
