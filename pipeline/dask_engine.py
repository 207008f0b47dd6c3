"""The Dask engine: `process_chunk` on a Dask distributed cluster, results in input order.

`DaskEngine(settings, workers=N)` starts a `LocalCluster` on loopback (127.0.0.1, N worker
processes with one thread each, no dashboard) and stops it in `close()`.
`DaskEngine(settings, scheduler="tcp://HOST:PORT")` connects to a running cluster instead and
leaves it running. Either way the engine runs the same per-chunk function as the local engines
(`pipeline.engines.process_chunk`), so the output is the same, byte for byte.

Memory stays flat whatever the corpus size: the chunks are pulled from the input iterator lazily
and at most `in_flight` tasks are submitted and not yet collected (by default twice the number
of worker threads); a task is a group of consecutive chunks (`engines.grouped`, 16 articles), as
the local engines run them. The head of the queue is collected first, so results come back in input
order; the next chunk is submitted as soon as one is collected.

On a real cluster every worker must be able to import `pipeline` (install the same version of
this package in the workers' environment: `pip install bulletin-pipeline==<version>` or
`pip install -e .` from a shared checkout), and, when the NER model is not the shipped one,
load the same model. Each worker process builds the pipeline once (`pipeline.engines._processor`
caches it per process) and reuses it for every chunk it receives. Only articles travel to the
workers and only part-file lines come back: the inputs are read and the outputs written by the
process that runs `extract`, so the workers need no access to the input or output directories.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from pipeline.engines import Chunk, ChunkResult, _warm, grouped, process_chunk, process_chunks
from pipeline.nlp import PipelineSettings

IN_FLIGHT_PER_THREAD = 2  # chunks submitted but not yet collected, per worker thread


class WorkersCannotImportPipeline(RuntimeError):
    """The cluster's workers cannot import this package (it is not installed there)."""


class DaskEngine:
    """Runs chunks on Dask distributed: a LocalCluster on loopback, or the cluster at `scheduler`."""

    def __init__(
        self,
        settings: PipelineSettings,
        workers: int = 1,
        scheduler: str | None = None,
        *,
        in_flight: int | None = None,
        function: Callable[[Chunk, PipelineSettings], ChunkResult] = process_chunk,
        warm: bool = True,
    ) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.settings = settings
        self.function = function
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            # No statistical profiler in the workers (it samples every thread's stack every 10 ms).
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,  # not the nanny warnings of a slow shutdown
                )
            self.client = Client(self.cluster)
        try:
            threads = self._threads() if scheduler else workers
            self.in_flight = in_flight or max(2, IN_FLIGHT_PER_THREAD * max(threads, 1))
            if warm:
                self._warm_workers()
        except BaseException:
            self.close()
            raise
        self.max_in_flight = 0  # the most chunks ever outstanding (for tests and the bench)
        self.pulled = 0  # chunks taken from the input so far

    def _threads(self) -> int:
        info = self.client.scheduler_info()
        return sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())

    def _warm_workers(self) -> None:
        """Load the pipeline in every worker now, and fail early when a worker cannot import it."""
        try:
            self.client.run(_warm, self.settings)
        except Exception as exc:
            # A worker that cannot unpickle the function reports a plain Exception wrapping it.
            if not isinstance(exc, ImportError) and "No module named 'pipeline" not in str(exc):
                raise
            raise WorkersCannotImportPipeline(
                "the Dask workers cannot import the pipeline package: install this project in the "
                f"workers' environment (pip install -e . or the wheel). The worker said: {exc}"
            ) from exc

    def map_ordered(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        if self.function is process_chunk:
            # as the local engines do: consecutive chunks in groups of engines.GROUP_ARTICLES
            # articles, one task each (one pipeline call, one NER batch; fewer tasks to schedule)
            for results in self._map_ordered(grouped(chunks), process_chunks):
                yield from results
            return
        yield from self._map_ordered(chunks, self.function)

    def _map_ordered(self, units: Iterable, function: Callable) -> Iterator:
        pending: deque = deque()
        run_id = uuid.uuid4().hex[:12]
        source = iter(units)
        exhausted = False

        def fill() -> None:
            nonlocal exhausted
            while not exhausted and len(pending) < self.in_flight:
                try:
                    chunk = next(source)
                except StopIteration:
                    exhausted = True
                    return
                key = f"process_chunk-{run_id}-{self.pulled}"
                self.pulled += 1
                pending.append(
                    self.client.submit(function, chunk, self.settings, key=key, pure=False, retries=1)
                )
                self.max_in_flight = max(self.max_in_flight, len(pending))

        try:
            fill()
            while pending:
                head = pending.popleft()
                result = head.result()
                head.release()
                fill()
                yield result
        finally:
            if pending:
                self.client.cancel(list(pending))
                pending.clear()

    def close(self) -> None:
        client, cluster = getattr(self, "client", None), self.cluster
        self.client, self.cluster = None, None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
