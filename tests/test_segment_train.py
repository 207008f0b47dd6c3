"""Conversion of the People's Daily 1998 tagged corpus to pkuseg's training format.

The lines below are written for this test in the corpus format (ID token, word/TAG separated by
two spaces, [ ]nt brackets, full-width digits); they are not taken from the corpus.
"""

from __future__ import annotations

from pipeline.segment_train import convert, half_width, parse_line, split_sentences

LINE = (
    "19990305-02-003-004/m  [南京/ns  高新区/n  管委会/n]nt  ２０１９年/t  新/a  认定/v  "
    "[江苏/ns  某某/r  科技/n  有限公司/n]nt  １２/m  家/q  ，/w  增长/v  ３．５％/m  。/w  "
    "Ｗｉ－Ｆｉ/nx  覆盖/v  全/a  区/n  ！/w  王/nr  小明/nr  说/v"
)


def test_parse_line_strips_ids_tags_and_brackets():
    words = parse_line(LINE)
    assert words[:3] == ["南京", "高新区", "管委会"]
    assert "2019年" in words and "12" in words
    assert not any("/" in w or "[" in w or "]" in w for w in words)
    assert words[-3:] == ["王", "小明", "说"]


def test_half_width_only_touches_ascii_digits_and_letters():
    assert half_width("２０１９年ＡＢｃ，３．５％") == "2019年ABc，3．5％"


def test_words_that_contain_a_slash_keep_it():
    assert parse_line("19990305-02-003-005/m  １／２/m  ／/w") == ["1／2", "／"]


def test_split_sentences_after_final_punctuation():
    sentences = list(split_sentences(parse_line(LINE)))
    assert [s[-1] for s in sentences] == ["。", "！", "说"]


def test_convert_holds_out_every_nth_sentence():
    lines = [LINE, "", "19990305-02-003-005/m  他/r  来/v  了/y  。/w"]
    train, dev = convert(lines, dev_every=2)
    assert len(train) + len(dev) == 4
    assert len(dev) == 2
    assert all("  " not in s and s == s.strip() for s in train + dev)
    assert "南京 高新区 管委会 2019年" in train[0]
