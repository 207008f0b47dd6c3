"""Numbers and dates against bulletins_dev/dev.jsonl, run as a user runs it (the default ArticleProcessor).

The gold lists every number and date once per distinct surface form, so predictions are reduced
the same way (one per distinct span text per document) before scoring.
- numbers: multisets of (value, unit) per document; P/R/F1 summed over documents. The pipeline reads
  Traditional text through its Simplified form (pipeline/traditional.py), so units come out
  Simplified (個 -> 个); gold units are compared in their Simplified form too, as 億/萬 already are.
- dates: multisets of span text per document; P/R/F1 summed over documents.
- date value accuracy: over gold dates with a non-null value (the explicit ones) that were found,
  the share whose predicted value equals the gold value.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date
from pathlib import Path

from pipeline.evaluate.heldout import value_key
from pipeline.evaluate.report import PRF, EvalReport, default_data_dir, score_multisets

NAME = "numbers_dates"
TARGETS = {"number_f1": 0.95, "date_f1": 0.95, "date_value_accuracy": 0.97}


def default_processor():
    """The default pipeline exactly as a user runs it: `ArticleProcessor()` with default settings.

    While the shipped NER model is missing, `build_nlp` skips that stage with a warning; once the
    model lands, it runs here too (numbers and dates come before it, so they see the same text).
    """
    from pipeline.process import ArticleProcessor

    return ArticleProcessor()


def _unit(unit: str | None) -> str | None:
    from pipeline.traditional import to_simplified

    return to_simplified(unit) if unit else unit


def load_gold(data_dir: Path) -> list[dict]:
    path = Path(data_dir) / "bulletins_dev" / "dev.jsonl"
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(data_dir: Path, processor=None) -> EvalReport:
    processor = processor or default_processor()
    numbers, dates = PRF(), PRF()
    value_hits = value_total = 0
    per_doc: dict[str, dict] = {}
    for doc in load_gold(data_dir):
        publish = date.fromisoformat(doc["publish_date"]) if doc.get("publish_date") else None
        records = processor.extract_text(doc["text"], publish_date=publish, article_id=doc["id"])
        pred_numbers: dict[str, tuple] = {}
        pred_dates: dict[str, str | None] = {}
        for rec in records:
            if rec.kind == "number":
                value = (rec.value_low, rec.value_high) if rec.value_high is not None else rec.value
                pred_numbers.setdefault(rec.text, (value_key(value), _unit(rec.unit)))
            elif rec.kind == "date":
                pred_dates.setdefault(rec.text, rec.value)
        gold_numbers = [(value_key(n["value"]), _unit(n["unit"])) for n in doc["numbers"]]
        gold_dates = [d["text"] for d in doc["dates"]]
        n_prf = score_multisets(gold_numbers, list(pred_numbers.values()))
        d_prf = score_multisets(gold_dates, list(pred_dates))
        numbers.add(n_prf)
        dates.add(d_prf)
        wrong_values = []
        for gold in doc["dates"]:
            if gold["value"] is None or gold["text"] not in pred_dates:
                continue
            value_total += 1
            if pred_dates[gold["text"]] == gold["value"]:
                value_hits += 1
            else:
                wrong_values.append((gold["text"], gold["value"], pred_dates[gold["text"]]))
        remaining = list(gold_numbers)
        for item in pred_numbers.values():
            if item in remaining:
                remaining.remove(item)
        per_doc[doc["id"]] = {
            "numbers_missed": remaining,
            "numbers_spurious": [(t, v) for t, v in pred_numbers.items() if v not in gold_numbers],
            "dates_missed": [t for t in gold_dates if t not in pred_dates],
            "dates_spurious": [t for t in pred_dates if t not in gold_dates],
            "date_values_wrong": wrong_values,
        }
    accuracy = value_hits / value_total if value_total else 0.0
    metrics = {
        "number_p": round(numbers.precision, 4),
        "number_r": round(numbers.recall, 4),
        "number_f1": round(numbers.f1, 4),
        "date_p": round(dates.precision, 4),
        "date_r": round(dates.recall, 4),
        "date_f1": round(dates.f1, 4),
        "date_value_accuracy": round(accuracy, 4) if not math.isnan(accuracy) else 0.0,
    }
    details = {
        "components": list(processor.nlp.pipe_names),
        "numbers": numbers.as_dict(),
        "dates": dates.as_dict(),
        "date_values": {"correct": value_hits, "scored": value_total},
        "errors": {k: v for k, v in per_doc.items() if any(v.values())},
    }
    return EvalReport(NAME, metrics, dict(TARGETS), details)


def main(argv: list[str]) -> None:
    """`python -m pipeline.evaluate.numbers_dates [DATA_DIR]`: the JSON report on stdout."""
    data_dir = Path(argv[1]) if len(argv) > 1 else default_data_dir()
    print(json.dumps(evaluate(data_dir).as_dict(), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv)
