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
    d = report.details
    assert d["numbers"]["tp"] + d["numbers"]["fn"] == 166
    assert d["dates"]["tp"] + d["dates"]["fn"] == 67
