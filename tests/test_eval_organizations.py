"""The organisations evaluation (issue 4) against ../shared/data: bulletins_dev and CLUENER dev."""

from __future__ import annotations

import pytest

from pipeline.evaluate import organizations


@pytest.fixture(scope="module")
def report(shared_data):
    return organizations.evaluate(shared_data)


def test_bulletins_target(report):
    # met on dev since issue 23's article-level names (0.940, 2026-12-07; 0.819 before): optimistic,
    # the rules were written reading dev; the blind estimate is v7's (tests/heldout/README.md)
    assert report.metrics["bulletins.f1"] >= organizations.TARGETS["bulletins.f1"], report.details


def test_bulletins_regression_guard(report):
    # measured on the 50 articles (2026-12-07): F1 0.928 with the default pipeline (0.819 before the
    # article-level names of issue 23)
    assert report.metrics["bulletins.f1"] >= 0.91


def test_bulletins_rules_alone_regression_guard(report):
    # measured on the 50 articles (2026-12-07): F1 0.879 with the rule stage and the merge stage's
    # article-level names (0.788, P 0.864, R 0.724 before them; on the first 20 it was 0.966: the rules
    # were written reading them)
    assert report.metrics["rules.bulletins.f1"] >= 0.86


@pytest.mark.xfail(
    reason="CLUENER ORG (sports clubs, brands, 监管部门...) is mostly beyond a suffix grammar, and the "
    "statistical NER stage (CRF trained on MSRA + CLUENER train) brings the pipeline to F1 0.747 only",
    strict=False,
)
def test_cluener_target(report):
    assert report.metrics["cluener.f1"] >= organizations.TARGETS["cluener.f1"]


def test_cluener_regression_guard(report):
    # measured with the whole pipeline (default NER model, the CRF): F1 0.747 (0.401 before CLUENER
    # training, 0.709 before the merge policy kept city-named clubs and NER names extending a rule
    # name, 0.742 before NER names corrected a rule name's start); 0.741 since issue 23's article-level
    # names, whose conventions CLUENER does not share (a foreign country before a foreign body is a
    # place, an outlet in 《》 or before 记者 is a name)
    assert report.metrics["cluener.f1"] >= 0.73
    # measured with the rule stage alone: F1 0.293, P 0.691
    assert report.metrics["rules.cluener.f1"] >= 0.27
    assert report.metrics["rules.cluener.p"] >= 0.64


def test_blind_v7_target(report):
    # v7 (32 organisation-rich bulletins written blind to the rules for issue 23) scored once at the
    # end of that work (2026-12-07, commit a0d7179): F1 0.901 (P 0.912, R 0.890; 0.855 before it)
    assert report.metrics["v7.f1"] >= organizations.TARGETS["v7.f1"], report.metrics


def test_blind_v7_errors_are_withheld(report):
    assert set(report.details["full.v7"]) <= {"tp", "fp", "fn", "p", "r", "f1"}
