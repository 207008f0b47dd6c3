"""Find input files: files as given, directories walked recursively in sorted order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = {".txt", ".md", ".jsonl", ".html", ".htm"}


@dataclass(frozen=True)
class InputFile:
    path: Path
    source: str  # the name used in article ids and records: path relative to the input root

    @property
    def kind(self) -> str:
        return self.path.suffix.lower().lstrip(".")


@dataclass(frozen=True)
class SkippedInput:
    source: str
    reason: str
    error: str = "UnsupportedInput"


def discover(paths: list[Path]) -> Iterator[InputFile | SkippedInput]:
    """Inputs in a stable order. Directories are walked without following symlinked directories
    (no loops); unsupported files inside directories are skipped silently, named files are reported."""
    seen: set[Path] = set()
    for root in paths:
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if name.startswith("."):
                        continue
                    path = Path(dirpath) / name
                    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                        continue
                    yield from _one(path, path.relative_to(root).as_posix(), seen)
        elif root.exists() or root.is_symlink():
            if root.suffix.lower() not in SUPPORTED_SUFFIXES:
                yield SkippedInput(
                    str(root),
                    f"unsupported file type {root.suffix or '(none)'}: "
                    f"expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}",
                )
                continue
            yield from _one(root, root.name, seen)
        else:
            yield SkippedInput(str(root), "no such file or directory", error="MissingInput")


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
