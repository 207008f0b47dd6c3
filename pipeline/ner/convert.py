"""Convert MSRA NER BIO files into spaCy DocBins (one token per character).

    python -m pipeline.ner.convert --data ../shared/data --out build/ner

writes build/ner/train.spacy and build/ner/dev.spacy. The dev split is every `dev_every`-th
sentence of msra_ner/train.bio (model choices are measured on it, never on test.bio).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

Entity = tuple[int, int, str]  # (start, end, label), character offsets, end exclusive


def read_bio(path: Path) -> Iterator[tuple[str, list[Entity]]]:
    """(sentence text, entities) per blank-line separated block of `char<TAB>tag` lines."""
    chars: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                if chars:
                    yield "".join(chars), bio_entities(tags)
                chars, tags = [], []
                continue
            char, _, tag = line.partition("\t")
            chars.append(char)
            tags.append(tag or "O")
    if chars:
        yield "".join(chars), bio_entities(tags)


def bio_entities(tags: list[str]) -> list[Entity]:
    """Spans from BIO tags; an I- without a matching B- starts a new span."""
    found: list[Entity] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start >= 0 and (prefix != "I" or kind != label):
            found.append((start, i, label))
            start = -1
        if prefix == "B" or (prefix == "I" and start < 0):
            start, label = i, kind
    return found


def to_doc(nlp, text: str, entities: list[Entity]) -> Doc:
    doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
    doc.ents = [doc.char_span(s, e, label=lab) for s, e, lab in entities]
    return doc


def convert(data_dir: Path, out_dir: Path, dev_every: int = 20) -> dict[str, int]:
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    train, dev = DocBin(store_user_data=False), DocBin(store_user_data=False)
    counts = {"train": 0, "dev": 0}
    for i, (text, entities) in enumerate(read_bio(data_dir / "msra_ner" / "train.bio")):
        split = "dev" if dev_every and i % dev_every == dev_every - 1 else "train"
        (dev if split == "dev" else train).add(to_doc(nlp, text, entities))
        counts[split] += 1
    out_dir.mkdir(parents=True, exist_ok=True)
    train.to_disk(out_dir / "train.spacy")
    dev.to_disk(out_dir / "dev.spacy")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("build/ner"))
    parser.add_argument("--dev-every", type=int, default=20)
    args = parser.parse_args()
    print(convert(args.data, args.out, args.dev_every))


if __name__ == "__main__":
    main()
