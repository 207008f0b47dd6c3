"""The report as one self-contained HTML file: Jinja2 (autoescaped) renders the overview and
embeds the articles as a JSON blob that the page's own script renders a page at a time."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from pipeline.report.content import ReportContent, gather
from pipeline.sinks.jsonl import atomic_writer

REPORT_FILE = "report.html"
PAGE_SIZE = 20  # articles rendered at a time


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # |tojson escapes < > & ' (no </script> can end the blob); keep Chinese as UTF-8, not \uXXXX.
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return env


def render_report(content: ReportContent) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(
        c=content,
        page_size=PAGE_SIZE,
        data={"kinds": content.kinds, "articles": content.articles},
        sources_open=len(content.sources) <= 30,
        errors_open=0 < len(content.errors) <= 30,
    )


def write_report(out_dir: Path, path: Path | None = None) -> Path:
    """Write the report of OUT to `path` (default OUT/report.html), atomically; returns the path.
    Raises pipeline.sinks.database.LoadError (UsageError when OUT is no output folder)."""
    path = Path(path) if path is not None else Path(out_dir) / REPORT_FILE
    html = render_report(gather(Path(out_dir)))
    with atomic_writer(path) as handle:
        handle.write(html)
    return path
