"""A name lexicon and organisation endings as CRF features (feature sets 4-7 of pipeline.ner.crf):
which characters begin, end or lie inside a known PER, LOC or ORG name (`Lexicon`), and how far
ahead the nearest organisation ending lies (`OrgSuffixes`).

The names come from an external corpus, People's Daily of January 1998 (`peoples_daily/
199801.utf8`: `nr` person, `ns` place, `nt` organisation, bracketed compounds such as
`[中国/ns 政府/n]nt` as one name), not from the NER training data: names taken from the training
sentences would match every training entity, and the CRF would learn to trust the lexicon more than
it deserves on new text.

Only 64-bit hashes of the names are kept (a polynomial hash over the code points, `name_hash`),
stored with the model, so the model directory holds no corpus text. Matching hashes every substring
of length 2..max_len of a text with numpy (`substring_hashes`: one pass per length) and looks the
hashes up in a hash table.

    python -m pipeline.ner.lexicon ../shared/data/peoples_daily/199801.utf8   # counts per type
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

TYPES = ("PER", "LOC", "ORG")
BIT = {label: 1 << i for i, label in enumerate(TYPES)}
MAX_LEN = 12  # longer names are not matched (about an eighth of PD's ORG names)
LENGTH_CAP = 6  # begin/end lengths above this share one feature value
SUFFIX_MAX_LEN = 3
SUFFIX_REACH = 12
_DISTANCE_BUCKET = np.array([1, 2, 3, 4, 5, 6, 6, 7, 7, 7, 8, 8, 8], dtype=np.uint64)  # by distance 0..12
_MUL = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime
_WORD = re.compile(r"(\[)?([^\s\[\]]+)/([a-zA-Z]+)(?:\]([a-zA-Z]+))?")
_PD_TAGS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}

Entity = tuple[int, int, str]


def name_hash(name: str) -> int:
    """The hash `substring_hashes` gives `name`: h = h * _MUL + (code point + 1), modulo 2**64."""
    h = 0
    for ch in name:
        h = (h * int(_MUL) + ord(ch) + 1) & 0xFFFFFFFFFFFFFFFF
    return h


def substring_hashes(codes: np.ndarray, max_len: int, min_len: int = 2) -> np.ndarray:
    """(max_len - min_len + 1, len(codes)) uint64: row L - min_len holds the hash of codes[i:i+L]
    for each start i (for starts within L-1 of the end, the hash of a string padded with code
    0xFFFFFFFF, which no name has)."""
    padded = np.concatenate([codes.astype(np.uint64), np.full(max_len, 0xFFFFFFFF, dtype=np.uint64)])
    one = np.uint64(1)
    n = len(codes)
    h = padded[:n] + one
    out = np.empty((max(max_len - min_len + 1, 0), n), dtype=np.uint64)
    if min_len == 1:
        out[0] = h
    for length in range(2, max_len + 1):
        h = h * _MUL + padded[length - 1 : length - 1 + n] + one
        if length >= min_len:
            out[length - min_len] = h
    return out


class Lexicon:
    """Name hashes with a type bit mask each (BIT: PER 1, LOC 2, ORG 4)."""

    def __init__(self, keys: np.ndarray, types: np.ndarray, max_len: int = MAX_LEN):
        from pipeline.ner.crf import KeyTable

        self.keys = np.asarray(keys, dtype=np.uint64)
        self.types = np.asarray(types, dtype=np.uint8)
        self.max_len = int(max_len)
        self._table = KeyTable(self.keys, self.types.astype(np.uint64), 0)

    @classmethod
    def from_names(cls, names: dict[str, int], max_len: int = MAX_LEN) -> Lexicon:
        """From {name: type bit mask}; names shorter than 2 or longer than max_len are left out."""
        kept = {name_hash(n): t for n, t in names.items() if 2 <= len(n) <= max_len}
        keys = np.fromiter(kept.keys(), dtype=np.uint64, count=len(kept))
        types = np.fromiter(kept.values(), dtype=np.uint8, count=len(kept))
        order = np.argsort(keys)
        return cls(keys[order], types[order], max_len)

    @classmethod
    def from_peoples_daily(cls, path: Path, min_count: int = 1, max_len: int = MAX_LEN) -> Lexicon:
        return cls.from_names(peoples_daily_names(path, min_count), max_len)

    def features(self, codes: np.ndarray) -> dict[str, np.ndarray]:
        """Per code (a character, or the padding between texts): "begin" and "end", uint64 of
        shape (3, n): per type, the length of the longest name of that type starting (ending) at
        the character, 0 for none; "inside", (n,) uint64, the bit mask of the types of the names
        that cover the character strictly inside (neither first nor last)."""
        n = len(codes)
        begin = np.zeros((len(TYPES), n), dtype=np.uint64)
        end = np.zeros((len(TYPES), n), dtype=np.uint64)
        inside = np.zeros(n, dtype=np.uint64)
        if n == 0 or len(self.keys) == 0:
            return {"begin": begin, "end": end, "inside": inside}
        hashes = substring_hashes(codes, self.max_len)
        for length in range(2, self.max_len + 1):
            found = self._table.get(hashes[length - 2])  # type mask of the name starting at i
            starts = np.flatnonzero(found)
            if not len(starts):
                continue
            mask = found[starts]
            for t in range(len(TYPES)):
                hit = starts[(mask >> np.uint64(t)) & np.uint64(1) == 1]
                begin[t, hit] = length  # lengths ascend: the longest name wins
                end[t, hit + length - 1] = np.maximum(end[t, hit + length - 1], length)
            for k in range(1, length - 1):
                inside[starts + k] |= mask
        return {"begin": begin, "end": end, "inside": inside}

    def __len__(self) -> int:
        return len(self.keys)


class OrgSuffixes:
    """The endings of organisation names (社, 委员会, 研究所, ...), for the feature "an organisation
    suffix ends k characters ahead": the CRF sees from a name's first character (南州 in
    南州市资山粮管所) that an organisation ending follows, which its window of two characters
    cannot. Hashes of the endings, as for Lexicon."""

    def __init__(self, keys: np.ndarray, max_len: int = SUFFIX_MAX_LEN):
        from pipeline.ner.crf import KeyTable

        self.keys = np.asarray(keys, dtype=np.uint64)
        self.max_len = int(max_len)
        self._table = KeyTable(self.keys, np.ones(len(self.keys), dtype=np.uint64), 0)

    @classmethod
    def from_peoples_daily(cls, path: Path, min_count: int = 3, min_share: float = 0.1) -> OrgSuffixes:
        """The last 1..SUFFIX_MAX_LEN characters of People's Daily's organisation names that end at
        least `min_count` of them and, of all their occurrences in the corpus, end an organisation
        at least `min_share` of the time (院 0.50, 局 0.31; 部 0.12 stays, 国 0.01 does not)."""
        texts: list[str] = []
        ends: Counter[str] = Counter()
        for text, entities in read_peoples_daily(path):
            texts.append(text)
            for s, e, label in entities:
                if label == "ORG":
                    ends.update(text[e - k : e] for k in range(1, SUFFIX_MAX_LEN + 1) if e - s > k)
        corpus = "\n".join(texts)
        kept = [x for x, n in ends.items() if n >= min_count and n >= min_share * corpus.count(x)]
        return cls(np.array(sorted(name_hash(x) for x in kept), dtype=np.uint64))

    def ahead(self, codes: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """Per code: 0 if no suffix ends within SUFFIX_REACH characters at or after it over Han
        characters only; else the bucket (1..8) of the distance to the nearest suffix end
        (0, 1, 2, 3, 4, 5-6, 7-9, 10-12). `classes`: pipeline.ner.crf's character classes."""
        n = len(codes)
        if n == 0 or len(self.keys) == 0:
            return np.zeros(n, dtype=np.uint64)
        hashes = substring_hashes(codes, self.max_len, min_len=1)
        ends = np.zeros(n + self.max_len, dtype=bool)
        for length in range(1, self.max_len + 1):
            starts = np.flatnonzero(self._table.get(hashes[length - 1]))
            ends[starts + length - 1] = True
        ends = ends[:n]
        index = np.arange(n)
        # the nearest suffix end at or after each position, and the nearest non-Han character
        next_end = np.minimum.accumulate(np.where(ends, index, n)[::-1])[::-1]
        next_break = np.minimum.accumulate(np.where(classes != 1, index, n)[::-1])[::-1]
        distance = next_end - index
        reach = (next_end < n) & (next_end < next_break) & (distance <= SUFFIX_REACH)
        return np.where(reach, _DISTANCE_BUCKET[np.minimum(distance, SUFFIX_REACH)], 0).astype(np.uint64)

    def __len__(self) -> int:
        return len(self.keys)


def read_peoples_daily(path: Path) -> Iterator[tuple[str, list[Entity]]]:
    """(paragraph text, PER/LOC/ORG entities) per line of the PKU-tagged People's Daily corpus.
    Adjacent `nr` words are one person (江/nr 泽民/nr); a bracketed compound tagged nt or ns is one
    name and replaces the names inside it."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            words = line.split()[1:]  # the first token is the paragraph id
            if not words:
                continue
            text: list[str] = []
            entities: list[Entity] = []
            at = 0
            opened: int | None = None
            for token in words:
                m = _WORD.fullmatch(token)
                if m is None:
                    continue
                bracket, word, tag, outer = m.groups()
                if bracket:
                    opened = at
                start, at = at, at + len(word)
                text.append(word)
                label = _PD_TAGS.get(tag)
                if label == "PER" and entities and entities[-1][1] == start and entities[-1][2] == "PER":
                    entities[-1] = (entities[-1][0], at, "PER")
                elif label:
                    entities.append((start, at, label))
                if outer is not None:
                    if opened is not None and outer in _PD_TAGS:
                        entities = [e for e in entities if e[0] < opened]
                        entities.append((opened, at, _PD_TAGS[outer]))
                    opened = None
            yield "".join(text), entities


def peoples_daily_names(path: Path, min_count: int = 1) -> dict[str, int]:
    """{name: type bit mask} of the names tagged at least `min_count` times with a type."""
    counts: Counter[tuple[str, str]] = Counter()
    for text, entities in read_peoples_daily(path):
        counts.update((text[s:e], label) for s, e, label in entities)
    names: dict[str, int] = {}
    for (name, label), count in counts.items():
        if count >= min_count:
            names[name] = names.get(name, 0) | BIT[label]
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="peoples_daily/199801.utf8")
    parser.add_argument("--min-count", type=int, default=1)
    args = parser.parse_args()
    names = peoples_daily_names(args.corpus, args.min_count)
    for label, bit in BIT.items():
        mine = [n for n, t in names.items() if t & bit]
        lengths = Counter(min(len(n), MAX_LEN + 1) for n in mine)
        print(label, len(mine), dict(sorted(lengths.items())))


if __name__ == "__main__":
    main()
