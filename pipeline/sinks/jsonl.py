"""Crash-safe JSONL output.

Every file is written under a temporary name in the same directory and renamed into place when
complete, so a reader (or a killed run) never sees a half-written line or file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel

from pipeline.records import model_json


@contextmanager
def atomic_writer(path: Path):
    """A text file handle whose content replaces `path` only when the block exits normally."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def dump_line(model: BaseModel) -> str:
    return model_json(model) + "\n"


def write_jsonl(path: Path, models: Iterable[BaseModel]) -> int:
    count = 0
    with atomic_writer(path) as handle:
        for model in models:
            handle.write(dump_line(model))
            count += 1
    return count
