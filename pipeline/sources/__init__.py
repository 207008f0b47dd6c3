"""Inputs to articles: find files, decode bytes, parse JSONL/HTML, split pages, repair text.

`read_input(input_file)` yields `Article`s and `ErrorRecord`s; it never raises for bad input.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from datetime import date

from pipeline.records import Article, ErrorRecord
from pipeline.repair import repair_article, repair_page
from pipeline.sources.decode import BinaryInput, DecodeError, decode_bytes
from pipeline.sources.discover import InputFile, SkippedInput, discover
from pipeline.sources.html import extract_html
from pipeline.sources.page import split_page

__all__ = ["DEFAULT_MAX_PAGE_BYTES", "InputFile", "SkippedInput", "discover", "read_bytes", "read_input"]


def _error(source: str, error: str, message: str, article_id: str | None = None) -> ErrorRecord:
    return ErrorRecord(source=source, article_id=article_id, error=error, message=message)


# A page or HTML file larger than this is refused (a hostile or mis-exported input); JSONL batches
# are not limited as a whole, but each of their articles is (MAX_ARTICLE_CHARS).
DEFAULT_MAX_PAGE_BYTES = 20 * 1024 * 1024
MAX_ARTICLE_CHARS = 1_000_000
# A JSONL batch larger than this is read line by line (memory does not grow with the batch) when
# it is UTF-8; smaller ones, and other encodings, are decoded whole as before.
STREAM_JSONL_BYTES = 4 * 1024 * 1024


def read_input(
    item: InputFile, max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
) -> Iterator[Article | ErrorRecord]:
    try:
        size = item.path.stat().st_size
        if item.kind != "jsonl" and size > max_page_bytes:
            yield _error(
                item.source,
                "InputTooLarge",
                f"{size / 2**20:.1f} MB is over the {max_page_bytes / 2**20:.0f} MB limit for one page "
                "(split it, or raise --max-page-mb)",
            )
            return
        if item.kind == "jsonl" and size > STREAM_JSONL_BYTES and _utf8_head(item.path):
            yield from _stream_jsonl(item)
            return
        data = item.path.read_bytes()
    except OSError as exc:
        yield _error(item.source, "UnreadableInput", f"cannot read file: {exc.strerror or exc}")
        return
    yield from read_bytes(data, item.source, item.kind)


def read_bytes(data: bytes, source: str, kind: str) -> Iterator[Article | ErrorRecord]:
    """Articles of one input given its bytes and kind ('txt', 'md', 'jsonl', 'html', 'htm')."""
    if not data.strip():
        yield _error(source, "EmptyInput", "the file is empty or holds only whitespace")
        return
    try:
        text, _encoding = decode_bytes(data)
    except BinaryInput as exc:
        yield _error(source, "BinaryInput", str(exc))
        return
    except DecodeError as exc:
        yield _error(source, "DecodeError", str(exc))
        return
    if kind == "jsonl":
        yield from _read_jsonl(text, source)
    elif kind in ("html", "htm"):
        yield from _read_html(text, source)
    else:
        yield from _read_page(text, source)


def _read_page(text: str, source: str) -> Iterator[Article | ErrorRecord]:
    repaired = repair_page(text)
    if not repaired.strip():
        yield _error(source, "EmptyInput", "no text after repair (only whitespace or control characters)")
        return
    articles, published = split_page(repaired)
    for n, page_article in enumerate(articles, start=1):
        yield Article(
            article_id=f"{source}#{n}",
            source=source,
            title=page_article.title,
            kicker=page_article.kicker,
            byline=page_article.byline,
            section=page_article.section,
            publish_date=published,
            text=page_article.text,
        )


def _read_html(html: str, source: str) -> Iterator[Article | ErrorRecord]:
    page = extract_html(html)
    text = repair_article(page.text)
    if not text:
        yield _error(source, "EmptyInput", "no main text found in the HTML page")
        return
    yield Article(
        article_id=f"{source}#1",
        source=source,
        title=page.title,
        publish_date=page.publish_date,
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


def _stream_jsonl(item: InputFile) -> Iterator[Article | ErrorRecord]:
    """A large UTF-8 JSONL batch, one line at a time; a line that is not UTF-8 becomes an error."""

    def lines() -> Iterator[str | None]:
        with item.path.open("rb") as handle:
            for n, raw in enumerate(handle):
                if n == 0 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[3:]
                try:
                    yield raw.decode("utf-8").removesuffix("\n")
                except UnicodeDecodeError:
                    yield None

    yield from _read_jsonl_lines(lines(), item.source)


def _read_jsonl(text: str, source: str) -> Iterator[Article | ErrorRecord]:
    return _read_jsonl_lines(text.split("\n"), source)


def _read_jsonl_lines(lines: Iterable[str | None], source: str) -> Iterator[Article | ErrorRecord]:
    """One article per line: {"id", "text", "title"?, "publish_date"?, "source"?}. Unknown fields are ignored."""
    for lineno, line in enumerate(lines, start=1):
        if line is None:
            yield _error(f"{source}:{lineno}", "DecodeError", f"line {lineno} is not UTF-8")
            continue
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
        cleaned = repair_article(body)
        if not cleaned:
            yield _error(where, "EmptyInput", f"line {lineno}: 'text' is empty", article_id)
            continue
        title = obj.get("title")
        yield Article(
            article_id=article_id,
            source=str(obj["source"]) if isinstance(obj.get("source"), str) else source,
            title=title if isinstance(title, str) else None,
            publish_date=published,
            text=cleaned,
        )
