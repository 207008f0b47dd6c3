"""A fact said twice is one ranking: the headline and the body, a list member then its restatement
(…分别是联想控股、苏宁… then 联想控股连续第9年蝉联榜首).

Two rankings repeat each other when they have the same rank and subject (after the 1:1 script
mapping, spaces removed), totals that do not disagree, and scopes that do not disagree (one is
missing, or one contains the other). Of a group of repeats the one that says most is kept: a stated
total, then a stated change, then the one outside the headline, then the first.

>>> from pipeline.discourse.fields import RankingView as R
>>> keep = kept_rankings([R(0, 5, 1, None, "甲公司", "营收"), R(9, 20, 1, 500, "甲公司", None)], headline_end=0)
>>> keep
[False, True]
"""

from __future__ import annotations

from pipeline.discourse.fields import RankingView


def _same_fact(a: RankingView, b: RankingView, change_a, change_b) -> bool:
    if a.rank != b.rank or not a.subject or not b.subject:
        return False
    if "".join(a.subject.split()) != "".join(b.subject.split()):
        return False
    if a.total is not None and b.total is not None and a.total != b.total:
        return False
    if change_a is not None and change_b is not None and change_a != change_b:
        return False
    sa, sb = a.scope or "", b.scope or ""
    return not sa or not sb or sa in sb or sb in sa


def kept_rankings(views: list[RankingView], headline_end: int, changes: list | None = None) -> list[bool]:
    """For each ranking, whether it is kept (False: it repeats a ranking that says more)."""
    changes = changes or [None] * len(views)
    keep = [True] * len(views)
    for i, a in enumerate(views):
        for j in range(i + 1, len(views)):
            b = views[j]
            if not (keep[i] and keep[j]) or not _same_fact(a, b, changes[i], changes[j]):
                continue

            def says(k: int) -> tuple:
                v = views[k]
                return (v.total is not None, changes[k] is not None, v.start >= headline_end, -k)

            loser = i if says(i) < says(j) else j
            keep[loser] = False
    return keep
