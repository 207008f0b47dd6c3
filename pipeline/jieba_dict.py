"""jieba's prefix dictionary, loaded one first character at a time: jieba's cut without its start-up.

`jieba.Tokenizer.initialize()` loads the whole prefix dictionary (584,000 words and prefixes, from
a marshal cache) before the first cut: about 0.5 s and 60 MB in every process, where the pipeline
cuts a few short spans per article with it (the merge stage's clause checks). `LazyTokenizer` is a
`jieba.Tokenizer` whose dictionary holds, before each cut, the entries of the characters of the
text cut and no others. Every dictionary look-up of jieba's cut (and of `add_word` and
`suggest_freq`) is of a piece of the text being cut, so it starts with one of those characters and
finds what the whole dictionary holds: the words are the same as jieba's, always. The entries are
grouped by first character once per machine, from jieba's own `gen_pfdict` over its dictionary, into
a cache file next to jieba's own (`jieba.cache` in the temporary directory), and read from there.

`word_tag_table()` is the same dictionary's POS tags (word -> tag, for the organisation stage and
the stages after it), grouped by first character in a cache file of its own the same way, one
string per first character that a look-up searches (the answers remembered): 0.03 s to open and
6 MB, where parsing jieba's dict.txt into a dict took 0.25 s in every process and 40-54 MB once a
large run had looked up most first characters. Neither needs jieba imported (0.1 s): the
dictionary is found with `importlib.util.find_spec`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

CACHE_FORMAT = 1
T = TypeVar("T")

# Buckets: first character -> (the words and prefixes that start with it, joined by "\n"; their
# frequencies, joined by " ").
Buckets = dict[str, tuple[str, str]]


def default_dictionary() -> Path:
    """jieba's own dict.txt, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - jieba is a project dependency
        raise ModuleNotFoundError("jieba is not installed: pip install jieba")
    return Path(spec.origin).with_name("dict.txt")


def _cache_path(dictionary: Path, kind: str = "buckets") -> Path:
    stat = dictionary.stat()
    key = f"{CACHE_FORMAT}|{dictionary.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    name = f"bulletin-pipeline.jieba-{kind}.{hashlib.sha1(key.encode()).hexdigest()[:16]}.cache"
    return Path(tempfile.gettempdir()) / name


def _cached(dictionary: Path, kind: str, build: Callable[[Path], T]) -> T:
    """`build(dictionary)`, from its cache file of `kind` (written when missing or stale)."""
    path = _cache_path(dictionary, kind)
    try:
        with path.open("rb") as handle:
            return marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        pass
    built = build(dictionary)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            marshal.dump(built, handle)
        os.replace(tmp, path)
    except OSError:  # no writable temporary directory: built again next time
        tmp.unlink(missing_ok=True)
    return built


def _grouped(pairs: Iterable[tuple[str, str]]) -> Buckets:
    """(word, value) pairs grouped by first character: {ch: (words by "\n", values by " ")}."""
    words: dict[str, list[str]] = {}
    values: dict[str, list[str]] = {}
    for word, value in pairs:
        words.setdefault(word[0], []).append(word)
        values.setdefault(word[0], []).append(value)
    return {ch: ("\n".join(words[ch]), " ".join(values[ch])) for ch in words}


def build_buckets(dictionary: Path) -> tuple[Buckets, int]:
    """jieba's prefix dictionary of `dictionary` (`gen_pfdict`: its words, their prefixes with
    frequency 0, and the total), grouped by first character."""
    import jieba

    with dictionary.open("rb") as handle:
        freq, total = jieba.Tokenizer.gen_pfdict(handle)
    return _grouped((word, str(count)) for word, count in freq.items()), total


def load_buckets(dictionary: Path) -> tuple[Buckets, int]:
    """The buckets of `dictionary`, from the cache file (written when missing or stale)."""
    buckets, total = _cached(dictionary, "buckets", build_buckets)
    return buckets, total


def read_word_tags(dictionary: Path) -> dict[str, str]:
    """word -> POS tag of a jieba dictionary file ("x" for a word given without one; a later line
    of the same word wins)."""
    tags: dict[str, str] = {}
    with dictionary.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
            elif parts:
                tags[parts[0]] = "x"
    return tags


def build_tag_buckets(dictionary: Path) -> dict[str, str]:
    """The tags of `dictionary` (`read_word_tags`) by first character, each bucket one string
    "\nword\ttag\nword\ttag\n" (searched, never split: 6 MB where a dict of the words takes 40)."""
    lines: dict[str, list[str]] = {}
    for word, tag in read_word_tags(dictionary).items():
        lines.setdefault(word[0], []).append(f"{word}\t{tag}")
    return {ch: "\n" + "\n".join(bucket) + "\n" for ch, bucket in lines.items()}


class WordTags:
    """word -> POS tag, like a read-only dict (`get`, `in`): a word is searched for in the bucket
    string of its first character (jieba's dictionary) and the answer remembered; the `overrides`
    (the project dictionary) win over the buckets."""

    MEMO_LIMIT = 1 << 17  # answers remembered (a 1,000,000-character run asks for 55,000 words)

    def __init__(self, buckets: dict[str, str], overrides: dict[str, str]) -> None:
        self._buckets = buckets
        self._overrides = dict(overrides)
        self._memo = dict(overrides)  # word -> tag, "" for a word the dictionary lacks

    def _search(self, word: str) -> str:
        bucket = self._buckets.get(word[:1])
        if bucket is None:
            return ""
        at = bucket.find(f"\n{word}\t")
        if at < 0:
            return ""
        at += len(word) + 2
        return bucket[at : bucket.index("\n", at)]

    def get(self, word: str, default=None):
        tag = self._memo.get(word)
        if tag is None:
            if len(self._memo) >= self.MEMO_LIMIT:
                self._memo = dict(self._overrides)
            tag = self._memo[word] = self._search(word)
        return tag or default

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


def word_tag_table(overrides: dict[str, str], dictionary: Path | None = None) -> WordTags:
    """The POS tags of jieba's dictionary (or `dictionary`), with `overrides` on top."""
    path = dictionary or default_dictionary()
    return WordTags(_cached(path, "word-tags", build_tag_buckets), overrides)


def lazy_tokenizer():
    """A `LazyTokenizer` over jieba's default dictionary (jieba is imported here, not before)."""
    import jieba

    class LazyTokenizer(jieba.Tokenizer):
        """`jieba.Tokenizer` with the prefix dictionary filled per first character before each cut."""

        def initialize(self, dictionary=None):
            if self.initialized:
                return
            path = Path(self.dictionary or Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME))
            self._pending, self.total = load_buckets(path)
            self.FREQ = {}
            self.initialized = True

        def need(self, text: str) -> None:
            """Fill the dictionary with the entries of every character of `text`."""
            self.check_initialized()
            pending = self._pending
            if not pending:
                return
            for ch in set(text):
                bucket = pending.pop(ch, None)
                if bucket is not None:
                    words, counts = bucket
                    self.FREQ.update(zip(words.split("\n"), map(int, counts.split(" ")), strict=True))

        def cut(self, sentence, cut_all=False, HMM=True, use_paddle=False):
            self.need(sentence)
            return super().cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)

        def add_word(self, word, freq=None, tag=None):
            self.need(word)
            return super().add_word(word, freq, tag)

        def suggest_freq(self, segment, tune=False):
            self.need(segment if isinstance(segment, str) else "".join(segment))
            return super().suggest_freq(segment, tune)

    return LazyTokenizer()
