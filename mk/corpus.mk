# The corpus's PDF page (issue 21), typeset from the invented bulletin in tests/corpus_pdf.py with
# reportlab (the dev extra); the same bytes each run, so a test checks the committed file is current.
.PHONY: corpus-pdf

corpus-pdf: $(STAMP)  ## regenerate corpus/haining_keji_2021-05-14.pdf from tests/corpus_pdf.py
	$(PY) tests/corpus_pdf.py corpus/haining_keji_2021-05-14.pdf
