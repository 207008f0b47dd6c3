"""JSON Schema files generated from the Pydantic models in pipeline/records.py."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.records import RECORD_ADAPTER, Article, ErrorRecord, Summary


def generated_schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for every line type the pipeline writes."""
    return {
        "article.schema.json": Article.model_json_schema(),
        "record.schema.json": RECORD_ADAPTER.json_schema(),
        "error.schema.json": ErrorRecord.model_json_schema(),
        "summary.schema.json": Summary.model_json_schema(),
    }


def render(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in generated_schemas().items():
        path = directory / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written
