"""PDF pages in (issue 21): pages typeset here with reportlab (tests/pdf_pages.py) and read back through
the same source as `extract page.pdf`; bad PDFs are errors naming the page, never a crash."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("reportlab", reason="reportlab (the dev extra) typesets the test PDFs")

from pdf_pages import PdfPageWriter, Story, _font, width, wrap, write_stories  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from pipeline.cli import app  # noqa: E402
from pipeline.records import Article, ErrorRecord  # noqa: E402
from pipeline.repair import repair_page  # noqa: E402
from pipeline.sources import read_bytes  # noqa: E402
from pipeline.sources.page import parse_byline, split_page  # noqa: E402
from pipeline.sources.pdf import MAX_PDF_PAGES  # noqa: E402

NAMES = ["王晓", "李明远", "赵敏", "孙立"]
SENTENCES = [
    "近日,市科技局公布了2021年度市级科技计划项目立项名单,全市共有{n}个项目入选,财政资助资金达{n}.5亿元。",
    "据了解,此次入选项目涵盖新材料、智能装备、生物医药等领域,其中企业牵头项目占比超过八成。",
    "截至目前,园区已集聚高新技术企业{n}家,省级企业研究院6家,研发投入占营业收入比重提高到3.2%。",
    "下一步,市科技局将加强项目跟踪服务,推动科技成果加快转化,为高质量发展注入新动能。",
]


def story(n: int, paragraphs: int = 3, **extra) -> Story:
    body = [
        "".join(SENTENCES[(k + i) % len(SENTENCES)].format(n=n * 10 + k) for i in range(2))
        for k in range(paragraphs)
    ]
    return Story(
        title=f"第{n}篇 我市科技项目建设取得新进展",
        paragraphs=body,
        byline=f"记者 {NAMES[n % len(NAMES)]} 通讯员 陈立",
        **extra,
    )


def read(path: Path, source: str = "page.pdf") -> tuple[list[Article], list[ErrorRecord]]:
    out = list(read_bytes(path.read_bytes(), source, "pdf"))
    return [a for a in out if isinstance(a, Article)], [e for e in out if isinstance(e, ErrorRecord)]


def expected(s: Story) -> tuple:
    names = parse_byline(s.byline).names if s.byline else []
    return (s.title, s.kicker, names, "\n".join(s.paragraphs))


def got(a: Article) -> tuple:
    return (a.title, a.kicker, a.byline, a.text)


@pytest.mark.parametrize("columns", [1, 2, 3])
def test_one_two_and_three_columns_give_the_articles_as_typeset(tmp_path, columns):
    stories = [story(1, 4), story(2, 2), story(3, 5)]
    articles, errors = read(write_stories(tmp_path / "p.pdf", stories, columns=columns))
    assert not errors
    assert [got(a) for a in articles] == [expected(s) for s in stories]
    assert [a.article_id for a in articles] == ["page.pdf#1", "page.pdf#2", "page.pdf#3"]


def test_an_article_continues_in_the_next_column_and_on_the_next_page(tmp_path):
    long = story(1, 40)
    writer = PdfPageWriter(tmp_path / "p.pdf", columns=2, header="2021年5月14日 星期五")
    writer.add(long)
    writer.add(story(2))
    writer.save()
    assert writer.pages >= 2
    articles, errors = read(tmp_path / "p.pdf")
    assert not errors
    assert [got(a) for a in articles] == [expected(long), expected(story(2))]
    assert {str(a.publish_date) for a in articles} == {"2021-05-14"}


def test_paragraphs_told_apart_by_a_blank_gap_too(tmp_path):
    stories = [story(1, 6)]
    articles, _ = read(write_stories(tmp_path / "p.pdf", stories, columns=2, paragraph_gap=9.0))
    assert [got(a) for a in articles] == [expected(s) for s in stories]


def test_two_articles_side_by_side_and_one_across_the_page_below(tmp_path):
    left, right, below = story(1, 2), story(2, 3), story(3, 2)
    writer = PdfPageWriter(tmp_path / "p.pdf", columns=2)
    writer.add_side_by_side([left, right])
    writer.add(below)
    writer.save()
    articles, errors = read(tmp_path / "p.pdf")
    assert not errors
    assert [got(a) for a in articles] == [expected(left), expected(right), expected(below)]


def test_kicker_section_subheadings_and_photo_credit(tmp_path):
    first = story(1, 4, kicker="聚焦创新主体 服务产业发展", subheadings={2})
    first.paragraphs[2] = "项目攻坚 夯实发展底座"
    second = story(2, 2, section="科技资讯")
    photo = Story(title="科创园区新添研发大楼", paragraphs=[SENTENCES[2].format(n=7)], credit="摄影 周一鸣")
    articles, errors = read(write_stories(tmp_path / "p.pdf", [first, second, photo], columns=2))
    assert not errors
    assert [got(a) for a in articles] == [
        expected(first),
        expected(second),
        expected(photo)[:2] + (["周一鸣"], photo.paragraphs[0]),
    ]
    assert [a.section for a in articles] == [None, "科技资讯", "科技资讯"]


def test_a_photo_caption_is_its_own_article_and_the_story_reads_on(tmp_path):
    s = story(1, 4, photo=(1, "图为园区新建成的中试基地。", "摄影 周一鸣"))
    articles, errors = read(write_stories(tmp_path / "p.pdf", [s], columns=2))
    assert not errors
    main, caption = articles
    assert got(main) == expected(s)
    assert (caption.title, caption.text, caption.byline) == (None, "图为园区新建成的中试基地。", ["周一鸣"])


def _empty_glyph_pdf(lines: list[tuple[float, float, float, bytes]]) -> bytes:
    """A page of (x, y, size, codes) text objects in a Type 3 font whose glyphs draw nothing and have
    empty boxes (A is 近, B is 。 by its ToUnicode map): what a font that is not embedded gives on a
    machine with no font that has its glyphs, whatever fonts this machine has."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T3 def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"2 beginbfchar <41> <8fd1> <42> <3002> endbfchar endcmap CMapName currentdict /CMap defineresource "
        b"pop end end"
    )
    content = b"".join(b"BT /T3 %g Tf 1 0 0 1 %g %g Tm (%s) Tj ET\n" % (s, x, y, c) for x, y, s, c in lines)
    glyph = b"1000 0 0 0 0 0 d1"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /T3 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 0 0] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs << /a 6 0 R /b 6 0 R >> /Encoding << /Type /Encoding /Differences [65 /a /b] >> "
        b"/FirstChar 65 /LastChar 66 /Widths [1000 1000] /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(glyph), glyph),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_one_character_line_whose_glyph_has_no_box_is_read(tmp_path):
    """PDFium's text page skips a text object whose box has no width: with a font that is not
    embedded (the tests' STSong-Light) on a machine with no CJK font, every one-character line (a
    paragraph's last 。 alone on a line). The adapter reads it all the same, on any machine."""
    import pypdfium2 as pdfium

    from pipeline.sources.pdf import load_pages

    data = _empty_glyph_pdf([(40, 150, 10, b"AAAAA"), (40, 135, 10, b"B")])
    doc = pdfium.PdfDocument(data)
    try:  # the premise: PDFium's own text page loses the one-character object
        assert doc[0].get_textpage().get_text_range() == "近近近近近"
    finally:
        doc.close()
    pages = load_pages(data)
    assert not pages.problems
    assert [(c.text, c.x0, c.x1, c.size) for c in pages.pages[0].chars] == [
        ("近近近近近", 40.0, 90.0, 10.0),
        ("。", 40.0, 50.0, 10.0),
    ]
    (tmp_path / "p.pdf").write_bytes(data)
    articles, errors = read(tmp_path / "p.pdf")
    assert not errors and [a.text for a in articles] == ["近近近近近。"]


# --------------------------------------------------------------------------- bad PDFs


def _image_page(writer: PdfPageWriter) -> None:
    """A scanned page: an image and no text."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (200, 300), (230, 230, 230))
    writer.canvas.drawImage(ImageReader(image), 40, 300, 400, 500)
    writer._new_page()


def test_a_scanned_page_is_named_and_the_other_pages_keep_their_articles(tmp_path):
    writer = PdfPageWriter(tmp_path / "p.pdf")
    writer.add(story(1))
    writer._new_page()
    _image_page(writer)
    writer.add(story(2))
    writer.save()
    articles, errors = read(tmp_path / "p.pdf")
    assert [got(a) for a in articles] == [expected(story(1)), expected(story(2))]
    (error,) = errors
    assert (error.error, error.source) == ("NoTextLayer", "page.pdf:2")
    assert "page 2 of 3: no text layer: OCR it first" in error.message


def test_an_encrypted_pdf_is_an_error(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "p.pdf"), encrypt=StandardEncryption("secret", ownerPassword="owner"))
    pdf.drawString(40, 700, "secret")
    pdf.save()
    articles, errors = read(tmp_path / "p.pdf")
    assert not articles and [e.error for e in errors] == ["EncryptedPdf"]


def test_html_saved_as_pdf_is_an_error_that_says_so(tmp_path):
    (tmp_path / "p.pdf").write_text("<!DOCTYPE html><html><body>近日,园区新增企业35家。</body></html>")
    articles, errors = read(tmp_path / "p.pdf")
    assert not articles and [e.error for e in errors] == ["NotAPdf"]
    assert "HTML" in errors[0].message


def test_a_broken_xref_is_reported_and_the_rebuilt_file_still_read(tmp_path):
    data = write_stories(tmp_path / "p.pdf", [story(1)]).read_bytes()
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n12\n%%EOF\n"
    (tmp_path / "b.pdf").write_bytes(broken)
    articles, errors = read(tmp_path / "b.pdf")
    assert [got(a) for a in articles] == [expected(story(1))]
    assert [e.error for e in errors] == ["DamagedPdf"]


@pytest.mark.parametrize("cut", [0.5, 0.1])
def test_a_truncated_or_garbled_pdf_is_an_error_not_a_crash(tmp_path, cut):
    data = write_stories(tmp_path / "p.pdf", [story(1), story(2)]).read_bytes()
    (tmp_path / "t.pdf").write_bytes(data[: int(len(data) * cut)] + b"\x00garbage" * 50)
    articles, errors = read(tmp_path / "t.pdf")
    assert errors and {e.error for e in errors} <= {"DamagedPdf", "UnreadablePdfPage", "NoTextLayer"}


def test_a_500_page_file_reads_its_first_pages_and_says_which_were_not(tmp_path):
    from pdf_pages import _font
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(tmp_path / "p.pdf"), pagesize=(595, 842))
    for n in range(1, 501):
        pdf.setFont(_font(), 18)
        pdf.drawString(40, 760, f"第{n}版标题")
        pdf.setFont(_font(), 9)
        pdf.drawString(58, 720, f"近日,园区新增企业{n}家。")
        pdf.showPage()
    pdf.save()
    articles, errors = read(tmp_path / "p.pdf")
    assert len(articles) == MAX_PDF_PAGES
    assert articles[-1].title == f"第{MAX_PDF_PAGES}版标题"
    (error,) = errors
    assert error.error == "PdfTooManyPages" and f"pages {MAX_PDF_PAGES + 1}-500 were not" in error.message


# --------------------------------------------------------------------------- the command line


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def test_extract_reads_pdfs_in_a_folder_beside_text_pages(tmp_path):
    (tmp_path / "in").mkdir()
    write_stories(tmp_path / "in" / "page.pdf", [story(1), story(2)], columns=2)
    (tmp_path / "in" / "scan.pdf").write_bytes(b"<html><body>not a pdf</body></html>")
    result = CliRunner().invoke(
        app, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--quiet", "--no-ner"]
    )
    assert result.exit_code == 3, result.output
    articles = jsonl(tmp_path / "out" / "articles.jsonl")
    assert [a["article_id"] for a in articles] == ["in/page.pdf#1", "in/page.pdf#2"]
    assert [a["title"] for a in articles] == [story(1).title, story(2).title]
    records = jsonl(tmp_path / "out" / "records.jsonl")
    assert any(r["kind"] == "number" and r["text"] == "10.5亿元" for r in records)
    assert [(e["source"], e["error"]) for e in jsonl(tmp_path / "out" / "errors.jsonl")] == [
        ("in/scan.pdf", "NotAPdf")
    ]


def test_extract_reads_a_pdf_from_stdin(tmp_path):
    data = write_stories(tmp_path / "page.pdf", [story(1)]).read_bytes()
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["extract", "-", "-o", str(out), "--quiet", "--no-ner"], input=data)
    assert result.exit_code == 0, result.output
    (article,) = jsonl(out / "articles.jsonl")
    assert (article["article_id"], article["title"]) == ("stdin.pdf#1", story(1).title)


def test_a_layout_failure_on_one_page_costs_only_that_page(tmp_path, monkeypatch):
    from pipeline.sources import pdf_layout

    writer = PdfPageWriter(tmp_path / "p.pdf")
    writer.add(story(1))
    writer._new_page()
    writer.add(story(2))
    writer.save()
    real = pdf_layout.group_lines

    def broken(chars, page=1):
        if page == 2:
            raise ValueError("a layout bug")
        return real(chars, page)

    monkeypatch.setattr(pdf_layout, "group_lines", broken)
    articles, errors = read(tmp_path / "p.pdf")
    assert [got(a) for a in articles] == [expected(story(1))]
    assert [(e.source, e.error) for e in errors] == [("page.pdf:2", "PdfLayoutError")]
    assert "ValueError: a layout bug" in errors[0].message


# --------------------------------------------------------------------------- Done when: the seed page


def seed_as_pdf(seed: Path, path: Path, **options) -> tuple[list, Path]:
    """The seed page's articles (as the .txt reader splits them) typeset in two columns, headlines
    across the page; bylines as printed on the page (photo credits after the body)."""
    raw = seed.read_text(encoding="utf-8")
    articles, _ = split_page(repair_page(raw))
    bylines = [line.strip() for line in raw.split("\n") if parse_byline(line.strip())]
    assert len(bylines) == len(articles)
    writer = PdfPageWriter(path, **({"columns": 2, "header": "2020年11月27日 星期五"} | options))
    section = None
    for article, byline in zip(articles, bylines, strict=True):
        credit = parse_byline(byline).is_photo_credit
        writer.add(
            Story(
                article.title,
                article.paragraphs,
                kicker=article.kicker,
                section=article.section if article.section != section else None,
                byline=None if credit else byline,
                credit=byline if credit else None,
                subheadings=set(article.subheadings),
            )
        )
        section = article.section
    writer.save()
    return articles, path


@pytest.mark.shared
def test_done_when_the_seed_page_as_a_two_column_pdf_gives_the_same_articles_and_records(
    shared_data, tmp_path
):
    seed = next((shared_data / "seed").glob("*.txt"))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "seed.txt").write_bytes(seed.read_bytes())
    txt_articles, _ = seed_as_pdf(seed, tmp_path / "in" / "seed.pdf")
    result = CliRunner().invoke(
        app, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    by_source: dict[str, list[dict]] = {"in/seed.txt": [], "in/seed.pdf": []}
    for article in jsonl(tmp_path / "out" / "articles.jsonl"):
        by_source[article["source"]].append(article)
    txt, pdf = by_source["in/seed.txt"], by_source["in/seed.pdf"]
    assert [a["title"] for a in pdf] == [a.title for a in txt_articles]  # every headline a title
    fields = ("title", "kicker", "byline", "section", "text")
    assert [[a[f] for f in fields] for a in pdf] == [[a[f] for f in fields] for a in txt]

    records: dict[str, Counter] = {"in/seed.txt": Counter(), "in/seed.pdf": Counter()}
    for record in jsonl(tmp_path / "out" / "records.jsonl"):
        records[record["article_id"].split("#")[0]][(record["kind"], record["text"])] += 1
    found = sum((records["in/seed.txt"] & records["in/seed.pdf"]).values())
    recall = found / sum(records["in/seed.txt"].values())
    precision = found / sum(records["in/seed.pdf"].values())
    print(
        f"seed as PDF: {found} of {sum(records['in/seed.txt'].values())} records, recall {recall:.3f}, precision {precision:.3f}"
    )
    # measured 2026-12-07: recall 1.000, precision 1.000 (the same articles give the same records)
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)


@pytest.mark.shared
@pytest.mark.parametrize(
    "options",
    [{"columns": 3, "headline": 24}, {"columns": 4, "page": (842, 1190)}, {"paragraph_gap": 6}],
    ids=["3-columns", "4-columns-broadsheet", "paragraph-gaps"],
)
def test_the_seed_page_in_other_layouts_reads_back_the_same_articles(shared_data, tmp_path, options):
    seed = next((shared_data / "seed").glob("*.txt"))
    txt_articles, path = seed_as_pdf(seed, tmp_path / "seed.pdf", **options)
    articles, errors = read(path)
    assert not errors
    fields = ("title", "kicker", "byline", "section")
    assert [[getattr(a, f) for f in fields] + [a.text] for a in articles] == [
        [getattr(a, f) for f in fields] + [a.text] for a in txt_articles
    ]


def test_the_corpus_pdf_is_what_make_corpus_pdf_writes_and_reads_as_typeset(tmp_path):
    import corpus_pdf

    committed = corpus_pdf.OUT.read_bytes()
    assert corpus_pdf.write(tmp_path / "page.pdf").read_bytes() == committed, "run `make corpus-pdf`"
    articles, errors = read(corpus_pdf.OUT)
    assert not errors
    lead, caption, *briefs = articles
    assert got(lead) == expected(corpus_pdf.LEAD)
    assert (caption.text, caption.byline) == (corpus_pdf.LEAD.photo[1], ["韩一鸣"])
    assert [got(a) for a in briefs] == [expected(s) for s in corpus_pdf.BRIEFS]
    assert [a.section for a in briefs] == ["科技资讯", "科技资讯"]
    assert {str(a.publish_date) for a in articles} == {"2021-05-14"}


def test_columns_drawn_across_the_gutter_line_by_line_still_read_down_each_column(tmp_path):
    """Some generators write both columns' k-th lines one after the other (or as one string with a
    wide gap): the reading order comes from the positions, not from the content order."""
    from reportlab.pdfgen import canvas

    left = SENTENCES[0].format(n=12) + SENTENCES[1]
    right = SENTENCES[2].format(n=34) + SENTENCES[3]
    pdf = canvas.Canvas(str(tmp_path / "p.pdf"), pagesize=(595, 842))
    pdf.setFont(_font(), 18)
    pdf.drawString(40, 780, "两栏文字逐行交错写入的版面也按栏阅读")
    lines_left, lines_right = wrap(left, 9, 250, 18), wrap(right, 9, 250, 18)
    for k in range(max(len(lines_left), len(lines_right))):
        y = 740 - 13.5 * k
        pdf.setFont(_font(), 9)
        if k < len(lines_left) and k < len(lines_right) and k % 2:  # one string across the gutter
            (text, x), (other, indent) = lines_left[k], lines_right[k]
            gap = " " * math.ceil((305 + indent - 40 - x - width_of(text)) / width_of(" "))
            pdf.drawString(40 + x, y, text + gap + other)
            continue
        if k < len(lines_left):
            pdf.drawString(40 + lines_left[k][1], y, lines_left[k][0])
        if k < len(lines_right):
            pdf.drawString(305 + lines_right[k][1], y, lines_right[k][0])
    pdf.save()
    articles, errors = read(tmp_path / "p.pdf")
    assert not errors
    (article,) = articles
    assert article.text == left + "\n" + right


def width_of(text: str) -> float:
    return width(text, 9)


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    columns=st.integers(1, 4),
    specs=st.lists(
        st.tuples(
            st.lists(st.integers(1, 9), min_size=2, max_size=6), st.booleans(), st.booleans(), st.booleans()
        ),
        min_size=1,
        max_size=4,
    ),
    side_by_side=st.booleans(),
    gap=st.sampled_from([0.0, 6.0]),
    headline=st.sampled_from([16.0, 22.0]),
)
def test_random_pages_read_back_as_typeset(tmp_path, columns, specs, side_by_side, gap, headline):
    """Any number of stories of any paragraph lengths, with or without a kicker, a sub-heading and a
    photo caption, in one to four columns, the first two side by side or not, onto as many pages as
    they take: every story comes back whole, in order, and every caption as its own article."""
    stories = []
    for n, (lengths, kicker, subheading, photo) in enumerate(specs, start=1):
        body = [
            "".join(SENTENCES[(n + k + i) % 4].format(n=n + k) for i in range(m))
            for k, m in enumerate(lengths)
        ]
        s = Story(
            title=f"第{n}篇 科技项目建设取得新进展", paragraphs=body, byline=f"记者 {NAMES[n % len(NAMES)]}"
        )
        s.kicker = "聚焦创新主体 服务产业发展" if kicker else None
        if (
            subheading and len(lengths) >= 3
        ):  # body text under it (a mid-size line over a headline is its kicker)
            s.paragraphs[1], s.subheadings = "项目攻坚 夯实发展底座", {1}
        if photo:
            s.photo = (0, f"图为第{n}篇报道中的园区研发大楼。", "摄影 周一鸣")
        stories.append(s)
    writer = PdfPageWriter(tmp_path / "p.pdf", columns=columns, paragraph_gap=gap, headline=headline)
    pair = side_by_side and columns % 2 == 0 and len(stories) >= 2
    if pair and all(sum(map(len, s.paragraphs)) < 300 for s in stories[:2]):
        writer.add_side_by_side(stories[:2])
        rest = stories[2:]
    else:
        rest = stories
    for s in rest:
        writer.add(s)
    writer.save()
    articles, errors = read(tmp_path / "p.pdf")
    assert not errors
    assert [got(a) for a in articles if a.title] == [expected(s) for s in stories]
    captions = [(a.text, a.byline) for a in articles if not a.title]
    assert sorted(captions) == sorted((s.photo[1], ["周一鸣"]) for s in stories if s.photo)
