"""The word lists and patterns of pipeline/resources/zh: loaded through libyaml, the same values."""

from __future__ import annotations

import pytest
import yaml

from pipeline.resolve import RESOURCES, SAFE_LOADER, safe_load_yaml


@pytest.mark.parametrize("path", sorted(RESOURCES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_resource_loads_as_pyyaml_safe_load_reads_it(path):
    text = path.read_text(encoding="utf-8")
    assert safe_load_yaml(text) == yaml.safe_load(text)


def test_libyaml_is_used_where_pyyaml_has_it():
    assert SAFE_LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert safe_load_yaml("a: [1, 二, 3.5]\nb: yes\n") == {"a": [1, "二", 3.5], "b": True}
