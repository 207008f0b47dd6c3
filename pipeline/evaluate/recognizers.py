"""Microsoft Recognizers-Text Chinese specs (../shared/data/recognizers_zh), scored per model.

Each case's input runs through ArticleProcessor (number_extractor and date_extractor only) with the
case's reference date as publish date, and the records are turned into the spec's terms:
- number: number records except money and discounts (the spec's number model leaves amounts of
  money to the currency model and 一折 to the percent model), value only.
- percent: number records of kind percent, and Chinese fractions (X分之Y), each by its `percent_value`
  (the record's own share in percent: 七成 -> 70, 八点五折 -> 85, a two-digit 75折 -> 75, 千分之二点四 ->
  0.24, 万万分之七 -> 7e-06).
- currency: number records of kind money; the unit becomes its ISO code (units.yaml).
- datetime: date records, plus number records of kind duration (durations are numbers in this
  project); the value becomes a TIMEX string: a month or day with no year written keeps its year as
  XXXX; a range A/B, inclusive here, becomes "(A-start,B-end exclusive,P..)"; 6天 -> P6D.

A case is correct when every expected entity is matched by a distinct prediction with an
overlapping span and an equal value (relative tolerance 1e-6; currency also compares the ISO code;
datetime compares the TIMEX string, any one of the listed alternatives), and nothing else is
predicted.

Two figures per model:
- `<model>_accuracy`: against the spec as it is: every case, compared with the published
  baseline of the Python port (BASELINE).
- `<model>_convention_accuracy`: the cases listed in recognizers_conventions.yaml are scored
  against what this project's conventions expect instead (each with its reason: years are not
  numbers, 一个 before a noun is article-like, durations are numbers not dates, ...). No case is dropped: the
  listed ones are scored too, and the report lists them.
The targets apply to the second figure: beat the baseline on every model, and >= 0.95 on number
and percent. The first figure is what the baseline is measured on; it beats the baseline on
number, percent and currency, and falls short on datetime exactly where the listed conventions
differ (tests/test_eval_recognizers.py records the measured figures).
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import yaml

from pipeline.evaluate.report import EvalReport

NAME = "recognizers"
MODELS = ("number", "percent", "currency", "datetime")
BASELINE = {"number": (181, 197), "percent": (58, 60), "currency": (14, 18), "datetime": (69, 138)}
CONVENTIONS = Path(__file__).with_name("recognizers_conventions.yaml")
# Beat the baseline (strictly) on every model, and reach 0.95 on number and percent, on the
# convention-scored figure. The spec-as-is figures are reported beside them (and guarded by tests).
TARGETS = {
    f"{m}_convention_accuracy": round(
        max(BASELINE[m][0] / BASELINE[m][1] + 1e-4, 0.95 if m in ("number", "percent") else 0.0), 4
    )
    for m in MODELS
}


def load_cases(data_dir: Path, model: str) -> list[dict]:
    path = Path(data_dir) / "recognizers_zh" / f"{model}.jsonl"
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_conventions() -> dict[str, dict]:
    with open(CONVENTIONS, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


# TIMEX duration designators of duration units (folded), for the datetime model.
_DURATION_TIMEX = {
    "年": "P{}Y",
    "个月": "P{}M",
    "周": "P{}W",
    "星期": "P{}W",
    "个星期": "P{}W",
    "天": "P{}D",
    "日": "P{}D",
    "小时": "PT{}H",
    "个小时": "PT{}H",
    "分钟": "PT{}M",
    "秒": "PT{}S",
}


def _timex(record) -> str | None:
    value = record.value
    if value is None:
        return None
    rule = record.extractor.split(".", 1)[-1]
    if rule in ("month", "month_day", "month_range", "month_day_range"):
        # Recognizers-Text leaves a year that is not written as XXXX (and a month: XXXX-XX-29).
        value = "/".join("XXXX" + v[4:] for v in value.split("/"))
    elif rule == "day":
        value = "XXXX-XX" + value[7:]
    if "/" in value:
        a, b = value.split("/")
        if len(a) == 4 and len(b) == 4:
            return f"({a}-01-01,{int(b) + 1:04d}-01-01,P{int(b) + 1 - int(a)}Y)"
        if len(a) == 10 and len(b) == 10:  # a day range: the spec writes its last day as the end
            days = (
                date.fromisoformat(record.value.split("/")[1])
                - date.fromisoformat(record.value.split("/")[0])
            ).days
            return f"({a},{b},P{days}D)"
    return value


def _duration_timex(record) -> str | None:
    from pipeline.resolve.numerals import fold

    pattern = _DURATION_TIMEX.get(fold(record.unit or ""))
    if pattern is None:
        return None
    value = record.value
    return pattern.format(int(value) if float(value).is_integer() else value)


def predictions(records, model: str) -> list[dict]:
    from pipeline.components.numbers import currency_code
    from pipeline.resolve.numerals import fold

    out = []
    for rec in records:
        if model == "datetime":
            if rec.kind == "date":
                out.append({"start": rec.start, "end": rec.end, "value": _timex(rec), "unit": None})
            elif rec.kind == "number" and rec.number_kind == "duration":
                out.append({"start": rec.start, "end": rec.end, "value": _duration_timex(rec), "unit": None})
            continue
        if rec.kind != "number":
            continue
        unit = fold(rec.unit) if rec.unit else None
        fraction = rec.extractor == "numbers.fraction"
        if model == "percent" and rec.number_kind != "percent" and not fraction:
            continue
        if model == "currency" and rec.number_kind != "money":
            continue
        if model == "number" and (rec.number_kind == "money" or unit == "折"):
            continue
        value = rec.value
        if model == "number" and unit == "打" and value is not None:
            value = value * 12  # a dozen: 五十打 -> 600 in the spec's number model
        if model == "percent" and rec.percent_value is not None:
            value = rec.percent_value  # the record's share in percent: 七成 -> 70, 万万分之七 -> 7e-06
        out.append(
            {
                "start": rec.start,
                "end": rec.end,
                "value": None if value is None else float(value),
                "unit": currency_code(rec.unit) if model == "currency" else None,
            }
        )
    return out


def _same_value(expected, predicted) -> bool:
    if isinstance(expected, list):
        return any(_same_value(e, predicted) for e in expected)
    if isinstance(expected, str) or isinstance(predicted, str) or expected is None or predicted is None:
        return expected == predicted
    return math.isclose(float(expected), float(predicted), rel_tol=1e-6, abs_tol=1e-12)


def case_correct(expected: list[dict], predicted: list[dict], model: str) -> bool:
    if len(expected) != len(predicted):
        return False
    remaining = list(predicted)
    for exp in expected:
        for pred in remaining:
            overlap = pred["start"] < exp["end"] and exp["start"] < pred["end"]
            unit_ok = model != "currency" or pred["unit"] == exp["unit"]
            if overlap and unit_ok and _same_value(exp["value"], pred["value"]):
                remaining.remove(pred)
                break
        else:
            return False
    return True


def _convention_expected(entry: dict, text: str) -> list[dict]:
    """The project's expectation for a listed case: [[span, value, (unit)], ...] located in `text`."""
    out = []
    cursor = 0
    for item in entry.get("expect", []):
        span = str(item[0])
        start = text.find(span, cursor)
        if start == -1:
            raise ValueError(f"{span!r} not in {text!r}")
        cursor = start + len(span)
        out.append(
            {"start": start, "end": cursor, "value": item[1], "unit": item[2] if len(item) > 2 else None}
        )
    return out


def default_processor():
    from pipeline.evaluate.numbers_dates import default_processor as numbers_dates_processor

    return numbers_dates_processor()


def evaluate(data_dir: Path, processor=None) -> EvalReport:
    processor = processor or default_processor()
    conventions = load_conventions()
    metrics: dict[str, float] = {}
    details: dict = {"baseline": BASELINE, "conventions": {}, "failures": {}}
    for model in MODELS:
        raw = adjusted = 0
        cases = load_cases(data_dir, model)
        failures = []
        for case in cases:
            ref = case.get("reference_datetime")
            publish = date.fromisoformat(ref[:10]) if ref else None
            records = processor.extract_text(case["input"], publish_date=publish, article_id=case["id"])
            predicted = predictions(records, model)
            ok_raw = case_correct(case["expected"], predicted, model)
            raw += ok_raw
            entry = conventions.get(case["id"])
            if entry is not None:
                ok_conv = case_correct(_convention_expected(entry, case["input"]), predicted, model)
                details["conventions"][case["id"]] = {
                    "input": case["input"],
                    "reason": entry["reason"],
                    "spec_correct": ok_raw,
                    "convention_correct": ok_conv,
                }
            else:
                ok_conv = ok_raw
            adjusted += ok_conv
            if not ok_conv:
                failures.append(
                    {
                        "id": case["id"],
                        "input": case["input"],
                        "expected": [(e["text"], e["value"], e.get("unit")) for e in case["expected"]],
                        "predicted": [
                            (case["input"][p["start"] : p["end"]], p["value"], p["unit"]) for p in predicted
                        ],
                    }
                )
        n = len(cases)
        metrics[f"{model}_accuracy"] = round(raw / n, 4)
        metrics[f"{model}_convention_accuracy"] = round(adjusted / n, 4)
        details[model] = {
            "correct": raw,
            "convention_correct": adjusted,
            "cases": n,
            "baseline": BASELINE[model][0],
        }
        details["failures"][model] = failures
    return EvalReport(NAME, metrics, dict(TARGETS), details)
