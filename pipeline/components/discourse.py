"""The article-level context stage (factory "article_context"): runs after every sentence-level
stage and re-decides what needs the whole article, through the pure `pipeline.discourse` package.

Today: ordered lists whose members the sentence-level stage did not rank (`pipeline.discourse.lists`:
前十位的企业分别是A、B…, 其次是…, …紧随其后), then the size of each ranking's field (`total`),
chosen among the counts the number stage found anywhere in the article (`pipeline.discourse.fields`),
after deictic subjects (园区, 该区, 我区 -> the article's named holder: `pipeline.discourse.holders`),
then repeats (`pipeline.discourse.repeats`: the same fact in the headline and the body is one).
Bands (rank_is_bound) and 排名末位 (whose rank is its total) keep the sentence-level fields. A ranking whose total does not change keeps its
mention unchanged, so records stay byte-identical where the rankings do not change.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components.base import Mention, doc_text, mentions
from pipeline.components.organizations import holds_common_word
from pipeline.discourse.chooser import LinearChooser
from pipeline.discourse.facts import DateView, NumberView, number_facts, places_named
from pipeline.discourse.fields import FieldResolver, counts_from, rankings_from
from pipeline.discourse.holders import LIST_SEP, Holders, is_deictic, list_subjects
from pipeline.discourse.lists import ordered_lists
from pipeline.discourse.repeats import kept_rankings
from pipeline.text.segments import Segments


class ArticleContext:
    def __init__(self, resolver: FieldResolver):
        self.resolver = resolver

    def __call__(self, doc: Doc) -> Doc:
        found = mentions(doc)
        text = doc_text(doc)
        seg = Segments(text)  # one split of the article for every step below
        ranked = [
            (m.fields["rank"], m.start, m.end)
            for m in found
            if m.kind == "ranking" and not m.fields.get("rank_is_bound")  # a band never takes a member
        ]
        lists = ordered_lists(text, ranked, seg)
        changes: dict[int, int] = {}
        if lists.heads:  # a ranking found inside a list head is the head: the members replace it
            heads = [
                m
                for m in found
                if m.kind == "ranking" and any(m.start < e and s < m.end for s, e in lists.heads)
            ]
            changes = _member_changes(text, seg, heads, lists.items)
            found[:] = [m for m in found if not any(m is h for h in heads)]
        found.extend(
            Mention(
                "ranking",
                item.start,
                item.end,
                {
                    "rank": item.rank,
                    "rank_is_bound": False,
                    "total": None,
                    "subject": item.subject,
                    "scope": item.scope,
                    "period": None,
                    "change": changes.get(k),
                },
                "discourse.ordered_list",
            )
            for k, item in enumerate(lists.items)
        )
        _move_listed_changes(text, seg, found)
        self._resolve_subjects(text, seg, found)
        self._resolve_facts(text, seg, found)
        views, kept = rankings_from(found)
        if not views:
            return doc
        totals = self.resolver.resolve(text, views, counts_from(found), seg)
        changed = {
            id(m): replace(m, fields={**m.fields, "total": total})
            for m, total in zip(kept, totals, strict=True)
            if total != m.fields.get("total")
        }
        resolved = [replace(v, total=t) for v, t in zip(views, totals, strict=True)]
        headline_end = seg.span("paragraphs", 0)[1] if seg.headline else 0
        keep = kept_rankings(resolved, headline_end, [m.fields.get("change") for m in kept])
        dropped = {id(m) for m, k in zip(kept, keep, strict=True) if not k}
        if changed or dropped:
            found[:] = [changed.get(id(m), m) for m in found if id(m) not in dropped]
        return doc

    @staticmethod
    def _resolve_facts(text: str, seg: Segments, found: list[Mention]) -> None:
        """Each number's metric, subject and period (`discourse.facts`)."""
        at = [i for i, m in enumerate(found) if m.kind == "number"]
        if not at:
            return
        at.sort(key=lambda i: found[i].start)
        numbers = [
            NumberView(
                found[i].start, found[i].end, found[i].fields.get("unit"), found[i].fields["number_kind"]
            )
            for i in at
        ]
        dates = [
            DateView(m.start, m.end, m.fields.get("value"), m.fields.get("granularity", "year"))
            for m in found
            if m.kind == "date"
        ]
        orgs = [(m.start, m.end) for m in found if _holder(m)]  # an outlet reports, it holds nothing
        places = [(m.start, m.end) for m in found if m.kind == "location"]
        rankings = [(m.start, m.end, m.fields.get("scope")) for m in found if m.kind == "ranking"]
        facts = number_facts(text, numbers, dates, orgs, places, seg, rankings, is_common=holds_common_word)
        for i, fact in zip(at, facts, strict=True):
            found[i] = replace(
                found[i],
                fields={
                    **found[i].fields,
                    "metric": fact.metric,
                    "subject": fact.subject,
                    "period": fact.period,
                    "period_value": fact.period_value,
                },
            )

    @staticmethod
    def _pair_listed_holders(text: str, seg: Segments, found: list[Mention]) -> None:
        """Ranks of one clause after a list of as many names, one name each: ranks with no subject,
        or all given the list's first name (A和B分列全省第1位、第2位: the sentence-level stage cut the
        list at its first name)."""
        by_clause: dict[int, list[int]] = {}
        for i, m in enumerate(found):
            if m.kind == "ranking" and not m.fields.get("rank_is_bound"):
                by_clause.setdefault(seg.clause_of(m.start), []).append(i)
        for clause, members in by_clause.items():
            subjects = {found[i].fields.get("subject") for i in members}
            if len(members) < 2 or len(subjects) > 1:
                continue
            start = seg.clauses[clause]
            names = list_subjects(text, start, len(members))
            shared = next(iter(subjects))
            # the shared subject: none, the list's first name, or one carried from outside the clause
            clause_text = text[start : seg.span("clauses", clause)[1]]
            # (or a cut form of it: 珩阳骏岳重工集团 of 珩阳骏岳重工集团有限公司)
            first = names[0] if names else ""
            cut = bool(shared) and len(shared) >= 4 and first.startswith(shared)
            if names and (shared is None or shared == first or cut or shared not in clause_text):
                for i, name in zip(members, names, strict=True):  # members in the order of their ranks
                    found[i] = replace(found[i], fields={**found[i].fields, "subject": name})

    @staticmethod
    def _resolve_subjects(text: str, seg: Segments, found: list[Mention]) -> None:
        """Deictic and cut-off ranking subjects -> the article's named holder (`discourse.holders`)."""
        spans = [(m.start, m.end) for m in found if _holder(m)]
        for m in found:
            subject = m.fields.get("subject") if m.kind == "ranking" else None
            if subject and not is_deictic(subject):
                at = text.rfind(subject, 0, m.end)
                if at >= 0:
                    spans.append((at, at + len(subject)))
        ArticleContext._pair_listed_holders(text, seg, found)
        holders = Holders.of(text, spans, seg)
        places = places_named(
            text,
            seg,
            [(m.start, m.end) for m in found if m.kind == "location"],
            [(m.start, m.end) for m in found if m.kind == "organization"],
            [(m.start, m.end) for m in found if m.kind == "date"],
            is_common=holds_common_word,
        )
        located = {m.start: text[m.start : m.end] for m in found if m.kind == "location"}
        for i, m in enumerate(found):
            if m.kind != "ranking":
                continue
            subject = m.fields.get("subject")
            if (
                m.start in located
                and not m.fields.get("rank_is_bound")
                and (subject is None or subject not in text[m.start : m.end])
            ):
                subject = located[m.start]  # 香港位列15: a place opening the ranking's own span
            resolved = holders.resolve(subject, m.start)
            resolved = places.get(resolved, resolved)  # 我县 -> the county the article names as a place
            if resolved != m.fields.get("subject"):
                found[i] = replace(m, fields={**m.fields, "subject": resolved})


def _member_changes(text: str, seg: Segments, heads: list[Mention], items) -> dict[int, int]:
    """The change a list head's ranking carried, given to the one member named again after the list
    in its sentence (…依次是A、B、C和D,其中A较上年进位5名 -> A: +5), by the member's index."""
    out: dict[int, int] = {}
    for head in heads:
        change = head.fields.get("change")
        if change is None:
            continue
        sentence = seg.span("sentences", seg.sentence_of(head.start))
        members = [k for k, item in enumerate(items) if sentence[0] <= item.start < sentence[1]]
        if not members:
            continue
        rest = text[max(items[k].end for k in members) : sentence[1]]
        named = [k for k in members if items[k].subject in rest]
        if len(named) == 1:
            out[named[0]] = change
    return out


_ITEM_TAIL = re.compile(r"(?:等)?(?:指标|单项|分项|维度|方面)?(?:依次|分别|先后)?$")


def _move_listed_changes(text: str, seg: Segments, found: list[Mention]) -> None:
    """A list of items ranked in order whose one change the text gives to a member named after it
    (政务服务、市场监管和要素保障指标依次列第4位、第7位和第15位,其中要素保障较上年下降2位): the change is
    that member's, not the first rank's."""
    groups: dict[tuple[int, str], list[int]] = {}
    for i, m in enumerate(found):
        scope = m.fields.get("scope")
        if m.kind == "ranking" and not m.fields.get("rank_is_bound") and scope:
            groups.setdefault((seg.sentence_of(m.start), scope), []).append(i)
    for (sentence, scope), members in groups.items():
        with_change = [i for i in members if found[i].fields.get("change") is not None]
        if len(members) < 2 or len(with_change) != 1:
            continue
        items = [p.strip() for p in LIST_SEP.split(_ITEM_TAIL.sub("", scope))]
        head_end = text.find(scope, seg.span("sentences", sentence)[0])
        if len(items) != len(members) or head_end < 0:
            continue
        head_end += len(scope)
        order = sorted(members, key=lambda i: text.find(f"第{found[i].fields['rank']}", head_end))
        rest = text[max(found[i].end for i in members) : seg.span("sentences", sentence)[1]]
        named = [
            k
            for k, item in enumerate(items)
            if len(item) >= 2 and rest.startswith(("，其中" + item, ",其中" + item))
        ]
        if len(named) != 1:
            continue
        source, target = with_change[0], order[named[0]]
        if source != target:
            change = found[source].fields["change"]
            found[source] = replace(found[source], fields={**found[source].fields, "change": None})
            found[target] = replace(found[target], fields={**found[target].fields, "change": change})


def _holder(m: Mention) -> bool:
    """An organisation that can hold a figure or a rank: not a media outlet, which reports them
    (第一财经记者梳理了24个省会城市: 24个 is no outlet's)."""
    return m.kind == "organization" and m.fields.get("org_type") != "media"


@Language.factory("article_context", default_config={"field_model": None})
def make_article_context(nlp: Language, name: str, field_model: str | None) -> ArticleContext:
    """`field_model`: a chooser's weights (`make train-discourse`) instead of the article-level rule."""
    chooser = LinearChooser.load(Path(field_model)) if field_model else None
    return ArticleContext(FieldResolver(chooser))
