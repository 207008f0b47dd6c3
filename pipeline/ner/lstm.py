"""A character BiLSTM-CRF for PER / LOC / ORG: the CRF's inputs (pipeline/ner/crf.py, feature
set 6) as embeddings, a bidirectional LSTM over them, and a CRF layer over its label scores.

Per character the network reads (`inputs`):
- the character and the character bigram starting at it (vocabularies of the training text;
  rarer ones share an "unknown" id),
- its position in its rjieba word (B/M/E/S by word length, the CRF's `wordpos`),
- per type (PER, LOC, ORG) the People's Daily lexicon's begin length, end length and inside flag
  (pipeline/ner/lexicon.py, `Lexicon`), and how far ahead the nearest organisation ending lies
  (`OrgSuffixes`), the same values as the CRF's feature set 6.

The linear CRF sees two characters either side; the LSTM sees the whole sentence, so a name's
first character can depend on what comes ten characters later (国务院 ... 委员会), and characters
it has not seen in a name still get a useful vector from the ones around them.

Training needs PyTorch (`pip install -e '.[train]'`, pinned to the CPU build 2.13.0); prediction
is numpy only (`LstmNer`: the embeddings, the LSTM's recurrences batched over sentences, and the
CRF's Viterbi of pipeline/ner/crf.py), so the pipeline does not need torch.

    python -m pipeline.ner.lstm train build/ner/cluener build/ner/lstm \\
        --lexicon ../shared/data/peoples_daily/199801.utf8
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from pipeline.ner.bio import decode, span_prf, to_bioes
from pipeline.ner.crf import (
    _CP,
    _EOS,
    _MASK,
    MODEL_FILE,
    RESOURCE_ARRAYS,
    KeyTable,
    Resources,
    Span,
    batch_feature_keys,
    predict_padded,
    read_docbin,
    read_meta,
    resource_arrays,
    resources_from_arrays,
    ship,
    split_rows,
    write_meta,
)
from pipeline.ner.lexicon import LENGTH_CAP, TYPES, Lexicon, OrgSuffixes

FEATURE_SET = 6  # the CRF feature set whose values the network reads (columns below)
_C0, _CP1, _POS, _LEX, _SFX = 0, 2, 10, 15, 19  # columns of feature set 6's keys
PAD, UNK = 0, 1
LEX_VALUES = (LENGTH_CAP + 1) * (LENGTH_CAP + 1) * 2  # begin x end x inside, per type
POS_VALUES = 10
SFX_VALUES = 9
BATCH_CHARS = 4_000  # padded characters per prediction batch (larger ones are slower: big temporaries)
LABELS = ["O"] + [f"{p}-{t}" for t in TYPES for p in "BIES"]  # BIOES, the order the network's outputs have
INPUT_TABLES = ("char_emb", "bigram_emb", "pos_emb", "lex_emb0", "lex_emb1", "lex_emb2", "sfx_emb")


def is_lstm_model(path: str | Path) -> bool:
    """Whether the model.npz in `path` is this network's (the CRF's has no LSTM weights)."""
    with np.load(Path(path) / MODEL_FILE) as data:
        return "lstm_w_ih_fwd" in data.files


def inputs(keys: np.ndarray, chars: KeyTable, bigrams: KeyTable) -> np.ndarray:
    """(n, 7) int64 per character: char id, bigram id, word position, lexicon value per type
    (PER, LOC, ORG), organisation-ending distance; from feature set 6's keys of the characters."""
    values = keys & _MASK
    c0, cp1 = values[:, _C0], values[:, _CP1]
    out = np.empty((len(keys), 4 + len(TYPES)), dtype=np.int64)
    out[:, 0] = chars.get(c0)
    out[:, 1] = bigrams.get((c0 << _CP) | cp1)
    out[:, 2] = values[:, _POS]
    for t in range(len(TYPES)):
        v = values[:, _LEX + t]
        begin, end, inside = v >> np.uint64(8), (v >> np.uint64(4)) & np.uint64(15), v & np.uint64(1)
        out[:, 3 + t] = (begin * np.uint64(LENGTH_CAP + 1) + end) * np.uint64(2) + inside
    out[:, 3 + len(TYPES)] = values[:, _SFX]
    return out


def _vocabulary(keys: np.ndarray, min_count: int) -> np.ndarray:
    """The keys seen at least `min_count` times, most frequent first (their ids: 2, 3, ...)."""
    found, counts = np.unique(keys, return_counts=True)
    return found[counts >= min_count][np.argsort(-counts[counts >= min_count], kind="stable")]


def id_table(vocabulary: np.ndarray) -> KeyTable:
    """Key -> id (2.. in vocabulary order; UNK for a key not in it)."""
    return KeyTable(vocabulary, np.arange(2, len(vocabulary) + 2, dtype=np.int64), UNK)


def read_char_vectors(path: Path) -> dict[int, np.ndarray]:
    """Code point -> vector from a word2vec text file (`count dim`, then `token v1 ... vdim` a
    line; pipeline/ner/char_vectors.py writes one). Tokens longer than one character are skipped."""
    vectors: dict[int, np.ndarray] = {}
    with Path(path).open(encoding="utf-8") as f:
        header = f.readline().split()
        dim = int(header[1])
        for line in f:
            parts = line.rstrip("\n").split(" ")
            if len(parts) != dim + 1 or len(parts[0]) != 1:
                continue
            vectors[ord(parts[0])] = np.asarray(parts[1:], dtype=np.float32)
    return vectors


def char_vector_init(table: np.ndarray, char_keys: np.ndarray, vectors: dict[int, np.ndarray]) -> int:
    """Overwrite, in place, the rows of the character `table` (ids: `id_table(char_keys)`) whose
    character has a vector; the others (PAD, UNK, characters without one) keep theirs. The vectors
    are scaled as a whole so that their standard deviation is the table's (its random
    initialisation's), so the other input tables keep their weight relative to them. Returns how
    many rows were set."""
    rows = [(i + 2, vectors[int(k)]) for i, k in enumerate(char_keys) if int(k) in vectors]
    if not rows:
        return 0
    found = np.stack([v for _, v in rows])
    if found.shape[1] != table.shape[1]:
        raise ValueError(
            f"the vectors have {found.shape[1]} dimensions, the character table {table.shape[1]}"
        )
    found = found * (table[2:].std() / max(float(found.std()), 1e-12))
    table[[i for i, _ in rows]] = found
    return len(rows)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # no overflow warnings for large |x|


class LstmNer:
    """The trained network as numpy arrays (their names: `_arrays`, which exports them from torch)."""

    def __init__(self, arrays: dict[str, np.ndarray], labels: list[str], resources: Resources):
        self.arrays = {k: np.asarray(v) for k, v in arrays.items()}
        self.labels = list(labels)
        self.resources = resources
        self.chars = id_table(self.arrays["char_keys"])
        self.bigrams = id_table(self.arrays["bigram_keys"])
        self.meta: dict = {}
        self._weights = {
            k: v.astype(np.float32) for k, v in self.arrays.items() if k.startswith(("lstm_", "out_", "crf_"))
        }
        self._projections = {d: self._project(d) for d in ("fwd", "bwd")}

    def _project(self, direction: str) -> list[tuple[np.ndarray, np.ndarray | None]]:
        """Per input table, (table, W) with the LSTM's input weights W for the table's columns.

        The input projection of a character is the sum over the tables of its row times that
        table's W: for the small tables (all but the bigrams) the product is taken once, here, and
        prediction adds rows of it (W None); the bigram table is too large for that."""
        w_ih = self._weights[f"lstm_w_ih_{direction}"]
        out: list[tuple[np.ndarray, np.ndarray | None]] = []
        at = 0
        for name in INPUT_TABLES:
            table = self.arrays[name].astype(np.float32)
            w = np.ascontiguousarray(w_ih[:, at : at + table.shape[1]].T)  # (dim, 4 hidden)
            at += table.shape[1]
            out.append((table, w) if name == "bigram_emb" else (table @ w, None))
        if at != w_ih.shape[1]:
            raise ValueError(f"the input tables are {at} wide, the LSTM reads {w_ih.shape[1]}")
        return out

    @property
    def transitions(self) -> np.ndarray:
        """The CRF layer's label transition scores, [from, to]."""
        return self._weights["crf_transitions"]

    # ---------------------------------------------------------------- storage
    @classmethod
    def from_disk(cls, path: str | Path) -> LstmNer:
        path = Path(path)
        with np.load(path / MODEL_FILE) as data:
            arrays = {k: data[k] for k in data.files if k not in RESOURCE_ARRAYS}
            resources = resources_from_arrays(data)
        labels = [str(x) for x in arrays.pop("labels")]
        model = cls(arrays, labels, resources)
        model.meta = read_meta(path)
        return model

    def to_disk(self, path: str | Path, meta: dict | None = None) -> None:
        """Weights as float16 (half the size; scores change in the fourth digit), hashes as uint64."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        stored = {k: (v.astype(np.float16) if v.dtype == np.float32 else v) for k, v in self.arrays.items()}
        np.savez_compressed(
            path / MODEL_FILE, labels=np.array(self.labels), **resource_arrays(self.resources), **stored
        )
        write_meta(path, meta or self.meta)

    # ---------------------------------------------------------------- prediction
    def gates_in(self, ids: np.ndarray, direction: str) -> np.ndarray:
        """(n, 4 hidden) float32: the LSTM's input projection plus bias for `inputs` rows."""
        out = np.empty((len(ids), self._weights[f"lstm_w_hh_{direction}"].shape[0]), dtype=np.float32)
        out[:] = self._weights[f"lstm_b_{direction}"]
        for column, (table, w) in enumerate(self._projections[direction]):
            out += table[ids[:, column]] if w is None else table[ids[:, column]] @ w
        return out

    def _lstm(self, gates_in: np.ndarray, lengths: np.ndarray, direction: str) -> np.ndarray:
        """(batch, time, hidden): one direction of the LSTM over a padded batch of input
        projections (batch, time, 4 hidden), each row's sequence in reading order (the backward
        direction's reversed), rows sorted longest first."""
        w_hh_t = np.ascontiguousarray(self._weights[f"lstm_w_hh_{direction}"].T)
        batch, steps, _ = gates_in.shape
        hidden = w_hh_t.shape[0]
        h = np.zeros((batch, hidden), dtype=np.float32)
        c = np.zeros((batch, hidden), dtype=np.float32)
        out = np.zeros((batch, steps, hidden), dtype=np.float32)
        running = batch
        for step in range(steps):
            while running and lengths[running - 1] <= step:
                running -= 1
            g = gates_in[:running, step] + h[:running] @ w_hh_t  # gates i, f, g, o (torch's order)
            i = _sigmoid(g[:, :hidden])
            f = _sigmoid(g[:, hidden : 2 * hidden])
            cell = np.tanh(g[:, 2 * hidden : 3 * hidden])
            o = _sigmoid(g[:, 3 * hidden :])
            c[:running] = f * c[:running] + i * cell
            h[:running] = o * np.tanh(c[:running])
            out[:running, step] = h[:running]
        return out

    def label_scores(self, texts: list[str]) -> list[np.ndarray]:
        """(len(text), labels) label scores per text (the CRF's start and end scores added to the
        first and last rows)."""
        keys = batch_feature_keys(texts, None, FEATURE_SET, self.resources)
        ids = np.vstack([inputs(keys, self.chars, self.bigrams), np.zeros((1, 7), dtype=np.int64)])
        pad = len(ids) - 1  # the all-PAD row of `ids`
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        lengths = np.array([len(texts[i]) for i in order])
        first = (np.cumsum([0] + [len(t) for t in texts])[:-1])[order][:, None]
        steps = np.arange(int(lengths[0]) if len(lengths) else 0)[None, :]
        valid = steps < lengths[:, None]  # (batch, time)
        # the row of `ids` read at each (sequence, step): forwards, and from the last character back
        reading = {
            "fwd": np.where(valid, first + steps, pad),
            "bwd": np.where(valid, first + lengths[:, None] - 1 - steps, pad),
        }
        hidden = {}
        for direction, rows in reading.items():
            gates = self.gates_in(ids[rows.ravel()], direction).reshape(*rows.shape, -1)
            hidden[direction] = self._lstm(gates, lengths, direction)
        # the backward state of a character: the step that read it, lengths - 1 - position
        back = np.where(valid, lengths[:, None] - 1 - steps, steps)
        bwd = np.take_along_axis(hidden["bwd"], back[:, :, None], axis=1)
        w = self._weights
        scores = np.concatenate([hidden["fwd"][valid], bwd[valid]], axis=1) @ w["out_w"].T + w["out_b"]
        result: list[np.ndarray] = [np.zeros((0, len(self.labels)), np.float32)] * len(texts)
        at = 0
        for row, i in enumerate(order):
            s = scores[at : at + lengths[row]]
            at += lengths[row]
            if len(s):
                s[0] += w["crf_start"]
                s[-1] += w["crf_end"]
            result[i] = s
        return result

    def predict(self, texts: Iterable[str], batch_chars: int = BATCH_CHARS) -> Iterator[list[Span]]:
        """Entity spans (start, end, label), character offsets, per text, in order."""
        yield from predict_padded(self, texts, batch_chars)


# ------------------------------------------------------------------------------- training


def _encode(items: list[tuple[str, list[str]]], resources: Resources, chars, bigrams, label_ids) -> list:
    """(inputs, label ids) per sentence, features computed in batches."""
    out = []
    for start in range(0, len(items), 2000):
        chunk = items[start : start + 2000]
        texts = [t for t, _ in chunk]
        keys = batch_feature_keys(texts, None, FEATURE_SET, resources)
        for (_, tags), rows in zip(chunk, split_rows(inputs(keys, chars, bigrams), texts), strict=True):
            out.append((rows, np.array([label_ids[t] for t in to_bioes(tags)], dtype=np.int64)))
    return out


def score(model: LstmNer, items: list[tuple[str, list[str]]]) -> dict:
    """Entity micro P/R/F (exact spans and labels) on (text, BIO tags) items."""
    return span_prf((decode(tags) for _, tags in items), model.predict([t for t, _ in items]))


def _network(sizes: dict, hidden: int, dims: dict, dropout: float):
    import torch
    from torch import nn

    class BiLstmCrf(nn.Module):
        def __init__(self):
            super().__init__()
            self.embeddings = nn.ModuleList(
                nn.Embedding(sizes[name], dims[name], padding_idx=PAD if name in ("char", "bigram") else None)
                for name in ("char", "bigram", "pos", "lex0", "lex1", "lex2", "sfx")
            )
            width = sum(dims[name] for name in ("char", "bigram", "pos", "lex0", "lex1", "lex2", "sfx"))
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(width, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, sizes["labels"])
            n = sizes["labels"]
            self.transitions = nn.Parameter(torch.zeros(n, n))  # [from, to]
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))

        def scores(self, x, lengths):
            emb = torch.cat([e(x[:, :, i]) for i, e in enumerate(self.embeddings)], dim=2)
            packed = nn.utils.rnn.pack_padded_sequence(self.drop(emb), lengths, batch_first=True)
            h, _ = self.lstm(packed)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=x.shape[1])
            return self.out(self.drop(h))

        def loss(self, x, y, lengths):
            """Mean negative log-likelihood of the gold label paths."""
            s = self.scores(x, lengths)
            batch, steps, _ = s.shape
            mask = torch.arange(steps)[None, :] < lengths[:, None]
            rows = torch.arange(batch)
            # gold path score
            gold = self.start[y[:, 0]] + s[rows, 0, y[:, 0]]
            for t in range(1, steps):
                step = self.transitions[y[:, t - 1], y[:, t]] + s[rows, t, y[:, t]]
                gold = gold + step * mask[:, t]
            last = y[rows, lengths - 1]
            gold = gold + self.end[last]
            # partition function (forward algorithm)
            alpha = self.start[None, :] + s[:, 0]
            for t in range(1, steps):
                nxt = torch.logsumexp(alpha[:, :, None] + self.transitions[None], dim=1) + s[:, t]
                alpha = torch.where(mask[:, t, None], nxt, alpha)
            log_z = torch.logsumexp(alpha + self.end[None, :], dim=1)
            return (log_z - gold).mean()

    return BiLstmCrf()


def _arrays(net, chars: np.ndarray, bigrams: np.ndarray) -> dict[str, np.ndarray]:
    """The network's weights as the numpy arrays LstmNer reads."""

    def a(t):
        return t.detach().cpu().numpy().astype(np.float32)

    names = INPUT_TABLES
    out = {name: a(e.weight) for name, e in zip(names, net.embeddings, strict=True)}
    lstm = net.lstm
    for direction, suffix in (("fwd", ""), ("bwd", "_reverse")):
        out[f"lstm_w_ih_{direction}"] = a(getattr(lstm, f"weight_ih_l0{suffix}"))
        out[f"lstm_w_hh_{direction}"] = a(getattr(lstm, f"weight_hh_l0{suffix}"))
        out[f"lstm_b_{direction}"] = a(
            getattr(lstm, f"bias_ih_l0{suffix}") + getattr(lstm, f"bias_hh_l0{suffix}")
        )
    out["out_w"], out["out_b"] = a(net.out.weight), a(net.out.bias)
    out["crf_transitions"], out["crf_start"], out["crf_end"] = a(net.transitions), a(net.start), a(net.end)
    out["char_keys"], out["bigram_keys"] = chars, bigrams
    return out


def _load_arrays(net, arrays: dict[str, np.ndarray]) -> None:
    """Set the network's weights from `_arrays` output (the LSTM's two biases as one)."""
    import torch

    def put(param, value):
        with torch.no_grad():
            param.copy_(torch.from_numpy(np.asarray(value, dtype=np.float32)))

    for name, embedding in zip(INPUT_TABLES, net.embeddings, strict=True):
        put(embedding.weight, arrays[name])
    for direction, suffix in (("fwd", ""), ("bwd", "_reverse")):
        put(getattr(net.lstm, f"weight_ih_l0{suffix}"), arrays[f"lstm_w_ih_{direction}"])
        put(getattr(net.lstm, f"weight_hh_l0{suffix}"), arrays[f"lstm_w_hh_{direction}"])
        put(getattr(net.lstm, f"bias_ih_l0{suffix}"), arrays[f"lstm_b_{direction}"])
        put(getattr(net.lstm, f"bias_hh_l0{suffix}"), np.zeros_like(arrays[f"lstm_b_{direction}"]))
    put(net.out.weight, arrays["out_w"])
    put(net.out.bias, arrays["out_b"])
    put(net.transitions, arrays["crf_transitions"])
    put(net.start, arrays["crf_start"])
    put(net.end, arrays["crf_end"])


def train(
    data: Path,
    out: Path,
    lexicon_source: Path,
    epochs: int = 12,
    batch_size: int = 32,
    lr: float = 1e-3,
    hidden: int = 128,
    dropout: float = 0.4,
    char_min_count: int = 2,
    bigram_min_count: int = 3,
    limit: int | None = None,
    threads: int = 2,
    seed: int = 0,
    init_from: Path | None = None,
    char_vectors: Path | None = None,
) -> dict:
    """Train on DATA/train.spacy, keep the epoch best on DATA/dev.spacy, write OUT. `init_from`:
    a model trained here before (its vocabularies and weights; Adam starts afresh), to train on.
    `char_vectors`: a word2vec text file (pipeline/ner/char_vectors.py) whose vectors replace the
    random initial rows of the character table (`char_vector_init`)."""
    import torch

    if char_vectors is not None and init_from is not None:
        raise ValueError("--char-vectors initialises a new model; --init-from has trained weights already")

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    resources = Resources(
        Lexicon.from_peoples_daily(lexicon_source), None, OrgSuffixes.from_peoples_daily(lexicon_source)
    )
    train_items = list(read_docbin(data / "train.spacy"))[:limit]
    dev_items = list(read_docbin(data / "dev.spacy"))
    start = LstmNer.from_disk(init_from) if init_from is not None else None
    if start is not None:  # the model's vocabularies (the same data would give the same ones)
        char_keys, bigram_keys = start.arrays["char_keys"], start.arrays["bigram_keys"]
    else:  # the keys `inputs` looks up: the code point, and (code point << _CP) | the next one
        texts = [np.frombuffer(t.encode("utf-32-le"), dtype="<u4").astype(np.uint64) for t, _ in train_items]
        pairs = [(c << _CP) | np.append(c[1:], np.uint64(_EOS)) for c in texts]
        char_keys = _vocabulary(np.concatenate(texts), char_min_count)
        bigram_keys = _vocabulary(np.concatenate(pairs), bigram_min_count)
    chars, bigrams = id_table(char_keys), id_table(bigram_keys)
    label_ids = {x: i for i, x in enumerate(LABELS)}
    encoded = _encode(train_items, resources, chars, bigrams, label_ids)
    loaded = time.perf_counter() - started
    sizes = {
        "char": len(char_keys) + 2,
        "bigram": len(bigram_keys) + 2,
        "pos": POS_VALUES,
        "lex0": LEX_VALUES,
        "lex1": LEX_VALUES,
        "lex2": LEX_VALUES,
        "sfx": SFX_VALUES,
        "labels": len(LABELS),
    }
    dims = {"char": 100, "bigram": 50, "pos": 16, "lex0": 16, "lex1": 16, "lex2": 16, "sfx": 8}
    if start is not None:
        hidden = start.arrays["lstm_w_hh_fwd"].shape[1]
        dims = {k: start.arrays[name].shape[1] for k, name in zip(dims, INPUT_TABLES, strict=True)}
    net = _network(sizes, hidden, dims, dropout)
    if start is not None:
        _load_arrays(net, start.arrays)
    vectors_info = None
    if char_vectors is not None:
        vectors = read_char_vectors(char_vectors)
        with torch.no_grad():
            table = net.embeddings[0].weight.detach().numpy().copy()
            found = char_vector_init(table, char_keys, vectors)
            net.embeddings[0].weight.copy_(torch.from_numpy(table))
        vectors_info = {"source": str(char_vectors), "in_file": len(vectors), "set": found}
        print(json.dumps({"char_vectors": vectors_info}), flush=True)
    optimiser = torch.optim.Adam(net.parameters(), lr=lr)
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i][0]))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    history, best, best_arrays = [], -1.0, None
    for epoch in range(1, epochs + 1):
        net.train()
        t0 = time.perf_counter()
        total = 0.0
        for b in rng.permutation(len(batches)):
            ids = sorted(batches[b], key=lambda i: -len(encoded[i][0]))
            lengths = torch.tensor([len(encoded[i][0]) for i in ids])
            steps = int(lengths[0])
            x = torch.zeros((len(ids), steps, encoded[ids[0]][0].shape[1]), dtype=torch.long)
            y = torch.zeros((len(ids), steps), dtype=torch.long)
            for row, i in enumerate(ids):
                x[row, : lengths[row]] = torch.from_numpy(encoded[i][0])
                y[row, : lengths[row]] = torch.from_numpy(encoded[i][1])
            loss = net.loss(x, y, lengths)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optimiser.step()
            total += loss.item() * len(ids)
        net.eval()
        arrays = _arrays(net, char_keys, bigram_keys)
        dev = score(LstmNer(arrays, LABELS, resources), dev_items)
        history.append(
            {
                "epoch": epoch,
                "loss": round(total / len(encoded), 4),
                "dev": dev,
                "seconds": round(time.perf_counter() - t0),
            }
        )
        print(json.dumps(history[-1]), flush=True)
        if dev["f1"] > best:
            best, best_arrays = dev["f1"], arrays
            model = LstmNer(arrays, LABELS, resources)
            info = {
                "feature_set": FEATURE_SET,
                "lexicon": {"source": lexicon_source.name, "names": len(resources.lexicon)},
                "org_suffixes": len(resources.suffixes),
                "sentences": len(encoded),
                "characters": int(sizes["char"]),
                "bigrams": int(sizes["bigram"]),
                "hidden": hidden,
                "dims": dims,
                "dropout": dropout,
                "batch_size": batch_size,
                "lr": lr,
                "epochs": epochs,
                "best_epoch": epoch,
                "init_from": None if init_from is None else str(init_from),
                "char_vectors": vectors_info,
                "load_seconds": round(loaded, 1),
                "train_seconds": round(time.perf_counter() - started - loaded, 1),
                "history": history,
                "dev": dev,
            }
            model.to_disk(out, meta={"name": "ner_zh_lstm", "training": info})
    meta = read_meta(out)
    meta["training"]["history"] = history
    write_meta(out, meta)
    assert best_arrays is not None
    return meta["training"]


def package(source: Path, target: Path) -> dict:
    """Copy a trained model (model.npz, meta.json) into the repository; a README.md there is kept."""
    licence = (
        "research-only (training data: MSRA NER, SIGHAN 2006; CLUENER2020; "
        "names and endings from People's Daily 1998, PKU)"
    )
    return ship(LstmNer.from_disk(source), target, {"license": licence})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train on DATA/train.spacy, keep the best epoch on DATA/dev.spacy")
    t.add_argument("data", type=Path)
    t.add_argument("out", type=Path)
    t.add_argument("--lexicon", type=Path, required=True, help="peoples_daily/199801.utf8")
    t.add_argument("--epochs", type=int, default=12)
    t.add_argument("--batch-size", type=int, default=32)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--hidden", type=int, default=128)
    t.add_argument("--dropout", type=float, default=0.4)
    t.add_argument("--limit", type=int, default=None, help="train on the first N sentences only")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--init-from", type=Path, help="a model trained before, to go on training (new optimiser)")
    t.add_argument(
        "--char-vectors",
        type=Path,
        help="word2vec text file (make train-char-vectors) to initialise the character table from",
    )
    k = sub.add_parser("package", help="copy a trained model into the repository")
    k.add_argument("source", type=Path)
    k.add_argument("target", type=Path)
    args = parser.parse_args()
    if args.command == "package":
        print(json.dumps(package(args.source, args.target), indent=1, ensure_ascii=False))
    else:
        info = train(
            args.data,
            args.out,
            args.lexicon,
            args.epochs,
            args.batch_size,
            args.lr,
            args.hidden,
            args.dropout,
            limit=args.limit,
            threads=args.threads,
            seed=args.seed,
            init_from=args.init_from,
            char_vectors=args.char_vectors,
        )
        print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
