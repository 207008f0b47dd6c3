"""Text repair for PDF-extracted pages: join words and sentences broken across lines, keep real
paragraph breaks, normalise full-width ASCII digits and letters.

Pure functions of the text. The repaired text is the article text that all offsets refer to.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.resolve.numerals import FULLWIDTH_GROUPING

# A line that ends with one of these closes a sentence (or a heading label), so the break is real.
SENTENCE_FINAL = set("。！？!?；;：:…")
# Closing quotes and brackets end a sentence only after sentence-final punctuation ("…。”").
CLOSERS = set("”’」』）)】》\"'")
# Full-width forms normalised to ASCII: digits, Latin letters and a few signs used inside numbers.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({"％": "%", "＋": "+", "－": "-", "／": "/", "＆": "&"})
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
_FULLWIDTH_DOT = re.compile(r"(?<=\d)．(?=\d)")
# Control characters other than newline and tab are dropped (they break JSON consumers and offsets).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200e\u200f\ufeff]")
# Minimum length of a line that can be a broken body line (shorter lines are headings or bylines).
MIN_BROKEN_LINE = 25


def normalise_chars(text: str) -> str:
    """Newlines to \\n, control characters dropped, full-width digits/letters to ASCII. Length may change."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    text = FULLWIDTH_GROUPING.sub(",", text)  # ４，５６５ -> 4,565 (grouping, not a list)
    text = text.translate(_FULLWIDTH_TABLE)
    return _FULLWIDTH_DOT.sub(".", text)


def _is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _broken_line_threshold(lengths: list[int]) -> int:
    """Lines at least this long that end mid-sentence continue on the next line.

    Blank-line separated PDF text has long paragraph lines; hard-wrapped column text has many lines of
    one width, and a line of (nearly) that width is full, so it continues.
    """
    if len(lengths) >= 8:
        width, count = Counter(lengths).most_common(1)[0]
        near = sum(1 for n in lengths if abs(n - width) <= 2)
        if width < MIN_BROKEN_LINE and near >= 0.5 * len(lengths):
            return max(width - 2, 6)
    return MIN_BROKEN_LINE


def _continues(prev: str, nxt: str, threshold: int) -> bool:
    if not prev or not nxt:
        return False
    tail = prev.rstrip("".join(CLOSERS))
    if tail and tail[-1] in SENTENCE_FINAL:
        return False
    if nxt[0] in "，,。、；;：:）)”」』》":
        return True
    if len(prev) < threshold:
        return False
    # A long line with internal spaces between Chinese phrases is a two-part headline, not body text.
    if re.search(r"[\u4e00-\u9fff”]\s+[\u4e00-\u9fff“]", prev) and not any(ch in prev for ch in "。,，"):
        return False
    return True


def join_broken_lines(text: str) -> str:
    """Join lines that PDF extraction broke mid-word or mid-sentence; paragraphs end with one \\n."""
    lines = [line.strip(" \t\u3000") for line in text.split("\n")]
    content = [line for line in lines if line]
    if not content:
        return ""
    threshold = _broken_line_threshold([len(line) for line in content])
    paragraphs: list[str] = [content[0]]
    for line in content[1:]:
        prev = paragraphs[-1]
        if _continues(prev, line, threshold):
            sep = " " if _is_ascii_word_char(prev[-1]) and _is_ascii_word_char(line[0]) else ""
            paragraphs[-1] = prev + sep + line
        else:
            paragraphs.append(line)
    return "\n".join(paragraphs)


def repair_page(text: str) -> str:
    """Full repair for text extracted from PDF pages."""
    return join_broken_lines(normalise_chars(text))


def repair_article(text: str) -> str:
    """Light repair for text that arrives as one clean article (JSONL, HTML): characters only,
    paragraph lines kept as given, surrounding blank space trimmed."""
    lines = [line.strip(" \t\u3000") for line in normalise_chars(text).split("\n")]
    return "\n".join(line for line in lines if line)
