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
