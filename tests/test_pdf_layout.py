"""The PDF layout analysis as pure functions: characters and lines placed by hand, no PDF involved."""

from __future__ import annotations

from pipeline.sources.pdf_layout import (
    Char,
    Line,
    PdfPage,
    assemble,
    group_lines,
    layout_pages,
    reading_order,
)

BODY = 10.0


def chars(text: str, x: float, top: float, size: float = BODY) -> list[Char]:
    """A string set from (x, top): CJK characters one em wide, ASCII half an em, a space a quarter."""
    out, cursor = [], x
    for ch in text:
        advance = size * (0.25 if ch == " " else 0.5 if ch.isascii() else 1.0)
        out.append(Char(ch, cursor, top, cursor + advance, top + size, size))
        cursor += advance
    return out


def line(text: str, x: float, top: float, size: float = BODY) -> Line:
    (found,) = group_lines(chars(text, x, top, size))
    return found


def column(paragraphs: list[str], x: float, top: float, per_line: int = 20) -> list[Char]:
    """Paragraphs typeset in a column `per_line` characters wide, first lines indented by two."""
    out: list[Char] = []
    y = top
    for paragraph in paragraphs:
        rest, first = paragraph, True
        while rest:
            room = per_line - 2 if first else per_line
            out += chars(rest[:room], x + (2 * BODY if first else 0), y)
            rest, first, y = rest[room:], False, y + 1.5 * BODY
    return out


def test_a_row_splits_at_a_column_gutter_and_keeps_the_spaces_of_a_byline():
    row = chars("记者 张三 通讯员 李四", 40, 100) + chars("园区新增企业十家", 300, 100)
    lines = group_lines(row)
    assert [ln.text for ln in lines] == ["记者 张三 通讯员 李四", "园区新增企业十家"]
    assert lines[1].x0 == 300


def test_characters_out_of_order_still_make_their_lines():
    text = chars("第一行文字", 40, 100) + chars("第二行文字", 40, 115)
    assert [ln.text for ln in group_lines(list(reversed(text)))] == ["第一行文字", "第二行文字"]


def test_a_headline_across_two_columns_is_read_before_both_columns():
    lines = [line("全市科技工作会议召开 部署今年重点任务", 40, 40, 20)]
    lines += [line(f"左栏第{i}行", 40, 80 + 15 * i) for i in range(5)]
    lines += [line(f"右栏第{i}行", 300, 80 + 15 * i) for i in range(5)]
    order = [ln.text for group in reading_order(lines, BODY) for ln in group]
    assert order[0].startswith("全市科技")
    assert order[1:] == [f"左栏第{i}行" for i in range(5)] + [f"右栏第{i}行" for i in range(5)]


def test_paragraph_gaps_level_in_both_columns_do_not_cut_the_columns():
    tops = [80, 95, 130, 145]  # a blank line between the second and third line of both columns
    lines = [line(f"左{i}", 40, t) for i, t in enumerate(tops)] + [
        line(f"右{i}", 300, t) for i, t in enumerate(tops)
    ]
    lines.insert(0, line("两栏之上的大字标题横跨全部版面宽度", 40, 40, 20))
    order = [ln.text for group in reading_order(lines, BODY) for ln in group]
    assert order[1:] == ["左0", "左1", "左2", "左3", "右0", "右1", "右2", "右3"]


def test_a_headline_with_white_space_above_starts_a_module_even_when_it_fits_one_column():
    lines = [line("第一篇标题横跨两栏的版面", 40, 40, 20)]
    lines += [line(f"甲左{i}", 40, 80 + 15 * i) for i in range(3)]
    lines += [line(f"甲右{i}", 300, 80 + 15 * i) for i in range(3)]
    lines += [line("短标题", 40, 150, 20)]  # inside the left column's width
    lines += [line(f"乙左{i}", 40, 190 + 15 * i) for i in range(2)]
    lines += [line(f"乙右{i}", 300, 190 + 15 * i) for i in range(2)]
    order = [ln.text for group in reading_order(lines, BODY) for ln in group]
    assert order.index("甲右2") < order.index("短标题") < order.index("乙左0") < order.index("乙右0")


def test_articles_from_sizes_kicker_section_byline_and_paragraph_cues():
    body = [
        "近日，市科技局公布了年度科技计划项目名单，全市共有十二个项目入选，总投资一点五亿元。",
        "其中，重大专项三个，重点研发项目九个。",
    ]
    page_chars = (
        chars("2021年5月14日 星期五", 40, 10, 7)
        + chars("科技资讯", 40, 40, 12)
        + chars("聚焦创新 服务发展", 40, 58, 12)
        + chars("我市十二个项目列入年度计划", 40, 76, 20)
        + chars("记者 王晓 通讯员 陈立", 40, 102, 8)
        + column(body, 40, 120)
    )
    page = PdfPage(1, 595, 842, page_chars)
    articles, published = assemble(layout_pages([page]))
    assert str(published) == "2021-05-14"
    (article,) = articles
    assert (article.section, article.kicker, article.title) == (
        "科技资讯",
        "聚焦创新 服务发展",
        "我市十二个项目列入年度计划",
    )
    assert article.byline == ["王晓", "陈立"]
    assert article.paragraphs == body


def test_a_paragraph_runs_on_into_the_next_column_and_page():
    first = "新区今年以来引进项目二十个" * 4
    pages = [  # page 1: the first 38 characters fill two full lines (18 after the indent, then 20)
        PdfPage(1, 595, 842, chars("标题一行写在这里", 40, 40, 20) + column([first[:38]], 40, 80)),
        PdfPage(2, 595, 842, chars(first[38:], 40, 40)),
    ]
    articles, _ = assemble(layout_pages(pages))
    assert [a.paragraphs for a in articles] == [[first]]


def test_a_caption_is_an_article_of_its_own_and_the_body_runs_round_it():
    page_chars = (
        chars("园区建设提速", 40, 40, 20)
        + chars("近日，园区新开工项目八个，总投资", 40, 80)
        + chars("图为新落成的研发大楼。", 40, 120, 7)
        + chars("摄影 周一", 40, 130, 7)
        + chars("三十亿元。", 40, 150)
    )
    articles, _ = assemble(layout_pages([PdfPage(1, 595, 842, page_chars)]))
    main, caption = articles
    assert main.paragraphs == ["近日，园区新开工项目八个，总投资三十亿元。"]
    assert caption.title is None and caption.paragraphs == ["图为新落成的研发大楼。"]
    assert caption.byline == ["周一"]
