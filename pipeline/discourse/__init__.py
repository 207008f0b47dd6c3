"""The article-level context stage: what the sentence-level mentions of an article are about.

Pure: text and mentions in, resolved fields out; it never imports `pipeline.components`.

- `fields`: the size of a ranked field (`total`) chosen among the counts the number stage found in
  the whole article: by the article-level rule (default) or a learned chooser.
- `chooser`: a conditional-logit ranker over candidates (numpy; weights in a JSON file).
- `train`: trains the chooser on the annotated dev articles and cross-validates it over articles.
"""

from pipeline.discourse.fields import FieldResolver, RankingView

__all__ = ["FieldResolver", "RankingView"]
