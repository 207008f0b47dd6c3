"""Rankings on bulletins_dev through ArticleProcessor: the targets of issue 5."""

from __future__ import annotations

import pytest

from pipeline.evaluate import rankings

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def report(shared_data):
    return rankings.evaluate(shared_data)


def test_rankings_f1(report):
    # met on the 50 articles since 2026-12-08 (0.807 on 2026-12-07 when dev grew from 20 articles):
    # in-sample, the rules were written reading dev; v10 below is the estimate for unseen text
    assert report.metrics["f1"] >= rankings.TARGETS["f1"], report.as_dict()


def test_rankings_f1_regression_guard(report):
    # measured on the 50 articles (2026-12-08): F1 0.910 (P 0.940, R 0.882) with the article-level stage
    assert report.metrics["f1"] >= 0.89, report.as_dict()


def test_article_stage_beats_sentence_rules(report):
    # the article-level stage (fields, lists, holders, repeats) over the sentence-level stage alone:
    # 0.910 against 0.546 (2026-12-08)
    assert report.metrics["f1"] >= report.metrics["rules.f1"] + 0.1, report.as_dict()


def test_cross_validated_chooser_is_reported(report):
    # the learned field chooser under 5-fold cross-validation over articles: F1 0.653 (below the
    # article-level rule: 50 articles hold too few distinct field decisions to learn from; README)
    assert 0.0 < report.metrics["cv5.f1"] <= 1.0
    assert report.metrics["cv5.f1"] >= 0.50, report.as_dict()


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
    assert {"ranking_extractor", "article_context"} <= set(report.details["components"])
    assert report.details["processing_errors"] == {}


# v8 (88 rankings) and v9 (121 rankings) were written blind to the rules and scored once each (v8 on
# 2026-12-07 at commit 52bc981: F1 0.875, subject 0.844, change 0.896; v9 on 2026-12-07 at commit dbf8f1a:
# F1 0.709, subject 0.771, change 0.928); their ranking errors were then read for error analysis, so
# their figures since (v8 0.932 / 0.939 / 1.000, v9 0.905 / 0.955 / 0.991 on 2026-12-08) no longer
# estimate unseen text: they guard the rules that came of them.


def test_read_sets_regression_guard(report):
    m = report.metrics
    assert m["v8.f1"] >= 0.92 and m["v8.subject_accuracy"] >= 0.92 and m["v8.change_accuracy"] >= 0.98, m
    assert m["v9.f1"] >= 0.89 and m["v9.subject_accuracy"] >= 0.94 and m["v9.change_accuracy"] >= 0.98, m


# Issue 16's targets for unseen bulletins, read on the blind v10 (134 rankings written blind to the
# rules, scored once on 2026-12-08 at commit 7f097d9; its errors unread): (rank, total) F1 0.881
# (P 0.906, R 0.858), change 0.965 met; subject 0.835 on 115 matches missed.
V10_SUBJECT_MISSED = (
    "blind v10 (scored once): subject 0.835 on 115 matches against 0.90 (F1 0.881 and change 0.965 met); "
    "its errors are unread, so which holders it misses is not known; on the read sets the misses were "
    "holders the sentence stage cuts or carries from the wrong clause"
)


@pytest.mark.parametrize(("measure", "target"), [("v10.f1", 0.85), ("v10.change_accuracy", 0.95)])
def test_blind_v10_targets_met(report, measure, target):
    assert report.metrics[measure] >= target, report.metrics


@pytest.mark.xfail(reason=V10_SUBJECT_MISSED, strict=True)
def test_blind_v10_subject_target(report):
    assert report.metrics["v10.subject_accuracy"] >= 0.90, report.metrics


def test_blind_v10_regression_guard(report):
    m = report.metrics
    assert m["v10.f1"] >= 0.87 and m["v10.subject_accuracy"] >= 0.82 and m["v10.change_accuracy"] >= 0.95, m
