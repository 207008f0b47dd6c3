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
    import pypdfium2.raw as raw

    number = index + 1
    page = doc[index]
    textpage = page.get_textpage()
    try:
        height = page.get_height()
        chars: list[Char] = []
        unmapped = 0
        rect = raw.FS_RECTF()
        matrix = raw.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        handle = textpage.raw
        for i in range(raw.FPDFText_CountChars(handle)):
            if raw.FPDFText_IsGenerated(handle, i) == 1:
                continue
            code = raw.FPDFText_GetUnicode(handle, i)
            text = chr(code) if 0 < code < 0x110000 else "\ufffd"
            if text in "\r\n\x02\x00":
                continue
            if text == "\ufffd" or raw.FPDFText_HasUnicodeMapError(handle, i) == 1:
                unmapped += 1
            raw.FPDFText_GetLooseCharBox(handle, i, rect)
            raw.FPDFText_GetCharOrigin(handle, i, x, y)
            raw.FPDFText_GetMatrix(handle, i, matrix)
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
            size = raw.FPDFText_GetFontSize(handle, i) * scale
            baseline = height - y.value
            chars.append(
                Char(text, rect.left, baseline - 0.88 * size, rect.right, baseline + 0.12 * size, size)
            )
        if not chars:
            if _has_images(page):
                return None, PdfProblem(
                    "NoTextLayer", f"page {number} of {count}: no text layer: OCR it first", number
                )
            return None, None  # a blank page
        if unmapped > MAX_UNMAPPED * len(chars):
            return None, PdfProblem(
                "NoTextLayer",
                f"page {number} of {count}: no text layer: its fonts map {unmapped} of {len(chars)} "
                "characters to no Unicode text: OCR it first",
                number,
            )
        return PdfPage(number, page.get_width(), height, chars), None
    finally:
        textpage.close()
        page.close()


def _has_images(page) -> bool:
    import pypdfium2.raw as raw

    return any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,)))
