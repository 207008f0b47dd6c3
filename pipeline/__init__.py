"""Chinese bulletin information extraction: raw bulletins in, validated typed records out.

`from pipeline import Extractor` is the Python API (pipeline/api.py); it is imported on first use,
so `import pipeline` stays cheap. spaCy, when some module of the pipeline imports it, is imported
without its command line (`pipeline.spacy_import`).
"""

from pipeline.spacy_import import defer_spacy_cli

defer_spacy_cli()

__version__ = "0.1.0"

__all__ = ["Extractor", "ExtractionError", "__version__"]


def __getattr__(name: str):
    if name in ("Extractor", "ExtractionError"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
