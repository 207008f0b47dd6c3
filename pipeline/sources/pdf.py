"""PDF pages in: each page's characters, with positions and font sizes, read with pypdfium2 (PDFium,
chosen by measurement: README "PDF input"), then laid out into articles by pdf_layout.

Bad files are errors, never exceptions: a file that is not a PDF (NotAPdf), one that needs a password
(EncryptedPdf), one PDFium cannot open or had to rebuild (DamagedPdf), one with more pages than
MAX_PDF_PAGES (PdfTooManyPages: the first pages are read), a page with no text (NoTextLayer: a scan,
to be OCRed first) or that fails to read (UnreadablePdfPage). A bad page costs only its own text.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass

from pipeline.sources.pdf_layout import Char, PdfPage

# Pages read from one file; the rest are reported (PdfTooManyPages). A daily edition has far fewer.
MAX_PDF_PAGES = 200
# A PDF may be this many times larger than the --max-page-mb limit for a text page (photos).
PDF_SIZE_FACTOR = 10
# Share of a page's characters without a Unicode mapping above which its text layer is useless.
MAX_UNMAPPED = 0.5
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.DOTALL)
_XREF_AT = re.compile(rb"\s*(xref\b|\d+\s+\d+\s+obj\b)")
# The stroke width that gives a text object with an empty box one PDFium's text page keeps (_unhide).
_UNHIDE_STROKE = 0.5


@dataclass(frozen=True)
class PdfProblem:
    """One error of a PDF file or page: `error` a stable class name; `page` 1-based or None."""

    error: str
    message: str
    page: int | None = None


@dataclass
class PdfPages:
    pages: list[PdfPage]
    problems: list[PdfProblem]
    page_count: int = 0


def _kind_of(head: bytes) -> str:
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype" in lowered or b"<head" in lowered:
        return "an HTML page (save it as .html to read it)"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive"
    return "not a PDF"


def _xref_ok(data: bytes) -> bool:
    """The last `startxref` points at a cross-reference table or stream."""
    found = list(_STARTXREF.finditer(data[-4096:]))
    if not found:
        return False
    offset = int(found[-1][1])
    return offset < len(data) and bool(_XREF_AT.match(data, offset))


def load_pages(data: bytes, max_pages: int = MAX_PDF_PAGES) -> PdfPages:
    """The characters of each readable page, and the problems met."""
    import pypdfium2 as pdfium

    problems: list[PdfProblem] = []
    start = data.find(b"%PDF-", 0, 1024)
    if start < 0:
        return PdfPages(
            [], [PdfProblem("NotAPdf", f"the file is {_kind_of(data[:1024])}, not a PDF document")]
        )
    rebuilt = not _xref_ok(data)
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            return PdfPages(
                [],
                [PdfProblem("EncryptedPdf", "the PDF is encrypted: decrypt it (it needs a password) first")],
            )
        return PdfPages(
            [], [PdfProblem("DamagedPdf", f"the PDF cannot be opened ({exc}): it is broken or truncated")]
        )
    try:
        count = len(doc)
        if rebuilt:
            problems.append(
                PdfProblem(
                    "DamagedPdf",
                    "its cross-reference table is broken; PDFium rebuilt it and the pages were read "
                    "from the rebuilt table: check the articles against the page",
                )
            )
        if count > max_pages:
            problems.append(
                PdfProblem(
                    "PdfTooManyPages",
                    f"{count} pages, over the {max_pages}-page limit for one file: pages 1-{max_pages} "
                    f"were read, pages {max_pages + 1}-{count} were not (split the file)",
                )
            )
        pages: list[PdfPage] = []
        for index in range(min(count, max_pages)):
            number = index + 1
            try:
                page, problem = _read_page(doc, index, count)
            except Exception as exc:  # a PDFium or ctypes failure on one page costs only that page
                page, problem = (
                    None,
                    PdfProblem("UnreadablePdfPage", f"page {number} of {count}: {exc}", number),
                )
            if problem:
                problems.append(problem)
            if page is not None:
                pages.append(page)
        return PdfPages(pages, problems, count)
    finally:
        doc.close()


def _read_page(doc, index: int, count: int) -> tuple[PdfPage | None, PdfProblem | None]:
    number = index + 1
    page = doc[index]
    unhidden = _unhide(page.raw)  # before the text page is built: it is built from the objects' boxes
    textpage = page.get_textpage()
    try:
        height = page.get_height()
        runs, shown = _runs(textpage.raw, height, unhidden)
        if not runs:
            if _has_images(page):
                return None, PdfProblem(
                    "NoTextLayer", f"page {number} of {count}: no text layer: OCR it first", number
                )
            return None, None  # a blank page
        unmapped = sum(1 for ch in shown if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" or ch < " ")
        if unmapped > MAX_UNMAPPED * len(shown):
            return None, PdfProblem(
                "NoTextLayer",
                f"page {number} of {count}: no text layer: its fonts map {unmapped} of {len(shown)} "
                "characters to no Unicode text: OCR it first",
                number,
            )
        return PdfPage(number, page.get_width(), height, runs), None
    finally:
        textpage.close()
        page.close()


def _page_text(handle, n: int) -> list[str]:
    """The page's characters, one string per character index (PDFium's text in one call; one call
    per character when it holds characters outside the BMP, whose UTF-16 takes two units)."""
    import pypdfium2.raw as raw

    buffer = ctypes.create_string_buffer(2 * (n + 1))
    raw.FPDFText_GetText(handle, 0, n, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: 2 * n].decode("utf-16-le", errors="surrogatepass")
    if len(text) == n and not any("\ud800" <= ch <= "\udfff" for ch in text):
        return list(text)
    return [chr(raw.FPDFText_GetUnicode(handle, i) or 0xFFFD) for i in range(n)]


def _unhide(page_handle) -> set[int]:
    """Makes PDFium's text page keep the text objects whose box has no width; their addresses.

    PDFium's text page skips every text object whose box (from its glyphs' outlines, in the font
    PDFium uses) has no width. A font that is not embedded (reportlab's STSong-Light, or any CJK
    font a PDF only names) is drawn with a font of the machine: where the machine has a CJK font
    each character has its glyph's box; where it has none, PDFium's built-in fallback is Latin and
    every CJK glyph's box is empty, so a text object of one character (a line holding only a
    paragraph's last character, say 。) has a box of no width and its text is lost: the same file
    would read differently on two machines. A stroked text object's box is widened by half the
    stroke width (PDFium's rule), so such an object, given a stroke, is kept; its characters' boxes,
    origins and sizes come from the font's widths and the text matrix as for any other (its drawing
    is not used). Objects with no font size or a flat matrix stay skipped; the space characters of
    the objects unhidden are dropped in `_runs` (a lone space glyph's box is empty in any font)."""
    import pypdfium2.raw as raw

    unhidden: set[int] = set()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    size, matrix = ctypes.c_float(), raw.FS_MATRIX()

    def visit(count: int, get) -> None:
        for n in range(count):
            obj = get(n)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                visit(
                    raw.FPDFFormObj_CountObjects(obj), lambda k, form=obj: raw.FPDFFormObj_GetObject(form, k)
                )
                continue
            if kind != raw.FPDF_PAGEOBJ_TEXT or not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                continue
            if right.value - left.value >= 0.01:
                continue  # PDFium keeps it
            if not raw.FPDFTextObj_GetFontSize(obj, size) or size.value <= 0:
                continue
            if (
                not raw.FPDFPageObj_GetMatrix(obj, matrix)
                or abs(matrix.a * matrix.d - matrix.b * matrix.c) < 1e-9
            ):
                continue
            raw.FPDFTextObj_SetTextRenderMode(obj, raw.FPDF_TEXTRENDERMODE_STROKE)
            raw.FPDFPageObj_SetStrokeWidth(obj, _UNHIDE_STROKE)
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 0, 0)  # the box is computed again, stroke and all
            unhidden.add(ctypes.cast(obj, ctypes.c_void_p).value)

    visit(raw.FPDFPage_CountObjects(page_handle), lambda k: raw.FPDFPage_GetObject(page_handle, k))
    return unhidden


class _Geometry:
    """PDFium's per-character boxes, origins and sizes (page coordinates turned top-down)."""

    def __init__(self, handle, height: float) -> None:
        import pypdfium2.raw as raw

        self.raw, self.handle, self.height = raw, handle, height
        self.rect, self.matrix = raw.FS_RECTF(), raw.FS_MATRIX()
        self.x, self.y = ctypes.c_double(), ctypes.c_double()

    def box(self, i: int) -> tuple[float, float]:
        self.raw.FPDFText_GetLooseCharBox(self.handle, i, self.rect)
        return self.rect.left, self.rect.right

    def baseline(self, i: int) -> float:
        self.raw.FPDFText_GetCharOrigin(self.handle, i, self.x, self.y)
        return self.height - self.y.value

    def size(self, i: int) -> float:
        """The font size as drawn: the font's size times the scale of the character's matrix."""
        self.raw.FPDFText_GetMatrix(self.handle, i, self.matrix)
        m = self.matrix
        scale = abs(m.a * m.d - m.b * m.c) ** 0.5 or 1.0
        return self.raw.FPDFText_GetFontSize(self.handle, i) * scale

    def char(self, text: str, i: int) -> Char:
        x0, x1 = self.box(i)
        baseline, size = self.baseline(i), self.size(i)
        return Char(text, x0, baseline - 0.88 * size, x1, baseline + 0.12 * size, size)


def _runs(
    handle, height: float, unhidden: frozenset[int] | set[int] = frozenset()
) -> tuple[list[Char], list[str]]:
    """The page as runs: characters between PDFium's own line breaks and word gaps (its generated
    characters), each run one `Char` box with its text; a run whose ends do not share a baseline and
    a size is given character by character. A handful of PDFium calls per run, not per character.
    `unhidden`: the text objects `_unhide` made visible to the text page; their spaces are dropped."""
    import pypdfium2.raw as raw

    n = raw.FPDFText_CountChars(handle)
    if n <= 0:
        return [], []
    text = _page_text(handle, n)
    geometry = _Geometry(handle, height)
    runs: list[Char] = []
    shown: list[str] = []

    def close(a: int, b: int) -> None:
        middle = (a + b) // 2
        size = geometry.size(a)
        baseline = geometry.baseline(a)
        if b > a and (
            abs(geometry.baseline(b) - baseline) > 0.3 * size
            or abs(geometry.size(middle) - size) > 0.05 * size
        ):
            runs.extend(geometry.char(text[i], i) for i in range(a, b + 1))
            return
        x0, x1 = geometry.box(a)[0], geometry.box(b)[1]
        runs.append(
            Char("".join(text[a : b + 1]), x0, baseline - 0.88 * size, x1, baseline + 0.12 * size, size)
        )

    start = None
    for i, ch in enumerate(text):
        space = ch in " \u3000\xa0"
        if ch in "\r\n\x02\x00" or space:  # a break, or a space that may pad a gutter: a run ends
            if start is not None:
                close(start, i - 1)
                start = None
            if space and raw.FPDFText_IsGenerated(handle, i) != 1 and not _in(unhidden, handle, i):
                runs.append(geometry.char(ch, i))  # a space glyph: its box, so its width is known
            continue
        shown.append(ch)
        if start is None:
            start = i
    if start is not None:
        close(start, n - 1)
    return runs, shown


def _in(objects: frozenset[int] | set[int], handle, i: int) -> bool:
    """Character `i` of the text page belongs to one of the text objects `objects` (addresses)."""
    if not objects:
        return False
    import pypdfium2.raw as raw

    return ctypes.cast(raw.FPDFText_GetTextObject(handle, i), ctypes.c_void_p).value in objects


def _has_images(page) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,)))
