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
