"""The character vectors' pretraining text and file (pipeline/ner/char_vectors.py, issue 23)."""

from __future__ import annotations

import json

import pytest

from pipeline.ner import char_vectors, lstm


def _data(tmp_path):
    (tmp_path / "msra_ner").mkdir()
    (tmp_path / "cluener").mkdir()
    (tmp_path / "peoples_daily").mkdir()
    blocks = ["\n".join(f"{c}\tO" for c in text) for text in ("王建国来", "南州市", "科技局")]
    (tmp_path / "msra_ner" / "train.bio").write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    lines = [json.dumps({"text": t, "label": {}}, ensure_ascii=False) for t in ("浙商银行", "叶老桂")]
    (tmp_path / "cluener" / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "peoples_daily" / "199801.utf8").write_text(
        "19980101-01-001-001/m  [南州/ns  科技局/n]nt  王/nr  建国/nr  。/w  \n\n", encoding="utf-8"
    )
    return tmp_path


def test_texts_strip_peoples_daily_tags_and_leave_out_the_dev_sentences(tmp_path):
    data = _data(tmp_path)
    assert list(char_vectors.texts(data, dev_every=3)) == [
        ("msra", "王建国来"),
        ("msra", "南州市"),  # 科技局, the third, is dev
        ("cluener", "浙商银行"),
        ("cluener", "叶老桂"),
        ("peoples_daily", "南州科技局王建国。"),
    ]


def test_pretrained_vectors_are_read_by_the_lstm(tmp_path):
    pytest.importorskip("gensim", reason="gensim is a training dependency: pip install -e '.[train]'")
    data = _data(tmp_path)
    info = char_vectors.pretrain(data, tmp_path / "v.txt", dim=8, epochs=1, min_count=1, workers=1)
    vectors = lstm.read_char_vectors(tmp_path / "v.txt")
    assert info["vocabulary"] == len(vectors) and ord("王") in vectors and vectors[ord("王")].shape == (8,)
