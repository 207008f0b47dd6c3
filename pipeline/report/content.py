"""What the report shows, gathered from an output folder (read by the loader's OutputReader).

`gather(OUT)` returns a `ReportContent`: the overview (counts per kind and per source, errors,
the run's versions, the bars of the chart) and, per article, its fields, its text as a tree of
highlighted spans (pipeline/report/spans.py) and its records as plain dicts. Fields a record may
or may not have (a number's metric, subject, period) are read from the dict, never assumed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.records import RECORD_KINDS
from pipeline.report.spans import nest_spans
from pipeline.sinks.database import OutputReader

JS_SAFE_INTEGER = 2**53 - 1  # larger integers go to the page as strings (JSON numbers would round)


@dataclass
class SourceRow:
    source: str
    articles: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


@dataclass
class Bar:
    kind: str
    count: int
    width: float  # 0..1 of the longest bar


@dataclass
class ReportContent:
    out_dir: str
    run: dict  # run_id, finished_at, root (from manifest.json; empty without one)
    versions: dict[str, str]
    kinds: list[str]  # every kind with a legend entry: the contract's, then any other seen
    counts: Counter
    sources: list[SourceRow]
    errors: list[dict]
    articles: list[dict]  # the page's data: one dict per article (see `article_data`)

    @property
    def total_records(self) -> int:
        return sum(self.counts.values())

    def bars(self) -> list[Bar]:
        top = max(self.counts.values(), default=0) or 1
        return [Bar(kind, self.counts[kind], self.counts[kind] / top) for kind in self.kinds]


def record_data(record: dict) -> dict:
    """A record's fields for the page: all of them but article_id, huge integers as strings."""
    data = {k: v for k, v in record.items() if k != "article_id"}
    for key, value in data.items():
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > JS_SAFE_INTEGER:
            data[key] = str(value)
    return data


def article_data(article: dict, records: list[dict]) -> dict:
    """One article for the page: its fields, `tree` (text and spans, by index into `records`),
    `apart` ([index, reason] of the records that cannot be nested) and `records`."""
    layout = nest_spans(article["text"], [(r["start"], r["end"], r["kind"], r["text"]) for r in records])
    return {
        "id": article["article_id"],
        "source": article["source"],
        "title": article.get("title"),
        "kicker": article.get("kicker"),
        "byline": article.get("byline") or [],
        "section": article.get("section"),
        "date": article.get("publish_date"),
        "chars": len(article["text"]),
        "tree": layout.tree,
        "apart": sorted(layout.apart.items()),
        "records": [record_data(r) for r in records],
    }


def gather(out_dir: Path) -> ReportContent:
    """Read OUT (one consistent snapshot, checked against its manifest) into a ReportContent.
    Raises pipeline.sinks.database.LoadError (UsageError when OUT is no output folder)."""
    reader = OutputReader(out_dir)
    try:
        counts: Counter = Counter()
        sources: dict[str, SourceRow] = {}
        articles = []
        for article, records in reader:
            dumped = [r.model_dump(mode="json") for r in records]
            row = sources.setdefault(article.source, SourceRow(article.source))
            row.articles += 1
            for r in dumped:
                row.counts[r["kind"]] += 1
                counts[r["kind"]] += 1
            articles.append(article_data(article.model_dump(mode="json"), dumped))
        errors = [e.model_dump(mode="json") for e in reader.errors()]
        summary = reader.summary()
        manifest = reader.manifest or {}
    finally:
        reader.close()
    return ReportContent(
        out_dir=str(out_dir),
        run={k: manifest[k] for k in ("run_id", "finished_at", "root") if k in manifest},
        versions=dict(summary.get("versions", {})),
        kinds=[*RECORD_KINDS, *sorted(set(counts) - set(RECORD_KINDS))],
        counts=counts,
        sources=sorted(sources.values(), key=lambda s: s.source),
        errors=errors,
        articles=articles,
    )
