"""BIO tags to entity spans: the last step of the CRF NER model (pipeline/ner/crf.py), which
labels every character "B-ORG", "I-ORG", "O", ...

An I-X that does not continue an X entity starts one (the usual repair).
"""

from __future__ import annotations


def decode(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans of a BIO tag sequence; end exclusive."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start >= 0 and (prefix != "I" or kind != label):
            spans.append((start, i, label))
            start = -1
        if kind and prefix in ("B", "I") and start < 0:
            start, label = i, kind
    return spans
