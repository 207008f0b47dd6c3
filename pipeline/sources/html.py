"""HTML pages: main text, title and date extracted with trafilatura (a well-kept boilerplate remover)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass
class HtmlArticle:
    text: str
    title: str | None
    publish_date: date | None


def extract_html(html: str) -> HtmlArticle:
    import trafilatura

    result = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True
    )
    if result is None:
        return HtmlArticle(text="", title=None, publish_date=None)
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    published = None
    if data.get("date"):
        try:
            published = date.fromisoformat(str(data["date"])[:10])
        except ValueError:
            published = None
    return HtmlArticle(text=data.get("text") or "", title=data.get("title") or None, publish_date=published)
