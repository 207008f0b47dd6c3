"""The CRF NER model (pipeline/ner/crf.py): features, Viterbi, training, saving and loading."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from ner_samples import SENTENCES
from spacy.tokens import DocBin

from pipeline.ner.clusters import CharClusters
from pipeline.ner.convert import blank_nlp, to_doc
from pipeline.ner.crf import (
    CLUSTER_SETS,
    FEATURE_SETS,
    LEXICON_SETS,
    SUFFIX_SETS,
    CrfNer,
    KeyTable,
    Resources,
    batch_feature_keys,
    feature_keys,
    train,
)
from pipeline.ner.lexicon import BIT, Lexicon, OrgSuffixes, name_hash


@pytest.mark.parametrize("feature_set", sorted(FEATURE_SETS))
def test_feature_keys_shape_and_sharing(feature_set):
    n = len(FEATURE_SETS[feature_set])
    resources = Resources(
        Lexicon.from_names({"南州市": BIT["LOC"]}) if feature_set in LEXICON_SETS else None,
        CharClusters(np.array([ord("南"), ord("北")]), np.array([1, 1]))
        if feature_set in CLUSTER_SETS
        else None,
        OrgSuffixes(np.array([name_hash("科技局")], dtype=np.uint64)) if feature_set in SUFFIX_SETS else None,
    )
    a = feature_keys("南州市科技局", feature_set=feature_set, resources=resources)
    b = feature_keys("北屿市科技局", feature_set=feature_set, resources=resources)
    assert a.shape == (6, n) and a.dtype == np.uint64
    # the same character in the same context gives the same key; the template is in the top bits
    assert a[5, 0] == b[5, 0] and a[0, 0] != b[0, 0]
    assert len({int(k) >> 58 for k in a[0]}) == n
    assert feature_keys("", feature_set=feature_set, resources=resources).shape == (0, n)
    # set 2 extends set 1: the first columns are the same keys
    assert (a[:, :15] == feature_keys("南州市科技局", feature_set=1)).all()


def test_surname_feature_marks_the_characters_after_a_surname():
    keys = feature_keys("欧阳同志与王芳", feature_set=2)
    column = FEATURE_SETS[2].index("surnames")
    flags = [int(k) & 0xF for k in keys[:, column]]
    # bits: surname at -2, at -1, at 0, double surname starting at 0 (欧 and 阳 are surnames too)
    assert flags[0] == 0b0011  # 欧: a surname, and 欧阳 starts here
    assert flags[1] == 0b0110  # 阳: after 欧, and a surname itself
    assert flags[3] == 0b1000  # 志: two after 阳
    assert flags[5] == 0b0010 and flags[6] == 0b0100  # 王 is a surname; 芳 follows one


def _brute_force(model: CrfNer, emissions: np.ndarray) -> list[int]:
    best, best_path = -np.inf, None
    for path in itertools.product(range(len(model.labels)), repeat=len(emissions)):
        score = sum(emissions[t, k] for t, k in enumerate(path))
        score += sum(model.transitions[a, b] for a, b in itertools.pairwise(path))
        if score > best:
            best, best_path = score, list(path)
    return best_path


def test_viterbi_finds_the_best_path():
    rng = np.random.default_rng(0)
    model = CrfNer(
        np.zeros(0, dtype=np.uint64),
        np.zeros((0, 3), dtype=np.float32),
        rng.normal(size=(3, 3)).astype(np.float32),
        ["B-X", "I-X", "O"],
    )
    batch = [rng.normal(size=(n, 3)).astype(np.float32) for n in (1, 2, 4, 5, 3)]
    for emissions, path in zip(batch, model.viterbi(batch), strict=True):
        assert list(path) == _brute_force(model, emissions)


def test_viterbi_batches_sequences_of_any_lengths():
    rng = np.random.default_rng(1)
    labels = ["B-LOC", "B-ORG", "B-PER", "I-LOC", "I-ORG", "I-PER", "O"]
    model = CrfNer(
        np.zeros(0, dtype=np.uint64),
        np.zeros((0, 7), dtype=np.float32),
        rng.normal(size=(7, 7)).astype(np.float32),
        labels,
    )
    batch = [rng.normal(size=(n, 7)).astype(np.float32) for n in (6, 1, 3, 6, 2, 0, 5)]
    paths = model.viterbi(batch)
    assert [len(p) for p in paths] == [6, 1, 3, 6, 2, 0, 5]
    for emissions, path in zip(batch, paths, strict=True):
        assert list(path) == _brute_force(model, emissions)
        assert model.viterbi([emissions])[0].tolist() == path.tolist()  # alone as in a batch


@pytest.fixture(scope="module")
def trained(tmp_path_factory, write_ner_data):
    data = tmp_path_factory.mktemp("crf_data")
    write_ner_data(data, SENTENCES)
    out = data / "model"
    info = train(data, out, iterations=60, c1=0.0, c2=0.01)
    return out, info


def test_trained_model_fits_its_training_sentences(trained):
    out, info = trained
    assert info["sentences"] == 25 and info["dev"]["f1"] == 1.0
    model = CrfNer.from_disk(out)
    assert list(model.predict([t for t, _ in SENTENCES])) == [e for _, e in SENTENCES]


def test_saved_model_predicts_like_the_trained_one(trained, tmp_path):
    out, _ = trained
    model = CrfNer.from_disk(out)
    model.to_disk(tmp_path / "copy")
    copy = CrfNer.from_disk(tmp_path / "copy")
    texts = ["王建国到北屿县科技局调研。", "", "李红梅", "南州市科技局、北屿县科技局联合发文。"]
    assert list(copy.predict(texts, batch_chars=5)) == list(model.predict(texts))


def test_component_runs_a_crf_model_by_path(trained):
    from pipeline.components.base import mentions
    from pipeline.nlp import PipelineSettings, build_nlp

    out, _ = trained
    nlp = build_nlp(PipelineSettings(components=("statistical_ner",), ner_model=str(out)))
    doc = nlp("王建国在南州市调研。南州市科技局发布通知。")
    found = [(m.kind, doc.text[m.start : m.end]) for m in mentions(doc)]
    assert found == [("person", "王建国"), ("location", "南州市"), ("organization", "南州市科技局")]
    assert all(m.extractor == "ner.model" for m in mentions(doc))


def test_batched_keys_equal_one_text_at_a_time():
    texts = ["王建国在南州市调研。", "", "A", "南州市科技局2024年发布通知"]
    singles = [feature_keys(t) for t in texts]
    assert (batch_feature_keys(texts) == np.vstack(singles)).all()
    # padding: the first character of a text never sees the previous text
    assert (feature_keys("南州")[0, :4] == feature_keys("南州市")[0, :4]).all()  # c0 c-1 c+1 c-2


def test_dense_tables_give_the_same_scores_as_the_sorted_keys(trained):
    out, _ = trained
    model = CrfNer.from_disk(out)
    keys = batch_feature_keys(["王建国在南州市调研。", "😀李红梅到北屿县𠀀考察", "科技局"])
    fast = model.emissions(keys)
    slow = sum(model._sorted_lookup(keys[:, t]) for t in range(keys.shape[1]))
    assert model._dense_tables()  # the character templates do use dense tables
    assert np.allclose(fast, slow, atol=1e-5)


def test_hash_table_finds_every_key_and_only_those():
    rng = np.random.default_rng(2)
    keys = np.unique(rng.integers(0, 1 << 62, size=5000, dtype=np.uint64))
    keys[:50] = np.arange(50, dtype=np.uint64) << np.uint64(58)  # the shape of real keys: many share bits
    keys = np.unique(keys)
    weights = rng.normal(size=(len(keys), 3)).astype(np.float32)
    table = KeyTable(keys, weights)
    assert (table.get(keys) == weights).all()
    absent = np.setdiff1d(rng.integers(0, 1 << 62, size=5000, dtype=np.uint64), keys)
    assert not table.get(absent).any()
    # the slot signatures turn most absent keys away before any probe, and no present one
    home, bit = table._home_and_bit(absent)
    assert ((table.signatures[home] >> bit) & 1).mean() < 0.1
    home, bit = table._home_and_bit(keys)
    assert ((table.signatures[home] >> bit) & 1).all()
    assert not KeyTable(keys[:0], weights[:0]).get(keys).any()
    model = CrfNer(keys, weights, np.zeros((3, 3), dtype=np.float32), ["B-X", "I-X", "O"])
    hashed = keys[~model._densely_served()]  # the model's table holds the keys no dense table serves
    assert 0 < len(hashed) < len(keys)
    mixed = np.concatenate([hashed[::7], absent[::3]])
    assert (model._lookup(mixed) == model._sorted_lookup(mixed)).all()


def test_packaged_model_is_versioned_by_its_weights(trained, tmp_path):
    import hashlib
    import json

    from pipeline.ner.crf import package
    from pipeline.run import _model_dir_version

    out, _ = trained
    (tmp_path / "ner_x").mkdir()
    (tmp_path / "ner_x" / "README.md").write_text("kept\n", encoding="utf-8")
    info = package(out, tmp_path / "ner_x")
    meta = json.loads((tmp_path / "ner_x" / "meta.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((tmp_path / "ner_x" / "model.npz").read_bytes()).hexdigest()
    assert meta["version"] == info["version"] == digest[:12]
    assert _model_dir_version(tmp_path / "ner_x") == f"ner_x {digest[:12]}"
    assert (tmp_path / "ner_x" / "README.md").read_text(encoding="utf-8") == "kept\n"
    package(tmp_path / "ner_x", tmp_path / "ner_x")  # repackaging in place keeps the weights
    assert (
        json.loads((tmp_path / "ner_x" / "meta.json").read_text(encoding="utf-8"))["version"] == digest[:12]
    )


def test_training_on_data_without_tags_fails_loudly(tmp_path):
    nlp = blank_nlp()
    bin_ = DocBin(store_user_data=False)
    bin_.add(nlp.make_doc("王建国在南州市调研。"))  # no BIO tags: data from an older convert
    bin_.to_disk(tmp_path / "train.spacy")
    with pytest.raises(ValueError, match="no sentence with every character tagged"):
        train(tmp_path, tmp_path / "model", iterations=1)


def test_sentences_with_unannotated_spans_are_skipped_or_filled(tmp_path):
    from pipeline.ner.crf import read_docbin

    nlp = blank_nlp()
    bin_ = DocBin(store_user_data=False)
    bin_.add(to_doc(nlp, "王建国在南州市调研。", [(0, 3, "PER")], missing=[(4, 7)]))  # an address, say
    bin_.add(to_doc(nlp, "今天天气很好。", []))
    bin_.to_disk(tmp_path / "train.spacy")
    assert [t for t, _ in read_docbin(tmp_path / "train.spacy")] == ["今天天气很好。"]
    filled = dict(read_docbin(tmp_path / "train.spacy", missing_as="LOC"))
    assert filled["王建国在南州市调研。"] == [
        "B-PER",
        "I-PER",
        "I-PER",
        "O",
        "B-LOC",
        "I-LOC",
        "I-LOC",
        "O",
        "O",
        "O",
    ]
