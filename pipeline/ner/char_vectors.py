"""Character vectors pretrained on the raw text here, for the BiLSTM-CRF's character table
(`python -m pipeline.ner.lstm train ... --char-vectors PATH`, issue 23).

The text: the MSRA NER train sentences and the CLUENER train texts (without the sentences that
pipeline/ner/convert.py holds out as dev, every `dev_every`-th, so the dev score stays on text the
vectors never saw) and People's Daily of January 1998 with its tags stripped. Characters are the
tokens (one sentence or line a sequence); gensim's Word2Vec (skip-gram, negative sampling) learns
the vectors, written in word2vec's text format (`count dim`, then `char v1 ... vdim` a line), which
pipeline/ner/lstm.py reads with numpy alone. All three corpora are for research use only.

    python -m pipeline.ner.char_vectors --data ../shared/data --out build/ner/char_vectors.txt
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

from pipeline.ner.convert import read_bio, read_cluener

DIM = 100  # the BiLSTM-CRF's character embedding size (pipeline/ner/lstm.py, `dims["char"]`)
_PD_TOKEN = re.compile(r"^\[?(.+?)/[a-zA-Z]+(?:\][a-zA-Z]+)?$")


def peoples_daily_lines(path: Path) -> Iterator[str]:
    """The text of each People's Daily line: the id dropped, `word/tag` -> word, `[...]nt` unbracketed."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            tokens = line.split()[1:]  # the first token is the line's id (19980101-01-001-001/m)
            words = []
            for token in tokens:
                m = _PD_TOKEN.match(token)
                words.append(m.group(1) if m else token)
            if words:
                yield "".join(words)


def texts(data: Path, dev_every: int = 20) -> Iterator[tuple[str, str]]:
    """(source, text): MSRA and CLUENER train less their dev sentences, then People's Daily."""
    for i, (text, _) in enumerate(read_bio(data / "msra_ner" / "train.bio")):
        if not dev_every or i % dev_every != dev_every - 1:
            yield "msra", text
    for i, (text, _, _) in enumerate(read_cluener(data / "cluener" / "train.jsonl")):
        if not dev_every or i % dev_every != dev_every - 1:
            yield "cluener", text
    for text in peoples_daily_lines(data / "peoples_daily" / "199801.utf8"):
        yield "peoples_daily", text


def pretrain(
    data: Path,
    out: Path,
    dim: int = DIM,
    epochs: int = 5,
    window: int = 5,
    min_count: int = 2,
    workers: int = 2,
    seed: int = 0,
    dev_every: int = 20,
) -> dict:
    from gensim.models import Word2Vec

    started = time.perf_counter()
    sentences: list[list[str]] = []
    counts: dict[str, int] = {}
    for source, text in texts(data, dev_every):
        chars = [c for c in text if not c.isspace()]
        if chars:
            sentences.append(chars)
            counts[source] = counts.get(source, 0) + len(chars)
    model = Word2Vec(
        sentences,
        vector_size=dim,
        window=window,
        min_count=min_count,
        sg=1,
        negative=5,
        epochs=epochs,
        workers=workers,
        seed=seed,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    model.wv.save_word2vec_format(str(out), binary=False)
    return {
        "out": str(out),
        "characters_by_source": counts,
        "sentences": len(sentences),
        "vocabulary": len(model.wv),
        "dim": dim,
        "epochs": epochs,
        "window": window,
        "min_count": min_count,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="../shared/data")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dim", type=int, default=DIM)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--window", type=int, default=5)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    info = pretrain(
        args.data, args.out, args.dim, args.epochs, args.window, args.min_count, args.workers, args.seed
    )
    print(json.dumps(info, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
