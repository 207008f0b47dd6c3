"""A run killed with SIGKILL at random moments, then re-run, gives byte-identical output."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
OUTPUTS = ("articles.jsonl", "records.jsonl", "errors.jsonl")


def _extract(inputs: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(out), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_killed_runs_resume_to_identical_output(tmp_path):
    inputs = tmp_path / "in"
    shutil.copytree(CORPUS, inputs / "batch0")
    for n in range(1, 4):  # more pages (not the JSONL batch: its ids would repeat)
        shutil.copytree(CORPUS, inputs / f"batch{n}", ignore=shutil.ignore_patterns("*.jsonl"))
    reference = tmp_path / "reference"
    started = time.monotonic()
    proc = _extract(inputs, reference)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()
    duration = time.monotonic() - started

    out = tmp_path / "out"
    rng = random.Random(20261126)
    for _ in range(3):
        proc = _extract(inputs, out)
        time.sleep(rng.uniform(0.2, duration * 0.95))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name in OUTPUTS:  # whatever a killed run left is complete lines only
            path = out / name
            if path.exists():
                assert path.read_bytes() == b"" or path.read_bytes().endswith(b"\n")
    proc = _extract(inputs, out)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()
    for name in OUTPUTS:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    leftovers = [p.name for p in out.rglob("*.tmp")]
    assert leftovers == []
