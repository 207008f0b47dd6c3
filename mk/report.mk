# The review report (pipeline/report/): `python -m pipeline report OUT` writes OUT/report.html.
# report-screenshot: docs/report.png, the README's screenshot, taken by the browser test on corpus/.
# report-timing: size and load time of the report of a large batch (ARTICLES, default 5000).
ARTICLES ?= 5000

.PHONY: report report-screenshot report-timing

report: $(STAMP)  ## the review report of out/ -> out/report.html
	$(PY) -m pipeline report $(OUT)

report-screenshot: $(STAMP)  ## regenerate docs/report.png with the headless-browser test
	REPORT_SCREENSHOT=docs/report.png $(PY) -m pytest -q tests/test_report_browser.py -k screenshot

report-timing: $(STAMP)  ## size and load time of the report of ARTICLES articles in headless chromium
	$(PY) tests/report_timing.py --articles $(ARTICLES)
