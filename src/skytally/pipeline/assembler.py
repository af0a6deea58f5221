"""`skytally_events`: typed events from entities, values and links.

One event per COUNT and linked place ("two each over A and B" is two
events). A count without its own period, claimant, weapon or outcome takes
its total's (docs/conventions.md). The same claim restated later in an
article (a headline, a recap paragraph) is reported once: the mention
with more evidence is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from ..event_building import EventBuilder, link_table
from ..totals import repair_overfull
from ..wordlists import word_lists
from . import attributes
from .sentences import SentenceIndex

Offsets = tuple[int, int]
HEADLINE_ENDS = (".", "!", "?", '"', "”", ":")
_WORDS = word_lists("linking_words")  # data/linking_words.json
NEW_MENTION_WORDS = frozenset(_WORDS["new_mention_words"])


class EventAssembler(Pipe):
    def __init__(
        self,
        name: str,
        *,
        merge_restatements: bool,
        scorer: Callable[..., dict[str, Any]] | None,
    ) -> None:
        self.name = name
        self.merge_restatements = merge_restatements
        self.scorer = scorer
        attributes.register()

    def __call__(self, doc: Doc) -> Doc:
        doc._.event_data = assemble(doc, merge_restatements=self.merge_restatements)
        return doc

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        return self.scorer(examples, **kwargs) if self.scorer else {}


def assemble(doc: Doc, *, merge_restatements: bool = True) -> list[dict[str, Any]]:
    values: dict[str, Any] = doc._.skytally_values or {}
    info: dict[str, Any] = doc._.count_info or {}
    text = doc.text
    # "four of the seven missiles": "the seven" repeats a count already reported
    counts = sorted(
        (
            e
            for e in doc.ents
            if e.label_ == "COUNT"
            and attributes.span_key(e.start_char, e.end_char) in values
            and not _ignored(info.get(attributes.span_key(e.start_char, e.end_char)) or {})
        ),
        key=lambda e: e.start_char,
    )
    sentences = SentenceIndex(doc)

    def value_of(offsets: Offsets) -> dict[str, Any]:
        return values.get(attributes.span_key(*offsets)) or {}

    def implied_outcome(count: Offsets) -> str | None:
        return (info.get(attributes.span_key(*count)) or {}).get("outcome")

    builder = EventBuilder(text, link_table(doc._.links or []), value_of, implied_outcome)

    def on_title_line(offset: int) -> bool:
        """A line without a full stop, with more text after it: a headline, a live-blog
        entry's title, a bullet of a summary."""
        end = text.find("\n", offset)
        line = text[text.rfind("\n", 0, offset) + 1 : end].rstrip()
        return end != -1 and not line.endswith(HEADLINE_ENDS)

    drafts: list[dict[str, Any]] = []
    for ent in counts:
        key: Offsets = (ent.start_char, ent.end_char)
        first, last = sentences.start(ent), sentences.end(ent)
        sentence = (doc[first].idx, doc[last - 1].idx + len(doc[last - 1]))
        count_info = info.get(attributes.span_key(*key)) or {}
        confidence = float(count_info.get("confidence", 0.9))
        claimant = builder.inherited(key, "claimant")
        voice = (
            (value_of(claimant).get("country"), bool(value_of(claimant).get("regional")))
            if claimant
            else None
        )
        for place, score in builder.places(key):
            draft = builder.event(key, place, sentence)
            # no word says what happened to them: settled below, from a twin mention
            # that does say ("up to 50 drones in the air" in a headline, "... had
            # been launched" in the body), or dropped
            draft_confidence = confidence * (0.6 if draft["outcome"] is None else 1.0)
            draft |= {
                "_parent": builder.own(key, "part_of"),
                "_key": key,
                "_headline": on_title_line(key[0]),
                "_voice": voice,
                "confidence": round(min(1.0, draft_confidence * score), 3),
            }
            drafts.append(draft)
    drafts = _settle_missing_outcomes(drafts)
    first_draft: dict[Offsets, int] = {}
    for index, draft in enumerate(drafts):
        first_draft.setdefault(draft["_key"], index)
    if merge_restatements:
        drafts, first_draft = _merge_restatements(drafts)
    for draft in drafts:
        parent = draft.pop("_parent")
        draft.pop("_key")
        draft.pop("_voice")
        draft.pop("_headline")
        draft["part_of"] = first_draft.get(parent) if parent is not None else None
    _detach_overfull_parts(drafts)
    return drafts


def _ignored(count_info: dict[str, Any]) -> bool:
    """A count that repeats one already reported ("four of the seven missiles") or
    stands on a caption or a link to another story."""
    return bool(count_info.get("restates") or count_info.get("furniture"))


def _settle_missing_outcomes(drafts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A count no outcome word speaks for is a claim only as a restatement of
    one that has one; otherwise it is not reported (it may be drones "in the
    air", spotted, or heading somewhere, with no claim about their fate)."""
    settled = []
    for draft in drafts:
        if draft["outcome"] is None:
            twin = next(
                (
                    other
                    for other in drafts
                    if other["outcome"] is not None
                    and other["count"]["value"] == draft["count"]["value"]
                    and other["count"]["qualifier"] == draft["count"]["qualifier"]
                    and _category(other) in (_category(draft), None)
                ),
                None,
            )
            if twin is None:
                continue
            draft["outcome"] = twin["outcome"]
        settled.append(draft)
    return settled


def _category(draft: dict[str, Any]) -> str | None:
    return draft["weapon"]["category"] if draft["weapon"] else None


def _place_identity(place: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if place is None:
        return None
    # one drone over the Pogarsky district and another over the Starodubsky district
    # are two claims in the same region; "Belgorod" and "the Belgorod region" are one
    if place["kind"] == "district":
        return (place["code"], place["name"])
    return (place["code"],) if place["code"] is not None else (None, place["name"])


def _same_speaker(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """Unknown on either side, the same name, or a surname and the full name
    ("Sobyanin", "Sergei Sobyanin (Mayor of Moscow)")."""
    if a is None or b is None or a["name"] == b["name"]:
        return True
    shorter, longer = sorted((a["name"].split("(")[0], b["name"].split("(")[0]), key=len)
    words = shorter.split()
    return bool(words) and words[-1] in longer.split()


def _same_national_voice(a: tuple[Any, bool] | None, b: tuple[Any, bool] | None) -> bool:
    """Two national bodies of one side (the General Staff relaying the Air Force's
    figures): one voice. A governor's own count is never the ministry's."""
    return a is not None and b is not None and a[0] is not None and a == b and not a[1]


def _near_its_heading(placed: dict[str, Any], heading: dict[str, Any]) -> bool:
    """ "downed near the capital" in a headline, "downed on approach to Moscow" in the
    body: a place and, on the other statement, no place but that heading."""
    return (
        heading["place"] is None
        and heading["heading_to"] is not None
        and placed["place"] is not None
        and placed["place"]["code"] == heading["heading_to"]["code"]
    )


def _places_agree(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """The same place, or a region and a district or city in it ("over the Moscow
    region" in a headline, "over its Ramensky district" in the body)."""
    if _place_identity(a) == _place_identity(b):
        return True
    if a is None or b is None or a["code"] is None or a["code"] != b["code"]:
        return False
    return "region" in (a["kind"], b["kind"])


def _compatible(a: Any, b: Any, wildcard: Any = None) -> bool:
    return a is None or b is None or a == b or wildcard in (a, b)


def _same_claim(kept: dict[str, Any], draft: dict[str, Any], resolve: Callable[..., Any]) -> bool:
    """Whether `draft` states again the claim of `kept`: the same number of the
    same things with the same fate, in the same place, period and voice, said
    in another sentence."""
    if (
        not _values_agree(kept["count"], draft["count"])
        or kept["outcome"] != draft["outcome"]
        or kept["sentence"] == draft["sentence"]  # a sentence does not restate itself
        or kept["_key"] == draft["_key"]
        or not (
            _places_agree(kept["place"], draft["place"])
            or _near_its_heading(kept, draft)
            or _near_its_heading(draft, kept)
        )
        or not _compatible(_category(kept), _category(draft), wildcard="unknown")
        or not _compatible(
            kept["heading_to"] and kept["heading_to"]["code"],
            draft["heading_to"] and draft["heading_to"]["code"],
        )
        or not (
            _same_speaker(kept["claimant"], draft["claimant"])
            or _same_national_voice(kept["_voice"], draft["_voice"])
        )
        or not _periods_agree(kept["period"], draft["period"])
    ):
        return False
    mine, theirs = resolve(draft["_parent"]), resolve(kept["_parent"])
    if resolve(draft["_key"]) in (theirs,) or resolve(kept["_key"]) == mine:
        return False  # a part is not a restatement of its whole
    if mine == theirs:
        return True
    # a headline or closing line states a part on its own ("12 over Belgorod") or
    # repeats a fate without its launched whole ("30 were shot down")
    lone = draft if mine is None else kept if theirs is None else None
    return lone is not None and (lone["place"] is not None or not lone["_children"])


#: an instant ("at about 10 pm") restates a window that starts or ends this close to it
INSTANT_SLACK = timedelta(hours=2)


def _values_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same number, or a bound and an exact number it holds ("more than 50"
    in a headline, "53" in the body)."""
    if (a["value"], a["qualifier"]) == (b["value"], b["qualifier"]):
        return True
    if "exact" not in (a["qualifier"], b["qualifier"]) or a["qualifier"] == b["qualifier"]:
        return False
    bound, exact = (b, a["value"]) if a["qualifier"] == "exact" else (a, b["value"])
    limit = bound["value"]
    # a rounded number stays near the exact one: "more than 30" is not a way to say 112
    near = abs(exact - limit) <= max(5, limit // 4)
    return near and {
        "more_than": exact > limit,
        "at_least": exact >= limit,
        "at_most": exact <= limit,
        "approximate": abs(exact - limit) <= max(2, limit // 10),
    }.get(bound["qualifier"], False)


def _periods_agree(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None or None in (a["start"], a["end"], b["start"], b["end"]):
        return True
    a_start, a_end, b_start, b_end = (
        datetime.fromisoformat(str(v)) for v in (a["start"], a["end"], b["start"], b["end"])
    )
    if a_start == a_end or b_start == b_end:
        # the time an attack began is a point in the night it belongs to
        return a_start - INSTANT_SLACK <= b_end and b_start - INSTANT_SLACK <= a_end
    return a_start < b_end and b_start < a_end


def _evidence_weight(draft: dict[str, Any]) -> int:
    """Which statement of a claim to report: the one that says most, an exact number
    over a rounded one, a part of its total over a lone headline, the body over the
    headline."""
    return (
        sum(draft[k] is not None for k in ("period", "claimant", "place", "heading_to", "weapon"))
        + (2 if draft["_children"] else 0)
        + (1 if draft["_parent"] is not None else 0)
        + (1 if draft["count"]["qualifier"] == "exact" else 0)
        # a headline says least carefully what the body says at length
        + (0 if draft["_headline"] else 1)
    )


def _merge_restatements(
    drafts: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], dict[Offsets, int]]:
    """One event per claim: a later (or weaker) statement of a claim already
    made is folded into it and kept as a mention. Parts of a folded total are
    compared through it, so a repeated paragraph repeats no breakdown."""
    with_children = {d["_parent"] for d in drafts if d["_parent"] is not None}
    for draft in drafts:
        draft["_children"] = draft["_key"] in with_children
        draft.setdefault("mentions", [])
    replaced: dict[Offsets, Offsets] = {}

    def resolve(key: Offsets | None) -> Offsets | None:
        seen = set()
        while key in replaced and key not in seen:
            seen.add(key)
            key = replaced[key]
        return key

    kept: list[dict[str, Any]] = []
    # kept statements by outcome and number, so a long list is not compared with
    # itself pair by pair; rounded figures ("more than 50") are few and always tried
    exact: dict[tuple[Any, int], list[int]] = {}
    rounded: dict[Any, list[int]] = {}

    def bucket(draft: dict[str, Any]) -> list[int]:
        count = draft["count"]
        if count["qualifier"] != "exact":
            return rounded.setdefault(draft["outcome"], [])
        return exact.setdefault((draft["outcome"], count["value"]), [])

    def candidates(draft: dict[str, Any]) -> list[int]:
        count = draft["count"]
        found = list(rounded.get(draft["outcome"], []))
        if count["qualifier"] == "exact":
            found += exact.get((draft["outcome"], count["value"]), [])
        else:
            reach = max(5, count["value"] // 4)
            for value in range(count["value"] - reach, count["value"] + reach + 1):
                found += exact.get((draft["outcome"], value), [])
        return sorted(found)

    for draft in drafts:
        # "Another UAV was shot down" is a new claim, not a restatement, except of the
        # headline that announced it ("Air defence destroys another drone - mayor")
        new_mention = draft["count"]["text"].lower() in NEW_MENTION_WORDS
        slot = next(
            (
                i
                for i in candidates(draft)
                if (not new_mention or kept[i]["sentence"]["start"] == 0)
                and _same_claim(kept[i], draft, resolve)
            ),
            None,
        )
        if slot is None:
            bucket(draft).append(len(kept))
            kept.append(draft)
            continue
        twin = kept[slot]
        winner, loser = (
            (draft, twin) if _evidence_weight(draft) > _evidence_weight(twin) else (twin, draft)
        )
        if winner is draft:
            bucket(twin).remove(slot)
            bucket(draft).append(slot)
            kept[slot] = draft
        winner["_children"] = winner["_children"] or loser["_children"]
        winner["mentions"] = sorted(
            [*winner["mentions"], *loser["mentions"], _mention(loser)],
            key=lambda m: m["start"],
        )
        replaced[loser["_key"]] = winner["_key"]
    kept.sort(key=lambda d: (d["count"]["start"], d["place"]["start"] if d["place"] else -1))
    for draft in kept:
        draft.pop("_children")
        draft["_parent"] = resolve(draft["_parent"])
        if draft["_parent"] == draft["_key"]:
            draft["_parent"] = None
    first: dict[Offsets, int] = {}
    for index, draft in enumerate(kept):
        first.setdefault(draft["_key"], index)
    for old in replaced:
        new = resolve(old)
        if new in first:
            first.setdefault(old, first[new])
    return kept, first


def _mention(draft: dict[str, Any]) -> dict[str, Any]:
    count = draft["count"]
    return {"text": count["text"], "start": count["start"], "end": count["end"]}


def _detach_overfull_parts(drafts: list[dict[str, Any]]) -> None:
    """Parts never add up to more than an exact total: where the links say they
    do, a link is wrong or the text contradicts itself. A part that does not fit
    moves under an earlier part with room for it, or stands alone; either way
    with less confidence."""
    for index, host in repair_overfull(drafts).items():
        drafts[index]["part_of"] = host
        drafts[index]["confidence"] = round(drafts[index]["confidence"] * 0.5, 3)


@registry.scorers("skytally.event_scorer.v1")
def make_event_scorer() -> Callable[..., dict[str, Any]]:
    from ..evaluation.matching import score_event_examples

    return score_event_examples


@Language.factory(
    "skytally_events",
    default_config={
        "merge_restatements": True,
        "scorer": {"@scorers": "skytally.event_scorer.v1"},
    },
)
def make_assembler(
    nlp: Language,
    name: str,
    *,
    merge_restatements: bool,
    scorer: Callable[..., dict[str, Any]] | None,
) -> EventAssembler:
    return EventAssembler(name, merge_restatements=merge_restatements, scorer=scorer)
