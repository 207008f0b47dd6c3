"""Number facts on the held-out sets (issue 18). The targets are issue 18's, for unseen bulletins, read
on the newest blind set, v13 (30 ranking-rich bulletins, 273 matched numbers, written blind to the
rules and scored once on 2026-12-08 at commit fa0ef09, its errors unread). v12 (344), v11 (394) and
v10 (406) are the other estimates of the same day (scored once each; their fact errors unread, their
ranking errors since read); v9 and v8 were scored once and then read for error analysis; v6, v5 and
v4 were scored once each and their errors never read (tests/heldout/README.md)."""

from __future__ import annotations

import pytest

from pipeline.evaluate import facts

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def report(processor, shared_data):
    return facts.evaluate(shared_data, processor)


# Measured once on the blind v13 (273 matched numbers): metric 0.777, subject 0.824, period 0.864,
# fact F1 0.570 (the session's start on it: 0.740 / 0.766 / 0.853 / 0.505). The day's other blind sets,
# once each: v12 0.852 / 0.863 / 0.898 / 0.682, v11 0.883 / 0.835 / 0.914 / 0.680, v10 0.865 / 0.901 /
# 0.901 / 0.727; the four pooled (1,417 numbers): about 0.850 / 0.859 / 0.897 / 0.673.
V13_MISSED = (
    "measured once on the blind v13 (273 numbers, most of them around rankings): metric 0.777, subject "
    "0.824, fact F1 0.570 against 0.80 / 0.85 / 0.65 (period 0.864 met); v10 and v12 met all four, v11 all "
    "but the subject; v13's errors are unread"
)


def test_blind_period_target(report):
    assert report.metrics[f"{facts.TARGET_SET}.period"] >= facts.TARGETS["period"], report.metrics


@pytest.mark.xfail(reason=V13_MISSED, strict=True)
@pytest.mark.parametrize("measure", ["metric", "subject", "fact_f1"])
def test_blind_targets_missed(report, measure):
    assert report.metrics[f"{facts.TARGET_SET}.{measure}"] >= facts.TARGETS[measure], report.metrics


def test_blind_regression_guard(report):
    m = report.metrics
    assert m["v13.metric"] >= 0.76 and m["v13.subject"] >= 0.81, m
    assert m["v13.period"] >= 0.85 and m["v13.fact_f1"] >= 0.55, m
    assert m["v12.metric"] >= 0.84 and m["v12.subject"] >= 0.85, m
    assert m["v12.period"] >= 0.88 and m["v12.fact_f1"] >= 0.66, m
    assert m["v11.metric"] >= 0.87 and m["v11.subject"] >= 0.82, m
    assert m["v11.period"] >= 0.90 and m["v11.fact_f1"] >= 0.66, m
    assert m["v10.metric"] >= 0.85 and m["v10.subject"] >= 0.89, m
    assert m["v10.period"] >= 0.89 and m["v10.fact_f1"] >= 0.71, m
    # v9 and v8 after their error analysis (no longer blind): 0.858 / 0.929 / 0.925 / 0.762 and
    # 0.829 / 0.892 / 0.916 / 0.691 on 2026-12-08
    assert m["v9.subject"] >= 0.91 and m["v9.fact_f1"] >= 0.74, m
    assert m["v8.subject"] >= 0.87 and m["v8.fact_f1"] >= 0.67, m
    # v6, v5, v4: scored again, their errors never read (0.766, 0.688, 0.642 fact F1 on 2026-12-08)
    assert m["v6.metric"] >= 0.85 and m["v6.subject"] >= 0.87, m
    assert m["v6.period"] >= 0.91 and m["v6.fact_f1"] >= 0.74, m
    assert m["v5.metric"] >= 0.82 and m["v4.metric"] >= 0.80, m
    assert m["v5.subject"] >= 0.81 and m["v4.subject"] >= 0.81, m
    assert m["v5.period"] >= 0.88 and m["v4.period"] >= 0.88, m
    assert m["v5.fact_f1"] >= 0.66 and m["v4.fact_f1"] >= 0.62, m


def test_blind_errors_are_withheld(report):
    # only the counts of a blind set are in the report, never its per-document errors
    assert all(
        set(report.details[v]) == {"counts"} for v in ("v4", "v5", "v6", "v8", "v9", "v10", "v11", "v12")
    )
    assert report.details["dev"]["wrong"]
