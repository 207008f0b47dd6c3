# Statistical NER (issue 4). Build files go to build/ner/.
#   make train-ner      the default model, pipeline/models/ner_zh: a character CRF (pipeline/ner/crf.py)
#                       on MSRA + CLUENER train, with a name lexicon and organisation endings from
#                       People's Daily 1998 (pipeline/ner/lexicon.py), about 35 minutes of CRFsuite
#                       on one core;
#   make train-ner-lstm the BiLSTM-CRF, pipeline/models/ner_zh_lstm (pipeline/ner/lstm.py; torch, installed
#                       by the target), on the same data and People's Daily inputs: 10 epochs, then 5
#                       more at half the learning rate (dev F1 was still rising), about 70 minutes
#                       on 2 cores;
#   make train-ner-lstm2 a second BiLSTM-CRF, the same but from other random seeds, shipped inside
#                       the ensemble (pipeline/models/ner_zh_ensemble/lstm_seed1), about 70 minutes;
#   make train-char-vectors character vectors for the BiLSTM-CRF (pipeline/ner/char_vectors.py, gensim
#                       Word2Vec on MSRA + CLUENER train text and People's Daily 1998; about a minute),
#                       build/ner/char_vectors.txt, read by `pipeline.ner.lstm train --char-vectors`;
#   make compare-char-vectors two short BiLSTM-CRF trainings, the same seed, without and with them
#                       (CHAR_VECTORS_EPOCHS, the first CHAR_VECTORS_LIMIT sentences, empty: all; dev F1 per epoch in
#                       build/ner/lstm_{base,vec}/meta.json; issue 23);
#   make tune-ner-ensemble weighs the CRF and the two BiLSTM-CRFs on dev and writes
#                       pipeline/models/ner_zh_ensemble/ensemble.json;
#   make train-ner-cnn  the alternative spaCy model, pipeline/models/ner_zh_cnn, in three stages
#                       (about 3 hours on 2 CPU cores in all):
#     1. configs/ner.cfg, 3,500 steps on MSRA;
#     2. configs/ner_continue.cfg, 3,000 more steps on MSRA from stage 1's best model;
#     3. configs/ner_cluener.cfg, 5,000 steps on MSRA + CLUENER from stage 2's best model.
# The MSRA + CLUENER data (pipeline/ner/convert.py --cluener) has the LOC that CLUENER does not
# annotate labelled by a model, $(NER_SILVER_MODEL): by default stage 2's model, as for the shipped
# models (so both targets first run stages 1 and 2); NER_SILVER_MODEL=pipeline/models/ner_zh_cnn
# skips those 1.5 hours at the price of slightly different silver labels.
NER_BUILD ?= build/ner
NER_MODEL := pipeline/models/ner_zh
NER_CNN_MODEL := pipeline/models/ner_zh_cnn
NER_CONFIG := configs/ner.cfg
NER_SILVER_MODEL ?= $(NER_BUILD)/continued/model-best
NER_CRF_ARGS ?= --iterations 200 --c1 0.1 --c2 0.01 --feature-set 6 --tags bioes \
	--lexicon $(SHARED)/peoples_daily/199801.utf8
NER_ENV := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
NER_LSTM_MODEL := pipeline/models/ner_zh_lstm
NER_ENSEMBLE_MODEL := pipeline/models/ner_zh_ensemble
NER_LSTM2_MODEL := $(NER_ENSEMBLE_MODEL)/lstm_seed1
NER_ENSEMBLE_MEMBERS ?= $(NER_MODEL) $(NER_LSTM_MODEL) $(NER_LSTM2_MODEL)
NER_LSTM_ARGS ?= --lexicon $(SHARED)/peoples_daily/199801.utf8

CHAR_VECTORS := $(NER_BUILD)/char_vectors.txt
CHAR_VECTORS_EPOCHS ?= 3
CHAR_VECTORS_LIMIT ?= 30000

.PHONY: train-ner train-ner-lstm train-ner-lstm2 tune-ner-ensemble train-ner-cnn eval-ner \
	train-char-vectors compare-char-vectors

$(NER_BUILD)/train.spacy: pipeline/ner/convert.py $(STAMP)
	$(PY) -m pipeline.ner.convert --data $(SHARED) --out $(NER_BUILD) --dev-every 20

$(NER_BUILD)/continued/model-best/meta.json: $(NER_BUILD)/train.spacy
	$(NER_ENV) $(PY) -m pipeline.ner.train $(NER_CONFIG) $(NER_BUILD)/model \
		--paths.train $(NER_BUILD)/train.spacy --paths.dev $(NER_BUILD)/dev.spacy
	$(NER_ENV) $(PY) -m pipeline.ner.train configs/ner_continue.cfg \
		$(NER_BUILD)/continued --paths.train $(NER_BUILD)/train.spacy --paths.dev $(NER_BUILD)/dev.spacy \
		--components.tok2vec.source $(NER_BUILD)/model/model-best --components.ner.source $(NER_BUILD)/model/model-best

$(NER_BUILD)/cluener/train.spacy: | $(NER_SILVER_MODEL)/meta.json
	$(PY) -m pipeline.ner.convert --data $(SHARED) --out $(NER_BUILD)/cluener --dev-every 20 \
		--cluener --silver-model $(NER_SILVER_MODEL)

train-ner: $(NER_BUILD)/cluener/train.spacy  ## train the CRF NER model and ship it in pipeline/models/ner_zh
	$(NER_ENV) $(PY) -m pipeline.ner.crf train $(NER_BUILD)/cluener $(NER_BUILD)/crf $(NER_CRF_ARGS)
	$(PY) -m pipeline.ner.crf package $(NER_BUILD)/crf $(NER_MODEL)

train-ner-lstm: $(NER_BUILD)/cluener/train.spacy $(TRAIN_STAMP)  ## train the BiLSTM-CRF NER model (torch), ship it in pipeline/models/ner_zh_lstm
	$(PY) -m pipeline.ner.lstm train $(NER_BUILD)/cluener $(NER_BUILD)/lstm_first $(NER_LSTM_ARGS) --epochs 10
	$(PY) -m pipeline.ner.lstm train $(NER_BUILD)/cluener $(NER_BUILD)/lstm $(NER_LSTM_ARGS) --epochs 5 \
		--lr 0.0005 --seed 2 --init-from $(NER_BUILD)/lstm_first
	$(PY) -m pipeline.ner.lstm package $(NER_BUILD)/lstm $(NER_LSTM_MODEL)

train-ner-lstm2: $(NER_BUILD)/cluener/train.spacy $(TRAIN_STAMP)  ## train a second BiLSTM-CRF (other seeds) for the ensemble
	$(PY) -m pipeline.ner.lstm train $(NER_BUILD)/cluener $(NER_BUILD)/lstm2_first $(NER_LSTM_ARGS) --epochs 10 \
		--seed 1
	$(PY) -m pipeline.ner.lstm train $(NER_BUILD)/cluener $(NER_BUILD)/lstm2 $(NER_LSTM_ARGS) --epochs 5 \
		--lr 0.0005 --seed 3 --init-from $(NER_BUILD)/lstm2_first
	$(PY) -m pipeline.ner.lstm package $(NER_BUILD)/lstm2 $(NER_LSTM2_MODEL)

tune-ner-ensemble: $(NER_BUILD)/cluener/train.spacy  ## weigh the ensemble's members on dev, write pipeline/models/ner_zh_ensemble
	$(PY) -m pipeline.ner.ensemble tune $(NER_BUILD)/cluener/dev.spacy $(NER_ENSEMBLE_MEMBERS) \
		--out $(NER_ENSEMBLE_MODEL)

train-ner-cnn: $(NER_BUILD)/cluener/train.spacy  ## train the spaCy CNN NER model, ship it in pipeline/models/ner_zh_cnn
	$(NER_ENV) $(PY) -m pipeline.ner.train configs/ner_cluener.cfg $(NER_BUILD)/stage3 \
		--paths.train $(NER_BUILD)/cluener/train.spacy --paths.dev $(NER_BUILD)/cluener/dev.spacy \
		--components.tok2vec.source $(NER_BUILD)/continued/model-best \
		--components.ner.source $(NER_BUILD)/continued/model-best
	$(PY) -m pipeline.ner.package $(NER_BUILD)/stage3/model-best $(NER_CNN_MODEL)

eval-ner: $(STAMP)  ## the shipped NER models on MSRA test (F1 per type, chars/s)
	$(PY) -m pipeline.evaluate.ner_msra --data $(SHARED)
	$(PY) -m pipeline.evaluate.ner_msra --data $(SHARED) --model ner_zh_ensemble
	$(PY) -m pipeline.evaluate.ner_msra --data $(SHARED) --model ner_zh_lstm
	$(PY) -m pipeline.evaluate.ner_msra --data $(SHARED) --model ner_zh_cnn

train-char-vectors: $(CHAR_VECTORS)  ## pretrain character vectors (gensim Word2Vec) for the BiLSTM-CRF

$(CHAR_VECTORS): pipeline/ner/char_vectors.py $(TRAIN_STAMP)
	$(PY) -m pipeline.ner.char_vectors --data $(SHARED) --out $@

compare-char-vectors: $(NER_BUILD)/cluener/train.spacy $(CHAR_VECTORS) $(TRAIN_STAMP)  ## short BiLSTM-CRF runs without / with the character vectors
	$(PY) -m pipeline.ner.lstm train $(NER_BUILD)/cluener $(NER_BUILD)/lstm_base $(NER_LSTM_ARGS) \
		--epochs $(CHAR_VECTORS_EPOCHS) $(if $(CHAR_VECTORS_LIMIT),--limit $(CHAR_VECTORS_LIMIT)) --seed 0
	$(PY) -m pipeline.ner.lstm train $(NER_BUILD)/cluener $(NER_BUILD)/lstm_vec $(NER_LSTM_ARGS) \
		--epochs $(CHAR_VECTORS_EPOCHS) $(if $(CHAR_VECTORS_LIMIT),--limit $(CHAR_VECTORS_LIMIT)) --seed 0 --char-vectors $(CHAR_VECTORS)
