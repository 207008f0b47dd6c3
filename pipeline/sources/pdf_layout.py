"""Newspaper page layout from positioned characters: lines, columns in reading order, paragraphs,
articles. Pure functions over lists of boxes (no PDF library here: pipeline/sources/pdf.py reads the
file and hands over `PdfPage`s).

Coordinates are PDF points with y growing downwards (top of the page is 0). The steps:

1. `group_lines`: characters on one baseline and close together form a line (a wide gap, a column
   gutter, splits it); its size is its characters' most common font size.
2. `reading_order`: lines into columns, recursively (a variant of the XY cut): white space across
   the region above a headline starts a new module (top to bottom); a gutter running through the
   whole region splits it into columns (left to right); otherwise the region is cut into bands (top
   to bottom) at the lines that cross a gutter of its body lines (a headline across columns, with
   the section label or kicker set apart above it).
3. `classify`: against the body size (the most common size of the document's characters) a line is
   a headline (>= HEADLINE_RATIO), a mid-size heading (kicker, subtitle, section label or
   sub-heading), body text, or small text (a caption), and a byline when its text is one.
4. `assemble`: the lines of all pages in reading order become articles: a heading stack with a
   headline starts one (lines above it: section and kicker; below: a subtitle, kept as the first
   paragraph), a byline after it gives its names, body lines join into paragraphs (a new paragraph
   at an indented first line, after a short last line, or after a blank gap) and run on across
   columns and pages until the next headline; small-type blocks are caption articles of their own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from pipeline.repair import normalise_chars
from pipeline.sources.page import PageArticle, _header, page_date, parse_byline

# Font sizes relative to the body size.
HEADLINE_RATIO = 1.4  # a headline is set at least this much larger than body text
HEADING_RATIO = 1.1  # kicker, subtitle, section label, sub-heading: between this and HEADLINE_RATIO
SMALL_RATIO = 0.9  # captions and page furniture: smaller than this
# Distances in units of the line's font size.
LINE_GAP = 0.9  # a horizontal gap wider than this ends a line (a column gutter)
SPACE_GAP = 1.2  # ... or this wide when space glyphs fill it
MODULE_GAP = 1.2  # white space across a region above a headline, in body sizes: a module boundary
GUTTER = 0.9  # the narrowest white space between two columns, in body sizes
INDENT = 0.8  # a first line starts at least this far right of its column's left edge
SHORT_LINE = 1.5  # a last line ends at least this far left of its column's right edge
BLANK_GAP = 0.5  # a gap this much larger than the column's usual line gap is a blank line
FURNITURE_BAND = 0.05  # small text within this share of the page height at its top or bottom
_SPACE = " \u3000\t\xa0"


@dataclass(frozen=True)
class Char:
    """A character's box, or a run's: characters on one baseline set without a gap (the PDF adapter
    hands over runs, so that it makes a few calls per run, not per character)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float


@dataclass(frozen=True)
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]


@dataclass
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    page: int = 1
    column: int = 0  # index of the reading-order leaf (column or band) the line is in, per document
    kind: str = "body"  # headline | heading | body | small | byline | furniture
    # a space glyph (before, after) the line's text: a headline broken at the space between its phrases
    spaced: tuple[bool, bool] = (False, False)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


# --------------------------------------------------------------------------- 1. lines


def _mode_size(sizes: list[float]) -> float:
    return Counter(round(s * 2) / 2 for s in sizes).most_common(1)[0][0]


def _line_from(chars: list[Char], page: int) -> Line | None:
    parts: list[str] = []
    previous: Char | None = None
    for ch in chars:
        if ch.text in _SPACE:
            if parts and parts[-1] != " ":
                parts.append(" ")
            previous = None
            continue
        if previous is not None and parts and parts[-1] != " ":
            gap = ch.x0 - previous.x1
            ascii_side = previous.text[-1].isascii() and ch.text[0].isascii()
            if gap > 0.6 * ch.size or (ascii_side and gap > 0.2 * ch.size):
                parts.append(" ")
        parts.append(ch.text)
        previous = ch
    joined = "".join(parts)
    text = joined.strip()
    if not text:
        return None
    visible = [c for c in chars if c.text not in _SPACE] or chars
    return Line(
        text=text,
        x0=min(c.x0 for c in visible),
        top=min(c.top for c in visible),
        x1=max(c.x1 for c in visible),
        bottom=max(c.bottom for c in visible),
        size=_mode_size([c.size for c in visible]),
        page=page,
        spaced=(chars[0].text[:1] in _SPACE, joined != joined.rstrip()),
    )


def group_lines(chars: list[Char], page: int = 1) -> list[Line]:
    """Characters to lines: a row is the characters whose vertical centres lie within a third of
    the font size of the row's first character; a row splits at gaps wider than LINE_GAP sizes."""
    rows: list[list[Char]] = []
    anchor = 0.0
    for ch in sorted(chars, key=lambda c: ((c.top + c.bottom) / 2, c.x0)):
        centre = (ch.top + ch.bottom) / 2
        if rows and abs(centre - anchor) <= 0.35 * min(ch.size, rows[-1][0].size):
            rows[-1].append(ch)
        else:
            rows.append([ch])
            anchor = centre
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda c: c.x0)
        piece: list[Char] = [row[0]]
        seen: Char | None = None if row[0].text.isspace() else row[0]  # the last visible one
        for ch in row[1:]:
            if ch.text.isspace():
                piece.append(ch)
                continue
            if seen is not None:
                size = max(ch.size, seen.size)
                gap, bridged = ch.x0 - seen.x1, piece[-1].text.isspace()
                # space glyphs bridge a gap up to SPACE_GAP (a full-width space between a headline's
                # phrases), not a gutter padded with spaces
                if gap > (SPACE_GAP if bridged else LINE_GAP) * size or (
                    not bridged and ch.x0 - piece[-1].x1 > LINE_GAP * size
                ):
                    # trailing spaces nearer to this character than to the last one are this line's
                    middle = (seen.x1 + ch.x0) / 2
                    carried = [c for c in piece if c.text.isspace() and c.x0 >= middle]
                    lines.append(_line_from([c for c in piece if c not in carried], page))
                    piece = carried
            piece.append(ch)
            seen = ch
        lines.append(_line_from(piece, page))
    return [line for line in lines if line is not None]


# --------------------------------------------------------------------------- 2. reading order


def _white(intervals: list[tuple[float, float]], gutter: float) -> list[tuple[float, float]]:
    """The white x-intervals at least `gutter` wide between the given intervals (not at the edges)."""
    white = []
    ordered = sorted(intervals)
    cursor = ordered[0][1] if ordered else 0.0
    for a, b in ordered[1:]:
        if a - cursor >= gutter:
            white.append((cursor, a))
        cursor = max(cursor, b)
    return white


def reading_order(lines: list[Line], body_size: float) -> list[list[Line]]:
    """Lines grouped into columns and bands, in reading order; each group top to bottom."""
    return _region(lines, body_size)


def _is_body(line: Line, body_size: float) -> bool:
    return SMALL_RATIO <= line.size / body_size < HEADING_RATIO


def _region(lines: list[Line], body_size: float) -> list[list[Line]]:
    if len(lines) <= 1:
        return [lines] if lines else []
    gutter = GUTTER * body_size
    modules = _module_cuts(lines, body_size)
    if len(modules) > 1:  # white space across the region above a headline: modules, top to bottom
        return [leaf for module in modules for leaf in _region(module, body_size)]
    cuts = _white([(ln.x0, ln.x1) for ln in lines], gutter)
    if cuts:  # gutters through the whole region: columns, left to right
        edges = [a for a, _ in cuts] + [float("inf")]
        columns: list[list[Line]] = [[] for _ in edges]
        for ln in lines:
            columns[next(i for i, edge in enumerate(edges) if ln.x1 <= edge + 0.01)].append(ln)
        return [leaf for column in columns for leaf in _region(column, body_size)]
    bands = _bands(sorted(lines, key=lambda ln: (ln.top, ln.x0)), body_size, gutter)
    if len(bands) == 1:
        return bands
    return [leaf for band in bands for leaf in _region(band, body_size)]


def _module_cuts(lines: list[Line], body_size: float) -> list[list[Line]]:
    """The region cut above each headline (with its kicker or section label) that has white space
    across the whole region above it: a new article module starts there."""
    ordered = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    modules: list[list[Line]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for n in range(1, len(ordered)):
        ln = ordered[n]
        if ln.top - bottom >= MODULE_GAP * body_size and _starts_with_headline(ordered[n:], body_size):
            modules.append([])
        modules[-1].append(ln)
        bottom = max(bottom, ln.bottom)
    return modules


def _starts_with_headline(lines: list[Line], body_size: float) -> bool:
    for ln in lines:
        if ln.size / body_size >= HEADLINE_RATIO:
            return True
        if ln.size / body_size < HEADING_RATIO:
            return False
    return False


def _bands(ordered: list[Line], body_size: float, gutter: float) -> list[list[Line]]:
    """Top to bottom: the region's gutters are the white intervals between its body lines; lines
    that cross one (headlines across columns) are bands of their own, between the bands of lines
    that stay inside one column."""
    gutters = _white([(ln.x0, ln.x1) for ln in ordered if _is_body(ln, body_size)], gutter)
    bands: list[list[Line]] = []
    previous: bool | None = None
    for ln in ordered:
        spans = _crosses(ln, gutters, body_size)
        if previous is None or spans != previous:
            bands.append([])
        bands[-1].append(ln)
        previous = spans
    for k in range(1, len(bands)):
        if bands[k] and _crosses(bands[k][0], gutters, body_size):
            labels = _trailing_labels(bands[k - 1], body_size)
            if labels:
                bands[k - 1] = bands[k - 1][: len(bands[k - 1]) - len(labels)]
                bands[k] = labels + bands[k]
    return [band for band in bands if band]


def _crosses(line: Line, gutters: list[tuple[float, float]], body_size: float) -> bool:
    """The line runs across a whole gutter, from its left side to its right (within a quarter of a
    character): not a line that starts inside one (a gutter can look wider than it is where the
    next column's only body line is indented)."""
    slack = 0.25 * body_size
    return any(line.x0 < g0 + slack and line.x1 > g1 - slack for g0, g1 in gutters)


def _trailing_labels(band: list[Line], body_size: float) -> list[Line]:
    """The band's last lines when they are headings (a section label, a kicker over the headline
    below) set apart from everything above them by white space across the region."""
    for n in range(len(band) - 1, 0, -1):
        tail, head = band[n:], band[:n]
        if any(_is_body(ln, body_size) for ln in tail):
            return []
        if min(ln.top for ln in tail) - max(ln.bottom for ln in head) > body_size:
            return tail
    return []


# --------------------------------------------------------------------------- 3. line kinds


def body_size(lines: list[Line]) -> float:
    """The most common font size, weighted by characters: the body text's."""
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[ln.size] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def classify(line: Line, body: float, page_height: float) -> str:
    ratio = line.size / body
    if ratio < HEADLINE_RATIO and parse_byline(line.text):
        return "byline"
    if ratio >= HEADLINE_RATIO:
        return "headline"
    if ratio >= HEADING_RATIO:
        return "heading"
    if ratio >= SMALL_RATIO:
        return "body"
    band = FURNITURE_BAND * page_height
    if line.bottom <= band or line.top >= page_height - band:
        return "furniture"  # a page header or footer in small type: its date is the page's
    return "small"


def layout_pages(pages: list[PdfPage]) -> list[Line]:
    """All pages' lines in reading order, each with its kind and its reading-order leaf."""
    per_page = [group_lines(page.chars, page.number) for page in pages]
    body = body_size([ln for lines in per_page for ln in lines])
    ordered: list[Line] = []
    leaf = 0
    for page, lines in zip(pages, per_page, strict=True):
        for group in reading_order(lines, body):
            for ln in group:
                ln.column = leaf
                ln.kind = classify(ln, body, page.height)
                ordered.append(ln)
            leaf += 1
    return ordered


# --------------------------------------------------------------------------- 4. articles


def _join(left: str, right: str) -> str:
    if not left:
        return right
    sep = (
        " "
        if left[-1].isascii() and left[-1].isalpha() and right[:1].isascii() and right[:1].isalpha()
        else ""
    )
    return left + sep + right


@dataclass
class _Columns:
    """Left and right edges and the usual line gap of each reading-order leaf's body lines."""

    left: dict[int, float] = field(default_factory=dict)
    right: dict[int, float] = field(default_factory=dict)
    gap: dict[int, float] = field(default_factory=dict)

    @classmethod
    def of(cls, lines: list[Line]) -> _Columns:
        columns = cls()
        by_leaf: dict[int, list[Line]] = {}
        edge: dict[int, float] = {}  # the leftmost start of any line: when every body line of a
        for ln in lines:  # column is a one-line, indented paragraph, its headline shows the edge
            edge[ln.column] = min(edge.get(ln.column, ln.x0), ln.x0)
            if ln.kind == "body":
                by_leaf.setdefault(ln.column, []).append(ln)
        for leaf, body in by_leaf.items():
            columns.left[leaf] = edge[leaf]
            columns.right[leaf] = max(ln.x1 for ln in body)
            gaps = sorted(b.top - a.bottom for a, b in zip(body, body[1:], strict=False) if b.top >= a.bottom)
            columns.gap[leaf] = gaps[len(gaps) // 2] if gaps else 0.0
        return columns


def _new_paragraph(prev: Line, line: Line, columns: _Columns, gap_counts: bool = True) -> bool:
    """`gap_counts`: nothing (a caption, a photo) stood between the two lines."""
    size = line.size
    if line.x0 - columns.left.get(line.column, line.x0) > INDENT * size:
        return True
    if columns.right.get(prev.column, prev.x1) - prev.x1 > SHORT_LINE * size:
        return True
    if prev.column == line.column and gap_counts:
        return line.top - prev.bottom > columns.gap.get(line.column, 0.0) + BLANK_GAP * size
    return False


def _stacked(upper: Line, lower: Line) -> bool:
    """`lower` sits right under `upper` (a kicker over its headline, a headline's second line), not
    in another column or module: same page, overlapping across, less than two of its lines below."""
    return (
        upper.page == lower.page
        and lower.x0 < upper.x1
        and upper.x0 < lower.x1
        and -0.5 * lower.size <= lower.top - upper.bottom <= 2 * max(upper.size, lower.size)
    )


def _heading_text(lines: list[Line]) -> str:
    """One heading from its lines: a headline wrapped over lines of one size is one title."""
    text = ""
    for n, ln in enumerate(lines):
        spaced = n and (lines[n - 1].spaced[1] or ln.spaced[0])
        text = f"{text} {ln.text}" if spaced else _join(text, ln.text)
    return normalise_chars(text)


def _stack_parts(stack: list[Line]) -> tuple[list[str], str | None, list[str]]:
    """(headings above the title, the title, subtitles below it) of a heading stack."""
    top = max(ln.size for ln in stack)
    first = next(i for i, ln in enumerate(stack) if ln.size == top)
    last = first
    while last + 1 < len(stack) and stack[last + 1].size == top:
        last += 1
    above = [normalise_chars(ln.text) for ln in stack[:first]]
    below = [normalise_chars(ln.text) for ln in stack[last + 1 :]]
    return above, _heading_text(stack[first : last + 1]), below


def assemble(lines: list[Line]) -> tuple[list[PageArticle], date | None]:
    """Articles from the document's lines in reading order (kinds set) and the date in its header."""
    columns = _Columns.of(lines)
    articles: list[PageArticle] = []
    section: str | None = None
    published: date | None = None
    current: PageArticle | None = None  # the article body lines go to
    caption: PageArticle | None = None  # the last caption
    last: Line | None = None  # the previous body line of `current`
    caption_last: Line | None = None  # the previous line of `caption`
    interrupted = False  # a caption came between `last` and the next body line
    i = 0

    def start(headings: list[str], title: str | None) -> PageArticle:
        nonlocal section
        section, kicker, title = _header([*headings, title] if title else headings, section)
        article = PageArticle(title=title, kicker=kicker, section=section)
        articles.append(article)
        return article

    def paragraph_break(article: PageArticle) -> None:
        if article.paragraphs and article.paragraphs[-1] != "":
            article.paragraphs.append("")

    while i < len(lines):
        ln = lines[i]
        if ln.kind == "furniture" or (current is None and published is None and page_date(ln.text)):
            published = published or page_date(ln.text)
            i += 1
            continue
        if ln.kind in ("headline", "heading"):
            j = i + 1
            while (
                j < len(lines)
                and lines[j].kind in ("headline", "heading")
                and _stacked(lines[j - 1], lines[j])
            ):
                j += 1
            stack = lines[i:j]
            byline_next = j < len(lines) and lines[j].kind == "byline"
            if any(s.kind == "headline" for s in stack) or byline_next or current is None:
                above, title, below = _stack_parts(stack)
                current = start(above, title)
                for subtitle in below:
                    current.subheadings.append(len(current.paragraphs))
                    current.paragraphs.extend([subtitle, ""])
                last, caption = None, None
            else:  # sub-headings inside the article
                paragraph_break(current)
                for heading in _group_by_column(stack):
                    current.subheadings.append(len(current.paragraphs))
                    current.paragraphs.extend([_heading_text(heading), ""])
                last = None
            i = j
            continue
        if ln.kind == "byline":
            names = parse_byline(ln.text).names
            if caption is not None and caption_last is not None and _stacked(caption_last, ln):
                caption.byline.extend(names)  # the photo credit under its caption
                caption_last = None
            elif current is None:
                current = start([], None)
                current.byline.extend(names)
            else:
                current.byline.extend(names)
            i += 1
            continue
        if ln.kind == "small":  # a caption: lines stacked under each other, one paragraph
            if caption is None or caption_last is None or not _stacked(caption_last, ln):
                caption = PageArticle(section=section, paragraphs=[""])
                articles.append(caption)
            caption.paragraphs[-1] = _join(caption.paragraphs[-1], normalise_chars(ln.text))
            caption_last, interrupted = ln, True
            i += 1
            continue
        # body text
        if current is None:
            current = start([], None)
        if last is None or _new_paragraph(last, ln, columns, not interrupted):
            paragraph_break(current)
        if not current.paragraphs:
            current.paragraphs.append("")
        current.paragraphs[-1] = _join(current.paragraphs[-1], normalise_chars(ln.text).strip())
        last, interrupted = ln, False
        i += 1
    for article in articles:
        _close(article)
    return [a for a in articles if a.paragraphs or a.title], published


def _group_by_column(stack: list[Line]) -> list[list[Line]]:
    """Consecutive heading lines of one size in one column are one (wrapped) heading."""
    groups: list[list[Line]] = []
    for ln in stack:
        if groups and groups[-1][-1].column == ln.column and groups[-1][-1].size == ln.size:
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _close(article: PageArticle) -> None:
    """Empty paragraph markers dropped, sub-heading indexes moved with them."""
    kept: list[str] = []
    subheadings: list[int] = []
    marks = set(article.subheadings)
    for n, paragraph in enumerate(article.paragraphs):
        paragraph = paragraph.strip(_SPACE)
        if not paragraph:
            continue
        if n in marks:
            subheadings.append(len(kept))
        kept.append(paragraph)
    article.paragraphs, article.subheadings = kept, subheadings


def read_layout(pages: list[PdfPage]) -> tuple[list[PageArticle], date | None]:
    """The articles of a document's pages (all pages: an article runs on across them)."""
    return assemble(layout_pages(pages))
