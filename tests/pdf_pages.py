"""Newspaper pages as PDF, for the tests and `make corpus-pdf`: reportlab with its built-in STSong-Light
CID font (Chinese with no font file). A small typesetter: headlines across their columns, kicker and
section label above them in a middle size, a small byline, body paragraphs (first line indented two
characters) flowing down one column into the next and onto the next page, sub-headings and photo
captions in the flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FONT = "STSong-Light"


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def width(text: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, _font(), size)


def wrap(text: str, size: float, line_width: float, indent: float = 0.0) -> list[tuple[str, float]]:
    """(line, x offset) pairs: characters filled up to the width, the first line indented."""
    lines: list[tuple[str, float]] = []
    current, offset = "", indent
    for ch in text:
        if current and width(current + ch, size) > line_width - offset:
            lines.append((current, offset))
            current, offset = "", 0.0
        current += ch
    if current:
        lines.append((current, offset))
    return lines


@dataclass
class Story:
    title: str | None
    paragraphs: list[str]
    kicker: str | None = None
    section: str | None = None
    byline: str | None = None  # the line as printed under the headline: "记者 张三 通讯员 李四"
    credit: str | None = None  # printed after the body: "摄影 王五"
    subheadings: set[int] = field(default_factory=set)  # indexes of paragraphs set as sub-headings
    photo: tuple[int, str, str | None] | None = None  # (after paragraph k, caption, credit)


@dataclass
class _Item:
    text: str
    size: float
    x: float  # offset within the column
    height: float
    skip: bool = False  # white space only (a photo)
    below: list[tuple[str, float, float]] = field(default_factory=list)  # (text, size, dy) kept with it


class PdfPageWriter:
    def __init__(
        self,
        path: Path,
        columns: int = 2,
        page: tuple[float, float] = (595.0, 842.0),
        body: float = 9.0,
        headline: float = 18.0,
        heading: float = 11.0,
        small: float = 7.5,
        margin: float = 40.0,
        gutter: float = 14.0,
        leading: float = 1.5,
        header: str | None = None,
        paragraph_gap: float = 0.0,
    ) -> None:
        from reportlab.pdfgen import canvas

        self.canvas = canvas.Canvas(str(path), pagesize=page, invariant=1)  # the same bytes each run
        self.font = _font()
        self.w, self.h = page
        self.columns, self.margin, self.gutter = columns, margin, gutter
        self.body, self.headline, self.heading, self.small = body, headline, heading, small
        self.leading, self.header, self.paragraph_gap = leading, header, paragraph_gap
        self.column_width = (self.w - 2 * margin - (columns - 1) * gutter) / columns
        self.y = 0.0
        self.pages = 0
        self._new_page()

    # -- drawing
    def _new_page(self) -> None:
        if self.pages:
            self.canvas.showPage()
        self.pages += 1
        if self.header:
            self._draw(f"{self.header} 第{self.pages}版", 7.0, self.margin, 28.0)
        self.y = self.margin + 20

    def _draw(self, text: str, size: float, x: float, top: float) -> None:
        self.canvas.setFont(self.font, size)
        self.canvas.drawString(x, self.h - (top + 0.88 * size), text)

    def _span_width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.gutter

    def _x(self, column: int) -> float:
        return self.margin + column * (self.column_width + self.gutter)

    # -- layout
    def _head(self, story: Story, first: int, span: int) -> None:
        """Section label, kicker, headline (wrapped to its span) and byline, across `span` columns."""
        x, band = self._x(first), self._span_width(span)
        for text, size in ((story.section, self.heading), (story.kicker, self.heading)):
            if text:
                self._draw(text, size, x, self.y)
                self.y += size * 1.6
        if story.title:
            for line, _ in wrap(story.title, self.headline, band):
                self._draw(line, self.headline, x, self.y)
                self.y += self.headline * 1.3
            self.y += self.headline * 0.3
        if story.byline:
            self._draw(story.byline, self.small, x, self.y)
            self.y += self.small * 2.2

    def _flow(self, story: Story) -> list[_Item]:
        items: list[_Item] = []
        step = self.body * self.leading
        for k, paragraph in enumerate(story.paragraphs):
            if k in story.subheadings:
                for line, _ in wrap(paragraph, self.heading, self.column_width):
                    items.append(_Item(line, self.heading, 0.0, self.heading * 1.8))
            else:
                for line, x in wrap(paragraph, self.body, self.column_width, 2 * self.body):
                    items.append(_Item(line, self.body, x, step))
                if self.paragraph_gap:
                    items.append(_Item("", self.body, 0.0, self.paragraph_gap, skip=True))
            if story.photo and story.photo[0] == k:
                # the photo (white space), its caption and credit: one item, never split by a column
                lines = [line for line, _ in wrap(story.photo[1], self.small, self.column_width)]
                lines += [story.photo[2]] if story.photo[2] else []
                below = [(line, self.small, 60.0 + n * self.small * 1.5) for n, line in enumerate(lines)]
                items.append(
                    _Item("", self.body, 0.0, 60.0 + len(lines) * self.small * 1.5 + step, True, below)
                )
        if story.credit:
            text_width = width(story.credit, self.small)
            items.append(_Item(story.credit, self.small, self.column_width - text_width, step))
        return items

    def _fill(self, items: list[_Item], first: int, span: int, bottom: float) -> list[_Item]:
        """Items balanced over `span` columns from self.y down to at most `bottom`; the rest returned."""
        room = bottom - self.y

        def split(height: float) -> list[int]:
            cuts, used, column = [], 0.0, 0
            for n, item in enumerate(items):
                if used + item.height > height:
                    column += 1
                    cuts.append(n)
                    used = 0.0
                    if column == span:
                        return cuts
                used += item.height
            return cuts

        low, high = 0.0, room
        if len(split(room)) < span:  # all fits: the shortest height that still holds it all
            for _ in range(30):
                middle = (low + high) / 2
                low, high = (middle, high) if len(split(middle)) >= span else (low, middle)
            height = high
        else:
            height = room
        cuts = split(height)
        ends = [*cuts[:span], *[len(items)] * span][:span]  # where each column's items end
        bounds = [0, *ends]
        used_height = 0.0
        for column in range(span):
            top = self.y
            for item in items[bounds[column] : bounds[column + 1]]:
                if not item.skip:
                    self._draw(item.text, item.size, self._x(first + column) + item.x, top)
                for text, size, dy in item.below:
                    self._draw(text, size, self._x(first + column), top + dy)
                top += item.height
            used_height = max(used_height, top - self.y)
        self.y += used_height + self.body * 2
        return items[bounds[span] :]

    def add(self, story: Story, span: int | None = None) -> None:
        """A story across `span` columns (default all), continued on the next page when it is long."""
        span = span or self.columns
        if self.y > self.h - self.margin - 200:  # room for a headline and a photo under it
            self._new_page()
        self._head(story, 0, span)
        rest = self._fill(self._flow(story), 0, span, self.h - self.margin)
        while rest:
            self._new_page()
            rest = self._fill(rest, 0, span, self.h - self.margin)

    def add_side_by_side(self, stories: list[Story]) -> None:
        """Stories next to each other, each in its share of the columns (each must fit the page)."""
        span = self.columns // len(stories)
        top, lowest = self.y, self.y
        for n, story in enumerate(stories):
            self.y = top
            self._head(story, n * span, span)
            rest = self._fill(self._flow(story), n * span, span, self.h - self.margin)
            assert not rest, "a story side by side must fit on its page"
            lowest = max(lowest, self.y)
        self.y = lowest

    def save(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


def write_stories(path: Path, stories: list[Story], **options) -> Path:
    writer = PdfPageWriter(path, **options)
    for story in stories:
        writer.add(story)
    writer.save()
    return path
