# Statistical NER (issue 4): `make train-ner` reproduces pipeline/models/ner_zh from $(SHARED).
# Build files go to build/ner/. Two stages (configs/ner.cfg, 3,500 steps; then configs/ner_continue.cfg,
# 3,000 more steps from the first stage's best model): about 1.5 hours on 2 CPU cores.
NER_BUILD ?= build/ner
NER_MODEL := pipeline/models/ner_zh
NER_CONFIG := configs/ner.cfg

.PHONY: train-ner eval-ner

$(NER_BUILD)/train.spacy: pipeline/ner/convert.py $(STAMP)
	$(PY) -m pipeline.ner.convert --data $(SHARED) --out $(NER_BUILD) --dev-every 20

train-ner: $(NER_BUILD)/train.spacy  ## train the NER model and ship it in pipeline/models/ner_zh
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pipeline.ner.train $(NER_CONFIG) $(NER_BUILD)/model \
		--paths.train $(NER_BUILD)/train.spacy --paths.dev $(NER_BUILD)/dev.spacy
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pipeline.ner.train configs/ner_continue.cfg \
		$(NER_BUILD)/continued --paths.train $(NER_BUILD)/train.spacy --paths.dev $(NER_BUILD)/dev.spacy \
		--components.tok2vec.source $(NER_BUILD)/model/model-best --components.ner.source $(NER_BUILD)/model/model-best
	$(PY) -m pipeline.ner.package $(NER_BUILD)/continued/model-best $(NER_MODEL)

eval-ner: $(STAMP)  ## the shipped NER model on MSRA test (F1 per type, chars/s)
	$(PY) -m pipeline.evaluate.ner_msra --data $(SHARED)
