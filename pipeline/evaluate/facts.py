"""Number facts (metric, subject, period) against gold files that carry them, scored as FACTS.md says
and as ../shared/tools/score.py does, through `ArticleProcessor()` (the default pipeline).

Numbers are matched per document on (value, unit), one prediction per distinct surface text (its first
mention), greedily, preferring the prediction with the gold's surface text. On matched numbers:
- metric right: one of gold / predicted contains the other and the shorter is at least half the longer;
- subject right: containment either way (both null is right);
- period right: equal after NFKC (both null is right);
- a fact is right when all three are. Fact P / R: right facts over predicted / gold numbers.

Sets: `dev` (../shared/data/bulletins_dev/dev.jsonl: the rules were written reading it, so its figures
are optimistic; nothing is learned, so there is nothing to cross-validate) and the blind sets of
tests/heldout/ that carry facts (v13, v12, v11, v10, v9, v8, v6, v5, v4: see tests/heldout/README.md for what each has been used for).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections import defaultdict
from datetime import date
from pathlib import Path

from pipeline.evaluate.heldout import number_key
from pipeline.evaluate.report import EvalReport, default_data_dir
from pipeline.records import Article

NAME = "facts"
# issue 18's targets, for unseen bulletins
TARGETS = {"metric": 0.80, "subject": 0.85, "period": 0.85, "fact_f1": 0.65}
HELDOUT = Path(__file__).resolve().parents[2] / "tests" / "heldout"
BLIND_SETS = {
    "v13": HELDOUT / "bulletins_v13.jsonl",
    "v12": HELDOUT / "bulletins_v12.jsonl",
    "v11": HELDOUT / "bulletins_v11.jsonl",
    "v10": HELDOUT / "bulletins_v10.jsonl",
    "v9": HELDOUT / "bulletins_v9.jsonl",
    "v8": HELDOUT / "bulletins_v8.jsonl",
    "v6": HELDOUT / "bulletins_v6.jsonl",
    "v5": HELDOUT / "bulletins_v5.jsonl",
    "v4": HELDOUT / "bulletins_v4.jsonl",
}
TARGET_SET = "v13"  # the newest blind set: the targets are read on it


def _nf(s: str | None) -> str:
    return unicodedata.normalize("NFKC", s or "").strip()


def metric_ok(gold: str | None, predicted: str | None) -> bool:
    """>>> metric_ok("有效发明专利", "发明专利"), metric_ok("高新技术企业", "企业"), metric_ok(None, None)
    (True, False, True)
    """
    g, p = _nf(gold), _nf(predicted)
    if not g or not p:
        return not g and not p
    short, long_ = sorted((g, p), key=len)
    return short in long_ and 2 * len(short) >= len(long_)


def subject_ok(gold: str | None, predicted: str | None) -> bool:
    g, p = _nf(gold), _nf(predicted)
    if not g or not p:
        return not g and not p
    return g in p or p in g


def period_ok(gold: str | None, predicted: str | None) -> bool:
    return _nf(gold) == _nf(predicted)


def score_document(gold_numbers: list[dict], records: list) -> dict:
    """Counts and the wrong facts of one document."""
    predicted, seen = [], set()
    for r in records:
        if r.kind == "number" and _nf(r.text) not in seen:
            seen.add(_nf(r.text))
            predicted.append(r)
    used = [False] * len(predicted)
    counts = defaultdict(int)
    wrong = []
    for g in gold_numbers:
        key = number_key(g["value"], g.get("unit"))
        order = sorted(range(len(predicted)), key=lambda i: _nf(predicted[i].text) != _nf(g["text"]))
        for i in order:
            p = predicted[i]
            if not used[i] and number_key(p.value, p.unit) == key:
                used[i] = True
                ok = (
                    metric_ok(g.get("metric"), p.metric),
                    subject_ok(g.get("subject"), p.subject),
                    period_ok(g.get("period"), p.period),
                )
                counts["matched"] += 1
                counts["metric"] += ok[0]
                counts["subject"] += ok[1]
                counts["period"] += ok[2]
                counts["facts"] += all(ok)
                if not all(ok):
                    wrong.append(
                        {
                            "text": g["text"],
                            "gold": [g.get("metric"), g.get("subject"), g.get("period")],
                            "predicted": [p.metric, p.subject, p.period],
                        }
                    )
                break
    counts["gold"] += len(gold_numbers)
    counts["predicted"] += len(predicted)
    return {"counts": counts, "wrong": wrong}


def score_set(processor, path: Path) -> tuple[dict[str, float], dict]:
    totals: dict[str, int] = defaultdict(int)
    wrong: dict[str, list] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        if not any("metric" in n for n in doc.get("numbers", [])):
            continue
        published = date.fromisoformat(doc["publish_date"]) if doc.get("publish_date") else None
        article = Article(article_id=doc["id"], source=str(path), text=doc["text"], publish_date=published)
        scored = score_document(doc["numbers"], processor.process_one(article).records)
        for k, v in scored["counts"].items():
            totals[k] += v
        if scored["wrong"]:
            wrong[doc["id"]] = scored["wrong"]
    n = totals["matched"] or 1
    precision = totals["facts"] / totals["predicted"] if totals["predicted"] else 0.0
    recall = totals["facts"] / totals["gold"] if totals["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    metrics = {
        "metric": round(totals["metric"] / n, 4),
        "subject": round(totals["subject"] / n, 4),
        "period": round(totals["period"] / n, 4),
        "fact_p": round(precision, 4),
        "fact_r": round(recall, 4),
        "fact_f1": round(f1, 4),
        "matched": totals["matched"],
    }
    return metrics, {"counts": dict(totals), "wrong": wrong}


def evaluate(data_dir: Path, processor=None, blind: tuple[str, ...] = tuple(BLIND_SETS)) -> EvalReport:
    """Dev and the blind sets; metrics named `<set>.<measure>`, the targets on the newest blind set."""
    if processor is None:
        from pipeline.process import ArticleProcessor

        processor = ArticleProcessor()
    metrics: dict[str, float] = {}
    details: dict = {"components": list(processor.nlp.pipe_names)}
    sets = {"dev": Path(data_dir) / "bulletins_dev" / "dev.jsonl"}
    sets.update({name: BLIND_SETS[name] for name in blind})
    for name, path in sets.items():
        if not path.exists():
            continue
        found, info = score_set(processor, path)
        metrics.update({f"{name}.{k}": v for k, v in found.items()})
        details[name] = info if name == "dev" else {"counts": info["counts"]}  # blind errors withheld
    targets = {f"{TARGET_SET}.{k}": v for k, v in TARGETS.items()} if TARGET_SET in blind else {}
    return EvalReport(NAME, metrics, targets, details)


def main(argv: list[str]) -> None:
    data = Path(argv[0]) if argv else default_data_dir()
    print(json.dumps(evaluate(data).as_dict(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
