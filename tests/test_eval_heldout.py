"""The held-out sets: their gold is well formed, and the evaluation runs and reports every set.

v1 (tests/heldout/bulletins.jsonl, h001-h030) has been used for error analysis; v2
(tests/heldout/bulletins_v2.jsonl, v001-v030) is partly used (its failure classes were used to tune
rules); v3 (tests/heldout/bulletins_v3.jsonl, w001-w030) is blind. No target binds (held-out reports); a
loose regression floor of F1 >= 0.5 per kind on each set guards against a pipeline that stops working.
The sets live in the repository, so nothing here needs ../shared/data.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from pipeline.evaluate import heldout
from pipeline.traditional import to_simplified

SETS = {name: heldout.load_heldout(path) for name, path in heldout.SETS.items()}
ID_FORMAT = {"v1": "h{:03d}", "v2": "v{:03d}", "v3": "w{:03d}"}
TRADITIONAL_IDS = {
    "v1": {"h004", "h008", "h014"},
    "v2": {"v007", "v012", "v016"},
    "v3": {"w003", "w011", "w017"},
}
TEXT_LENGTH = {"v1": (150, 500), "v2": (200, 500), "v3": (200, 450)}
FLOOR_F1 = 0.5

ALL_DOCS = [(name, doc) for name, docs in SETS.items() for doc in docs]
ALL_IDS = [doc["id"] for _, doc in ALL_DOCS]

DATE_VALUE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
MULTIPLIERS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000, "千": 1_000}
DIGITS_THEN_MULTIPLIER = re.compile(r"^[约近超]?(\d+(?:\.\d+)?)([万萬亿億千]*)")


# --------------------------------------------------------------------------- the data


def test_three_sets_of_thirty_documents_with_ordered_ids():
    assert set(SETS) == {"v1", "v2", "v3"}
    for name, docs in SETS.items():
        assert [d["id"] for d in docs] == [ID_FORMAT[name].format(i) for i in range(1, 31)]


def test_the_sets_share_no_text():
    texts = {name: {d["text"] for d in docs} for name, docs in SETS.items()}
    assert not texts["v1"] & texts["v2"]
    assert not texts["v3"] & (texts["v1"] | texts["v2"])


@pytest.mark.parametrize(("name", "doc"), ALL_DOCS, ids=ALL_IDS)
def test_document_shape(name, doc):
    assert set(doc) == {
        "id", "source", "publish_date", "text", "organizations", "dates", "numbers", "rankings",
    }  # fmt: skip
    assert doc["source"] == "written for this project"
    if doc["publish_date"] is not None:
        date.fromisoformat(doc["publish_date"])
    low, high = TEXT_LENGTH[name]
    assert low <= len(doc["text"]) <= high


@pytest.mark.parametrize("name", sorted(SETS))
def test_three_documents_are_traditional(name):
    changed = {d["id"] for d in SETS[name] if to_simplified(d["text"]) != d["text"]}
    assert changed == TRADITIONAL_IDS[name]


def test_some_v2_documents_have_no_publish_date():
    undated = [d["id"] for d in SETS["v2"] if d["publish_date"] is None]
    assert 3 <= len(undated) <= 10


def test_six_v3_documents_have_no_publish_date():
    undated = [d["id"] for d in SETS["v3"] if d["publish_date"] is None]
    assert undated == ["w006", "w013", "w018", "w020", "w025", "w030"]


@pytest.mark.parametrize(("name", "doc"), ALL_DOCS, ids=ALL_IDS)
def test_annotations_are_substrings_and_distinct(name, doc):
    text = doc["text"]
    assert len(set(doc["organizations"])) == len(doc["organizations"])
    for org in doc["organizations"]:
        assert org in text, org
    for kind in ("dates", "numbers"):
        spans = [item["text"] for item in doc[kind]]
        assert len(set(spans)) == len(spans), (kind, spans)
        for span in spans:
            assert span in text, (kind, span)
    for ranking in doc["rankings"]:
        assert ranking["evidence"] in text, ranking
        assert ranking["period"] is None or ranking["period"] in text, ranking


@pytest.mark.parametrize(("name", "doc"), ALL_DOCS, ids=ALL_IDS)
def test_date_values(name, doc):
    for item in doc["dates"]:
        assert set(item) == {"text", "value"}
        assert item["value"] is None or DATE_VALUE.match(item["value"]), item


@pytest.mark.parametrize(("name", "doc"), ALL_DOCS, ids=ALL_IDS)
def test_number_values_follow_the_multiplier_rule(name, doc):
    for item in doc["numbers"]:
        assert set(item) == {"text", "value", "unit"}
        assert isinstance(item["value"], int | float) and not isinstance(item["value"], bool)
        if item["unit"] is not None and not item["text"].startswith("百分之"):
            assert item["unit"] in item["text"], item
        found = DIGITS_THEN_MULTIPLIER.match(item["text"])
        if found:  # written with digits: the value is the digits times the multipliers
            expected = float(found.group(1))
            for multiplier in found.group(2):
                expected *= MULTIPLIERS[multiplier]
            assert item["value"] == pytest.approx(expected), item


@pytest.mark.parametrize(("name", "doc"), ALL_DOCS, ids=ALL_IDS)
def test_rankings_shape(name, doc):
    for r in doc["rankings"]:
        assert set(r) == {"rank", "total", "subject", "scope", "period", "change", "evidence"}
        assert isinstance(r["rank"], int) and r["rank"] >= 1
        assert r["total"] is None or (isinstance(r["total"], int) and r["total"] >= r["rank"])
        assert r["change"] is None or isinstance(r["change"], int)
        assert r["subject"] is None or r["subject"].strip()


def _texts(name: str) -> str:
    return "\n".join(d["text"] for d in SETS[name])


def test_the_hard_cases_are_there_v1():
    texts = _texts("v1")
    for form in ("综合排名33", "名列全国第四、西部第一", "位居第43、52位", "榜首", "第一名", "下降3位",
                 "第一次", "第二批", "一等奖", "前十", "5G", "三期", "联系电话", "一批",
                 "三十六家", "两个", "百分之四十", "12個月", "从3.2%提高到4.1%",
                 "2019年度", "2020年11月5日", "2017-2019年", "上半年", "一季度",
                 "近日", "今年以来", "去年", "上月", "省科技厅", "市科技局", "科技部火炬中心"):  # fmt: skip
        assert form in texts, form


def test_the_hard_cases_are_there_v2():
    texts = _texts("v2")
    for form in ("分别位列第23位、第57位和第86位", "前三名依次是", "分别排名第一、第二、第四", "位居榜首",
                 "排名末位", "由第15位躍升至第6位", "与上年持平", "后退2位", "居枫溪市各县(市、区)首位",
                 "该所在九十家参评机构中排名第三", "该区", "該校作物學學科",
                 "参加该项评价的县(市)共有58个", "本届榜单共收录企业200家",
                 "第三届", "第一完成单位", "第二次", "第9家", "首批", "第一次", "一期、二期", "5G", "6G",
                 "1.8:1", "一半", "百强", "前十", "十强县", "第一方阵", "前三分之一", "前200名",
                 "两大", "每万人口", "亿元以上", "电话0796",
                 "二十五亿元", "一千二百个", "二〇一五年", "兩年半", "近四成", "2万吨", "3000亿只",
                 "50万元至100万元", "从2020年的1.86%提高到2023年的2.71%", "0.85个百分点", "2.1倍",
                 "1—9月", "前三季度", "今年1—5月", "去年同期", "上月", "今年以来", "明年上半年",
                 "2022年至2024年", "2025年3月", "2024年上半年", "“十四五”期间", "《2024中国智慧城市",
                 "《2023年全省县域"):  # fmt: skip
        assert form in texts, form


def test_the_hard_cases_are_there_v3():
    texts = _texts("v3")
    for form in ("分别获得第一名、第二名和第三名", "第一名由", "依次是北麓区、鹤汀区和柏塘县", "排名末位",
                 "分别居全省第一、第二位", "分别排名第18位和第25位", "分别列第二、第三位", "位居全省高校首位",
                 "对全省16个设区市进行了评价", "全县现有茶叶出口企业36家", "在全省参评的134家孵化器中",
                 "該校上榜學科數", "该孵化器", "该集团", "該站", "该所", "與上年持平",
                 "第一次", "第二批", "第三批", "一等奖", "前十", "前一百", "前五名", "前30", "第二档", "首次",
                 "5G", "三期", "一批", "一半", "四分之一", "三分之一", "一类创新药", "三次产业", "千亿级",
                 "PM2.5", "R&D", "2024届", "《2024中國最好學科排名》", "电话：0571", "亿元以上",
                 "四百亿元", "十二万件", "一千六百户", "三百二十余名", "一百零六项", "十多倍", "七成",
                 "2.6个百分点", "8.3個百分點", "从2.18%提高到2.74%", "50万元至200万元", "12万吨", "0.046毫克/升",
                 "过去五年", "连续八年", "未来三年", "每30分钟", "每4小時",
                 "2024年一季度", "去年全年", "今年1至5月", "今年1月至6月", "2021年至2023年", "2024年6月底",
                 "（2023年修订）", "2024年11月15日", "“十五五”期间", "上一年度", "年内", "12月3日至6日"):  # fmt: skip
        assert form in texts, form


# --------------------------------------------------------------------------- the evaluation


def test_scoring_rules():
    assert heldout.value_key(412.6 * 100_000_000) == 41_260_000_000
    assert heldout.number_key(3, "個") == (3, "个")
    assert heldout.subject_match("東江大學海洋研究院", "东江大学海洋研究院")
    assert heldout.subject_match("东江理工大学", "东江理工大学材料科学与工程学科")
    assert heldout.subject_match(None, None)
    assert not heldout.subject_match("市统计局", None)


def test_the_sets_say_which_is_blind():
    assert heldout.BLIND == {"v1": False, "v2": True, "v3": True}
    assert set(heldout.SETS) == set(heldout.BLIND)


@pytest.fixture(scope="module")
def report(processor):
    # the default ArticleProcessor(), exactly as a user builds it (shared with the other tests)
    return heldout.evaluate(None, processor=processor)


def test_evaluation_reports_every_metric_of_every_set(report):
    assert {f"v3.{metric}" for metric in heldout.METRICS} <= set(report.metrics)
    expected = {f"{name}.{metric}" for name in heldout.SETS for metric in heldout.METRICS}
    assert expected == set(report.metrics)
    assert all(0.0 <= v <= 1.0 for v in report.metrics.values())
    assert report.targets == {}
    for name in heldout.SETS:
        assert report.details[name]["documents"] == 30
        assert isinstance(report.details[name]["processing_errors"], dict)


def test_no_article_fails(report):
    failed = {name: report.details[name]["processing_errors"] for name in heldout.SETS}
    assert failed == {"v1": {}, "v2": {}, "v3": {}}


def test_blind_errors_are_withheld_by_default(report):
    assert "docs_withheld" not in report.details["v1"]
    for name in ("v2", "v3"):
        assert report.details[name]["docs_withheld"] is True
        assert all(isinstance(doc_id, str) for doc_id in report.details[name]["docs"])


def test_blind_errors_can_be_revealed(processor):
    one = {"v3": heldout.HELDOUT_V3_PATH}
    revealed = heldout.evaluate(None, processor=processor, sets=one, reveal_blind=True)
    assert "docs_withheld" not in revealed.details["v3"]
    assert all(isinstance(errors, dict) for errors in revealed.details["v3"]["docs"].values())


# Kinds measured below the floor, with the measured F1: an xfail on the floor plus a guard at that level.
# v2 rankings were 0.2424 when v2 was added; the rules tuned on v2's failure classes lifted them to 0.5745
# (above the floor, so the case is a plain floor check again). v3, first run (pipeline 311b9b7, rules + NER):
# org 0.8571, number 0.9653, date 0.9761, ranking 0.6437, every kind above the floor.
BELOW_FLOOR: dict[tuple[str, str], float] = {}
LEVEL_MARGIN = 0.04


def _floor_case(name: str, kind: str):
    if (name, kind) in BELOW_FLOOR:
        reason = f"{name}.{kind}_f1 measured {BELOW_FLOOR[name, kind]} < floor {FLOOR_F1}"
        return pytest.param(name, kind, marks=pytest.mark.xfail(strict=False, reason=reason))
    return pytest.param(name, kind)


@pytest.mark.parametrize(
    ("name", "kind"), [_floor_case(name, kind) for name in sorted(heldout.SETS) for kind in heldout.KINDS]
)
def test_regression_floor(report, name, kind):
    assert report.metrics[f"{name}.{kind}_f1"] >= FLOOR_F1, report.details[name]["counts"]


@pytest.mark.parametrize(("name", "kind"), sorted(BELOW_FLOOR))
def test_level_reached_below_the_floor(report, name, kind):
    level = BELOW_FLOOR[name, kind] - LEVEL_MARGIN
    assert report.metrics[f"{name}.{kind}_f1"] >= level, report.details[name]["counts"]
