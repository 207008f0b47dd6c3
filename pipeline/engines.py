"""Where the per-article function runs: in this process, in a pool of processes, or on Dask.

Every engine maps `process_chunk` over chunks of articles and yields the results in input order;
the per-chunk function and its output are the same everywhere, so outputs are identical.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.nlp import PipelineSettings
from pipeline.records import Article, ErrorRecord, model_json

# One unit of work: the index of its input file and its items (articles to process, errors to pass on).
Chunk = tuple[int, list[Article | ErrorRecord]]
# The result: the input index and the part-file lines for the chunk, in order.
ChunkResult = tuple[int, list[str]]

# Articles processed together by one call of the pipeline (the NER model batches its sentences over
# them): the chunks of an input stay small (pipeline.run.CHUNK_ARTICLES) so that workers share short
# inputs evenly, and consecutive chunks are grouped up to this many articles for one call. Larger
# batches make the NER stage cheaper per character (numpy over more sentences at once): on 400,000
# characters of MSRA text 16 articles took 8-10 % less CPU than 4 and 14 MB more memory; 32 no
# less CPU than 16 and 28 MB more.
GROUP_ARTICLES = 16

_PROCESSOR = None
_SETTINGS: PipelineSettings | None = None
# A text that goes through every stage, so that what they load on first use (the NER model and its
# tables, the segmenters' dictionaries) is loaded by `_processor`, before a fork or a timed run.
WARM_TEXT = "近日,海宁市科学技术局发布消息:今年以来,园区新增企业35家,完成投资12.6亿元,排名全省第3位。"


def _processor(settings: PipelineSettings):
    """The pipeline of this process, loaded once (per worker) and reused.

    Once loaded (and warmed on WARM_TEXT) the objects it made are moved out of the garbage
    collector's generations (`gc.freeze`): they live as long as the process, and every full
    collection would otherwise traverse them again (about 5 % of a run's CPU time), and in forked
    workers touch their memory pages (which then stop being shared with the parent)."""
    global _PROCESSOR, _SETTINGS
    if _PROCESSOR is None or _SETTINGS != settings:
        from pipeline.process import ArticleProcessor

        _PROCESSOR = ArticleProcessor(settings)
        _SETTINGS = settings
        _PROCESSOR.extract_text(WARM_TEXT)
        gc.collect()
        gc.freeze()
    return _PROCESSOR


def part_line(tag: str, article_id: str | None, payload_json: str) -> str:
    """A part-file line: tag (a=article, r:<kind>=record, e=error), the article id as JSON (so a tab
    or newline in it cannot break the line), the JSON of the model."""
    return f"{tag}\t{json.dumps(article_id)}\t{payload_json}\n"


def process_chunk(chunk: Chunk, settings: PipelineSettings) -> ChunkResult:
    return process_chunks([chunk], settings)[0]


def process_chunks(chunks: list[Chunk], settings: PipelineSettings) -> list[ChunkResult]:
    """`process_chunk` of each chunk, the articles of all of them run through the pipeline in one
    call (one NER batch); the lines of each chunk are those `process_chunk` gives it alone.

    The call runs in a spaCy memory zone: the words that enter spaCy's vocabulary with these
    articles (a lexeme and a string each, which no stage reads once the records are made) are freed
    after them, so the vocabulary does not grow with the corpus (15 MB less peak RSS over 1,000,000
    characters of MSRA text, at the same CPU time); the words of the warm-up stay."""
    processor = _processor(settings)
    articles = [item for _, items in chunks for item in items if isinstance(item, Article)]
    out: list[ChunkResult] = []
    with processor.nlp.memory_zone():
        results = iter(processor.process(articles, batch_size=max(1, len(articles))))
        for index, items in chunks:
            lines: list[str] = []
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
            out.append((index, lines))
    return out


def grouped(chunks: Iterable[Chunk], articles: int | None = None) -> Iterator[list[Chunk]]:
    """Consecutive chunks in lists of about `articles` items (default GROUP_ARTICLES; a list is
    closed once it holds that many; a chunk is never split)."""
    articles = articles or GROUP_ARTICLES
    group: list[Chunk] = []
    size = 0
    for chunk in chunks:
        group.append(chunk)
        size += len(chunk[1])
        if size >= articles:
            yield group
            group, size = [], 0
    if group:
        yield group


def _warm(settings: PipelineSettings) -> None:
    _processor(settings)


@dataclass
class LocalEngine:
    """In this process."""

    settings: PipelineSettings

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        for group in grouped(chunks):
            yield from process_chunks(group, self.settings)

    def close(self) -> None:
        pass


def start_method() -> str:
    """How worker processes start: "fork" on Linux (the pipeline is loaded once, in this process,
    and the workers share its memory pages), else "spawn" (each worker loads it; macOS's system
    libraries are not safe to fork)."""
    import multiprocessing as mp

    return "fork" if sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods() else "spawn"


# `--workers auto`: one worker per this many bytes of input to process, up to the usable cores, so
# two from 600 kB (about 200,000 characters of Chinese). With fork a second worker starts in about
# 0.1 s; measured on this 2-core machine (shared, load average 1.5), two workers matched one at
# 100,000 characters and began to gain at 200,000.
AUTO_BYTES_PER_WORKER = 300_000


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def auto_workers(input_bytes: int, cores: int | None = None) -> int:
    """The number of workers for `--workers auto`: 1 for a small input, then one per
    AUTO_BYTES_PER_WORKER bytes, at most the usable cores.

    >>> auto_workers(5_000, cores=8), auto_workers(700_000, cores=8), auto_workers(10**9, cores=2)
    (1, 2, 2)
    """
    cores = cores or usable_cores()
    return max(1, min(cores, input_bytes // AUTO_BYTES_PER_WORKER))


class ProcessEngine:
    """A pool of worker processes on this machine. With fork (Linux) the pipeline is loaded here
    first and the workers inherit it: they start at once and share the loaded models' memory; with
    spawn each worker loads it once."""

    def __init__(self, settings: PipelineSettings, workers: int, method: str | None = None) -> None:
        import multiprocessing as mp

        self.settings = settings
        self.method = method or start_method()
        if self.method == "fork":
            _warm(settings)  # before the fork: every worker inherits the loaded pipeline
        context = mp.get_context(self.method)
        self.pool = context.Pool(workers, initializer=_warm, initargs=(settings,))

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        from functools import partial

        # a task is a group of chunks (about 0.5 s of work): the workers still share a short input
        tasks = self.pool.imap(partial(process_chunks, settings=self.settings), grouped(chunks), chunksize=1)
        for results in tasks:
            yield from results

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
