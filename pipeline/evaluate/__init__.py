"""Evaluations against the gold files in ../shared/data (`make eval`).

Each module listed in `EVALUATIONS` exposes `NAME: str` and `evaluate(data_dir: Path) -> EvalReport`.
The same functions run as tests in CI (tests/test_eval_*.py), which fail below the targets.
"""

EVALUATIONS = (
    "pipeline.evaluate.segmentation",
    "pipeline.evaluate.numbers_dates",
    "pipeline.evaluate.recognizers",
    "pipeline.evaluate.organizations",
    "pipeline.evaluate.ner_msra",
    "pipeline.evaluate.rankings",
    "pipeline.evaluate.heldout",
    "pipeline.evaluate.facts",
)
