"""The Python API for programs that embed the pipeline.

    from pipeline import Extractor

    extractor = Extractor()                                   # loads the models once (a few seconds)
    records = extractor.extract_text("近日,园区新增企业35家。", publish_date="2021-04-02")
    for result in extractor.stream(articles):                 # any iterable: str, dict, Article
        print(result.article.article_id, len(result.records), result.errors)
    batch = extractor.extract_texts(["...", "..."])           # one list of records per text

Records are the Pydantic models of `pipeline.records` (the output contract), their offsets into the
text exactly as given (no repair is applied: `repair=True` applies the character normalisation of
JSONL input first, and offsets then refer to `result.article.text`). Processing is lazy and in
input order; one article that fails becomes an error of its result and costs no other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from itertools import count
from typing import Any

from pipeline.nlp import PipelineSettings
from pipeline.process import ArticleProcessor, ArticleResult
from pipeline.records import Article, Record
from pipeline.repair import repair_article
from pipeline.sources.discover import safe_id, safe_text

__all__ = ["Extractor", "ExtractionError", "ArticleResult"]


class ExtractionError(RuntimeError):
    """The pipeline failed on an article (the message names the stage's error)."""


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


class Extractor:
    """One loaded pipeline. Settings as on the command line: `segmenter` ('rjieba', 'jieba',
    'pkuseg'), `ner_model` (a shipped name such as 'ner_zh_ensemble', a path or a spaCy package),
    `ner=False` to leave the statistical NER stage out."""

    def __init__(
        self,
        *,
        segmenter: str | None = None,
        ner_model: str | None = None,
        ner: bool = True,
        pkuseg_model: str | None = None,
        repair: bool = False,
        settings: PipelineSettings | None = None,
    ) -> None:
        settings = settings or PipelineSettings()
        if segmenter:
            settings = replace(settings, segmenter=segmenter)
        if ner_model or pkuseg_model:
            settings = replace(settings, ner_model=ner_model or settings.ner_model,
                               pkuseg_model=pkuseg_model or settings.pkuseg_model)  # fmt: skip
        if not ner:
            settings = replace(
                settings, components=tuple(c for c in settings.components if c != "statistical_ner")
            )
        self.settings = settings
        self.repair = repair
        self._processor = ArticleProcessor(settings)

    def article(
        self,
        text: str,
        publish_date: date | str | None = None,
        *,
        article_id: str = "text#1",
        title: str | None = None,
        source: str = "<text>",
    ) -> Article:
        """The Article the pipeline would process for this text."""
        text = safe_text(text)
        return Article(
            article_id=safe_id(article_id),
            source=safe_text(source),
            title=safe_text(title) if title else None,
            publish_date=_as_date(publish_date),
            text=repair_article(text) if self.repair else text,
        )

    def extract_text(
        self, text: str, publish_date: date | str | None = None, *, article_id: str = "text#1", title=None
    ) -> list[Record]:
        """The records of one text, in text order. Raises ExtractionError if the pipeline fails on it."""
        result = self._processor.process_one(
            self.article(text, publish_date, article_id=article_id, title=title)
        )
        failures = [e for e in result.errors if e.error != "InvalidRecord"]
        if failures:
            raise ExtractionError(f"{failures[0].error}: {failures[0].message}")
        return result.records

    def extract_texts(
        self, texts: Iterable[str], publish_date: date | str | None = None
    ) -> list[list[Record]]:
        """Batch form: the records of each text (ids text#1, text#2, ...), the stages run batch-wise."""
        return [result.records for result in self.stream(texts, publish_date)]

    def stream(
        self, items: Iterable[str | dict[str, Any] | Article], publish_date: date | str | None = None
    ) -> Iterator[ArticleResult]:
        """Streaming form: one ArticleResult (article, records, errors) per item, lazily, in order.
        Items are texts, dicts of the JSONL input format ({"id", "text", "title"?, "publish_date"?}),
        or Articles; `publish_date` is the date of those that state none."""
        numbers = count(1)

        def articles() -> Iterator[Article]:
            for item in items:
                n = next(numbers)
                if isinstance(item, Article):
                    yield item
                elif isinstance(item, str):
                    yield self.article(item, publish_date, article_id=f"text#{n}")
                else:
                    yield self.article(
                        item["text"],
                        item.get("publish_date") or publish_date,
                        article_id=str(item.get("id") or f"text#{n}"),
                        title=item.get("title"),
                        source=str(item.get("source") or "<text>"),
                    )

        yield from self._processor.process(articles())
