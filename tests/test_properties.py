"""Property tests: arbitrary Unicode never raises in the repair and extraction stages, and every
record validates with `text == article.text[start:end]`."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.components.base import mentions
from pipeline.nlp import PipelineSettings, build_nlp
from pipeline.process import records_from_mentions
from pipeline.records import Article
from pipeline.repair import normalise_chars, repair_article, repair_page
from pipeline.sources import read_bytes
from pipeline.sources.decode import DecodeError, decode_bytes
from pipeline.sources.page import split_page

# Fragments that drive the rules into their interesting paths, mixed with arbitrary characters.
FRAGMENTS = [
    "2019年度", "2018年11月", "近日", "今年以来", "去年", "上半年", "第17位", "列第", "位", "前进16位", "下降3位",
    "全省43家", "高新区", "综合排名", "280.5亿元", "7.15亿美元", "3.24%", "31.75万平方米", "2700余套", "十多万",
    "百分之四十", "两家", "一", "十", "百", "千", "万", "亿", "零", "点", "个", "家", "浙江锋源氢能科技有限公司",
    "省科技厅", "市科技局", "研究院", "大学", "有限公司", "和", "、", "与", ",", "。", "\n", "“", "”", "(", ")",
    "记者 徐晓雯", "摄影 莫开彦", "科技资讯", " ", "\u3000", "１２３", "％", "第一", "榜首", "名列全国第四",
]  # fmt: skip
bulletin_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=300), bulletin_text)
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_text)
def test_repair_never_raises(text):
    repaired = repair_page(text)
    assert "\r" not in repaired
    assert repair_article(text) == repair_article(repair_article(text))
    normalise_chars(text)


@FAST
@given(any_text)
def test_page_split_never_raises_and_keeps_every_body_line(text):
    repaired = repair_page(text)
    articles, _ = split_page(repaired)
    for article in articles:
        for paragraph in article.paragraphs:
            assert paragraph in repaired


@FAST
@given(st.binary(max_size=600))
def test_decode_only_raises_decode_errors(data):
    try:
        decode_bytes(data)
    except DecodeError:
        pass


@FAST
@given(st.binary(max_size=400), st.sampled_from(["txt", "md", "jsonl", "html"]))
def test_reading_any_bytes_never_raises(data, kind):
    for item in read_bytes(data, "input", kind):
        assert item.source


@pytest.fixture(scope="module")
def stage_pipelines():
    """One pipeline per extraction stage on its own, plus the full pipeline."""
    full = build_nlp(PipelineSettings())
    stages = {name: build_nlp(PipelineSettings(components=(name,))) for name in full.pipe_names}
    stages["full"] = full
    return stages


def _check(nlp, text: str) -> None:
    doc = nlp.make_doc(text)
    doc._.mentions = []
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    article = Article(article_id="p#1", source="p", text=text)
    records, errors = records_from_mentions(article, mentions(doc))
    assert not errors, errors
    for record in records:
        assert text[record.start : record.end] == record.text


@PIPELINE
@given(bulletin_text)
def test_every_stage_on_bulletin_like_text(stage_pipelines, text):
    for nlp in stage_pipelines.values():
        _check(nlp, text)


@PIPELINE
@given(st.text(max_size=200))
def test_every_stage_on_arbitrary_unicode(stage_pipelines, text):
    for nlp in stage_pipelines.values():
        _check(nlp, text)
