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
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path

CACHE_FORMAT = 1

# Buckets: first character -> (the words and prefixes that start with it, joined by "\n"; their
# frequencies, joined by " ").
Buckets = dict[str, tuple[str, str]]


def _cache_path(dictionary: Path) -> Path:
    stat = dictionary.stat()
    key = f"{CACHE_FORMAT}|{dictionary.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    name = f"bulletin-pipeline.jieba-buckets.{hashlib.sha1(key.encode()).hexdigest()[:16]}.cache"
    return Path(tempfile.gettempdir()) / name


def build_buckets(dictionary: Path) -> tuple[Buckets, int]:
    """jieba's prefix dictionary of `dictionary` (`gen_pfdict`: its words, their prefixes with
    frequency 0, and the total), grouped by first character."""
    import jieba

    with dictionary.open("rb") as handle:
        freq, total = jieba.Tokenizer.gen_pfdict(handle)
    words: dict[str, list[str]] = {}
    counts: dict[str, list[str]] = {}
    for word, count in freq.items():
        words.setdefault(word[0], []).append(word)
        counts.setdefault(word[0], []).append(str(count))
    return {ch: ("\n".join(words[ch]), " ".join(counts[ch])) for ch in words}, total


def load_buckets(dictionary: Path) -> tuple[Buckets, int]:
    """The buckets of `dictionary`, from the cache file (written when missing or stale)."""
    path = _cache_path(dictionary)
    try:
        with path.open("rb") as handle:
            buckets, total = marshal.load(handle)
        return buckets, total
    except (OSError, EOFError, ValueError, TypeError):
        pass
    buckets, total = build_buckets(dictionary)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            marshal.dump((buckets, total), handle)
        os.replace(tmp, path)
    except OSError:  # no writable temporary directory: built again next time
        tmp.unlink(missing_ok=True)
    return buckets, total


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
