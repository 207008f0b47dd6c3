"""Build the spaCy `Language`: the segmenter as tokenizer plus the registered extraction components.

The pipeline is described by `PipelineSettings`; every default is stated once, here.
Components are registered factories (see `pipeline.components`); their order matters:
numbers and dates first, then organisations (rules + statistical NER, merged), then rankings,
which read the mentions found before them, then the article-level context stage, which reads them all.
"""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.components.base import segmented_doc
from pipeline.segment import DEFAULT_SEGMENTER, get_segmenter

# The component modules that register factories. Missing ones are skipped so that the
# pipeline can be assembled while stages are being added.
COMPONENT_MODULES = (
    "pipeline.components.numbers",
    "pipeline.components.dates",
    "pipeline.components.organizations",
    "pipeline.components.ner",
    "pipeline.components.merge",
    "pipeline.components.rankings",
    "pipeline.components.discourse",
)

# (factory name, config) in pipeline order; a factory that is not registered is skipped.
DEFAULT_COMPONENTS: tuple[str, ...] = (
    "number_extractor",
    "date_extractor",
    "organization_rules",
    "statistical_ner",
    "entity_merger",
    "ranking_extractor",
    "article_context",
)


@dataclass(frozen=True)
class PipelineSettings:
    segmenter: str = DEFAULT_SEGMENTER
    pkuseg_model: str | None = None
    ner_model: str | None = None  # None: the model shipped in pipeline/models; or a spaCy name/path
    components: tuple[str, ...] = DEFAULT_COMPONENTS
    component_config: dict[str, dict] = field(default_factory=dict)


class SegmenterTokenizer:
    """A spaCy tokenizer that cuts with a `pipeline.segment` segmenter and keeps the text exact."""

    def __init__(
        self, vocab: Vocab, segmenter: str = DEFAULT_SEGMENTER, pkuseg_model: str | None = None
    ) -> None:
        self.vocab = vocab
        self.segmenter_name = segmenter
        self.segmenter = get_segmenter(segmenter, pkuseg_model)

    def __call__(self, text: str) -> Doc:
        return segmented_doc(self.vocab, [w for w in self.segmenter.cut(text) if w])


TOKENIZER = "bulletin_pipeline.SegmenterTokenizer.v1"


@spacy.registry.tokenizers(TOKENIZER)
def create_segmenter_tokenizer(segmenter: str = DEFAULT_SEGMENTER, pkuseg_model: str | None = None):
    """The tokenizer factory of the blank pipeline's config (spaCy then builds no rule-based
    tokenizer of its own to replace: its prefix, suffix and infix patterns cost 0.03 s to compile)."""

    def create(nlp: Language) -> SegmenterTokenizer:
        return SegmenterTokenizer(nlp.vocab, segmenter, pkuseg_model)

    return create


def _import_components() -> None:
    for module in COMPONENT_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def _shipped_ner_available() -> bool:
    from pipeline.components.ner import SHIPPED_MODEL

    return SHIPPED_MODEL.exists()


def build_nlp(settings: PipelineSettings | None = None) -> Language:
    """The configured pipeline, ready for `nlp.pipe(docs)`."""
    settings = settings or PipelineSettings()
    _import_components()
    tokenizer = {
        "@tokenizers": TOKENIZER,
        "segmenter": settings.segmenter,
        "pkuseg_model": settings.pkuseg_model,
    }
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": tokenizer}})
    # spaCy refuses texts over max_length (E088, default 1,000,000) because its own parser and NER
    # need about 1 GB per 100,000 characters; this pipeline's stages do not, and an article may
    # hold up to pipeline.sources.MAX_ARTICLE_CHARS (5,000,000) characters.
    nlp.max_length = 10_000_000
    # No component reads spaCy's lexical attributes (like_num, shape, is_punct, ...: they read the
    # text and word offsets); computing them for every new word is a third of what a worker's first
    # pass over a corpus costs beyond later passes, paid again in every worker process.
    nlp.vocab.lex_attr_getters = {}
    for name in settings.components:
        if name not in Language.factories:
            continue
        config = dict(settings.component_config.get(name, {}))
        if name == "statistical_ner":
            if settings.ner_model:
                config.setdefault("model", settings.ner_model)
            elif not _shipped_ner_available():
                warnings.warn(
                    "the shipped NER model is missing (pipeline/models/ner_zh): running without the "
                    "statistical NER stage; run `make train-ner` or pass --ner-model",
                    stacklevel=2,
                )
                continue
        nlp.add_pipe(name, config=config)
    return nlp
