"""The NER model's tokenizer: one token per character, with word-boundary features from jieba.

Every character (whitespace included) is a token, so entity offsets are token offsets and the
doc text is the input text exactly. Each token also carries features that the model's
`MultiHashEmbed` reads (configs/ner.cfg, `attrs`):

- ORTH  the character itself;
- NORM  the character bigram starting at this character (the character plus the next one);
- LEMMA the jieba word that contains the character (rjieba, its built-in dictionary only, so
  the features do not move when the project's domain dictionary changes);
- TAG   the character's position in that word (B/M/E/S) with the word length capped at 4.

The tokenizer is registered as "ner_zh.char_jieba.v1", so a saved pipeline loads with
`spacy.load(path)` once `pipeline.ner` is imported.
"""

from __future__ import annotations

from collections.abc import Iterable

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

TOKENIZER_NAME = "ner_zh.char_jieba.v1"
_END = "</s>"


def word_positions(words: Iterable[str]) -> tuple[list[str], list[str]]:
    """(containing word, position tag) for every character of the concatenated words."""
    lemmas: list[str] = []
    tags: list[str] = []
    for word in words:
        n = len(word)
        if n == 1:
            lemmas.append(word)
            tags.append("S")
            continue
        size = str(min(n, 4))
        lemmas.extend([word] * n)
        tags.append("B" + size)
        tags.extend(["M" + size] * (n - 2))
        tags.append("E" + size)
    return lemmas, tags


def char_bigrams(text: str) -> list[str]:
    return [text[i : i + 2] if i + 1 < len(text) else text[i] + _END for i in range(len(text))]


class CharJiebaTokenizer:
    """Characters as tokens; jieba words and character bigrams as token features."""

    def __init__(self, vocab: Vocab) -> None:
        import rjieba

        self.vocab = vocab
        self._cut = rjieba.cut

    def __call__(self, text: str) -> Doc:
        chars = list(text)
        if not chars:
            return Doc(self.vocab, words=[], spaces=[])
        words = self._cut(text)
        if "".join(words) != text:  # never expected; fall back to single characters
            words = chars
        lemmas, tags = word_positions(words)
        doc = Doc(self.vocab, words=chars, spaces=[False] * len(chars), lemmas=lemmas, tags=tags)
        for token, bigram in zip(doc, char_bigrams(text), strict=True):
            token.norm_ = bigram
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000):
        for text in texts:
            yield self(text)

    # Nothing to save: the tokenizer has no state of its own.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> CharJiebaTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> CharJiebaTokenizer:
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_char_jieba_tokenizer():
    def make(nlp):
        return CharJiebaTokenizer(nlp.vocab)

    return make
