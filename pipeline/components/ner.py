"""The statistical NER stage: a trained spaCy pipeline finds persons, locations and organisations.

Factory "statistical_ner". By default it runs the model shipped in `pipeline/models/ner_zh`: a
character CRF (pipeline/ner/crf.py) trained on MSRA and CLUENER by `make train-ner`, see its
README.md. `model` may instead be "ner_zh_ensemble" (the CRF and the BiLSTM-CRF summed,
pipeline/ner/ensemble.py: the most accurate, several times slower), "ner_zh_lstm" (the shipped
character BiLSTM-CRF, pipeline/ner/lstm.py, `make train-ner-lstm`), "ner_zh_cnn" (the shipped
spaCy CNN model, `make train-ner-cnn`), a path to a CRF, a BiLSTM-CRF, an ensemble or a saved
spaCy pipeline, or the name of an installed spaCy pipeline (e.g. "zh_core_web_sm"), whose labels
`label_map` maps to record kinds. The NER model tokenises the text itself (the host pipeline's
tokens are ignored): the text is cut into sentence-sized chunks (`chunks`: a sentence over
`max_chunk_chars` is cut after a clause mark, its pieces reading 50 characters of context either
side), the chunks run through the model (`predict` of the CRF, the BiLSTM-CRF or an ensemble, `pipe`
of a spaCy pipeline), and the entity character offsets are mapped back to the article text.

Organisations get `org_type` "other": the merge component refines it and reconciles these
mentions with the rule stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from threading import RLock
from typing import NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, add_mentions, doc_text, mentions
from pipeline.ner.crf import MODEL_FILE as CRF_MODEL_FILE
from pipeline.ner.crf import CrfNer
from pipeline.ner.ensemble import EnsembleNer, is_ensemble
from pipeline.ner.lstm import LstmNer, is_lstm_model
from pipeline.sentences import sentence_bounds

MODELS_DIR = Path(__file__).resolve().parents[1] / "models"
SHIPPED_NAME = "ner_zh"  # the default: the character CRF (pipeline/ner/crf.py)
CNN_NAME = "ner_zh_cnn"  # the alternative: a spaCy pipeline (character CNN + transition-based NER)
LSTM_NAME = "ner_zh_lstm"  # the alternative: a character BiLSTM-CRF (pipeline/ner/lstm.py)
ENSEMBLE_NAME = "ner_zh_ensemble"  # the CRF and the BiLSTM-CRF together (pipeline/ner/ensemble.py)
SHIPPED_MODELS = {name: MODELS_DIR / name for name in (SHIPPED_NAME, CNN_NAME, LSTM_NAME, ENSEMBLE_NAME)}
ArrayModel = CrfNer | LstmNer | EnsembleNer  # the models of pipeline/ner, predicting with numpy
SHIPPED_MODEL = SHIPPED_MODELS[SHIPPED_NAME]

# NER label -> record kind. MSRA labels (the shipped model) and OntoNotes labels (zh_core_web_*).
# OntoNotes NORP (nationalities, religious and political groups: 中国人, 佛教徒) is left out on
# purpose: it is neither a place nor an organisation. Add it through `label_map` if wanted.
DEFAULT_LABEL_MAP: dict[str, str] = {
    "PER": "person",
    "PERSON": "person",
    "LOC": "location",
    "GPE": "location",
    "FAC": "location",
    "ORG": "organization",
}

_CLAUSE_ENDS = "，,、：:"


class NerModelNotAvailable(OSError):
    """The configured NER model cannot be loaded; the message says how to get it."""


_MODELS: dict[str, Language] = {}
_LOCK = RLock()  # re-entrant: an ensemble loads its members through load_ner_model


def shipped_path(model: str | Path | None) -> Path | None:
    """The directory of a model shipped in pipeline/models (None: the default), else None."""
    if model is None:
        return SHIPPED_MODEL
    return SHIPPED_MODELS.get(str(model))


def model_key(model: str | Path | None) -> str:
    return str(shipped_path(model) or model)


def load_ner_model(model: str | Path | None = None) -> Language | ArrayModel:
    """The NER model, loaded once per process (None: the shipped model): a spaCy pipeline, the
    CRF of pipeline/ner/crf.py or the BiLSTM-CRF of pipeline/ner/lstm.py (a directory holding
    its model.npz)."""
    key = model_key(model)
    with _LOCK:
        if key not in _MODELS:
            _MODELS[key] = _load(model)
        return _MODELS[key]


def is_model_dir(path: Path) -> bool:
    """Whether `path` holds a saved spaCy pipeline or a CRF, BiLSTM-CRF or ensemble model."""
    return (path / "config.cfg").is_file() or (path / CRF_MODEL_FILE).is_file() or is_ensemble(path)


def _load(model: str | Path | None) -> Language | ArrayModel:
    import pipeline.ner  # noqa: F401  (registers the shipped model's tokenizer)

    shipped = shipped_path(model)
    array_dir = shipped if shipped is not None else Path(model)
    if is_ensemble(array_dir):
        return EnsembleNer.from_disk(array_dir)
    if (array_dir / CRF_MODEL_FILE).is_file():  # numpy weights: the CRF or the BiLSTM-CRF
        return LstmNer.from_disk(array_dir) if is_lstm_model(array_dir) else CrfNer.from_disk(array_dir)
    if shipped is not None:
        if not (shipped / "config.cfg").is_file():
            target = {CNN_NAME: "train-ner-cnn", LSTM_NAME: "train-ner-lstm"}.get(shipped.name, "train-ner")
            raise NerModelNotAvailable(
                f"the shipped NER model is missing at {shipped}: run `make {target}` "
                "(needs ../shared/data), or configure statistical_ner with model=<spaCy package or path>"
            )
        return spacy.load(shipped)
    try:
        nlp = spacy.load(model)
    except (OSError, ImportError) as exc:
        raise NerModelNotAvailable(
            f"spaCy cannot load the NER model {str(model)!r}. If it is a spaCy pipeline package, "
            f"install it with `python -m spacy download {model}` (or `pip install` its wheel); "
            "otherwise give the path of a directory saved with nlp.to_disk(). "
            f"spaCy said: {exc}"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise NerModelNotAvailable(f"the spaCy pipeline {str(model)!r} has no 'ner' component")
    return nlp


def model_name(model: str | Path | None) -> str:
    """The name used in extractors: "ner.<model name>"."""
    if model is None:
        return SHIPPED_NAME
    if str(model) in SHIPPED_MODELS:
        return str(model)
    path = Path(model)
    return path.name if path.exists() else str(model)


class Chunk(NamedTuple):
    """A piece of an article the NER model reads: it reads text[start:end], and the entities that
    begin inside [keep_start, keep_end) are this chunk's. The two differ only for pieces cut out of
    an over-long sentence, which read some characters of their neighbours as context."""

    start: int
    end: int
    keep_start: int
    keep_end: int


def chunk_bounds(text: str, max_chars: int = 300) -> list[tuple[int, int]]:
    """Sentence-sized (start, end) pieces of `text`, trimmed of surrounding whitespace.

    A sentence longer than `max_chars` is cut after the last clause mark (，、：) before the limit,
    or at the limit when there is none.
    """
    return [(start, end) for pieces in _sentence_pieces(text, max_chars) for start, end in pieces]


def chunks(text: str, max_chars: int = 300, context: int = 50) -> list[Chunk]:
    """The pieces of `chunk_bounds`, each read with up to `context` characters of the same sentence
    on either side, so that a cut that falls inside a name (a long list of names without
    punctuation, a PDF page without full stops) does not break it: the piece that holds the name's
    first character keeps it, reading past the cut. A sentence within `max_chars` is one chunk."""
    out = []
    for pieces in _sentence_pieces(text, max_chars):
        first, last = pieces[0][0], pieces[-1][1]
        for start, end in pieces:
            read_start, read_end = _strip(text, max(first, start - context), min(last, end + context))
            out.append(Chunk(read_start, read_end, start, end))
    return out


def _sentence_pieces(text: str, max_chars: int) -> list[list[tuple[int, int]]]:
    """Per sentence, its pieces of at most `max_chars` characters, stripped; no empty ones."""
    sentences = []
    for start, end in sentence_bounds(text):
        pieces = []
        while end - start > max_chars:
            window = text[start : start + max_chars]
            cut = max(window.rfind(mark) for mark in _CLAUSE_ENDS)
            cut = start + (cut + 1 if cut > max_chars // 3 else max_chars)
            pieces.append((start, cut))
            start = cut
        pieces.append((start, end))
        stripped = [_strip(text, start, end) for start, end in pieces]
        stripped = [(start, end) for start, end in stripped if end > start]
        if stripped:
            sentences.append(stripped)
    return sentences


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without whitespace at either edge (start == end when all of it is blank)."""
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return start, start
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + lead + len(stripped)


class StatisticalNer:
    def __init__(
        self,
        nlp: Language,
        name: str,
        model: str | None,
        label_map: dict[str, str],
        batch_size: int,
        max_chunk_chars: int,
    ) -> None:
        self.name = name
        self.model = model
        self.label_map = dict(label_map)
        self.batch_size = batch_size
        self.max_chunk_chars = max_chunk_chars
        self.extractor = f"ner.{model_name(model)}"

    @property
    def ner_nlp(self) -> Language | ArrayModel:
        return load_ner_model(self.model)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        """Run the NER model over a batch of docs at once (its `nlp.pipe` over all their chunks)."""
        batch_size = batch_size or self.batch_size
        docs = list(docs)
        owners: list[tuple[int, Chunk]] = []  # (doc index, chunk) per text the model reads
        texts: list[str] = []
        for i, doc in enumerate(docs):
            mentions(doc)  # make sure every doc has its list
            text = doc_text(doc)
            for chunk in chunks(text, self.max_chunk_chars):
                owners.append((i, chunk))
                texts.append(text[chunk.start : chunk.end])
        found: list[list[Mention]] = [[] for _ in docs]
        if texts:
            spans = entity_spans(self.ner_nlp, texts, batch_size)
            for (i, chunk), chunk_text, chunk_spans in zip(owners, texts, spans, strict=True):
                found[i].extend(self._mentions(chunk_text, _kept(chunk, chunk_spans, found[i]), chunk.start))
        for doc, doc_mentions in zip(docs, found, strict=True):
            add_mentions(doc, doc_mentions)
            yield doc

    def _mentions(self, chunk: str, spans: list[tuple[int, int, str]], offset: int) -> list[Mention]:
        out = []
        for ent_start, ent_end, label in spans:
            kind = self.label_map.get(label)
            if kind is None:
                continue
            start, end = _trim(chunk, ent_start, ent_end)
            if end == start:
                continue
            fields: dict[str, str] = {"name": chunk[start:end]}
            if kind == "organization":
                fields["org_type"] = "other"
            out.append(Mention(kind, offset + start, offset + end, fields, self.extractor))
        return out


def _kept(chunk: Chunk, spans: list[tuple[int, int, str]], earlier: list[Mention]) -> list:
    """The chunk's spans (chunk-relative) that begin in its kept region and do not overlap a
    mention already taken from the previous chunk of the same sentence."""
    taken_until = earlier[-1].end if earlier else 0
    kept = []
    for start, end, label in spans:
        begin = chunk.start + start
        if chunk.keep_start <= begin < chunk.keep_end and begin >= taken_until:
            kept.append((start, end, label))
    return kept


def entity_spans(model: Language | ArrayModel, texts: list[str], batch_size: int) -> Iterator[list]:
    """(start, end, label) character spans per text, from a spaCy pipeline, the CRF or the BiLSTM-CRF."""
    if isinstance(model, ArrayModel):
        yield from model.predict(texts)  # batched by characters, not by `batch_size` texts
        return
    for doc in model.pipe(texts, batch_size=batch_size):
        yield [(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents]


# Characters an entity span never starts or ends with: the model sometimes takes a neighbouring comma in.
_EDGE = set(" \t\n\u3000,，.。、;；:：!！?？“”‘’\"'()（）《》【】[]")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without punctuation or blanks at its edges."""
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


@Language.factory(
    "statistical_ner",
    default_config={"model": None, "label_map": DEFAULT_LABEL_MAP, "batch_size": 64, "max_chunk_chars": 300},
)
def make_statistical_ner(
    nlp: Language,
    name: str,
    model: str | None,
    label_map: dict[str, str],
    batch_size: int,
    max_chunk_chars: int,
) -> StatisticalNer:
    return StatisticalNer(nlp, name, model, label_map, batch_size, max_chunk_chars)
