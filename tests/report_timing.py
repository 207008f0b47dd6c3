"""How quickly the report of a large batch opens: `make report-timing` (ARTICLES=5000).

Builds a JSONL batch of N articles from corpus/'s own articles (each numbered, so every one is a
distinct article with its own records), runs `extract` and `report` on it, opens the report in
headless Chromium (tests/headless.py) and prints the file size, the time from navigation to the
first page of articles rendered, the page's load event, and the time to filter all N articles by
kind and by a search word. Not a test: the figures depend on the machine (README "Review report").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from headless import Browser

ROOT = Path(__file__).resolve().parents[1]


def make_batch(path: Path, n: int, corpus_out: Path) -> None:
    articles = [
        json.loads(line) for line in (corpus_out / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            a = articles[i % len(articles)]
            line = {
                "id": f"batch-{i:05d}",
                "title": f"{a.get('title') or '简报'}(第{i + 1}期)",
                "text": f"第{i + 1}期:{a['text']}",
                "publish_date": a.get("publish_date"),
                "source": f"batch/{a['source']}",
            }
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def pipeline(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "report-timing")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="Opens of the page (the fastest is kept).")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    pipeline("extract", str(ROOT / "corpus"), "-o", str(out / "corpus-out"), "--quiet")
    batch = out / "batch.jsonl"
    make_batch(batch, args.articles, out / "corpus-out")
    big = out / "batch-out"
    extract_s = pipeline("extract", str(batch), "-o", str(big), "--quiet", "--workers", str(args.workers))
    report_s = pipeline("report", str(big), "--quiet")
    report = big / "report.html"
    records = sum(1 for _ in (big / "records.jsonl").open(encoding="utf-8"))

    browser = Browser.start()
    rounds = []
    try:
        for _ in range(args.repeat):
            started = time.perf_counter()
            browser.open(report)
            get_s = time.perf_counter() - started
            first_page, load = browser.js(
                "var nav = performance.getEntriesByType('navigation')[0];"
                "return [performance.getEntriesByName('report-first-page')[0].startTime, nav.loadEventEnd];"
            )
            kind_ms = browser.js(
                "var k = document.getElementById('kind-filter'); k.value = 'ranking';"
                "k.dispatchEvent(new Event('change')); return Number(document.body.dataset.filterMs);"
            )
            search_ms = browser.js(
                "var s = document.getElementById('search'); s.value = '高新区';"
                "s.dispatchEvent(new Event('input'));"
                "return new Promise(function (done) { setTimeout(function () {"
                " done(Number(document.body.dataset.filterMs)); }, 400); });"
            )
            rounds.append((first_page, load, get_s, kind_ms, search_ms))
    finally:
        browser.quit()
    first_page, load, get_s, kind_ms, search_ms = min(rounds)
    print(f"{args.articles} articles, {records} records: extract {extract_s:.1f} s, report {report_s:.1f} s")
    print(f"report.html {report.stat().st_size / 2**20:.1f} MB")
    print(
        f"headless chromium, fastest of {len(rounds)}: first page rendered {first_page:.0f} ms after navigation, "
        f"load event {load:.0f} ms, driver.get {get_s:.2f} s; filter by kind {kind_ms:.0f} ms, "
        f"first search {search_ms:.0f} ms"
    )
    print("all rounds (first page ms, load ms, get s, kind ms, search ms):", rounds)


if __name__ == "__main__":
    main()
