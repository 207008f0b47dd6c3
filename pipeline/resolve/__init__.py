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


@cache
def load_resource(name: str) -> Any:
    """A YAML data file from pipeline/resources/zh (cached; treat the result as read-only)."""
    with open(RESOURCES / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)
