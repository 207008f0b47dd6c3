"""The held-out set (tests/heldout/bulletins.jsonl): its gold is well formed, and the evaluation runs.

No target binds (a held-out report); a loose regression floor of F1 >= 0.5 per kind guards against a
pipeline that stops working. The set lives in the repository, so nothing here needs ../shared/data.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from pipeline.evaluate import heldout
from pipeline.traditional import to_simplified

DOCS = heldout.load_heldout()
IDS = [d["id"] for d in DOCS]
TRADITIONAL_IDS = {"h004", "h008", "h014"}
FLOOR_F1 = 0.5

DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
MULTIPLIERS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000, "千": 1_000}
DIGITS_THEN_MULTIPLIER = re.compile(r"^[约近超]?(\d+(?:\.\d+)?)([万萬亿億千]?)")


# --------------------------------------------------------------------------- the data


def test_thirty_documents_with_ordered_ids():
    assert IDS == [f"h{i:03d}" for i in range(1, 31)]


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_document_shape(doc):
    assert set(doc) == {
        "id", "source", "publish_date", "text", "organizations", "dates", "numbers", "rankings",
    }  # fmt: skip
    assert doc["source"] == "written for this project"
    if doc["publish_date"] is not None:
        date.fromisoformat(doc["publish_date"])
    assert 150 <= len(doc["text"]) <= 500


def test_three_documents_are_traditional():
    changed = {d["id"] for d in DOCS if to_simplified(d["text"]) != d["text"]}
    assert changed == TRADITIONAL_IDS


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_annotations_are_substrings_and_distinct(doc):
    text = doc["text"]
    assert len(set(doc["organizations"])) == len(doc["organizations"])
    for name in doc["organizations"]:
        assert name in text, name
    for kind in ("dates", "numbers"):
        spans = [item["text"] for item in doc[kind]]
        assert len(set(spans)) == len(spans), (kind, spans)
        for span in spans:
            assert span in text, (kind, span)
    for ranking in doc["rankings"]:
        assert ranking["evidence"] in text, ranking
        assert ranking["period"] is None or ranking["period"] in text, ranking


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_date_values(doc):
    for item in doc["dates"]:
        assert set(item) == {"text", "value"}
        assert item["value"] is None or DATE_VALUE.match(item["value"]), item


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_number_values_follow_the_multiplier_rule(doc):
    for item in doc["numbers"]:
        assert set(item) == {"text", "value", "unit"}
        assert isinstance(item["value"], int | float) and not isinstance(item["value"], bool)
        if item["unit"] is not None and not item["text"].startswith("百分之"):
            assert item["unit"] in item["text"], item
        found = DIGITS_THEN_MULTIPLIER.match(item["text"])
        if found:  # written with digits: the value is the digits times the multiplier
            expected = float(found.group(1)) * MULTIPLIERS.get(found.group(2), 1)
            assert item["value"] == pytest.approx(expected), item


@pytest.mark.parametrize("doc", DOCS, ids=IDS)
def test_rankings_shape(doc):
    for r in doc["rankings"]:
        assert set(r) == {"rank", "total", "subject", "scope", "period", "change", "evidence"}
        assert isinstance(r["rank"], int) and r["rank"] >= 1
        assert r["total"] is None or (isinstance(r["total"], int) and r["total"] >= r["rank"])
        assert r["change"] is None or isinstance(r["change"], int)
        assert r["subject"] is None or r["subject"].strip()


def test_the_hard_cases_are_there():
    texts = "\n".join(d["text"] for d in DOCS)
    for form in ("综合排名33", "名列全国第四、西部第一", "位居第43、52位", "榜首", "第一名", "下降3位",
                 "第一次", "第二批", "一等奖", "前十", "5G", "三期", "联系电话", "一批",
                 "三十六家", "两个", "百分之四十", "12個月", "从3.2%提高到4.1%",
                 "2019年度", "2020年11月5日", "2017-2019年", "上半年", "一季度",
                 "近日", "今年以来", "去年", "上月", "省科技厅", "市科技局", "科技部火炬中心"):  # fmt: skip
        assert form in texts, form


# --------------------------------------------------------------------------- the evaluation


def test_scoring_rules():
    assert heldout.value_key(412.6 * 100_000_000) == 41_260_000_000
    assert heldout.number_key(3, "個") == (3, "个")
    assert heldout.subject_match("東江大學海洋研究院", "东江大学海洋研究院")
    assert heldout.subject_match("东江理工大学", "东江理工大学材料科学与工程学科")
    assert heldout.subject_match(None, None)
    assert not heldout.subject_match("市统计局", None)


@pytest.fixture(scope="module")
def report():
    # its own processor: the evaluation leaves out a component that cannot run here (an untrained model)
    return heldout.evaluate(None)


def test_evaluation_reports_every_metric(report):
    expected = {f"{kind}_{m}" for kind in heldout.KINDS for m in ("p", "r", "f1")}
    expected |= {"date_value_accuracy", "ranking_subject_accuracy", "ranking_change_accuracy"}
    expected |= {"ranking_rank_only_f1"}
    assert expected <= set(report.metrics)
    assert all(0.0 <= v <= 1.0 for v in report.metrics.values())
    assert report.targets == {}
    assert report.details["documents"] == 30


@pytest.mark.parametrize("kind", heldout.KINDS)
def test_regression_floor(report, kind):
    assert report.metrics[f"{kind}_f1"] >= FLOOR_F1, report.as_dict()["details"]["docs"]
