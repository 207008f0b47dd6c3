"""The review report opened in a real headless browser (Debian's chromium via chromedriver).

Skips with the reason when chromium, chromedriver or selenium is missing (`.ci/chromium.sh`
installs them). REPORT_SCREENSHOT=PATH also writes the screenshot of corpus/'s report there
(`make report-screenshot` refreshes docs/report.png).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.records import Article, NumberRecord, RankingRecord, make_record_id
from pipeline.sinks.jsonl import write_jsonl

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def browser():
    from headless import Browser, BrowserUnavailable

    try:
        browser = Browser.start()
    except BrowserUnavailable as e:
        pytest.skip(str(e))
    try:
        yield browser
    finally:
        browser.quit()


def extract_with_report(inputs: Path, out: Path) -> Path:
    result = run_cli("extract", inputs, "-o", out, "--quiet", "--report")
    assert result.exit_code in (0, 3), result.output
    return out


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    return extract_with_report(ROOT / "corpus", tmp_path_factory.mktemp("corpus") / "out")


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory, shared_data):
    seed = shared_data / "seed"
    if not seed.is_dir():
        pytest.skip(f"no seed page at {seed}")
    inputs = tmp_path_factory.mktemp("seed") / "seed"
    shutil.copytree(seed, inputs)
    return extract_with_report(inputs, inputs.parent / "out")


# Every page's highlighted elements, going through the pages with the "next" button.
COLLECT = """
var out = [];
for (var guard = 0; guard < 10000; guard++) {
  document.querySelectorAll('[data-record-id]').forEach(function (e) {
    out.push([e.getAttribute('data-record-id'), e.textContent]);
  });
  var m = document.getElementById('page-info').textContent.match(/page (\\d+) of (\\d+)/);
  if (!m || m[1] === m[2]) break;
  document.querySelector('[data-step="1"]').click();
}
return out;
"""


def check_every_record_once(browser, out: Path) -> list[dict]:
    browser.open(out / "report.html")
    found = browser.js(COLLECT)
    records = read_jsonl(out / "records.jsonl")
    ids = [record_id for record_id, _ in found]
    assert len(ids) == len(set(ids)), "no record is shown twice"
    assert sorted(ids) == sorted(r["record_id"] for r in records), "every record is shown"
    texts = dict(found)
    wrong = [
        (r["record_id"], r["text"], texts[r["record_id"]])
        for r in records
        if texts[r["record_id"]] != r["text"]
    ]
    assert not wrong, f"elements whose text is not the record's: {wrong[:5]}"
    return records


def shown_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


def click_record(browser, record: dict):
    from selenium.webdriver.common.by import By

    selector = f'[data-record-id="{record["record_id"]}"]'
    element = browser.driver.find_element(By.CSS_SELECTOR, selector)
    browser.js("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    panel = browser.driver.find_element(By.ID, "record-panel")
    assert panel.is_displayed(), "clicking a record shows its fields"
    fields = {
        row.get_attribute("data-field"): row.find_element(By.TAG_NAME, "td").text
        for row in panel.find_elements(By.CSS_SELECTOR, "tr[data-field]")
    }
    expected = {k: v for k, v in record.items() if k not in ("article_id", "kind")}
    assert set(fields) == set(expected)
    for key, value in expected.items():
        if isinstance(value, float):
            assert float(fields[key]) == value, key
        else:
            assert fields[key] == shown_value(value), key
    assert record["text"] in panel.find_element(By.ID, "panel-title").text
    return fields


def test_corpus_report_shows_every_record_once_with_its_text(browser, corpus_out):
    records = check_every_record_once(browser, corpus_out)
    kinds = {r["kind"] for r in records}
    assert {"organization", "number", "date", "ranking"} <= kinds


def test_seed_report_shows_every_record_once_with_its_text(browser, seed_out):
    records = check_every_record_once(browser, seed_out)
    nested = browser.js("return document.querySelectorAll('.rec.k-ranking [data-record-id]').length")
    assert nested > 0, "the seed's rankings hold numbers and organisations, shown nested"
    assert len(records) > 100


def test_clicking_a_record_shows_its_fields(browser, corpus_out):
    browser.open(corpus_out / "report.html")
    records = read_jsonl(corpus_out / "records.jsonl")
    for kind in ("ranking", "number", "date", "organization"):
        record = next(r for r in records if r["kind"] == kind)
        click_record(browser, record)
    inner = next(
        r
        for r in records
        if r["kind"] != "ranking"
        and any(o["kind"] == "ranking" and o["start"] <= r["start"] and r["end"] <= o["end"] for o in records)
    )
    fields = click_record(browser, inner)  # a click inside a ranking shows the inner record
    assert fields["record_id"] == inner["record_id"]


def test_fact_table_lists_rankings_and_numbers(browser, corpus_out):
    browser.open(corpus_out / "report.html")
    records = read_jsonl(corpus_out / "records.jsonl")
    refs = browser.js(
        "return Array.from(document.querySelectorAll('.facts tr[data-ref]')).map(r => r.dataset.ref)"
    )
    assert sorted(refs) == sorted(r["record_id"] for r in records if r["kind"] in ("ranking", "number"))


def test_screenshot_is_not_blank(browser, corpus_out):
    """The overview, one article found by search (a ranking holding an organisation and a number)
    and the fields of that ranking: the README's docs/report.png when REPORT_SCREENSHOT is set."""
    from headless import luminance_stats
    from selenium.webdriver.support.wait import WebDriverWait

    records = read_jsonl(corpus_out / "records.jsonl")

    def inside(outer):
        return sum(1 for r in records if outer["start"] <= r["start"] and r["end"] <= outer["end"]) - 1

    ranking = max((r for r in records if r["kind"] == "ranking"), key=inside)
    title = next(
        a["title"]
        for a in read_jsonl(corpus_out / "articles.jsonl")
        if a["article_id"] == ranking["article_id"]
    )
    browser.driver.set_window_size(1400, 1500)
    try:
        browser.open(corpus_out / "report.html")
        browser.js(
            "var s = document.getElementById('search'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('input'));",
            title,
        )
        WebDriverWait(browser.driver, 5).until(
            lambda d: (
                d.execute_script("return document.querySelectorAll('#article-list article').length") == 1
            )
        )
        click_record(browser, ranking)
        browser.js("window.scrollTo(0, 0)")
        png = browser.screenshot_png()
    finally:
        browser.driver.set_window_size(1400, 1000)
    variance, colours = luminance_stats(png)
    assert variance > 200 and colours > 50, (
        f"a blank-looking screenshot: variance {variance:.0f}, {colours} colours"
    )
    target = os.environ.get("REPORT_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        Path(target).write_bytes(png)


HOSTILE_TITLE = "<b>加粗</b>标题"
HOSTILE_TEXT = (
    '近日,园区引进企业12家。<script>window.__injected = 1</script><img src=x onerror="window.__injected = 2">'
    "</script>&amp; 结束。"
)


def test_article_text_is_shown_as_text_never_as_html(browser, tmp_path):
    batch = tmp_path / "in" / "hostile.jsonl"
    batch.parent.mkdir()
    line = {"id": "hostile-1", "title": HOSTILE_TITLE, "text": HOSTILE_TEXT, "source": "<i>feed</i>"}
    batch.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    out = extract_with_report(batch, tmp_path / "out")
    browser.open(out / "report.html")
    assert browser.js("return window.__injected === undefined"), "no script from an article ran"
    assert (
        browser.js(
            "return document.querySelectorAll('#article-list img, #article-list script, #article-list b').length"
        )
        == 0
    )
    assert browser.js("return document.querySelector('#article-list h2').textContent") == HOSTILE_TITLE
    text = browser.js("return document.querySelector('#article-list .text').textContent")
    assert text == read_jsonl(out / "articles.jsonl")[0]["text"]
    assert "<script>window.__injected = 1</script>" in text


def write_synthetic(out: Path, n: int) -> list[Article]:
    articles, records = [], []
    for i in range(n):
        text = f"第{i}号简报:园区引进企业{i + 1}家,投资{i + 2}亿元。"
        article = Article(article_id=f"s-{i:05d}", source=f"batch-{i % 3}.jsonl", title=f"简报{i}", text=text)
        articles.append(article)
        for span, value in ((f"{i + 1}家", i + 1), (f"{i + 2}亿元", (i + 2) * 10**8)):
            start = text.index(span, text.index(":"))
            records.append(
                NumberRecord(
                    record_id=make_record_id(article.article_id, "number", start, start + len(span)),
                    article_id=article.article_id,
                    text=span,
                    start=start,
                    end=start + len(span),
                    sentence_index=0,
                    extractor="test.synthetic",
                    value=value,
                    unit=span.lstrip("0123456789"),
                    number_kind="count",
                )
            )
    write_jsonl(out / "articles.jsonl", articles)
    write_jsonl(out / "records.jsonl", records)
    return articles


def test_pages_filter_and_search(browser, tmp_path):
    out = tmp_path / "out"
    write_synthetic(out, 45)
    assert run_cli("report", out, "--quiet").exit_code == 0
    check_every_record_once(browser, out)  # across three pages
    browser.open(out / "report.html")
    info = browser.js("return document.getElementById('page-info').textContent")
    assert info == "articles 1–20 of 45 (page 1 of 3)"
    assert browser.js("return document.querySelectorAll('#article-list article').length") == 20

    from selenium.webdriver.support.wait import WebDriverWait

    def page_info_becomes(expected: str) -> None:
        WebDriverWait(browser.driver, 5).until(
            lambda d: d.execute_script("return document.getElementById('page-info').textContent") == expected
        )

    def shown_ids() -> list[str]:
        return browser.js(
            "return Array.from(document.querySelectorAll('#article-list article')).map(a => a.dataset.articleId)"
        )

    type_search = "var s = document.getElementById('search'); s.value = arguments[0]; s.dispatchEvent(new Event('input'));"
    browser.js(type_search, "第7号")
    page_info_becomes("articles 1–1 of 1 (page 1 of 1)")
    assert shown_ids() == ["s-00007"]
    browser.js(type_search, "")
    page_info_becomes(info)

    choose_kind = "var k = document.getElementById('kind-filter'); k.value = arguments[0]; k.dispatchEvent(new Event('change'));"
    browser.js(choose_kind, "ranking")
    page_info_becomes("0 articles")
    assert shown_ids() == []
    browser.js(choose_kind, "number")
    page_info_becomes(info)

    background = "return getComputedStyle(document.querySelector('.text .k-number')).backgroundColor"
    tinted = browser.js(background)
    browser.js("document.querySelector('#legend input[data-kind=number]').click()")
    assert browser.js(background) == "rgba(0, 0, 0, 0)" != tinted, "the legend turns a kind's highlight off"


def test_a_crossing_span_is_shown_once_apart(browser, tmp_path):
    out = tmp_path / "out"
    article = Article(article_id="x-1", source="x.jsonl", text="排名分列第11、14位。")
    spans = [("分列第11、14", "ranking"), ("第11、14位", "ranking")]
    records = []
    for span, kind in spans:
        start = article.text.index(span)
        records.append(
            RankingRecord(
                record_id=make_record_id(article.article_id, kind, start, start + len(span)),
                article_id=article.article_id,
                text=span,
                start=start,
                end=start + len(span),
                sentence_index=0,
                extractor="test.crossing",
                rank=11,
            )
        )
    write_jsonl(out / "articles.jsonl", [article])
    write_jsonl(out / "records.jsonl", records)
    assert run_cli("report", out, "--quiet").exit_code == 0
    check_every_record_once(browser, out)
    apart = browser.js(
        "return Array.from(document.querySelectorAll('.apart [data-record-id]')).map(e => e.textContent)"
    )
    assert apart == ["第11、14位"]
    assert browser.js("return document.querySelector('.text').textContent") == article.text
