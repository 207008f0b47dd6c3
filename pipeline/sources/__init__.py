"""Inputs to articles: find files, decode bytes, parse JSONL/HTML, lay out PDF pages, split pages,
repair text.

`read_input(input_file)` yields `Article`s and `ErrorRecord`s; it never raises for bad input.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from pipeline.records import Article, ErrorRecord
from pipeline.repair import repair_article, repair_page
from pipeline.sources.decode import BinaryInput, DecodeError, decode_replacing, decode_text
from pipeline.sources.discover import InputFile, SkippedInput, discover, safe_id, safe_text
from pipeline.sources.html import extract_html
from pipeline.sources.page import PageArticle, split_page
from pipeline.sources.pdf import PDF_SIZE_FACTOR, load_pages
from pipeline.sources.pdf_layout import read_layout

__all__ = ["DEFAULT_MAX_PAGE_BYTES", "InputFile", "SkippedInput", "discover", "read_bytes", "read_input"]


def _error(source: str, error: str, message: str, article_id: str | None = None) -> ErrorRecord:
    return ErrorRecord(
        source=safe_text(source),
        article_id=None if article_id is None else safe_id(article_id),
        error=error,
        message=safe_text(message),
    )


def _damage_error(source: str, offsets: list[int], where: str = "") -> ErrorRecord:
    shown = ", ".join(str(o) for o in offsets[:10]) + (", ..." if len(offsets) > 10 else "")
    return _error(
        source,
        "DamagedBytes",
        f"{where}{len(offsets)} invalid byte sequence(s) replaced by U+FFFD at byte offset(s) {shown}; "
        "every article is kept",
    )


# A date in a file or folder name: 2021-04-02, 2021_04_02, 20210402 (not inside a longer number).
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_name(source: str) -> date | None:
    """The last date written in the input's path (file name before folders), if any."""
    for match in reversed(list(_NAME_DATE.finditer(source))):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


# A page or HTML file larger than this is refused (a hostile or mis-exported input); JSONL batches
# are not limited as a whole, but each of their articles is (MAX_ARTICLE_CHARS).
DEFAULT_MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_ARTICLE_CHARS = 5_000_000
# A JSONL batch larger than this is read line by line (memory does not grow with the batch) when
# it is UTF-8; smaller ones, and other encodings, are decoded whole as before.
STREAM_JSONL_BYTES = 4 * 1024 * 1024


def read_input(
    item: InputFile, max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES, publish_date: date | None = None
) -> Iterator[Article | ErrorRecord]:
    """`publish_date`: the date of articles that state none (no JSONL field, dateline, HTML date or
    date in the file name)."""
    try:
        size = item.path.stat().st_size
        limit = max_page_bytes * (PDF_SIZE_FACTOR if item.kind == "pdf" else 1)
        if item.kind != "jsonl" and size > limit:
            what = "a PDF file" if item.kind == "pdf" else "one page"
            yield _error(
                item.source,
                "InputTooLarge",
                f"{size / 2**20:.1f} MB is over the {limit / 2**20:.0f} MB limit for {what} "
                "(split it, or raise --max-page-mb)",
            )
            return
        if item.kind == "jsonl" and size > STREAM_JSONL_BYTES and _utf8_head(item.path):
            yield from _stream_jsonl(item, publish_date)
            return
        data = item.path.read_bytes()
    except OSError as exc:
        yield _error(item.source, "UnreadableInput", f"cannot read file: {exc.strerror or exc}")
        return
    yield from read_bytes(data, item.source, item.kind, publish_date)


def read_bytes(
    data: bytes, source: str, kind: str, publish_date: date | None = None
) -> Iterator[Article | ErrorRecord]:
    """Articles of one input given its bytes and kind ('txt', 'md', 'jsonl', 'html', 'htm', 'pdf')."""
    source = safe_text(source)
    if not data.strip():
        yield _error(source, "EmptyInput", "the file is empty or holds only whitespace")
        return
    if kind == "pdf":
        yield from _read_pdf(data, source, publish_date)
        return
    try:
        decoded = decode_text(data)
    except BinaryInput as exc:
        yield _error(source, "BinaryInput", str(exc))
        return
    except DecodeError as exc:
        yield _error(source, "DecodeError", str(exc))
        return
    if decoded.damaged:
        yield _damage_error(source, decoded.damaged)
    text = safe_text(decoded.text)
    if kind == "jsonl":
        yield from _read_jsonl(text, source, publish_date)
    elif kind in ("html", "htm"):
        yield from _read_html(text, source, publish_date)
    else:
        yield from _read_page(text, source, publish_date)


def _read_page(text: str, source: str, publish_date: date | None = None) -> Iterator[Article | ErrorRecord]:
    repaired = repair_page(text)
    if not repaired.strip():
        yield _error(source, "EmptyInput", "no text after repair (only whitespace or control characters)")
        return
    articles, published = split_page(repaired)
    yield from _page_articles(articles, source, published or date_from_name(source) or publish_date)


def _read_pdf(data: bytes, source: str, publish_date: date | None = None) -> Iterator[Article | ErrorRecord]:
    """A PDF's pages laid out into articles (an article runs on across columns and pages); each bad
    page or file problem an error naming the page (`<file>:<page>`)."""
    loaded = load_pages(data)
    for problem in loaded.problems:
        where = source if problem.page is None else f"{source}:{problem.page}"
        yield _error(where, problem.error, problem.message)
    if not loaded.pages:
        if not loaded.problems:
            yield _error(source, "EmptyInput", "no text on any page of the PDF")
        return
    try:
        articles, published = read_layout(loaded.pages)
    except Exception:  # a layout bug on one page must not cost the others: lay them out alone
        articles, published = [], None
        for page in loaded.pages:
            try:
                page_articles, page_published = read_layout([page])
            except Exception as page_exc:
                yield _error(
                    f"{source}:{page.number}",
                    "PdfLayoutError",
                    f"page {page.number}: its layout could not be read ({type(page_exc).__name__}: {page_exc})",
                )
                continue
            articles.extend(page_articles)
            published = published or page_published
    yield from _page_articles(articles, source, published or date_from_name(source) or publish_date)


def _page_articles(
    articles: list[PageArticle], source: str, published: date | None
) -> Iterator[Article | ErrorRecord]:
    """The articles of one page (or PDF), ids `<source>#<n>` in page order."""
    for n, page_article in enumerate(articles, start=1):
        yield Article(
            article_id=safe_id(f"{source}#{n}"),
            source=source,
            title=page_article.title,
            kicker=page_article.kicker,
            byline=page_article.byline,
            section=page_article.section,
            publish_date=published,
            text=page_article.text,
        )


def _read_html(html: str, source: str, publish_date: date | None = None) -> Iterator[Article | ErrorRecord]:
    page = extract_html(html)
    text = repair_article(safe_text(page.text))
    if not text:
        yield _error(source, "EmptyInput", "no main text found in the HTML page")
        return
    yield Article(
        article_id=safe_id(f"{source}#1"),
        source=source,
        title=safe_text(page.title) if page.title else None,
        publish_date=page.publish_date or date_from_name(source) or publish_date,
        text=text,
    )


def _utf8_head(path) -> bool:
    """The first 64 KB are UTF-8 (BOM or not) up to their last complete line."""
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    try:
        head[: head.rfind(b"\n") + 1].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in head


@dataclass
class _DamagedLine:
    text: str
    offsets: list[int]  # in the file


def _stream_jsonl(item: InputFile, publish_date: date | None = None) -> Iterator[Article | ErrorRecord]:
    """A large UTF-8 JSONL batch, one line at a time; a line with invalid UTF-8 is kept with the
    bad bytes replaced (and reported)."""

    def lines() -> Iterator[str | _DamagedLine]:
        offset = 0
        with item.path.open("rb") as handle:
            for n, raw in enumerate(handle):
                start = offset
                offset += len(raw)
                if n == 0 and raw.startswith(codecs.BOM_UTF8):
                    raw, start = raw[3:], start + 3
                try:
                    yield raw.decode("utf-8").removesuffix("\n")
                except UnicodeDecodeError:
                    text, damaged = decode_replacing(raw)
                    yield _DamagedLine(text.removesuffix("\n"), [start + d for d in damaged])

    yield from _read_jsonl_lines(lines(), safe_text(item.source), publish_date)


def _read_jsonl(text: str, source: str, publish_date: date | None = None) -> Iterator[Article | ErrorRecord]:
    return _read_jsonl_lines(text.split("\n"), source, publish_date)


def _read_jsonl_lines(
    lines: Iterable[str | _DamagedLine], source: str, publish_date: date | None = None
) -> Iterator[Article | ErrorRecord]:
    """One article per line: {"id", "text", "title"?, "publish_date"?, "source"?}. Unknown fields are ignored."""
    for lineno, line in enumerate(lines, start=1):
        if isinstance(line, _DamagedLine):
            yield _damage_error(f"{source}:{lineno}", line.offsets, f"line {lineno}: ")
            line = line.text
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error(where, "InvalidJSON", f"line {lineno} is not valid JSON: {exc.msg}")
            continue
        if not isinstance(obj, dict):
            yield _error(where, "InvalidJSON", f"line {lineno} is not a JSON object")
            continue
        article_id = obj.get("id")
        if not isinstance(article_id, str) or not article_id.strip():
            yield _error(where, "MissingField", f"line {lineno} has no string 'id'")
            continue
        body = obj.get("text")
        if not isinstance(body, str):
            kind = "MissingField" if body is None else "InvalidField"
            yield _error(where, kind, f"line {lineno}: 'text' must be a string", article_id)
            continue
        published = obj.get("publish_date")
        if published is not None:
            try:
                published = date.fromisoformat(str(published))
            except ValueError:
                yield _error(
                    where,
                    "InvalidField",
                    f"line {lineno}: publish_date {published!r} is not YYYY-MM-DD",
                    article_id,
                )
                continue
        if len(body) > MAX_ARTICLE_CHARS:
            yield _error(
                where,
                "ArticleTooLong",
                f"line {lineno}: {len(body)} characters, over the {MAX_ARTICLE_CHARS} limit for one article",
                article_id,
            )
            continue
        cleaned = repair_article(safe_text(body))
        if not cleaned:
            yield _error(where, "EmptyInput", f"line {lineno}: 'text' is empty", article_id)
            continue
        title = obj.get("title")
        yield Article(
            article_id=safe_id(article_id),
            source=safe_text(obj["source"]) if isinstance(obj.get("source"), str) else source,
            title=safe_text(title) if isinstance(title, str) else None,
            publish_date=published or publish_date,
            text=cleaned,
        )
