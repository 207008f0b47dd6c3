# Throughput and scale. The corpus is built under $(BENCH_OUT) from $(SHARED)/msra_ner/train.bio.
# The defaults (150,000 characters) take a few minutes; the issue's full size is
# `make bench BENCH_CHARS=1000000` (about 10 minutes on 2 cores, a third of it the 10x RSS run and
# the run with the slower spaCy NER model). Another NER model: make bench BENCH_ARGS="--ner-model PATH";
# more alternating jieba/pipeline rounds: BENCH_ARGS="--repeat 5".
BENCH_OUT   ?= build/bench
BENCH_CHARS ?= 150000
BENCH_SCALE ?= 10
BENCH_ARGS  ?=

.PHONY: bench

bench: $(STAMP)  ## jieba vs pipeline chars/s, per-stage shares, 1->2 worker speed-up, peak RSS at 1x/10x
	$(PY) -m pipeline.bench --data $(SHARED) --out $(BENCH_OUT) --chars $(BENCH_CHARS) \
		--scale $(BENCH_SCALE) $(BENCH_ARGS)
