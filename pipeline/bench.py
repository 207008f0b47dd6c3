"""`make bench`: throughput, per-stage cost, parallel speed-up and memory of the pipeline.

    python -m pipeline.bench [--chars 1000000] [--scale 10] [--data ../shared/data] [--out build/bench]

The corpus is built at run time from the sentences of msra_ner/train.bio (news text), joined into
~1,500-character articles until `--chars` characters, and written under `--out` (never into the
repository): corpus_1x.jsonl, and corpus_<scale>x.jsonl (the same articles repeated under new ids).

Measured, in one run:
- jieba: plain jieba segmentation (precise mode, HMM, default dictionary) of the same texts, chars per
  CPU second (in-process figures are CPU seconds, so other jobs on the machine do not skew them),
  the baseline; rjieba for reference.
- pipeline: `process_chunk` (segmentation, every component, validated records, JSON lines) over the
  articles in this process, after the models are loaded, chars/s, and its ratio to jieba. jieba
  and the pipeline are timed in `--repeat` alternating rounds; the ratio is that of the best
  round of each (as timeit takes the best: slower rounds measure the machine's other load and
  cache misses, not the code), and every round's own ratio is recorded next to it. The other
  choices (`--ner-model ner_zh_cnn`, `ner_zh_lstm` or `ner_zh_ensemble`, `--no-ner`) are timed
  once each unless --no-variants.
- stages: the tokenizer and each spaCy component run one after the other over all the docs (in
  chunks of CHUNK docs through the component's `pipe` where it has one, as the pipeline runs
  them), plus the record validation and JSON; each stage's seconds and share.
- extract: `python -m pipeline extract` as subprocesses: --workers 1 and 2 (and --engine dask with
  2 workers) on the 1x corpus, --workers 1 on the scaled corpus. The 1- and 2-worker runs (and
  their start-ups) alternate for `--repeat` rounds and the fastest of each is kept. Wall seconds, the speed-up from
  1 to 2 workers (raw, and net of the fixed start-up cost measured on a one-article input), and
  peak RSS (the largest process, from wait4, and the sum over the process tree, sampled).
Prints a table and writes `--out`/bench.json. The load average is printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"pipeline_vs_jieba": 0.25, "pipeline_vs_jieba_stretch": 0.5, "speedup_2_workers": 1.7}
RSS_TOLERANCE = 0.10
CHUNK = 16  # articles per chunk, as in pipeline.run


# --------------------------------------------------------------------------- corpus


def msra_sentences(path: Path) -> Iterator[str]:
    """The sentences of a BIO file (one `char<TAB>tag` per line, blank line between sentences)."""
    from pipeline.ner.convert import read_bio

    return (text for text, _ in read_bio(path))


def build_texts(bio: Path, total_chars: int, article_chars: int = 1500) -> list[str]:
    """Consecutive sentences joined into articles of about `article_chars`, `total_chars` in all."""
    texts: list[str] = []
    current: list[str] = []
    size = total = 0
    for sentence in msra_sentences(bio):
        current.append(sentence)
        size += len(sentence)
        if size >= article_chars:
            texts.append("".join(current))
            total += size
            current, size = [], 0
            if total >= total_chars:
                return texts
    if current and total < total_chars:
        texts.append("".join(current))
    return texts


def write_corpus(path: Path, texts: list[str], repeat: int = 1) -> int:
    """A JSONL batch: the texts `repeat` times, each copy under new ids. Returns its characters."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chars = 0
    with path.open("w", encoding="utf-8") as handle:
        for r in range(repeat):
            for n, text in enumerate(texts, start=1):
                line = {"id": f"bench-{r}-{n:06d}", "publish_date": "1998-06-30", "text": text}
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                chars += len(text)
    return chars


# --------------------------------------------------------------------------- in-process measurements


def _cpu() -> float:
    """CPU seconds of this process: in-process figures do not depend on what else the machine runs
    (the work is single-threaded; wall seconds are recorded next to them)."""
    return time.process_time()


def time_jieba(texts: list[str]) -> dict:
    import jieba
    import rjieba

    jieba.setLogLevel(30)
    tok = jieba.Tokenizer()
    tok.initialize()
    chars = sum(map(len, texts))
    started, wall = _cpu(), time.perf_counter()
    for text in texts:
        list(tok.cut(text, HMM=True))
    jieba_s, jieba_wall = _cpu() - started, time.perf_counter() - wall
    started = _cpu()
    for text in texts:
        rjieba.cut(text, hmm=True)
    rjieba_s = _cpu() - started
    return {
        "jieba_seconds": jieba_s,
        "jieba_chars_per_s": chars / jieba_s,
        "jieba_wall_seconds": jieba_wall,
        "rjieba_seconds": rjieba_s,
        "rjieba_chars_per_s": chars / rjieba_s,
    }


def _articles(texts: list[str]):
    from datetime import date

    from pipeline.records import Article

    return [
        Article(article_id=f"bench-0-{n:06d}", source="bench", text=text, publish_date=date(1998, 6, 30))
        for n, text in enumerate(texts, start=1)
    ]


def time_pipeline(texts: list[str], settings) -> dict:
    """process_chunk over the articles in this process (models loaded first, not timed)."""
    from pipeline.engines import _processor, process_chunk

    started = _cpu()
    processor = _processor(settings)
    processor.extract_text(texts[0][:200])  # lazily loaded models (NER) are loaded now
    load_s = _cpu() - started
    articles = _articles(texts)
    chars = sum(map(len, texts))
    counts: Counter[str] = Counter()
    started, wall = _cpu(), time.perf_counter()
    for i in range(0, len(articles), CHUNK):
        _, lines = process_chunk((0, articles[i : i + CHUNK]), settings)
        for line in lines:
            tag = line[0]
            if tag == "r":
                counts["records"] += 1
            elif tag == "e":
                counts["errors"] += 1
                counts["error:" + json.loads(line.split("\t", 2)[2])["error"]] += 1
    seconds, wall = _cpu() - started, time.perf_counter() - wall
    return {
        "load_seconds": load_s,
        "seconds": seconds,
        "chars_per_s": chars / seconds,
        "wall_seconds": wall,
        **counts,
    }


def time_long_article(texts: list[str], settings, chars: int, with_rankings: bool = True) -> dict:
    """One article of `chars` characters (the corpus texts joined, one paragraph each) processed
    whole by the whole pipeline: seconds, and seconds per million characters, next to the corpus
    figure. `with_rankings=False` leaves the ranking stage out (to compare the stages' shares)."""
    from dataclasses import replace

    from pipeline.process import ArticleProcessor

    if not with_rankings:
        settings = replace(
            settings, components=tuple(c for c in settings.components if c != "ranking_extractor")
        )
    joined = "\n".join(texts)
    text = (joined * (chars // max(1, len(joined)) + 1))[:chars]
    processor = ArticleProcessor(settings)
    processor.extract_text(text[:200])  # models loaded, not timed
    started = _cpu()
    records = processor.extract_text(text, article_id="bench-long")
    seconds = _cpu() - started
    return {
        "chars": len(text),
        "seconds": seconds,
        "seconds_per_million_chars": seconds / len(text) * 1e6,
        "records": len(records),
        "rankings": with_rankings,
    }


PDF_PAGE = ROOT / "corpus" / "haining_keji_2021-05-14.pdf"


def time_pdf_page(settings, path: Path = PDF_PAGE, repeat: int = 20) -> dict:
    """A PDF page read (PDFium's characters and the layout into articles) on one core, next to the
    extraction of the articles it gives: pages per CPU second, and reading's share of the two."""
    from pipeline.engines import _processor, process_chunk
    from pipeline.records import Article
    from pipeline.sources import read_bytes
    from pipeline.sources.pdf import load_pages

    data = path.read_bytes()
    pages = load_pages(data).page_count
    articles = [a for a in read_bytes(data, path.name, "pdf") if isinstance(a, Article)]
    started = _cpu()
    for _ in range(repeat):
        list(read_bytes(data, path.name, "pdf"))
    read_s = (_cpu() - started) / repeat / pages
    _processor(settings).extract_text("近日,园区新增企业35家。")  # models loaded, not timed
    extract_s = float("inf")
    for _ in range(3):
        started = _cpu()
        process_chunk((0, articles), settings)
        extract_s = min(extract_s, _cpu() - started)
    extract_s /= pages
    return {
        "file": path.name,
        "pages": pages,
        "chars": sum(len(a.text) for a in articles),
        "read_seconds_per_page": read_s,
        "pages_per_s": 1 / read_s,
        "extract_seconds_per_page": extract_s,
        "read_share": read_s / (read_s + extract_s),
    }


def pipeline_variants(settings) -> dict:
    """The other configurations a user can choose, timed next to the default in the same run:
    the other shipped NER models (the spaCy CNN, the BiLSTM-CRF and the CRF + BiLSTM-CRF
    ensemble, when they are there) and no NER stage at all (--no-ner)."""
    from dataclasses import replace

    from pipeline.components.ner import CNN_NAME, ENSEMBLE_NAME, LSTM_NAME, is_model_dir, shipped_path

    variants = {}
    for name in (CNN_NAME, LSTM_NAME, ENSEMBLE_NAME):
        if settings.ner_model is None and is_model_dir(shipped_path(name)):
            variants[f"--ner-model {name}"] = replace(settings, ner_model=name)
    variants["--no-ner"] = replace(
        settings, components=tuple(c for c in settings.components if c != "statistical_ner")
    )
    return variants


def _time_ner_model(proc, texts: list[str]) -> dict[str, float]:
    """Seconds of the NER model's tokenizer and of each of its components, over the stage's chunks."""
    from pipeline.components.ner import chunks

    ner_nlp = proc.ner_nlp
    pieces = [t[c.start : c.end] for t in texts for c in chunks(t, proc.max_chunk_chars)]
    seconds: dict[str, float] = {}
    from pipeline.ner.crf import CrfNer

    if isinstance(ner_nlp, CrfNer):  # features, state scores, Viterbi
        from pipeline.ner.crf import batch_feature_keys, length_batches, split_rows

        batches = [[pieces[i] for i in ids] for ids in length_batches(pieces)]  # as CrfNer.predict
        started = _cpu()
        keys = [batch_feature_keys(batch, None, ner_nlp.feature_set, ner_nlp.resources) for batch in batches]
        seconds["features"] = _cpu() - started
        started = _cpu()
        scores = [ner_nlp.emissions(k) for k in keys]
        seconds["state scores"] = _cpu() - started
        started = _cpu()
        for batch, score in zip(batches, scores, strict=True):
            ner_nlp.viterbi(split_rows(score, batch))
        seconds["viterbi"] = _cpu() - started
        return seconds
    if not hasattr(ner_nlp, "pipeline"):  # the BiLSTM-CRF, an ensemble: prediction as a whole
        started = _cpu()
        list(ner_nlp.predict(pieces))
        seconds["predict"] = _cpu() - started
        return seconds
    started = _cpu()
    docs = [ner_nlp.make_doc(piece) for piece in pieces]
    seconds["tokenizer"] = _cpu() - started
    for name, component in ner_nlp.pipeline:
        started = _cpu()
        docs = list(component.pipe(docs, batch_size=getattr(proc, "batch_size", 64)))
        seconds[name] = _cpu() - started
    return seconds


def time_stages(texts: list[str], settings, ner_pipe: bool = False) -> dict:
    """Each stage run on its own over all the docs: tokenizer, each component, records + JSON."""
    from pipeline.components.base import mentions
    from pipeline.engines import _processor
    from pipeline.nlp import SegmenterTokenizer
    from pipeline.process import records_from_mentions
    from pipeline.records import model_json

    processor = _processor(settings)
    nlp = processor.nlp
    articles = _articles(texts)
    stages: dict[str, float] = {}
    failed: Counter[str] = Counter()

    started = _cpu()
    docs = [nlp.make_doc(a.text) for a in articles]
    stages["tokenizer"] = _cpu() - started
    for doc, article in zip(docs, articles, strict=True):
        doc._.reference_date = article.publish_date
        doc._.mentions = []
    alive = list(range(len(docs)))
    for name, proc in nlp.pipeline:
        started = _cpu()
        still = []
        # as the pipeline runs it: over the docs of a chunk at once where the component has a
        # `pipe` (the NER stage batches its model over them), else doc by doc
        for n in range(0, len(alive), CHUNK):
            chunk = alive[n : n + CHUNK]
            if hasattr(proc, "pipe"):
                try:
                    for i, doc in zip(chunk, proc.pipe([docs[i] for i in chunk]), strict=True):
                        docs[i] = doc
                    still += chunk
                    continue
                except Exception:  # noqa: S112 - the docs are run one by one below, as the pipeline does
                    pass
            for i in chunk:
                try:
                    docs[i] = proc(docs[i])
                    still.append(i)
                except Exception as exc:  # the article would become an error; later stages skip it
                    failed[f"{name}:{type(exc).__name__}"] += 1
        stages[name] = _cpu() - started
        alive = still
    started = _cpu()
    for i in alive:
        records, errors = records_from_mentions(articles[i], mentions(docs[i]))
        for record in records:
            model_json(record)
        for error in errors:
            error.model_dump_json()
    stages["records+json"] = _cpu() - started

    total = sum(stages.values())
    out = {
        "seconds": stages,
        "share": {k: v / total for k, v in stages.items()},
        "failed": dict(failed),
        "alternatives": {},
    }
    # What a fix would buy: rjieba as the tokenizer; and inside the NER stage, the share of its
    # own tokenizer and of each component of the NER model (run over the same sentence chunks).
    if settings.segmenter != "rjieba":
        tokenizer = SegmenterTokenizer(nlp.vocab, "rjieba", None)
        started = _cpu()
        for a in articles:
            tokenizer(a.text)
        out["alternatives"]["tokenizer (rjieba)"] = _cpu() - started
    for name, proc in nlp.pipeline:
        if hasattr(proc, "ner_nlp") and hasattr(proc, "max_chunk_chars"):
            try:
                out["inside"] = {name: _time_ner_model(proc, texts)}
            except Exception as exc:  # no model: nothing to break down
                out["inside"] = {name: {"failed": type(exc).__name__}}
    if ner_pipe:
        for name, proc in nlp.pipeline:
            if hasattr(proc, "pipe") and name == "statistical_ner":
                fresh = [nlp.make_doc(a.text) for a in articles]
                for doc in fresh:
                    doc._.mentions = []
                started = _cpu()
                for _ in proc.pipe(fresh, batch_size=256):
                    pass
                out["alternatives"][f"{name} (pipe over all docs)"] = _cpu() - started
    return out


# --------------------------------------------------------------------------- subprocess runs


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc (0 when it is gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_extract(inputs: Path, out: Path, *args: str) -> dict:
    """`python -m pipeline extract` as a subprocess: wall seconds and peak RSS."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(out), "--quiet"]
    command += ["--force", *args]
    peak_tree = 0
    done = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, _tree_rss_kb(proc.pid))
            done.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"extract failed ({proc.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {
        "args": list(args),
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,  # the process and its waited-for children
        "peak_rss_mb": usage.ru_maxrss / 1024,  # the largest single process (Linux: KiB)
        "peak_tree_rss_mb": peak_tree / 1024,
        "articles": summary["articles"],
        "records": summary["records"],
        "errors": summary["errors"],
    }


# --------------------------------------------------------------------------- report


def _net(one: float, two: float) -> float:
    """Speed-up net of start-up; NaN when start-up noise swamps the work (corpus too small)."""
    return one / two if one > 0 and two > 0 else float("nan")


def _cpu_net(runs: dict, key: str) -> float:
    return runs[f"x1 {key}"]["cpu_seconds"] - runs[f"start-up {key}"]["cpu_seconds"]


def _fmt_rate(x: float) -> str:
    return f"{x:,.0f} chars/s"


def render(result: dict) -> str:
    rows: list[tuple[str, str]] = []
    c, j, p = result["corpus"], result["jieba"], result["pipeline"]
    rows.append(
        ("corpus", f"{c['articles']} articles, {c['chars']:,} chars (x{c['scale']}: {c['scaled_chars']:,})")
    )
    rows.append(("load average (1/5/15 min)", " ".join(f"{x:.2f}" for x in result["loadavg"])))
    rows.append(("jieba (plain, precise+HMM), per CPU s", _fmt_rate(j["jieba_chars_per_s"])))
    rows.append(("rjieba (reference), per CPU s", _fmt_rate(j["rjieba_chars_per_s"])))
    rows.append(
        (
            "pipeline, 1 core, per CPU s",
            f"{_fmt_rate(p['chars_per_s'])}  (wall: {_fmt_rate(c['chars'] / p['wall_seconds'])})",
        )
    )
    ratio = result["ratios"]["pipeline_vs_jieba"]
    rows.append(
        (
            "pipeline / jieba",
            f"{ratio:.3f}  (target >= {TARGETS['pipeline_vs_jieba']}, stretch >= "
            f"{TARGETS['pipeline_vs_jieba_stretch']}): {'ok' if ratio >= TARGETS['pipeline_vs_jieba'] else 'BELOW'}",
        )
    )
    rounds = result.get("rounds", [])
    if len(rounds) > 1:
        each = [r["ratio"] for r in rounds]
        rows.append(
            (
                "  best round of each, of",
                f"{len(rounds)} alternating rounds; the rounds' own ratios {min(each):.3f}-{max(each):.3f}",
            )
        )
    rows.append(("pipeline records / errors", f"{p.get('records', 0)} / {p.get('errors', 0)}"))
    for name, variant in result.get("variants", {}).items():
        rows.append(
            (
                f"pipeline {name}",
                f"{_fmt_rate(variant['chars_per_s'])}, / jieba "
                f"{result['ratios'][f'pipeline_vs_jieba ({name})']:.3f}, records {variant.get('records', 0)}",
            )
        )
    for key, value in sorted(p.items()):
        if key.startswith("error:"):
            rows.append((f"  errors {key[6:]}", str(value)))
    s = result["stages"]
    for name, seconds in s["seconds"].items():
        rows.append((f"  stage {name}", f"{seconds:7.2f} s  {100 * s['share'][name]:5.1f} %"))
    for name, seconds in s["alternatives"].items():
        shown = f"{seconds:7.2f} s" if isinstance(seconds, float) else seconds
        rows.append((f"  instead: {name}", shown))
    for stage, parts in s.get("inside", {}).items():
        total = sum(v for v in parts.values() if isinstance(v, float)) or 1.0
        for name, seconds in parts.items():
            shown = (
                f"{seconds:7.2f} s  {100 * seconds / total:5.1f} % of it"
                if isinstance(seconds, float)
                else seconds
            )
            rows.append((f"  inside {stage}: {name}", shown))
    for name, count in s["failed"].items():
        rows.append((f"  stage failed {name}", f"{count} docs (later stages not timed for them)"))
    runs = result["extract"]
    for key, run in runs.items():
        rows.append(
            (
                f"extract {key}",
                f"{run['seconds']:7.1f} s  {_fmt_rate(run['chars'] / run['seconds'])}  "
                f"cpu {run['cpu_seconds']:6.1f} s  peak RSS {run['peak_rss_mb']:.0f} MB (tree {run['peak_tree_rss_mb']:.0f} MB)"
                + (
                    f"  (fastest of {', '.join(f'{x:.1f}' for x in run['rounds'])} s)"
                    if len(run.get("rounds", [])) > 1
                    else ""
                ),
            )
        )
    if "long_article" in result:
        long = result["long_article"]
        corpus_s = 1e6 / p["chars_per_s"]
        rows.append(
            (
                f"one long article ({long['chars']:,} chars{'' if long['rankings'] else ', no ranking stage'})",
                f"{long['seconds']:.1f} CPU s = {long['seconds_per_million_chars']:.1f} s per million chars "
                f"(the corpus: {corpus_s:.1f} s per million chars)",
            )
        )
    if "pdf_page" in result:
        pdf = result["pdf_page"]
        rows.append(
            (
                f"PDF page read ({pdf['file']}, {pdf['chars']:,} chars), 1 core",
                f"{pdf['pages_per_s']:.0f} pages per CPU s ({pdf['read_seconds_per_page'] * 1000:.1f} ms); its "
                f"extraction {pdf['extract_seconds_per_page'] * 1000:.0f} ms: reading {pdf['read_share']:.0%} "
                "of the page's time (target < 10%)",
            )
        )
    r = result["ratios"]
    if "speedup_2_workers" in r:
        rows.append(
            (
                "speed-up 1 -> 2 workers",
                f"{r['speedup_2_workers']:.2f} raw, {r['speedup_2_workers_net']:.2f} net of start-up "
                f"(target >= {TARGETS['speedup_2_workers']}); CPU efficiency "
                f"{r['cpu_efficiency_2_workers']:.2f}",
            )
        )
    if "speedup_dask_2_workers_net" in r:
        rows.append(
            (
                "speed-up 1 -> dask 2 workers",
                f"{r['speedup_dask_2_workers_net']:.2f} net of start-up; CPU efficiency "
                f"{r['cpu_efficiency_dask_2_workers']:.2f}",
            )
        )
    if "rss_growth" in r:
        rows.append(
            (
                f"peak RSS x{c['scale']} / x1",
                f"{r['rss_growth']:.3f} (largest process), {r['tree_rss_growth']:.3f} (tree); "
                f"target <= {1 + RSS_TOLERANCE:.2f}",
            )
        )
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data directory (../shared/data)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--chars", type=int, default=1_000_000, help="characters in the 1x corpus")
    parser.add_argument("--article-chars", type=int, default=1500)
    parser.add_argument("--scale", type=int, default=10, help="the large corpus for the RSS check, x1 times")
    parser.add_argument("--ner-model", default=None, help="NER model path or name (default: the shipped one)")
    parser.add_argument(
        "--segmenter", default=None, choices=("jieba", "rjieba", "pkuseg"), help="default: the pipeline's"
    )
    parser.add_argument(
        "--no-variants",
        action="store_true",
        help="skip the in-process runs with the fast NER model and without NER",
    )
    parser.add_argument(
        "--ner-pipe", action="store_true", help="also time the NER stage over all docs at once (its pipe)"
    )
    parser.add_argument("--no-subprocess", action="store_true", help="only the in-process measurements")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="alternating rounds of jieba and the pipeline (the best of each)",
    )
    parser.add_argument(
        "--long-chars",
        type=int,
        default=1_500_000,
        help="characters of the one long article timed whole (0: skip)",
    )
    parser.add_argument(
        "--long-without-rankings",
        action="store_true",
        help="time the long article without the ranking stage",
    )
    parser.add_argument("--no-dask", action="store_true", help="skip the dask engine run")
    parser.add_argument("--no-scaled", action="store_true", help="skip the scaled corpus (RSS) run")
    args = parser.parse_args(argv)

    from pipeline.evaluate.report import default_data_dir
    from pipeline.segment import DEFAULT_SEGMENTER

    args.segmenter = args.segmenter or DEFAULT_SEGMENTER
    data = args.data or default_data_dir()
    bio = data / "msra_ner" / "train.bio"
    if not bio.is_file():
        print(f"error: {bio} not found (the bench corpus is built from it)", file=sys.stderr)
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    model_args = ["--segmenter", args.segmenter] + (["--ner-model", args.ner_model] if args.ner_model else [])

    texts = build_texts(bio, args.chars, args.article_chars)
    chars = write_corpus(out / "corpus_1x.jsonl", texts)
    result: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "settings": {"segmenter": args.segmenter, "ner_model": args.ner_model or "shipped"},
        "corpus": {"articles": len(texts), "chars": chars, "scale": args.scale, "scaled_chars": 0},
        "loadavg": list(os.getloadavg()),
        "bench_rss_before_runs_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(f"corpus: {len(texts)} articles, {chars:,} chars -> {out / 'corpus_1x.jsonl'}", flush=True)
    # The subprocess runs come first: a forked child inherits the high-water mark of this
    # process's memory in ru_maxrss, so this process must not have loaded the pipeline yet.
    ratios: dict[str, float] = {}
    result["ratios"] = ratios
    if not args.no_subprocess:
        runs: dict[str, dict] = {}
        tiny = out / "corpus_tiny.jsonl"
        write_corpus(tiny, texts[:1])

        def run(key: str, inputs: Path, n_chars: int, *extra: str) -> None:
            """One extract run; run again, `runs[key]` keeps the fastest and lists every round's seconds."""
            print(f"extract {key} ...", flush=True)
            this = run_extract(inputs, out / ("out_" + key.replace(" ", "_")), *model_args, *extra)
            this["chars"] = n_chars
            before = runs.get(key)
            this["rounds"] = [*(before or {}).get("rounds", []), this["seconds"]]
            if before is not None and before["seconds"] <= this["seconds"]:
                this = {**before, "rounds": this["rounds"]}
            runs[key] = this

        # 1 and 2 workers in alternating rounds, the fastest of each kept (as for jieba/pipeline)
        for _ in range(max(1, args.repeat)):
            run("start-up w1", tiny, len(texts[0]), "--workers", "1")
            run("x1 w1", out / "corpus_1x.jsonl", chars, "--workers", "1")
            run("start-up w2", tiny, len(texts[0]), "--workers", "2")
            run("x1 w2", out / "corpus_1x.jsonl", chars, "--workers", "2")
        w1, w2 = runs["x1 w1"]["seconds"], runs["x1 w2"]["seconds"]
        s1, s2 = runs["start-up w1"]["seconds"], runs["start-up w2"]["seconds"]
        ratios["speedup_2_workers"] = w1 / w2
        ratios["speedup_2_workers_net"] = _net(w1 - s1, w2 - s2)
        # CPU seconds of the work at 1 worker / at 2 workers (start-up excluded): 1.0 means the
        # parallel run does no extra work, so on two free cores its speed-up would approach 2.
        ratios["cpu_efficiency_2_workers"] = _net(_cpu_net(runs, "w1"), _cpu_net(runs, "w2"))
        if not args.no_dask:
            run("start-up dask w2", tiny, len(texts[0]), "--engine", "dask", "--workers", "2")
            run("x1 dask w2", out / "corpus_1x.jsonl", chars, "--engine", "dask", "--workers", "2")
            sd = runs["start-up dask w2"]["seconds"]
            ratios["speedup_dask_2_workers_net"] = _net(w1 - s1, runs["x1 dask w2"]["seconds"] - sd)
            ratios["cpu_efficiency_dask_2_workers"] = _net(_cpu_net(runs, "w1"), _cpu_net(runs, "dask w2"))
        if not args.no_scaled and args.scale > 1:
            scaled = out / f"corpus_{args.scale}x.jsonl"
            scaled_chars = write_corpus(scaled, texts, repeat=args.scale)
            result["corpus"]["scaled_chars"] = scaled_chars
            run(f"x{args.scale} w1", scaled, scaled_chars, "--workers", "1")
            big, small = runs[f"x{args.scale} w1"], runs["x1 w1"]
            ratios["rss_growth"] = big["peak_rss_mb"] / small["peak_rss_mb"]
            ratios["tree_rss_growth"] = big["peak_tree_rss_mb"] / small["peak_tree_rss_mb"]
        result["extract"] = runs
    else:
        result["extract"] = {}
    from pipeline.nlp import PipelineSettings

    settings = PipelineSettings(segmenter=args.segmenter, ner_model=args.ner_model)
    rounds = []
    for n in range(max(1, args.repeat)):
        jieba_round = time_jieba(texts)
        pipeline_round = time_pipeline(texts, settings)
        rounds.append((jieba_round, pipeline_round))
        print(
            f"round {n + 1}: jieba {_fmt_rate(jieba_round['jieba_chars_per_s'])}, pipeline "
            f"{_fmt_rate(pipeline_round['chars_per_s'])}, ratio "
            f"{pipeline_round['chars_per_s'] / jieba_round['jieba_chars_per_s']:.3f}",
            flush=True,
        )
    result["jieba"] = max((j for j, _ in rounds), key=lambda j: j["jieba_chars_per_s"])
    result["pipeline"] = max((p for _, p in rounds), key=lambda p: p["chars_per_s"])
    result["rounds"] = [
        {
            "jieba_chars_per_s": j["jieba_chars_per_s"],
            "pipeline_chars_per_s": p["chars_per_s"],
            "ratio": p["chars_per_s"] / j["jieba_chars_per_s"],
        }
        for j, p in rounds
    ]
    result["stages"] = time_stages(texts, settings, ner_pipe=args.ner_pipe)
    ratios["pipeline_vs_jieba"] = result["pipeline"]["chars_per_s"] / result["jieba"]["jieba_chars_per_s"]
    if not args.no_variants:
        result["variants"] = {}
        for name, variant in pipeline_variants(settings).items():
            print(f"pipeline ({name}) ...", flush=True)
            result["variants"][name] = time_pipeline(texts, variant)
            ratios[f"pipeline_vs_jieba ({name})"] = (
                result["variants"][name]["chars_per_s"] / result["jieba"]["jieba_chars_per_s"]
            )

    print("a PDF page ...", flush=True)
    result["pdf_page"] = time_pdf_page(settings)
    if args.long_chars > 0:
        print(f"one long article of {args.long_chars:,} characters ...", flush=True)
        result["long_article"] = time_long_article(
            texts, settings, args.long_chars, not args.long_without_rankings
        )
    result["loadavg_end"] = list(os.getloadavg())

    table = render(result)
    print(table)
    (out / "bench.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "bench.txt").write_text(table + "\n", encoding="utf-8")
    print(f"wrote {out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
