"""Segmentation F1 and speed on the SIGHAN 2005 PKU test set (needs ../shared/data).

The issue's target: pkuseg trained on PKU-standard data (the shipped model) beats jieba on PKU
gold. The absolute floors are regression guards a little under the measured figures
(`python -m pipeline.evaluate.segmentation`, recorded in pipeline/models/pkuseg_pd/README.md).
"""

from __future__ import annotations

import pytest

from pipeline.evaluate import segmentation
from pipeline.evaluate.segmentation import intervals, read_lines, score_line

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(shared_data):
    return segmentation.evaluate(shared_data)


def test_targets(report):
    assert report.failures() == []


def test_pkuseg_beats_jieba_on_pku_gold(report):
    assert report.metrics["pkuseg.f1"] > report.metrics["jieba.f1"] + 0.05


def test_regression_floors(report):
    m = report.metrics
    assert m["pkuseg.f1"] >= 0.935  # measured 0.9415
    assert m["jieba.f1"] >= 0.81  # measured 0.8182
    assert m["jieba_no_domain.f1"] >= 0.81  # measured 0.8183
    assert m["rjieba.f1"] >= 0.81  # measured 0.8183


def test_rjieba_cuts_like_jieba_on_pku(report):
    """rjieba differs from jieba only on a few Latin/URL tokens (it keeps www.a.com.cn whole)."""
    agreement = report.details["rjieba_vs_jieba"]
    assert agreement["word_f1"] >= 0.999
    assert agreement["identical_lines"] >= 0.995
    assert abs(report.metrics["rjieba.f1"] - report.metrics["jieba.f1"]) < 0.002


def test_speed_ranking(report):
    """rjieba is the fastest; jieba is faster than pkuseg. Relative only: the machine is shared."""
    cps = {k: report.details["table"][k]["chars_per_s"] for k in ("jieba", "rjieba", "pkuseg")}
    assert cps["rjieba"] > cps["jieba"] > cps["pkuseg"] > 0


def test_report_has_a_recommendation(report):
    rec = report.details["recommendation"]
    assert set(rec) >= {"accuracy", "speed", "default"}
    assert rec["accuracy"].startswith("pkuseg")
    assert rec["speed"].startswith("rjieba")


# Scoring itself, on handwritten lines (no shared data needed).


def test_intervals_ignore_whitespace_words():
    assert intervals(["南京", " ", "高新区", "\n", "科技局"]) == {(0, 2), (2, 5), (5, 8)}


def test_score_line_is_interval_matching():
    gold = ["南京", "高新区", "科技局"]
    prf = score_line(gold, ["南京高新区", "科技局"])
    assert (prf.tp, prf.fp, prf.fn) == (1, 1, 2)
    assert score_line(gold, gold).f1 == 1.0


def test_read_lines_strips_crlf(tmp_path):
    path = tmp_path / "gold.utf8"
    path.write_bytes("共同  创造\r\n\r\n美好\r\n".encode())
    assert read_lines(path) == ["共同  创造", "", "美好", ""]
