"""The statistical NER models: the CRF (crf.py, the default; lexicon.py and clusters.py its outside
knowledge), the BiLSTM-CRF (lstm.py), ensembles of the two (ensemble.py), the spaCy CNN model's
tokenizer, data conversion (convert.py) and training entry points.

Importing this package registers the CNN model's tokenizer, which `spacy.load` needs for it.
"""

from pipeline.ner.tokenizer import TOKENIZER_NAME, CharJiebaTokenizer

__all__ = ["TOKENIZER_NAME", "CharJiebaTokenizer"]
