"""The NER training side: CLUENER conversion (labels, missing spans, silver LOC) and BIO decoding."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import Doc

from pipeline.ner.bio import decode
from pipeline.ner.convert import blank_nlp, drop_overlaps, read_cluener, silver_locations, to_doc


@pytest.fixture(scope="module")
def blank():
    return blank_nlp()


# Lines written for this test in CLUENER's format (end offsets inclusive).
CLUENER_LINES = [
    {
        "text": "宁港银行行长周海明在滨江市望湖路88号出席了签约仪式。",
        "label": {
            "company": {"宁港银行": [[0, 3]]},
            "name": {"周海明": [[6, 8]]},
            "address": {"滨江市望湖路88号": [[10, 18]]},
            "position": {"行长": [[4, 5]]},
        },
    },
    {"text": "东湖队主场迎战西山队。", "label": {"organization": {"东湖队": [[0, 2]], "西山队": [[7, 9]]}}},
]


def test_cluener_labels_map_to_org_and_per_and_address_is_missing(tmp_path, blank):
    path = tmp_path / "train.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in CLUENER_LINES), encoding="utf-8")
    items = list(read_cluener(path))
    text, entities, missing = items[0]
    assert [(text[s:e], lab) for s, e, lab in entities] == [("宁港银行", "ORG"), ("周海明", "PER")]
    assert [text[s:e] for s, e in missing] == ["滨江市望湖路88号"]
    doc = to_doc(blank, text, entities, missing)
    assert [(e.text, e.label_) for e in doc.ents] == [("宁港银行", "ORG"), ("周海明", "PER")]
    # the address has no annotation at all (neither LOC nor O); 行长 (position) is O
    assert {t.ent_iob_ for t in doc[10:19]} == {""} and {t.tag_ for t in doc[10:19]} == {""}
    assert [t.tag_ for t in doc[:6]] == ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O"]
    assert items[1][1] == [(0, 3, "ORG"), (7, 10, "ORG")]


def test_overlapping_gold_keeps_the_longest():
    assert drop_overlaps([(0, 2, "ORG"), (0, 4, "ORG"), (3, 6, "PER"), (6, 8, "PER")]) == [
        (0, 4, "ORG"),
        (6, 8, "PER"),
    ]


def _chars(nlp, text):
    return Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))


class _FakeModel:
    """Stands in for an NER pipeline: finds the given strings as LOC."""

    def __init__(self, blank, places):
        self.blank, self.places = blank, places

    def pipe(self, texts, batch_size=0):
        for text in texts:
            doc = _chars(self.blank, text)
            spans = []
            for place in self.places:
                i = text.find(place)
                if i >= 0:
                    spans.append(doc.char_span(i, i + len(place), label="LOC"))
            doc.ents = spans
            yield doc


def test_silver_loc_never_overlaps_gold_or_missing_spans(blank):
    text = "宁港银行在南州和滨江市望湖路设点。"
    gold = [(0, 4, "ORG")]
    missing = [(8, 14)]
    model = _FakeModel(blank, ["宁港", "南州", "滨江市"])
    assert silver_locations(model, [text], [gold], [missing]) == [[(5, 7, "LOC")]]


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        (["B-ORG", "I-ORG", "O", "B-PER", "I-PER"], [(0, 2, "ORG"), (3, 5, "PER")]),
        (["B-LOC", "B-LOC", "I-LOC"], [(0, 1, "LOC"), (1, 3, "LOC")]),
        (["O", "I-ORG", "I-ORG", "O"], [(1, 3, "ORG")]),  # a stray I- starts an entity
        (["B-ORG", "I-PER", "I-PER"], [(0, 1, "ORG"), (1, 3, "PER")]),  # a type change ends one
        (["B-ORG", "I-ORG"], [(0, 2, "ORG")]),  # an entity at the very end
        (["O", "", "O"], []),  # an empty tag is no entity
        ([], []),
    ],
)
def test_bio_decoding(tags, spans):
    assert decode(tags) == spans


def test_bioes_tags_decode_to_the_same_spans():
    from pipeline.ner.bio import decode, to_bioes

    tags = ["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "I-ORG", "I-ORG", "B-ORG", "O", "I-LOC"]
    bioes = to_bioes(tags)
    assert bioes == ["B-PER", "E-PER", "O", "S-LOC", "B-ORG", "I-ORG", "E-ORG", "S-ORG", "O", "E-LOC"]
    assert (
        decode(bioes)
        == decode(tags)
        == [(0, 2, "PER"), (3, 4, "LOC"), (4, 7, "ORG"), (7, 8, "ORG"), (9, 10, "LOC")]
    )


def test_span_prf_counts_exact_spans_and_labels():
    from pipeline.ner.bio import span_prf

    gold = [[(0, 2, "PER"), (3, 5, "LOC")], [], [(0, 3, "ORG")]]
    found = [[(0, 2, "PER"), (3, 5, "ORG")], [(1, 2, "LOC")], [(0, 3, "ORG")]]  # a wrong label, an extra
    assert span_prf(gold, found) == {"p": 0.5, "r": 0.6667, "f1": 0.5714}
    assert span_prf([[]], [[]]) == {"p": 0.0, "r": 0.0, "f1": 0.0}
