"""`finditer` that tries a pattern only where one of its matches can start.

Python's `re` tries a pattern at every position of the text. The number and date patterns can
only start with a few characters (a digit, a numeral, 今/去/明, a currency sign, ...), and on
ordinary text most positions hold none of them. `StartScan` reads from the parsed pattern the
set of characters a match can start with, finds those positions with one character-class search
and tries the pattern (`Pattern.match`) only there. The matches are those of `Pattern.finditer`:
`match(text, pos)` sees the text before `pos`, so look-behinds, `\\b` and anchors behave the same.
A pattern whose first character cannot be bounded (it may start with `.`, a negated class, a
back-reference, or match the empty string) is scanned with plain `finditer`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

try:  # the parser `re` compiles with (public as sre_parse before Python 3.11)
    from re import _constants as _c
    from re import _parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT} | (
    {_c.POSSESSIVE_REPEAT} if hasattr(_c, "POSSESSIVE_REPEAT") else set()
)
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


class _Unbounded(Exception):
    """The pattern may start with any character."""


def _char(code: int) -> str:
    return re.escape(chr(code))


def _class_items(items) -> list[str]:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(_char(av))
        elif op is _c.RANGE:
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is _c.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:  # NEGATE and anything else
            raise _Unbounded
    return out


def _first(items) -> tuple[list[str], bool]:
    """(class items a match of the sequence `items` can start with, whether it can be empty)."""
    out: list[str] = []
    for op, av in items:
        if op is _c.LITERAL:
            return [*out, _char(av)], False
        if op is _c.IN:
            return [*out, *_class_items(av)], False
        if op in _ZERO_WIDTH:
            continue
        if op is _c.SUBPATTERN:
            group_items = av[3]
            if av[1] & _c.SRE_FLAG_IGNORECASE:
                raise _Unbounded
            first, empty = _first(group_items)
        elif op in _REPEATS:
            first, empty = _first(av[2])
            empty = empty or av[0] == 0
        elif op is _c.BRANCH:
            first, empty = [], False
            for alternative in av[1]:
                f, e = _first(alternative)
                first += f
                empty = empty or e
        elif getattr(_c, "ATOMIC_GROUP", None) is not None and op is _c.ATOMIC_GROUP:
            first, empty = _first(av)
        else:  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS, ...
            raise _Unbounded
        out += first
        if not empty:
            return out, False
    return out, True


def start_class(pattern: re.Pattern) -> re.Pattern | None:
    """A one-character class matching every character a match of `pattern` can start with, or
    None when that set cannot be bounded."""
    if pattern.flags & re.IGNORECASE or not isinstance(pattern.pattern, str):
        return None
    try:
        first, empty = _first(_p.parse(pattern.pattern, pattern.flags))
    except _Unbounded:
        return None
    if empty or not first:
        return None
    return re.compile("[" + "".join(dict.fromkeys(first)) + "]")


class StartScan:
    """`pattern.finditer`, trying the pattern only at the characters a match can start with."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.starts = start_class(pattern)

    def finditer(self, text: str) -> Iterator[re.Match]:
        if self.starts is None:
            yield from self.pattern.finditer(text)
            return
        search, match = self.starts.search, self.pattern.match
        pos = 0
        while (found := search(text, pos)) is not None:
            at = found.start()
            m = match(text, at)
            if m is None:
                pos = at + 1
                continue
            yield m
            pos = m.end()  # never empty: an empty-matching pattern has no start class
