"""A generated news corpus whose claims are known: for `skytally claims` tests.

Each night has a Russian Ministry of Defence claim (a national total of drones destroyed
and its breakdown over three regions) and a Ukrainian Air Force claim (drones launched, shot
down and lost to jamming; every third night cruise missiles too). Each claim is published
by its claimant's own channel and relayed by wire services and rewrites; a content farm
gets a number or a region wrong; an aggregator gives only the regional breakdown. The
wording is our own, written for these tests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

RU_REGIONS = (
    ("Belgorod", "RU-BEL"),
    ("Kursk", "RU-KRS"),
    ("Bryansk", "RU-BRY"),
    ("Voronezh", "RU-VOR"),
    ("Rostov", "RU-ROS"),
    ("Oryol", "RU-ORL"),
    ("Tula", "RU-TUL"),
    ("Kaluga", "RU-KLU"),
    ("Smolensk", "RU-SMO"),
)
#: a region the content farm puts in place of a real one (never in a true breakdown)
GARBLED = ("Lipetsk", "RU-LIP")

MOD = "Russian Ministry of Defence"
UAF = "Ukrainian Air Force"
FARM = "Daily Drone Digest"
AGGREGATOR = "Regional Wire Roundup"


@dataclass(frozen=True)
class Truth:
    """One claim as its claimant made it."""

    day: str
    claimant: str
    outcome: str
    weapon: str
    place_code: str | None
    value: int
    parent: tuple[str, str, str, str | None] | None = None  # (outcome, weapon, place) key
    outlets: frozenset[str] = frozenset()
    conflict: str = ""
    wrong: dict[str, str] = field(default_factory=dict)  # outlet -> what it said instead

    @property
    def key(self) -> tuple[str, str, str, str, str | None]:
        return (self.day, self.claimant, self.outcome, self.weapon, self.place_code)


@dataclass
class Corpus:
    records: list[dict[str, str]]
    truths: list[Truth]


def _mod_texts(month_day: str, total: int, regions: list[tuple[str, int]]) -> list[str]:
    (r1, v1), (r2, v2), (r3, v3) = regions
    return [
        f"Over the past night, air defence systems on duty intercepted and destroyed {total} "
        f"Ukrainian fixed-wing unmanned aerial vehicles: {v1} over the territory of the {r1} "
        f"region, {v2} over the {r2} region and {v3} over the {r3} region.",
        f"Last night, on-duty air defence assets destroyed {total} Ukrainian aircraft-type "
        f"drones: {v1} over the {r1} region, {v2} over the {r2} region and {v3} over the "
        f"{r3} region.",
    ]


def _relays(month_day: str, total: int, regions: list[tuple[str, int]]) -> dict[str, str]:
    (r1, v1), (r2, v2), (r3, v3) = regions
    return {
        "TASS": f"MOSCOW, {month_day}. /TASS/. Russian air defences downed {total} Ukrainian "
        f"drones overnight, including {v1} over the {r1} region, {v2} over the {r2} region "
        f"and {v3} over the {r3} region, the Russian Defence Ministry said.",
        "RIA Novosti": f"Air defence forces intercepted {total} Ukrainian drones over Russian "
        f"regions overnight, the Russian Defence Ministry said: {v1} over the {r1} region, "
        f"{v2} over the {r2} region and {v3} over the {r3} region.",
        "Reuters": f"Russia's defence ministry said that its air defence units had destroyed "
        f"{total} Ukrainian drones overnight. Of those, {v1} were brought down over the {r1} "
        f"region, {v2} over the {r2} region and {v3} over the {r3} region, the ministry "
        f"said.\nThere was no immediate comment from Kyiv.",
    }


def _farm_ru(total: int, regions: list[tuple[str, int]]) -> str:
    (r1, v1), (r2, v2), (r3, v3) = regions
    return (
        f"BREAKING: Huge drone attack repelled! The Russian Ministry of Defence reported that "
        f"{total} Ukrainian drones were shot down overnight, with {v1} over {r1} region, {v2} "
        f"over {r2} region and {v3} over {r3} region. Stay tuned for updates."
    )


def _breakdown_only(regions: list[tuple[str, int]]) -> str:
    (r1, v1), (r2, v2), (r3, v3) = regions
    return (
        f"Russia's air defences destroyed {v1} Ukrainian drones over the {r1} region "
        f"overnight, {v2} drones over the {r2} region and {v3} drones over the {r3} region, "
        f"the Defence Ministry said."
    )


def _uaf(night: str, launched: int, shot: int, lost: int, missiles: tuple[int, int] | None) -> str:
    text = f"On the night of {night}, the enemy attacked with {launched} Shahed-type strike UAVs "
    text += "and decoy drones."
    if missiles:
        text += f" The enemy also launched {missiles[0]} Kh-101 cruise missiles."
        text += f" As of 09:00, air defence shot down {shot} enemy UAVs and {missiles[1]} missiles."
    else:
        text += f" As of 09:00, air defence shot down {shot} enemy UAVs."
    return text + f" {lost} UAVs were locationally lost."


def _ua_relays(
    launched: int, shot: int, lost: int, missiles: tuple[int, int] | None
) -> dict[str, str]:
    if missiles:
        body = (
            f"Russia launched {launched} drones and {missiles[0]} Kh-101 cruise missiles at "
            f"Ukraine overnight, the Ukrainian Air Force said. It said {shot} drones and "
            f"{missiles[1]} missiles were shot down, while {lost} drones were locationally lost."
        )
    else:
        body = (
            f"Russia launched {launched} drones at Ukraine overnight, the Ukrainian Air Force "
            f"said. It said {shot} drones were shot down, while {lost} drones were locationally "
            f"lost."
        )
    return {
        "Ukrinform": body,
        "Associated Press": f"KYIV, Ukraine - Russia launched {launched} Shahed-type drones at "
        f"Ukraine overnight, Ukraine's Air Force said, adding that {shot} were shot down and "
        f"{lost} were locationally lost, probably due to electronic warfare."
        + (
            f" Russia also launched {missiles[0]} Kh-101 cruise missiles, of which "
            f"{missiles[1]} were shot down, the Air Force said."
            if missiles
            else ""
        ),
        "Reuters": body.replace("the Ukrainian Air Force said", "Ukraine's air force said"),
    }


def _farm_ua(launched: int, shot: int, lost: int) -> str:
    return (
        f"Ukraine's Air Force says {launched} Russian drones were launched overnight and {shot} "
        f"of them were downed. Another {lost} were lost to electronic warfare."
    )


def build(nights: int = 22, seed: int = 7, start: date = date(2025, 11, 1)) -> Corpus:
    """Records (id, text, published, source) and the claims they relay."""
    rng = random.Random(seed)
    records: list[dict[str, str]] = []
    truths: list[Truth] = []
    for n in range(nights):
        day = start + timedelta(days=n)
        iso = day.isoformat()
        month_day = f"{day:%B} {day.day}"
        # ---------------------------------------------------------------- Russian claim
        picked = rng.sample(RU_REGIONS, 3)
        values = [rng.randint(4, 60) for _ in picked]
        total = sum(values)
        regions = [(name, v) for (name, _), v in zip(picked, values, strict=True)]
        relays = _relays(month_day, total, regions)
        mod_text = _mod_texts(month_day, total, regions)[n % 2]
        outlets = {MOD, *relays}
        farm_total, farm_regions = total, list(regions)
        mode = n % 3
        if mode == 0:
            farm_total = total + 1
        elif mode == 1:
            farm_regions[0] = (regions[0][0], regions[0][1] - 1)
        else:
            farm_regions[1] = (GARBLED[0], regions[1][1])
        texts = {MOD: mod_text, **relays, FARM: _farm_ru(farm_total, farm_regions)}
        aggregator = n % 2 == 0
        if aggregator:
            texts[AGGREGATOR] = _breakdown_only(regions)
        for outlet, text in texts.items():
            published = f"{iso}T{8 + len(records) % 4:02d}:{(7 * len(records)) % 60:02d}:00+03:00"
            records.append(
                {"id": f"ru-{iso}-{_slug(outlet)}", "text": text, "published": published,
                 "source": outlet}
            )  # fmt: skip
        everyone = frozenset(outlets | {FARM} | ({AGGREGATOR} if aggregator else set()))
        truths.append(
            Truth(iso, MOD, "destroyed", "drone", None, total, outlets=everyone,
                  conflict="value" if mode == 0 else "",
                  wrong={FARM: str(farm_total)} if mode == 0 else {})
        )  # fmt: skip
        for i, ((_name, code), value) in enumerate(zip(picked, values, strict=True)):
            conflict, wrong = "", {}
            if mode == 1 and i == 0:
                conflict, wrong = "value", {FARM: str(value - 1)}
            if mode == 2 and i == 1:
                conflict, wrong = "place", {FARM: f"place: {GARBLED[0]} Oblast"}
            truths.append(
                Truth(iso, MOD, "destroyed", "drone", code, value,
                      parent=("destroyed", "drone", None), outlets=everyone,
                      conflict=conflict, wrong=wrong)
            )  # fmt: skip
        # ------------------------------------------------------------- Ukrainian claim
        launched = rng.randint(40, 160)
        shot = rng.randint(launched // 2, launched - 5)
        lost = rng.randint(1, launched - shot)
        missiles = (rng.randint(3, 12), 0) if n % 3 == 1 else None
        if missiles:
            missiles = (missiles[0], rng.randint(1, missiles[0]))
        ua_relays = _ua_relays(launched, shot, lost, missiles)
        ua_texts = {UAF: _uaf(f"{month_day}", launched, shot, lost, missiles), **ua_relays}
        farm_wrong = n % 2 == 1
        if farm_wrong:
            ua_texts[FARM] = _farm_ua(launched + 1, shot, lost)
        for outlet, text in ua_texts.items():
            published = f"{iso}T{9 + len(records) % 3:02d}:{(11 * len(records)) % 60:02d}:00+02:00"
            records.append(
                {"id": f"ua-{iso}-{_slug(outlet)}", "text": text, "published": published,
                 "source": outlet}
            )  # fmt: skip
        ua_outlets = frozenset({UAF, *ua_relays} | ({FARM} if farm_wrong else set()))
        truths.append(
            Truth(iso, UAF, "launched", "drone", None, launched, outlets=ua_outlets,
                  conflict="value" if farm_wrong else "",
                  wrong={FARM: str(launched + 1)} if farm_wrong else {})
        )  # fmt: skip
        for outcome, value in (("destroyed", shot), ("suppressed", lost)):
            truths.append(
                Truth(iso, UAF, outcome, "drone", None, value,
                      parent=("launched", "drone", None), outlets=ua_outlets)
            )  # fmt: skip
        if missiles:
            missile_outlets = frozenset({UAF, *ua_relays})
            truths.append(
                Truth(iso, UAF, "launched", "missile", None, missiles[0], outlets=missile_outlets)
            )
            truths.append(
                Truth(iso, UAF, "destroyed", "missile", None, missiles[1],
                      parent=("launched", "missile", None), outlets=missile_outlets)
            )  # fmt: skip
    return Corpus(records=records, truths=truths)


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")
