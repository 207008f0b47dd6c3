"""Copy a trained NER pipeline (spaCy's model-best) into the repository as the shipped model.

    python -m pipeline.ner.package build/ner/stage3/model-best pipeline/models/ner_zh_cnn

`nlp.to_disk` output holds no optimizer state. The string store is reduced to what the model
needs (the entity labels): the hashed features do not need their strings, and any other string
is added again when a text is processed. The meta gets the shipped name and the dev scores.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import spacy

import pipeline.ner  # noqa: F401  (registers the tokenizer)


def package(source: Path, target: Path) -> dict:
    nlp = spacy.load(source)
    labels = sorted(nlp.get_pipe("ner").labels)
    keep = set(labels) | {"", "O"}
    readme = target / "README.md"
    readme_text = readme.read_text(encoding="utf-8") if readme.is_file() else None
    if target.exists():
        shutil.rmtree(target)
    nlp.meta["name"] = target.name
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "PER/LOC/ORG NER trained on MSRA NER train and CLUENER train (research / non-commercial use only); "
        "see README.md. Needs `import pipeline.ner` (registers the tokenizer) before spacy.load."
    )
    nlp.meta["license"] = "research-only (training data: MSRA NER, SIGHAN 2006; CLUENER2020)"
    nlp.to_disk(target)
    if readme_text is not None:  # the hand-written description of how the model was made
        readme.write_text(readme_text, encoding="utf-8")
    strings_path = target / "vocab" / "strings.json"
    strings = json.loads(strings_path.read_text(encoding="utf-8"))
    strings_path.write_text(
        json.dumps([s for s in strings if s in keep], ensure_ascii=False), encoding="utf-8"
    )
    return {"labels": labels, "size_bytes": sum(p.stat().st_size for p in target.rglob("*") if p.is_file())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    print(package(args.source, args.target))


if __name__ == "__main__":
    main()
