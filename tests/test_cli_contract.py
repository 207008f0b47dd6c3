"""The command-line contract a user relies on (issue 17, "Also"): exit codes, checks before the run,
masked passwords, what is read from folders, publication dates, stdin, --version."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import SHIPPED_NER_MODELS, app, mask_url

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
PAGE = "科技简讯\n\n记者 张三\n\n近日,市科技局公布了2021年度科技计划项目,今年以来全市新增企业35家。\n"


def cli(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_nonexistent_ner_model_fails_fast_with_exit_2(tmp_path):
    started = time.perf_counter()
    result = cli("extract", CORPUS, "-o", tmp_path / "out", "--ner-model", "nonexistent")
    assert result.exit_code == 2 and "nonexistent" in result.output
    assert time.perf_counter() - started < 5 and not (tmp_path / "out").exists()


def test_options_are_checked_before_the_run(tmp_path):
    out = tmp_path / "out"
    assert (
        cli("extract", CORPUS, "-o", out, "--scheduler", "tcp://127.0.0.1:1").exit_code == 2
    )  # no --engine dask
    result = cli("extract", CORPUS, "-o", out, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1")
    assert result.exit_code == 2 and "cannot connect" in result.output
    assert cli("extract", CORPUS, "-o", out, "--db", "mysql://x/y").exit_code == 2
    assert cli("extract", CORPUS, "-o", out, "--publish-date", "2021-13-01").exit_code == 2
    assert not (out / "articles.jsonl").exists()
    result = cli("eval", "--only", "typo")
    assert result.exit_code == 2 and "no such evaluation" in result.output


def test_passwords_are_never_printed(tmp_path):
    assert mask_url("postgresql://me:s3cr3t@db:5432/x") == "postgresql://me:***@db:5432/x"
    out = tmp_path / "out"
    assert cli("extract", CORPUS, "-o", out, "--quiet").exit_code == 0
    url = "postgresql://me:s3cr3t@127.0.0.1:1/bulletins"
    for result in (cli("load", out, "--db", url), cli("extract", CORPUS, "-o", out, "--db", url)):
        assert result.exit_code != 0
        assert "s3cr3t" not in result.output and "PostgreSQL" in result.output


def test_load_without_db_writes_into_out(tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert cli("extract", CORPUS, "-o", out, "--quiet").exit_code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli("load", out, "-q").exit_code == 0
    assert (out / "bulletins.db").is_file() and list(elsewhere.iterdir()) == []


def test_readmes_output_folders_and_other_types_are_skipped_and_listed(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(CORPUS, inputs)
    (inputs / "README.md").write_text("# 说明\n这个文件夹是简报。\n", encoding="utf-8")
    (inputs / "report.docx").write_bytes(b"PK\x03\x04")
    out = inputs / "out"  # an output folder inside the input folder
    assert cli("extract", inputs, "-o", out, "--quiet").exit_code == 0
    first = (out / "articles.jsonl").read_bytes()
    assert cli("extract", inputs, "-o", out, "--quiet").exit_code == 0  # does not read its own output
    assert (out / "articles.jsonl").read_bytes() == first
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["skipped"] == {
        "in/README.md": "a README or licence file",
        "in/out": "an output folder of this tool",
        "in/report.docx": "unsupported file type .docx",
    }
    assert summary["inputs"] == 6 and summary["errors"] == 0
    # `extract out -o out` reads nothing and empties nothing
    assert cli("extract", out, "-o", out, "--quiet").exit_code == 0
    assert (out / "articles.jsonl").read_bytes() == first
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.docx").write_bytes(b"PK\x03\x04")
    result = cli("extract", docs, "-o", tmp_path / "o2")
    assert result.exit_code == 0 and "1 files skipped" in result.output and ".docx" in result.output


def test_publish_dates_from_the_option_and_the_file_name(tmp_path):
    (tmp_path / "2021-04-02").mkdir()
    (tmp_path / "2021-04-02" / "01.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "undated.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "pinghu_2021-03-12.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    args = [tmp_path / "2021-04-02", tmp_path / "undated.txt", tmp_path / "pinghu_2021-03-12.txt"]
    assert cli("extract", *args, "-o", out, "--quiet", "--publish-date", "2021-05-06").exit_code == 0
    dates = {a["source"]: a["publish_date"] for a in jsonl(out / "articles.jsonl")}
    assert dates == {
        "2021-04-02/01.txt": "2021-04-02",
        "undated.txt": "2021-05-06",
        "pinghu_2021-03-12.txt": "2021-03-12",
    }
    resolved = {
        (r["article_id"], r["text"]): r["value"] for r in jsonl(out / "records.jsonl") if r["kind"] == "date"
    }
    assert resolved[("undated.txt#1", "今年以来")] == "2021-01-01/2021-05-06"
    assert resolved[("2021-04-02/01.txt#1", "今年以来")] == "2021-01-01/2021-04-02"


def test_an_html_page_without_date_metadata_gets_no_date_from_its_text(tmp_path):
    html = (
        "<html><head><title>园区新闻</title></head><body><article><h1>园区新闻</h1>"
        "<p>2015年以来,园区累计引进企业120家,今年新增高新技术企业15家,实现产值86.5亿元。</p>"
        "<p>园区将继续推进科技创新,力争明年新增企业20家。</p></article></body></html>"
    )
    (tmp_path / "news.html").write_text(html, encoding="utf-8")
    out = tmp_path / "out"
    assert cli("extract", tmp_path / "news.html", "-o", out, "--quiet").exit_code == 0
    (article,) = jsonl(out / "articles.jsonl")
    assert article["publish_date"] is None
    assert all(not r["resolved"] for r in jsonl(out / "records.jsonl") if r["kind"] == "date")


def test_extract_reads_stdin(tmp_path):
    out = tmp_path / "out"
    line = json.dumps({"id": "s-1", "text": "今年一季度,全县新增科技型中小企业45家。"}, ensure_ascii=False)
    assert cli("extract", "-", "-o", out, "--quiet", input=line + "\n").exit_code == 0
    assert [a["article_id"] for a in jsonl(out / "articles.jsonl")] == ["s-1"]
    out2 = tmp_path / "out2"
    assert cli("extract", "-", "-o", out2, "--quiet", input=PAGE).exit_code == 0
    assert [a["article_id"] for a in jsonl(out2 / "articles.jsonl")] == ["stdin.txt#1"]


def test_version_and_help():
    from pipeline import __version__

    result = cli("--version")
    assert result.exit_code == 0 and __version__ in result.output
    text = CliRunner().invoke(app, ["extract", "--help"], terminal_width=200).output
    assert all(model in text for model in SHIPPED_NER_MODELS)
    assert all(option in text for option in ("--root", "--prune", "--publish-date"))


def test_ctrl_c_prints_one_line_and_leaves_the_output_as_before(tmp_path):
    inputs = tmp_path / "in"
    for n in range(12):  # long enough to be interrupted while processing
        shutil.copytree(CORPUS, inputs / f"b{n}")
    out = tmp_path / "out"
    assert cli("extract", inputs, "-o", out, "--quiet").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".lock"}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(out), "--force", "--quiet"],
        stderr=subprocess.PIPE,
        env=env,
        # a process started in the background inherits SIGINT ignored: restore it, as a terminal has it
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # interrupt once it is processing (a part file of its own is being written), not during start-up,
    # which takes longer than any fixed sleep on a busy machine
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if any(f".{proc.pid}.tmp" in p.name for p in out.rglob("*")):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:  # finished before the signal: nothing to check on this machine
        return
    assert proc.returncode == 130, err.decode()
    assert len(err.decode().strip().splitlines()) == 1 and "interrupted" in err.decode()
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".lock"}
    assert after == before


def test_an_interrupt_wrapped_by_python_is_still_an_interrupt():
    # Ctrl-C while a class body runs (a lazy import) reaches the CLI as a RuntimeError whose cause is
    # the KeyboardInterrupt: it must end the run as Ctrl-C does (exit 130), not as an error
    from pipeline.cli import _caused_by_interrupt

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as inner:
            raise RuntimeError("Error calling __set_name__") from inner
    except RuntimeError as exc:
        assert _caused_by_interrupt(exc)
    assert not _caused_by_interrupt(RuntimeError("no"))
