"""HTML pages: main text, title and date extracted with trafilatura (a well-kept boilerplate remover)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache


@dataclass
class HtmlArticle:
    text: str
    title: str | None
    publish_date: date | None


# Bulletin items are short: trafilatura's default minimum (250 characters) would send them to its
# baseline extractor, which loses paragraph breaks and keeps page furniture.
MIN_EXTRACTED_CHARS = "20"


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", MIN_EXTRACTED_CHARS)
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", MIN_EXTRACTED_CHARS)
    return config


def extract_html(html: str) -> HtmlArticle:
    """Main text (paragraphs one per line, the headline line removed), title and date of a page."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
        config=_config(),
        # the date from the page's metadata and markup only: a year in the text ("2015年以来") is not
        # its publication date
        date_extraction_params={"extensive_search": False, "original_date": True},
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
    title = data.get("title") or None
    text = data.get("text") or ""
    first, _, rest = text.partition("\n")
    if title and first.strip() == title.strip():
        text = rest
    return HtmlArticle(text=text, title=title, publish_date=published)
