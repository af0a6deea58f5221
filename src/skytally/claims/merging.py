"""Many articles' events -> one list of claims (docs/claims.md gives the rules with examples).

The rules in short:

* **Same claim.** Two events of different articles are the same claim when their claimant,
  outcome, weapon category and scope (place code, heading, or the named weapon of a place-less
  part) agree and their periods overlap by at least half of the shorter one. Merging takes the
  connected components of that relation, so it is transitive, and the components of a graph do
  not depend on the order its edges were found in: any input order gives the same claims.
* **Garbled place.** Two place claims of one claimant, outcome, weapon and period with the same
  value, which no article states together, each listed in some article's breakdown, are one
  claim whose sources disagree on the place ("45 over Bryansk" for "45 over Belgorod").
* **Consensus.** Each article votes once (its most confident event of the claim). The value
  with most votes wins; on a tie, the value a primary source gave (the claimant's own channel:
  the ministry or air force publishing itself); then the earliest published; then the
  smaller value. The place of a place claim is chosen the same way.
* **Totals and parts.** A claim is part of another when its events are (`part_of` inside an
  article), when an article's regional breakdown sums to a total another article states, or
  when it is a national claimant's figure for one place inside the same claimant's place-less
  total for the same period. `counted` marks the claims with no ancestor of the same outcome:
  summing their values per outcome counts nothing twice.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..lexicon import _kind_of, claimant_info
from ..times import KYIV, parse_published
from .reading import SourceEvent

#: a period with only a start ("since 23:00") or only an end counts as this long
OPEN_PERIOD = timedelta(hours=12)
#: two periods overlap when they share at least this share of the shorter one
MIN_OVERLAP = 0.5

# The model names the public daily tables use, from the weapon's words ("Kh-101 cruise
# missiles" -> X-101/X-555). Order matters: the first match wins.
_MODELS: tuple[tuple[str, str], ...] = (
    (r"shahed|geran|герань", "Shahed-136/131"),
    (r"gerbera", "Gerbera"),
    (r"\b(?:kh|x)-?(?:101|555|55)\b", "X-101/X-555"),
    (r"kalibr", "Kalibr"),
    (r"iskander-?k", "Iskander-K"),
    (r"kn-?23", "KN-23"),
    (r"iskander", "Iskander-M"),
    (r"kinzhal|\b(?:kh|x)-?47", "X-47 Kinzhal"),
    (r"\b(?:kh|x)-?22\b", "X-22"),
    (r"\b(?:kh|x)-?(?:59|69)\b", "X-59/X-69"),
    (r"\b(?:kh|x)-?31", "X-31P"),
    (r"zircon|tsirkon", "3M22 Zircon"),
    (r"lancet", "Lancet"),
    (r"orlan", "Orlan-10"),
    (r"zala", "ZALA"),
    (r"supercam", "Supercam"),
    (r"merlin", "Merlin-VR"),
    (r"storm\s*shadow|scalp", "Storm Shadow"),
    (r"atacms", "ATACMS"),
    (r"himars|gmlrs", "HIMARS"),
    (r"neptune", "Neptune"),
)


def weapon_model(text: str | None) -> str | None:
    """The model a weapon phrase names, in the daily tables' spelling, or None."""
    if not text:
        return None
    lowered = text.lower()
    for pattern, name in _MODELS:
        if re.search(pattern, lowered):
            return name
    return None


class Evidence(BaseModel):
    """A stretch of an article that supports a claim: `role` is count, weapon, place,
    heading, time or claimant; offsets are into the article's text."""

    model_config = ConfigDict(frozen=True)

    role: str
    text: str
    start: int
    end: int


class Source(BaseModel):
    """One article's support for a claim."""

    article: str
    outlet: str | None = None
    primary: bool = False
    """The outlet is the claimant itself (the ministry's or air force's own channel)."""
    published: str | None = None
    where: str = ""
    value: int
    qualifier: str = "exact"
    place_code: str | None = None
    place_name: str | None = None
    kind: str = "stated"
    """`stated` (an event of the article), or `breakdown sum` (the article gives only the
    parts; their sum is the value)."""
    index: int | None = None
    """The event's index in its article (None for a breakdown sum)."""
    voting: bool = True
    """Whether this is the article's vote (an article with two events in one claim votes once)."""
    evidence: list[Evidence] = []

    @property
    def label(self) -> str:
        return self.outlet or self.article


class Claim(BaseModel):
    """One claim, with every article that supports it."""

    claim_id: str
    claimant: str
    side: str | None
    """RU or UA: the country the claimant speaks for (null when unknown)."""
    outcome: str
    weapon: str
    model: str | None
    place_code: str | None
    place_name: str | None
    heading_to: str | None
    period_start: datetime | None
    period_end: datetime | None
    day: str | None
    """The Kyiv-time date the claim's period ends on (the morning of an overnight claim)."""
    value: int
    qualifier: str
    conflict: list[str]
    """What sources disagree on: `value`, `place`, or both."""
    said: dict[str, list[str]]
    """Who said what: each value stated (and each place, as `place: NAME`) -> the outlets."""
    part_of: str | None
    counted: bool
    sources: list[Source]


# ------------------------------------------------------------------ one event


@dataclass
class _Node:
    position: int
    item: SourceEvent
    claimant: str
    outcome: str
    weapon: str
    scope: str
    interval: tuple[datetime, datetime] | None
    primary: bool
    places: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.claimant, self.outcome, self.weapon, self.scope)

    @property
    def article(self) -> str:
        return self.item.article


def outlet_claimant(outlet: str | None) -> str | None:
    """The claimant an outlet is, when it is one ("Ministry of Defence of the Russian
    Federation" -> Russian Ministry of Defence), else None (TASS, Reuters)."""
    if not outlet:
        return None
    kind = _kind_of(outlet)
    if kind is None or kind in ("role", "titled"):
        return None
    return claimant_info(outlet, kind).name


def canonical_claimants(names: Iterable[str]) -> dict[str, str]:
    """A surname cited alone ("Sobyanin") -> the one full name of the corpus that ends
    with it ("Sergei Sobyanin"); a surname two full names share is left alone. Depends
    only on the set of names, so the table does not depend on the input's order."""
    names = {name for name in names if name}
    full: dict[str, set[str]] = defaultdict(set)
    for name in names:
        words = name.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words):
            full[words[-1].lower()].add(name)
    found: dict[str, str] = {}
    for name in names:
        if " " not in name and len(full.get(name.lower(), ())) == 1:
            found[name] = next(iter(full[name.lower()]))
    return found


def _claimant(item: SourceEvent) -> str:
    if item.event.claimant is not None:
        return item.event.claimant.name
    # the ministry's own channel needs no "the ministry said"
    return outlet_claimant(item.outlet) or ""


def _interval(item: SourceEvent) -> tuple[datetime, datetime] | None:
    period = item.event.period
    start = period.start if period else None
    end = period.end if period else None
    if start is None and end is None:
        # no time the pipeline could resolve: the publication day (Kyiv time) stands in
        try:
            published = parse_published(item.published) if item.published else None
        except ValueError:
            published = None
        if published is None:
            return None
        if not isinstance(published, datetime):
            # a date without a time ("2025-04-03") is that day in Kyiv
            published = datetime(published.year, published.month, published.day, tzinfo=KYIV)
        day = published.astimezone(KYIV).replace(hour=0, minute=0, second=0, microsecond=0)
        return day, day + timedelta(days=1)
    if start is None:
        start = end - OPEN_PERIOD  # type: ignore[operator]
    if end is None:
        end = start + OPEN_PERIOD
    if end <= start:
        end = start + timedelta(minutes=1)
    return start, end


def _scope(item: SourceEvent, total: SourceEvent | None) -> str:
    """Where or what part of the whole a count is about: a place, a heading, a named part
    of a total of the same outcome, or "" (the claimant's own total for its outcome, which
    "95 shot down" out of "120 launched" is)."""
    event = item.event
    if event.place is not None:
        return "place:" + (event.place.code or event.place.name.lower())
    if event.heading_to is not None:
        return "to:" + (event.heading_to.code or event.heading_to.name.lower())
    if total is not None and total.event.outcome == event.outcome:
        # a place-less part ("98 drones, including 20 Shaheds") is told apart from its
        # total by its model
        model = weapon_model(event.weapon.text if event.weapon else None) or ""
        return "subset:" + model
    return ""


def overlap(a: tuple[datetime, datetime] | None, b: tuple[datetime, datetime] | None) -> bool:
    """Whether two periods are the same claim's: both unknown, or sharing at least half of
    the shorter one (a night and the next day share an hour, not half)."""
    if a is None or b is None:
        return a is None and b is None
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= timedelta(0):
        return False
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared >= shorter * MIN_OVERLAP


# ------------------------------------------------------------------ union-find


class _Sets:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the smaller root wins: the result does not depend on the order of the unions
            self.parent[max(ra, rb)] = min(ra, rb)


# ------------------------------------------------------------------ voting


def _vote_order(node: _Node) -> tuple[float, int]:
    return (-node.item.event.confidence, node.item.index)


def _published_key(value: str | None) -> str:
    return value or "\uffff"  # unknown dates last


def choose(votes: Sequence[tuple[Any, bool, str | None]]) -> Any:
    """The consensus of (answer, primary, published) votes: most votes; then an answer a
    primary source gave; then the earliest published; then the smallest answer."""
    tally: dict[Any, list[tuple[bool, str | None]]] = defaultdict(list)
    for answer, primary, published in votes:
        tally[answer].append((primary, published))

    def rank(answer: Any) -> tuple[int, int, str, Any]:
        backers = tally[answer]
        return (
            -len(backers),
            -int(any(p for p, _ in backers)),
            min(_published_key(d) for _, d in backers),
            answer,
        )

    return min(tally, key=rank)


# ------------------------------------------------------------------ the whole job


def build_claims(events: Iterable[SourceEvent]) -> list[Claim]:
    """The claims of a corpus's events (see the module's docstring for the rules)."""
    items = sorted(events, key=lambda e: (e.article, e.index, e.where))
    weapons = _inherited_weapons(items)
    totals = {(i.article, i.index): i for i in items}
    nodes = [
        _make_node(position, item, weapons, totals.get((item.article, item.event.part_of)))
        for position, item in enumerate(items)
    ]
    full_names = canonical_claimants({node.claimant for node in nodes})
    for node in nodes:
        node.claimant = full_names.get(node.claimant, node.claimant)
        node.primary = node.primary or (
            bool(node.claimant) and outlet_claimant(node.item.outlet) == node.claimant
        )
    by_event = {(n.article, n.item.index): n.position for n in nodes}
    sets = _Sets(len(nodes))

    buckets: dict[tuple[str, str, str, str], list[_Node]] = defaultdict(list)
    for node in nodes:
        buckets[node.key].append(node)
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if a.article != b.article and overlap(a.interval, b.interval):
                    sets.union(a.position, b.position)

    _merge_garbled_places(nodes, sets)

    groups: dict[int, list[_Node]] = defaultdict(list)
    for node in nodes:
        groups[sets.find(node.position)].append(node)
    drafts = [_Draft(members) for members in groups.values()]
    draft_of = {node.position: d for d in drafts for node in d.members}

    # links inside articles: an event's `part_of` makes its claim part of the total's claim
    for draft in drafts:
        parents: Counter[int] = Counter()
        for node in draft.members:
            parent = node.item.event.part_of
            if parent is None:
                continue
            target = by_event.get((node.article, parent))
            if target is not None and draft_of[target] is not draft:
                parents[draft_of[target].root] += 1
        if parents:
            best = min(parents, key=lambda r: (-parents[r], r))
            draft.parent = next(d for d in drafts if d.root == best)

    _link_breakdown_sums(nodes, drafts, draft_of)
    _link_places_to_totals(drafts)
    _break_cycles(drafts)
    return _finish(drafts)


def _inherited_weapons(items: list[SourceEvent]) -> dict[tuple[str, int], str]:
    """The weapon of an event that names none: its total's ("98 drones: 45 over ..."), else
    the one weapon of the other events of its sentence with the same outcome ("45 drones over
    Belgorod ... and 23 over Bryansk"). Without it such a count would be a claim apart."""
    by_index = {(i.article, i.index): i for i in items}
    by_article: dict[str, list[SourceEvent]] = defaultdict(list)
    for item in items:
        by_article[item.article].append(item)
    found: dict[tuple[str, int], str] = {}
    for item in items:
        event = item.event
        if event.weapon is not None:
            continue
        parent = by_index.get((item.article, event.part_of)) if event.part_of is not None else None
        if parent is not None and parent.event.weapon is not None:
            found[(item.article, item.index)] = parent.event.weapon.category.value
            continue
        kinds = {
            other.event.weapon.category.value
            for other in by_article[item.article]
            if other.event.weapon is not None
            and other.event.sentence == event.sentence
            and other.event.outcome == event.outcome
        }
        if len(kinds) == 1:
            found[(item.article, item.index)] = kinds.pop()
    return found


def _make_node(
    position: int,
    item: SourceEvent,
    weapons: dict[tuple[str, int], str],
    total: SourceEvent | None,
) -> _Node:
    claimant = _claimant(item)
    event = item.event
    weapon = event.weapon.category.value if event.weapon else None
    return _Node(
        position=position,
        item=item,
        claimant=claimant,
        outcome=event.outcome.value,
        weapon=weapon or weapons.get((item.article, item.index), "unknown"),
        scope=_scope(item, total),
        interval=_interval(item),
        primary=bool(claimant) and outlet_claimant(item.outlet) == claimant,
    )


class _Draft:
    """A claim being built: its events, the claim it is part of, sums that support it."""

    def __init__(self, members: list[_Node]) -> None:
        self.members = sorted(members, key=lambda n: n.position)
        self.root = self.members[0].position
        self.parent: _Draft | None = None
        self.sums: list[Source] = []
        first = self.members[0]
        self.claimant, self.outcome, self.weapon = first.claimant, first.outcome, first.weapon
        self.scope = first.scope
        self.articles = {n.article for n in self.members}
        self.interval = _hull([n.interval for n in self.members])

    def voters(self) -> list[_Node]:
        """One event per article: its most confident (then first) event of this claim."""
        best: dict[str, _Node] = {}
        for node in self.members:
            held = best.get(node.article)
            if held is None or _vote_order(node) < _vote_order(held):
                best[node.article] = node
        return sorted(best.values(), key=lambda n: n.position)

    def value(self) -> int:
        votes = [(n.item.event.count.value, n.primary, n.item.published) for n in self.voters()]
        votes += [(s.value, s.primary, s.published) for s in self.sums]
        return int(choose(votes))

    def values(self) -> set[int]:
        return {n.item.event.count.value for n in self.members}


def _hull(intervals: list[tuple[datetime, datetime] | None]) -> tuple[datetime, datetime] | None:
    known = [i for i in intervals if i is not None]
    if not known:
        return None
    return min(i[0] for i in known), max(i[1] for i in known)


def _merge_garbled_places(nodes: list[_Node], sets: _Sets) -> None:
    """Join place claims that are one claim with a garbled place (module docstring)."""
    groups: dict[int, list[_Node]] = defaultdict(list)
    for node in nodes:
        if node.scope.startswith("place:"):
            groups[sets.find(node.position)].append(node)
    # which articles list a breakdown: two or more places for one claimant/outcome/weapon
    listed: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for node in nodes:
        if node.scope.startswith("place:"):
            listed[(node.article, node.claimant, node.outcome, node.weapon)].add(node.scope)
    drafts = [_Draft(members) for members in groups.values()]
    by_kind: dict[tuple[str, str, str], list[_Draft]] = defaultdict(list)
    for draft in drafts:
        by_kind[(draft.claimant, draft.outcome, draft.weapon)].append(draft)

    def in_breakdown(draft: _Draft) -> bool:
        return any(
            len(listed[(n.article, n.claimant, n.outcome, n.weapon)]) >= 2 for n in draft.members
        )

    for kind in by_kind.values():
        values = {id(d): d.value() for d in kind}
        for i, a in enumerate(kind):
            for b in kind[i + 1 :]:
                if (
                    a.scope != b.scope
                    and values[id(a)] == values[id(b)]
                    and not a.articles & b.articles
                    and overlap(a.interval, b.interval)
                    and in_breakdown(a)
                    and in_breakdown(b)
                    and not _stated_together(a, b, listed)
                ):
                    sets.union(a.root, b.root)


def _stated_together(
    a: _Draft, b: _Draft, listed: dict[tuple[str, str, str, str], set[str]]
) -> bool:
    """Whether some article states both places (then they are two real places)."""
    articles = {n.article for n in a.members} | {n.article for n in b.members}
    return any(
        {a.scope, b.scope} <= listed[(article, a.claimant, a.outcome, a.weapon)]
        for article in articles
    )


def _link_breakdown_sums(
    nodes: list[_Node], drafts: list[_Draft], draft_of: dict[int, _Draft]
) -> None:
    """An article that gives only a regional breakdown: when its parts add up to a total
    another article states (same claimant, outcome, weapon, period), the parts are that
    total's and the article supports the total with its sum."""
    totals = [d for d in drafts if d.scope == ""]
    groups: dict[tuple[str, str, str, str], list[_Node]] = defaultdict(list)
    for node in nodes:
        if node.scope.startswith("place:") and node.item.event.part_of is None:
            groups[(node.article, node.claimant, node.outcome, node.weapon)].append(node)
    for (article, claimant, outcome, weapon), parts in sorted(groups.items()):
        if len(parts) < 2 or not claimant:
            continue
        parts.sort(key=lambda n: n.position)
        total = sum(n.item.event.count.value for n in parts)
        interval = _hull([n.interval for n in parts])
        matches = [
            d
            for d in totals
            if (d.claimant, d.outcome, d.weapon) == (claimant, outcome, weapon)
            and article not in d.articles
            and total in d.values()
            and overlap(d.interval, interval)
        ]
        if not matches:
            continue
        target = min(matches, key=lambda d: d.root)
        first = parts[0].item
        target.sums.append(
            Source(
                article=article,
                outlet=first.outlet,
                primary=parts[0].primary,
                published=first.published,
                where=first.where,
                value=total,
                kind="breakdown sum",
                evidence=[e for n in parts for e in _evidence(n.item)],
            )
        )
        for node in parts:
            draft = draft_of[node.position]
            if draft.parent is None and draft is not target:
                draft.parent = target


def _link_places_to_totals(drafts: list[_Draft]) -> None:
    """A national claimant's figure for one place (or heading) with no total of its own is
    inside the same claimant's place-less total of the same outcome, weapon and period."""
    totals = [d for d in drafts if d.scope == "" and d.claimant]
    for draft in drafts:
        if draft.parent is not None or not draft.scope.startswith(("place:", "to:")):
            continue
        if not draft.claimant or claimant_info(draft.claimant).regional:
            continue
        value = draft.value()
        candidates = [
            t
            for t in totals
            if (t.claimant, t.outcome, t.weapon) == (draft.claimant, draft.outcome, draft.weapon)
            and overlap(t.interval, draft.interval)
            and t.value() >= value
        ]
        if candidates:
            draft.parent = min(candidates, key=_span_and_root)


def _span_and_root(draft: _Draft) -> tuple[timedelta, int]:
    span = draft.interval[1] - draft.interval[0] if draft.interval else timedelta.max
    return span, draft.root


def _break_cycles(drafts: list[_Draft]) -> None:
    """Sources that disagree on what is part of what can make a loop: cut it at the link
    from the claim with the largest root (a rule that does not depend on input order)."""
    for draft in sorted(drafts, key=lambda d: d.root):
        seen: list[_Draft] = []
        step: _Draft | None = draft
        while step is not None and step not in seen:
            seen.append(step)
            step = step.parent
        if step is not None:  # a loop through `step`
            loop = seen[seen.index(step) :]
            max(loop, key=lambda d: d.root).parent = None


def _evidence(item: SourceEvent) -> list[Evidence]:
    event = item.event
    spans = [
        ("count", event.count),
        ("weapon", event.weapon),
        ("place", event.place),
        ("heading", event.heading_to),
    ]
    found = [
        Evidence(role=role, text=span.text, start=span.start, end=span.end)
        for role, span in spans
        if span is not None
    ]
    if event.period is not None:
        period = event.period
        found.append(
            Evidence(role="time", text=period.text, start=period.text_start, end=period.text_end)
        )
    if event.claimant is not None:
        claimant = event.claimant
        found.append(
            Evidence(role="claimant", text=claimant.text, start=claimant.start, end=claimant.end)
        )
    return found


def _source(node: _Node, voting: bool) -> Source:
    item, event = node.item, node.item.event
    return Source(
        article=item.article,
        outlet=item.outlet,
        primary=node.primary,
        published=item.published,
        where=item.where,
        value=event.count.value,
        qualifier=event.count.qualifier.value,
        place_code=event.place.code if event.place else None,
        place_name=event.place.name if event.place else None,
        index=item.index,
        voting=voting,
        evidence=_evidence(item),
    )


def _label(source: Source) -> str:
    return source.label + (" (primary)" if source.primary else "")


def _finish(drafts: list[_Draft]) -> list[Claim]:
    """Consensus, conflicts, ids and `counted` for every draft; claims in a stable order."""
    rows: list[tuple[_Draft, dict[str, Any]]] = []
    for draft in drafts:
        voters = draft.voters()
        chosen = {n.position for n in voters}
        sources = [_source(n, n.position in chosen) for n in draft.members] + draft.sums
        votes = [s for s in sources if s.voting]
        value = int(choose([(s.value, s.primary, s.published) for s in votes]))
        said: dict[str, list[str]] = {}
        for s in votes:
            said.setdefault(str(s.value), []).append(_label(s))
        conflict = ["value"] if len({s.value for s in votes}) > 1 else []
        place_code = place_name = None
        exemplar = voters[0]
        if draft.scope.startswith("place:"):
            placed = [s for s in votes if s.place_name is not None]
            place_code, place_name = choose(
                [((s.place_code or "", s.place_name), s.primary, s.published) for s in placed]
            )
            place_code = place_code or None
            if len({s.place_name for s in placed}) > 1:
                conflict.append("place")
                for s in placed:
                    said.setdefault(f"place: {s.place_name}", []).append(_label(s))
            exemplar = next(n for n in voters if n.item.event.place.name == place_name)  # type: ignore[union-attr]
        qualifiers = Counter(s.qualifier for s in votes if s.value == value)
        event = exemplar.item.event
        models = Counter(
            m
            for n in draft.members
            if (m := weapon_model(n.item.event.weapon.text if n.item.event.weapon else None))
        )
        start, end = _consensus_period(voters)
        rows.append(
            (
                draft,
                {
                    "claimant": draft.claimant,
                    "side": claimant_info(draft.claimant).country if draft.claimant else None,
                    "outcome": draft.outcome,
                    "weapon": draft.weapon,
                    "model": min(models, key=lambda m: (-models[m], m)) if models else None,
                    "place_code": place_code,
                    "place_name": place_name,
                    "heading_to": (
                        (event.heading_to.code or event.heading_to.name)
                        if event.heading_to
                        else None
                    ),
                    "period_start": start,
                    "period_end": end,
                    "day": _day(start, end, draft),
                    "value": value,
                    "qualifier": min(qualifiers, key=lambda q: (-qualifiers[q], q)),
                    "conflict": conflict,
                    "said": said,
                    "sources": sorted(sources, key=_source_order),
                },
            )
        )  # fmt: skip
    rows.sort(key=lambda r: _order(r[1], r[0]))
    ids = {id(draft): f"C{number:04d}" for number, (draft, _) in enumerate(rows, start=1)}
    claims = []
    for draft, fields in rows:
        parent = draft.parent
        counted = True
        step = parent
        while step is not None:
            if step.outcome == draft.outcome:
                counted = False
                break
            step = step.parent
        claims.append(
            Claim(
                claim_id=ids[id(draft)],
                part_of=ids[id(parent)] if parent is not None else None,
                counted=counted,
                **fields,
            )
        )
    return claims


def _source_order(source: Source) -> tuple[str, bool, int]:
    return source.article, source.index is None, source.index or 0


def _consensus_period(voters: list[_Node]) -> tuple[datetime | None, datetime | None]:
    """The period most articles give (resolved ones first), earliest first on a tie."""
    periods = [
        (n.item.event.period.start, n.item.event.period.end)
        for n in voters
        if n.item.event.period is not None
        and (n.item.event.period.start is not None or n.item.event.period.end is not None)
    ]
    if not periods:
        return None, None
    tally = Counter(periods)
    return min(tally, key=lambda p: (-tally[p], _time_key(p[0]), _time_key(p[1])))


def _time_key(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "\uffff"


def _day(start: datetime | None, end: datetime | None, draft: _Draft) -> str | None:
    moment = None
    if end is not None:
        moment = end - timedelta(microseconds=1)
    elif start is not None:
        moment = start
    elif draft.interval is not None:
        moment = draft.interval[0] + (draft.interval[1] - draft.interval[0]) / 2
    return moment.astimezone(KYIV).date().isoformat() if moment is not None else None


def _order(fields: dict[str, Any], draft: _Draft) -> tuple[Any, ...]:
    return (
        fields["day"] or "\uffff",
        _time_key(fields["period_start"]),
        fields["claimant"],
        fields["outcome"],
        fields["weapon"],
        draft.scope,
        fields["place_code"] or "",
        fields["value"],
        min(n.article for n in draft.members),
    )
