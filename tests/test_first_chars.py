"""StartScan finds exactly the matches of Pattern.finditer (pipeline/resolve/first_chars.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.resolve.first_chars import StartScan, start_class

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

TEXTS = [
    "",
    "2019年度全市实现生产总值280.5亿元，增长3.24%；去年12月至今年3月，共签约项目27个。",
    "a12 b.3 -5 负五 ¥100 百分之四十 三分之一 1/2 20/0 2020/12/1 五六七八 x-1",
    "今年以来，前三季度，上半年，近日，2018年11月，十四五期间，第一二三名",
    "\n\n北屿市\n一、概况\n（二）进展\n3.结论",
]

PATTERNS = [
    r"\d+",
    r"(?<![\d.])\d+(?:\.\d+)?",
    r"(?:(?P<sym>[$¥])\s?)?(?P<n>\d+)",
    r"(?:负|(?<![\w.])-(?=\d))?\d+",
    r"百分之[一二三四五六七八九十]+|[一二三四五六七八九十]+分之[一二三四五六七八九十]+",
    r"\b\w",
    r"^\S+",
    r"(?m)^\S+",
    r"(?:今|去|明)年(?:以来)?",
    r"(?:第)?[一二三]+(?=名)",
    r"[^\d]+",  # a negated class: any start, plain finditer
    r"\d*",  # matches the empty string: plain finditer
    r".年",
    r"(?i)x-1",
    r"(?x) \d+ (?: \. \d+ )?   # verbose",
    r"(?>\d+)年",
]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_same_matches_as_finditer(pattern):
    compiled = re.compile(pattern)
    scan = StartScan(compiled)
    for text in TEXTS:
        expected = [(m.span(), m.groupdict()) for m in compiled.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in scan.finditer(text)] == expected, text


def test_start_class_of_simple_patterns():
    assert start_class(re.compile(r"(?:[$¥]\s?)?\d+")).pattern == r"[\$¥\d]"
    assert start_class(re.compile(r"(?<=x)今年|去年")).pattern == "[今去]"
    assert start_class(re.compile(r"[^x]")) is None
    assert start_class(re.compile(r"a?")) is None
    assert start_class(re.compile(r"(a)\1")).pattern == "[a]"
    assert start_class(re.compile(r"(a)?\1b")) is None  # a back-reference may come first: unbounded


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "corpus").glob("*.*"))]
    texts += TEXTS
    return texts


def _msra_texts(limit: int = 3000) -> list[str]:
    from pipeline.bench import msra_sentences

    out = []
    for sentence in msra_sentences(SHARED / "msra_ner" / "train.bio"):
        out.append(sentence)
        if len(out) >= limit:
            break
    return out


def _check_pipeline_patterns(texts: list[str]) -> int:
    from pipeline.components.dates import _compiled, _scans
    from pipeline.components.numbers import _pattern, _scan
    from pipeline.resolve.numerals import fold

    pairs = [(pattern, scan) for (_, pattern), (_, scan) in zip(_compiled()[0], _scans()[0], strict=True)]
    pairs += [(_compiled()[1], _scans()[1]), (_pattern(), _scan())]
    assert all(scan.starts is not None for _, scan in pairs)  # every one of them is bounded
    found = 0
    for text in map(fold, texts):
        for pattern, scan in pairs:
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in scan.finditer(text)] == expected
            found += len(expected)
    return found


def test_date_and_number_patterns_on_the_corpus():
    assert _check_pipeline_patterns(_texts()) > 100


@pytest.mark.skipif(not (SHARED / "msra_ner").is_dir(), reason="../shared/data/msra_ner is not present")
def test_date_and_number_patterns_on_msra_sentences():
    assert _check_pipeline_patterns(_msra_texts()) > 1000
