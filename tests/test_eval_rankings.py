"""Rankings on bulletins_dev through ArticleProcessor: the targets of issue 5."""

from __future__ import annotations

import pytest

from pipeline.evaluate import rankings

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def report(shared_data):
    return rankings.evaluate(shared_data)


def test_rankings_f1(report):
    assert report.metrics["f1"] >= rankings.TARGETS["f1"], report.as_dict()


def test_rankings_subject_accuracy(report):
    assert report.metrics["subject_accuracy"] >= rankings.TARGETS["subject_accuracy"], report.as_dict()


def test_rankings_change_accuracy(report):
    assert report.metrics["change_accuracy"] >= rankings.TARGETS["change_accuracy"], report.as_dict()


def test_subject_match_rule():
    assert rankings.subject_match("苏州市", "苏州")
    assert rankings.subject_match("成都高新區", "成都高新区")
    assert rankings.subject_match(None, None)
    assert not rankings.subject_match(None, "我省")
    assert not rankings.subject_match("厦门市", "福州市")


def test_runs_the_default_pipeline(report):
    """The evaluation runs ArticleProcessor() as a user does: the ranking stage ran, no article failed."""
    assert "ranking_extractor" in report.details["components"]
    assert report.details["processing_errors"] == {}
