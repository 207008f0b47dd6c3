"""Bytes to text: encodings are detected, not assumed.

Order: byte-order marks (UTF-8/16/32), strict UTF-8 (a sequence cut at the very end is tolerated),
UTF-16 without BOM (NUL pattern), known binary signatures, then charset-normalizer's detection
among the encodings Chinese bulletins come in (GB18030 covers GBK and GB2312).
"""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"PK\x03\x04": "ZIP archive",
    b"%PDF": "PDF document (name it .pdf to have it read as one)",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"BZh": "bzip2 archive",
}
# Encodings tried by detection, most likely first for Chinese bulletins.
CANDIDATE_ENCODINGS = ["gb18030", "big5", "utf_16", "utf_8"]


class DecodeError(ValueError):
    """The bytes are not text in any supported encoding."""


class BinaryInput(DecodeError):
    """The bytes are a binary file (image, archive, ...)."""


class _Damaged(Exception):
    def __init__(self, decoded):
        self.decoded = decoded


def _plausible(text: str) -> bool:
    """Mostly CJK, ASCII text and punctuation: not mojibake or binary decoded as text."""
    if not text:
        return True
    sample = text[:20000]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t") or 0xE000 <= ord(ch) <= 0xF8FF)
    return odd / len(sample) < 0.1


def _text_score(text: str) -> float:
    """Share of characters that are CJK, ASCII printable or common CJK punctuation."""
    if not text:
        return 0.0
    sample = text[:4000]
    good = sum(
        1
        for ch in sample
        if ("\u4e00" <= ch <= "\u9fff")
        or (" " <= ch <= "~")
        or ch in "\n\r\t"
        or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef"
        or "\u2010" <= ch <= "\u206f"
    )
    return good / len(sample)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: the variant that decodes to plausible text, if any."""
    if len(data) < 4 or len(data) % 2:
        return None
    best, best_score = None, 0.9
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            score = _text_score(data[:8000].decode(encoding))
        except UnicodeDecodeError:
            continue
        if score > best_score:
            best, best_score = encoding, score
    return best


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not _plausible(text):
        raise BinaryInput(f"binary data: decodes as {encoding} but is mostly control characters")
    return text, encoding


@dataclass
class Decoded:
    text: str
    encoding: str
    damaged: list[int] = field(default_factory=list)  # byte offsets of invalid sequences, replaced by U+FFFD


_DAMAGE = threading.local()


def _record_damage(exc: UnicodeDecodeError) -> tuple[str, int]:
    _DAMAGE.offsets.append(exc.start)
    return "\ufffd", exc.end


codecs.register_error("pipeline-record-damage", _record_damage)


def decode_replacing(data: bytes, encoding: str = "utf-8") -> tuple[str, list[int]]:
    """The bytes decoded with every invalid sequence as U+FFFD, and the byte offsets of those."""
    _DAMAGE.offsets = []
    try:
        text = data.decode(encoding, errors="pipeline-record-damage")
        return text, _DAMAGE.offsets
    finally:
        _DAMAGE.offsets = []


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 text with a few invalid bytes (a damaged file), not another encoding: at least 20 valid
    non-ASCII characters for every invalid sequence (GBK read as UTF-8 gives mostly invalid ones)."""
    text, damaged = decode_replacing(data)
    valid_non_ascii = sum(1 for ch in text if ord(ch) > 0x7F) - len(damaged)
    if damaged and len(damaged) * 20 <= valid_non_ascii and _plausible(text):
        return Decoded(text, "utf-8 (damaged)", damaged)
    return None


def decode_text(data: bytes) -> Decoded:
    """The bytes as text; a UTF-8 file with a few invalid bytes is kept with them replaced (their
    offsets in `damaged`). Raises DecodeError / BinaryInput."""
    try:
        text, encoding = _decode_plain(data)
        return Decoded(text, encoding)
    except _Damaged as damaged:
        return damaged.decoded
    except BinaryInput:
        raise
    except DecodeError:
        text, damaged = decode_replacing(data)
        if damaged and _plausible(text) and _text_score(text) >= 0.9:  # clearly text: keep it
            return Decoded(text, "utf-8 (damaged)", damaged)
        raise


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding name). Raises DecodeError / BinaryInput."""
    decoded = decode_text(data)
    return decoded.text, decoded.encoding


def _decode_plain(data: bytes) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"byte-order mark says {encoding} but the bytes are not: {exc}") from exc
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason in ("unexpected end of data",):
            # A file truncated inside its last character: keep everything before it.
            return _checked(data[: exc.start].decode("utf-8"), "utf-8 (truncated)")
    utf16 = _looks_utf16(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        if _plausible(text):
            return text, utf16
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise BinaryInput(f"binary file: {what}")
    damaged = _damaged_utf8(data)
    if damaged:
        raise _Damaged(damaged)
    if b"\x00" in data[:4000]:
        raise BinaryInput("binary file: NUL bytes and no UTF-16 text")
    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        # Detection gave up (short text): GB18030 is the usual legacy encoding of Chinese text.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise DecodeError("not text in UTF-8, UTF-16, GB18030 or Big5") from exc
        if _plausible(text):
            return text, "gb18030"
        raise DecodeError("not text in UTF-8, UTF-16, GB18030 or Big5")
    text = str(best)
    if not _plausible(text):
        raise BinaryInput(f"binary or garbled data (best guess {best.encoding})")
    return text, best.encoding
