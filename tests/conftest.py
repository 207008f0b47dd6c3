from __future__ import annotations

import pytest

from pipeline.evaluate.report import default_data_dir


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data, or a clean skip when it is absent (a clone without ../shared)."""
    path = default_data_dir()
    if not path.is_dir():
        pytest.skip(f"../shared/data not found at {path}: evaluation data is not available here")
    return path


@pytest.fixture(scope="session")
def processor():
    """The default pipeline, loaded once per test session."""
    from pipeline.process import ArticleProcessor

    return ArticleProcessor()
