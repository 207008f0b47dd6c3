"""Loading OUT/ into SQLite and into a real PostgreSQL server started on loopback by the fixture.

The output directories are written here from validated model instances (the articles are
written for this test in the style of real bulletins), so the tests do not depend on `extract`.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.records import (
    Article,
    DateRecord,
    LocationRecord,
    NumberRecord,
    OrganizationRecord,
    OrgType,
    PersonRecord,
    RankingRecord,
    Summary,
    make_record_id,
)
from pipeline.sinks import database
from pipeline.sinks.database import DatabaseSink, LoadError, UsageError, load_command, load_output
from pipeline.sinks.ddl import DIALECTS, TABLES, date_bounds, ddl_path, render_ddl
from pipeline.sinks.jsonl import dump_line

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
TABLE_NAMES = ["articles", "organizations", "numbers", "dates", "rankings", "persons", "locations"]

# --------------------------------------------------------------------------- test output


def rec(article: Article, model, span: str, occurrence: int = 0, **fields):
    """A validated record for the `occurrence`-th `span` in the article text."""
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(span, start + 1)
    end = start + len(span)
    kind = model.model_fields["kind"].default
    return model(
        record_id=make_record_id(article.article_id, kind, start, end),
        article_id=article.article_id,
        text=span,
        start=start,
        end=end,
        sentence_index=article.text[:start].count("。"),
        extractor=f"test.{kind}",
        **fields,
    )


A1 = Article(
    article_id="page1.txt#1",
    source="page1.txt",
    title="滨江高新区技术合同成交额创新高",
    byline=["李明", "张华"],
    section="科技资讯",
    publish_date=date(2020, 1, 15),
    text=(
        "2019年，滨江高新区实现技术合同成交额280.5亿元，同比增长12.3%。区科技局介绍，全区新增高新技术"
        "企业86家。在全省高新区综合排名中，滨江高新区位列第5位，较上年前进3位。"
    ),
)
A2 = Article(
    article_id="page1.txt#2",
    source="page1.txt",
    title="青禾生物与南江大学共建联合实验室",
    publish_date=date(2020, 1, 15),
    text=(
        "2018年11月，青禾生物科技有限公司与南江大学签署合作协议，总投资约7.15亿元。该公司在2017年至2019年"
        "间累计研发投入3.6亿元，其中2019年一季度投入0.45亿元。"
    ),
)
A3 = Article(
    article_id="batch.jsonl#a3",
    source="batch.jsonl",
    text=(
        "近日，市科协发布2020年度区域创新指数排名，临川区位居第12位，较上年下降2位；东湖区跻身前十，"
        "排名上升4位。记者王晓明报道。"
    ),
)


def records_for(article: Article) -> list:
    if article is A1:
        return [
            rec(A1, DateRecord, "2019年", value="2019", granularity="year", relative=False, resolved=False),
            rec(A1, OrganizationRecord, "滨江高新区", name="滨江高新区", org_type="park"),
            rec(
                A1,
                NumberRecord,
                "280.5亿元",
                value=28050000000,
                unit="元",
                number_kind="money",
                currency="CNY",
            ),
            rec(A1, NumberRecord, "12.3%", value=12.3, unit="%", number_kind="percent"),
            rec(A1, OrganizationRecord, "区科技局", name="滨江高新区科技局", org_type="government"),
            rec(A1, NumberRecord, "86家", value=86, unit="家", number_kind="count"),
            rec(A1, OrganizationRecord, "滨江高新区", 1, name="滨江高新区", org_type="park"),
            rec(
                A1,
                RankingRecord,
                "位列第5位",
                rank=5,
                subject="滨江高新区",
                scope="全省高新区综合排名",
                change=3,
            ),
        ]
    if article is A2:
        return [
            rec(
                A2,
                DateRecord,
                "2018年11月",
                value="2018-11",
                granularity="month",
                relative=False,
                resolved=False,
            ),
            rec(
                A2,
                OrganizationRecord,
                "青禾生物科技有限公司",
                name="青禾生物科技有限公司",
                org_type="company",
            ),
            rec(A2, OrganizationRecord, "南江大学", name="南江大学", org_type="education"),
            rec(
                A2,
                NumberRecord,
                "约7.15亿元",
                value=715000000,
                unit="元",
                number_kind="money",
                currency="CNY",
                approximate=True,
                qualifier="约",
            ),
            rec(
                A2,
                DateRecord,
                "2017年至2019年",
                value="2017/2019",
                granularity="range",
                relative=False,
                resolved=False,
            ),
            rec(A2, NumberRecord, "3.6亿元", value=360000000, unit="元", number_kind="money", currency="CNY"),
            rec(
                A2,
                DateRecord,
                "2019年一季度",
                value="2019",  # the dates stage writes the year for quarters and halves
                granularity="quarter",
                relative=False,
                resolved=False,
            ),
            rec(A2, NumberRecord, "0.45亿元", value=45000000, unit="元", number_kind="money", currency="CNY"),
        ]
    return [
        rec(A3, DateRecord, "近日", value=None, granularity="day", relative=True, resolved=False),
        rec(A3, OrganizationRecord, "市科协", name="市科学技术协会", org_type="association"),
        rec(
            A3,
            RankingRecord,
            "位居第12位",
            rank=12,
            subject="临川区",
            scope="区域创新指数排名",
            period="2020年度",
            change=-2,
        ),
        rec(A3, RankingRecord, "跻身前十", rank=10, rank_is_bound=True, subject="东湖区", change=4),
        rec(A3, LocationRecord, "临川区", name="临川区"),
        rec(A3, LocationRecord, "东湖区", name="东湖区"),
        rec(A3, PersonRecord, "王晓明", name="王晓明"),
    ]


ARTICLES = [A1, A2, A3]


def write_out(out: Path, articles: list[Article], records: list, shuffle_records: bool = False) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "articles.jsonl").write_text(
        "".join(a.model_dump_json() + "\n" for a in articles), encoding="utf-8"
    )
    if shuffle_records:  # records of one article need not be contiguous
        records = records[::2] + records[1::2]
    (out / "records.jsonl").write_text("".join(dump_line(r) for r in records), encoding="utf-8")
    (out / "errors.jsonl").write_text("", encoding="utf-8")
    counts = {k: sum(r.kind == k for r in records) for k in {r.kind for r in records}}
    summary = Summary(inputs=2, articles=len(articles), records=len(records), errors=0, counts=counts,
                      seconds=0.1, versions={"pipeline": "test"})  # fmt: skip
    (out / "summary.json").write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    return out


def all_records(articles=ARTICLES) -> list:
    return [r for a in articles for r in records_for(a)]


@pytest.fixture
def out_dir(tmp_path):
    return write_out(tmp_path / "out", ARTICLES, all_records(), shuffle_records=True)


# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def pg_database(pg_server):
    name = "pipeline_test"
    url = pg_server.create_database(name)
    yield url
    pg_server.drop_database(name)


def empty_postgres(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute(
            "DROP TABLE IF EXISTS "
            + ", ".join(f'"{t}"' for t in ["schema_info", "loaded_inputs", *TABLE_NAMES])
            + " CASCADE"
        )
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh empty database of each kind (PostgreSQL: one database, emptied before each test)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/bulletins.db"
    return empty_postgres(request.getfixturevalue("pg_database"))


def query(db_url: str, sql: str, params=()) -> list[tuple]:
    """Rows with cells normalised across databases (numbers, dates, booleans)."""

    def norm(v):
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, int | float | Decimal):
            return round(float(v), 6)
        if isinstance(v, date):
            return v.isoformat()
        return v

    if db_url.startswith("sqlite:///"):
        conn = sqlite3.connect(db_url[len("sqlite:///") :])
        rows = conn.execute(sql, params).fetchall()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(db_url) as conn:
            rows = conn.execute(sql.replace("?", "%s"), params).fetchall()
    return [tuple(norm(v) for v in row) for row in rows]


def counts(db_url: str) -> dict[str, int]:
    return {t: query(db_url, f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in TABLE_NAMES}


EXPECTED_COUNTS = {"articles": 3, "organizations": 6, "numbers": 6, "dates": 5, "rankings": 3, "persons": 1,
                   "locations": 2}  # fmt: skip

# The README's example queries: both databases must give the same answers.
MONEY_PER_ARTICLE = """
SELECT a.article_id, a.title, SUM(n.value) AS money_cny
FROM articles a JOIN numbers n ON n.article_id = a.article_id
WHERE n.number_kind = 'money' AND n.currency = 'CNY' AND n.unit IN ('元', '人民币', '元人民币')
GROUP BY a.article_id, a.title
ORDER BY money_cny DESC"""
MONEY_NOT_SUMMED = """
SELECT article_id, text, currency, unit, value, value_low, value_high FROM numbers
WHERE number_kind = 'money' AND (currency IS DISTINCT FROM 'CNY' OR value IS NULL)
ORDER BY article_id, start"""
RANKINGS_UP = """
SELECT subject, scope, rank, change FROM rankings WHERE change > 0 ORDER BY change DESC, subject"""
ORGS_PER_TYPE = """
SELECT org_type, COUNT(*) AS mentions, COUNT(DISTINCT name) AS organisations
FROM organizations GROUP BY org_type ORDER BY org_type"""
DATES_IN_2019 = """
SELECT text, value FROM dates
WHERE first_day <= '2019-12-31' AND last_day >= '2019-01-01' ORDER BY article_id, start"""

EXPECTED_ANSWERS = {
    MONEY_PER_ARTICLE: [
        ("page1.txt#1", A1.title, 28050000000.0),
        ("page1.txt#2", A2.title, 1120000000.0),
    ],
    RANKINGS_UP: [("东湖区", None, 10.0, 4.0), ("滨江高新区", "全省高新区综合排名", 5.0, 3.0)],
    ORGS_PER_TYPE: [
        ("association", 1.0, 1.0),
        ("company", 1.0, 1.0),
        ("education", 1.0, 1.0),
        ("government", 1.0, 1.0),
        ("park", 2.0, 1.0),
    ],
    DATES_IN_2019: [("2019年", "2019"), ("2017年至2019年", "2017/2019"), ("2019年一季度", "2019")],
}


# --------------------------------------------------------------------------- the schema


@pytest.mark.parametrize("dialect", DIALECTS)
def test_committed_ddl_matches_the_models(dialect):
    path = ddl_path(SCHEMAS, dialect)
    assert path.exists(), f"{path} missing: run `python -m pipeline.sinks.ddl schemas`"
    assert path.read_text(encoding="utf-8") == render_ddl(dialect), (
        f"{path} drifted from pipeline/records.py: run `python -m pipeline.sinks.ddl schemas` and commit"
    )


def test_tables_cover_every_model_field():
    for table in TABLES:
        fields = set(table.model.model_fields) - {"kind"}
        assert {c.name for c in table.field_columns} == fields, table.name
    assert [t.name for t in TABLES] == TABLE_NAMES


def test_sqlite_column_types_and_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path}/x.db"
    DatabaseSink(url).close()
    conn = sqlite3.connect(tmp_path / "x.db")
    types = {
        (t, row[1]): row[2]
        for t in TABLE_NAMES
        for row in conn.execute(f'PRAGMA table_info("{t}")').fetchall()
    }
    assert types[("numbers", "value")] == ""  # no affinity: an exact decimal is kept as given
    assert types[("rankings", "rank")] == "INTEGER"
    assert types[("rankings", "change")] == "INTEGER"
    assert types[("dates", "first_day")] == "DATE"
    assert types[("articles", "publish_date")] == "DATE"
    for t in TABLE_NAMES[1:]:
        fks = conn.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()
        assert [(fk[2], fk[3], fk[4]) for fk in fks] == [("articles", "article_id", "article_id")]


def test_postgresql_column_types_and_foreign_keys(pg_database):
    import psycopg

    url = pg_database
    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS schema_info, articles CASCADE")
    DatabaseSink(url).close()
    types = {
        (t, c): d
        for t, c, d in query(
            url,
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema()",
        )
    }
    assert types[("numbers", "value")] == "numeric"
    assert types[("rankings", "rank")] == "integer"
    assert types[("dates", "first_day")] == "date"
    assert types[("articles", "byline")] == "ARRAY"
    fks = query(
        url,
        "SELECT tc.table_name, ccu.table_name, ccu.column_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name "
        "WHERE tc.constraint_type = 'FOREIGN KEY' ORDER BY tc.table_name",
    )
    assert fks == sorted((t, "articles", "article_id") for t in TABLE_NAMES[1:])


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_date_bounds_of_any_day_month_and_year(day):
    assert date_bounds(day.isoformat()) == (day, day)
    first, last = date_bounds(day.isoformat()[:7])
    assert first == day.replace(day=1) and last.month == day.month and (last + timedelta(days=1)).day == 1
    assert date_bounds(str(day.year)) == (date(day.year, 1, 1), date(day.year, 12, 31))


@pytest.mark.parametrize(
    "value, first, last",
    [
        ("2019", "2019-01-01", "2019-12-31"),
        ("2018-11", "2018-11-01", "2018-11-30"),
        ("2020-02", "2020-02-01", "2020-02-29"),
        ("2013-09-10", "2013-09-10", "2013-09-10"),
        ("2017/2019", "2017-01-01", "2019-12-31"),
        ("2019-03/2019-05", "2019-03-01", "2019-05-31"),
        ("2019-Q1", "2019-01-01", "2019-03-31"),
        ("2019-Q4", "2019-10-01", "2019-12-31"),
        ("2019-H2", "2019-07-01", "2019-12-31"),
        (None, None, None),
        ("", None, None),
        ("2019-13", None, None),  # no 13th month
        ("2019/2017", None, None),  # reversed range
        ("十三五", None, None),
    ],
)
def test_date_bounds(value, first, last):
    got = date_bounds(value)
    assert tuple(d.isoformat() if d else None for d in got) == (first, last)


# --------------------------------------------------------------------------- loading


def test_load_into_each_database(db_url, out_dir):
    stats = load_output(out_dir, db_url)
    assert stats.articles == 3 and stats.total_records == 23 and stats.orphans == 0
    assert counts(db_url) == EXPECTED_COUNTS
    # typed values survive the round trip
    assert query(
        db_url, "SELECT publish_date, byline FROM articles WHERE article_id = ?", ("page1.txt#1",)
    ) in (
        [("2020-01-15", '["李明", "张华"]')],  # SQLite: a JSON array
        [("2020-01-15", ["李明", "张华"])],  # PostgreSQL: TEXT[]
    )
    assert query(
        db_url, "SELECT value, approximate, qualifier FROM numbers WHERE text = ?", ("约7.15亿元",)
    ) == [(715000000.0, 1, "约")]
    assert query(
        db_url, 'SELECT start, "end", first_day, last_day FROM dates WHERE value = ?', ("2017/2019",)
    ) == [(A2.text.index("2017年至2019年"), A2.text.index("2017年至2019年") + 11, "2017-01-01", "2019-12-31")]
    assert query(db_url, "SELECT first_day, last_day FROM dates WHERE value IS NULL") == [(None, None)]


@pytest.mark.parametrize(
    "sql", list(EXPECTED_ANSWERS), ids=["money", "rankings_up", "orgs_per_type", "in_2019"]
)
def test_example_queries_give_the_same_answers(db_url, out_dir, sql):
    load_output(out_dir, db_url)
    assert query(db_url, sql) == EXPECTED_ANSWERS[sql]


def test_loading_twice_leaves_each_record_once(db_url, out_dir):
    load_output(out_dir, db_url)
    first = counts(db_url)
    stats = load_output(out_dir, db_url, batch_size=4)
    assert stats.stale_deleted == 0
    assert counts(db_url) == first == EXPECTED_COUNTS


def test_a_rerun_replaces_the_records_of_re_extracted_articles(db_url, tmp_path, out_dir):
    load_output(out_dir, db_url)
    # A re-run finds one ranking less and one organisation more in A3, and changes a type in A2.
    old = records_for(A3)
    new_a3 = [r for r in old if r.text != "跻身前十"] + [
        rec(A3, OrganizationRecord, "临川区", name="临川区人民政府", org_type="government")
    ]
    new_a2 = [
        r.model_copy(update={"org_type": OrgType.research}) if r.text == "南江大学" else r
        for r in records_for(A2)
    ]
    rerun = write_out(tmp_path / "rerun", [A2, A3], new_a2 + new_a3)
    stats = load_output(rerun, db_url)
    assert stats.stale_deleted == 1
    assert query(db_url, "SELECT COUNT(*) FROM rankings WHERE article_id = ?", (A3.article_id,)) == [(1.0,)]
    assert query(db_url, "SELECT org_type FROM organizations WHERE text = ?", ("南江大学",)) == [
        ("research",)
    ]
    assert query(db_url, "SELECT name FROM organizations WHERE text = ?", ("临川区",)) == [
        ("临川区人民政府",)
    ]
    # A1, absent from the re-run, is untouched
    assert query(db_url, "SELECT COUNT(*) FROM numbers WHERE article_id = ?", (A1.article_id,)) == [(3.0,)]
    assert counts(db_url)["rankings"] == 2 and counts(db_url)["organizations"] == 7


def test_an_interrupted_load_is_consistent_and_can_be_run_again(db_url, out_dir, monkeypatch):
    calls = itertools.count(1)
    real_write_batch = database._write_batch

    def failing_write_batch(*args, **kwargs):
        deleted = real_write_batch(*args, **kwargs)  # rows written, not yet committed ...
        if next(calls) == 2:
            raise KeyboardInterrupt("interrupted in the second transaction")  # ... and the load dies
        return deleted

    monkeypatch.setattr(database, "_write_batch", failing_write_batch)
    with pytest.raises(KeyboardInterrupt):
        load_output(out_dir, db_url, batch_size=5)  # one article (with its records) per transaction
    # only the first transaction is there, and it is complete
    assert query(db_url, "SELECT article_id FROM articles") == [(A1.article_id,)]
    loaded = {t: n for t, n in counts(db_url).items() if t != "articles"}
    assert sum(loaded.values()) == len(records_for(A1))

    monkeypatch.setattr(database, "_write_batch", real_write_batch)
    stats = load_output(out_dir, db_url, batch_size=5)
    assert stats.batches == 3
    assert counts(db_url) == EXPECTED_COUNTS
    assert query(db_url, MONEY_PER_ARTICLE) == EXPECTED_ANSWERS[MONEY_PER_ARTICLE]


def test_the_sink_loads_while_extracting(db_url):
    with DatabaseSink(db_url, batch_size=10) as sink:
        for article in ARTICLES:
            sink.write(article, records_for(article))
    assert sink.stats.batches == 2 and sink.stats.articles == 3
    assert counts(db_url) == EXPECTED_COUNTS


def test_the_sink_takes_jsonl_lines(tmp_path):
    url = f"sqlite:///{tmp_path}/x.db"
    with DatabaseSink(url) as sink:
        for article in ARTICLES:
            sink.write_json(article.model_dump_json(), [r.model_dump_json() for r in records_for(article)])
    assert counts(url) == EXPECTED_COUNTS


def test_the_sink_writes_nothing_queued_when_extraction_fails(db_url):
    with pytest.raises(RuntimeError), DatabaseSink(db_url, batch_size=100) as sink:
        sink.write(A1, records_for(A1))
        raise RuntimeError("extraction crashed")
    assert counts(db_url)["articles"] == 0


def test_the_sink_rejects_a_record_of_another_article(tmp_path):
    with DatabaseSink(f"sqlite:///{tmp_path}/x.db") as sink, pytest.raises(ValueError, match="belongs to"):
        sink.write(A1, records_for(A2))


def test_records_without_their_article_are_counted_not_loaded(tmp_path):
    out = write_out(tmp_path / "out", [A1], records_for(A1) + records_for(A3))
    stats = load_output(out, f"sqlite:///{tmp_path}/x.db")
    assert stats.orphans == len(records_for(A3))
    assert stats.total_records == len(records_for(A1))


def test_an_article_without_records_is_loaded(tmp_path):
    out = write_out(tmp_path / "out", [A3], [])  # records.jsonl is there, and empty
    url = f"sqlite:///{tmp_path}/x.db"
    assert load_output(out, url).articles == 1
    assert counts(url)["articles"] == 1
    (out / "records.jsonl").unlink()  # a missing records.jsonl is refused, not read as "no records"
    with pytest.raises(LoadError, match="records.jsonl is missing"):
        load_output(out, url)


def test_a_database_of_another_structure_is_refused(tmp_path, out_dir):
    url = f"sqlite:///{tmp_path}/x.db"
    load_output(out_dir, url)
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("UPDATE schema_info SET value = 'other' WHERE key = 'structure_hash'")
    conn.commit()
    conn.close()
    with pytest.raises(LoadError, match="another table structure"):
        load_output(out_dir, url)


@pytest.mark.parametrize("url", ["mysql://localhost/x", "sqlite://relative.db", "out/bulletins.db"])
def test_unsupported_urls_are_usage_errors(out_dir, url):
    with pytest.raises(UsageError, match="unsupported database URL"):
        load_output(out_dir, url)


def test_a_broken_record_line_names_its_file(tmp_path, out_dir):
    lines = (out_dir / "records.jsonl").read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[0]) | {"start": -1}
    (out_dir / "records.jsonl").write_text(
        "\n".join([json.dumps(broken), *lines[1:]]) + "\n", encoding="utf-8"
    )
    with pytest.raises(LoadError, match="records.jsonl at byte 0: invalid record"):
        load_output(out_dir, f"sqlite:///{tmp_path}/x.db")


def test_load_command(tmp_path, out_dir):
    typer = pytest.importorskip("typer")
    from typer.testing import CliRunner

    app = typer.Typer()
    app.command("load")(load_command)
    app.command("other")(lambda: None)  # two commands: `load` is a subcommand, as in pipeline/cli.py
    url = f"sqlite:///{tmp_path}/cli.db"
    result = CliRunner().invoke(app, ["load", str(out_dir), "--db", url])
    assert result.exit_code == 0, result.output
    assert "loaded 3 articles and 23 records" in result.output
    assert counts(url) == EXPECTED_COUNTS
    bad = CliRunner().invoke(app, ["load", str(tmp_path / "missing"), "--db", url])
    assert bad.exit_code == 2 and "articles.jsonl not found" in bad.output


# --------------------------------------------------------------------------- exact values (issue 19)

A4 = Article(
    article_id="money.jsonl#a4",
    source="money.jsonl",
    text="基金规模港币20亿元,另募3至5亿元;样本金额9223372036854775808元,单价0.1000000000000000055511151231257827元,"
    "人均10000.233元,首付美金2亿。",
)


def money_records() -> list:
    return [
        rec(A4, NumberRecord, "20亿元", value=2000000000, unit="元", number_kind="money", currency="HKD"),
        rec(
            A4,
            NumberRecord,
            "3至5亿元",
            value=None,
            value_low=300000000,
            value_high=500000000,
            unit="元",
            number_kind="money",
            currency="CNY",
        ),  # fmt: skip
        rec(
            A4,
            NumberRecord,
            "9223372036854775808元",
            value=Decimal("9223372036854775808"),
            unit="元",
            number_kind="money",
            currency="CNY",
        ),  # fmt: skip
        rec(
            A4,
            NumberRecord,
            "0.1000000000000000055511151231257827元",
            value=Decimal("0.1000000000000000055511151231257827"),
            unit="元",
            number_kind="money",
            currency="CNY",
        ),  # fmt: skip
        rec(
            A4,
            NumberRecord,
            "10000.233元",
            value=Decimal("10000.233"),
            unit="元",
            number_kind="money",
            currency="CNY",
        ),  # fmt: skip
        rec(A4, NumberRecord, "美金2亿", value=200000000, unit="美金", number_kind="money", currency="USD"),
    ]


def raw(db_url: str, sql: str) -> list[tuple]:
    if db_url.startswith("sqlite:///"):
        with sqlite3.connect(db_url[len("sqlite:///") :]) as conn:
            return conn.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute(sql).fetchall()


def test_exact_decimals_survive_the_jsonl_and_the_database(db_url, tmp_path):
    out = write_out(tmp_path / "money", [A4], money_records())
    line = (out / "records.jsonl").read_text(encoding="utf-8").splitlines()[3]
    assert '"value":0.1000000000000000055511151231257827,' in line  # a JSON number, every digit
    load_output(out, db_url)
    values = [v for (v,) in raw(db_url, "SELECT value FROM numbers ORDER BY start")]
    if db_url.startswith("sqlite:///"):  # what a 64-bit integer or a double cannot hold: the exact text
        assert values == [2000000000, None, "9223372036854775808", "0.1000000000000000055511151231257827",
                          10000.233, 200000000]  # fmt: skip
    else:  # NUMERIC: every digit
        assert values == [Decimal(2000000000), None, Decimal("9223372036854775808"),
                          Decimal("0.1000000000000000055511151231257827"), Decimal("10000.233"),
                          Decimal(200000000)]  # fmt: skip
    assert query(db_url, "SELECT value_low, value_high FROM numbers WHERE value_low IS NOT NULL") == [
        (300000000.0, 500000000.0)
    ]


def test_the_money_query_sums_renminbi_only_and_lists_the_rest_apart(db_url, tmp_path):
    load_output(write_out(tmp_path / "money", [A4], money_records()), db_url)
    ((article, _, total),) = query(db_url, MONEY_PER_ARTICLE)
    assert article == A4.article_id
    assert total == round(9223372036854775808 + 0.1000000000000000055511151231257827 + 10000.233, 6)
    apart = [(text, currency) for _, text, currency, *_ in query(db_url, MONEY_NOT_SUMMED)]
    assert apart == [("20亿元", "HKD"), ("3至5亿元", "CNY"), ("美金2亿", "USD")]


def test_a_database_of_an_older_schema_version_is_refused(tmp_path, out_dir):
    url = f"sqlite:///{tmp_path}/old.db"
    load_output(out_dir, url)
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("UPDATE schema_info SET value = '1.0' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(LoadError, match=r"schema_version 1\.0.*not migrated: load into a new database"):
        load_output(out_dir, url)
