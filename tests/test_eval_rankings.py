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


# v8 (88 rankings), v9 (121), v10 (134) and v11 (159) were written blind to the rules and scored once
# each (v8 on 2026-12-07 at 52bc981: F1 0.875, subject 0.844, change 0.896; v9 on 2026-12-07 at dbf8f1a:
# 0.709 / 0.771 / 0.928; v10 on 2026-12-08 at 7f097d9: 0.881 / 0.835 / 0.965; v11 on 2026-12-08 at
# 8202cb0: 0.769 / 0.908 / 0.950, by this evaluator); their ranking errors were then read for error
# analysis, so their figures since no longer estimate unseen text: they guard the rules that came of
# them (2026-12-08: v8 0.932 / 0.951 / 1.000, v9 0.946 / 0.974 / 0.991, v10 0.928 / 0.902 / 0.976,
# v11 0.885 / 0.942 / 0.957).


def test_read_sets_regression_guard(report):
    m = report.metrics
    assert m["v8.f1"] >= 0.92 and m["v8.subject_accuracy"] >= 0.94 and m["v8.change_accuracy"] >= 0.98, m
    assert m["v9.f1"] >= 0.93 and m["v9.subject_accuracy"] >= 0.96 and m["v9.change_accuracy"] >= 0.98, m
    assert m["v10.f1"] >= 0.91 and m["v10.subject_accuracy"] >= 0.89 and m["v10.change_accuracy"] >= 0.96, m
    assert m["v11.f1"] >= 0.87 and m["v11.subject_accuracy"] >= 0.93 and m["v11.change_accuracy"] >= 0.94, m


# Issue 16's targets for unseen bulletins, read on the blind v12 (170 rankings written blind to the
# rules, scored once on 2026-12-08 at commit 84b7ccc; its errors unread): (rank, total) F1 0.789
# (P 0.796, R 0.782) missed; subject 0.940 and change 0.962 on 133 matches met.
V12_F1_MISSED = (
    "blind v12 (scored once): (rank, total) F1 0.789 (P 0.796, R 0.782) against 0.85; subject 0.940 and "
    "change 0.962 met. v10 and v11, the day's other blind sets, gave 0.881 and 0.769 when scored: the "
    "field sizes and list forms of unseen text are the gap; v12's errors are unread"
)


@pytest.mark.xfail(reason=V12_F1_MISSED, strict=True)
def test_blind_v12_f1_target(report):
    assert report.metrics["v12.f1"] >= 0.85, report.metrics


@pytest.mark.parametrize(
    ("measure", "target"), [("v12.subject_accuracy", 0.90), ("v12.change_accuracy", 0.95)]
)
def test_blind_v12_targets_met(report, measure, target):
    assert report.metrics[measure] >= target, report.metrics


def test_blind_v12_regression_guard(report):
    m = report.metrics
    assert m["v12.f1"] >= 0.77 and m["v12.subject_accuracy"] >= 0.92 and m["v12.change_accuracy"] >= 0.95, m
