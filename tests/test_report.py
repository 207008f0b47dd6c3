"""The review report without a browser: span nesting, what is gathered from OUT, escaping, the CLI.
(tests/test_report_browser.py opens it in headless Chromium.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.records import Article, ErrorRecord, NumberRecord, make_record_id
from pipeline.report.content import gather
from pipeline.report.render import render_report
from pipeline.report.spans import CROSSES, MISPLACED, nest_spans, node_text
from pipeline.sinks.jsonl import write_jsonl

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def nodes(tree):
    """Every node of a tree, depth first."""
    for child in tree:
        if not isinstance(child, str):
            yield child
            yield from nodes(child[1:])


# --------------------------------------------------------------------------- spans


def test_ranking_holds_its_number_and_organisation():
    text = "去年,海盐经济开发区在全省83家开发区中排名第12位。"
    ranking = (3, text.index("。"), "ranking")
    org = (3, 10, "organization")
    number = (text.index("83家"), text.index("83家") + 3, "number")
    spans = [(s, e, k, text[s:e]) for s, e, k in (org, ranking, number)]
    layout = nest_spans(text, spans)
    assert layout.apart == {}
    assert layout.tree == [
        "去年,",
        [1, [0, "海盐经济开发区"], "在全省", [2, "83家"], "开发区中排名第12位"],
        "。",
    ]


def test_two_records_of_one_span_nest_ranking_outside():
    text = "巴黎位列第一"
    spans = [(0, 2, "location", "巴黎"), (0, 2, "ranking", "巴黎")]
    assert nest_spans(text, spans).tree == [[1, [0, "巴黎"]], "位列第一"]


def test_a_crossing_span_is_set_apart_not_split():
    text = "甲乙丙丁戊"
    spans = [(0, 3, "ranking", "甲乙丙"), (2, 5, "ranking", "丙丁戊"), (3, 4, "number", "丁")]
    layout = nest_spans(text, spans)
    assert layout.apart == {1: CROSSES}
    assert layout.tree == [[0, "甲乙丙"], [2, "丁"], "戊"]


def test_a_span_that_does_not_give_its_text_is_set_apart():
    layout = nest_spans("甲乙丙", [(0, 2, "number", "乙丙"), (1, 9, "date", "乙丙")])
    assert layout.apart == {0: MISPLACED, 1: MISPLACED}
    assert layout.tree == ["甲乙丙"]


@given(
    st.text(alphabet="甲乙丙丁 \n<&", min_size=1, max_size=30).flatmap(
        lambda text: st.tuples(
            st.just(text),
            st.lists(
                st.tuples(
                    st.integers(0, len(text) - 1),
                    st.integers(1, len(text)),
                    st.sampled_from(["ranking", "number", "organization", "date"]),
                ),
                max_size=8,
            ),
        )
    )
)
def test_every_span_is_once_in_the_tree_or_apart_and_the_text_is_whole(case):
    text, raw = case
    spans = [(s, e, k, text[s:e]) for s, e, k in raw if s < e]
    layout = nest_spans(text, spans)
    assert node_text(layout.tree) == text
    placed = [node[0] for node in nodes(layout.tree)]
    assert sorted(placed + list(layout.apart)) == list(range(len(spans)))
    for node in nodes(layout.tree):
        assert node_text(node) == spans[node[0]][3]


# --------------------------------------------------------------------------- content and HTML

HOSTILE = '<script>window.__injected = 1</script></script><img src=x onerror="window.__injected=2">&amp;'


def write_output(out: Path, articles: list[Article], records: list, errors: list[ErrorRecord]) -> Path:
    """An output folder without a manifest (the reader accepts one made by other means)."""
    write_jsonl(out / "articles.jsonl", articles)
    write_jsonl(out / "records.jsonl", records)
    write_jsonl(out / "errors.jsonl", errors)
    return out


def number(article: Article, span: str, value, **fields) -> NumberRecord:
    start = article.text.index(span)
    end = start + len(span)
    return NumberRecord(
        record_id=make_record_id(article.article_id, "number", start, end),
        article_id=article.article_id,
        text=span,
        start=start,
        end=end,
        sentence_index=0,
        extractor="test.number",
        value=value,
        unit=fields.pop("unit", None),
        number_kind=fields.pop("number_kind", "count"),
    )


@pytest.fixture
def hostile_out(tmp_path):
    article = Article(
        article_id="a<1>",
        source="feed/<b>bold</b>.jsonl",
        title="<i>标题</i>",
        text=f"园区引进企业12家。{HOSTILE}",
    )
    errors = [ErrorRecord(source="bad<script>.txt", error="DecodeError", message="<script>x</script>")]
    return write_output(tmp_path / "out", [article], [number(article, "12家", 12, unit="家")], errors)


def test_everything_from_the_output_is_escaped(hostile_out):
    html = render_report(gather(hostile_out))
    blob = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert blob, "the data blob ends at its own </script>, not at one from an article"
    assert "<" not in blob.group(1) and ">" not in blob.group(1)
    data = json.loads(blob.group(1))
    assert data["articles"][0]["tree"][-1].endswith(HOSTILE), "the blob holds the text as it is"
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html  # the per-source table
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html  # errors
    assert html.count("<script") == 2, "the data blob and the page's own script, nothing else"


def test_gather_counts_kinds_sources_errors(hostile_out):
    content = gather(hostile_out)
    assert content.counts == {"number": 1}
    assert [(s.source, s.articles, s.records) for s in content.sources] == [("feed/<b>bold</b>.jsonl", 1, 1)]
    assert content.errors[0]["error"] == "DecodeError"
    assert content.articles[0]["records"][0]["value"] == 12
    assert "article_id" not in content.articles[0]["records"][0]


def test_fields_a_record_may_not_have_are_passed_through():
    """A number's metric/subject/period (added to NumberRecord later) are read from the record
    dict: whatever fields a record has reach the page, none is required."""
    from pipeline.report.content import article_data

    article = {"article_id": "x", "source": "s", "text": "营收增长12%", "byline": []}
    record = {"record_id": "r1", "article_id": "x", "kind": "number", "text": "12%", "start": 4, "end": 7}
    with_metric = dict(record, metric="营收", subject="园区", period="2020年", period_value="2020")
    assert article_data(article, [with_metric])["records"][0]["metric"] == "营收"
    assert "metric" not in article_data(article, [record])["records"][0]


def test_integers_beyond_javascript_precision_are_strings(tmp_path):
    article = Article(article_id="a", source="s", text="投资12345678901234567元")
    out = write_output(
        tmp_path / "out", [article], [number(article, "12345678901234567元", 12345678901234567)], []
    )
    assert gather(out).articles[0]["records"][0]["value"] == "12345678901234567"


# --------------------------------------------------------------------------- command line


def test_report_command_writes_one_self_contained_file(tmp_path):
    out = tmp_path / "out"
    result = run_cli("extract", ROOT / "corpus" / "daily_briefs.jsonl", "-o", out, "--quiet", "--report")
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "nothing is fetched from the network"
    assert '<link rel="stylesheet"' not in html and "<script src" not in html
    records = [json.loads(line) for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    blob = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))
    assert sorted(r["record_id"] for a in blob["articles"] for r in a["records"]) == sorted(
        r["record_id"] for r in records
    )

    other = tmp_path / "elsewhere" / "r.html"
    result = run_cli("report", out, "-o", other)
    assert result.exit_code == 0, result.output
    assert other.read_text(encoding="utf-8") == html, "the same output gives the same report"


def test_report_of_a_folder_that_is_no_output_is_a_usage_error(tmp_path):
    result = run_cli("report", tmp_path)
    assert result.exit_code == 2
    assert "articles.jsonl not found" in result.output
    assert not (tmp_path / "report.html").exists()


def test_report_of_an_inconsistent_output_is_refused(tmp_path):
    out = tmp_path / "out"
    assert run_cli("extract", ROOT / "corpus" / "daily_briefs.jsonl", "-o", out, "--quiet").exit_code == 0
    (out / "records.jsonl").write_text("", encoding="utf-8")
    result = run_cli("report", out)
    assert result.exit_code == 1
    assert "incomplete or inconsistent" in result.output
