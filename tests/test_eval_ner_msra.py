"""MSRA NER test set through the statistical NER stage (targets from issue 4), for every shipped
model: the default CRF (ner_zh), the ensemble of the CRF and two BiLSTM-CRFs (ner_zh_ensemble, which
meets both targets), the BiLSTM-CRF alone (ner_zh_lstm) and the spaCy CNN (ner_zh_cnn)."""

from __future__ import annotations

import pytest

from pipeline.components.ner import SHIPPED_MODELS, is_model_dir
from pipeline.evaluate import ner_msra

# Measured on the shipped models (see their README.md); the guards sit just below.
MEASURED = {
    "ner_zh": {"f1": 0.9057, "f1_ORG": 0.8447},
    "ner_zh_ensemble": {"f1": 0.9205, "f1_ORG": 0.886},
    "ner_zh_lstm": {"f1": 0.9076, "f1_ORG": 0.8607},
    "ner_zh_cnn": {"f1": 0.8497, "f1_ORG": 0.7728},
}
MARGIN = 0.01
MODELS = [
    pytest.param(name, marks=pytest.mark.skipif(not is_model_dir(path), reason=f"{name} not trained"))
    for name, path in SHIPPED_MODELS.items()
]
# Where a model is below a target (model -> the metrics below target), and why.
BELOW_TARGET = {
    "ner_zh": (
        ("f1", "f1_ORG"),
        "the default CRF (BIOES labels, People's Daily name lexicon and organisation endings): a linear "
        "model over a window of characters",
    ),
    "ner_zh_lstm": (("f1", "f1_ORG"), "the BiLSTM-CRF alone, trained from scratch on the NER data"),
    "ner_zh_cnn": (("f1", "f1_ORG"), "the spaCy CNN"),
}


@pytest.fixture(scope="module", params=MODELS)
def report(request, shared_data):
    model = None if request.param == "ner_zh" else request.param  # None: the pipeline's default
    return request.param, ner_msra.evaluate(shared_data, model)


def test_no_invalid_records(report):
    _, result = report
    assert result.details["invalid_records"] == 0


@pytest.mark.parametrize("metric", ["f1", "f1_ORG"])
def test_no_regression(report, metric):
    name, result = report
    assert result.metrics[metric] >= MEASURED[name][metric] - MARGIN, result.as_dict()


@pytest.mark.parametrize("metric", sorted(ner_msra.TARGETS))
def test_targets(report, metric, request):
    name, result = report
    below, why = BELOW_TARGET.get(name, ((), ""))
    if metric in below:
        request.applymarker(pytest.mark.xfail(strict=False, reason=f"measured {MEASURED[name]}: {why}"))
    assert result.metrics[metric] >= ner_msra.TARGETS[metric], result.as_dict()
