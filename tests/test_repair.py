"""PDF line-break repair: examples written for these tests in the style of extracted newspaper pages."""

import pytest

from pipeline.repair import join_broken_lines, normalise_chars, repair_page

# (raw page text, repaired text)
JOINS = [
    pytest.param(
        "区内共引进新能源整车、智能网联和数字产业园等重点项目,总投资超过百亿元的润泽国\n\n际信息港项目已开工。",
        "区内共引进新能源整车、智能网联和数字产业园等重点项目,总投资超过百亿元的润泽国际信息港项目已开工。",
        id="word broken over a blank line",
    ),
    pytest.param(
        "为企业提供设计创新、品牌孵化、渠道营销、检验检测、创业辅导、融资对接、法律财务、电子\n\n\n\n商务等共性服务。",
        "为企业提供设计创新、品牌孵化、渠道营销、检验检测、创业辅导、融资对接、法律财务、电子商务等共性服务。",
        id="several blank lines",
    ),
    pytest.param(
        "近年来市科技局积极组织区内初创型企业参加创新创业大赛,申报各级科技、人才项\n\n目,区内创新氛围日渐浓厚。",
        "近年来市科技局积极组织区内初创型企业参加创新创业大赛,申报各级科技、人才项目,区内创新氛围日渐浓厚。",
        id="continuation starting with punctuation",
    ),
    pytest.param(
        "开发区将坚持集约发展,高标准设定产业准入指标,加快推进“万亩千亿”\n\n建设,打造新材料产业高地。",
        "开发区将坚持集约发展,高标准设定产业准入指标,加快推进“万亩千亿”建设,打造新材料产业高地。",
        id="line ending in a closing quote mid-sentence",
    ),
]

KEEPS = [
    pytest.param(
        "2020年全区新增高新技术企业98家,总数达到356家。\n\n今年将实施“育苗扶壮”工程。",
        "2020年全区新增高新技术企业98家,总数达到356家。\n今年将实施“育苗扶壮”工程。",
        id="paragraph break after a full stop",
    ),
    pytest.param(
        "项目攻坚 夯实发展底座\n\n今年以来,开发区新签约亿元以上项目14个。",
        "项目攻坚 夯实发展底座\n今年以来,开发区新签约亿元以上项目14个。",
        id="sub-heading stays a line",
    ),
    pytest.param(
        "“下一步,我们将继续加大工作力度,不断加快争先步伐。”\n\n局长这样表示。",
        "“下一步,我们将继续加大工作力度,不断加快争先步伐。”\n局长这样表示。",
        id="quote closed after a full stop",
    ),
]


@pytest.mark.parametrize(("raw", "expected"), JOINS)
def test_broken_lines_are_joined(raw, expected):
    assert repair_page(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), KEEPS)
def test_real_breaks_are_kept(raw, expected):
    assert repair_page(raw) == expected


def test_hard_wrapped_column_text_is_rejoined():
    lines = [
        "近日,省科技厅公布了2021年度省",
        "级农业科技园区拟创建名单,全省",
        "共有11个农业科技园区被列入名单",
        "。我市的数字农业科技园区公示排",
        "名第一,园区面积47745亩,农村",
        "人数35690人,现已建立合作创新",
        "平台6个,其中院士专家工作站2个",
        "。农业科技贡献率达到68%。",
    ]
    repaired = join_broken_lines("\n".join(lines))
    assert "\n" not in repaired
    assert "省级农业科技园区" in repaired and "公示排名第一" in repaired


def test_latin_words_keep_a_space_when_rejoined():
    raw = "园区企业参加了在上海举办的世界人工智能大会并发布了新一代边缘计算平台 Smart\nFactory 解决方案。"
    assert "Smart Factory" in repair_page(raw)


def test_fullwidth_digits_letters_and_percent_are_normalised():
    assert normalise_chars("ＲＤ经费占比３．２４％,２０１９年") == "RD经费占比3.24%,2019年"


def test_chinese_punctuation_is_kept():
    assert normalise_chars("近日,省科技厅公布：名单。") == "近日,省科技厅公布：名单。"


def test_control_characters_and_crlf():
    assert normalise_chars("第一段\r\n第二\x07段\r") == "第一段\n第二段\n"
