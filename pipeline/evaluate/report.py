"""Scores and the report every evaluation returns."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def default_data_dir() -> Path:
    """../shared/data beside the project, or $BULLETIN_SHARED_DATA."""
    env = os.environ.get("BULLETIN_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float]:
        return {
            "p": round(self.precision, 4),
            "r": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def score_multisets(gold: list, predicted: list) -> PRF:
    """Match two lists as multisets (each gold item used at most once)."""
    remaining = list(gold)
    prf = PRF()
    for item in predicted:
        if item in remaining:
            remaining.remove(item)
            prf.tp += 1
        else:
            prf.fp += 1
    prf.fn = len(remaining)
    return prf


@dataclass
class EvalReport:
    name: str
    metrics: dict[str, float]
    targets: dict[str, float] = field(default_factory=dict)  # metric -> minimum
    details: dict[str, Any] = field(default_factory=dict)

    def failures(self) -> list[str]:
        return [
            f"{self.name}.{m}: {self.metrics.get(m, 0.0):.4f} < {t}"
            for m, t in self.targets.items()
            if self.metrics.get(m, 0.0) < t
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "metrics": self.metrics,
            "targets": self.targets,
            "failures": self.failures(),
            "details": self.details,
        }
