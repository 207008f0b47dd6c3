"""Where the per-article function runs: in this process, in a pool of processes, or on Dask.

Every engine maps `process_chunk` over chunks of articles and yields the results in input order;
the per-chunk function and its output are the same everywhere, so outputs are identical.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.nlp import PipelineSettings
from pipeline.records import Article, ErrorRecord, model_json

# One unit of work: the index of its input file and its items (articles to process, errors to pass on).
Chunk = tuple[int, list[Article | ErrorRecord]]
# The result: the input index and the part-file lines for the chunk, in order.
ChunkResult = tuple[int, list[str]]

_PROCESSOR = None
_SETTINGS: PipelineSettings | None = None


def _processor(settings: PipelineSettings):
    """The pipeline of this process, loaded once (per worker) and reused."""
    global _PROCESSOR, _SETTINGS
    if _PROCESSOR is None or _SETTINGS != settings:
        from pipeline.process import ArticleProcessor

        _PROCESSOR = ArticleProcessor(settings)
        _SETTINGS = settings
    return _PROCESSOR


def part_line(tag: str, article_id: str | None, payload_json: str) -> str:
    """A part-file line: tag (a=article, r:<kind>=record, e=error), the article id as JSON (so a tab
    or newline in it cannot break the line), the JSON of the model."""
    return f"{tag}\t{json.dumps(article_id)}\t{payload_json}\n"


def process_chunk(chunk: Chunk, settings: PipelineSettings) -> ChunkResult:
    index, items = chunk
    processor = _processor(settings)
    lines: list[str] = []
    articles = [item for item in items if isinstance(item, Article)]
    results = iter(processor.process(articles))
    for item in items:
        if isinstance(item, ErrorRecord):
            lines.append(part_line("e", item.article_id, item.model_dump_json()))
            continue
        result = next(results)
        lines.append(part_line("a", item.article_id, item.model_dump_json()))
        for record in result.records:
            lines.append(part_line(f"r:{record.kind}", item.article_id, model_json(record)))
        for error in result.errors:
            lines.append(part_line("e", item.article_id, error.model_dump_json()))
    return index, lines


def _warm(settings: PipelineSettings) -> None:
    _processor(settings)


@dataclass
class LocalEngine:
    """In this process."""

    settings: PipelineSettings

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield process_chunk(chunk, self.settings)

    def close(self) -> None:
        pass


class ProcessEngine:
    """A pool of worker processes on this machine; each loads the models once."""

    def __init__(self, settings: PipelineSettings, workers: int) -> None:
        import multiprocessing as mp

        self.settings = settings
        context = mp.get_context("spawn")
        self.pool = context.Pool(workers, initializer=_warm, initargs=(settings,))

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        from functools import partial

        yield from self.pool.imap(partial(process_chunk, settings=self.settings), chunks, chunksize=1)

    def close(self) -> None:
        self.pool.close()
        self.pool.join()


def make_engine(
    settings: PipelineSettings, workers: int = 1, engine: str = "local", scheduler: str | None = None
):
    if engine == "dask":
        from pipeline.dask_engine import DaskEngine

        return DaskEngine(settings, workers=workers, scheduler=scheduler)
    if workers > 1:
        return ProcessEngine(settings, workers)
    return LocalEngine(settings)
