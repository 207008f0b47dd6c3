"""The article-level context stage (factory "article_context"): runs after every sentence-level
stage and re-decides what needs the whole article, through the pure `pipeline.discourse` package.

Today: the size of each ranking's field (`total`), chosen among the counts the number stage found
anywhere in the article (`pipeline.discourse.fields`). Bands (rank_is_bound) and 排名末位 (whose rank
is its total) keep the sentence-level fields. A ranking whose total does not change keeps its
mention unchanged, so records stay byte-identical where the rankings do not change.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import doc_text, mentions
from pipeline.discourse.chooser import LinearChooser
from pipeline.discourse.fields import FieldResolver, counts_from, rankings_from


class ArticleContext:
    def __init__(self, resolver: FieldResolver):
        self.resolver = resolver

    def __call__(self, doc: Doc) -> Doc:
        found = mentions(doc)
        views, kept = rankings_from(found)
        if not views:
            return doc
        totals = self.resolver.resolve(doc_text(doc), views, counts_from(found))
        changed = {
            id(m): replace(m, fields={**m.fields, "total": total})
            for m, total in zip(kept, totals, strict=True)
            if total != m.fields.get("total")
        }
        if changed:
            found[:] = [changed.get(id(m), m) for m in found]
        return doc


@Language.factory("article_context", default_config={"field_model": None})
def make_article_context(nlp: Language, name: str, field_model: str | None) -> ArticleContext:
    """`field_model`: a chooser's weights (`make train-discourse`) instead of the article-level rule."""
    chooser = LinearChooser.load(Path(field_model)) if field_model else None
    return ArticleContext(FieldResolver(chooser))
