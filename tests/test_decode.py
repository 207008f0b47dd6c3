"""Encodings are detected, not assumed."""

import codecs
import os

import pytest

from pipeline.sources.decode import BinaryInput, DecodeError, decode_bytes

TEXT = "近日,浙江省科技领导小组办公室发布了2019年度浙江省高新区评价结果,平湖高新区列第17位。"
# 𠀀 (U+20000) and 䶮 are outside GBK: GB18030 and the Unicode encodings must keep them.
BEYOND_GBK = "企业负责人王䶮表示,新厂房选址在𠀀字路口。"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]
)
def test_round_trip(encoding):
    text, _ = decode_bytes(TEXT.encode(encoding))
    assert text == TEXT


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16", "utf-16-le"])
def test_characters_outside_gbk(encoding):
    text, _ = decode_bytes(BEYOND_GBK.encode(encoding))
    assert text == BEYOND_GBK


def test_utf32_with_bom():
    data = codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le")
    assert decode_bytes(data)[0] == TEXT


def test_truncated_utf8_keeps_the_text_before_the_cut():
    data = TEXT.encode("utf-8")[:-2]
    text, encoding = decode_bytes(data)
    assert TEXT.startswith(text) and len(text) == len(TEXT) - 1
    assert "truncated" in encoding


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"PK\x03\x04" + bytes(range(256)) * 4,
        b"\x00\x01\x02\x03" * 300,
    ],
    ids=["png", "zip", "nul bytes"],
)
def test_binary_is_refused(data):
    with pytest.raises(BinaryInput):
        decode_bytes(data)


def test_random_bytes_are_refused():
    data = os.urandom(5000)
    with pytest.raises(DecodeError):
        decode_bytes(b"\xff\xfe\xfd" + data[:4001])
