"""The article-level organisation names (pipeline/discourse/org_names.py, rule 5 of the merge stage)
against their examples (tests/examples/org_names.yaml), through the default pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.discourse import org_names
from pipeline.records import Article

EXAMPLES = yaml.safe_load((Path(__file__).parent / "examples" / "org_names.yaml").read_text(encoding="utf-8"))


def _orgs(processor, text: str) -> dict[str, str]:
    result = processor.process_one(Article(article_id="t#1", source="test", text=text))
    return {r.text: r.name for r in result.records if r.kind == "organization"}


def _check(processor, case):
    found = _orgs(processor, case["text"])
    assert set(case.get("has", ())) <= set(found), found
    assert not set(case.get("lacks", ())) & set(found), found
    for text, name in case.get("names", {}).items():
        assert found[text] == name, found


@pytest.mark.parametrize("case", EXAMPLES["cases"], ids=lambda c: c["text"][:16])
def test_example(processor, case):
    _check(processor, case)


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(reason=c["reason"], strict=True)) for c in EXAMPLES["xfail"]],
    ids=lambda c: c["text"][:16],
)
def test_known_miss(processor, case):
    _check(processor, case)


def test_a_record_keeps_its_span_as_text_when_its_name_is_the_full_form(processor):
    text = "上海交通大学与平湖市政府签署合作协议。上海交大将在平湖设立研究院。"
    result = processor.process_one(Article(article_id="t#1", source="test", text=text))
    short = next(r for r in result.records if r.kind == "organization" and r.text == "上海交大")
    assert text[short.start : short.end] == "上海交大" and short.name == "上海交通大学"


def test_traditional_text_is_read_and_names_stay_as_written(processor):
    text = "江蘇匯鴻環保科技有限公司(以下簡稱“匯鴻環保”)成立於2012年。目前,匯鴻環保擁有發明專利36件。"
    assert _orgs(processor, text).get("匯鴻環保") == "江蘇匯鴻環保科技有限公司"


def test_span_mask_is_never_changed_by_the_readers():
    mask = org_names.SpanMask(20, [(0, 2)])
    org_names.media_outlets("甲乙网讯(丙丁日报记者 王明)", mask, lambda s: list(s), {})
    assert not mask.any(2, 20)


def test_many_names_in_one_article_are_each_found_where_repeated(processor):
    # 400 companies, each named twice: the repeated mention of every one is a record too
    chars = "澄禾星岚卓鸣沙汇川澜渚霈砚岫峤蔚泠槿栎椒"
    names = [f"{a}{b}精工科技有限公司" for a in chars for b in chars][:400]
    text = "".join(f"{n}与{n[:2]}集团签约,{n}将投资。" for n in names)
    result = processor.process_one(Article(article_id="t#1", source="test", text=text))
    found = [r.text for r in result.records if r.kind == "organization"]
    assert sum(t in names for t in found) == 2 * len(names)
