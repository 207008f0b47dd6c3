"""Word segmenters behind one interface, with the project's domain dictionary.

`get_segmenter("jieba")` (default) or `get_segmenter("pkuseg", model=...)`. A segmenter's
`cut(text)` returns words whose concatenation is exactly `text` (whitespace included), so
spaCy docs built from them keep the article text and its offsets.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

DOMAIN_DICTIONARY = "domain_words.txt"


def domain_dictionary_path() -> Path:
    return Path(str(resources.files("pipeline.resources.zh").joinpath(DOMAIN_DICTIONARY)))


def domain_words() -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, POS) from the project dictionary; comments and blanks skipped."""
    entries = []
    for line in domain_dictionary_path().read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], freq, tag))
    return entries


class Segmenter(Protocol):
    name: str

    def cut(self, text: str) -> list[str]: ...


class JiebaSegmenter:
    """jieba in precise mode with HMM, its own `Tokenizer` instance plus the domain dictionary."""

    name = "jieba"

    def __init__(self, use_domain_dictionary: bool = True) -> None:
        import jieba

        self._tok = jieba.Tokenizer()
        self._tok.initialize()
        if use_domain_dictionary:
            for word, freq, tag in domain_words():
                self._tok.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        return list(self._tok.cut(text, HMM=True))


class PkusegSegmenter:
    """spacy-pkuseg (the maintained pkuseg fork) with a named or trained model.

    `model` is a pretrained name ("default", "news", ...; downloaded by pkuseg itself, which
    needs network access to GitHub) or a directory holding a trained model
    (`make train-segmenter` writes one).
    """

    name = "pkuseg"

    def __init__(self, model: str | Path = "default", use_domain_dictionary: bool = True) -> None:
        try:
            import spacy_pkuseg
        except ImportError as exc:  # pragma: no cover - installed with the project
            raise ImportError("pkuseg needs the 'spacy-pkuseg' package: pip install spacy-pkuseg") from exc
        user_dict = [w for w, _, _ in domain_words()] if use_domain_dictionary else "default"
        self._seg = spacy_pkuseg.pkuseg(model_name=str(model), user_dict=user_dict)

    def cut(self, text: str) -> list[str]:
        # pkuseg drops whitespace; put it back so the words cover the text exactly.
        return _realign(text, self._seg.cut(text))


def _realign(text: str, words: list[str]) -> list[str]:
    """Words that concatenate to `text`: whitespace between segmenter words becomes its own word."""
    out: list[str] = []
    pos = 0
    for word in words:
        idx = text.find(word, pos)
        if idx < 0:
            continue
        if idx > pos:
            out.append(text[pos:idx])
        out.append(word)
        pos = idx + len(word)
    if pos < len(text):
        out.append(text[pos:])
    return out


@lru_cache(maxsize=4)
def get_segmenter(name: str = "jieba", model: str | None = None) -> Segmenter:
    """A cached segmenter by name: 'jieba' (default) or 'pkuseg' (with `model`)."""
    if name == "jieba":
        return JiebaSegmenter()
    if name == "pkuseg":
        return PkusegSegmenter(model or "default")
    raise ValueError(f"unknown segmenter {name!r}: choose 'jieba' or 'pkuseg'")
