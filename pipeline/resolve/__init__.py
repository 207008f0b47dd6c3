"""Pure resolvers: numerals and units -> values; a date expression + reference date -> ISO value.

Nothing here reads the clock or the document: every function is a pure function of its arguments
(and of the data files in pipeline/resources/zh, loaded once).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "zh"


# libyaml's parser with PyYAML's safe constructor where PyYAML was built with it (the same values:
# tests/test_resources.py; 5-10x faster: the word lists and patterns were a tenth of start-up).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, through libyaml when it is there."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


@cache
def load_resource(name: str) -> Any:
    """A YAML data file from pipeline/resources/zh (cached; treat the result as read-only)."""
    return safe_load_yaml((RESOURCES / name).read_text(encoding="utf-8"))
