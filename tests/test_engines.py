"""Engines: the per-chunk function and the choice of engine.

The engines themselves are compared end to end in test_dask_engine.py (workers 1 / 2 / dask
write byte-identical outputs); here: what one chunk turns into, and `make_engine`'s dispatch.
"""

from __future__ import annotations

import json

from pipeline import engines
from pipeline.engines import LocalEngine, make_engine, part_line, process_chunk
from pipeline.nlp import PipelineSettings
from pipeline.records import Article, ErrorRecord

SETTINGS = PipelineSettings()


def _article(n: int, text: str) -> Article:
    return Article(article_id=f"t#{n}", source="t.jsonl", text=text)


ITEMS = [
    _article(1, "桐乡市科技局投入扶持资金650万元，支持众创空间开展创业辅导。"),
    ErrorRecord(source="t.jsonl", article_id="t#2", error="InvalidJson", message="line 2 is not JSON"),
    _article(3, "该空间建筑面积1.8万平方米，目前入驻创业团队42个。"),
]


def test_part_line_is_tag_id_payload():
    assert part_line("a", "x#1", "{}") == 'a\t"x#1"\t{}\n'
    assert part_line("e", None, "{}") == "e\tnull\t{}\n"
    line = part_line("a", "x\ty\nz", "{}")  # a tab or newline in an id cannot break the line
    assert line.count("\n") == 1 and line.count("\t") == 2
    assert json.loads(line.split("\t")[1]) == "x\ty\nz"


def test_a_chunk_keeps_its_index_and_the_order_of_its_items():
    index, lines = process_chunk((7, ITEMS), SETTINGS)
    assert index == 7
    assert all(line.endswith("\n") and line.count("\t") >= 2 for line in lines)
    tags = [(line.split("\t")[0], json.loads(line.split("\t")[1])) for line in lines]
    article_lines = [t for t in tags if t[0] == "a"]
    assert article_lines == [("a", "t#1"), ("a", "t#3")]
    # Everything about article 1 comes before the passed-on error of item 2, which comes before article 3.
    position = {key: i for i, key in reversed(list(enumerate(tags)))}
    passed_on = tags.index(("e", "t#2"))
    assert position[("a", "t#1")] < passed_on < position[("a", "t#3")]
    assert all(t[1] == "t#1" for t in tags[:passed_on])
    assert all(t[1] == "t#3" for t in tags[passed_on + 1 :])
    payload = json.loads(lines[passed_on].split("\t", 2)[2])
    assert payload["error"] == "InvalidJson"


def test_an_empty_chunk_gives_no_lines():
    assert process_chunk((3, []), SETTINGS) == (3, [])


def test_local_engine_is_process_chunk_in_order():
    chunks = [(0, ITEMS[:1]), (0, ITEMS[1:]), (1, [])]
    got = list(LocalEngine(SETTINGS).map_ordered(iter(chunks)))
    assert got == [process_chunk(c, SETTINGS) for c in chunks]


def test_make_engine_dispatch(monkeypatch):
    assert isinstance(make_engine(SETTINGS, workers=1), LocalEngine)
    made = {}

    class FakeDask:
        def __init__(self, settings, workers, scheduler):
            made.update(settings=settings, workers=workers, scheduler=scheduler)

    import pipeline.dask_engine

    monkeypatch.setattr(pipeline.dask_engine, "DaskEngine", FakeDask)
    engine = make_engine(SETTINGS, workers=3, engine="dask", scheduler="tcp://10.0.0.5:8786")
    assert isinstance(engine, FakeDask)
    assert made == {"settings": SETTINGS, "workers": 3, "scheduler": "tcp://10.0.0.5:8786"}


def test_settings_travel_to_workers_unchanged():
    import pickle

    settings = PipelineSettings(segmenter="rjieba", component_config={"number_extractor": {"x": 1}})
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_the_processor_is_loaded_once_per_process():
    first = engines._processor(SETTINGS)
    assert engines._processor(SETTINGS) is first


def test_chunks_processed_together_give_each_chunk_its_own_lines():
    chunks = [(0, ITEMS[:1]), (0, ITEMS[1:]), (1, []), (2, ITEMS[2:])]
    together = engines.process_chunks(chunks, SETTINGS)
    assert together == [process_chunk(c, SETTINGS) for c in chunks]


def test_grouped_keeps_chunks_whole_and_in_order():
    chunks = [(i, [f"item{i}-{k}" for k in range(n)]) for i, n in enumerate([4, 4, 1, 0, 4, 4])]
    groups = list(engines.grouped(iter(chunks), 8))
    assert [c for g in groups for c in g] == chunks
    assert [[c[0] for c in g] for g in groups] == [[0, 1], [2, 3, 4, 5]]


def test_auto_workers_follow_the_input_size_up_to_the_cores():
    per = engines.AUTO_BYTES_PER_WORKER
    assert engines.auto_workers(0, cores=4) == 1
    assert engines.auto_workers(per - 1, cores=4) == 1
    assert engines.auto_workers(2 * per, cores=4) == 2
    assert engines.auto_workers(100 * per, cores=4) == 4
    assert 1 <= engines.auto_workers(100 * per) <= engines.usable_cores()


def test_a_forked_pool_starts_with_the_loaded_pipeline_and_matches_spawn():
    if engines.start_method() != "fork":
        import pytest

        pytest.skip("fork is used on Linux only")
    chunks = [(0, ITEMS[:2]), (1, ITEMS[2:])]
    expected = [process_chunk(c, SETTINGS) for c in chunks]
    for method in ("fork", "spawn"):
        engine = engines.ProcessEngine(SETTINGS, 2, method=method)
        try:
            assert list(engine.map_ordered(iter(chunks))) == expected, method
        finally:
            engine.close()
