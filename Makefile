# Set-up and everyday commands. `make extract` and `make test` are all a fresh machine needs.
PYTHON_BOOT ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
STAMP       := $(VENV)/.installed-stamp
TRAIN_STAMP := $(VENV)/.installed-train-stamp
SHARED      ?= ../shared/data
OUT         ?= out
INPUTS      ?= corpus

.PHONY: install install-train extract test lint format schemas eval bench clean

install: $(STAMP)

install-train: $(TRAIN_STAMP)  ## also torch, to train the BiLSTM-CRF NER model

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# torch, for training the BiLSTM-CRF NER model (`make train-ner-lstm`) and its training tests
$(TRAIN_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,train]'
	touch $(TRAIN_STAMP)

extract: $(STAMP)  ## run the pipeline on corpus/ into out/
	$(PY) -m pipeline extract $(INPUTS) -o $(OUT)

test: $(STAMP)  ## the whole test suite
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check pipeline tests
	$(PY) -m ruff format --check pipeline tests

format: $(STAMP)
	$(PY) -m ruff check --fix pipeline tests
	$(PY) -m ruff format pipeline tests

schemas: $(STAMP)  ## regenerate schemas/ from pipeline/records.py
	$(PY) -m pipeline schemas schemas

eval: $(STAMP)  ## every evaluation against ../shared/data
	$(PY) -m pipeline eval --data $(SHARED)

clean:
	rm -rf $(OUT) build

# Per-area targets (train-ner, train-segmenter, bench, load, ...) live in mk/*.mk.
-include mk/*.mk
