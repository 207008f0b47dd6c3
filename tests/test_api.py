"""The documented Python API: `from pipeline import Extractor`."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline import Extractor
from pipeline.records import Article, NumberRecord

TEXT = "近日,桐乡科技城众创空间入选省级名单,今年以来新增企业35家,完成投资12.6亿元。"


@pytest.fixture(scope="module")
def extractor():
    return Extractor()


def test_extract_text_returns_validated_records_with_offsets_into_the_text(extractor):
    records = extractor.extract_text(TEXT, publish_date="2021-04-02")
    assert records and all(TEXT[r.start : r.end] == r.text for r in records)
    money = [r for r in records if isinstance(r, NumberRecord) and r.unit == "元"]
    assert [(r.text, r.value) for r in money] == [("12.6亿元", 1260000000)]
    dates = {r.text: r.value for r in records if r.kind == "date"}
    assert dates["今年以来"] == "2021-01-01/2021-04-02"
    assert extractor.extract_text(TEXT, publish_date=date(2021, 4, 2)) == records


def test_batch_and_streaming_forms_agree_with_one_text_at_a_time(extractor):
    texts = [TEXT, "全县新增高新技术企业12家。", "去年,园区实现营业收入286亿元。"]
    batch = extractor.extract_texts(texts, publish_date="2021-04-02")
    alone = [extractor.extract_text(t, "2021-04-02", article_id=f"text#{n}") for n, t in enumerate(texts, 1)]
    assert batch == alone
    items = [
        {"id": "a", "text": texts[0], "title": "标题"},
        Article(article_id="b", source="s", text=texts[1]),
    ]
    results = list(extractor.stream(iter(items)))
    assert [r.article.article_id for r in results] == ["a", "b"]
    assert results[0].article.title == "标题" and all(r.errors == [] for r in results)


def test_hostile_text_does_not_break_the_api(extractor):
    records = extractor.extract_text("投资\ud80012.6亿元。" + "长" * 10)
    assert all(r.text for r in records)
    assert extractor.extract_text("") == []


def test_options(extractor):
    rules_only = Extractor(ner=False)
    assert "statistical_ner" not in rules_only.settings.components
    assert {r.kind for r in rules_only.extract_text(TEXT)} <= {"number", "date", "organization", "ranking"}
