"""`import spacy` without its command line: 0.15 s of every process's start-up.

spaCy 3.8's `spacy/__init__.py` imports `spacy.cli.info` only to offer `spacy.info`, and with it the
whole `spacy.cli` package (every command: typer, requests, weasel, jinja2, ...): a third of
`import spacy`, and nothing the pipeline runs (spaCy made it lazy on its next major version,
explosion/spaCy#12962). `defer_spacy_cli()` (called by `pipeline/__init__.py`, so it imports
nothing) puts a finder first on `sys.meta_path` that, the one time spaCy is imported, gives that
import a stand-in `spacy.cli.info` and takes it away again once spaCy is loaded. Afterwards
`spacy.info(...)`, `spacy.cli` and `import spacy.cli` (`pipeline.ner.train`) load the real package.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types


def _info(*args, **kwargs):
    """`spacy.info`, imported when called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _module_getattr(name: str):
    """spaCy's module `__getattr__`: `spacy.cli` imported on first use, as it was before."""
    if name == "cli":
        return importlib.import_module("spacy.cli")
    raise AttributeError(f"module 'spacy' has no attribute {name!r}")


class _WithoutCli:
    """spaCy's own loader, run with the stand-ins in `sys.modules` (and put back in its place after)."""

    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        package = types.ModuleType("spacy.cli")
        package.__path__ = []
        info = types.ModuleType("spacy.cli.info")
        info.info = _info
        stand_ins = {"spacy.cli": package, "spacy.cli.info": info}
        for name, stand_in in stand_ins.items():
            sys.modules.setdefault(name, stand_in)
        try:
            self.loader.exec_module(module)
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
            module.__loader__ = module.__spec__.loader = self.loader
        module.__dict__.setdefault("__getattr__", _module_getattr)


class _SpacyFinder:
    """Finds spaCy once, as the other finders do, and wraps its loader."""

    def find_spec(self, name, path=None, target=None):
        if name != "spacy":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _WithoutCli(spec.loader)
        return spec


def defer_spacy_cli() -> None:
    """Have spaCy's first import leave `spacy.cli` out (a no-op once spaCy is imported)."""
    if "spacy" in sys.modules or any(isinstance(f, _SpacyFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _SpacyFinder())
