"""Traditional Chinese is matched through a conversion to Simplified (OpenCC, t2s) that keeps
every character at its offset, so records still point into the text as written."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def _char_to_simplified(ch: str) -> str:
    converted = _converter().convert(ch)
    return converted if len(converted) == 1 else ch


def to_simplified(text: str) -> str:
    """The Simplified form of `text`, with the same length and character positions.

    OpenCC's phrase tables can change the length of a phrase; when the whole-text conversion does,
    each character is converted on its own instead (one character in, one character out).
    """
    if text.isascii():
        return text
    converted = _converter().convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_char_to_simplified(ch) for ch in text)


# Share of the CJK characters that must differ from their Simplified form for a text to count as
# written in Traditional characters (a Traditional text changes a quarter or more; a mainland text
# quoting one Traditional name changes a few).
TRADITIONAL_SHARE = 0.05


def written_in_traditional(original: str, simplified: str) -> bool:
    """Whether `original` is written in Traditional characters (Hong Kong, Macao, Taiwan), given its
    Simplified form (same length).

    >>> written_in_traditional("成都高新區連續四年", "成都高新区连续四年"), written_in_traditional("高新区", "高新区")
    (True, False)
    """
    if original == simplified:  # nothing changed (most mainland texts): no loop over the characters
        return False
    cjk = changed = 0
    for a, b in zip(original, simplified, strict=False):
        if "\u4e00" <= a <= "\u9fff":
            cjk += 1
            changed += a != b
    return cjk > 0 and changed >= TRADITIONAL_SHARE * cjk
