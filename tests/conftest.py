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
def pg_server():
    """A PostgreSQL server started on loopback for this session, shared by every test file that
    needs one (skips when none is installed)."""
    from pg_server import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer.start()
    except PostgresUnavailable as e:
        pytest.skip(str(e))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def processor():
    """The default pipeline, loaded once per test session."""
    from pipeline.process import ArticleProcessor

    return ArticleProcessor()


@pytest.fixture(scope="session")
def write_ner_data():
    """A function writing NER training data for the CRF tests: `sentences` ([(text, [(start, end,
    label)])]) repeated `repeat` times as DIRECTORY/train.spacy, the same docs as dev.spacy."""
    from spacy.tokens import DocBin

    from pipeline.ner.convert import blank_nlp, to_doc

    def write(directory, sentences, repeat: int = 5) -> None:
        nlp = blank_nlp()
        docs = DocBin(store_user_data=False)
        for text, ents in sentences * repeat:
            docs.add(to_doc(nlp, text, ents))
        docs.to_disk(directory / "train.spacy")
        docs.to_disk(directory / "dev.spacy")

    return write


@pytest.fixture
def random_lstm():
    """A function making a BiLSTM-CRF with random weights: random_lstm(seed=0, hidden=6)."""
    from ner_samples import random_lstm

    return random_lstm
