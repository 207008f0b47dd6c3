"""Segmenters: exact text coverage, the domain dictionary, the pkuseg loading path, errors.

The pkuseg model used here is trained by the test itself (a few sentences, in a tmp dir), so
these tests need neither network access nor ../shared.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.segment import (
    SHIPPED_PKUSEG_MODEL,
    JiebaSegmenter,
    PkusegSegmenter,
    RjiebaSegmenter,
    _is_pkuseg_model_dir,
    domain_words,
    get_segmenter,
    resolve_pkuseg_model,
)

# Written for these tests, in the style of science-and-technology bulletins (PKU-style words).
TRAINING_SENTENCES = [
    "南京 高新区 科技局 近日 发布 通知 。",
    "本 市 新 认定 众创空间 12 家 ， 孵化器 5 家 。",
    "该 公司 研发 投入 增长 了 百分之二十 。",
    "记者 从 市 科技局 获悉 ， 全 市 高新技术 企业 达到 三千 家 。",
    "产业园区 管委会 与 企业 签订 合作 协议 。",
    "2019年 营业 收入 突破 十 亿 元 。",
]

TRICKY_TEXTS = [
    "南京高新区科技局  发布通知。\n\n众创空间12家",
    "  leading and trailing spaces  ",
    "\n\t\u3000全角空格\u3000和制表符\t",
    "全角字母ＡＢＣ与数字１２３，半角ABC与123。",
    "emoji 😀🚀 混排👍🏽文字",
    "Apple公司与IBM在2019年签约，金额3.5亿美元（约合24亿元）。",
    "网址 https://www.example.com/a_b?c=1 和邮箱 info@example.cn",
    "第1名、第 2 名\r\n第三名",
    "",
    " ",
    "\n",
    "a",
    "中",
]

DOMAIN_SENTENCE = "南京高新区科技局支持众创空间和产业园区建设"
DOMAIN_KEPT = ("高新区", "科技局", "众创空间", "产业园区")


@pytest.fixture(scope="session")
def tiny_pkuseg_model(tmp_path_factory):
    """A pkuseg model trained here from a few handwritten sentences."""
    import spacy_pkuseg

    root = tmp_path_factory.mktemp("pkuseg")
    train = root / "train.txt"
    # pkuseg's optimiser updates every len(data) // 10 sentences: give it at least 10.
    train.write_text("\n".join(TRAINING_SENTENCES * 3) + "\n", encoding="utf-8")
    model_dir = root / "model"
    spacy_pkuseg.train(str(train), str(train), str(model_dir), train_iter=2)
    assert _is_pkuseg_model_dir(model_dir)
    return model_dir


@pytest.fixture(scope="session")
def backends(tiny_pkuseg_model):
    return {
        "jieba": get_segmenter("jieba"),  # cached: loaded once for the whole session
        "rjieba": get_segmenter("rjieba"),
        "pkuseg": PkusegSegmenter(tiny_pkuseg_model),
    }


@pytest.mark.parametrize("backend", ["jieba", "rjieba", "pkuseg"])
@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_cut_concatenates_exactly(backends, backend, text):
    words = backends[backend].cut(text)
    assert "".join(words) == text
    assert all(words), "no empty words"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.sampled_from(list("高新区科技局众创空间的了。，、 \n\t\u3000ＡＢ１２ab12😀%.（）“”-")),
        max_size=40,
    )
)
def test_cut_concatenates_exactly_on_generated_text(backends, text):
    for seg in backends.values():
        assert "".join(seg.cut(text)) == text


@pytest.mark.parametrize("backend", ["jieba", "rjieba", "pkuseg"])
def test_domain_dictionary_keeps_domain_words_whole(backends, backend):
    words = backends[backend].cut(DOMAIN_SENTENCE)
    for word in DOMAIN_KEPT:
        assert word in words, f"{backend} split {word}: {words}"


@pytest.mark.parametrize("plain", [JiebaSegmenter, RjiebaSegmenter])
def test_domain_dictionary_changes_jieba(backends, plain):
    """Without the project dictionary jieba splits 众创空间; with it the word stays whole."""
    assert "众创空间" not in plain(use_domain_dictionary=False).cut("该众创空间在")
    assert "众创空间" in backends[plain.name].cut("该众创空间在")


def test_domain_dictionary_file_is_well_formed():
    entries = domain_words()
    words = [w for w, _, _ in entries]
    assert len(words) == len(set(words)), "duplicate entries"
    assert {"高新区", "科技局", "众创空间", "产业园区"} <= set(words)
    for word, freq, _tag in entries:
        assert word.strip() == word and " " not in word
        assert freq is None or freq > 0


def test_rjieba_cuts_like_jieba(backends):
    text = "记者从市科技局获悉，2019年全市新认定高新技术企业320家，同比增长15.6%。"
    assert backends["rjieba"].cut(text) == backends["jieba"].cut(text)


def test_get_segmenter_loads_a_trained_pkuseg_directory(tiny_pkuseg_model):
    seg = get_segmenter("pkuseg", str(tiny_pkuseg_model))
    assert seg.name == "pkuseg"
    assert seg is get_segmenter("pkuseg", str(tiny_pkuseg_model)), "cached"
    words = seg.cut("记者从市科技局获悉")
    assert "".join(words) == "记者从市科技局获悉"
    assert "科技局" in words


def test_get_segmenter_names(backends):
    assert get_segmenter().name == "jieba"
    assert get_segmenter("rjieba").name == "rjieba"


def test_unknown_segmenter_name_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown segmenter 'thulac'.*jieba.*rjieba.*pkuseg"):
        get_segmenter("thulac")


def test_unknown_pkuseg_model_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="unknown pkuseg model"):
        resolve_pkuseg_model(tmp_path / "no-such-model")
    with pytest.raises(ValueError, match="features.msgpack"):
        resolve_pkuseg_model(tmp_path)  # a directory, but not a model


def test_pretrained_names_go_to_spacy_pkuseg():
    """Pretrained names are passed through (spacy-pkuseg downloads them); nothing is fetched here."""
    assert resolve_pkuseg_model("default") == "spacy_ontonotes"
    assert resolve_pkuseg_model("news") == "news"


def test_pretrained_download_failure_is_a_clear_error(monkeypatch, tmp_path):
    import spacy_pkuseg

    def offline(*args, **kwargs):
        raise ConnectionError("github.com unreachable")

    monkeypatch.setattr(spacy_pkuseg, "download_model", offline)
    with pytest.raises(RuntimeError, match=r"'news' is not in ~/.pkuseg and could not be downloaded"):
        PkusegSegmenter("news")


@pytest.mark.skipif(not _is_pkuseg_model_dir(SHIPPED_PKUSEG_MODEL), reason="no shipped pkuseg model")
def test_pkuseg_default_is_the_shipped_model():
    assert resolve_pkuseg_model(None) == str(SHIPPED_PKUSEG_MODEL)
    words = get_segmenter("pkuseg").cut("共同创造美好的新世纪")
    assert words == ["共同", "创造", "美好", "的", "新", "世纪"]


def _eager_jieba(use_domain_dictionary: bool = True):
    """jieba's own Tokenizer with the whole dictionary loaded up front (what JiebaSegmenter replaces)."""
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    if use_domain_dictionary:
        for word, freq, tag in domain_words():
            tok.add_word(word, freq, tag)
    return tok


LAZY_TEXTS = [
    *TRICKY_TEXTS,
    "记者从市科技局获悉，2019年全市新认定高新技术企业320家，同比增长15.6%。",
    "南港海关统计,今年前三季度该区众创空间新增孵化企业42家,柳塘乡农业科技园区投入扶持资金650万元。",
    "据北屿市统计局数据，该市研发人员全时当量达到4.6万人年，技术合同成交额居全省第5位。",
    "中华人民共和国国务院新闻办公室今日举行新闻发布会，介绍长三角一体化发展情况。",
]


@pytest.mark.parametrize("domain", [True, False])
def test_the_lazily_loaded_jieba_dictionary_cuts_as_jieba_does(domain):
    """JiebaSegmenter's tokenizer loads the dictionary per first character; its words are jieba's."""
    eager = _eager_jieba(domain)
    lazy = JiebaSegmenter(use_domain_dictionary=domain)
    for text in LAZY_TEXTS:
        assert lazy.cut(text) == list(eager.cut(text, HMM=True)), text
    assert lazy._tok.total == eager.total
    # only the characters cut so far (and the domain words') are loaded, with jieba's own entries
    assert 0 < len(lazy._tok.FREQ) < len(eager.FREQ)
    assert all(eager.FREQ[word] == count for word, count in lazy._tok.FREQ.items())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet="园区科技局企业新增投资亿元市县乡镇中心研究院有限公司发展委员会人民政府 ,。0123", max_size=40
    )
)
def test_the_lazy_dictionary_agrees_with_jieba_on_any_text(text):
    lazy, eager = _lazy_and_eager()
    assert lazy.cut(text) == list(eager.cut(text, HMM=True))


@functools.cache
def _lazy_and_eager():
    return JiebaSegmenter(), _eager_jieba()


def test_the_clause_segmenter_is_the_tokenizers_rjieba_with_the_domain_words():
    from pipeline.segment import clause_segmenter

    assert clause_segmenter() is get_segmenter("rjieba")
    assert "众创空间" in clause_segmenter().cut("该众创空间在")


def test_the_word_tag_table_holds_every_dictionary_tag_and_the_domain_words_over_them(tmp_path):
    """`jieba_dict.word_tag_table`: read per first character from a cache, the same tags as dict.txt
    read whole (a word given without a tag is "x", a later line wins), the overrides on top."""
    from pipeline.jieba_dict import read_word_tags, word_tag_table

    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("开发 100 v\n开发区 50 n\n栖东\n杭州 80 ns\n开发 20 vn\n", encoding="utf-8")
    expected = {"开发": "vn", "开发区": "n", "栖东": "x", "杭州": "ns"}
    assert read_word_tags(dictionary) == expected
    for _ in range(2):  # built, then read from the cache file
        table = word_tag_table({"杭州": "nz", "众创空间": "n"}, dictionary)
        assert table._memo == {"杭州": "nz", "众创空间": "n"}  # nothing of dict.txt searched yet
        assert [table.get(w) for w in ("开发", "开发区", "栖东", "杭州", "众创空间")] == [
            "vn",
            "n",
            "x",
            "nz",
            "n",
        ]
        assert "开发区" in table and "开发中" not in table and "" not in table
        assert table.get("西湖", "-") == "-"


def test_the_word_tags_are_jieba_dictionarys_with_the_domain_words():
    from pipeline.components.organizations import word_tags
    from pipeline.jieba_dict import default_dictionary, read_word_tags

    expected = read_word_tags(default_dictionary())
    expected.update((word, tag or "n") for word, _, tag in domain_words())
    tags = word_tags()
    assert all(tags.get(word) == tag for word, tag in expected.items())
