"""The Dask engine: same output as the local engines, in input order, with a bounded window.

The end-to-end test runs `extract` as a user does (subprocesses) on a copy of corpus/ plus a
multi-chunk JSONL batch: `--workers 1`, `--workers 2` (process pool) and `--engine dask` on a
LocalCluster on loopback must write byte-identical articles/records/errors files.
The engine tests run on their own in-process cluster on loopback (`scheduler=` path).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from pipeline.dask_engine import DaskEngine  # noqa: E402
from pipeline.nlp import PipelineSettings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
OUTPUTS = ("articles.jsonl", "records.jsonl", "errors.jsonl")


# --------------------------------------------------------------------------- end to end


def _extract(inputs: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(out), "--quiet", *args],
        cwd=inputs.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """corpus/ plus a 40-line JSONL batch (the corpus briefs under new ids): several chunks per input."""
    root = tmp_path_factory.mktemp("dask") / "corpus"
    shutil.copytree(CORPUS, root)
    briefs = [json.loads(line) for line in (CORPUS / "daily_briefs.jsonl").read_text("utf-8").splitlines()]
    with (root / "more_briefs.jsonl").open("w", encoding="utf-8") as handle:
        for n in range(40):
            brief = dict(briefs[n % len(briefs)], id=f"more-{n:03d}")
            handle.write(json.dumps(brief, ensure_ascii=False) + "\n")
    return root


@pytest.fixture(scope="module")
def reference(small_corpus) -> Path:
    out = small_corpus.parent / "out_w1"
    result = _extract(small_corpus, out, "--workers", "1")
    assert result.returncode in (0, 3), result.stderr
    return out


def _assert_same(out: Path, reference: Path) -> None:
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    assert len((reference / "articles.jsonl").read_text("utf-8").splitlines()) == 54


def test_dask_local_cluster_matches_one_worker(small_corpus, reference):
    out = small_corpus.parent / "out_dask"
    started = time.perf_counter()
    result = _extract(small_corpus, out, "--engine", "dask", "--workers", "2")
    assert result.returncode in (0, 3), result.stderr
    _assert_same(out, reference)
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["articles"] == 54
    assert time.perf_counter() - started < 240


def test_process_pool_matches_one_worker(small_corpus, reference):
    out = small_corpus.parent / "out_w2"
    result = _extract(small_corpus, out, "--workers", "2")
    assert result.returncode in (0, 3), result.stderr
    _assert_same(out, reference)


# --------------------------------------------------------------------------- the engine


def _slow_echo(chunk, settings):
    """Later chunks finish first: the engine must still yield in input order."""
    index, items = chunk
    time.sleep(0.02 * (10 - index % 10))
    return index, [f"{index}:{item}\n" for item in items]


def _fail_on_three(chunk, settings):
    if chunk[0] == 3:
        raise ValueError("chunk 3 is broken")
    return chunk[0], []


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    )
    yield cluster
    cluster.close()


class CountingChunks:
    """An input iterator that records how many chunks were pulled from it."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.pulled = 0

    def __iter__(self):
        for i in range(self.n):
            self.pulled += 1
            yield i, [f"item{i}"]


def test_results_come_in_input_order_with_a_bounded_window(cluster):
    engine = DaskEngine(
        PipelineSettings(), scheduler=cluster.scheduler_address, function=_slow_echo, warm=False, in_flight=3
    )
    chunks = CountingChunks(25)
    seen, pulled_at_first = [], None
    try:
        for index, lines in engine.map_ordered(chunks):
            if pulled_at_first is None:
                pulled_at_first = chunks.pulled
            seen.append(index)
            assert lines == [f"{index}:item{index}\n"]
    finally:
        engine.close()
    assert seen == list(range(25))
    assert engine.max_in_flight == 3
    # The input is read lazily: one result out, at most the window plus its replacement pulled in.
    assert pulled_at_first <= 4


def test_default_window_is_twice_the_worker_threads(cluster):
    engine = DaskEngine(PipelineSettings(), scheduler=cluster.scheduler_address, warm=False)
    try:
        assert engine.in_flight == 4
    finally:
        engine.close()


def test_a_failing_chunk_raises_and_an_external_cluster_keeps_running(cluster):
    from distributed import Client

    engine = DaskEngine(
        PipelineSettings(), scheduler=cluster.scheduler_address, function=_fail_on_three, warm=False
    )
    seen = []
    with pytest.raises(ValueError, match="chunk 3 is broken"):
        for index, _ in engine.map_ordered((i, []) for i in range(8)):
            seen.append(index)
    engine.close()
    assert seen == [0, 1, 2]
    with Client(cluster.scheduler_address) as client:  # close() left the user's cluster alone
        assert client.submit(sum, [1, 2]).result() == 3


def test_workers_without_the_package_are_reported_at_start_up(cluster, monkeypatch):
    from pipeline.dask_engine import WorkersCannotImportPipeline

    engine = DaskEngine(PipelineSettings(), scheduler=cluster.scheduler_address, warm=False)
    try:
        # What a worker without the package sends back when it cannot unpickle the function
        # (seen with a real `dask worker` whose environment lacks the project).
        def run(*args, **kwargs):
            raise Exception("ModuleNotFoundError(\"No module named 'pipeline'\")")

        monkeypatch.setattr(engine.client, "run", run)
        with pytest.raises(WorkersCannotImportPipeline, match="install this project"):
            engine._warm_workers()
    finally:
        engine.close()
