"""Corpus statistics: what the annotated articles cover."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from .format import ArticleRecord

HEDGES = re.compile(
    r"\b(?:allegedly|claim(?:s|ed)?|reportedly|without evidence"
    r"|could not (?:be )?(?:independently )?verif\w*)\b",
    re.I,
)
ZONE_CONVERSION = re.compile(r"\b(?:GMT|UTC)\b")
WORD_NUMBER = re.compile(r"^[A-Za-z][A-Za-z\- ]*$")


def _phenomena() -> dict[str, Callable[[ArticleRecord], int]]:
    def counts(record: ArticleRecord) -> list:
        return [s for s in record.spans if s.label == "COUNT"]

    def places(record: ArticleRecord) -> list:
        return [s for s in record.spans if s.label == "PLACE"]

    def multi_place(record: ArticleRecord) -> int:
        heads = Counter(r.head for r in record.relations if r.label == "place")
        return sum(1 for n in heads.values() if n > 1)

    def outcomes(record: ArticleRecord) -> set[str]:
        return {e.outcome.value for e in record.events}

    return {
        "no event": lambda r: int(not r.events),
        "total with breakdown": lambda r: len(
            {e.part_of for e in r.events if e.part_of is not None}
        ),
        "breakdown count": lambda r: sum(1 for e in r.events if e.part_of is not None),
        "subset heading to": lambda r: sum(1 for e in r.events if e.heading_to is not None),
        "each / sum-pinned list": multi_place,
        "respectively": lambda r: int("respectively" in r.text.lower() and bool(counts(r))),
        "optional (debatable) event": lambda r: sum(1 for e in r.events if e.optional),
        "bound or approximation": lambda r: sum(
            1 for e in r.events if e.count.qualifier != "exact"
        ),
        "number word": lambda r: sum(1 for c in counts(r) if WORD_NUMBER.match(c.text)),
        "a / another / both": lambda r: sum(
            1 for c in counts(r) if c.text.lower() in {"a", "an", "another", "both", "one more"}
        ),
        "launched": lambda r: sum(1 for e in r.events if e.outcome == "launched"),
        "suppressed": lambda r: sum(1 for e in r.events if e.outcome == "suppressed"),
        "hit": lambda r: sum(1 for e in r.events if e.outcome == "hit"),
        "several outcomes in one article": lambda r: int(len(outcomes(r)) > 1),
        "missile": lambda r: sum(
            1 for e in r.events if e.weapon and e.weapon.category == "missile"
        ),
        "guided bomb": lambda r: sum(
            1 for e in r.events if e.weapon and e.weapon.category == "guided_bomb"
        ),
        "naval drone": lambda r: sum(
            1 for e in r.events if e.weapon and e.weapon.category == "naval_drone"
        ),
        "sea": lambda r: sum(
            1 for p in places(r) if str(p.attrs.get("code") or "").startswith("SEA-")
        ),
        "city or district": lambda r: sum(
            1 for p in places(r) if p.attrs.get("kind") in {"city", "district"}
        ),
        "not a real region": lambda r: sum(1 for p in places(r) if p.attrs.get("code") is None),
        "unresolved time": lambda r: sum(
            1
            for s in r.spans
            if s.label == "TIME" and s.attrs.get("end") is None and s.attrs.get("start") is None
        ),
        "GMT/UTC conversion": lambda r: sum(
            1 for s in r.spans if s.label == "TIME" and ZONE_CONVERSION.search(s.text)
        ),
        "hedged claim": lambda r: int(bool(HEDGES.search(r.text))),
        "no published date": lambda r: int(r.published is None),
        "restatement (same=)": lambda r: sum(1 for c in counts(r) if c.attrs.get("restates")),
        "range": lambda r: sum(1 for c in counts(r) if c.attrs.get("upper") is not None),
        "modelled on a real report": lambda r: int(r.source_url is not None),
    }


def corpus_stats(records: Iterable[ArticleRecord]) -> dict[str, Counter[str]]:
    tables: dict[str, Counter[str]] = {
        name: Counter() for name in ("split", "style", "label", "relation", "outcome", "phenomenon")
    }
    tables["size"] = Counter()
    checks = _phenomena()
    for record in records:
        tables["split"][record.split or "none"] += 1
        tables["style"][record.source_style] += 1
        tables["size"]["articles"] += 1
        tables["size"]["words"] += len(record.text.split())
        tables["size"]["events"] += len(record.events)
        for span in record.spans:
            tables["label"][span.label] += 1
        for relation in record.relations:
            tables["relation"][relation.label] += 1
        for event in record.events:
            tables["outcome"][event.outcome.value] += 1
        for name, check in checks.items():
            tables["phenomenon"][name] += check(record)
    return tables
