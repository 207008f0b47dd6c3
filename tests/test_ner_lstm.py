"""The BiLSTM-CRF NER model (pipeline/ner/lstm.py): the numpy forward pass against torch's,
batching, saving and loading, training, and running it as the pipeline's NER stage."""

from __future__ import annotations

import numpy as np
import pytest
from ner_samples import SENTENCES, TEXTS

from pipeline.ner import lstm
from pipeline.ner.crf import CrfNer, batch_feature_keys, split_rows

LABELS = lstm.LABELS


def test_inputs_read_feature_set_6_values(random_lstm):
    model = random_lstm()
    keys = batch_feature_keys(["国务院南州"], None, lstm.FEATURE_SET, model.resources)
    ids = lstm.inputs(keys, model.chars, model.bigrams)
    assert ids.shape == (5, 7)
    assert (ids[:, 0] >= lstm.UNK).all()  # characters: known ids or UNK, never PAD
    # the lexicon's ORG value: 国务院 begins (length 3) at 国, lies inside at 务, ends at 院
    org = ids[:, 3 + 2]
    begin, rest = np.divmod(org, 2 * (lstm.LENGTH_CAP + 1))
    end, inside = np.divmod(rest, 2)
    assert begin.tolist()[:3] == [3, 0, 0] and end.tolist()[:3] == [0, 0, 3] and inside[1] == 1
    assert ids[3:, 4].max() > 0  # 南州 is a LOC name
    assert (ids < np.array([22, 12, lstm.POS_VALUES, *[lstm.LEX_VALUES] * 3, 9])).all()


def test_a_text_gets_the_same_scores_alone_and_in_a_batch(random_lstm):
    """The backward LSTM reads each text from its own last character, whatever the padding."""
    model = random_lstm()
    batch = model.label_scores(TEXTS)
    for text, scores in zip(TEXTS, batch, strict=True):
        assert scores.shape == (len(text), len(LABELS))
        np.testing.assert_allclose(model.label_scores([text])[0], scores, rtol=1e-5, atol=1e-5)
    assert list(model.predict(TEXTS + [""], batch_chars=8)) == list(model.predict(TEXTS)) + [[]]


def test_saved_model_predicts_like_the_original(tmp_path, random_lstm):
    model = random_lstm()
    model.to_disk(tmp_path / "m", meta={"name": "test"})
    assert lstm.is_lstm_model(tmp_path / "m")
    copy = lstm.LstmNer.from_disk(tmp_path / "m")
    assert copy.meta == {"name": "test"} and copy.labels == LABELS
    assert (copy.resources.lexicon.keys == model.resources.lexicon.keys).all()
    for a, b in zip(copy.label_scores(TEXTS), model.label_scores(TEXTS), strict=True):
        np.testing.assert_allclose(a, b, atol=0.05)  # weights stored as float16


def test_numpy_forward_pass_equals_torch(random_lstm):
    torch = pytest.importorskip("torch", reason="torch is the training dependency: pip install -e '.[train]'")
    torch.manual_seed(0)
    model = random_lstm()
    sizes = {"char": 22, "bigram": 12, "pos": lstm.POS_VALUES, "sfx": 9, "labels": len(LABELS)}
    sizes |= {f"lex{t}": lstm.LEX_VALUES for t in range(3)}
    dims = {"char": 5, "bigram": 3, "pos": 2, "lex0": 2, "lex1": 2, "lex2": 2, "sfx": 2}
    net = lstm._network(sizes, 6, dims, dropout=0.0).eval()
    arrays = lstm._arrays(net, model.arrays["char_keys"], model.arrays["bigram_keys"])
    ours = lstm.LstmNer(arrays, LABELS, model.resources)
    keys = batch_feature_keys(TEXTS, None, lstm.FEATURE_SET, ours.resources)
    rows = split_rows(lstm.inputs(keys, ours.chars, ours.bigrams), TEXTS)
    order = sorted(range(len(TEXTS)), key=lambda i: -len(TEXTS[i]))
    x = torch.zeros((len(TEXTS), len(TEXTS[order[0]]), 7), dtype=torch.long)
    for row, i in enumerate(order):
        x[row, : len(TEXTS[i])] = torch.from_numpy(rows[i])
    with torch.no_grad():
        scores = net.scores(x, torch.tensor([len(TEXTS[i]) for i in order])).numpy()
    mine = ours.label_scores(TEXTS)
    for row, i in enumerate(order):
        expected = scores[row, : len(TEXTS[i])].copy()
        expected[0] += arrays["crf_start"]
        expected[-1] += arrays["crf_end"]
        np.testing.assert_allclose(mine[i], expected, rtol=1e-4, atol=1e-5)


@pytest.fixture(scope="module")
def trained(tmp_path_factory, write_ner_data):
    pytest.importorskip("torch", reason="torch is the training dependency: pip install -e '.[train]'")
    data = tmp_path_factory.mktemp("lstm_data")
    write_ner_data(data, SENTENCES, repeat=8)
    corpus = data / "199801.utf8"
    corpus.write_text(
        "19980101-01-001-001/m  [南州/ns  科技局/n]nt  王/nr  建国/nr  。/w  \n", encoding="utf-8"
    )
    out = data / "model"
    info = lstm.train(data, out, corpus, epochs=40, batch_size=8, lr=0.02, hidden=16, dropout=0.0)
    return out, info


def test_trained_model_fits_its_training_sentences(trained):
    out, info = trained
    assert info["sentences"] == 40 and info["dev"]["f1"] == 1.0
    assert info["lexicon"]["names"] == 2  # 南州科技局, 王建国
    model = lstm.LstmNer.from_disk(out)
    assert list(model.predict([t for t, _ in SENTENCES])) == [e for _, e in SENTENCES]


def test_packaged_model_is_versioned_and_runs_as_the_ner_stage(trained, tmp_path):
    from pipeline.components.base import mentions
    from pipeline.components.ner import load_ner_model
    from pipeline.nlp import PipelineSettings, build_nlp

    out, _ = trained
    info = lstm.package(out, tmp_path / "ner_test_lstm")
    assert len(info["version"]) == 12 and "People's Daily" in info["license"]
    assert isinstance(load_ner_model(str(tmp_path / "ner_test_lstm")), lstm.LstmNer)
    assert not lstm.is_lstm_model("pipeline/models/ner_zh")  # the CRF's model.npz
    assert isinstance(load_ner_model("pipeline/models/ner_zh"), CrfNer)
    nlp = build_nlp(
        PipelineSettings(components=("statistical_ner",), ner_model=str(tmp_path / "ner_test_lstm"))
    )
    doc = nlp("王建国在南州市调研。南州市科技局发布通知。")
    found = [(m.kind, doc.text[m.start : m.end]) for m in mentions(doc)]
    assert found == [("person", "王建国"), ("location", "南州市"), ("organization", "南州市科技局")]


def test_training_goes_on_from_a_saved_model(trained, tmp_path):
    """With a learning rate of 0 the weights stay those loaded: the model predicts as before."""
    out, _ = trained
    data = out.parent
    info = lstm.train(data, tmp_path / "more", data / "199801.utf8", epochs=1, lr=0.0, init_from=out)
    assert info["init_from"] == str(out) and info["dev"]["f1"] == 1.0
    before, after = lstm.LstmNer.from_disk(out), lstm.LstmNer.from_disk(tmp_path / "more")
    assert (after.arrays["char_keys"] == before.arrays["char_keys"]).all()
    for a, b in zip(after.label_scores(TEXTS), before.label_scores(TEXTS), strict=True):
        np.testing.assert_allclose(a, b, atol=0.05)


def _write_vectors(path, vectors: dict[str, np.ndarray]) -> None:
    """A word2vec text file, as gensim's save_word2vec_format writes it."""
    dim = len(next(iter(vectors.values())))
    lines = [f"{len(vectors)} {dim}"] + [
        f"{t} " + " ".join(f"{x:.6f}" for x in v) for t, v in vectors.items()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_char_vectors_replace_the_rows_of_their_characters(tmp_path):
    rng = np.random.default_rng(0)
    vectors = {c: rng.normal(0, 0.2, 4).astype(np.float32) for c in "王南"} | {"南州": np.ones(4)}
    _write_vectors(tmp_path / "v.txt", vectors)
    read = lstm.read_char_vectors(tmp_path / "v.txt")
    assert sorted(read) == [ord("南"), ord("王")]  # the two-character token is skipped
    char_keys = np.array([ord(c) for c in "州王南"], dtype=np.uint64)  # ids 2, 3, 4
    table = rng.normal(0, 1, (5, 4)).astype(np.float32)
    before = table.copy()
    assert lstm.char_vector_init(table, char_keys, read) == 2
    np.testing.assert_array_equal(table[:3], before[:3])  # PAD, UNK and 州 (no vector) unchanged
    scale = table[3] / vectors["王"]
    np.testing.assert_allclose(scale, scale[0], rtol=1e-5)  # one factor for all vectors
    np.testing.assert_allclose(table[4], scale[0] * vectors["南"], rtol=1e-5)
    np.testing.assert_allclose(np.stack([table[3], table[4]]).std(), before[2:].std(), rtol=1e-5)
    with pytest.raises(ValueError, match="dimensions"):
        lstm.char_vector_init(np.zeros((5, 3), np.float32), char_keys, read)


def test_training_starts_from_the_char_vectors(trained, tmp_path):
    """With a learning rate of 0 the character table the model saves is the one initialised."""
    out, _ = trained
    data = out.parent
    chars = "王南州"
    rng = np.random.default_rng(1)
    vectors = {c: rng.normal(0, 0.3, 100).astype(np.float32) for c in chars + "龘"}
    _write_vectors(tmp_path / "v.txt", vectors)
    info = lstm.train(
        data,
        tmp_path / "m",
        data / "199801.utf8",
        epochs=1,
        lr=0.0,
        hidden=4,
        char_vectors=tmp_path / "v.txt",
    )
    assert info["char_vectors"] == {"source": str(tmp_path / "v.txt"), "in_file": 4, "set": 3}  # 龘 unseen
    model = lstm.LstmNer.from_disk(tmp_path / "m")
    table = model.arrays["char_emb"].astype(np.float32)
    ids = model.chars.get(np.array([ord(c) for c in chars], dtype=np.uint64))
    got = table[ids]
    scale = float(
        (got * np.stack([vectors[c] for c in chars])).sum()
        / (np.stack([vectors[c] for c in chars]) ** 2).sum()
    )
    assert scale > 0
    np.testing.assert_allclose(got, scale * np.stack([vectors[c] for c in chars]), atol=0.01)  # float16
    with pytest.raises(ValueError, match="init-from"):
        lstm.train(
            data,
            tmp_path / "x",
            data / "199801.utf8",
            epochs=1,
            init_from=out,
            char_vectors=tmp_path / "v.txt",
        )
