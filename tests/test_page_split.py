"""Splitting a PDF-extracted newspaper page into articles."""

from pathlib import Path

import pytest

from pipeline.repair import repair_page
from pipeline.sources.page import parse_byline, split_page

CORPUS_PAGE = Path(__file__).resolve().parents[1] / "corpus" / "haiyan_keji_2021-03-12.txt"

SEED_TITLES = [
    "省级高新区创建为实现“科创梦”赋能",
    "“星创天地”创建 助力乡村振兴",
    "我市产业创新服务综合体建设显实效",
    "数字农业科技园区 列入省级园区创建名单",
    "平湖“星创天地” 又添新成员",
    "我市三项目入选 省重点研发计划",
    "省级新产品鉴定 展现企业科技创新成果",
]
SEED_BYLINES = [
    ["徐晓雯", "金哲宇"],
    ["莫开彦"],
    ["徐晓雯", "潘国浩"],
    ["卜歆宇"],
    ["莫开彦"],
    ["张展"],
    ["张展"],
]


@pytest.fixture(scope="module")
def seed_articles(shared_data):
    page = next((shared_data / "seed").glob("*.txt")).read_text(encoding="utf-8")
    articles, _ = split_page(repair_page(page))
    return articles


def test_seed_page_has_seven_articles_with_headlines(seed_articles):
    assert [a.title for a in seed_articles] == SEED_TITLES


def test_seed_page_bylines(seed_articles):
    assert [a.byline for a in seed_articles] == SEED_BYLINES


def test_seed_page_kicker_and_section(seed_articles):
    assert seed_articles[0].kicker == "高效能优化产业 高质量培育主体 高能级打造平台"
    assert [a.section for a in seed_articles] == [None, None, None] + ["科技资讯"] * 4


def test_seed_subheadings_stay_inside_their_article(seed_articles):
    first = seed_articles[0].text
    for subheading in (
        "跑出加速度 高效能优化产业生态",
        "焕发新活力 高质量培育创新主体",
        "构筑动力源 高能级打造创新平台",
    ):
        assert f"\n{subheading}\n" in first
    assert "\n平湖服装产业创新服务综合体\n" in seed_articles[2].text


def test_seed_broken_words_are_repaired(seed_articles):
    joined = "\n".join(a.text for a in seed_articles)
    for word in ("润泽国际信息港", "人才项目", "公共服务平台", "电子商务"):
        assert word in joined


def test_corpus_page_layout():
    articles, published = split_page(repair_page(CORPUS_PAGE.read_text(encoding="utf-8")))
    assert str(published) == "2021-03-12"
    assert [a.title for a in articles] == [
        "海盐经济开发区综合评价跃居全省前列",
        "科技特派员走进田间地头",
        "嘉兴恒泰精密机械 获评省级专精特新企业",
        "县科技局三项举措 服务企业研发",
    ]
    assert articles[0].kicker == "创新引领 项目支撑 人才集聚"
    assert articles[0].byline == ["沈雨桐", "陆建明"]
    assert articles[1].byline == ["周晓岚"]  # the photo credit closes the caption article
    assert [a.section for a in articles] == [None, None, "科技快讯", "科技快讯"]
    assert "省级企业研究院11家" in articles[0].text


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("记者 徐晓雯 通讯员 金哲宇", ["徐晓雯", "金哲宇"]),
        ("通讯员 张展", ["张展"]),
        ("本报记者 欧阳明 实习生 李可", ["欧阳明", "李可"]),
        ("记者:王思远", ["王思远"]),
        ("摄影 莫开彦", ["莫开彦"]),
    ],
)
def test_bylines(line, names):
    assert parse_byline(line).names == names


@pytest.mark.parametrize(
    "line", ["记者从市科技局获悉,今年全市新增高新技术企业98家。", "通讯员队伍建设", "科技资讯"]
)
def test_not_bylines(line):
    assert parse_byline(line) is None


def test_text_without_layout_is_one_article():
    text = "近日,市科技局公布了2021年度科技计划项目。\n全市共有56个项目入选,其中重点项目12个。"
    articles, _ = split_page(repair_page(text))
    assert len(articles) == 1 and articles[0].title is None
    assert articles[0].text == text
