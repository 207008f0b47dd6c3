# One evaluation at a time: make eval-<NAME> (numbers_dates, recognizers, organizations, ner_msra, rankings,
# segmentation, heldout, facts). `make eval` runs them all.
.PHONY: eval-%
eval-%: $(STAMP)
	$(PY) -m pipeline eval --data $(SHARED) --only $*
