"""Property test of issue 17: random ids, file names, encodings and byte corruption through
`extract` and `load`. No article is lost or duplicated, every output file is valid, the database
holds exactly what the output holds, and a re-run gives the same bytes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_data_safety import check_valid, cli

SENTENCES = [
    "近日,市科技局公布了2021年度科技计划项目,全市共有56个项目入选。",
    "今年以来,园区新增企业35家,完成投资12.6亿元。",
    "去年,該園區實現營業收入286億元,同比增長18.2%。",
    "海盐经济开发区在全省83家省级以上经济开发区中排名第12位。",
    "浙江晨曦光电科技有限公司年产300万套车载显示模组项目开工。",
]
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "big5"]

bodies = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map("".join)
# file names: any printable characters but '/', not hidden, not a README, with a supported suffix
names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"), min_size=1, max_size=12
).filter(lambda s: not s.startswith(".") and not s.lower().startswith(("readme", "license", "licence")))
ids = st.text(min_size=1, max_size=30).filter(lambda s: s.strip())  # tabs, newlines, lone surrogates


@st.composite
def inputs(draw):
    """[(file name, bytes, expected: JSONL article count or the page's bodies, is corrupted)]"""
    files = []
    for n, name in enumerate(draw(st.lists(names, min_size=1, max_size=4, unique_by=str.casefold))):
        encoding = draw(st.sampled_from(ENCODINGS))
        if draw(st.booleans()):
            lines = [(draw(ids), draw(bodies)) for _ in range(draw(st.integers(1, 4)))]
            text = "".join(
                json.dumps(
                    {"id": i, "text": b},
                    ensure_ascii=draw(st.booleans()) or any("\ud800" <= c <= "\udfff" for c in i),
                )
                + "\n"  # fmt: skip
                for i, b in lines
            )
            suffix, expected = ".jsonl", len(lines)
        else:
            texts = [draw(bodies) for _ in range(draw(st.integers(1, 3)))]
            text = "\n\n".join(f"第{k}条简讯标题\n\n记者 张三\n\n{body}" for k, body in enumerate(texts, 1))
            # how a page splits is the splitter's call: what must hold is that no text is lost
            suffix, expected = draw(st.sampled_from([".txt", ".md"])), texts
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8")
        corrupted = False
        if draw(st.integers(0, 3)) == 0:  # damage some bytes
            data = bytearray(data)
            for _ in range(draw(st.integers(1, 3))):
                at = draw(st.integers(0, len(data) - 1))
                data[at : at + 1] = draw(st.sampled_from([b"\xff", b"\x00", b"\xc3", b"\x80\x80", b""]))
            data, corrupted = bytes(data), True
        files.append((f"{n}-{name}{suffix}", data, expected, corrupted))
    return files


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs())
def test_no_article_is_lost_or_duplicated_and_every_file_is_valid(files):
    base = Path(tempfile.mkdtemp(prefix="safety-"))
    try:
        folder = base / "in"
        folder.mkdir()
        for name, data, _, _ in files:
            (folder / name).write_bytes(data)
        out = base / "out"
        result = cli("extract", folder, "-o", out, "--quiet", "--no-ner")
        assert result.exit_code in (0, 3), result.output
        articles, records = check_valid(out)
        errors = [
            json.loads(line)
            for line in (out / "errors.jsonl").read_text(encoding="utf-8").split("\n")
            if line
        ]
        for name, _, expected, corrupted in files:
            source = f"in/{name}"
            mine = [a for a in articles if a["source"] == source or a["article_id"].startswith(source + "#")]
            reported = [e for e in errors if e["source"] == source or e["source"].startswith(source + ":")]
            if corrupted:  # every part of it is an article or a reported error
                assert mine or reported, name
            elif isinstance(expected, int):  # JSONL: one article per line, duplicate ids and all
                assert len(mine) == expected, (name, mine, reported)
            else:
                kept = "".join(a["text"] for a in mine)
                assert mine and all(body in kept for body in expected), (name, mine, reported)
        assert result.exit_code == (3 if errors else 0)
        db = base / "b.db"
        assert cli("load", out, "--db", f"sqlite:///{db}", "-q").exit_code == 0
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(articles)
            n_records = sum(
                conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("organizations", "numbers", "dates", "rankings", "persons", "locations")
            )
        assert n_records == len(records)
        before = {n: (out / n).read_bytes() for n in ("articles.jsonl", "records.jsonl", "errors.jsonl")}
        assert cli("extract", folder, "-o", out, "--quiet", "--no-ner").exit_code == result.exit_code
        assert {n: (out / n).read_bytes() for n in before} == before
    finally:
        shutil.rmtree(base, ignore_errors=True)
