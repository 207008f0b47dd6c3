"""The language data of number facts (`resources/zh/facts.yaml`), loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.resolve import safe_load_yaml

RESOURCE = Path(__file__).resolve().parents[1] / "resources" / "zh" / "facts.yaml"
RANKINGS = RESOURCE.with_name("rankings.yaml")  # the changes in places (前移, 进位): one copy, there


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class FactsLexicon:
    reporting_dates: frozenset[str]
    comparison_before: tuple[str, ...]
    comparison_after: tuple[str, ...]
    period_prefixes: tuple[str, ...]
    period_frames: re.Pattern[str]
    period_not_before: tuple[str, ...]
    period_not_after: tuple[str, ...]
    evaluation_words: tuple[str, ...]
    evaluation_window: int
    award_before: tuple[str, ...]
    period_suffixes: tuple[str, ...]
    place_subject: re.Pattern[str]
    named_places: dict[str, str]
    scheme_nouns: tuple[str, ...]
    fixed_set_nouns: re.Pattern[str]
    zone_name: re.Pattern[str]
    group_name: re.Pattern[str]
    place_name: re.Pattern[str]
    place_name_stops: frozenset[str]
    source_before: tuple[str, ...]
    source_after: tuple[str, ...]
    count_measures: frozenset[str]
    noun_stops: tuple[str, ...]
    generic_heads: frozenset[str]
    status_verbs: tuple[str, ...]
    lead_words: tuple[str, ...]
    tail_words: tuple[str, ...]
    inner_verbs: tuple[str, ...]
    inner_verb_not_before: tuple[str, ...]
    growth_verbs: tuple[str, ...]
    change_words: tuple[str, ...]
    comparison_words: tuple[str, ...]
    streak_before: tuple[str, ...]
    rank_change_units: frozenset[str]
    subject_lead: tuple[str, ...]
    holder_not_before: tuple[str, ...]
    holder_modifies: re.Pattern[str]
    publish_verbs: tuple[str, ...]
    publish_noun_heads: tuple[str, ...]
    respectively: tuple[str, ...]
    list_separators: re.Pattern[str]
    metric_max: int


@lru_cache(maxsize=1)
def facts_lexicon() -> FactsLexicon:
    raw = safe_load_yaml(RESOURCE.read_text(encoding="utf-8"))
    ranks = safe_load_yaml(RANKINGS.read_text(encoding="utf-8"))
    return FactsLexicon(
        reporting_dates=frozenset(raw["reporting_dates"]),
        comparison_before=_longest_first(raw["comparison_before"]),
        comparison_after=_longest_first(raw["comparison_after"]),
        period_prefixes=_longest_first(raw["period_prefixes"]),
        period_frames=re.compile(raw["period_frames"]),
        period_not_before=_longest_first(raw["period_not_before"]),
        period_not_after=_longest_first(raw["period_not_after"]),
        evaluation_words=_longest_first(raw["evaluation_words"]),
        evaluation_window=int(raw["evaluation_window"]),
        award_before=_longest_first(raw["award_before"]),
        period_suffixes=_longest_first(raw["period_suffixes"]),
        place_subject=re.compile(raw["place_subject"]),
        named_places=dict(raw["named_places"]),
        scheme_nouns=tuple(raw["scheme_nouns"]),
        fixed_set_nouns=re.compile(raw["fixed_set_nouns"]),
        zone_name=re.compile(raw["zone_name"]),
        group_name=re.compile(raw["group_name"]),
        place_name=re.compile(raw["place_name"]),
        place_name_stops=frozenset(raw["place_name_stops"]),
        source_before=_longest_first(raw["source_before"]),
        source_after=_longest_first(raw["source_after"]),
        count_measures=frozenset(raw["count_measures"]),
        noun_stops=_longest_first(raw["noun_stops"]),
        generic_heads=frozenset(raw["generic_heads"]),
        status_verbs=_longest_first(raw["status_verbs"]),
        lead_words=_longest_first(raw["lead_words"]),
        tail_words=_longest_first(raw["tail_words"]),
        inner_verbs=_longest_first(raw["inner_verbs"]),
        inner_verb_not_before=_longest_first(raw["inner_verb_not_before"]),
        growth_verbs=_longest_first({*raw["growth_verbs"], *ranks["change_up"], *ranks["change_down"]}),
        change_words=_longest_first(raw["change_words"]),
        comparison_words=_longest_first(raw["comparison_words"]),
        streak_before=_longest_first(raw["streak_before"]),
        rank_change_units=frozenset(raw["rank_change_units"]),
        subject_lead=_longest_first(raw["subject_lead"]),
        holder_not_before=_longest_first(raw["holder_not_before"]),
        holder_modifies=re.compile(raw["holder_modifies"]),
        publish_verbs=_longest_first(raw["publish_verbs"]),
        publish_noun_heads=_longest_first(raw["publish_noun_heads"]),
        respectively=_longest_first(raw["respectively"]),
        list_separators=re.compile(raw["list_separators"]),
        metric_max=int(raw["metric_max"]),
    )


class WordMatchers(NamedTuple):
    lead: re.Pattern[str]  # lead words of a metric phrase
    subject_lead: re.Pattern[str]  # lead words before a subject's place
    tails_by_last: dict[str, tuple[str, ...]]  # tail words by their last character, longest first


@lru_cache(maxsize=1)
def word_matchers() -> WordMatchers:
    """The lead words of a metric phrase and of a subject's place as one pattern each, and the tail
    words by their last character: the same first match as trying each word in turn (longest first),
    in time independent of how many words the lists hold."""
    lex = facts_lexicon()
    tails: dict[str, list[str]] = {}
    for word in lex.tail_words:  # longest first, kept in each bucket
        tails.setdefault(word[-1], []).append(word)
    return WordMatchers(
        lead=re.compile("|".join(map(re.escape, lex.lead_words))),
        subject_lead=re.compile("|".join(map(re.escape, lex.subject_lead))),
        tails_by_last={ch: tuple(ws) for ch, ws in tails.items()},
    )
