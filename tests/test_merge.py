"""entity_merger: the merge policy of rule and NER mentions, tested with hand-made Mentions."""

from __future__ import annotations

import pytest

from pipeline.components.base import Mention
from pipeline.components.merge import merge_entities, ner_org_acceptable, org_type_of

NER = "ner.test_model"


def _rule(text: str, name: str, org_type: str) -> Mention:
    start = text.index(name)
    return Mention(
        "organization", start, start + len(name), {"name": name, "org_type": org_type}, "organizations.t"
    )


def _ner(text: str, name: str, kind: str = "organization", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    fields = {"name": name, "org_type": "other"} if kind == "organization" else {"name": name}
    return Mention(kind, start, start + len(name), fields, NER)


def _view(text: str, merged: list[Mention]) -> list[tuple[str, str, str]]:
    return [(m.kind, text[m.start : m.end], m.extractor.split(".")[0]) for m in merged]


def test_rule_span_wins_over_nested_ner_org():
    text = "上海交大平湖智能光电研究院今日揭牌。"
    merged = merge_entities(
        text,
        [
            _rule(text, "上海交大平湖智能光电研究院", "research"),
            _ner(text, "上海交大"),
            _ner(text, "平湖", "location"),
        ],
    )
    assert _view(text, merged) == [("organization", "上海交大平湖智能光电研究院", "organizations")]


def test_rule_span_wins_over_overlapping_ner_org():
    text = "记者从市科技局获悉。"
    merged = merge_entities(text, [_rule(text, "市科技局", "government"), _ner(text, "从市科技")])
    assert _view(text, merged) == [("organization", "市科技局", "organizations")]


@pytest.mark.parametrize(
    ("text", "rule", "ner", "org_type"),
    [
        ("招行广州分行营业部也有授权。", "广州分行", "招行广州分行", "company"),
        ("戴窑镇政府的相关负责人来到现场。", "镇政府", "戴窑镇政府", "government"),
    ],
)
def test_ner_org_extending_one_rule_org_with_a_suffix_replaces_it(text, rule, ner, org_type):
    merged = merge_entities(text, [_rule(text, rule, org_type), _ner(text, ner)])
    assert _view(text, merged) == [("organization", ner, "ner")]
    assert merged[0].fields["org_type"] == org_type


@pytest.mark.parametrize(
    ("text", "rule", "ner"),
    [
        ("原告的签名之外,无渣打银行方面的盖章。", "无渣打银行", "渣打银行"),
        ("市场人士预期中信银行的业务将继续增长。", "预期中信银行", "中信银行"),
        ("据此前中储粮黑龙江分公司的数据,仓容有所增加。", "前中储粮黑龙江分公司", "中储粮黑龙江分公司"),
    ],
)
def test_ner_org_ending_a_rule_org_that_ran_into_the_clause_replaces_it(text, rule, ner):
    merged = merge_entities(text, [_rule(text, rule, "company"), _ner(text, ner)])
    assert _view(text, merged) == [("organization", ner, "ner")]


@pytest.mark.parametrize(
    ("text", "rule", "ner"),
    [
        ("记者从省科技厅获悉。", "省科技厅", "科技厅"),  # a level
        ("浙江锋源氢能科技有限公司今年产值翻番。", "浙江锋源氢能科技有限公司", "锋源氢能科技有限公司"),
        ("上海交大平湖智能光电研究院今日揭牌。", "上海交大平湖智能光电研究院", "平湖智能光电研究院"),
        ("国家电网公司开展专项检查。", "国家电网公司", "电网公司"),  # a qualifier
        # (国家重点实验室 on its own is a class, no name: dropped by rule 5, test_generic_phrases_are_dropped)
        ("市场监管局开展专项检查。", "市场监管局", "监管局"),  # a common noun: no clause word
    ],
)
def test_rule_org_stays_when_its_extra_start_is_name_material(text, rule, ner):
    merged = merge_entities(text, [_rule(text, rule, "government"), _ner(text, ner)])
    assert _view(text, merged) == [("organization", rule, "organizations")]


def test_a_gazetteer_name_may_start_with_a_deictic_character():
    text = "全国人大常委会审议了草案。"
    assert ner_org_acceptable(text, 0, 7)
    assert not ner_org_acceptable("全市企业积极参与。", 0, 4)


def test_rule_orgs_stay_when_the_ner_org_joins_two_or_adds_no_suffix():
    text = "党中央国务院高度重视，新浪乐居承办，福建省公安厅经侦总队展开搜捕。"
    found = [
        _rule(text, "党中央", "government"),
        _rule(text, "国务院", "government"),
        _ner(text, "党中央国务院"),  # two rule names joined
        _rule(text, "新浪", "company"),
        _ner(text, "新浪乐居"),  # 乐居 is no organisation suffix: the gazetteer's 新浪 stands
        _rule(text, "福建省公安厅", "government"),
        _ner(text, "福建省公安厅经侦总队"),  # nor is 总队 (not in the suffix grammar)
    ]
    names = [x[1] for x in _view(text, merge_entities(text, found))]
    assert names == ["党中央", "国务院", "新浪", "福建省公安厅"]


@pytest.mark.parametrize(
    ("text", "name", "kept"),
    [
        ("罗马德比战胜拉齐奥。", "罗马", True),  # a club named after its city
        ("2比1战胜利物浦之后。", "利物浦", True),
        ("颁奖活动在漳州举行。", "漳州", False),
        ("平湖等地加快发展。", "平湖", False),
    ],
)
def test_bare_place_dropped_only_when_used_as_a_place(text, name, kept):
    assert bool(merge_entities(text, [_ner(text, name)])) is kept


def test_ner_only_org_kept_with_org_type_from_suffix():
    text = "星辰电子与宁波大学签约。"
    merged = merge_entities(text, [_ner(text, "星辰电子"), _ner(text, "宁波大学")])
    assert [(text[m.start : m.end], m.fields["org_type"]) for m in merged] == [
        ("星辰电子", "other"),
        ("宁波大学", "education"),
    ]


def test_nested_ner_orgs_keep_the_longest():
    text = "南京理工大学常州研究院成立。"
    merged = merge_entities(text, [_ner(text, "南京理工大学"), _ner(text, "南京理工大学常州研究院")])
    assert _view(text, merged) == [("organization", "南京理工大学常州研究院", "ner")]
    assert merged[0].fields["org_type"] == "research"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我市高新区发展势头良好。", "我市高新区"),
        ("全省省级高新区综合评价结果发布。", "省级高新区"),
        ("园区内企业纷纷复工。", "企业"),
        ("第九届中国创新创业大赛在杭州举行。", "中国创新创业大赛"),
        ("长城汽车平湖整车项目顺利投产。", "长城汽车平湖整车"),
        ("印发《嘉兴市科技局工作规则》。", "嘉兴市科技局"),
        # fragments of a bracketed list of levels, a bare generic office, places used as places
        ("全市5个县(市、区)全部达标。", "县(市、"),
        ("入选省级创新型县(市)名单。", "县(市)"),
        ("园区管委会相关负责人表示。", "管委会"),
        ("宁波位列长三角第5位。", "长三角"),
        ("颁奖活动在(漳州)分赛区举行。", "漳州"),
        # places of unknown names, counted or ordered categories, venues of events
        ("北屿市、柳塘乡积极推进科技特派员制度。", "北屿市"),
        ("北屿市、柳塘乡积极推进科技特派员制度。", "柳塘乡"),
        ("全市两家高新区入选。", "两家高新区"),
        ("首个全国重点实验室落户园区。", "首个全国重点实验室"),
        ("第三届数字经济博览会在南港国际会展中心开幕。", "南港国际会展中心"),
        ("开发区管委会相关负责人介绍。", "开发区管委会"),
        ("双方共建联合实验室。", "联合实验室"),
    ],
)
def test_ner_org_filters(text, name):
    start = text.index(name)
    assert not ner_org_acceptable(text, start, start + len(name))
    assert merge_entities(text, [_ner(text, name)]) == []


def test_person_and_location_kept_unless_inside_an_org():
    text = "倪建锋在平湖调研平湖先进装备智造高新技术产业园区。"
    found = [
        _ner(text, "倪建锋", "person"),
        _ner(text, "平湖", "location"),
        _ner(text, "平湖", "location", nth=1),
        _rule(text, "平湖先进装备智造高新技术产业园区", "park"),
    ]
    assert _view(text, merge_entities(text, found)) == [
        ("person", "倪建锋", "ner"),
        ("location", "平湖", "ner"),
        ("organization", "平湖先进装备智造高新技术产业园区", "organizations"),
    ]


def test_other_kinds_pass_through_in_order():
    text = "2019年浙江锋源氢能科技有限公司产值280.5亿元。"
    number = Mention("number", 19, 25, {"value": 28050000000}, "numbers.x")
    date = Mention("date", 0, 5, {"value": "2019"}, "dates.x")
    merged = merge_entities(text, [date, _rule(text, "浙江锋源氢能科技有限公司", "company"), number])
    assert [m.kind for m in merged] == ["date", "organization", "number"]


def test_works_without_any_ner_mention():
    text = "省科技厅公布名单。"
    found = [_rule(text, "省科技厅", "government")]
    assert merge_entities(text, found) == found


def test_org_type_of():
    assert org_type_of("嘉兴富瑞邦新材料科技有限公司") == "company"
    assert org_type_of("科技部") == "government"
    assert org_type_of("香城都市报") == "media"
    assert org_type_of("奥瑞金") == "other"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an NER span that runs into a verb, a count or punctuation and is no name once cut
        ("全省各县(市、区)共有省级孵化器23家。", "县(市、区)共有"),
        ("全市12个县(市)共有58个乡镇参加。", "县(市)共有58个"),
        ("桐湾市、嘉泽市分别位列第23位和第31位。", "嘉泽市分别位列第23位"),
        ("北屿市积极推进科技创新。", "北屿市积极"),
        ("北屿市、柳塘乡积极推进。", "北屿市、"),
        ("项目获省科学技术奖216项。", "省科学技术奖216项"),
        ("全市研发人员达到4.6万人年,技术合同成交额增长。", "全市研发人员达到4.6万人年,技术合同成交额"),
    ],
)
def test_ner_org_running_into_a_clause_is_dropped(text, name):
    assert merge_entities(text, [_ner(text, name)]) == []


def test_ner_org_cut_before_the_clause_it_runs_into():
    text = "据南港海关统计,全市出口增长12%。"
    merged = merge_entities(text, [_ner(text, "南港海关统计,")])
    assert _view(text, merged) == [("organization", "南港海关", "ner")]
    assert merged[0].fields == {"name": "南港海关", "org_type": "government"}


def test_ner_entities_overlapping_numbers_or_dates_are_dropped():
    text = "小镇已集聚地理信息企业400余家,去年营业收入286亿元。"
    start = text.index("400余家")
    number = Mention("number", start, start + 5, {"value": 400, "unit": "家"}, "numbers.x")
    found = [number, _ner(text, "余家", "person"), _ner(text, "集聚地理信息企业400", "organization")]
    assert _view(text, merge_entities(text, found)) == [("number", "400余家", "numbers")]


def test_one_character_persons_are_dropped():
    text = "开发区坚持项目为王,局长顾文斌表示。"
    found = [_ner(text, "王", "person"), _ner(text, "顾文斌", "person")]
    assert _view(text, merge_entities(text, found)) == [("person", "顾文斌", "ner")]


@pytest.mark.parametrize("name", ["国家重点实验室", "世界一流大学", "同类开发区", "市科技部门"])
def test_generic_phrases_are_dropped_whichever_stage_found_them(name):
    text = f"{name}通过验收。"
    for found in ([_rule(text, name, "research")], [_ner(text, name)]):
        assert _view(text, merge_entities(text, found)) == []
