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
    # measured on the 50 articles (2026-12-08): F1 0.917 (P 0.947, R 0.888) with the article-level stage
    assert report.metrics["f1"] >= 0.89, report.as_dict()


def test_article_stage_beats_sentence_rules(report):
    # the article-level stage (fields, lists, holders, repeats) over the sentence-level stage alone:
    # 0.917 against 0.546 (2026-12-08)
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


# v12 (170 rankings) was scored once on 2026-12-08 at 84b7ccc (F1 0.789, subject 0.940, change 0.962)
# and its ranking errors then read: 0.860 / 0.938 / 0.958 since, a read set.


def test_v12_read_set_guard(report):
    m = report.metrics
    assert m["v12.f1"] >= 0.84 and m["v12.subject_accuracy"] >= 0.92 and m["v12.change_accuracy"] >= 0.95, m


# Issue 16's targets for unseen bulletins, read on the blind v13 (149 rankings written blind to the
# rules, scored once on 2026-12-08 at commit fa0ef09; its errors unread): (rank, total) F1 0.878
# (P 0.884, R 0.873) and change 0.992 met; subject 0.869 on 130 matches missed (the session's start on
# it: 0.757 / 0.853 by the scorer).
V13_SUBJECT_MISSED = (
    "blind v13 (scored once): subject 0.869 on 130 matches against 0.90 (F1 0.878 and change 0.992 met); "
    "v12, the previous blind set, met the subject (0.940) and missed F1 (0.789): the holders and field sizes "
    "of unseen text are each short on one set or the other; v13's errors are unread"
)


@pytest.mark.parametrize(("measure", "target"), [("v13.f1", 0.85), ("v13.change_accuracy", 0.95)])
def test_blind_v13_targets_met(report, measure, target):
    assert report.metrics[measure] >= target, report.metrics


@pytest.mark.xfail(reason=V13_SUBJECT_MISSED, strict=True)
def test_blind_v13_subject_target(report):
    assert report.metrics["v13.subject_accuracy"] >= 0.90, report.metrics


def test_blind_v13_regression_guard(report):
    m = report.metrics
    assert m["v13.f1"] >= 0.86 and m["v13.subject_accuracy"] >= 0.85 and m["v13.change_accuracy"] >= 0.97, m
