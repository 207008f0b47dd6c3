"""The ranking examples corpus (tests/examples/ranking.yaml) is the test of the ranking rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.components.rankings import RankingExtractor, cn_int, to_simplified

CORPUS = yaml.safe_load((Path(__file__).parent / "examples" / "ranking.yaml").read_text(encoding="utf-8"))
# Known failures: id -> reason. Kept in the corpus, run as xfail(strict=False).
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture(scope="module")
def extractor():
    return RankingExtractor()


def _params(section):
    out = []
    for case in CORPUS[section]:
        marks = (
            [pytest.mark.xfail(reason=KNOWN_FAILURES[case["id"]], strict=False)]
            if case["id"] in KNOWN_FAILURES
            else []
        )
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def _fields(mention):
    f = dict(mention.fields)
    f["bound"] = f.pop("rank_is_bound")
    return f


@pytest.mark.parametrize("case", _params("positives"))
def test_positive(extractor, case):
    found = [_fields(m) for m in extractor.extract(case["text"])]
    expected = case["expect"]
    # compare as multisets of (rank, bound) first, then each expected record's stated fields in order
    assert sorted((f["rank"], f["bound"]) for f in found) == sorted(
        (e["rank"], e.get("bound", False)) for e in expected
    ), found
    remaining = list(found)
    for e in expected:
        want = {k: v for k, v in e.items()}
        want.setdefault("bound", False)
        match = next((f for f in remaining if all(f.get(k) == v for k, v in want.items())), None)
        assert match is not None, f"no ranking with {want} among {remaining}"
        remaining.remove(match)


@pytest.mark.parametrize("case", _params("negatives"))
def test_negative(extractor, case):
    found = [_fields(m) for m in extractor.extract(case["text"])]
    assert found == [], found


def test_spans_are_clauses_and_unique(extractor):
    text = "示范区在全国169家国家高新区中总排名位居第58位,比上年提升3位;四个一级指标分别位居第47、66、121、39位。"
    found = extractor.extract(text)
    spans = [(m.start, m.end) for m in found]
    assert len(spans) == len(set(spans)) == 5
    for m in found:
        piece = text[m.start : m.end]
        assert "," not in piece and ";" not in piece and "。" not in piece
    assert all(m.extractor.startswith("rankings.") for m in found)


def test_deterministic(extractor):
    text = CORPUS["positives"][4]["text"]
    assert extractor.extract(text) == extractor.extract(text)


@pytest.mark.parametrize(
    "text,value",
    [("17", 17), ("一", 1), ("十一", 11), ("二十三", 23), ("一百零八", 108), ("两", 2), ("第", None)],
)
def test_cn_int(text, value):
    assert cn_int(text) == value


def test_simplified_keeps_length():
    text = "成都高新區繼續名列全國第四、西部第一"
    assert len(to_simplified(text)) == len(text)


def test_through_processor():
    """The component through ArticleProcessor: registered, in the pipeline, records validated.
    (Alone, to stay fast; the evaluation runs the full default pipeline.)"""
    from pipeline.nlp import PipelineSettings
    from pipeline.process import ArticleProcessor

    processor = ArticleProcessor(PipelineSettings(components=("ranking_extractor",)))
    assert "ranking_extractor" in processor.nlp.pipe_names
    records = processor.extract_text("海宁高新区在全省40家高新区综合排名中列第8位,比上年前进2位。")
    ranks = [r for r in records if r.kind == "ranking"]
    assert [(r.rank, r.total, r.change, r.subject, r.text) for r in ranks] == [
        (8, 40, 2, "海宁高新区", "海宁高新区在全省40家高新区综合排名中列第8位")
    ]
    assert ranks[0].extractor == "rankings.verb_ordinal"
