# Rankings (issue 5): the examples corpus and the dev evaluation through ArticleProcessor.
.PHONY: test-rankings eval-rankings

test-rankings: $(STAMP)  ## ranking rules: tests/examples/ranking.yaml
	$(PY) -m pytest -q tests/test_rankings.py

eval-rankings: $(STAMP)  ## rankings vs ../shared/data/bulletins_dev (F1, subject and change accuracy)
	BULLETIN_SHARED_DATA=$(SHARED) $(PY) -m pipeline.evaluate.rankings
