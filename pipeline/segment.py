"""Word segmenters behind one interface, with the project's domain dictionary.

`get_segmenter(name, model)`:

- `"jieba"` (default): jieba 0.42.1, precise mode with HMM, plus the domain dictionary.
- `"rjieba"`: rjieba, the Rust port of jieba with the same dictionary (and the domain words).
- `"pkuseg"`: spacy-pkuseg. `model=None` loads the model shipped in `pipeline/models/pkuseg_pd`
  (trained on People's Daily 1998, PKU standard, by `make train-segmenter`); a directory path
  loads a trained model; a pretrained name (`"default"` = spacy-pkuseg's `"spacy_ontonotes"`,
  `"news"`, `"web"`, `"mixed"`, `"medicine"`, `"tourism"`) is downloaded by spacy-pkuseg from
  GitHub into ~/.pkuseg (or used from there when already present).

Every segmenter's `cut(text)` returns words whose concatenation is exactly `text` (whitespace
included), so spaCy docs built from them keep the article text and its offsets.
Which one to use for which job: see `pipeline/evaluate/segmentation.py` (F1 and speed on the
SIGHAN 2005 PKU test set).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

DOMAIN_DICTIONARY = "domain_words.txt"
SEGMENTERS = ("jieba", "rjieba", "pkuseg")
# The pipeline's default: rjieba gives jieba's cut with jieba's dictionary (99.85 % of PKU test
# lines identical) 10-20x faster (pipeline/evaluate/segmentation.py).
DEFAULT_SEGMENTER = "rjieba"
SHIPPED_PKUSEG_MODEL = Path(__file__).resolve().parent / "models" / "pkuseg_pd"
PKUSEG_MODEL_FILES = ("features.msgpack", "weights.npz")
# Names spacy-pkuseg downloads itself; "default" is its default model.
PKUSEG_PRETRAINED_ALIASES = {"default": "spacy_ontonotes"}


def domain_dictionary_path() -> Path:
    return Path(str(resources.files("pipeline.resources.zh").joinpath(DOMAIN_DICTIONARY)))


@lru_cache(maxsize=1)
def domain_words() -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, POS) from the project dictionary; comments and blanks skipped."""
    entries = []
    for line in domain_dictionary_path().read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], freq, tag))
    return entries


class Segmenter(Protocol):
    name: str

    def cut(self, text: str) -> list[str]: ...


class JiebaSegmenter:
    """jieba in precise mode with HMM, its own `Tokenizer` instance plus the domain dictionary.

    The tokenizer loads its dictionary one first character at a time, as the texts cut need it
    (`pipeline.jieba_dict`: the same words as jieba's own `Tokenizer`, without the 0.5 s and 60 MB
    of loading all of it in every process that cuts a few words)."""

    name = "jieba"

    def __init__(self, use_domain_dictionary: bool = True) -> None:
        import jieba

        from pipeline.jieba_dict import lazy_tokenizer

        jieba.setLogLevel(30)  # no "Building prefix dict" chatter on stderr
        self._tok = lazy_tokenizer()
        self._tok.initialize()
        if use_domain_dictionary:
            for word, freq, tag in domain_words():
                self._tok.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        return _exact(text, list(self._tok.cut(text, HMM=True)))


class RjiebaSegmenter:
    """rjieba (Rust port of jieba, same dictionary and algorithm), plus the domain dictionary.

    `Jieba.add_word(word, freq, tag)` takes the same entries as jieba's user dictionary.
    """

    name = "rjieba"

    def __init__(self, use_domain_dictionary: bool = True) -> None:
        import rjieba

        self._jieba = rjieba.Jieba()
        if use_domain_dictionary:
            for word, freq, tag in domain_words():
                self._jieba.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        return _exact(text, self._jieba.cut(text, hmm=True))


class PkusegSegmenter:
    """spacy-pkuseg (the maintained pkuseg fork) with the shipped, a trained or a pretrained model.

    `model`: None (the model shipped in pipeline/models/pkuseg_pd), a directory holding a trained
    model (`features.msgpack` + `weights.npz`), or a pretrained name that spacy-pkuseg downloads
    (needs network access to GitHub, or the model already in ~/.pkuseg).
    `use_domain_dictionary`: the domain words are kept whole (pkuseg's user dictionary).
    `general_dictionary`: pkuseg's post-processing that merges words found in its own general
    dictionary; off by default because it departs from the PKU standard the model was trained on.
    """

    name = "pkuseg"

    def __init__(
        self,
        model: str | Path | None = None,
        use_domain_dictionary: bool = True,
        general_dictionary: bool = False,
    ) -> None:
        try:
            import spacy_pkuseg
            from spacy_pkuseg import Postprocesser
        except ImportError as exc:  # pragma: no cover - installed with the project
            raise ImportError("pkuseg needs the 'spacy-pkuseg' package: pip install spacy-pkuseg") from exc
        model_name = resolve_pkuseg_model(model)
        user_dict = [w for w, _, _ in domain_words()] if use_domain_dictionary else None
        self.model = model_name
        try:
            self._seg = spacy_pkuseg.pkuseg(model_name=model_name, user_dict=user_dict)
        except Exception as exc:
            if not Path(model_name).is_dir():  # a pretrained name: the download failed
                raise RuntimeError(
                    f"pkuseg pretrained model {model_name!r} is not in ~/.pkuseg and could not be "
                    f"downloaded from GitHub ({type(exc).__name__}: {exc}); use the shipped model "
                    "(no --pkuseg-model) or a trained model directory"
                ) from exc
            raise
        if not general_dictionary:
            self._seg.postprocesser = Postprocesser(None, None)

    def cut(self, text: str) -> list[str]:
        # pkuseg drops whitespace; put it back so the words cover the text exactly.
        return _realign(text, self._seg.cut(text))


def resolve_pkuseg_model(model: str | Path | None) -> str:
    """The `model_name` for spacy_pkuseg: a model directory or a pretrained name."""
    from spacy_pkuseg.config import Config

    if model is None or str(model) == "":
        path = SHIPPED_PKUSEG_MODEL
        if not _is_pkuseg_model_dir(path):
            raise FileNotFoundError(
                f"the shipped pkuseg model is missing from {path}: run `make train-segmenter`, "
                "or pass a model directory or a pretrained name"
            )
        return str(path)
    name = PKUSEG_PRETRAINED_ALIASES.get(str(model), str(model))
    if name in Config.available_models:
        return name
    path = Path(model).expanduser()
    if _is_pkuseg_model_dir(path):
        return str(path)
    raise ValueError(
        f"unknown pkuseg model {str(model)!r}: not a directory with {' + '.join(PKUSEG_MODEL_FILES)}, "
        f"nor a pretrained name ({', '.join(['default', *Config.available_models])})"
    )


def _is_pkuseg_model_dir(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_file() for name in PKUSEG_MODEL_FILES)


def _exact(text: str, words: list[str]) -> list[str]:
    """`words` if they concatenate to `text`, otherwise realigned onto it."""
    if "".join(words) == text:
        return words
    return _realign(text, words)


def _realign(text: str, words: list[str]) -> list[str]:
    """Words that concatenate to `text`: whitespace between segmenter words becomes its own word."""
    out: list[str] = []
    pos = 0
    for word in words:
        idx = text.find(word, pos)
        if idx < 0:
            continue
        if idx > pos:
            out.append(text[pos:idx])
        out.append(word)
        pos = idx + len(word)
    if pos < len(text):
        out.append(text[pos:])
    return out


def get_segmenter(name: str = "jieba", model: str | None = None) -> Segmenter:
    """A cached segmenter by name: 'jieba' (default), 'rjieba', or 'pkuseg' (with `model`).

    `model` only matters for pkuseg (None: the shipped model; a directory; a pretrained name).
    """
    if name not in SEGMENTERS:
        raise ValueError(f"unknown segmenter {name!r}: choose one of {', '.join(SEGMENTERS)}")
    return _cached_segmenter(name, str(model) if name == "pkuseg" and model is not None else None)


def clause_segmenter() -> Segmenter:
    """The segmenter for the merge stage's clause checks (`merge.trim_clause`, `merge.clause_words`):
    rjieba with the domain dictionary, the very instance the default tokenizer cuts with, so that no
    process loads a second dictionary for them.

    Those checks cut with Python jieba today (`get_segmenter("jieba")`): 0.5 s and ~60 MB per
    process for its dictionary (loaded lazily since pipeline/jieba_dict.py, but most of it is read
    by the end of a large run). With this segmenter instead the records were byte-identical on
    corpus/, bulletins_dev and 400,000 characters of MSRA text, and the peak RSS of a 400,000
    character run 334 -> 299 MB. The switch is one line in each of the two functions of merge.py."""
    return get_segmenter("rjieba")


@lru_cache(maxsize=8)
def _cached_segmenter(name: str, model: str | None) -> Segmenter:
    if name == "jieba":
        return JiebaSegmenter()
    if name == "rjieba":
        return RjiebaSegmenter()
    if name == "pkuseg":
        return PkusegSegmenter(model)
    raise AssertionError(name)
