"""organization_rules against its corpus of examples (tests/examples/organization.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.components.base import mentions
from pipeline.components.organizations import extract_organizations, org_lexicon, simplified
from pipeline.nlp import PipelineSettings, build_nlp

EXAMPLES = yaml.safe_load(
    (Path(__file__).parent / "examples" / "organization.yaml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def nlp():
    return build_nlp(PipelineSettings(components=("organization_rules",)))


def _orgs(nlp, text: str) -> dict[str, str]:
    doc = nlp(text)
    found = [m for m in mentions(doc) if m.kind == "organization"]
    for m in found:
        assert m.extractor.startswith("organizations.")
        assert m.fields["name"] == text[m.start : m.end]
    return {text[m.start : m.end]: m.fields["org_type"] for m in found}


@pytest.mark.parametrize("case", EXAMPLES["positives"], ids=lambda c: c["text"][:20])
def test_positive(nlp, case):
    assert _orgs(nlp, case["text"]) == case["orgs"]


@pytest.mark.parametrize("case", EXAMPLES["negatives"], ids=lambda c: c["text"][:20])
def test_negative(nlp, case):
    assert _orgs(nlp, case["text"]) == {}, case["why"]


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(reason=c["reason"], strict=False)) for c in EXAMPLES["xfail"]],
    ids=lambda c: c["text"][:20],
)
def test_known_misses(nlp, case):
    assert _orgs(nlp, case["text"]) == case["orgs"]


def test_traditional_text_keeps_offsets(nlp):
    text = "記者從蘇州工業園區管理委員會獲悉,成都高新區科技局表示支持。"
    assert simplified(text) != text and len(simplified(text)) == len(text)
    assert _orgs(nlp, text) == {"蘇州工業園區管理委員會": "government", "成都高新區科技局": "government"}


def test_segmenting_itself_equals_doc_tokens(nlp):
    text = "来自湖州森联智能装备有限公司的项目荣获一等奖。"
    spans = [(c.start, c.end) for c in extract_organizations(text)]
    doc = nlp(text)
    assert spans == [(m.start, m.end) for m in mentions(doc)]


def test_suffix_type_is_longest_suffix():
    lex = org_lexicon()
    assert lex.suffix_type("某某工业园区管理委员会") == "government"
    assert lex.suffix_type("某某研究院") == "research"
    assert lex.suffix_type("某某股份有限公司") == "company"
    assert lex.suffix_type("长城汽车") is None
