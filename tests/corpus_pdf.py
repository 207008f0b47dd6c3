"""Writes corpus/haining_keji_2021-05-14.pdf (`make corpus-pdf`): one e-paper page invented for this
project in the style of a county newspaper's science-and-technology page: a lead article across three
columns (kicker, headline, byline, sub-headings, body running on into the next columns), a photo with
its caption, and two briefs side by side under a section label.

    python tests/corpus_pdf.py [OUT.pdf]
"""

from __future__ import annotations

import sys
from pathlib import Path

from pdf_pages import PdfPageWriter, Story

OUT = Path(__file__).resolve().parents[1] / "corpus" / "haining_keji_2021-05-14.pdf"

LEAD = Story(
    kicker="强链补链 育新引强 搭建平台",
    title="海宁高新区亩均效益评价跃居全省第五",
    byline="记者 钱雨薇 通讯员 沈家豪",
    paragraphs=[
        "日前,浙江省科技厅公布了2020年度全省高新区亩均效益评价结果,海宁高新技术产业园区在全省"
        "48家高新区中排名第5位,比上年提升4位,在全省26家省级高新区中列第2位。",
        "2020年,园区实现规上工业增加值156.8亿元,同比增长11.2%,高新技术产业增加值占比达到72.4%。"
        "截至目前,园区已集聚浙江天启光电科技有限公司、海宁正泰新能源科技有限公司等高新技术企业"
        "213家,省级企业研究院19家。",
        "链上发力 打造产业集群",
        "今年以来,园区新引进亿元以上项目27个,总投资超过310亿元,其中天启光电年产500万片"
        "光伏电池片项目已于3月开工建设,预计2022年底投产。园区围绕泛半导体、新能源两大主导产业,"
        "推行“链长+链主”工作机制,累计梳理产业链关键环节46个。",
        "平台赋能 集聚创新资源",
        "2018年至2020年,园区累计引进高层次人才412人,浙江大学海宁国际校区、中科院海宁光电研究院"
        "相继落地,区内研发投入占营业收入比重从2.6%提高到3.9%,有效发明专利从2018年的608件增至"
        "2020年的1143件。",
        "“下一步,园区将聚焦关键核心技术攻关,力争到2025年高新技术企业突破350家。”市科技局局长周建平表示。",
    ],
    subheadings={2, 4},
    photo=(3, "图为天启光电科技有限公司智能化生产车间。", "摄影 韩一鸣"),
)
BRIEFS = [
    Story(
        section="科技资讯",
        title="我市五家企业入选 省级专精特新名单",
        byline="通讯员 陆晓东",
        paragraphs=[
            "近日,省经信厅公布了2021年度浙江省专精特新中小企业名单,我市共有5家企业入选,入选数量"
            "居嘉兴市第二位。",
            "据悉,入选企业平均研发投入占比达到5.6%,拥有发明专利87项,其中3家企业主导产品国内市场"
            "占有率位居前三。",
        ],
    ),
    Story(
        title="科技特派员走进田间 服务农户1200余户",
        byline="记者 方敏",
        paragraphs=[
            "今年以来,我市32名省市科技特派员深入10个镇街开展技术服务,推广新品种新技术41项,"
            "服务农户1200余户,带动农户增收约860万元。",
            "市科技局相关负责人表示,将继续完善科技特派员考核办法,推动更多科技成果在田间转化。",
        ],
    ),
]


def write(path: Path = OUT) -> Path:
    writer = PdfPageWriter(path, columns=3, header="2021年5月14日 星期五 海宁日报 科技")
    writer.add(LEAD)
    writer.add_side_by_side(BRIEFS)
    writer.save()
    assert writer.pages == 1, "the corpus page is one page"
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
