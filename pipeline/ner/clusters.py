"""Character clusters learnt from unlabelled text, as CRF features (feature set 5 of
pipeline.ner.crf): characters used in similar contexts share a cluster, so a rare character gets
weights its cluster earned (a name character seen once in training is like the other name
characters).

How they are learnt (`learn`): count each character's neighbours at offsets -2, -1, +1 and +2
(the 2,000 most frequent characters as contexts), weigh the counts by positive pointwise mutual
information, reduce every character's row to `dims` dimensions (a randomised SVD, numpy), and
group the unit-length rows with k-means (Lloyd's algorithm with k-means++ seeding; numpy, written
out here rather than adding scipy or scikit-learn for one training-time call). Characters seen
fewer than `min_count` times get no cluster (0).

The text is the training corpora's own (MSRA train, CLUENER train, People's Daily 1998), never
the evaluation sets; the model keeps only the table of code point -> cluster.

    python -m pipeline.ner.clusters ../shared/data   # learn and show a few clusters
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import numpy as np

CONTEXTS = 2000
OFFSETS = (-2, -1, 1, 2)


class CharClusters:
    """Code point -> cluster id (1..k; 0 for characters without one), as a dense table over the
    Basic Multilingual Plane (characters beyond it have no cluster)."""

    def __init__(self, codes: np.ndarray, ids: np.ndarray):
        self.codes = np.asarray(codes, dtype=np.uint32)
        self.ids = np.asarray(ids, dtype=np.uint16)
        self._table = np.zeros(0x10000, dtype=np.uint64)
        small = self.codes < 0x10000
        self._table[self.codes[small]] = self.ids[small]

    def of(self, codes: np.ndarray) -> np.ndarray:
        """The cluster id of each code (uint64; 0 beyond the BMP, for padding and unclustered)."""
        inside = codes < 0x10000
        return np.where(inside, self._table[np.where(inside, codes, 0).astype(np.intp)], 0).astype(np.uint64)

    def __len__(self) -> int:
        return len(self.codes)


def _codes(texts: Iterable[str]) -> np.ndarray:
    """All texts as one array of code points, each text followed by a separator (code 0)."""
    joined = "\0".join(texts) + "\0"
    return np.frombuffer(joined.encode("utf-32-le"), dtype="<u4").astype(np.int64)


def embed(texts: Iterable[str], dims: int = 64, min_count: int = 5, seed: int = 0):
    """(characters, unit-length PPMI-SVD vectors) of the characters seen at least min_count times."""
    stream = _codes(texts)
    chars, counts = np.unique(stream[stream > 0], return_counts=True)
    vocab = chars[counts >= min_count]
    index = np.full(int(stream.max()) + 1, -1, dtype=np.int64)
    index[vocab] = np.arange(len(vocab))
    top = chars[np.argsort(-counts, kind="stable")[:CONTEXTS]]
    context_index = np.full(int(stream.max()) + 1, -1, dtype=np.int64)
    context_index[top] = np.arange(len(top))
    counts_matrix = np.zeros((len(vocab), len(OFFSETS) * len(top)), dtype=np.float64)
    rows = index[stream]
    for k, offset in enumerate(OFFSETS):
        if offset < 0:
            a, b = rows[-offset:], context_index[stream[:offset]]
        else:
            a, b = rows[:-offset], context_index[stream[offset:]]
        ok = (a >= 0) & (b >= 0)
        np.add.at(counts_matrix, (a[ok], b[ok] + k * len(top)), 1.0)
    total = counts_matrix.sum()
    expected = np.outer(counts_matrix.sum(axis=1), counts_matrix.sum(axis=0)) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        ppmi = np.maximum(np.log(counts_matrix / expected), 0.0)
    ppmi[~np.isfinite(ppmi)] = 0.0
    # randomised SVD: a range finder with two power iterations, then an exact SVD of the small matrix
    rng = np.random.default_rng(seed)
    q = ppmi @ rng.normal(size=(ppmi.shape[1], dims + 16))
    for _ in range(2):
        q, _ = np.linalg.qr(ppmi @ (ppmi.T @ q))
    q, _ = np.linalg.qr(q)
    u, s, _ = np.linalg.svd(q.T @ ppmi, full_matrices=False)
    vectors = (q @ u[:, :dims]) * np.sqrt(s[:dims])
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vocab, vectors


def kmeans(vectors: np.ndarray, k: int, iterations: int = 30, seed: int = 0) -> np.ndarray:
    """Cluster index (0..k-1) per row: k-means++ seeding, then Lloyd's iterations."""
    rng = np.random.default_rng(seed)
    n = len(vectors)
    centres = [vectors[rng.integers(n)]]
    nearest = np.full(n, np.inf)
    for _ in range(1, min(k, n)):
        nearest = np.minimum(nearest, ((vectors - centres[-1]) ** 2).sum(axis=1))
        centres.append(vectors[rng.choice(n, p=nearest / nearest.sum())])
    centre = np.array(centres)
    assigned = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        distance = (vectors**2).sum(axis=1)[:, None] - 2 * vectors @ centre.T + (centre**2).sum(axis=1)[None]
        assigned = distance.argmin(axis=1)
        for j in range(len(centre)):
            members = vectors[assigned == j]
            if len(members):
                centre[j] = members.mean(axis=0)
    return assigned


def learn(
    texts: Iterable[str], k: int = 256, dims: int = 64, min_count: int = 5, seed: int = 0
) -> CharClusters:
    vocab, vectors = embed(texts, dims, min_count, seed)
    return CharClusters(vocab, kmeans(vectors, k, seed=seed) + 1)


def training_texts(data_dir: Path) -> Iterable[str]:
    """The unlabelled text the clusters are learnt from: MSRA NER train, CLUENER train, People's
    Daily 1998 (never msra_ner/test.bio or cluener/dev.jsonl)."""
    from pipeline.ner.convert import read_bio, read_cluener
    from pipeline.ner.lexicon import read_peoples_daily

    yield from (text for text, _ in read_bio(data_dir / "msra_ner" / "train.bio"))
    yield from (text for text, _, _ in read_cluener(data_dir / "cluener" / "train.jsonl"))
    yield from (text for text, _ in read_peoples_daily(data_dir / "peoples_daily" / "199801.utf8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="../shared/data")
    parser.add_argument("--k", type=int, default=256)
    args = parser.parse_args()
    clusters = learn(training_texts(args.data), args.k)
    by_id: dict[int, list[str]] = {}
    for code, cid in zip(clusters.codes, clusters.ids, strict=True):
        by_id.setdefault(int(cid), []).append(chr(int(code)))
    print(len(clusters), "characters in", len(by_id), "clusters")
    for cid in sorted(by_id)[:: max(1, len(by_id) // 12)]:
        print(cid, "".join(by_id[cid][:40]))


if __name__ == "__main__":
    main()
