"""A conditional-logit chooser: among a group of candidates, the one with the highest linear score.

Each candidate is a dict of named features; a group's probabilities are the softmax of
`weights · features` over its candidates. Training maximises the log-likelihood of the right
candidate of every group, with an L2 penalty and optional weights per group (so that an article with twenty rankings
does not outvote twenty articles with one), by full-batch gradient ascent with AdaGrad steps from
zero weights (deterministic: the same examples give the same weights).

>>> groups = [[{"near": 1.0}, {"far": 1.0}], [{"far": 1.0}, {"near": 1.0}]]
>>> chooser = LinearChooser.fit(groups, [0, 1])
>>> chooser.choose([{"far": 1.0}, {"near": 1.0}])
1
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

Features = dict[str, float]


@dataclass
class LinearChooser:
    weights: dict[str, float]

    def score(self, features: Features) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def choose(self, group: list[Features]) -> int:
        scores = [self.score(f) for f in group]
        return max(range(len(group)), key=lambda i: (scores[i], -i))

    @classmethod
    def fit(
        cls,
        groups: list[list[Features]],
        labels: list[int],
        group_weights: list[float] | None = None,
        l2: float = 0.05,
        iterations: int = 400,
        step: float = 0.5,
    ) -> LinearChooser:
        names = sorted({name for group in groups for f in group for name in f})
        index = {name: i for i, name in enumerate(names)}
        matrices = []
        for group in groups:
            x = np.zeros((len(group), len(names)))
            for row, f in enumerate(group):
                for name, value in f.items():
                    x[row, index[name]] = value
            matrices.append(x)
        weights = group_weights or [1.0] * len(groups)
        scale = len(groups) / sum(weights)
        weights = [weight * scale for weight in weights]
        w = np.zeros(len(names))
        squares = np.full(len(names), 1e-8)
        for _ in range(iterations):
            grad = -l2 * w * len(groups)
            for x, label, weight in zip(matrices, labels, weights, strict=True):
                s = x @ w
                p = np.exp(s - s.max())
                p /= p.sum()
                grad += weight * (x[label] - p @ x)
            grad /= len(groups)
            squares += grad * grad
            w += step * grad / np.sqrt(squares)
        return cls({name: round(float(v), 6) for name, v in zip(names, w, strict=True) if abs(v) > 1e-9})

    def save(self, path: Path, **meta) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {"kind": "conditional_logit", **meta, "weights": dict(sorted(self.weights.items()))}
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinearChooser:
        return cls(json.loads(Path(path).read_text(encoding="utf-8"))["weights"])
