# Throughput and scale: `make bench` (about 10-15 minutes on 2 cores with the defaults; the corpus
# is built under $(BENCH_OUT) from $(SHARED)/msra_ner/train.bio). Quick look: make bench BENCH_CHARS=200000
BENCH_OUT   ?= build/bench
BENCH_CHARS ?= 1000000
BENCH_SCALE ?= 10
BENCH_ARGS  ?=

.PHONY: bench

bench: $(STAMP)  ## jieba vs pipeline chars/s, per-stage shares, 1->2 worker speed-up, peak RSS at 1x/10x
	$(PY) -m pipeline.bench --data $(SHARED) --out $(BENCH_OUT) --chars $(BENCH_CHARS) \
		--scale $(BENCH_SCALE) $(BENCH_ARGS)
