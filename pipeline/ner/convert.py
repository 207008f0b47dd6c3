"""Convert the NER training corpora into spaCy DocBins (one token per character).

    python -m pipeline.ner.convert --data ../shared/data --out build/ner [--cluener] [--silver-model M]

writes build/ner/train.spacy and build/ner/dev.spacy. The dev split is every `dev_every`-th
sentence of each training file (model choices are measured on it, never on MSRA test.bio or
CLUENER dev.jsonl, which are the evaluation sets).

Sources:
- msra_ner/train.bio: PER/LOC/ORG, complete annotation.
- cluener/train.jsonl (`--cluener`): organization/company/government -> ORG, name -> PER.
  CLUENER's `address` spans (often whole street addresses) and `scene` spans (sights) follow
  conventions that MSRA's LOC does not, so they are marked *missing* (no loss either way), not
  LOC and not O. CLUENER does not annotate places outside addresses, so its other characters
  would teach "a country name is not LOC"; with `--silver-model` an existing NER model labels
  LOC in those sentences (where it overlaps no gold or missing span): self-training for LOC
  only, gold for ORG and PER. Book, game, movie and position spans are O, as in MSRA.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.tokens import Doc, DocBin

from pipeline.ner.bio import decode

Entity = tuple[int, int, str]  # (start, end, label), character offsets, end exclusive
Span = tuple[int, int]

CLUENER_LABELS = {"organization": "ORG", "company": "ORG", "government": "ORG", "name": "PER"}
CLUENER_MISSING = ("address", "scene")


def blank_nlp():
    """A blank Chinese pipeline whose vocab holds the one-token-per-character training docs."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})


def read_bio(path: Path) -> Iterator[tuple[str, list[Entity]]]:
    """(sentence text, entities) per blank-line separated block of `char<TAB>tag` lines."""
    chars: list[str] = []
    tags: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                if chars:
                    yield "".join(chars), decode(tags)
                chars, tags = [], []
                continue
            char, _, tag = line.partition("\t")
            chars.append(char)
            tags.append(tag or "O")
    if chars:
        yield "".join(chars), decode(tags)


def read_cluener(path: Path) -> Iterator[tuple[str, list[Entity], list[Span]]]:
    """(text, entities, missing spans) per CLUENER line; its offsets are end-inclusive."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            item = json.loads(line)
            entities: list[Entity] = []
            missing: list[Span] = []
            for label, names in item.get("label", {}).items():
                for spans in names.values():
                    for start, end in spans:
                        if label in CLUENER_LABELS:
                            entities.append((start, end + 1, CLUENER_LABELS[label]))
                        elif label in CLUENER_MISSING:
                            missing.append((start, end + 1))
            yield item["text"], drop_overlaps(entities), missing


def drop_overlaps(entities: list[Entity]) -> list[Entity]:
    """Longest first, then leftmost; an entity overlapping a kept one is dropped."""
    kept: list[Entity] = []
    for ent in sorted(entities, key=lambda e: (e[0] - e[1], e[0])):
        if all(ent[1] <= k[0] or ent[0] >= k[1] for k in kept):
            kept.append(ent)
    return sorted(kept)


def overlaps(span: Span, others: Iterable[Span]) -> bool:
    return any(span[0] < o[1] and o[0] < span[1] for o in others)


def to_doc(nlp, text: str, entities: list[Entity], missing: list[Span] = ()) -> Doc:
    """A character doc with `entities` as doc.ents (for the spaCy CNN model) and the same
    annotation as BIO tags in token.tag_ (for the CRF, pipeline/ner/crf.py); characters in a
    `missing` span have no entity annotation and an empty tag (the CNN skips them in its loss,
    the CRF skips sentences holding any)."""
    doc = Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
    ents = [doc.char_span(s, e, label=lab) for s, e, lab in entities]
    free = [(s, e) for s, e in missing if not overlaps((s, e), [(a, b) for a, b, _ in entities])]
    doc.set_ents(ents, missing=[doc.char_span(s, e) for s, e in free], default="outside")
    for token in doc:
        token.tag_ = "" if token.ent_iob_ == "" else bio_tag(token.ent_iob_, token.ent_type_)
    return doc


def bio_tag(iob: str, label: str) -> str:
    return "O" if iob == "O" else f"{iob}-{label}"


def silver_locations(model, texts: list[str], gold: list[list[Entity]], missing: list[list[Span]]):
    """LOC spans `model` finds that overlap no gold entity and no missing span, per text."""
    out = []
    for doc, ents, miss in zip(model.pipe(texts, batch_size=256), gold, missing, strict=True):
        taken = [(s, e) for s, e, _ in ents] + list(miss)
        out.append(
            [
                (ent.start_char, ent.end_char, "LOC")
                for ent in doc.ents
                if ent.label_ == "LOC" and not overlaps((ent.start_char, ent.end_char), taken)
            ]
        )
    return out


def convert(
    data_dir: Path,
    out_dir: Path,
    dev_every: int = 20,
    cluener: bool = False,
    silver_model: Path | None = None,
) -> dict[str, int]:
    nlp = blank_nlp()
    train, dev = DocBin(store_user_data=False), DocBin(store_user_data=False)
    counts = {"train": 0, "dev": 0}

    def add(i: int, doc: Doc, source: str) -> None:
        split = "dev" if dev_every and i % dev_every == dev_every - 1 else "train"
        (dev if split == "dev" else train).add(doc)
        counts[split] += 1
        counts[f"{split}.{source}"] = counts.get(f"{split}.{source}", 0) + 1

    for i, (text, entities) in enumerate(read_bio(data_dir / "msra_ner" / "train.bio")):
        add(i, to_doc(nlp, text, entities), "msra")
    if cluener:
        items = list(read_cluener(data_dir / "cluener" / "train.jsonl"))
        silver: list[list[Entity]] = [[] for _ in items]
        if silver_model is not None:
            import pipeline.ner  # noqa: F401  (registers the model's tokenizer)

            model = spacy.load(silver_model)
            silver = silver_locations(
                model, [t for t, _, _ in items], [e for _, e, _ in items], [m for _, _, m in items]
            )
            counts["silver_loc"] = sum(len(s) for s in silver)
        for i, ((text, entities, missing), extra) in enumerate(zip(items, silver, strict=True)):
            add(i, to_doc(nlp, text, sorted(entities + extra), missing), "cluener")
    out_dir.mkdir(parents=True, exist_ok=True)
    train.to_disk(out_dir / "train.spacy")
    dev.to_disk(out_dir / "dev.spacy")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("build/ner"))
    parser.add_argument("--dev-every", type=int, default=20)
    parser.add_argument("--cluener", action="store_true", help="add cluener/train.jsonl (ORG, PER)")
    parser.add_argument("--silver-model", type=Path, help="NER model that labels LOC in CLUENER texts")
    args = parser.parse_args()
    print(convert(args.data, args.out, args.dev_every, args.cluener, args.silver_model))


if __name__ == "__main__":
    main()
