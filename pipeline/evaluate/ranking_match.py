"""How a predicted ranking is matched to a gold one: one copy for `make eval-rankings`, the held-out
evaluation and the cross-validation of the article-level stage.

Per document, rankings are matched as multisets on `(rank, total)`; among gold rankings of the same
key, each prediction takes the one that agrees best with it (subject, then change), so that attribute
accuracies do not depend on the order of equal keys. A subject is right when both are null, or both
are set and, after the Traditional -> Simplified mapping and removing spaces, one contains the other.

>>> subject_match("苏州市", "苏州"), subject_match(None, "我省")
(True, False)
"""

from __future__ import annotations

from pipeline.evaluate.report import PRF
from pipeline.traditional import to_simplified


def _norm(s: str | None) -> str | None:
    return None if s is None else to_simplified("".join(s.split()))


def subject_match(predicted: str | None, gold: str | None) -> bool:
    p, g = _norm(predicted), _norm(gold)
    if p is None or g is None:
        return p is None and g is None
    return bool(p) and bool(g) and (p in g or g in p)


def match_rankings(
    predicted: list[dict], gold: list[dict]
) -> tuple[PRF, list[tuple[dict, dict]], list, list]:
    """(counts, matched pairs, gold left unmatched, predictions left unmatched)."""
    remaining = list(gold)
    prf, pairs, spurious = PRF(), [], []
    for p in predicted:
        same = [g for g in remaining if (g["rank"], g["total"]) == (p["rank"], p["total"])]
        if not same:
            prf.fp += 1
            spurious.append(p)
            continue
        best = max(
            same, key=lambda g: (subject_match(p["subject"], g["subject"]), p["change"] == g["change"])
        )
        remaining.remove(best)
        prf.tp += 1
        pairs.append((p, best))
    prf.fn = len(remaining)
    return prf, pairs, remaining, spurious
