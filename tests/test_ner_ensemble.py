"""Linear-chain models summed into one (pipeline/ner/ensemble.py)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from ner_samples import TEXTS as SAMPLE_TEXTS

from pipeline.ner.crf import viterbi_paths
from pipeline.ner.ensemble import EnsembleNer, is_ensemble, write

TEXTS = [*SAMPLE_TEXTS, ""]  # an empty text too


class Reordered:
    """A model's labels in another order: the same model to an ensemble."""

    def __init__(self, model, order):
        self.labels = [model.labels[i] for i in order]
        self.transitions = model.transitions[np.ix_(order, order)]
        self._model, self._order = model, order

    def label_scores(self, texts):
        return [s[:, self._order] for s in self._model.label_scores(texts)]


def test_one_member_predicts_as_the_member(random_lstm):
    model = random_lstm(seed=1)
    assert list(EnsembleNer([(model, 1.0)]).predict(TEXTS)) == list(model.predict(TEXTS))


def test_members_label_order_does_not_matter(random_lstm):
    model = random_lstm(seed=1)
    order = np.random.default_rng(0).permutation(len(model.labels))
    shuffled = EnsembleNer([(Reordered(model, order), 1.0)])
    assert shuffled.labels != model.labels
    assert list(shuffled.predict(TEXTS)) == list(model.predict(TEXTS))


def test_scores_and_transitions_are_the_weighted_sums(random_lstm):
    a, b = random_lstm(seed=1), random_lstm(seed=2)
    both = EnsembleNer([(a, 0.7), (b, 0.3)])
    np.testing.assert_allclose(both.transitions, 0.7 * a.transitions + 0.3 * b.transitions, rtol=1e-6)
    texts = [t for t in TEXTS if t]
    summed = [0.7 * x + 0.3 * y for x, y in zip(a.label_scores(texts), b.label_scores(texts), strict=True)]
    for mine, expected in zip(both.label_scores(texts), summed, strict=True):
        np.testing.assert_allclose(mine, expected, rtol=1e-5, atol=1e-6)
    paths = viterbi_paths(summed, both.transitions)
    from pipeline.ner.bio import decode

    assert list(both.predict(texts)) == [decode([both.labels[k] for k in p]) for p in paths]
    # a member weighted 0 changes nothing
    assert list(EnsembleNer([(a, 1.0), (b, 0.0)]).predict(TEXTS)) == list(a.predict(TEXTS))


def test_members_must_share_their_labels(random_lstm):
    model = random_lstm()
    other = Reordered(model, list(range(len(model.labels) - 1)))  # one label fewer
    with pytest.raises(ValueError, match="label differently"):
        EnsembleNer([(model, 0.5), (other, 0.5)])


def test_ensemble_directory_runs_as_the_ner_stage(random_lstm, tmp_path):
    from pipeline.components.ner import load_ner_model
    from pipeline.ner.crf import CrfNer

    a, b = random_lstm(seed=1), random_lstm(seed=2)
    a.to_disk(tmp_path / "a")
    b.to_disk(tmp_path / "b")
    spec = write(tmp_path / "both", [(tmp_path / "a", 0.6), (tmp_path / "b", 0.4)])
    assert spec["members"] == [{"path": "../a", "weight": 0.6}, {"path": "../b", "weight": 0.4}]
    assert json.loads((tmp_path / "both" / "ensemble.json").read_text()) == spec
    assert is_ensemble(tmp_path / "both") and not is_ensemble(tmp_path / "a")
    model = load_ner_model(str(tmp_path / "both"))
    assert isinstance(model, EnsembleNer) and [w for _, w in model.members] == [0.6, 0.4]
    expected = EnsembleNer(
        [(load_ner_model(str(tmp_path / "a")), 0.6), (load_ner_model(str(tmp_path / "b")), 0.4)]
    )
    assert list(model.predict(TEXTS)) == list(expected.predict(TEXTS))
    # a CRF member: its scores per text come from `label_scores` too
    crf = load_ner_model("pipeline/models/ner_zh")
    assert isinstance(crf, CrfNer)
    assert [s.shape for s in crf.label_scores(TEXTS)] == [(len(t), len(crf.labels)) for t in TEXTS]


def test_tune_scores_each_weight_as_the_ensemble_scores(random_lstm, tmp_path, write_ner_data):
    from pipeline.components.ner import load_ner_model
    from pipeline.ner.ensemble import best_weights, f1, tune

    sentences = [("王李", [(0, 1, "PER"), (1, 2, "PER")]), ("张", [(0, 1, "PER")])]
    write_ner_data(tmp_path, sentences, repeat=1)
    a, b = random_lstm(seed=1), random_lstm(seed=2)
    a.arrays["out_b"][a.labels.index("O")] += 100.0  # a finds nothing
    b.arrays["out_b"][b.labels.index("S-PER")] += 100.0  # b calls every character a person
    a.to_disk(tmp_path / "a")
    b.to_disk(tmp_path / "b")
    scores = tune(tmp_path / "dev.spacy", [tmp_path / "a", tmp_path / "b"], step=0.5)
    assert sorted(scores) == [(0.0, 1.0), (0.5, 0.5), (1.0, 0.0)]
    assert scores[(0.0, 1.0)] == 1.0 and scores[(1.0, 0.0)] == 0.0
    assert best_weights(scores) == (0.0, 1.0)
    a, b = load_ner_model(str(tmp_path / "a")), load_ner_model(str(tmp_path / "b"))
    assert scores[(0.5, 0.5)] == f1(EnsembleNer([(a, 0.5), (b, 0.5)]), sentences)


def test_weight_grid_and_ties():
    from pipeline.ner.ensemble import best_weights, weight_grid_units

    grid = weight_grid_units(3, 10)
    assert len(grid) == 66 and all(sum(g) == 10 for g in grid) and len(set(grid)) == 66
    # equal scores: the weighting nearest to equal weights wins
    assert best_weights({(0.2, 0.8): 0.9, (0.5, 0.5): 0.9, (1.0, 0.0): 0.8}) == (0.5, 0.5)


def test_ensemble_version_names_its_members_and_weights(random_lstm, tmp_path):
    from pipeline.ner.lstm import package
    from pipeline.run import _model_dir_version

    for seed, name in ((1, "a"), (2, "b")):
        random_lstm(seed=seed).to_disk(tmp_path / f"raw_{name}", meta={"name": name})
        package(tmp_path / f"raw_{name}", tmp_path / name)
    write(tmp_path / "both", [(tmp_path / "a", 0.6), (tmp_path / "b", 0.4)])
    a, b = _model_dir_version(tmp_path / "a"), _model_dir_version(tmp_path / "b")
    assert a.startswith("a ") and b.startswith("b ") and a[2:] != b[2:]  # versions: the weights' hashes
    assert _model_dir_version(tmp_path / "both") == f"both ({a} x0.6 + {b} x0.4)"
