"""Hostile and broken input never crashes a batch or loses an article (issue: robustness)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

GOOD_PAGE = "近日,市科技局公布了2021年度科技计划项目,全市共有56个项目入选,其中重点项目12个。\n"
TRADITIONAL = "去年,該園區實現營業收入286億元,同比增長18.2%,在全省47家開發區中排名第3位。\n"
EMOJI_CONTROL = "🚀 今年以来,园区新增企业35家\x07,完成投资12.6亿元。😀\x1b\n"


def build_bad_corpus(root: Path) -> dict[str, str]:
    """Write the bad inputs; return {source name: expected error class} for those that must fail."""
    root.mkdir()
    expected: dict[str, str] = {}
    (root / "empty.txt").write_bytes(b"")
    expected["empty.txt"] = "EmptyInput"
    (root / "blank.txt").write_text(" \n\t\n\u3000\n", encoding="utf-8")
    expected["blank.txt"] = "EmptyInput"
    (root / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    expected["photo.txt"] = "BinaryInput"
    with zipfile.ZipFile(root / "archive.txt", "w") as archive:
        archive.writestr("a.txt", "压缩包里的文字" * 50)
    expected["archive.txt"] = "BinaryInput"
    (root / "noise.md").write_bytes(bytes(range(256)) * 16)
    expected["noise.md"] = "BinaryInput"
    (root / "truncated.txt").write_bytes(GOOD_PAGE.encode("utf-8")[:-2])
    (root / "gbk.txt").write_bytes(GOOD_PAGE.encode("gbk"))
    (root / "gb18030.txt").write_bytes(
        ("企业负责人王䶮表示,新厂房投资𠀀3.5亿元。\n" + GOOD_PAGE).encode("gb18030")
    )
    (root / "utf16.txt").write_bytes(GOOD_PAGE.encode("utf-16"))
    (root / "big.txt").write_bytes(b"\xe5\x9b\xad" * (17 * 2**20))  # 51 MB of one character
    expected["big.txt"] = "InputTooLarge"
    (root / "no_punctuation.txt").write_text(
        "园区企业创新发展" * 12500, encoding="utf-8"
    )  # 100,000 characters
    lines = [
        json.dumps({"id": "ok-1", "text": GOOD_PAGE}, ensure_ascii=False),
        "{this is not json",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "bad-text", "text": ["not", "a", "string"]}),
        json.dumps(
            {"id": "ok-2", "text": TRADITIONAL, "extra_field": 1, "publish_date": "2021-04-02"},
            ensure_ascii=False,
        ),
        json.dumps({"id": "ok-1", "text": "重复的编号。"}, ensure_ascii=False),
        "[1, 2, 3]",
    ]
    (root / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected["batch.jsonl:2"] = "InvalidJSON"
    expected["batch.jsonl:3"] = "MissingField"
    expected["batch.jsonl:4"] = "InvalidField"
    expected["batch.jsonl:7"] = "InvalidJSON"
    (root / "broken.html").write_text(
        "<html><head><script>alert('不要提取')</script><title>园区新闻</title></head><body><div><p>"
        "近日,秀洲高新技术产业园区入选省级高新区培育名单,园区现有高新技术企业146家。<p>2020年园区实现工业总产值615.2亿元"
        "<div><b>未闭合的标签</body>",
        encoding="utf-8",
    )
    (root / "emoji control.txt").write_text(EMOJI_CONTROL, encoding="utf-8")
    (root / "繁体 新闻.txt").write_text(TRADITIONAL, encoding="utf-8")
    os.symlink("loop.txt", root / "loop.txt")
    expected["loop.txt"] = "UnreadableInput"
    (root / "locked.txt").write_text(GOOD_PAGE, encoding="utf-8")
    expected["locked.txt"] = "UnreadableInput"
    return expected


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    inputs = base / "in"
    expected = {f"in/{name}": error for name, error in build_bad_corpus(inputs).items()}
    before = sorted((p.name, p.stat().st_size if not p.is_symlink() else -1) for p in inputs.iterdir())
    real_read_bytes = Path.read_bytes

    def read_bytes(self):  # root reads any file, so 'unreadable' is simulated for this one
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(self)

    mp = pytest.MonkeyPatch()
    mp.setattr(Path, "read_bytes", read_bytes)
    cwd_before = sorted(os.listdir(base))
    out = base / "out"
    try:
        result = CliRunner().invoke(app, ["extract", str(inputs), "-o", str(out), "--quiet"])
    finally:
        mp.undo()
    after = sorted((p.name, p.stat().st_size if not p.is_symlink() else -1) for p in inputs.iterdir())
    return result, out, expected, before == after, cwd_before, base


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_batch_finishes_with_exit_3_and_no_traceback(bad_run):
    result, *_ = bad_run
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


def test_every_bad_input_is_named_with_its_reason(bad_run):
    _, out, expected, *_ = bad_run
    errors = _jsonl(out / "errors.jsonl")
    found = {e["source"]: e["error"] for e in errors}
    assert found == expected
    assert all(e["message"] for e in errors)


def test_every_good_article_is_extracted(bad_run, processor):
    _, out, *_ = bad_run
    articles = {a["article_id"]: a for a in _jsonl(out / "articles.jsonl")}
    expected_ids = {
        "in/truncated.txt#1", "in/gbk.txt#1", "in/gb18030.txt#1", "in/utf16.txt#1", "in/no_punctuation.txt#1",
        "ok-1", "ok-2", "in/broken.html#1", "in/emoji control.txt#1", "in/繁体 新闻.txt#1",
    }  # fmt: skip
    # the second line with id ok-1 is kept, under the id plus a hash of its source and text
    renamed = {i for i in articles if i.startswith("ok-1~")}
    assert len(renamed) == 1 and articles[renamed.pop()]["text"] == "重复的编号。"
    assert set(articles) - {i for i in articles if i.startswith("ok-1~")} == expected_ids
    assert len(articles["in/no_punctuation.txt#1"]["text"]) == 100_000
    assert "王䶮" in articles["in/gb18030.txt#1"]["text"] and "𠀀" in articles["in/gb18030.txt#1"]["text"]
    assert "不要提取" not in articles["in/broken.html#1"]["text"]
    records = _jsonl(out / "records.jsonl")
    # Fully extracted: each article's records equal those of the article processed on its own.
    for article_id in ("in/gbk.txt#1", "ok-2", "in/emoji control.txt#1"):
        article = articles[article_id]
        alone = processor.extract_text(article["text"], article["publish_date"], article_id=article_id)
        assert [r for r in records if r["article_id"] == article_id] == [
            r.model_dump(mode="json") for r in alone
        ]
    for record in records:
        assert articles[record["article_id"]]["text"][record["start"] : record["end"]] == record["text"]


def test_nothing_is_written_outside_out(bad_run):
    _, out, _, inputs_unchanged, cwd_before, base = bad_run
    assert inputs_unchanged
    assert sorted(os.listdir(base)) == sorted(cwd_before + ["out"])
    assert {p.name for p in out.iterdir()} <= {
        "articles.jsonl", "records.jsonl", "errors.jsonl", "summary.json", "manifest.json", ".parts", ".lock",
    }  # fmt: skip


def test_debug_shows_the_traceback(tmp_path, monkeypatch):
    import pipeline.run

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline.run, "run_extract", explode)
    quiet = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "o")])
    assert quiet.exit_code == 1 and "RuntimeError: boom" in quiet.output and "Traceback" not in quiet.output
    loud = CliRunner().invoke(app, ["extract", str(tmp_path), "-o", str(tmp_path / "o"), "--debug"])
    assert isinstance(loud.exception, RuntimeError)
