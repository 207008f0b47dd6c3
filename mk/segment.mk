# Segmentation: train the pkuseg model shipped in pipeline/models/pkuseg_pd, and measure the segmenters.
SEGMENT_BUILD ?= build/segment
SEGMENT_ITERS ?= 4
SEGMENT_TRIM  ?= 2

.PHONY: train-segmenter eval-segmenter

$(SEGMENT_BUILD)/train.txt: $(STAMP) pipeline/segment_train.py $(SHARED)/peoples_daily/199801.utf8
	$(PY) -m pipeline.segment_train convert --source $(SHARED)/peoples_daily/199801.utf8 --out $(SEGMENT_BUILD)

# One process: 31 min on a shared 2-core machine (4 iterations; dev F1 96.5%); log in $(SEGMENT_BUILD)/train.log.
train-segmenter: $(SEGMENT_BUILD)/train.txt  ## pkuseg on People's Daily 199801 -> pipeline/models/pkuseg_pd
	$(PY) -m pipeline.segment_train train --work $(SEGMENT_BUILD) --iters $(SEGMENT_ITERS) \
		--feature-trim $(SEGMENT_TRIM) --model-dir pipeline/models/pkuseg_pd \
		> $(SEGMENT_BUILD)/train.log 2>&1 || { tail -20 $(SEGMENT_BUILD)/train.log; exit 1; }
	grep -E '^iter|^trained' $(SEGMENT_BUILD)/train.log

eval-segmenter: $(STAMP)  ## F1 and chars/s of each segmenter on the SIGHAN 2005 PKU test set
	mkdir -p $(SEGMENT_BUILD)
	$(PY) -m pipeline.evaluate.segmentation $(SHARED) | tee $(SEGMENT_BUILD)/eval.txt
