"""Split a repaired newspaper page into articles: headline (and kicker), byline, section, body.

Layout rules (the seed page shows them): a headline is a short unpunctuated line; a headline followed
by a byline line ("记者 X 通讯员 Y") starts a new article; headlines followed directly by body text are
sub-headings and stay inside the current article; a photo credit ("摄影 X") closes a caption article
made of the last sub-heading and the paragraphs after it; a short line before a headline is the
section heading; a date line in the page header gives the publish date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from pipeline.resolve import safe_load_yaml

_SENTENCE_PUNCT = set("。，,；;！？!?")
_NAME = r"[\u4e00-\u9fff·]{2,4}"
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_DATE_LINE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")


@lru_cache(maxsize=1)
def layout() -> dict:
    text = resources.files("pipeline.resources.zh").joinpath("page_layout.yaml").read_text(encoding="utf-8")
    return safe_load_yaml(text)


@lru_cache(maxsize=1)
def _roles() -> str:
    """The byline roles as a regex alternation, longest first (本报记者 before 记者)."""
    return "|".join(sorted(map(re.escape, layout()["byline_roles"]), key=len, reverse=True))


@lru_cache(maxsize=1)
def _byline_pattern() -> re.Pattern[str]:
    unit = rf"(?:{_roles()})[\s\u3000:：]+{_NAME}(?:[\s\u3000、,，]+{_NAME})*"
    return re.compile(rf"^(?:{unit}[\s\u3000]*)+$")


@lru_cache(maxsize=1)
def _role_before_name() -> re.Pattern[str]:
    return re.compile(rf"(?:{_roles()})(?=[\s\u3000:：]*{_NAME})")


@dataclass
class Byline:
    roles: list[str]
    names: list[str]

    @property
    def is_photo_credit(self) -> bool:
        return bool(self.roles) and all(role in layout()["photo_roles"] for role in self.roles)


def parse_byline(line: str) -> Byline | None:
    """'记者 徐晓雯 通讯员 金哲宇' -> roles [记者, 通讯员], names [徐晓雯, 金哲宇]; None if not a byline."""
    line = line.strip()
    if len(line) > 60 or not _byline_pattern().match(line):
        return None
    roles = _role_before_name().findall(line)
    rest = _role_before_name().sub(" ", line)
    names = [n for n in re.split(r"[\s\u3000:：、,，]+", rest) if n]
    return Byline(roles=roles, names=names)


def is_heading(line: str) -> bool:
    return len(line) <= layout()["max_heading_length"] and not any(ch in _SENTENCE_PUNCT for ch in line)


def is_section(line: str) -> bool:
    return line in layout()["section_names"] or (
        len(line) <= layout()["max_section_length"] and not re.search(r"\s", line)
    )


def page_date(line: str) -> date | None:
    """A page-header date line ('2020年11月27日 星期五'), not a sentence that mentions a date."""
    if len(line) > 40 or any(ch in _SENTENCE_PUNCT for ch in line):
        return None
    match = _DATE_LINE.search(line)
    if not match:
        return None
    try:
        return date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


@dataclass
class PageArticle:
    title: str | None = None
    kicker: str | None = None
    section: str | None = None
    byline: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    # index into paragraphs of each sub-heading kept inside the article
    subheadings: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _header(headings: list[str], section: str | None) -> tuple[str | None, str | None, str | None]:
    """(section, kicker, title) from the headings stacked above a byline or the first body paragraph."""
    if not headings:
        return section, None, None
    title = headings[-1]
    kicker = None
    for line in headings[:-1]:
        if is_section(line) and kicker is None:
            section = line
        else:
            kicker = line
    return section, kicker, title


def split_page(text: str) -> tuple[list[PageArticle], date | None]:
    """Articles of a repaired page (paragraphs one per line) and the page's date, if printed."""
    articles: list[PageArticle] = []
    pending: list[str] = []  # headings seen since the last body paragraph
    section: str | None = None
    published: date | None = None
    current: PageArticle | None = None

    def start_article(headings: list[str]) -> PageArticle:
        nonlocal section
        section, kicker, title = _header(headings, section)
        article = PageArticle(title=title, kicker=kicker, section=section)
        articles.append(article)
        return article

    for raw in text.split("\n"):
        line = _MARKDOWN_HEADING.sub("", raw).strip()
        if not line:
            continue
        if published is None and current is None and (found := page_date(line)):
            published = found
            continue
        byline = parse_byline(line)
        if byline and byline.is_photo_credit and not pending and current is not None:
            current = _split_caption(articles, current, byline)
            continue
        if byline:
            current = start_article(pending)
            current.byline.extend(byline.names)
            pending = []
            continue
        if is_heading(line):
            pending.append(line)
            continue
        if pending:
            if current is None:
                current = start_article(pending)
            else:
                for heading in pending:
                    current.subheadings.append(len(current.paragraphs))
                    current.paragraphs.append(heading)
            pending = []
        if current is None:
            current = start_article([])
        current.paragraphs.append(line)
    if pending:  # trailing headings with no body: keep them as text, never drop them
        if current is None:
            current = start_article([])
        current.paragraphs.extend(pending)
    return [a for a in articles if a.paragraphs or a.title], published


def _split_caption(articles: list[PageArticle], current: PageArticle, credit: Byline) -> PageArticle:
    """A photo credit after body text: the last sub-heading and what follows it form a caption article."""
    if current.subheadings:
        cut = current.subheadings.pop()
        heading, body = current.paragraphs[cut], current.paragraphs[cut + 1 :]
        del current.paragraphs[cut:]
        caption = PageArticle(
            title=heading, section=current.section, byline=list(credit.names), paragraphs=body
        )
        articles.append(caption)
        return caption
    current.byline.extend(credit.names)
    return current
