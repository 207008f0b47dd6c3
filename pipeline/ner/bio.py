"""BIO tags to entity spans: the last step of the CRF NER model (pipeline/ner/crf.py), which
labels every character "B-ORG", "I-ORG", "O", ...

An I-X that does not continue an X entity starts one (the usual repair). BIOES tags (a model
trained with `to_bioes`) decode the same way: S-X opens an entity like B-X, E-X continues one like
I-X.
"""

from __future__ import annotations

from collections.abc import Iterable

_OPEN = {"B": "B", "S": "B", "I": "I", "E": "I"}


def decode(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans of a BIO (or BIOES) tag sequence; end exclusive."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        prefix = _OPEN.get(prefix, prefix)
        if start >= 0 and (prefix != "I" or kind != label):
            spans.append((start, i, label))
            start = -1
        if kind and prefix in ("B", "I") and start < 0:
            start, label = i, kind
    return spans


def to_bioes(tags: list[str]) -> list[str]:
    """BIO tags rewritten with S- (a one-token entity) and E- (an entity's last token)."""
    out = []
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if not kind:
            out.append(tag)
            continue
        following = tags[i + 1] if i + 1 < len(tags) else "O"
        continues = following == f"I-{kind}"
        if prefix == "B":
            out.append(tag if continues else f"S-{kind}")
        else:
            out.append(tag if continues else f"E-{kind}")
    return out


def span_prf(gold: Iterable[Iterable[tuple]], found: Iterable[Iterable[tuple]]) -> dict[str, float]:
    """Entity micro P/R/F (exact spans and labels), per text the gold and the found spans."""
    tp = fp = fn = 0
    for g, f in zip(gold, found, strict=True):
        g, f = set(g), set(f)
        tp, fp, fn = tp + len(g & f), fp + len(f - g), fn + len(g - f)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}
