"""Train a spacy-pkuseg segmentation model on People's Daily January 1998 (PKU standard).

    python -m pipeline.segment_train convert [--source 199801.utf8] [--out build/segment]
    python -m pipeline.segment_train train [--work build/segment] [--iters N] [--model-dir DIR]

`convert` turns the POS-tagged corpus into pkuseg's training format (one sentence per line,
words separated by a space): the paragraph ID token (`19980101-01-001-001/m`) is dropped, POS
tags are stripped, `[...]nt` compound brackets are removed (their inner words stay separate, as
in the PKU segmentation standard), full-width ASCII digits and letters become half-width (the
pipeline's repaired text is normalised the same way, and so is the SIGHAN PKU test set), and
paragraphs are split after sentence-final punctuation. Every `--dev-every`-th sentence goes to a
held-out dev file that pkuseg scores after each iteration (shown in its log).

`train` runs `spacy_pkuseg.train` (one process), dropping features seen `--feature-trim` times or
fewer, and keeps only the files the loader needs (`features.msgpack`, `weights.npz`) in
`--model-dir`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.evaluate.report import default_data_dir

SENTENCE_END = frozenset("。！？")
MODEL_FILES = ("features.msgpack", "weights.npz")
DEFAULT_WORK = Path("build/segment")
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "pkuseg_pd"

# Full-width ASCII digits and letters -> half-width; punctuation is left as it is.
_HALF_WIDTH = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}


def half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH)


def parse_line(line: str) -> list[str]:
    """Words of one tagged paragraph: ID token dropped, POS tags and NE brackets stripped."""
    tokens = line.split()
    if tokens and tokens[0][:8].isdigit() and "-" in tokens[0]:
        tokens = tokens[1:]
    words = []
    for token in tokens:
        if token.startswith("[") and len(token) > 1:
            token = token[1:]
        if "]" in token:  # 剪纸厂/n]nt -> 剪纸厂/n
            token = token[: token.rindex("]")]
        word, sep, _tag = token.rpartition("/")
        if not sep or not word:
            word = token
        words.append(half_width(word))
    return words


def split_sentences(words: list[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for word in words:
        current.append(word)
        if word in SENTENCE_END:
            yield current
            current = []
    if current:
        yield current


def convert(lines: Iterable[str], dev_every: int = 50) -> tuple[list[str], list[str]]:
    """(train, dev) sentences in pkuseg format from the tagged corpus lines."""
    train, dev = [], []
    n = 0
    for line in lines:
        words = parse_line(line)
        for sentence in split_sentences(words):
            n += 1
            (dev if dev_every and n % dev_every == 0 else train).append(" ".join(sentence))
    return train, dev


def cmd_convert(args: argparse.Namespace) -> None:
    source = Path(args.source)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with source.open(encoding="utf-8") as f:
        train, dev = convert(f, args.dev_every)
    if args.limit:
        train = train[: args.limit]
    (out / "train.txt").write_text("\n".join(train) + "\n", encoding="utf-8")
    (out / "dev.txt").write_text("\n".join(dev) + "\n", encoding="utf-8")
    n_words = sum(s.count(" ") + 1 for s in train)
    print(f"{source}: {len(train)} train sentences ({n_words} words), {len(dev)} dev -> {out}")


def cmd_train(args: argparse.Namespace) -> None:
    import spacy_pkuseg

    work = Path(args.work)
    raw = work / "model_raw"
    if raw.exists():
        shutil.rmtree(raw)
    from spacy_pkuseg.config import config

    # Keep features seen more than N times: the model stays small enough to ship (<= 30 MB).
    config.featureTrim = args.feature_trim
    start = time.time()
    spacy_pkuseg.train(str(work / "train.txt"), str(work / "dev.txt"), str(raw), train_iter=args.iters)
    model_dir = Path(args.model_dir)
    model_dir.mkdir(parents=True, exist_ok=True)
    for name in MODEL_FILES:
        shutil.copy2(raw / name, model_dir / name)
    size = sum((model_dir / n).stat().st_size for n in MODEL_FILES)
    print(
        f"trained {args.iters} iterations in {time.time() - start:.0f}s -> {model_dir} ({size / 1e6:.1f} MB)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.segment_train", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("convert", help="199801.utf8 -> train.txt / dev.txt in pkuseg format")
    p.add_argument("--source", default=str(default_data_dir() / "peoples_daily" / "199801.utf8"))
    p.add_argument("--out", default=str(DEFAULT_WORK))
    p.add_argument("--dev-every", type=int, default=50, help="every N-th sentence goes to dev (0: none)")
    p.add_argument("--limit", type=int, default=0, help="keep only the first N train sentences (pilots)")
    p.set_defaults(func=cmd_convert)
    p = sub.add_parser("train", help="spacy_pkuseg.train on the converted files")
    p.add_argument("--work", default=str(DEFAULT_WORK))
    p.add_argument("--iters", type=int, default=4)
    p.add_argument("--feature-trim", type=int, default=2, help="drop features seen N times or fewer")
    p.add_argument("--model-dir", default=str(DEFAULT_MODEL_DIR))
    p.set_defaults(func=cmd_train)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main(sys.argv[1:])
