-- PostgreSQL schema for the pipeline's output (schema_version 2.0).
-- GENERATED from pipeline/records.py by pipeline/sinks/ddl.py: do not edit.
-- Regenerate with `python -m pipeline.sinks.ddl schemas`; a test fails when this file drifts.
-- Load with `python -m pipeline load OUT --db URL` (creates these tables when missing).

CREATE TABLE IF NOT EXISTS "schema_info" (
  "key" TEXT NOT NULL PRIMARY KEY,  -- schema_version, structure_hash
  "value" TEXT NOT NULL
);

-- The loader's bookkeeping: per input file, its last loaded extraction and the article ids it gave.
CREATE TABLE IF NOT EXISTS "loaded_inputs" (
  "input" TEXT NOT NULL PRIMARY KEY,  -- the input's name (relative to the run's root)
  "part" TEXT NOT NULL,  -- the extraction's key (input bytes + pipeline fingerprint)
  "extracted_at" TEXT NOT NULL,  -- when it was extracted (ISO 8601, UTC)
  "article_ids" TEXT NOT NULL  -- JSON array
);

CREATE TABLE IF NOT EXISTS "articles" (
  "article_id" TEXT NOT NULL PRIMARY KEY,  -- `<file>#<n>` for pages and files (<file>: the path relative to the run's root), the `id` field for JSONL lines; an id an earlier article holds gets `~<hash of source and text>`.
  "source" TEXT NOT NULL,  -- Where the article came from: the JSONL line's `source` when given, else the input file relative to the input root.
  "title" TEXT,  -- The headline, when the input has one.
  "kicker" TEXT,  -- A line printed above the headline (引题), if any.
  "byline" TEXT[] NOT NULL,  -- Names after 记者 / 通讯员 / 摄影 / 实习生, in order.
  "section" TEXT,  -- Page section heading such as 科技资讯.
  "publish_date" DATE,  -- Publication date, when known.
  "text" TEXT NOT NULL  -- The repaired article text that every record offset refers to.
);

CREATE TABLE IF NOT EXISTS "organizations" (
  "record_id" TEXT NOT NULL PRIMARY KEY,  -- Deterministic: sha1(article_id, kind, start, end)[:16].
  "article_id" TEXT NOT NULL REFERENCES "articles" ("article_id") ON DELETE CASCADE,
  "text" TEXT NOT NULL,  -- The span as it appears: always article.text[start:end].
  "start" INTEGER NOT NULL CHECK ("start" >= 0),  -- Character offset of the span in the article text.
  "end" INTEGER NOT NULL CHECK ("end" >= 0),  -- End offset (exclusive).
  "sentence_index" INTEGER NOT NULL CHECK ("sentence_index" >= 0),  -- 0-based index of the sentence holding `start`.
  "extractor" TEXT NOT NULL,  -- `<stage>.<rule>` that produced the record.
  "name" TEXT NOT NULL,  -- Normalised name (the span, or its expansion when the article makes one explicit).
  "org_type" TEXT NOT NULL CHECK ("org_type" IN ('company', 'government', 'research', 'education', 'park', 'association', 'media', 'other'))
);
CREATE INDEX IF NOT EXISTS "ix_organizations_article_id" ON "organizations" ("article_id");

CREATE TABLE IF NOT EXISTS "numbers" (
  "record_id" TEXT NOT NULL PRIMARY KEY,  -- Deterministic: sha1(article_id, kind, start, end)[:16].
  "article_id" TEXT NOT NULL REFERENCES "articles" ("article_id") ON DELETE CASCADE,
  "text" TEXT NOT NULL,  -- The span as it appears: always article.text[start:end].
  "start" INTEGER NOT NULL CHECK ("start" >= 0),  -- Character offset of the span in the article text.
  "end" INTEGER NOT NULL CHECK ("end" >= 0),  -- End offset (exclusive).
  "sentence_index" INTEGER NOT NULL CHECK ("sentence_index" >= 0),  -- 0-based index of the sentence holding `start`.
  "extractor" TEXT NOT NULL,  -- `<stage>.<rule>` that produced the record.
  "value" NUMERIC,  -- The value with multipliers applied, exact: 280.5亿元 -> 28050000000; a negative stays negative (增长-3.2% -> -3.2). Null for a range (3至5亿元): its bounds are value_low / value_high.
  "unit" TEXT,  -- Unit or measure word without multiplier: 元, %, 家, 平方米; null if bare.
  "number_kind" TEXT NOT NULL CHECK ("number_kind" IN ('money', 'percent', 'count', 'measure', 'duration', 'other')),
  "approximate" BOOLEAN NOT NULL,  -- True for 余, 多, 近, 约, 左右, 以上, 超过 ...
  "qualifier" TEXT,  -- The approximation word itself, when there is one.
  "value_low" NUMERIC,  -- A range's low bound, multiplier and unit shared: 3至5亿元 -> 300000000 (null if no range).
  "value_high" NUMERIC,  -- A range's high bound: 3至5亿元 -> 500000000 (null if no range).
  "direction" TEXT CHECK ("direction" IN ('up', 'down')),  -- A change stated by the word before it: up (增长, 提高, 上升 ...), down (下降, 减少 ...); null when none (增至 and 降至 state a level, not a change).
  "currency" TEXT,  -- ISO 4217 code of an amount of money (CNY, HKD, TWD, USD, EUR, JPY ...): from the unit (美元) or the currency word before the number (港币20亿元); 元 alone is CNY, except in an article written in Traditional characters (Hong Kong, Macao, Taiwan), where it stays null.
  "percent_value" NUMERIC,  -- A share or rate in percent, whatever its surface unit: 3.24% -> 3.24, 九成 -> 90, 2折 -> 20, 75折 -> 75, 千分之二点四 -> 0.24, 三分之一 -> 33.33...; 个百分点 in percentage points.
  "metric" TEXT,  -- What the number measures or counts, as written (工业总产值, 高新技术企业); null when the text names nothing (FACTS.md).
  "subject" TEXT,  -- Whose metric it is: the holder as the article names it (园区 resolved to its name), else as written (我市); null when about no identifiable entity.
  "period" TEXT,  -- The time the number refers to, as written (今年以来, 2017年, 截至目前).
  "period_value" TEXT,  -- The period's resolved value as a date record has it ('2017', '2021-01/2021-10'); null when it has none.
  "first_day" DATE,  -- Derived: first calendar day of the period (period_value).
  "last_day" DATE  -- Derived: last calendar day of the period (period_value).
);
CREATE INDEX IF NOT EXISTS "ix_numbers_article_id" ON "numbers" ("article_id");
CREATE INDEX IF NOT EXISTS "ix_numbers_range" ON "numbers" ("first_day", "last_day");

CREATE TABLE IF NOT EXISTS "dates" (
  "record_id" TEXT NOT NULL PRIMARY KEY,  -- Deterministic: sha1(article_id, kind, start, end)[:16].
  "article_id" TEXT NOT NULL REFERENCES "articles" ("article_id") ON DELETE CASCADE,
  "text" TEXT NOT NULL,  -- The span as it appears: always article.text[start:end].
  "start" INTEGER NOT NULL CHECK ("start" >= 0),  -- Character offset of the span in the article text.
  "end" INTEGER NOT NULL CHECK ("end" >= 0),  -- End offset (exclusive).
  "sentence_index" INTEGER NOT NULL CHECK ("sentence_index" >= 0),  -- 0-based index of the sentence holding `start`.
  "extractor" TEXT NOT NULL,  -- `<stage>.<rule>` that produced the record.
  "value" TEXT,  -- ISO prefix ('2019', '2018-11', '2013-09-10'), range 'A/B'; null when relative and unresolved.
  "granularity" TEXT NOT NULL CHECK ("granularity" IN ('year', 'half', 'quarter', 'month', 'day', 'range', 'period')),
  "relative" BOOLEAN NOT NULL,  -- True for 近日, 今年, 去年 ... (resolved against publish_date).
  "resolved" BOOLEAN NOT NULL,  -- True when a relative expression was resolved against publish_date.
  "first_day" DATE,  -- Derived: first calendar day covered by value.
  "last_day" DATE  -- Derived: last calendar day covered by value.
);
CREATE INDEX IF NOT EXISTS "ix_dates_article_id" ON "dates" ("article_id");
CREATE INDEX IF NOT EXISTS "ix_dates_range" ON "dates" ("first_day", "last_day");

CREATE TABLE IF NOT EXISTS "rankings" (
  "record_id" TEXT NOT NULL PRIMARY KEY,  -- Deterministic: sha1(article_id, kind, start, end)[:16].
  "article_id" TEXT NOT NULL REFERENCES "articles" ("article_id") ON DELETE CASCADE,
  "text" TEXT NOT NULL,  -- The span as it appears: always article.text[start:end].
  "start" INTEGER NOT NULL CHECK ("start" >= 0),  -- Character offset of the span in the article text.
  "end" INTEGER NOT NULL CHECK ("end" >= 0),  -- End offset (exclusive).
  "sentence_index" INTEGER NOT NULL CHECK ("sentence_index" >= 0),  -- 0-based index of the sentence holding `start`.
  "extractor" TEXT NOT NULL,  -- `<stage>.<rule>` that produced the record.
  "rank" INTEGER NOT NULL CHECK ("rank" >= 1),  -- The position; for a bound (跻身前十) the bound itself.
  "rank_is_bound" BOOLEAN NOT NULL,  -- True for 前十 / 十强: rank is an upper bound.
  "total" INTEGER CHECK ("total" >= 1),  -- Size of the ranked field when stated.
  "subject" TEXT,  -- Who holds the rank.
  "scope" TEXT,  -- The list the rank is in: 全省高新区综合排名.
  "period" TEXT,  -- The period, as written: 2019年度.
  "change" INTEGER  -- Signed change in places: 前进16位 -> 16, 下降3位 -> -3.
);
CREATE INDEX IF NOT EXISTS "ix_rankings_article_id" ON "rankings" ("article_id");

CREATE TABLE IF NOT EXISTS "persons" (
  "record_id" TEXT NOT NULL PRIMARY KEY,  -- Deterministic: sha1(article_id, kind, start, end)[:16].
  "article_id" TEXT NOT NULL REFERENCES "articles" ("article_id") ON DELETE CASCADE,
  "text" TEXT NOT NULL,  -- The span as it appears: always article.text[start:end].
  "start" INTEGER NOT NULL CHECK ("start" >= 0),  -- Character offset of the span in the article text.
  "end" INTEGER NOT NULL CHECK ("end" >= 0),  -- End offset (exclusive).
  "sentence_index" INTEGER NOT NULL CHECK ("sentence_index" >= 0),  -- 0-based index of the sentence holding `start`.
  "extractor" TEXT NOT NULL,  -- `<stage>.<rule>` that produced the record.
  "name" TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS "ix_persons_article_id" ON "persons" ("article_id");

CREATE TABLE IF NOT EXISTS "locations" (
  "record_id" TEXT NOT NULL PRIMARY KEY,  -- Deterministic: sha1(article_id, kind, start, end)[:16].
  "article_id" TEXT NOT NULL REFERENCES "articles" ("article_id") ON DELETE CASCADE,
  "text" TEXT NOT NULL,  -- The span as it appears: always article.text[start:end].
  "start" INTEGER NOT NULL CHECK ("start" >= 0),  -- Character offset of the span in the article text.
  "end" INTEGER NOT NULL CHECK ("end" >= 0),  -- End offset (exclusive).
  "sentence_index" INTEGER NOT NULL CHECK ("sentence_index" >= 0),  -- 0-based index of the sentence holding `start`.
  "extractor" TEXT NOT NULL,  -- `<stage>.<rule>` that produced the record.
  "name" TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS "ix_locations_article_id" ON "locations" ("article_id");
