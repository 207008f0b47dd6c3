"""Number facts on the blind sets (issue 18): v6, v5 and v4 were written blind to the rules and their
fact figures were scored once each (v5 and v4 on 2026-12-07 at commit 2ab63fe, v6 after the later rules
on 2026-12-07 at commit 435bd55, v8 at commit 52bc981 (then read for error analysis), v9 at commit dbf8f1a; their errors unread but
v8's: tests/heldout/README.md). The targets are issue 18's, for unseen bulletins, read on the newest
blind set, v9."""

from __future__ import annotations

import pytest

from pipeline.evaluate import facts

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def report(processor, shared_data):
    return facts.evaluate(shared_data, processor)


MISSED = (
    "measured once on the blind v9 (267 matched numbers): metric 0.783, subject 0.813, period 0.891, "
    "fact F1 0.608 (0.775 / 0.663 / 0.685 / 0.388 with the rules of the session's start); "
    "measured once on the blind v8 (333 matched numbers): metric 0.775, subject 0.607, period 0.901, "
    "fact F1 0.453 (0.775 / 0.595 / 0.805 / 0.405 before the rules that followed v6); "
    "measured once on the blind v6 (353 matched numbers): metric 0.856, subject 0.677, period 0.887, "
    "fact F1 0.562; earlier rules, once  on the blind v5 (366 matched numbers): metric 0.828, subject 0.527, period 0.861, "
    "fact F1 0.383; v4 (316): 0.775 / 0.642 / 0.759 / 0.403. Subjects are the gap: holders the NER "
    "stage does not find (县工业园, 兰白自创区), side holders taken for the subject, groups as subjects "
    "(16个高新区), places named only by the headline"
)


@pytest.mark.parametrize("measure", ["period"])
def test_blind_targets_met(report, measure):
    # met on v9 (0.891), v8, v6 and v5; the metric was met on v6 and v5 only
    assert report.metrics[f"v9.{measure}"] >= facts.TARGETS[measure], report.metrics


@pytest.mark.xfail(reason=MISSED, strict=True)
@pytest.mark.parametrize("measure", ["metric", "subject", "fact_f1"])
def test_blind_targets_missed(report, measure):
    assert report.metrics[f"v9.{measure}"] >= facts.TARGETS[measure], report.metrics


def test_blind_regression_guard(report):
    m = report.metrics
    assert m["v9.metric"] >= 0.77 and m["v9.subject"] >= 0.79, m
    assert m["v9.period"] >= 0.87 and m["v9.fact_f1"] >= 0.59, m
    # v8 after its error analysis (not blind): metric 0.802, subject 0.856, period 0.901, fact F1 0.640
    assert m["v8.subject"] >= 0.84 and m["v8.fact_f1"] >= 0.62, m
    assert m["v6.metric"] >= 0.83 and m["v6.subject"] >= 0.65, m
    assert m["v6.period"] >= 0.86 and m["v6.fact_f1"] >= 0.54, m
    assert m["v5.metric"] >= 0.80 and m["v4.metric"] >= 0.75, m
    assert m["v5.subject"] >= 0.50 and m["v4.subject"] >= 0.62, m
    assert m["v5.period"] >= 0.84 and m["v4.period"] >= 0.74, m
    assert m["v5.fact_f1"] >= 0.36 and m["v4.fact_f1"] >= 0.38, m


def test_blind_errors_are_withheld(report):
    # only the counts of a blind set are in the report, never its per-document errors
    assert all(set(report.details[v]) == {"counts"} for v in ("v4", "v5", "v6", "v8", "v9"))
    assert report.details["dev"]["wrong"]
