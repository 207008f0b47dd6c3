"""Rankings on bulletins_dev through ArticleProcessor: the targets of issue 5."""

from __future__ import annotations

import pytest

from pipeline.evaluate import rankings

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def report(shared_data):
    return rankings.evaluate(shared_data)


@pytest.mark.xfail(
    reason="bulletins_dev grew from 20 to 50 articles (161 rankings): on all 50 the pipeline measures "
    "(rank, total) F1 0.807 (P 0.854, R 0.764; 1.00 on the first 20), the sentence-level stage alone "
    "0.542: list members named without an order word, fields stated only far away or by a report's "
    "name (c113, c115, c125), ranks read from text the sentence stage misses (issue 16)",
    strict=False,
)
def test_rankings_f1(report):
    assert report.metrics["f1"] >= rankings.TARGETS["f1"], report.as_dict()


def test_rankings_f1_regression_guard(report):
    # measured on the 50 articles (2026-12-07): F1 0.807 with the article-level stage
    assert report.metrics["f1"] >= 0.78, report.as_dict()


def test_article_stage_beats_sentence_rules(report):
    # the article-level stage (fields, lists, holders, repeats) over the sentence-level stage alone:
    # 0.807 against 0.542
    assert report.metrics["f1"] >= report.metrics["rules.f1"] + 0.1, report.as_dict()


def test_cross_validated_chooser_is_reported(report):
    # the learned field chooser under 5-fold cross-validation over articles: F1 0.555 (below the
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


# v8 (88 rankings written blind to the rules) was scored once on 2026-12-07 at commit 52bc981: (rank,
# total) F1 0.875, subject 0.844, change 0.896 on 77 matches. Its ranking errors were then read for
# error analysis (a change before the rank it leads to; 我县 named by the headline; a deictic after a
# clause break): since then subject 0.922, change 1.000 on it, which no longer estimate unseen text.


def test_v8_regression_guard(report):
    m = report.metrics
    assert m["v8.f1"] >= 0.86, m
    assert m["v8.subject_accuracy"] >= 0.90 and m["v8.change_accuracy"] >= 0.98, m


# Issue 16's targets for unseen bulletins, read on the blind v9 (121 rankings written blind to the
# rules, scored once on 2026-12-07 at commit dbf8f1a; its errors unread).
V9_MISSED = (
    "blind v9 (scored once): (rank, total) F1 0.709 (P 0.735, R 0.686), subject 0.771 and change 0.928 on "
    "83 matches, against 0.85 / 0.90 / 0.95: ranking phrasings and fields the rules do not cover"
)


@pytest.mark.xfail(reason=V9_MISSED, strict=True)
@pytest.mark.parametrize(
    ("measure", "target"), [("v9.f1", 0.85), ("v9.subject_accuracy", 0.90), ("v9.change_accuracy", 0.95)]
)
def test_blind_v9_targets(report, measure, target):
    assert report.metrics[measure] >= target, report.metrics


def test_blind_v9_regression_guard(report):
    m = report.metrics
    assert m["v9.f1"] >= 0.69 and m["v9.subject_accuracy"] >= 0.75 and m["v9.change_accuracy"] >= 0.91, m
