"""A linear-chain CRF over characters: the fast statistical NER model (issue 6).

Every character gets one BIO or BIOES label ("B-ORG", "I-ORG", "E-ORG", "O", ...). Its features are integer keys
computed with numpy over the whole text at once (no Python per character):

- the characters at offsets -2..+2, the bigrams (-2,-1), (-1,0), (0,+1), (+1,+2) and (-1,+1);
- the jieba word (rjieba, built-in dictionary) containing the character: a hash of the word, and
  the character's B/M/E/S position in it with the word length capped at 4 (alone and with the
  character);
- the character classes (Han, digit, Latin, other) of the characters -1, 0, +1; and a bias;
- in the larger feature sets (FEATURE_SETS), knowledge from outside the training data, kept with
  the model: a name lexicon and organisation endings from People's Daily 1998
  (pipeline/ner/lexicon.py), character clusters (pipeline/ner/clusters.py).

A key is `template << 58 | value`, where the value packs up to two code points (21 bits each) or
a 32-bit word hash. Training uses CRFsuite (python-crfsuite: L-BFGS, L1 + L2 regularisation)
with the keys written as hex strings; the trained weights are exported to numpy arrays
(`model.npz`: sorted keys, a weight row per key, the label transitions), and prediction is numpy
gathers plus a Viterbi pass batched over sentences. No spaCy objects are built, which is what
makes it fast; it runs inside the `statistical_ner` spaCy component like the spaCy models do.

    python -m pipeline.ner.crf train build/ner/cluener build/ner/crf [--iterations 150]
        [--feature-set 6 --lexicon ../shared/data/peoples_daily/199801.utf8] [--tags bioes]
    python -m pipeline.ner.crf package build/ner/crf pipeline/models/ner_zh
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import time
import zlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from pipeline.ner.bio import decode, span_prf, to_bioes
from pipeline.ner.clusters import CharClusters
from pipeline.ner.lexicon import LENGTH_CAP, TYPES, Lexicon, OrgSuffixes

MODEL_FILE = "model.npz"
META_FILE = "meta.json"
Span = tuple[int, int, str]

_BOS = 0x110000  # beyond the last code point: the padding around a text
_EOS = 0x110001
_SHIFT = np.uint64(58)
_CP = np.uint64(21)
_BASE_TEMPLATES = (
    "c0",
    "c-1",
    "c+1",
    "c-2",
    "c+2",
    "c-1c0",
    "c0c+1",
    "c-1c+1",
    "c-2c-1",
    "c+1c+2",
    "wordpos",
    "wordpos,c0",
    "word",
    "classes",
    "bias",
)
# Feature set 2 adds character trigrams (hashed), surname flags (resources/zh/surnames.txt) of
# the characters -2..0, and the words before and after the containing word.
# Feature set 3 adds the part-of-speech tag jieba's dictionary gives the containing word (nr, ns,
# nt, ...; a word the dictionary lacks, found by rjieba's HMM, has its own tag), alone, with the
# position in the word, and of the words before and after.
# Feature set 4 adds a name lexicon (pipeline/ner/lexicon.py, stored with the model): per type, the
# lengths (capped) of the longest names of that type beginning and ending at the character and
# whether one covers it inside; and the begin/inside/end flags of all three types together.
# Feature set 5 adds to set 4 the character clusters (pipeline/ner/clusters.py, stored with the
# model) of the characters -1, 0, +1, alone and as the pairs (-1, 0) and (0, +1).
# Feature set 6 (the shipped model's) adds to set 4 how far ahead the nearest organisation ending
# lies (OrgSuffixes in pipeline/ner/lexicon.py: 0..12 characters in 8 buckets, over Han characters
# only), alone, with the types of the lexicon names beginning at the character, and with its word
# position. Feature set 7 has all of sets 4, 5 and 6.
_LEXICON_TEMPLATES = ("lex:PER", "lex:LOC", "lex:ORG", "lex")
_CLUSTER_TEMPLATES = ("cl-1", "cl0", "cl+1", "cl-1cl0", "cl0cl+1")
_SUFFIX_TEMPLATES = ("sfx", "sfx,lexbegin", "sfx,wordpos")
FEATURE_SETS = {
    1: _BASE_TEMPLATES,
    2: (*_BASE_TEMPLATES, "c-1c0c+1", "c-2c-1c0", "c0c+1c+2", "surnames", "word-1", "word+1"),
    3: (*_BASE_TEMPLATES, "tag", "tag,wordpos", "tag-1", "tag+1", "tag-1,tag,tag+1"),
    4: (*_BASE_TEMPLATES, *_LEXICON_TEMPLATES),
    5: (*_BASE_TEMPLATES, *_LEXICON_TEMPLATES, *_CLUSTER_TEMPLATES),
    6: (*_BASE_TEMPLATES, *_LEXICON_TEMPLATES, *_SUFFIX_TEMPLATES),
    7: (*_BASE_TEMPLATES, *_LEXICON_TEMPLATES, *_CLUSTER_TEMPLATES, *_SUFFIX_TEMPLATES),
}
LEXICON_SETS = frozenset({4, 5, 6, 7})
CLUSTER_SETS = frozenset({5, 7})
SUFFIX_SETS = frozenset({6, 7})


class Resources(NamedTuple):
    """What a feature set needs beyond the text: the name lexicon (LEXICON_SETS), the character
    clusters (CLUSTER_SETS) and the organisation endings (SUFFIX_SETS). A model keeps its own in
    model.npz."""

    lexicon: Lexicon | None = None
    clusters: CharClusters | None = None
    suffixes: OrgSuffixes | None = None

    def check(self, feature_set: int) -> None:
        if feature_set in LEXICON_SETS and self.lexicon is None:
            raise ValueError(f"feature set {feature_set} needs a name lexicon")
        if feature_set in CLUSTER_SETS and self.clusters is None:
            raise ValueError(f"feature set {feature_set} needs character clusters")
        if feature_set in SUFFIX_SETS and self.suffixes is None:
            raise ValueError(f"feature set {feature_set} needs organisation suffixes")


NO_RESOURCES = Resources()  # for the feature sets that need neither


def resource_arrays(resources: Resources) -> dict[str, np.ndarray]:
    """The resources as model.npz stores them (the names' hashes and types, no text); absent ones
    are left out."""
    lexicon, clusters, suffixes = resources
    out = {}
    if lexicon is not None:
        out["lexicon_keys"], out["lexicon_types"] = lexicon.keys, lexicon.types
        out["lexicon_max_len"] = np.array(lexicon.max_len)
    if clusters is not None:
        out["cluster_codes"], out["cluster_ids"] = clusters.codes, clusters.ids
    if suffixes is not None:
        out["suffix_keys"], out["suffix_max_len"] = suffixes.keys, np.array(suffixes.max_len)
    return out


RESOURCE_ARRAYS = (
    "lexicon_keys",
    "lexicon_types",
    "lexicon_max_len",
    "cluster_codes",
    "cluster_ids",
    "suffix_keys",
    "suffix_max_len",
)  # the names `resource_arrays` stores under


def resources_from_arrays(data) -> Resources:
    """The resources stored by `resource_arrays` in `data` (model.npz, or a dict of its arrays)."""
    lexicon = clusters = suffixes = None
    if "lexicon_keys" in data:
        lexicon = Lexicon(data["lexicon_keys"], data["lexicon_types"], int(data["lexicon_max_len"]))
    if "cluster_codes" in data:
        clusters = CharClusters(data["cluster_codes"], data["cluster_ids"])
    if "suffix_keys" in data:
        suffixes = OrgSuffixes(data["suffix_keys"], int(data["suffix_max_len"]))
    return Resources(lexicon, clusters, suffixes)


def read_meta(path: Path) -> dict:
    """A model directory's meta.json ({} when there is none)."""
    meta_path = path / META_FILE
    return json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}


def write_meta(path: Path, meta: dict) -> None:
    (path / META_FILE).write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


FEATURE_SET = 1  # the default here, needing no outside data; the shipped model is set 6 (mk/ner.mk)
_MASK = np.uint64((1 << 58) - 1)
BATCH_CHARS = 50_000  # characters per prediction batch (see CrfNer.predict)
_DENSE_SIZE = 0x10000  # values below this (the BMP, small ids) index dense weight tables
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0x165667B19E3779F9))


def _word_features(
    texts_words: list[list[str]], neighbours: bool = True, tags: bool = False
) -> dict[str, np.ndarray]:
    """Per character of the texts, one after the other (each given as its words): "pos", the
    position tag id (S=0; B/M/E x length 2..4: 1..9), "word", the hash of its word, with
    `neighbours` "before" and "after", the hashes of the words before and after in the same text
    (0 at the ends of a text), and with `tags` "tag", "tag_before" and "tag_after", their tags in
    jieba's dictionary (`_tags`; looked up once per word)."""
    words = [w for ws in texts_words for w in ws]
    lengths = np.fromiter(map(len, words), dtype=np.intp, count=len(words))
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))  # UTF-8
    per_char = np.repeat(np.arange(len(words)), lengths)  # the word of each character
    word_start = np.cumsum(lengths) - lengths
    at = np.arange(len(per_char)) - word_start[per_char]  # the character's place in its word
    n = lengths[per_char]
    size = (np.minimum(n, 4) - 2) * 3
    pos = np.where(at == 0, 1 + size, np.where(at == n - 1, 3 + size, 2 + size))
    pos[n == 1] = 0
    out = {"pos": pos.astype(np.uint64), "word": hashes[per_char]}
    if neighbours or tags:
        firsts = np.cumsum([0] + [len(ws) for ws in texts_words])  # the first word of each text
        before, after = np.zeros_like(hashes), np.zeros_like(hashes)
        before[1:], after[:-1] = hashes[:-1], hashes[1:]
        before[firsts[:-1]] = 0  # (every text has a word: empty texts are left out)
        after[firsts[1:] - 1] = 0
        if neighbours:
            out["before"], out["after"] = before[per_char], after[per_char]
        if tags:
            out["tag"] = _tags(hashes)[per_char]
            out["tag_before"] = _tags(before)[per_char]
            out["tag_after"] = _tags(after)[per_char]
    return out


@lru_cache(maxsize=1)
def _surnames() -> tuple[np.ndarray, np.ndarray]:
    """Code points of single-character surnames; (first << 21 | second) of double ones."""
    from pipeline.resolve import RESOURCES

    lines = (RESOURCES / "surnames.txt").read_text(encoding="utf-8").splitlines()
    names = [x.strip() for x in lines if x.strip() and not x.startswith("#")]
    single = np.array(sorted(ord(x) for x in names if len(x) == 1), dtype=np.uint64)
    double = np.array(sorted((ord(x[0]) << 21) | ord(x[1]) for x in names if len(x) == 2), dtype=np.uint64)
    return single, double


@lru_cache(maxsize=1)
def _dictionary_tags() -> KeyTable:
    """jieba's dictionary as a table from the crc32 of a word to its tag id (1 + index of the tag
    in order of first appearance; _OOV_TAG for a word not in it); the word hashes of
    `_word_features` look tags up here."""
    import jieba

    hashes: dict[int, int] = {}
    tag_ids: dict[str, int] = {}
    path = Path(jieba.__file__).with_name("dict.txt")
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 3:
                tag = tag_ids.setdefault(parts[2], len(tag_ids) + 1)
                hashes.setdefault(zlib.crc32(parts[0].encode("utf-8")), tag)
    keys = np.fromiter(hashes.keys(), dtype=np.uint64, count=len(hashes))
    return KeyTable(keys, np.fromiter(hashes.values(), dtype=np.uint64, count=len(hashes)), _OOV_TAG)


_OOV_TAG = np.uint64(255)  # a word jieba's dictionary lacks
_NO_WORD = np.uint64(254)  # before the first word, after the last


def _tags(word_hash: np.ndarray) -> np.ndarray:
    """The dictionary tag id of each word hash (_NO_WORD for 0, the hash of no word)."""
    out = _dictionary_tags().get(word_hash)
    out[word_hash == 0] = _NO_WORD
    return out


def _lexicon_values(lexicon: Lexicon, c: np.ndarray, at: np.ndarray) -> list[np.ndarray]:
    """The values of the lexicon templates for the characters at `at` of the padded stream `c`:
    per type (begin length << 8 | end length << 4 | inside), lengths capped at LENGTH_CAP; then
    the flags of all types (begin, inside, end: 3 bits per type)."""
    found = lexicon.features(c)
    cap = np.uint64(LENGTH_CAP)
    begin = np.minimum(found["begin"][:, at], cap)
    end = np.minimum(found["end"][:, at], cap)
    inside = found["inside"][at]
    one = np.uint64(1)
    values, flags = [], np.zeros(len(at), dtype=np.uint64)
    for t in range(len(TYPES)):
        within = (inside >> np.uint64(t)) & one
        values.append((begin[t] << np.uint64(8)) | (end[t] << np.uint64(4)) | within)
        bits = ((begin[t] > 0).astype(np.uint64) << np.uint64(2)) | (within << one) | (end[t] > 0)
        flags |= bits << np.uint64(3 * t)
    return [*values, flags]


def _hash3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return ((a * _MIX[0]) ^ (b * _MIX[1]) ^ (c * _MIX[2])) & _MASK


def _classes(codes: np.ndarray) -> np.ndarray:
    """0 other, 1 Han, 2 digit (ASCII or full-width), 3 Latin letter (ASCII or full-width)."""
    out = np.zeros(codes.shape, dtype=np.uint64)
    out[(codes >= 0x4E00) & (codes <= 0x9FFF)] = 1
    out[((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0xFF10) & (codes <= 0xFF19))] = 2
    letters = ((codes | 0x20) >= 0x61) & ((codes | 0x20) <= 0x7A)
    wide = ((codes >= 0xFF21) & (codes <= 0xFF3A)) | ((codes >= 0xFF41) & (codes <= 0xFF5A))
    out[letters | wide] = 3
    return out


def feature_keys(
    text: str,
    words: list[str] | None = None,
    feature_set: int = FEATURE_SET,
    resources: Resources = NO_RESOURCES,
) -> np.ndarray:
    """(len(text), number of templates) uint64 feature keys. `words`: a segmentation of `text`
    (None: rjieba with its built-in dictionary, as in training); `resources`: the lexicon and
    clusters the feature set needs."""
    return batch_feature_keys([text], None if words is None else [words], feature_set, resources)


def batch_feature_keys(
    texts: list[str],
    words: list[list[str]] | None = None,
    feature_set: int = FEATURE_SET,
    resources: Resources = NO_RESOURCES,
) -> np.ndarray:
    """The feature keys of several texts at once, their rows one after the other (each text is
    padded on its own, so its keys are those `feature_keys(text)` gives): one pass of numpy
    over the batch instead of one per text."""
    import rjieba

    templates = FEATURE_SETS[feature_set]
    resources.check(feature_set)
    total = sum(map(len, texts))
    if total == 0:
        return np.zeros((0, len(templates)), dtype=np.uint64)
    pad_before = np.array([_BOS, _BOS], dtype=np.uint64)
    pad_after = np.array([_EOS, _EOS], dtype=np.uint64)
    pieces: list[np.ndarray] = []
    texts_words: list[list[str]] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        cut = words[i] if words is not None else rjieba.cut(text)
        texts_words.append(cut if "".join(cut) == text else list(text))
        pieces += [
            pad_before,
            np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64),
            pad_after,
        ]
    c = np.concatenate(pieces)
    at = np.flatnonzero(c < _BOS)  # positions of the characters in the padded stream
    cm2, cm1, c0, cp1, cp2 = c[at - 2], c[at - 1], c[at], c[at + 1], c[at + 2]
    word = _word_features(texts_words, neighbours=feature_set == 2, tags=feature_set == 3)
    pos = word["pos"]
    cls = _classes(c)
    classes = (cls[at - 1] << np.uint64(4)) | (cls[at] << np.uint64(2)) | cls[at + 1]
    values = [
        c0,
        cm1,
        cp1,
        cm2,
        cp2,
        (cm1 << _CP) | c0,
        (c0 << _CP) | cp1,
        (cm1 << _CP) | cp1,
        (cm2 << _CP) | cm1,
        (cp1 << _CP) | cp2,
        pos,
        (pos << _CP) | c0,
        word["word"],
        classes,
        np.zeros(total, dtype=np.uint64),
    ]
    if feature_set == 2:
        single, double = _surnames()
        is_single = np.isin(c, single).astype(np.uint64)
        starts_double = np.isin((c[at] << _CP) | c[at + 1], double).astype(np.uint64)
        surnames = (is_single[at - 2] << np.uint64(3)) | (is_single[at - 1] << np.uint64(2))
        surnames |= (is_single[at] << np.uint64(1)) | starts_double
        values += [
            _hash3(cm1, c0, cp1),
            _hash3(cm2, cm1, c0),
            _hash3(c0, cp1, cp2),
            surnames,
            word["before"],
            word["after"],
        ]
    if feature_set == 3:
        tag, tag_before, tag_after = word["tag"], word["tag_before"], word["tag_after"]
        values += [
            tag,
            (tag << np.uint64(8)) | pos,
            tag_before,
            tag_after,
            (tag_before << np.uint64(16)) | (tag << np.uint64(8)) | tag_after,
        ]
    if feature_set in LEXICON_SETS:
        values += _lexicon_values(resources.lexicon, c, at)
        flags = values[-1]  # the "lex" template: begin, inside, end bits per type
    if feature_set in CLUSTER_SETS:
        cl = resources.clusters.of(c)
        clm1, cl0, clp1 = cl[at - 1], cl[at], cl[at + 1]
        values += [clm1, cl0, clp1, (clm1 << np.uint64(16)) | cl0, (cl0 << np.uint64(16)) | clp1]
    if feature_set in SUFFIX_SETS:
        ahead = resources.suffixes.ahead(c, cls)[at]
        one = np.uint64(1)
        begins = sum(((flags >> np.uint64(3 * t + 2)) & one) << np.uint64(t) for t in range(len(TYPES)))
        values += [ahead, (ahead << np.uint64(4)) | begins, (ahead << np.uint64(8)) | pos]
    # one template's keys contiguous (Fortran order): they are written, and read by `emissions`,
    # a template at a time (0.3 s less per 1,000,000 characters than rows of 22 keys)
    keys = np.empty((total, len(templates)), dtype=np.uint64, order="F")
    for t, value in enumerate(values):
        keys[:, t] = (np.uint64(t) << _SHIFT) | value
    return keys


# --------------------------------------------------------------------------- the model


class CrfNer:
    """The exported CRF: sorted feature keys, their weight rows, label transitions."""

    def __init__(
        self,
        keys: np.ndarray,
        weights: np.ndarray,
        transitions: np.ndarray,
        labels: list[str],
        feature_set: int = FEATURE_SET,
        resources: Resources = NO_RESOURCES,
    ):
        resources.check(feature_set)
        self.keys = keys
        self.weights = weights
        self.transitions = transitions
        self.labels = list(labels)
        self.feature_set = feature_set
        self.resources = resources
        self.meta: dict = {}

    @classmethod
    def from_disk(cls, path: str | Path) -> CrfNer:
        path = Path(path)
        with np.load(path / MODEL_FILE) as data:
            keys, rows, cols, values = data["keys"], data["rows"], data["cols"], data["values"]
            labels = [str(x) for x in data["labels"]]
            transitions = data["transitions"].astype(np.float32)
            feature_set = int(data["feature_set"]) if "feature_set" in data else 1
            resources = resources_from_arrays(data)
        if feature_set not in FEATURE_SETS:
            raise ValueError(f"{path}: feature set {feature_set} is unknown to this version of the code")
        weights = np.zeros((len(keys), len(labels)), dtype=np.float32)
        weights[rows, cols] = values
        model = cls(keys, weights, transitions, labels, feature_set, resources)
        model.meta = read_meta(path)
        return model

    def to_disk(self, path: str | Path, meta: dict | None = None) -> None:
        """Weights stored sparse (most are zero after L1) as float16; keys as uint64."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        rows, cols = np.nonzero(self.weights)
        np.savez_compressed(
            path / MODEL_FILE,
            keys=self.keys,
            rows=rows.astype(np.uint32),
            cols=cols.astype(np.uint8),
            values=self.weights[rows, cols].astype(np.float16),
            transitions=self.transitions.astype(np.float32),
            labels=np.array(self.labels),
            feature_set=np.array(self.feature_set),
            **resource_arrays(self.resources),
        )
        write_meta(path, meta or self.meta)

    def emissions(self, keys: np.ndarray) -> np.ndarray:
        """(n, labels) state scores for (n, templates) feature keys."""
        if keys.shape[0] == 0 or len(self.keys) == 0:
            return np.zeros((keys.shape[0], len(self.labels)), dtype=np.float32)
        dense = self._dense_tables()
        scores = np.zeros((keys.shape[0], len(self.labels)), dtype=np.float32)
        for t in range(keys.shape[1]):
            column = keys[:, t]
            if t not in dense:
                scores += self._lookup(column)
                continue
            # a template over single characters (or small ids): most values index a dense table,
            # the rest (characters beyond U+FFFF, the padding) are looked up in the hashed keys
            row_of, table = dense[t]
            values = (column & _MASK).astype(np.intp)
            big = values >= _DENSE_SIZE
            if not big.any():
                scores += table[row_of[values]]
                continue
            rows = table[row_of[np.where(big, 0, values)]]
            rows[big] = self._lookup(column[big])
            scores += rows
        return scores

    def label_scores(self, texts: list[str]) -> list[np.ndarray]:
        """(len(text), labels) state scores per text (what an ensemble sums, pipeline/ner/ensemble.py)."""
        keys = batch_feature_keys(texts, None, self.feature_set, self.resources)
        return split_rows(self.emissions(keys), texts)

    def _lookup(self, column: np.ndarray) -> np.ndarray:
        """The weight rows of `column`'s keys (zero for keys the model does not have)."""
        return self._hashed().get(column)

    def _sorted_lookup(self, column: np.ndarray) -> np.ndarray:
        """_lookup by binary search in the sorted keys (the reference the hash table is tested against)."""
        idx = np.searchsorted(self.keys, column)
        idx[idx >= len(self.keys)] = 0
        found = self.keys[idx] == column
        rows = np.zeros((column.shape[0], len(self.labels)), dtype=np.float32)
        rows[found] = self.weights[idx[found]]
        return rows

    def _hashed(self) -> KeyTable:
        """The keys the dense tables do not serve, in a hash table."""
        if getattr(self, "_table", None) is None:
            served = self._densely_served()
            self._table = KeyTable(self.keys[~served], self.weights[~served])
        return self._table

    def _densely_served(self) -> np.ndarray:
        """Per key: whether a dense table holds its weights (recorded when they are built)."""
        self._dense_tables()
        return self._served

    def _dense_tables(self) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        """Per template whose keys are mostly values below _DENSE_SIZE (the characters at -2..+2,
        word positions, classes, bias): (row of each value, uint16 or int32; the weight rows, row 0
        all zero). Compact, so that worker processes on one machine do not crowd each other out of
        the shared cache: a full (_DENSE_SIZE, labels) table per template would be 3 MB with 13
        labels, while a few thousand characters have weights. Built once per model."""
        if getattr(self, "_dense", None) is None:
            self._dense = {}
            self._served = np.zeros(len(self.keys), dtype=bool)
            templates = self.keys >> _SHIFT
            values = self.keys & _MASK
            for t in np.unique(templates):
                mine = templates == t
                small = mine & (values < _DENSE_SIZE)
                if small.sum() < 0.9 * mine.sum():
                    continue
                self._served |= small
                n = int(small.sum())
                row_of = np.zeros(_DENSE_SIZE, dtype=np.uint16 if n < 0xFFFF else np.int32)
                row_of[values[small].astype(np.intp)] = np.arange(1, n + 1)
                table = np.zeros((n + 1, len(self.labels)), dtype=np.float32)
                table[1:] = self.weights[small]
                self._dense[int(t)] = (row_of, table)
        return self._dense

    def viterbi(self, batch: list[np.ndarray]) -> list[np.ndarray]:
        """Best label ids per sequence, for emission matrices of any lengths (`viterbi_paths`)."""
        return viterbi_paths(batch, self.transitions)

    def predict(self, texts: Iterable[str], batch_chars: int = BATCH_CHARS) -> Iterator[list[Span]]:
        """Entity spans (start, end, label), character offsets, per text, in order.

        Texts are batched by length (similar lengths together) up to `batch_chars` characters: the
        Viterbi pass costs one numpy step per position of a batch's longest text, whatever the
        number of texts in it, so large batches of short sentences are cheap."""
        texts = list(texts)
        results: list[list[Span]] = [[] for _ in texts]
        outside = self.labels.index("O") if "O" in self.labels else -1
        for ids in length_batches(texts, batch_chars):
            batch = [texts[i] for i in ids]
            scores = self.emissions(batch_feature_keys(batch, None, self.feature_set, self.resources))
            for i, path in zip(ids, self.viterbi(split_rows(scores, batch)), strict=True):
                inside = np.flatnonzero(path != outside)
                if len(inside):  # decode the stretch from the first to the last entity label
                    a, b = int(inside[0]), int(inside[-1]) + 1
                    results[i] = [
                        (s + a, e + a, x) for s, e, x in decode([self.labels[k] for k in path[a:b]])
                    ]
        yield from results


def viterbi_paths(batch: list[np.ndarray], transitions: np.ndarray) -> list[np.ndarray]:
    """Best label ids per sequence, for emission matrices of any lengths (batched over them), with
    `transitions`[from, to] the label transition scores.

    The sequences are taken shortest first, so at each position the ones still running are
    the last rows: a step works on those only, and the cost follows the number of characters,
    not the number of sequences times the longest."""
    if not batch:
        return []
    n_labels = transitions.shape[0]
    lengths = np.array([len(e) for e in batch])
    order = np.argsort(lengths, kind="stable")
    lengths = lengths[order]
    longest = int(lengths[-1])
    if longest == 0:
        return [np.zeros(0, dtype=np.int16) for _ in batch]
    scores = np.zeros((len(batch), longest, n_labels), dtype=np.float32)
    for row, i in enumerate(order):
        scores[row, : lengths[row]] = batch[i]
    # delta: the best score of a path ending in each label; a row stops changing after its
    # sequence's last position, where it holds the sequence's final scores
    delta = scores[:, 0, :].copy()
    back = np.zeros((len(batch), longest, n_labels), dtype=np.int16)
    into = np.ascontiguousarray(transitions.T)[None, :, :]  # [0, to, from]
    for t in range(1, longest):
        first = int(np.searchsorted(lengths, t, side="right"))  # rows longer than t
        # (rows, to, from): the best previous label per label, over the contiguous last axis
        cand = delta[first:, None, :] + into
        came_from = cand.argmax(axis=2)
        back[first:, t, :] = came_from
        best = np.take_along_axis(cand, came_from[:, :, None], axis=2)[:, :, 0]
        delta[first:] = best + scores[first:, t, :]
    last = delta.argmax(axis=1)  # the best final label of each sequence
    # follow the back pointers of all sequences at once, from the end of the longest; a
    # sequence's own path starts at its last position (the steps after it are overwritten)
    rows = np.arange(len(batch))
    path = np.zeros((len(batch), longest), dtype=np.intp)
    current = np.zeros(len(batch), dtype=np.intp)
    for t in range(longest - 1, -1, -1):
        ending = lengths == t + 1
        current[ending] = last[ending]
        path[:, t] = current
        if t:
            current = back[rows, t, current]
    paths: list[np.ndarray] = [np.zeros(0, dtype=np.int16)] * len(batch)
    for row, i in enumerate(order):
        paths[i] = path[row, : lengths[row]].astype(np.int16)
    return paths


class KeyTable:
    """An open-addressing hash table from uint64 keys to values (rows of an array; linear
    probing, at most half full): a lookup costs one or two probes where a binary search over the
    keys costs log2(n) scattered reads. Lookups are vectorised: all keys probe at once, then those
    that collided probe again, and so on. Used for the model's feature weights and for the tags
    of jieba's dictionary.

    Most keys asked for are not in the table (99.8 % of the lexicon's substrings, 60 % of the
    feature keys), and most of those are answered before any probe: per slot, one byte holds a bit
    for each value of the next 3 hash bits among the keys whose home is that slot (`_signatures`);
    a key whose bit is clear is not in the table (an eighth of a slot's load gets through: at most
    6 %). 0.45 s less per 1,000,000 characters in the NER stage's features and state scores."""

    _EMPTY = np.uint64(0xFFFFFFFFFFFFFFFF)  # no key: template ids stop well below 2**6

    def __init__(self, keys: np.ndarray, values: np.ndarray, missing=0):
        bits = max(4, int(2 * max(len(keys), 1) - 1).bit_length())
        self.mask = (1 << bits) - 1
        self.shift = np.uint64(64 - bits)
        self.slots = np.full(1 << bits, self._EMPTY, dtype=np.uint64)
        self.row_of = np.full(1 << bits, len(keys), dtype=np.int32)  # len(keys): the `missing` row
        # the values plus the row that keys not in the table point to
        self.values = np.concatenate([values, np.full((1, *values.shape[1:]), missing, dtype=values.dtype)])
        pending = np.arange(len(keys))
        home = self._home(keys)
        while len(pending):  # place every key whose slot is free; the others move one slot on
            slot = home[pending]
            free = self.slots[slot] == self._EMPTY
            first = np.zeros(len(pending), dtype=bool)
            _, at = np.unique(slot, return_index=True)
            first[at] = True  # one key per slot per round
            placed = free & first
            self.slots[slot[placed]] = keys[pending[placed]]
            self.row_of[slot[placed]] = pending[placed]
            pending = pending[~placed]
            home[pending] = (home[pending] + 1) & self.mask
        home, bit = self._home_and_bit(keys)
        self.signatures = np.zeros(len(self.slots), dtype=np.uint8)
        np.bitwise_or.at(self.signatures, home, np.left_shift(np.uint8(1), bit))

    def _home(self, keys: np.ndarray) -> np.ndarray:
        return ((keys * _MIX[0]) >> self.shift).astype(np.intp)

    def _home_and_bit(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each key's home slot (`_home`) and the 3 hash bits after it (0-7, uint8)."""
        h = ((keys * _MIX[0]) >> (self.shift - np.uint64(3))).astype(np.intp)
        return h >> 3, (h & 7).astype(np.uint8)

    def row_index(self, keys: np.ndarray) -> np.ndarray:
        """Index into self.values per key (the `missing` row for keys not in the table)."""
        out = np.full(len(keys), len(self.values) - 1, dtype=np.intp)
        home, bit = self._home_and_bit(keys)
        pending = np.flatnonzero(np.right_shift(self.signatures[home], bit) & np.uint8(1))
        slot = home[pending]
        while len(pending):
            found = self.slots[slot]
            hit = found == keys[pending]
            out[pending[hit]] = self.row_of[slot[hit]]
            go_on = ~hit & (found != self._EMPTY)
            pending = pending[go_on]
            slot = (slot[go_on] + 1) & self.mask
        return out

    def get(self, keys: np.ndarray) -> np.ndarray:
        return self.values[self.row_index(keys)]


def length_batches(texts: list[str], batch_chars: int = BATCH_CHARS) -> list[list[int]]:
    """Indices of `texts` in batches of similar lengths (shortest first), each of at most
    `batch_chars` characters (or one longer text)."""
    batches: list[list[int]] = []
    size = 0
    for i in sorted(range(len(texts)), key=lambda i: len(texts[i])):
        if not batches or (batches[-1] and size + len(texts[i]) > batch_chars):
            batches.append([])
            size = 0
        batches[-1].append(i)
        size += len(texts[i])
    return batches


def padded_batches(texts: list[str], batch_chars: int) -> list[list[int]]:
    """Indices of `texts` in batches of similar lengths (shortest first) whose padded size, the
    number of texts times the longest, stays within `batch_chars` (or one longer text): for models
    that step through every padded position (the BiLSTM-CRF)."""
    batches: list[list[int]] = []
    for i in sorted(range(len(texts)), key=lambda i: len(texts[i])):
        if not batches or (len(batches[-1]) + 1) * len(texts[i]) > batch_chars:
            batches.append([])
        batches[-1].append(i)
    return batches


def predict_padded(model, texts: Iterable[str], batch_chars: int) -> list[list[Span]]:
    """Entity spans per text, in order, from a linear-chain model with `labels`, `transitions`
    ([from, to]) and `label_scores(texts)` (the BiLSTM-CRF, an ensemble), batched by padded size."""
    texts = list(texts)
    results: list[list[Span]] = [[] for _ in texts]
    for ids in padded_batches(texts, batch_chars):
        kept = [i for i in ids if texts[i]]
        if not kept:
            continue
        paths = viterbi_paths(model.label_scores([texts[i] for i in kept]), model.transitions)
        for i, path in zip(kept, paths, strict=True):
            results[i] = decode([model.labels[k] for k in path])
    return results


def split_rows(rows: np.ndarray, texts: list[str]) -> list[np.ndarray]:
    """The rows of a batch (one per character, the texts one after the other), per text."""
    bounds = np.cumsum([0] + [len(t) for t in texts])
    return [rows[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


# --------------------------------------------------------------------------- training


def read_docbin(path: Path, missing_as: str | None = None) -> Iterator[tuple[str, list[str]]]:
    """(text, BIO tags) of a DocBin written by pipeline.ner.convert. Characters whose annotation
    is missing (CLUENER's address and scene spans) have no tag: a CRF needs every label, so such
    sentences are skipped, or with `missing_as` ("LOC") each run of them becomes one entity of
    that type."""
    from spacy.tokens import DocBin

    from pipeline.ner.convert import blank_nlp

    for doc in DocBin().from_disk(path).get_docs(blank_nlp().vocab):
        tags = [t.tag_ for t in doc]
        if "" in tags:
            if missing_as is None:
                continue
            tags = [
                (f"I-{missing_as}" if i and tags[i - 1] == "" else f"B-{missing_as}") if tag == "" else tag
                for i, tag in enumerate(tags)
            ]
        yield doc.text, tags


def _attributes(text: str, feature_set: int, resources: Resources) -> list[list[str]]:
    return [[format(int(k), "x") for k in row] for row in feature_keys(text, None, feature_set, resources)]


def train(
    data: Path,
    out: Path,
    iterations: int = 150,
    c1: float = 0.05,
    c2: float = 0.01,
    minfreq: int = 1,
    limit: int | None = None,
    feature_set: int = FEATURE_SET,
    tags: str = "bio",
    lexicon_source: Path | None = None,
    clusters_from: Path | None = None,
    missing_as: str | None = None,
) -> dict:
    """Train with CRFsuite on DATA/train.spacy (labels as BIO tags, or BIOES with `tags`="bioes").
    A feature set in LEXICON_SETS takes its names from `lexicon_source`, People's Daily
    (peoples_daily/199801.utf8; see pipeline/ner/lexicon.py); the model keeps their hashes. A
    set in CLUSTER_SETS learns character clusters from the unlabelled text of the training corpora
    in `clusters_from` (../shared/data; see pipeline/ner/clusters.py)."""
    import pycrfsuite

    lexicon = None
    if feature_set in LEXICON_SETS:
        if lexicon_source is None:
            raise ValueError(f"feature set {feature_set} needs --lexicon (peoples_daily/199801.utf8)")
        lexicon = Lexicon.from_peoples_daily(lexicon_source)
    clusters = None
    if feature_set in CLUSTER_SETS:
        if clusters_from is None:
            raise ValueError(f"feature set {feature_set} needs --clusters-from (../shared/data)")
        from pipeline.ner.clusters import learn, training_texts

        clusters = learn(training_texts(clusters_from))
    suffixes = OrgSuffixes.from_peoples_daily(lexicon_source) if feature_set in SUFFIX_SETS else None
    resources = Resources(lexicon, clusters, suffixes)

    trainer = pycrfsuite.Trainer(verbose=False)
    started = time.perf_counter()
    n = 0
    for text, labels in read_docbin(data / "train.spacy", missing_as):
        if limit is not None and n >= limit:
            break
        trainer.append(
            _attributes(text, feature_set, resources), to_bioes(labels) if tags == "bioes" else labels
        )
        n += 1
    loaded = time.perf_counter() - started
    if n == 0:
        raise ValueError(
            f"{data / 'train.spacy'}: no sentence with every character tagged (BIO tags in token.tag_); "
            "write the data with `python -m pipeline.ner.convert`"
        )
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
            "feature.minfreq": minfreq,
        }
    )
    out.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out / "crf.crfsuite"))
    model = export(out / "crf.crfsuite", feature_set, resources)
    info = {
        "feature_set": feature_set,
        "lexicon": None if lexicon is None else {"source": lexicon_source.name, "names": len(lexicon)},
        "clusters": None if clusters is None else {"characters": len(clusters), "k": int(clusters.ids.max())},
        "org_suffixes": None if suffixes is None else len(suffixes),
        "tags": tags,
        "missing_as": missing_as,
        "sentences": n,
        "iterations": iterations,
        "c1": c1,
        "c2": c2,
        "minfreq": minfreq,
        "load_seconds": round(loaded, 1),
        "train_seconds": round(time.perf_counter() - started - loaded, 1),
        "features": int(len(model.keys)),
        "nonzero_weights": int(np.count_nonzero(model.weights)),
        "last_iteration": trainer.logparser.last_iteration,
    }
    info["dev"] = score(model, data / "dev.spacy")
    model.to_disk(out, meta={"name": "ner_zh_crf", "training": info})
    return info


def export(crfsuite_model: Path, feature_set: int, resources: Resources = NO_RESOURCES) -> CrfNer:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crfsuite_model))
    info = tagger.info()
    labels = sorted(tagger.labels())
    index = {label: i for i, label in enumerate(labels)}
    keys = sorted({int(attr, 16) for attr, _ in info.state_features})
    key_index = {k: i for i, k in enumerate(keys)}
    weights = np.zeros((len(keys), len(labels)), dtype=np.float32)
    for (attr, label), w in info.state_features.items():
        weights[key_index[int(attr, 16)], index[label]] = w
    transitions = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        transitions[index[a], index[b]] = w
    tagger.close()
    return CrfNer(np.array(keys, dtype=np.uint64), weights, transitions, labels, feature_set, resources)


def score(model: CrfNer, path: Path) -> dict:
    """Entity micro P/R/F of `model` on a DocBin (exact spans and labels)."""
    items = list(read_docbin(path))
    return span_prf((decode(tags) for _, tags in items), model.predict([t for t, _ in items]))


def package(source: Path, target: Path) -> dict:
    """Copy a trained CRF (model.npz, meta.json) into the repository; a README.md there is kept."""
    model = CrfNer.from_disk(source)
    return ship(
        model,
        target,
        {
            "feature_set": model.feature_set,
            "license": "research-only (training data: MSRA NER, SIGHAN 2006; CLUENER2020"
            + (
                "; names and endings from People's Daily 1998, PKU"
                if model.resources.lexicon is not None
                else ""
            )
            + ")",
        },
    )


def ship(model, target: Path, meta_updates: dict) -> dict:
    """Write `model` (anything with `meta`, `labels` and `to_disk`, storing MODEL_FILE and
    META_FILE) into `target`, a directory of the repository, with its meta updated: the name, the
    labels, `meta_updates` and the version. Other files there go (e.g. a spaCy model that used to
    be shipped there), but a README.md is kept."""
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.iterdir():
        if stale.name != "README.md":
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    meta = {**model.meta, "name": target.name, "labels": model.labels, **meta_updates}
    model.to_disk(target, meta=meta)
    # the version names the weights: the first hex digits of model.npz's SHA-256 (the run summary
    # and the records' provenance say which model made them)
    meta["version"] = hashlib.sha256((target / MODEL_FILE).read_bytes()).hexdigest()[:12]
    write_meta(target, meta)
    return {"size_bytes": sum(p.stat().st_size for p in target.iterdir() if p.is_file()), **meta}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train on DATA/train.spacy, score on DATA/dev.spacy, write OUT")
    t.add_argument("data", type=Path)
    t.add_argument("out", type=Path)
    t.add_argument("--iterations", type=int, default=150)
    t.add_argument("--c1", type=float, default=0.05)
    t.add_argument("--c2", type=float, default=0.01)
    t.add_argument("--minfreq", type=int, default=1)
    t.add_argument("--limit", type=int, default=None, help="train on the first N sentences only")
    t.add_argument("--feature-set", type=int, default=FEATURE_SET, choices=sorted(FEATURE_SETS))
    t.add_argument("--tags", default="bio", choices=("bio", "bioes"), help="the label scheme trained")
    t.add_argument("--lexicon", type=Path, help="peoples_daily/199801.utf8, for feature sets 4-6")
    t.add_argument("--clusters-from", type=Path, help="../shared/data, for feature set 5")
    t.add_argument("--missing-as", help="train on sentences with unannotated spans, as entities of this type")
    k = sub.add_parser("package", help="copy a trained CRF into the repository")
    k.add_argument("source", type=Path)
    k.add_argument("target", type=Path)
    args = parser.parse_args()
    if args.command == "package":
        print(json.dumps(package(args.source, args.target), indent=1, ensure_ascii=False))
    if args.command == "train":
        info = train(
            args.data,
            args.out,
            args.iterations,
            args.c1,
            args.c2,
            args.minfreq,
            args.limit,
            args.feature_set,
            args.tags,
            args.lexicon,
            args.clusters_from,
            args.missing_as,
        )
        print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
