"""Several linear-chain NER models as one: their label scores and transition scores, weighted and
summed, decoded by one Viterbi pass (a product of experts). The CRF (pipeline/ner/crf.py) and the
BiLSTM-CRF (pipeline/ner/lstm.py) make different mistakes (the CRF trusts the characters around a
name, the LSTM the whole sentence), and their sum is better than either.

A model directory holds `ensemble.json`:

    {"members": [{"path": "../ner_zh", "weight": 0.6}, {"path": "../ner_zh_lstm", "weight": 0.4}]}

with member paths relative to that directory. Every member labels characters with the same
BIOES labels (in any order) and has `labels`, `transitions` ([from, to]) and `label_scores(texts)`.

    python -m pipeline.ner.ensemble tune build/ner/cluener/dev.spacy pipeline/models/ner_zh \\
        pipeline/models/ner_zh_lstm --out pipeline/models/ner_zh_ensemble
        # dev F1 per weighting of the members (multiples of --step 0.1 summing to 1); writes the
        # best as the ensemble's ensemble.json (members weighted 0 are left out)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline.ner.bio import decode, span_prf
from pipeline.ner.crf import Span, padded_batches, predict_padded, read_docbin

ENSEMBLE_FILE = "ensemble.json"
BATCH_CHARS = 4_000  # padded characters per batch (the LSTM's; the CRF does not mind)


class LinearChainModel(Protocol):
    labels: list[str]
    transitions: np.ndarray

    def label_scores(self, texts: list[str]) -> list[np.ndarray]: ...


class EnsembleNer:
    """Members' scores summed with their weights, in the first member's label order."""

    def __init__(self, members: Sequence[tuple[LinearChainModel, float]]):
        if not members:
            raise ValueError("an ensemble needs at least one member")
        self.members = list(members)
        self.labels = list(members[0][0].labels)
        self._columns = []  # per member: its column of each of our labels
        for model, _ in self.members:
            if sorted(model.labels) != sorted(self.labels):
                raise ValueError(
                    f"members label differently: {sorted(model.labels)} vs {sorted(self.labels)}"
                )
            self._columns.append([model.labels.index(label) for label in self.labels])
        self.transitions = sum(
            weight * model.transitions[np.ix_(cols, cols)]
            for (model, weight), cols in zip(self.members, self._columns, strict=True)
        )
        self.meta: dict = {}

    @classmethod
    def from_disk(cls, path: str | Path, load=None) -> EnsembleNer:
        """`load`: path -> model (default: the pipeline's loader, which knows every kind)."""
        if load is None:
            from pipeline.components.ner import load_ner_model as load
        path = Path(path)
        spec = json.loads((path / ENSEMBLE_FILE).read_text(encoding="utf-8"))
        members = [(load(str((path / m["path"]).resolve())), float(m["weight"])) for m in spec["members"]]
        model = cls(members)
        model.meta = spec
        return model

    def label_scores(self, texts: list[str]) -> list[np.ndarray]:
        total: list[np.ndarray] | None = None
        for (model, weight), cols in zip(self.members, self._columns, strict=True):
            scores = [weight * s[:, cols] for s in model.label_scores(texts)]
            total = scores if total is None else [a + b for a, b in zip(total, scores, strict=True)]
        return total or []

    def predict(self, texts: Iterable[str], batch_chars: int = BATCH_CHARS) -> Iterator[list[Span]]:
        """Entity spans (start, end, label), character offsets, per text, in order."""
        yield from predict_padded(self, texts, batch_chars)


def is_ensemble(path: str | Path) -> bool:
    return (Path(path) / ENSEMBLE_FILE).is_file()


class _Fixed:
    """A member whose label scores were computed once (tuning tries many weights on the same texts)."""

    def __init__(self, model, texts: list[str], batch_chars: int = BATCH_CHARS):
        self.labels, self.transitions = model.labels, model.transitions
        self._scores: dict[str, np.ndarray] = {}
        for ids in padded_batches(texts, batch_chars):
            batch = [texts[i] for i in ids]
            self._scores.update(zip(batch, model.label_scores(batch), strict=True))

    def label_scores(self, texts: list[str]) -> list[np.ndarray]:
        return [self._scores[t] for t in texts]


def f1(model, items: list[tuple[str, list[Span]]]) -> float:
    """Entity micro F1 (exact spans and labels) of `model` on (text, gold spans) items."""
    return span_prf((gold for _, gold in items), model.predict([t for t, _ in items]))["f1"]


def weight_grid_units(members: int, units: int) -> list[tuple[int, ...]]:
    """Every way to give `units` units to `members` members (each may get 0)."""
    if members == 1:
        return [(units,)]
    return [(k, *rest) for k in range(units + 1) for rest in weight_grid_units(members - 1, units - k)]


def tune(dev: Path, paths: Sequence[Path], step: float = 0.1) -> dict[tuple[float, ...], float]:
    """Dev F1 of the ensemble of the models at `paths` per weighting (multiples of `step`, summing
    to 1); each member's label scores are computed once."""
    from pipeline.components.ner import load_ner_model

    items = [(text, decode(tags)) for text, tags in read_docbin(dev)]
    texts = [t for t, _ in items]
    fixed = [_Fixed(load_ner_model(str(path)), texts) for path in paths]
    units = round(1 / step)
    scores = {}
    for split in weight_grid_units(len(paths), units):
        weights = tuple(round(k / units, 6) for k in split)
        scores[weights] = f1(EnsembleNer([(m, w) for m, w in zip(fixed, weights, strict=True) if w]), items)
    return scores


def best_weights(scores: dict[tuple[float, ...], float]) -> tuple[float, ...]:
    """The weighting best on dev; among equals, the one nearest to equal weights."""

    def spread(weights: tuple[float, ...]) -> float:
        return max(abs(w - 1 / len(weights)) for w in weights)

    return max(scores, key=lambda w: (scores[w], -spread(w)))


def write(target: Path, members: list[tuple[Path, float]], meta: dict | None = None) -> dict:
    """Write TARGET/ensemble.json naming the members by paths relative to TARGET."""
    import os

    target.mkdir(parents=True, exist_ok=True)
    spec = {
        "members": [
            {"path": os.path.relpath(path.resolve(), target.resolve()), "weight": weight}
            for path, weight in members
        ],
        **(meta or {}),
    }
    (target / ENSEMBLE_FILE).write_text(
        json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("tune", help="dev F1 of an ensemble of models per weighting of its members")
    t.add_argument("dev", type=Path)
    t.add_argument("members", type=Path, nargs="+", help="model directories (two or more)")
    t.add_argument("--step", type=float, default=0.1, help="weights are multiples of this, summing to 1")
    t.add_argument("--out", type=Path, help="write OUT/ensemble.json with the weighting best on dev")
    args = parser.parse_args()
    scores = tune(args.dev, args.members, args.step)
    key = ",".join
    print(json.dumps({key(map(str, w)): f for w, f in scores.items()}, indent=1))
    if args.out is not None:
        best = best_weights(scores)
        meta = {
            "dev": {"data": str(args.dev), "f1_per_weights": {key(map(str, w)): f for w, f in scores.items()}}
        }
        members = [(path, weight) for path, weight in zip(args.members, best, strict=True) if weight]
        spec = write(args.out, members, meta)
        print(json.dumps({k: v for k, v in spec.items() if k != "dev"}, indent=1))


if __name__ == "__main__":
    main()
