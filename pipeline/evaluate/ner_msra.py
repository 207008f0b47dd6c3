"""MSRA NER test set (msra_ner/test.bio): the statistical NER stage as a user runs it.

Each test sentence goes through a pipeline holding the "statistical_ner" component (built by
`pipeline.nlp.build_nlp`, so with the shipped model unless PipelineSettings.ner_model says
otherwise); its mentions become validated records (`pipeline.process.records_from_mentions`),
and the records' (type, start, end) are compared exactly with the gold BIO spans.
Metrics: micro F1 over PER/LOC/ORG, F1 per type, and the NER stage's speed in characters/s.
"""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.components.base import mentions
from pipeline.evaluate.report import PRF, EvalReport, score_multisets
from pipeline.ner.convert import read_bio
from pipeline.nlp import PipelineSettings, build_nlp
from pipeline.process import records_from_mentions
from pipeline.records import Article

NAME = "ner_msra"
TARGETS = {"f1": 0.92, "f1_ORG": 0.88}
KIND_TO_LABEL = {"person": "PER", "location": "LOC", "organization": "ORG"}
LABELS = ("PER", "LOC", "ORG")


def evaluate(data_dir: Path, ner_model: str | None = None, limit: int | None = None) -> EvalReport:
    sentences = list(read_bio(data_dir / "msra_ner" / "test.bio"))[:limit]
    nlp = build_nlp(PipelineSettings(components=("statistical_ner",), ner_model=ner_model))
    ner = nlp.get_pipe("statistical_ner")
    docs = [nlp.make_doc(text) for text, _ in sentences]
    for doc in docs:
        doc._.mentions = []
    ner.ner_nlp  # load the model before timing  # noqa: B018
    started, cpu_started = time.perf_counter(), time.process_time()
    docs = list(ner.pipe(docs, batch_size=256))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started

    per_type = {label: PRF() for label in LABELS}
    errors = 0
    for i, ((text, gold), doc) in enumerate(zip(sentences, docs, strict=True)):
        article = Article(article_id=f"msra_test#{i + 1}", source="msra_ner/test.bio", text=text)
        records, bad = records_from_mentions(article, mentions(doc))
        errors += len(bad)
        predicted = [(KIND_TO_LABEL[r.kind], r.start, r.end) for r in records if r.kind in KIND_TO_LABEL]
        for label in LABELS:
            per_type[label].add(
                score_multisets(
                    [(label, s, e) for s, e, lab in gold if lab == label],
                    [p for p in predicted if p[0] == label],
                )
            )
    total = PRF()
    for prf in per_type.values():
        total.add(prf)
    chars = sum(len(text) for text, _ in sentences)
    metrics = {
        "f1": round(total.f1, 4),
        "precision": round(total.precision, 4),
        "recall": round(total.recall, 4),
        **{f"f1_{label}": round(prf.f1, 4) for label, prf in per_type.items()},
        # Wall-clock speed depends on what else runs on the machine; CPU-time speed much less.
        "chars_per_s": round(chars / seconds, 1) if seconds else 0.0,
        "chars_per_cpu_s": round(chars / cpu_seconds, 1) if cpu_seconds else 0.0,
    }
    details = {
        "sentences": len(sentences),
        "chars": chars,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "invalid_records": errors,
        "model": ner.extractor,
        **{label: prf.as_dict() for label, prf in per_type.items()},
    }
    return EvalReport(NAME, metrics, dict(TARGETS), details)


def main() -> None:
    import argparse
    import json

    from pipeline.evaluate.report import default_data_dir

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--model", default=None, help="a spaCy package or path instead of the shipped model")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    print(json.dumps(evaluate(args.data, args.model, args.limit).as_dict(), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
