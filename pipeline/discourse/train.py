"""Train the field-size chooser on the annotated dev articles, and measure it by k-fold
cross-validation over articles.

    python -m pipeline.discourse.train --data ../shared/data --out pipeline/models/discourse/fields.json

The sentence-level pipeline (every default stage before the article-level one) runs once over
`bulletins_dev/dev.jsonl`. Each predicted ranking that matches a gold ranking on its rank (and,
among several, on its subject) is one training group: its candidates (`fields.FieldResolver`) and
the one whose value is the gold `total` (or "no stated field"). A group without the gold value
among its candidates teaches nothing and is left out of training (it is still scored).

Cross-validation: the articles are dealt into k folds by their position in the file; each fold's
rankings are resolved by a chooser trained on the other k-1 folds and scored on (rank, total) as
`make eval-rankings` scores the whole pipeline. Dev articles are research data: the model is
trained on text of the public pages listed in `bulletins_dev`, for research use.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pipeline.discourse.chooser import LinearChooser
from pipeline.discourse.fields import CountView, FieldResolver, RankingView, counts_from, rankings_from
from pipeline.evaluate.ranking_match import match_rankings, subject_match
from pipeline.text.segments import Segments

DISCOURSE_STAGE = "article_context"
MODEL = Path("build") / "discourse" / "fields.json"  # make train-discourse (DISCOURSE_MODEL)
L2 = 0.01


@dataclass
class Case:
    """One dev article: its text, the sentence-level rankings and counts, and the gold."""

    doc_id: str
    text: str
    rankings: list[RankingView]
    attrs: list[dict]  # subject, change of each ranking (for scoring)
    counts: list[CountView]
    gold: list[dict]
    labels: list[int | None | str] = field(default_factory=list)  # gold total, or "unmatched"


def collect(data_dir: Path, processor=None) -> list[Case]:
    from pipeline.process import ArticleProcessor
    from pipeline.records import Article

    processor = processor or ArticleProcessor()
    cases = []
    path = Path(data_dir) / "bulletins_dev" / "dev.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        gold = json.loads(line)
        article = Article(article_id=gold["id"], source=str(path), text=gold["text"])
        doc = processor._make_doc(article)
        for name, proc in processor.nlp.pipeline:
            if name != DISCOURSE_STAGE:  # the rankings as the sentence-level stage leaves them
                doc = proc(doc)
        found = doc._.mentions or []
        views, kept = rankings_from(found)
        case = Case(
            gold["id"],
            doc.text,
            views,
            [{"subject": m.fields.get("subject"), "change": m.fields.get("change")} for m in kept],
            counts_from(found),
            gold["rankings"],
        )
        remaining = list(gold["rankings"])
        for view, attrs in zip(case.rankings, case.attrs, strict=True):
            same = [g for g in remaining if g["rank"] == view.rank]
            if not same:
                case.labels.append("unmatched")
                continue
            best = max(same, key=lambda g: subject_match(attrs["subject"], g["subject"]))
            remaining.remove(best)
            case.labels.append(best["total"])
        cases.append(case)
    return cases


def training_groups(cases: list[Case], resolver: FieldResolver) -> tuple[list, list[int], list[float]]:
    """Candidate groups, the index of the right candidate, and a weight per group: 1/sqrt(n) for an
    article with n groups, so that one long list does not decide the model."""
    groups, labels, weights = [], [], []
    for case in cases:
        first = len(groups)
        seg = Segments(case.text)
        evaluations = resolver.evaluations(case.text, seg, case.rankings)
        for view, label in zip(case.rankings, case.labels, strict=True):
            if label == "unmatched":
                continue
            cands = resolver.candidates(case.text, seg, view, case.counts, evaluations)
            right = [i for i, c in enumerate(cands) if c.value == label]
            if right:
                groups.append([c.features for c in cands])
                labels.append(right[0])
        n = len(groups) - first
        weights += [1 / n**0.5] * n if n else []
    return groups, labels, weights


def fit(cases: list[Case]) -> LinearChooser:
    groups, labels, weights = training_groups(cases, FieldResolver())
    return LinearChooser.fit(groups, labels, weights, l2=L2)


def score(cases: list[Case], totals: list[list[int | None]]) -> dict[str, float]:
    """(rank, total) P/R/F1 and subject / change accuracy on the matches, as `evaluate.rankings`."""

    tp = fp = fn = 0
    pairs = []
    for case, case_totals in zip(cases, totals, strict=True):
        predicted = [
            {"rank": v.rank, "total": t, "subject": a["subject"], "change": a["change"]}
            for v, t, a in zip(case.rankings, case_totals, case.attrs, strict=True)
        ]
        prf, doc_pairs, _, _ = match_rankings(predicted, case.gold)
        tp, fp, fn = tp + prf.tp, fp + prf.fp, fn + prf.fn
        pairs += doc_pairs
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0

    n = len(pairs) or 1
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "subject_accuracy": round(sum(subject_match(a["subject"], g["subject"]) for a, g in pairs) / n, 4),
        "change_accuracy": round(sum(a["change"] == g["change"] for a, g in pairs) / n, 4),
    }


def cross_validate(cases: list[Case], k: int = 5) -> dict[str, dict[str, float]]:
    """Rules alone and the chooser under k-fold CV over articles, scored on all cases."""
    cv_totals: list[list[int | None]] = [[] for _ in cases]
    for fold in range(k):
        train = [c for i, c in enumerate(cases) if i % k != fold]
        resolver = FieldResolver(fit(train))
        for i, case in enumerate(cases):
            if i % k == fold:
                cv_totals[i] = resolver.resolve(case.text, case.rankings, case.counts)
    rules = [[v.total for v in c.rankings] for c in cases]
    return {"rules": score(cases, rules), f"cv{k}": score(cases, cv_totals)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    cases = collect(args.data)
    figures = cross_validate(cases, args.folds)
    model = fit(cases)
    groups, _, _ = training_groups(cases, FieldResolver())
    model.save(
        args.out,
        trained_on="bulletins_dev/dev.jsonl (research use)",
        trained=date.today().isoformat(),
        groups=len(groups),
        **{f"dev_{name}": metrics for name, metrics in figures.items()},
    )
    print(json.dumps(figures, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
