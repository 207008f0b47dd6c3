"""A review report of an output folder: one self-contained HTML file (`python -m pipeline report OUT`).

- `content`: what the report shows, read from OUT by the loader's OutputReader;
- `spans`: records' spans nested over the article text (pure);
- `render`: Jinja2 template (templates/report.html.j2, with its CSS and script inline) -> HTML.
"""

from pipeline.report.render import REPORT_FILE, render_report, write_report

__all__ = ["REPORT_FILE", "render_report", "write_report"]
