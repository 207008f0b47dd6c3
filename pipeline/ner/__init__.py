"""The statistical NER stage's training side: data conversion, the tokenizer, training entry points.

Importing this package registers the NER tokenizer, which `spacy.load` needs for the shipped model.
"""

from pipeline.ner.tokenizer import TOKENIZER_NAME, CharJiebaTokenizer

__all__ = ["TOKENIZER_NAME", "CharJiebaTokenizer"]
