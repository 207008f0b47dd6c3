"""BIO tags to entities: the decoding step of the fast NER model.

The fast model (configs/ner_fast.cfg) tags every character with a BIO label ("B-ORG", "I-ORG",
"O", ...) using spaCy's `tagger` instead of the transition-based `ner`: one softmax per character
instead of a sequence of parser states, so the model is cheaper to run. This component, the last
in that model's pipeline, turns the tags into `doc.ents`, so the model is used like any spaCy NER
pipeline (and is scored on entities during training).

Decoding is greedy: an I-X that does not continue an X entity starts one (the usual repair).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

FACTORY = "bio_to_ents"


def decode(tags: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans of a BIO tag sequence; end exclusive."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        if start >= 0 and (prefix != "I" or kind != label):
            spans.append((start, i, label))
            start = -1
        if kind and prefix in ("B", "I") and start < 0:
            start, label = i, kind
    return spans


class BioToEnts:
    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        tags = [token.tag_ for token in doc]
        doc.set_ents([Span(doc, s, e, label=lab) for s, e, lab in decode(tags)], default="outside")
        return doc

    def score(self, examples, **kwargs):
        """Entity P/R/F against the reference docs (what `nlp.evaluate` reports in training)."""
        return self.scorer(examples, **kwargs)


@Language.factory(
    FACTORY,
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
    default_config={"scorer": {"@scorers": "spacy.ner_scorer.v1"}},
)
def make_bio_to_ents(nlp: Language, name: str, scorer) -> BioToEnts:
    component = BioToEnts(name)
    component.scorer = scorer
    return component
