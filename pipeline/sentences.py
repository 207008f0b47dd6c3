"""Sentence boundaries as character offsets (for `sentence_index`)."""

from __future__ import annotations

import re
from bisect import bisect_right

# A sentence ends after 。！？!?； or a line break, with any closing quotes or brackets.
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’\"')）】」』]*|\n+")


def sentence_starts(text: str) -> list[int]:
    """Start offset of every sentence, beginning with 0."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end < len(text):
            starts.append(end)
    return starts


def sentence_index(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    starts = sentence_starts(text)
    ends = starts[1:] + [len(text)]
    return list(zip(starts, ends, strict=True))
