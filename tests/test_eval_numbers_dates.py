"""numbers_dates evaluation on bulletins_dev (skips cleanly without ../shared/data)."""

from __future__ import annotations

import pytest

from pipeline.evaluate import numbers_dates


@pytest.fixture(scope="module")
def report(shared_data):
    return numbers_dates.evaluate(shared_data)


def test_targets(report):
    assert report.failures() == [], report.details["errors"]


def test_every_document_was_scored(report):
    # the 50 articles of bulletins_dev (492 numbers, 171 dates; its README's counts table)
    d = report.details
    assert d["numbers"]["tp"] + d["numbers"]["fn"] == 492
    assert d["dates"]["tp"] + d["dates"]["fn"] == 171


def test_runs_the_default_pipeline(report, processor):
    """Measured as a user runs it: every default stage that loads here, not a hand-picked list."""
    assert report.details["components"] == list(processor.nlp.pipe_names)
    assert {"number_extractor", "date_extractor", "organization_rules"} <= set(report.details["components"])
