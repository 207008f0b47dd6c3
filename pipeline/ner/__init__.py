"""The statistical NER stage's training side: data conversion, the tokenizer, training entry points.

Importing this package registers the NER tokenizer and the `bio_to_ents` component, which `spacy.load` needs for the shipped model.
"""

from pipeline.ner.bio import BioToEnts
from pipeline.ner.tokenizer import TOKENIZER_NAME, CharJiebaTokenizer

__all__ = ["TOKENIZER_NAME", "BioToEnts", "CharJiebaTokenizer"]
