"""Sample sentences and models for the NER model tests (test_ner_crf, test_ner_lstm,
test_ner_ensemble), written for them."""

from __future__ import annotations

import numpy as np

from pipeline.ner import lstm
from pipeline.ner.crf import Resources
from pipeline.ner.lexicon import Lexicon, OrgSuffixes, name_hash

# Training sentences: (text, [(start, end, label)]).
SENTENCES = [
    ("王建国在南州市调研。", [(0, 3, "PER"), (4, 7, "LOC")]),
    ("南州市科技局发布通知。", [(0, 6, "ORG")]),
    ("李红梅到北屿县考察。", [(0, 3, "PER"), (4, 7, "LOC")]),
    ("北屿县科技局召开会议。", [(0, 6, "ORG")]),
    ("今天天气很好。", []),
]
# Texts to run models on: different lengths, one of a single Latin letter.
TEXTS = ["国务院总理在南州市会见了来访的客人。", "南州大学", "他说", "x", "北屿县科技局召开会议，王建国出席"]


def resources() -> Resources:
    lexicon = Lexicon.from_names({"南州": 2, "国务院": 4, "王建国": 1})
    return Resources(lexicon, None, OrgSuffixes(np.array([name_hash("局")], dtype=np.uint64)))


def random_lstm(seed: int = 0, hidden: int = 6) -> lstm.LstmNer:
    """A BiLSTM-CRF with random weights, built in numpy (no torch needed); its vocabularies hold
    some of the characters and bigrams of TEXTS."""
    rng = np.random.default_rng(seed)
    codes = np.frombuffer("".join(TEXTS).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
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
    n = len(lstm.LABELS)
    arrays["out_w"] = rng.normal(size=(n, 2 * hidden)).astype(np.float32)
    arrays["out_b"] = rng.normal(size=n).astype(np.float32)
    arrays["crf_transitions"] = rng.normal(size=(n, n)).astype(np.float32)
    arrays["crf_start"] = rng.normal(size=n).astype(np.float32)
    arrays["crf_end"] = rng.normal(size=n).astype(np.float32)
    return lstm.LstmNer(arrays, lstm.LABELS, resources())
