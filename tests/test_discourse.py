"""The article-level context stage: the article-level examples corpus through the whole pipeline,
and the pure parts (segments, the chooser, field candidates) on their own."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
import yaml

from pipeline.discourse import chooser, fields, holders, lists, repeats
from pipeline.discourse.fields import CountView, FieldResolver, RankingView
from pipeline.records import Article
from pipeline.text import segments

CORPUS = yaml.safe_load(
    (Path(__file__).parent / "examples" / "article_ranking.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CORPUS["positives"]])
def test_article_example(processor, case):
    result = processor.process_one(Article(article_id="t", source="t", text=case["text"]))
    found = [r for r in result.records if r.kind == "ranking" and not r.rank_is_bound]
    for want in case["expect"]:
        same = [r for r in found if r.rank == want["rank"]]
        assert same, f"no ranking {want['rank']} among {[(r.rank, r.total) for r in found]}"
        assert any(all(getattr(r, k) == v for k, v in want.items()) for r in same), (
            want,
            [(r.rank, r.total, r.subject, r.change) for r in same],
        )


def test_the_stage_runs_last_in_the_default_pipeline(processor):
    assert processor.nlp.pipe_names[-2:] == ["ranking_extractor", "article_context"]


@pytest.mark.parametrize("module", [segments, chooser, lists, repeats, holders])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


def _resolver_case(text, rank, rule_total, counts):
    start = text.index("排名")
    view = RankingView(start, len(text), rank, rule_total, subject=None, scope=None)
    views = [CountView(text.index(s), text.index(s) + len(s), v, u) for s, v, u in counts]
    return FieldResolver().resolve(text, [view], views)[0]


def test_field_is_the_stated_whole_not_the_part():
    text = "全省共有48家高新区参评,其中我市8家。北郊高新区排名第11位。"
    assert _resolver_case(text, 11, 8, [("48家", 48, "家"), ("8家", 8, "家")]) == 48


def test_a_count_below_the_rank_is_never_the_field():
    text = "我市有3家高新区。北郊高新区排名第11位。"
    assert _resolver_case(text, 11, None, [("3家", 3, "家")]) is None


def test_field_kind_reads_the_last_field_noun():
    lex = fields.load_lexicon()
    assert fields.field_kind("全省43家省级高新区", lex) == "park"
    assert fields.field_kind("全国288个城市", lex) == "city"
    assert fields.field_kind("省级以上", lex) is None


def test_chooser_round_trips(tmp_path):
    model = chooser.LinearChooser.fit([[{"a": 1.0}, {"b": 1.0}]] * 3, [1, 1, 1])
    model.save(tmp_path / "m.json")
    again = chooser.LinearChooser.load(tmp_path / "m.json")
    assert again.weights == model.weights and again.choose([{"a": 1.0}, {"b": 1.0}]) == 1


def test_a_restated_list_member_gives_one_record(processor):
    text = "营收排名前三的企业依次是甲峰集团、乙峰集团和丙峰集团。其中,甲峰集团连续五年蝉联榜首。"
    result = processor.process_one(Article(article_id="t", source="t", text=text))
    firsts = [r for r in result.records if r.kind == "ranking" and r.rank == 1]
    assert len(firsts) == 1


def test_a_band_does_not_take_a_list_member(processor):
    text = "营收排名前三位的企业分别是:甲峰集团、乙峰集团、丙峰集团。"
    result = processor.process_one(Article(article_id="t", source="t", text=text))
    ranks = sorted(r.rank for r in result.records if r.kind == "ranking" and not r.rank_is_bound)
    assert ranks == [1, 2, 3]
