"""Recognizers-Text Chinese specs, scored per model (skips cleanly without ../shared/data)."""

from __future__ import annotations

import pytest

from pipeline.evaluate import recognizers


@pytest.fixture(scope="module")
def report(shared_data):
    return recognizers.evaluate(shared_data)


def test_targets(report):
    assert report.failures() == [], {m: report.details["failures"][m] for m in recognizers.MODELS}


@pytest.mark.parametrize("model", ["number", "percent", "currency"])
def test_beats_the_baseline_on_the_spec_as_it_is(report, model):
    correct, _ = recognizers.BASELINE[model]
    assert report.details[model]["correct"] > correct


@pytest.mark.xfail(
    strict=False,
    reason="spec as it is: datetime 66/138 vs 69 (2026-12-08); the gap is the listed convention cases (no "
    "clock times, weeks or recurring sets, durations are numbers)",
)
@pytest.mark.parametrize("model", ["datetime"])
def test_beats_the_baseline_on_the_spec_as_it_is_xfail(report, model):
    correct, _ = recognizers.BASELINE[model]
    assert report.details[model]["correct"] > correct


@pytest.mark.parametrize(("model", "floor"), [("number", 187), ("datetime", 66)])
def test_spec_as_it_is_does_not_regress(report, model, floor):
    assert report.details[model]["correct"] >= floor


def test_every_convention_case_is_reported_with_its_reason(report):
    listed = recognizers.load_conventions()
    assert set(report.details["conventions"]) == set(listed)
    assert all(entry["reason"] for entry in listed.values())


def test_convention_cases_exist_in_the_spec(shared_data):
    ids = {c["id"] for m in recognizers.MODELS for c in recognizers.load_cases(shared_data, m)}
    assert set(recognizers.load_conventions()) <= ids
