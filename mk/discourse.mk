# The article-level context stage (issue 16). Its default, the article-level field rule, needs no
# training; the learned field chooser is an alternative, measured by 5-fold cross-validation over the
# dev articles in `make eval-rankings` (cv5.*). To train it on all 50 dev articles and use it:
#   make train-discourse
#   python -m pipeline extract ... (with component_config {"article_context": {"field_model": PATH}})
# The dev articles are research data: a model trained on them is for research use.
DISCOURSE_MODEL ?= build/discourse/fields.json

.PHONY: train-discourse

train-discourse: $(STAMP)  ## train the learned field chooser on bulletins_dev, print its 5-fold CV figures
	$(PY) -m pipeline.discourse.train --data $(SHARED) --out $(DISCOURSE_MODEL)
