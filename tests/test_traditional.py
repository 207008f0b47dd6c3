import pytest

from pipeline.traditional import to_simplified


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("黃山市委市政府高度重視科技創新", "黄山市委市政府高度重视科技创新"),
        ("總投資達12.5億元,帶動就業3萬人", "总投资达12.5亿元,带动就业3万人"),
        ("臺灣", "台湾"),
        ("近日,省科技厅公布了名单。", "近日,省科技厅公布了名单。"),
    ],
)
def test_conversion_keeps_positions(traditional, simplified):
    converted = to_simplified(traditional)
    assert converted == simplified
    assert len(converted) == len(traditional)


def test_records_of_traditional_text_point_into_the_original(processor):
    text = "去年,該園區實現營業收入286億元,同比增長18.2%。"
    article_records = processor.extract_text(text)
    for record in article_records:
        assert text[record.start : record.end] == record.text


def test_quoted_fields_keep_the_script_as_written(processor):
    text = "去年,東陽市在全省90個縣(市、區)中位居第9位,臨溪縣科學技術局公布了名單。"
    records = processor.extract_text(text)
    rankings = [r for r in records if r.kind == "ranking"]
    assert rankings and rankings[0].subject == "東陽市"
    organizations = [r for r in records if r.kind == "organization"]
    assert all(r.name == r.text for r in organizations)
    assert any(r.text == "臨溪縣科學技術局" for r in organizations)


def test_number_unit_is_written_in_the_articles_script(processor):
    from pipeline.records import Article

    text = "全省共有105個縣參評,新增專利320項。"
    result = processor.process_one(Article(article_id="t", source="t", text=text))
    units = {r.text: r.unit for r in result.records if r.kind == "number"}
    assert units == {"105個": "個", "320項": "項"}
