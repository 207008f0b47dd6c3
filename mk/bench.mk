# Throughput and scale. The corpus is built under $(BENCH_OUT) from $(SHARED)/msra_ner/train.bio.
# It ends with the figures the README quotes (issue 20: whole processes, start-up included, medians
# of alternating rounds: pipeline / jieba.cut, 2 workers over 1, one short article, peak RSS, 10x / 1x).
# The defaults (150,000 characters) take a few minutes; the issue's full size is
# `make bench BENCH_CHARS=1000000` (about 15 minutes on 2 cores, a third of it the 10x RSS run and
# the in-process runs of the slower NER models). Another NER model: make bench BENCH_ARGS="--ner-model PATH";
# more alternating rounds: BENCH_ARGS="--repeat 5".
BENCH_OUT   ?= build/bench
BENCH_CHARS ?= 150000
BENCH_SCALE ?= 10
BENCH_ARGS  ?=

.PHONY: bench

bench: $(STAMP)  ## jieba vs pipeline chars/s, per-stage shares, 1->2 worker speed-up, peak RSS at 1x/10x
	$(PY) -m pipeline.bench --data $(SHARED) --out $(BENCH_OUT) --chars $(BENCH_CHARS) \
		--scale $(BENCH_SCALE) $(BENCH_ARGS)
