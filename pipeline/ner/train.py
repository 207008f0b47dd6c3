"""Train the statistical NER model (the tokenizer must be registered first, hence this entry point).

    python -m pipeline.ner.train configs/ner.cfg build/ner/model [--paths.train ...] [--training.max_steps N]

Extra `--section.key value` arguments override the config, as with `spacy train`.
spaCy writes `model-best` (best dev F1) and `model-last` under the output directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

from spacy.cli._util import parse_config_overrides
from spacy.cli.train import train

import pipeline.ner  # noqa: F401  (registers the tokenizer)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2:
        raise SystemExit(__doc__)
    config, output, extra = Path(argv[0]), Path(argv[1]), argv[2:]
    train(config, output, overrides=parse_config_overrides(extra))


if __name__ == "__main__":
    main()
