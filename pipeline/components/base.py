"""What every extraction component shares: the `Mention` it emits and where it puts it.

Components are spaCy factories. Each one reads the text (`doc_text(doc)`: `doc.text`, built once;
and, if it wants, the segmented tokens, `doc_words(doc)`, and earlier mentions) and appends
`Mention`s to `doc._.mentions`. Offsets are character offsets into `doc.text`, which is the
article text, so they need not align with tokens.
`pipeline.process` turns mentions into validated `pipeline.records` models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from typing import Any

from spacy.tokens import Doc

from pipeline.records import RecordKind

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)
if not Doc.has_extension("reference_date"):
    # The article's publish date, set before the components run; relative dates resolve against it.
    Doc.set_extension("reference_date", default=None)


@dataclass(frozen=True)
class Mention:
    """A span found by a component, with the kind-specific record fields it resolved."""

    kind: RecordKind
    start: int
    end: int
    fields: dict[str, Any] = field(default_factory=dict)
    extractor: str = ""  # "<stage>.<rule>", e.g. "numbers.arabic_with_unit"


def mentions(doc: Doc) -> list[Mention]:
    """The mentions found so far on `doc` (a list owned by the doc)."""
    if doc._.mentions is None:
        doc._.mentions = []
    return doc._.mentions


def add_mentions(doc: Doc, found: list[Mention]) -> None:
    mentions(doc).extend(found)


def reference_date(doc: Doc) -> date | None:
    return doc._.reference_date


_TEXT_KEY = "pipeline.text"
_WORDS_KEY = "pipeline.words"


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc. spaCy rebuilds `doc.text` from the tokens on every access
    (one Python Token object per token), which cost the rule stages a third of their time."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def doc_words(doc: Doc) -> list[tuple[int, str]]:
    """(character offset, word) of every token, built once per doc (see `doc_text`)."""
    words = doc.user_data.get(_WORDS_KEY)
    if words is None:
        words = doc.user_data[_WORDS_KEY] = [(t.idx, t.text) for t in doc]
    return words


def segmented_doc(vocab, words: list[str]) -> Doc:
    """A doc of `words` (no spaces between them) with its text and word offsets already cached."""
    doc = Doc(vocab, words=words, spaces=[False] * len(words))
    doc.user_data[_TEXT_KEY] = "".join(words)
    starts = accumulate(map(len, words), initial=0)  # one more than the words: zip stops at the words
    doc.user_data[_WORDS_KEY] = list(zip(starts, words, strict=False))
    return doc
