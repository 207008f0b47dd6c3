from __future__ import annotations

import numpy as np
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


# A BiLSTM-CRF with random weights (pipeline/ner/lstm.py), built in numpy: the LSTM and ensemble tests.
LSTM_LABELS = ["O"] + [f"{p}-{t}" for t in ("PER", "LOC", "ORG") for p in "BIES"]
LSTM_TEXTS = [
    "国务院总理在南州市会见了来访的客人。",
    "南州大学",
    "他说",
    "x",
    "北屿县科技局召开会议，王建国出席",
]


def _resources():
    from pipeline.ner.crf import Resources
    from pipeline.ner.lexicon import Lexicon, OrgSuffixes, name_hash

    lexicon = Lexicon.from_names({"南州": 2, "国务院": 4, "王建国": 1})
    return Resources(lexicon, None, OrgSuffixes(np.array([name_hash("局")], dtype=np.uint64)))


def _random_lstm(seed: int = 0, hidden: int = 6):
    from pipeline.ner import lstm

    """A model with random weights in numpy (no torch needed)."""
    rng = np.random.default_rng(seed)
    codes = np.frombuffer("".join(LSTM_TEXTS).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    arrays = {
        "char_keys": np.unique(codes)[:20],
        "bigram_keys": np.unique((codes[:-1] << np.uint64(21)) | codes[1:])[:10],
    }
    dims = {"char_emb": (22, 5), "bigram_emb": (12, 3), "pos_emb": (lstm.POS_VALUES, 2), "sfx_emb": (9, 2)}
    dims |= {f"lex_emb{t}": (lstm.LEX_VALUES, 2) for t in range(3)}
    for name, shape in dims.items():
        arrays[name] = rng.normal(size=shape).astype(np.float32)
    width = sum(shape[1] for shape in dims.values())
    for d in ("fwd", "bwd"):
        arrays[f"lstm_w_ih_{d}"] = rng.normal(size=(4 * hidden, width)).astype(np.float32)
        arrays[f"lstm_w_hh_{d}"] = rng.normal(size=(4 * hidden, hidden)).astype(np.float32)
        arrays[f"lstm_b_{d}"] = rng.normal(size=4 * hidden).astype(np.float32)
    arrays["out_w"] = rng.normal(size=(len(LSTM_LABELS), 2 * hidden)).astype(np.float32)
    arrays["out_b"] = rng.normal(size=len(LSTM_LABELS)).astype(np.float32)
    arrays["crf_transitions"] = rng.normal(size=(len(LSTM_LABELS), len(LSTM_LABELS))).astype(np.float32)
    arrays["crf_start"] = rng.normal(size=len(LSTM_LABELS)).astype(np.float32)
    arrays["crf_end"] = rng.normal(size=len(LSTM_LABELS)).astype(np.float32)
    return lstm.LstmNer(arrays, LSTM_LABELS, _resources())


@pytest.fixture
def random_lstm():
    """A function making a BiLSTM-CRF with random weights: random_lstm(seed=0, hidden=6)."""
    return _random_lstm
