"""`make bench` runs end to end on a tiny corpus (the figures themselves are for `make bench`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import bench

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.skipif(not (SHARED / "msra_ner").is_dir(), reason="../shared/data/msra_ner is not present")
def test_bench_in_process_rounds(tmp_path, capsys):
    code = bench.main(
        ["--data", str(SHARED), "--out", str(tmp_path), "--chars", "3000", "--no-subprocess", "--no-variants"]
        + ["--repeat", "2", "--long-chars", "20000"]
    )
    assert code == 0
    result = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert len(result["rounds"]) == 2
    best = max(r["pipeline_chars_per_s"] for r in result["rounds"])
    assert result["pipeline"]["chars_per_s"] == best
    ratio = result["ratios"]["pipeline_vs_jieba"]
    assert ratio == pytest.approx(best / max(r["jieba_chars_per_s"] for r in result["rounds"]))
    table = (tmp_path / "bench.txt").read_text(encoding="utf-8")
    assert "pipeline / jieba" in table and "2 alternating rounds" in table
    assert "one long article (20,000 chars)" in table
    assert result["long_article"]["chars"] == 20000 and result["long_article"]["records"] > 0
    assert result["pipeline"]["records"] > 0
    pdf = result["pdf_page"]
    assert pdf["pages"] == 1 and pdf["chars"] > 500 and pdf["pages_per_s"] > 0
    assert 0 < pdf["read_share"] < 1 and "PDF page read" in table


@pytest.mark.skipif(not (SHARED / "msra_ner").is_dir(), reason="../shared/data/msra_ner is not present")
def test_bench_whole_process_rounds(tmp_path):
    """The figures users see: whole processes (start-up included), medians of alternating rounds."""
    code = bench.main(
        ["--data", str(SHARED), "--out", str(tmp_path), "--chars", "3000", "--repeat", "2"]
        + ["--no-variants", "--no-dask", "--scale", "2", "--long-chars", "0"]
    )
    assert code == 0
    result = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    whole = result["whole"]
    assert whole["rounds"] == 2
    for key in ("jieba", "w1", "w2", "one article"):
        seconds = [run["seconds"] for run in whole["runs"][key]]
        assert len(seconds) == 2 and all(s > 0 for s in seconds)
        assert whole[key]["seconds"]["median"] == pytest.approx(sum(seconds) / 2)
    assert whole["pipeline_vs_jieba"] == pytest.approx(
        whole["jieba"]["seconds"]["median"] / whole["w1"]["seconds"]["median"]
    )
    assert whole["speedup_2_workers"] == pytest.approx(
        whole["w1"]["seconds"]["median"] / whole["w2"]["seconds"]["median"]
    )
    assert result["whole"]["runs"]["w1"][0]["records"] == result["whole"]["runs"]["w2"][0]["records"] > 0
    assert 0.9 < result["ratios"]["rss_growth"] < 1.5
    # the per-stage table runs the stages in the pipeline's order, as extract does
    stages = list(result["stages"]["seconds"])
    assert stages.index("tokenizer (segmenter + spaCy Doc)") < stages.index("number_extractor")
    assert (
        stages.index("number_extractor") < stages.index("statistical_ner") < stages.index("article_context")
    )
    assert sum(result["stages"]["share"].values()) == pytest.approx(1.0)
    table = (tmp_path / "bench.txt").read_text(encoding="utf-8")
    for row in ("full pipeline, 1 worker / jieba.cut", "2 workers over 1 (wall)", "one short article"):
        assert row in table
    assert "peak RSS per process" in table and "peak RSS x2 corpus / x1" in table
