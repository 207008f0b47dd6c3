"""The per-article function: the same for every engine.

`ArticleProcessor(settings).process(articles)` runs the spaCy pipeline over a batch of
articles and returns, per article, its validated records (in text order) and any error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pydantic import ValidationError
from spacy.language import Language

from pipeline.components.base import Mention, doc_text, mentions
from pipeline.components.numbers import with_default_currency
from pipeline.nlp import PipelineSettings, build_nlp
from pipeline.records import RECORD_ADAPTER, Article, ErrorRecord, Record, make_record_id
from pipeline.sentences import sentence_index, sentence_starts
from pipeline.traditional import to_simplified, written_in_traditional

# Fields a component may not set itself: they come from the span and the article.
_COMMON = {"record_id", "article_id", "kind", "text", "start", "end", "sentence_index", "extractor"}


@dataclass
class ArticleResult:
    article: Article
    records: list[Record] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)


def mention_to_record(article: Article, mention: Mention, starts: list[int]) -> Record:
    """Validate one mention as the record of its kind."""
    data = {k: v for k, v in mention.fields.items() if k not in _COMMON}
    data.update(
        record_id=make_record_id(article.article_id, mention.kind, mention.start, mention.end),
        article_id=article.article_id,
        kind=mention.kind,
        text=article.text[mention.start : mention.end],
        start=mention.start,
        end=mention.end,
        sentence_index=sentence_index(starts, mention.start),
        extractor=mention.extractor,
    )
    return RECORD_ADAPTER.validate_python(data)


# Fields that quote the article: after matching on the Simplified form they are given back as written.
QUOTED_FIELDS = ("name", "subject", "scope", "period", "metric")


_NEAR = 4000  # characters either side of a mention searched first for its quoted values


def _nearest(text: str, value: str, at: int) -> int:
    """The occurrence of `value` in `text` nearest to offset `at` (-1 if none): searched in a window
    around `at` first, so that a long article is not scanned once per mention.

    >>> _nearest("甲园区乙……园区", "园区", 8), _nearest("甲园区乙……园区", "园区", 0), _nearest("abc", "x", 1)
    (6, 1, -1)
    """
    lo, hi = max(0, at - _NEAR), at + _NEAR
    before = text.rfind(value, lo, at + len(value))
    after = text.find(value, max(at, before + 1), hi + len(value))
    found = [i for i in (before, after) if i >= 0]
    if found:
        return min(found, key=lambda i: abs(i - at))
    before = text.rfind(value, 0, at + len(value))
    after = text.find(value, at)
    found = [i for i in (before, after) if i >= 0]
    return min(found, key=lambda i: abs(i - at)) if found else -1


def as_written(mention: Mention, simplified: str, original: str) -> Mention:
    """The mention with its quoted fields and a number's unit in the article's own script
    (Traditional stays Traditional).

    Components match on the Simplified text, which has the same offsets as the original; a quoted
    value found in it (nearest to the mention) is replaced by the original characters there.
    """
    fields = dict(mention.fields)
    for name in QUOTED_FIELDS:
        value = fields.get(name)
        if not isinstance(value, str) or not value:
            continue
        best = _nearest(simplified, value, mention.start)
        if best >= 0:
            fields[name] = original[best : best + len(value)]
    unit = fields.get("unit")
    if mention.kind == "number" and isinstance(unit, str) and unit:
        # a unit is written inside its own span (105個 -> 個, as the gold of Traditional text has it)
        at = simplified.find(unit, mention.start, mention.end)
        if at >= 0:
            fields["unit"] = original[at : at + len(unit)]
    return Mention(mention.kind, mention.start, mention.end, fields, mention.extractor)


def _with_default_currency(mention: Mention) -> Mention:
    if mention.kind != "number":
        return mention
    fields = with_default_currency(mention.fields)
    if fields is mention.fields:
        return mention
    return Mention(mention.kind, mention.start, mention.end, fields, mention.extractor)


def records_from_mentions(
    article: Article, found: Iterable[Mention], simplified: str | None = None
) -> tuple[list[Record], list[ErrorRecord]]:
    """Records in text order, one per (kind, span); a mention that fails validation becomes an error.

    `simplified`: the Simplified text the components saw, when it differs from the article text.
    """
    if simplified is not None and simplified != article.text:
        found = [as_written(m, simplified, article.text) for m in found]
    if simplified is None or not written_in_traditional(article.text, simplified):
        found = [_with_default_currency(m) for m in found]  # a mainland text: 元 alone is renminbi
    starts = sentence_starts(article.text)
    seen: set[tuple[str, int, int]] = set()
    records: list[Record] = []
    errors: list[ErrorRecord] = []
    for mention in sorted(found, key=lambda m: (m.start, m.end, m.kind, m.extractor)):
        key = (mention.kind, mention.start, mention.end)
        if key in seen:
            continue
        seen.add(key)
        try:
            records.append(mention_to_record(article, mention, starts))
        except ValidationError as exc:
            errors.append(
                ErrorRecord(
                    source=article.source,
                    article_id=article.article_id,
                    error="InvalidRecord",
                    message=f"{mention.extractor} at [{mention.start},{mention.end}): "
                    f"{exc.errors()[0]['msg']}",
                )
            )
    return records, errors


class ArticleProcessor:
    """Holds one loaded pipeline (load once per worker) and processes batches of articles."""

    def __init__(self, settings: PipelineSettings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or PipelineSettings()
        self.nlp = nlp or build_nlp(self.settings)

    def _make_doc(self, article: Article):
        # Components see Simplified text; offsets are unchanged, record text comes from article.text.
        doc = self.nlp.make_doc(to_simplified(article.text))
        doc._.reference_date = article.publish_date
        doc._.mentions = []
        return doc

    def process(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[ArticleResult]:
        """One result per article, in input order, the components run batch-wise (`nlp.pipe`).

        If a batch fails, its articles are processed one by one, so an article whose processing
        raises becomes an error and costs no other article.
        """
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._process_batch(batch)
                batch = []
        if batch:
            yield from self._process_batch(batch)

    def _process_batch(self, batch: list[Article]) -> list[ArticleResult]:
        try:
            docs = [self._make_doc(article) for article in batch]
            done = list(self.nlp.pipe(docs, batch_size=len(docs)))
        except Exception:
            return [self.process_one(article) for article in batch]
        results = []
        for article, doc in zip(batch, done, strict=True):
            records, errors = records_from_mentions(article, mentions(doc), doc_text(doc))
            results.append(ArticleResult(article, records, errors))
        return results

    def process_one(self, article: Article) -> ArticleResult:
        try:
            doc = self._make_doc(article)
            for _, proc in self.nlp.pipeline:
                doc = proc(doc)
            records, errors = records_from_mentions(article, mentions(doc), doc_text(doc))
            return ArticleResult(article, records, errors)
        except Exception as exc:  # one bad article never costs the batch
            return ArticleResult(
                article,
                errors=[
                    ErrorRecord(
                        source=article.source,
                        article_id=article.article_id,
                        error=type(exc).__name__,
                        message=str(exc)[:500],
                    )
                ],
            )

    def extract_text(self, text: str, publish_date=None, article_id: str = "text#1") -> list[Record]:
        """Convenience for tests and evaluations: the records of one raw text."""
        article = Article(article_id=article_id, source="<text>", text=text, publish_date=publish_date)
        result = self.process_one(article)
        return result.records
