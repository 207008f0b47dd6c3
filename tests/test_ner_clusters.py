"""Character clusters (pipeline/ner/clusters.py), the features of CRF feature set 5."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.ner.clusters import CharClusters, kmeans, learn, training_texts
from pipeline.ner.crf import CrfNer, train


def test_kmeans_finds_separated_groups():
    rng = np.random.default_rng(0)
    centres = np.array([[5.0, 0.0], [0.0, 5.0], [-5.0, -5.0]])
    points = np.vstack([c + rng.normal(scale=0.3, size=(40, 2)) for c in centres])
    assigned = kmeans(points, 3)
    groups = [set(assigned[i * 40 : (i + 1) * 40].tolist()) for i in range(3)]
    assert all(len(g) == 1 for g in groups) and len(set.union(*groups)) == 3


def test_characters_in_the_same_contexts_share_a_cluster():
    # made-up text: 甲乙丙 only ever follow 在 and precede 市; 红绿蓝 only follow 很 and precede 色
    rng = np.random.default_rng(1)
    texts = []
    for _ in range(300):
        texts.append("我们在" + "甲乙丙"[rng.integers(3)] + "市开会")
        texts.append("天空很" + "红绿蓝"[rng.integers(3)] + "色的")
    clusters = learn(texts, k=4, dims=4, min_count=5)
    of = {ch: int(clusters.of(np.array([ord(ch)], dtype=np.uint64))[0]) for ch in "甲乙丙红绿蓝"}
    assert of["甲"] == of["乙"] == of["丙"] and of["红"] == of["绿"] == of["蓝"]
    assert of["甲"] != of["红"] and 0 not in of.values()


def test_unclustered_characters_and_padding_have_cluster_zero():
    clusters = CharClusters(np.array([ord("南"), ord("北")]), np.array([3, 7]))
    codes = np.array([ord("南"), ord("北"), ord("东"), 0x20000, 0x110000], dtype=np.uint64)
    assert clusters.of(codes).tolist() == [3, 7, 0, 0, 0]


def test_model_with_clusters_keeps_them(tmp_path, write_ner_data):
    corpus = tmp_path / "data"
    (corpus / "msra_ner").mkdir(parents=True)
    (corpus / "cluener").mkdir()
    (corpus / "peoples_daily").mkdir()
    sentences = [
        ("王建国在南州调研。", [(0, 3, "PER"), (4, 6, "LOC")]),
        ("李红梅到北屿考察。", [(0, 3, "PER"), (4, 6, "LOC")]),
        ("今天天气很好。", []),
    ]
    bio = "\n\n".join(
        "\n".join(
            f"{ch}\t{next((('B-' if i == s else 'I-') + lab for s, e, lab in ents if s <= i < e), 'O')}"
            for i, ch in enumerate(text)
        )
        for text, ents in sentences * 5
    )
    (corpus / "msra_ner" / "train.bio").write_text(bio + "\n", encoding="utf-8")
    (corpus / "cluener" / "train.jsonl").write_text("", encoding="utf-8")
    (corpus / "peoples_daily" / "199801.utf8").write_text(
        "19980101-01-001-001/m  王/nr  建国/nr  在/p  南州/ns  。/w  \n", encoding="utf-8"
    )
    write_ner_data(tmp_path, sentences)
    lexicon = corpus / "peoples_daily" / "199801.utf8"
    with pytest.raises(ValueError, match="needs --clusters-from"):
        train(tmp_path, tmp_path / "m", iterations=1, feature_set=5, lexicon_source=lexicon)
    info = train(
        tmp_path,
        tmp_path / "m",
        iterations=60,
        c1=0.0,
        c2=0.01,
        feature_set=5,
        lexicon_source=lexicon,
        clusters_from=corpus,
    )
    assert info["clusters"]["characters"] > 0 and info["dev"]["f1"] == 1.0
    model = CrfNer.from_disk(tmp_path / "m")
    assert model.feature_set == 5
    learnt = learn(training_texts(corpus))  # deterministic (seeded): what the model must hold
    kept = model.resources.clusters
    assert kept.codes.tolist() == learnt.codes.tolist() and kept.ids.tolist() == learnt.ids.tolist()
    assert list(model.predict([t for t, _ in sentences])) == [e for _, e in sentences]
