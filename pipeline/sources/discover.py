"""Find input files: files as given, directories walked recursively in sorted order.

Every input is named by its path relative to one root (`--root`, default the common parent of the
paths given; an output folder remembers its root), so the same file has the same name, and so the
same article ids, whichever of its parent folders a run was given.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = {".txt", ".md", ".jsonl", ".html", ".htm", ".pdf"}
# Longest article id written; a longer one is cut and given a hash of the whole (databases index ids).
MAX_ID_CHARS = 200
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_README = re.compile(r"^(readme|license|licence|changelog|contributing)(\.[a-z0-9]+)?$", re.IGNORECASE)


def safe_text(text: str) -> str:
    """The text with lone surrogates (undecodable file-name bytes, JSON "\\ud800") as U+FFFD: same
    length, so offsets hold, and always encodable as UTF-8."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def safe_id(article_id: str) -> str:
    """An article id that is valid UTF-8 and at most MAX_ID_CHARS long (cut, plus a hash of the whole)."""
    article_id = safe_text(article_id)
    if len(article_id) <= MAX_ID_CHARS:
        return article_id
    digest = hashlib.sha1(article_id.encode()).hexdigest()[:12]
    return f"{article_id[: MAX_ID_CHARS - 13]}~{digest}"


@dataclass(frozen=True)
class InputFile:
    path: Path
    source: str  # the name used in article ids and records: path relative to the root

    @property
    def kind(self) -> str:
        return self.path.suffix.lower().lstrip(".")


@dataclass(frozen=True)
class SkippedInput:
    """A named input that cannot be read (an error), or a file in a folder that is not a bulletin
    (error 'Skipped': listed in summary.json, not an error)."""

    source: str
    reason: str
    error: str = "UnsupportedInput"


def is_output_folder(directory: Path) -> bool:
    """A folder written by `extract` (its own part files or manifest and articles)."""
    return (directory / ".parts").is_dir() or (
        (directory / "manifest.json").is_file() and (directory / "articles.jsonl").is_file()
    )


def source_name(path: Path, root: Path) -> str:
    return safe_text(Path(os.path.relpath(os.path.abspath(path), root)).as_posix())


def discover(
    paths: list[Path], root: Path | None = None, exclude: tuple[Path, ...] = ()
) -> Iterator[InputFile | SkippedInput]:
    """Inputs in a stable order. Directories are walked without following symlinked directories
    (no loops); inside them, README/licence files and output folders of this tool are skipped, and
    files of other types are reported as skipped; named files of an unsupported type are errors.
    `root`: what sources are relative to (default: each path's parent). `exclude`: folders not read."""
    seen: set[Path] = set()
    excluded = {os.path.abspath(p) for p in exclude}
    for given in paths:
        base = Path(os.path.abspath(root)) if root else Path(os.path.abspath(given)).parent
        if given.is_dir():
            if os.path.abspath(given) in excluded or is_output_folder(given):
                yield SkippedInput(source_name(given, base), "an output folder of this tool", "Skipped")
                continue
            for dirpath, dirnames, filenames in os.walk(given, followlinks=False):
                keep = []
                for d in sorted(dirnames):
                    sub = Path(dirpath) / d
                    if d.startswith("."):
                        continue
                    if os.path.abspath(sub) in excluded or is_output_folder(sub):
                        yield SkippedInput(source_name(sub, base), "an output folder of this tool", "Skipped")
                        continue
                    keep.append(d)
                dirnames[:] = keep
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    path = Path(dirpath) / name
                    if _README.match(name):
                        yield SkippedInput(source_name(path, base), "a README or licence file", "Skipped")
                        continue
                    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                        yield SkippedInput(
                            source_name(path, base),
                            f"unsupported file type {path.suffix or '(none)'}",
                            "Skipped",
                        )
                        continue
                    yield from _one(path, source_name(path, base), seen)
        elif given.exists() or given.is_symlink():
            if given.suffix.lower() not in SUPPORTED_SUFFIXES:
                yield SkippedInput(
                    source_name(given, base),
                    f"unsupported file type {given.suffix or '(none)'}: "
                    f"expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}",
                )
                continue
            yield from _one(given, source_name(given, base), seen)
        else:
            yield SkippedInput(str(given), "no such file or directory", error="MissingInput")


def _one(path: Path, source: str, seen: set[Path]) -> Iterator[InputFile | SkippedInput]:
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # broken link or a symlink loop
        yield SkippedInput(source, f"cannot resolve path: {exc}", error="UnreadableInput")
        return
    if resolved in seen:
        return
    seen.add(resolved)
    if not resolved.is_file():
        yield SkippedInput(source, "not a regular file", error="UnreadableInput")
        return
    yield InputFile(path=path, source=source)
