"""The output contract, end to end, as a user runs `extract` (in-process CLI)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.records import RECORD_ADAPTER, Article, ErrorRecord, Summary
from pipeline.schema_files import generated_schemas, render

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def run_cli(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def corpus_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run_cli("extract", str(CORPUS), "-o", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    return out


def check_contract(out: Path) -> tuple[list[dict], list[dict]]:
    articles = read_jsonl(out / "articles.jsonl")
    records = read_jsonl(out / "records.jsonl")
    by_id = {a["article_id"]: Article.model_validate(a) for a in articles}
    assert len(by_id) == len(articles), "article ids are unique"
    for line in records:
        record = RECORD_ADAPTER.validate_python(line)
        text = by_id[record.article_id].text
        assert text[record.start : record.end] == record.text, line
    for line in read_jsonl(out / "errors.jsonl"):
        ErrorRecord.model_validate(line)
    summary = Summary.model_validate_json((out / "summary.json").read_text(encoding="utf-8"))
    assert summary.articles == len(articles) and summary.records == len(records)
    assert sum(summary.counts.values()) == len(records)
    return articles, records


def test_corpus_contract(corpus_out):
    articles, records = check_contract(corpus_out)
    assert len(articles) == 14
    assert records, "the corpus yields records"
    sources = {a["source"] for a in articles}
    assert "corpus/tongxiang_meeting_gbk.txt" in sources and "corpus/jiaxing_portal_news.html" in sources
    assert "corpus/haining_keji_2021-05-14.pdf" in sources


def test_records_are_in_input_order(corpus_out):
    articles = [a["article_id"] for a in read_jsonl(corpus_out / "articles.jsonl")]
    order = {article_id: i for i, article_id in enumerate(articles)}
    records = read_jsonl(corpus_out / "records.jsonl")
    keys = [(order[r["article_id"]], r["start"]) for r in records]
    assert keys == sorted(keys)


def test_ids_are_stable_across_runs(corpus_out, tmp_path):
    result = run_cli("extract", str(CORPUS), "-o", str(tmp_path), "--quiet", "--force")
    assert result.exit_code == 0
    for name in ("articles.jsonl", "records.jsonl", "errors.jsonl"):
        assert (tmp_path / name).read_bytes() == (corpus_out / name).read_bytes(), name


def test_seed_page_contract(shared_data, tmp_path):
    page = next((shared_data / "seed").glob("*.txt"))
    result = run_cli("extract", str(page), "-o", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 0
    articles, _ = check_contract(tmp_path / "out")
    assert [a["article_id"] for a in articles] == [f"000_656046f04caf26ff.txt#{n}" for n in range(1, 8)]


def test_rerun_reuses_finished_inputs_and_adds_new_ones(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(CORPUS, inputs)
    out = tmp_path / "out"
    assert run_cli("extract", str(inputs), "-o", str(out), "--quiet").exit_code == 0
    first = (out / "records.jsonl").read_bytes()
    (inputs / "new.jsonl").write_text(
        json.dumps({"id": "new-1", "text": "今年一季度,全县新增科技型中小企业45家。"}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    assert run_cli("extract", str(inputs), "-o", str(out), "--quiet").exit_code == 0
    ids = [a["article_id"] for a in read_jsonl(out / "articles.jsonl")]
    assert ids.count("new-1") == 1 and len(ids) == len(set(ids)) == 15
    assert (out / "records.jsonl").read_bytes().startswith(first[:0])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["inputs"]) == {
        p.relative_to(tmp_path).as_posix()
        for p in inputs.rglob("*")
        if p.is_file() and "README" not in p.name
    }


def test_a_new_model_version_invalidates_cached_parts(tmp_path):
    """Parts made by one NER model are not reused by a run with a retrained one (its meta.json
    version differs), nor by a run whose code differs."""
    from pipeline.nlp import PipelineSettings
    from pipeline.run import fingerprint, versions

    model = tmp_path / "ner_copy"
    shutil.copytree(ROOT / "pipeline" / "models" / "ner_zh", model)
    before = fingerprint(PipelineSettings(ner_model=str(model)))
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    assert versions(PipelineSettings(ner_model=str(model)))["ner_model"] == f"ner_zh {meta['version']}"
    meta["version"] = "retrained"
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert fingerprint(PipelineSettings(ner_model=str(model))) != before
    assert len(versions(PipelineSettings())["code"]) == 16

    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(CORPUS / "daily_briefs.jsonl", inputs)
    out = tmp_path / "out"
    first = run_cli("extract", str(inputs), "-o", str(out), "--quiet", "--ner-model", str(model))
    assert first.exit_code == 0
    made_first = {p.name for p in (out / ".parts").glob("*.part")}
    meta["version"] = "retrained again"
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    assert (
        run_cli("extract", str(inputs), "-o", str(out), "--quiet", "--ner-model", str(model)).exit_code == 0
    )
    made_second = {p.name for p in (out / ".parts").glob("*.part")}
    assert (
        len(made_first) == len(made_second) == 1 and made_first != made_second
    )  # made again, stale one gone


def test_bad_inputs_go_to_errors_and_exit_3(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(
        "近日,市科技局公布了2021年度科技计划项目,全市共有56个项目入选。", encoding="utf-8"
    )
    (inputs / "empty.txt").write_text("  \n\n", encoding="utf-8")
    (inputs / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (inputs / "batch.jsonl").write_text(
        '{"id": "a", "text": "全县新增高新技术企业12家。"}\n{not json}\n{"id": "b"}\n{"id": "a", "text": "重复。"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli("extract", str(inputs), "-o", str(out), "--quiet")
    assert result.exit_code == 3
    errors = read_jsonl(out / "errors.jsonl")
    kinds = sorted(e["error"] for e in errors)
    assert kinds == ["BinaryInput", "EmptyInput", "InvalidJSON", "MissingField"]
    ids = [a["article_id"] for a in read_jsonl(out / "articles.jsonl")]
    # the second article with id "a" is kept under a new id (a hash of its source and text)
    assert ids[0] == "a" and ids[1].startswith("a~") and ids[2:] == ["in/good.txt#1"]


def test_usage_error_exits_2(tmp_path):
    result = CliRunner().invoke(app, ["extract", "--workers", "0", "-o", str(tmp_path)])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["extract", "--workers", "many", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "auto" in result.output


def test_workers_auto_gives_the_output_of_one_worker(tmp_path):
    one, auto = tmp_path / "one", tmp_path / "auto"
    assert run_cli("extract", str(CORPUS), "-o", str(one), "--quiet").exit_code == 0
    assert run_cli("extract", str(CORPUS), "-o", str(auto), "--quiet", "--workers", "auto").exit_code == 0
    for name in ("articles.jsonl", "records.jsonl", "errors.jsonl"):
        assert (auto / name).read_bytes() == (one / name).read_bytes(), name


def test_help_documents_the_options():
    result = CliRunner().invoke(app, ["extract", "--help"], terminal_width=200)
    for option in (
        "--out",
        "--segmenter",
        "--pkuseg-model",
        "--workers",
        "--quiet",
        "--engine",
        "--force",
        "--no-ner",
    ):
        assert option in result.output


def test_committed_schemas_match_the_models():
    for name, schema in generated_schemas().items():
        committed = ROOT / "schemas" / name
        assert committed.exists(), f"schemas/{name} missing: run `make schemas`"
        assert committed.read_text(encoding="utf-8") == render(schema), (
            f"schemas/{name} drifted: run `make schemas`"
        )


def test_no_ner_runs_only_the_rule_stages(tmp_path):
    result = run_cli("extract", str(CORPUS), "-o", str(tmp_path), "--quiet", "--no-ner")
    assert result.exit_code == 0
    _, records = check_contract(tmp_path)
    assert records and not any(r["extractor"].startswith("ner.") for r in records)
    assert {r["kind"] for r in records} <= {"organization", "number", "date", "ranking"}


def test_corpus_page_facts(corpus_out):
    """A few facts of the team-written page, end to end: repaired text, rankings, money, relative dates."""
    records = [
        r for r in read_jsonl(corpus_out / "records.jsonl") if r["article_id"].startswith("corpus/haiyan")
    ]
    rankings = {(r["rank"], r["total"], r["subject"], r["change"]) for r in records if r["kind"] == "ranking"}
    assert {(12, 83, "海盐经济开发区", 7), (3, 47, "海盐经济开发区", None)} <= rankings
    money = {(r["text"], r["value"], r["unit"]) for r in records if r["kind"] == "number"}
    assert ("412.6亿元", 41260000000, "元") in money and ("1.35亿美元", 135000000, "美元") in money
    organizations = {r["name"] for r in records if r["kind"] == "organization"}
    assert "浙江晨曦光电科技有限公司" in organizations
    resolved = {r["text"]: r["value"] for r in records if r["kind"] == "date" and r["resolved"]}
    assert resolved.get("今年以来", "").startswith("2021-01-01/2021-03-12")
