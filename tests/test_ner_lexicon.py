"""The name lexicon of CRF feature set 4 (pipeline/ner/lexicon.py): People's Daily reading, the
substring hashes, the begin/end/inside features, and a model that keeps its lexicon on disk."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.ner.crf import FEATURE_SETS, CrfNer, Resources, batch_feature_keys, feature_keys, train
from pipeline.ner.lexicon import (
    BIT,
    Lexicon,
    OrgSuffixes,
    name_hash,
    peoples_daily_names,
    read_peoples_daily,
    substring_hashes,
)

# Lines in the PKU format of peoples_daily/199801.utf8, written for this test.
PD_LINES = [
    "19980101-01-001-001/m  南州/ns  市长/n  王/nr  建国/nr  视察/v  [南州/ns  科技局/n]nt  。/w  ",
    "",
    "19980101-01-001-002/m  李/nr  红梅/nr  、/w  王/nr  建国/nr  到/v  北屿县/ns  。/w  ",
    "19980101-01-001-003/m  [北屿县/ns  人民/n  政府/n]nt  发布/v  通知/n  。/w  ",
]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "199801.utf8"
    path.write_text("\n".join(PD_LINES) + "\n", encoding="utf-8")
    return path


def test_peoples_daily_entities_join_names_and_take_bracketed_compounds(corpus):
    items = list(read_peoples_daily(corpus))
    assert [text for text, _ in items] == [
        "南州市长王建国视察南州科技局。",
        "李红梅、王建国到北屿县。",
        "北屿县人民政府发布通知。",
    ]
    named = [[(text[s:e], label) for s, e, label in ents] for text, ents in items]
    assert named[0] == [
        ("南州", "LOC"),
        ("王建国", "PER"),
        ("南州科技局", "ORG"),
    ]  # the 南州 inside the compound is dropped
    assert named[1] == [("李红梅", "PER"), ("王建国", "PER"), ("北屿县", "LOC")]  # 、 separates two people
    assert named[2] == [("北屿县人民政府", "ORG")]
    names = peoples_daily_names(corpus)
    assert names["王建国"] == BIT["PER"] and names["北屿县"] == BIT["LOC"]
    assert peoples_daily_names(corpus, min_count=2) == {"王建国": BIT["PER"]}


@pytest.mark.parametrize("text", ["南州市科技局", "a😀𠀀b", "北屿县人民政府发布通知。"])
def test_substring_hashes_are_the_names_hashes(text):
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    hashes = substring_hashes(codes, 8)
    for length in range(2, 9):
        for i in range(len(text) - length + 1):
            assert int(hashes[length - 2, i]) == name_hash(text[i : i + length])


def test_features_mark_begin_end_and_inside_per_type():
    lexicon = Lexicon.from_names(
        {"南州": BIT["LOC"], "南州科技局": BIT["ORG"], "科技": BIT["ORG"] | BIT["LOC"]}
    )
    text = "在南州科技局"
    found = lexicon.features(np.frombuffer(text.encode("utf-32-le"), dtype="<u4"))
    loc, org = 1, 2
    assert found["begin"][loc].tolist() == [0, 2, 0, 2, 0, 0]  # 南州, 科技
    assert found["begin"][org].tolist() == [0, 5, 0, 2, 0, 0]  # the longest ORG from 南 is 南州科技局
    assert found["end"][org].tolist() == [0, 0, 0, 0, 2, 5]
    assert found["inside"].tolist() == [0, 0, 4, 4, 4, 0]  # 州科技 inside 南州科技局
    assert not found["begin"][0].any()  # no person
    # a name is not matched across texts of a batch (the padding separates them)
    keys = batch_feature_keys(["在南州", "科技局"], None, 4, Resources(lexicon))
    assert (
        keys
        == np.vstack(
            [
                feature_keys("在南州", None, 4, Resources(lexicon)),
                feature_keys("科技局", None, 4, Resources(lexicon)),
            ]
        )
    ).all()


def test_lexicon_features_need_a_lexicon():
    with pytest.raises(ValueError, match="needs a name lexicon"):
        feature_keys("南州", feature_set=4)
    with pytest.raises(ValueError, match="needs a name lexicon"):
        CrfNer(np.zeros(0, dtype=np.uint64), np.zeros((0, 3)), np.zeros((3, 3)), ["B-X", "I-X", "O"], 4)


@pytest.mark.parametrize("feature_set", [4, 6])
def test_model_trained_with_a_lexicon_keeps_it(corpus, tmp_path, feature_set, write_ner_data):
    sentences = [
        ("王建国在南州调研。", [(0, 3, "PER"), (4, 6, "LOC")]),
        ("南州科技局发布通知。", [(0, 5, "ORG")]),
        ("李红梅到北屿县考察。", [(0, 3, "PER"), (4, 7, "LOC")]),
        ("今天天气很好。", []),
    ]
    write_ner_data(tmp_path, sentences)
    with pytest.raises(ValueError, match="needs --lexicon"):
        train(tmp_path, tmp_path / "m", iterations=1, feature_set=feature_set)
    info = train(
        tmp_path,
        tmp_path / "m",
        iterations=60,
        c1=0.0,
        c2=0.01,
        feature_set=feature_set,
        lexicon_source=corpus,
    )
    assert info["lexicon"] == {"source": "199801.utf8", "names": len(peoples_daily_names(corpus))}
    assert info["dev"]["f1"] == 1.0
    model = CrfNer.from_disk(tmp_path / "m")
    assert model.feature_set == feature_set
    assert (model.resources.lexicon.keys == Lexicon.from_peoples_daily(corpus).keys).all()
    if feature_set == 6:
        assert info["org_suffixes"] == len(OrgSuffixes.from_peoples_daily(corpus))  # 0 here: a tiny corpus
        assert (model.resources.suffixes.keys == OrgSuffixes.from_peoples_daily(corpus).keys).all()
    assert list(model.predict([t for t, _ in sentences])) == [e for _, e in sentences]
    # the lexicon templates carry weight
    weighted = {int(k) >> 58 for k in model.keys[np.abs(model.weights).sum(axis=1) > 0]}
    assert {FEATURE_SETS[feature_set].index(t) for t in ("lex:PER", "lex:LOC", "lex:ORG", "lex")} <= weighted


def test_suffix_ahead_counts_the_characters_to_the_nearest_organisation_ending(corpus):
    from pipeline.ner.crf import _classes

    suffixes = OrgSuffixes.from_peoples_daily(corpus, min_count=1, min_share=0.5)
    # 科技局 and 人民政府 end the two organisations; their endings (局, 技局, 科技局, 府, 政府, ...)
    # occur nowhere else in the corpus
    text = "北屿县人民政府和南州科技局，好"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    ahead = suffixes.ahead(codes, _classes(codes)).tolist()
    # distance 0 -> bucket 1, 1 -> 2, 2 -> 3, 3 -> 4, 4 -> 5, 5-6 -> 6, 7-9 -> 7, 10-12 -> 8
    assert ahead[:7] == [6, 6, 5, 4, 3, 2, 1]  # 北..府: 府 ends 人民政府 (6 ahead of 北)
    assert ahead[7:13] == [6, 5, 4, 3, 2, 1]  # 和..局: 技, 局 end suffixes (科技局 ends at 局)
    assert ahead[13:] == [0, 0]  # the comma stops the look-ahead; nothing follows 好
