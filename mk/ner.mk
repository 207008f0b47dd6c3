# Statistical NER (issue 4): `make train-ner` reproduces pipeline/models/ner_zh from $(SHARED).
# Build files go to build/ner/. About an hour on 2 CPU cores.
NER_BUILD ?= build/ner
NER_MODEL := pipeline/models/ner_zh
NER_CONFIG := configs/ner.cfg

.PHONY: train-ner eval-ner

$(NER_BUILD)/train.spacy: pipeline/ner/convert.py $(STAMP)
	$(PY) -m pipeline.ner.convert --data $(SHARED) --out $(NER_BUILD) --dev-every 20

train-ner: $(NER_BUILD)/train.spacy  ## train the NER model and ship it in pipeline/models/ner_zh
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(PY) -m pipeline.ner.train $(NER_CONFIG) $(NER_BUILD)/model \
		--paths.train $(NER_BUILD)/train.spacy --paths.dev $(NER_BUILD)/dev.spacy
	$(PY) -m pipeline.ner.package $(NER_BUILD)/model/model-best $(NER_MODEL)

eval-ner: $(STAMP)  ## the shipped NER model on MSRA test (F1 per type, chars/s)
	$(PY) -m pipeline.evaluate.ner_msra --data $(SHARED)
