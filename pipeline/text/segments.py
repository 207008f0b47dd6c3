"""Paragraphs, sentences and clauses of an article as character spans, with O(log n) look-up.

One splitter for every stage that reasons over an article: sentences end where
`pipeline.sentences` ends them (the `sentence_index` of every record), clauses also at commas and
colons, paragraphs at line breaks.

>>> seg = Segments("园区排名第3。全省共有43家,其中我市5家。\\n第二段")
>>> seg.sentence_of(12), seg.clause_of(16), seg.paragraph_of(25)
(1, 2, 1)
>>> seg.headline
False
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.sentences import sentence_starts

_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]+[”’\"')）】」』]*|\n+")
_FINAL = '。！!？?；;…”"’)）'


def _starts(text: str, pattern: re.Pattern[str]) -> list[int]:
    starts = [0]
    for m in pattern.finditer(text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


@dataclass
class Segments:
    """The segments of `text`. `*_of(pos)` gives the index of the segment holding offset `pos`."""

    text: str
    sentences: list[int] = field(init=False)
    clauses: list[int] = field(init=False)
    paragraphs: list[int] = field(init=False)
    # per-article results of the stages that read these segments several times (clause openings)
    memo: dict = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.sentences = sentence_starts(self.text)
        self.clauses = _starts(self.text, _CLAUSE_END)
        self.paragraphs = _starts(self.text, re.compile(r"\n+"))

    def sentence_of(self, pos: int) -> int:
        return bisect_right(self.sentences, pos) - 1

    def clause_of(self, pos: int) -> int:
        return bisect_right(self.clauses, pos) - 1

    def paragraph_of(self, pos: int) -> int:
        return bisect_right(self.paragraphs, pos) - 1

    def span(self, kind: str, index: int) -> tuple[int, int]:
        starts = getattr(self, kind)
        end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
        return starts[index], end

    @cached_property
    def headline(self) -> bool:
        """True when the first paragraph reads as a headline: a line without final punctuation
        followed by more text."""
        first = self.text[: self.span("paragraphs", 0)[1]].rstrip("\n")
        return len(self.paragraphs) > 1 and bool(first) and first[-1] not in _FINAL and len(first) <= 60

    def in_headline(self, pos: int) -> bool:
        return self.headline and self.paragraph_of(pos) == 0
