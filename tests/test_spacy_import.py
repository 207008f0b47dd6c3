"""`pipeline.spacy_import`: spaCy imported without its command line, which stays reachable."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import pipeline
import spacy
print("spacy.cli" in sys.modules, "weasel" in sys.modules, spacy.__spec__.loader is spacy.__loader__)
print(callable(spacy.info), spacy.cli.download.__module__)
import spacy.cli.train
print(spacy.cli.train.__name__)
"""


def test_spacy_is_imported_without_its_cli_and_loads_it_when_asked():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True", "True", "spacy.cli.download", "spacy.cli.train"]
