"""The spaCy components: registration, settings from the config, saving and
loading, scorers, and the linking rules on short texts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

import skytally
from skytally.pipeline.decoder import score_relations
from skytally.pipeline.entity_ruler import score_entities

COMPONENTS = (
    "skytally_sentences",
    "skytally_entities",
    "skytally_normalizer",
    "skytally_linker",
    "skytally_decoder",
    "skytally_events",
)


def test_saved_pipeline_loads_in_a_fresh_interpreter_without_importing_skytally(
    tmp_path: Path,
) -> None:
    """The factories are found through the spacy_factories entry points."""
    skytally.build_pipeline().to_disk(tmp_path / "model")
    script = (
        "import spacy, sys\n"
        "assert 'skytally' not in sys.modules\n"
        f"nlp = spacy.load({str(tmp_path / 'model')!r})\n"
        "assert 'skytally' in sys.modules  # imported by spaCy through the entry points\n"
        "doc = nlp('Air defences destroyed 12 drones over the Kursk region.')\n"
        "print(nlp.pipe_names == list(%r), [(e.count.value, e.place.code) for e in doc._.events])\n"
        % (COMPONENTS,)
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True [(12, 'RU-KRS')]"


def test_round_trip_to_disk_and_from_disk(tmp_path: Path, nlp) -> None:
    text = "Overnight, 40 drones were shot down: 25 over the Kursk region and 15 over Bryansk."
    nlp.to_disk(tmp_path / "saved")
    reloaded = spacy.load(tmp_path / "saved")
    assert reloaded.pipe_names == list(COMPONENTS)
    assert skytally.extract(text, nlp=reloaded) == skytally.extract(text, nlp=nlp)
    blank = skytally.build_pipeline().from_disk(tmp_path / "saved")
    assert skytally.extract(text, nlp=blank) == skytally.extract(text, nlp=nlp)


def test_settings_come_from_the_config() -> None:
    nlp = skytally.build_pipeline({"skytally_events": {"merge_restatements": False}})
    assert nlp.config["components"]["skytally_events"]["merge_restatements"] is False
    text = (
        "Air defences destroyed 30 drones over the Kursk region.\n\n"
        "Air defences destroyed 30 drones over the Kursk region."
    )
    assert len(skytally.extract(text, nlp=nlp)) == 2
    assert len(skytally.extract(text, nlp=skytally.build_pipeline())) == 1


def test_each_component_works_alone_on_a_doc(nlp) -> None:
    doc = nlp.make_doc("Air defences destroyed 12 drones over the Kursk region overnight.")
    for name in COMPONENTS:
        doc = nlp.get_pipe(name)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("destroyed", "OUTCOME"),
        ("12", "COUNT"),
        ("drones", "WEAPON"),
        ("Kursk region", "PLACE"),
        ("overnight", "TIME"),
    ]
    count = doc.ents[1]
    assert count._.value == {"value": 12, "qualifier": "exact"}
    assert doc.ents[3]._.value["code"] == "RU-KRS"
    labels = sorted(row[4] for row in doc._.links)
    assert labels == ["outcome", "place", "time", "weapon"]


def test_entity_and_relation_scorers_count_matches(nlp) -> None:
    text = "Air defences destroyed 12 drones over the Kursk region."
    predicted = nlp(text)
    reference = nlp(text)
    reference.ents = [e for e in reference.ents if e.label_ != "OUTCOME"]
    reference._.links = [row for row in reference._.links if row[4] == "place"]
    example = Example(predicted, reference)
    entities = score_entities([example])
    assert entities["ents_r"] == 1.0
    assert entities["ents_p"] == pytest.approx(3 / 4)
    assert entities["ents_per_type"]["OUTCOME"]["p"] == 0.0
    relations = score_relations([example])
    assert relations["rel_r"] == 1.0
    assert relations["rel_p"] == pytest.approx(1 / len(predicted._.links))
    assert relations["rel_per_type"]["place"]["f"] == 1.0


def _events(nlp, text: str, published: str | None = "2025-05-10T09:00:00+03:00"):
    return skytally.extract(text, published=published, nlp=nlp)


def _summary(events) -> list[tuple]:
    return [
        (e.count.value, e.outcome.value, e.place.code if e.place else None, e.part_of)
        for e in events
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Air defences shot down 30 drones overnight, two each over the Voronezh and "
            "Lipetsk regions and 26 over the Kursk region.",
            [
                (30, "destroyed", None, None),
                (2, "destroyed", "RU-VOR", 0),
                (2, "destroyed", "RU-LIP", 0),
                (26, "destroyed", "RU-KRS", 0),
            ],
        ),
        (
            "The ministry said 17 drones were downed over the Tula, Kaluga and Oryol regions, "
            "with ten, four and three respectively.",
            [
                (17, "destroyed", None, None),
                (10, "destroyed", "RU-TUL", 0),
                (4, "destroyed", "RU-KLU", 0),
                (3, "destroyed", "RU-ORL", 0),
            ],
        ),
        (
            # the sum pins "six over Belgorod and Smolensk" to six each
            "Air defences destroyed 20 drones: eight over the Bryansk region and six over "
            "Belgorod and Smolensk.",
            [
                (20, "destroyed", None, None),
                (8, "destroyed", "RU-BRY", 0),
                (6, "destroyed", "RU-BEL", 0),
                (6, "destroyed", "RU-SMO", 0),
            ],
        ),
        (
            "Of 97 Shaheds launched overnight, 57 were shot down and 34 were locationally lost.",
            [(97, "launched", None, None), (57, "destroyed", None, 0), (34, "suppressed", None, 0)],
        ),
        (
            "Air defence crews intercepted 11 of 17 missiles.",
            [(11, "destroyed", None, 1), (17, "launched", None, None)],
        ),
        (
            "Russia launched 539 drones and 11 missiles at Ukraine overnight.",
            [(539, "launched", None, None), (11, "launched", None, None)],
        ),
        (
            "Ukraine can now produce up to 4 million drones a year, the minister said.",
            [],
        ),
        (
            "Since the start of the full-scale war, more than 70,000 drones have been shot down.",
            [],
        ),
        (
            "Two people were injured and three houses were damaged by falling debris.",
            [],
        ),
        (
            "27 drones were destroyed overnight over the Kaluga, Tver and Yaroslavl regions, with "
            "eleven, nine and five respectively, and one each over the Novgorod and Pskov regions.",
            [
                (27, "destroyed", None, None),
                (11, "destroyed", "RU-KLU", 0),
                (9, "destroyed", "RU-TVE", 0),
                (5, "destroyed", "RU-YAR", 0),
                (1, "destroyed", "RU-NGR", 0),
                (1, "destroyed", "RU-PSK", 0),
            ],
        ),
        (
            "Eleven, nine and five were downed over the Kaluga, Tver and Yaroslavl regions "
            "respectively.",
            [
                (11, "destroyed", "RU-KLU", None),
                (9, "destroyed", "RU-TVE", None),
                (5, "destroyed", "RU-YAR", None),
            ],
        ),
        (
            # an air force table: launched, and in brackets how many were shot down
            "Shahed: 46 (39 shot down)\nKh-101: 5 (5 shot down)",
            [
                (46, "launched", None, None),
                (39, "destroyed", None, 0),
                (5, "launched", None, None),
                (5, "destroyed", None, 2),
            ],
        ),
        (
            "Air defences destroyed 44 of the 61 Shahed-type drones launched overnight.",
            [(44, "destroyed", None, 1), (61, "launched", None, None)],
        ),
        (
            "Air defence repelled an attack by Ukrainian drones over the Bryansk region.",
            [],
        ),
        (
            "A drone struck a car in Belgorod, wounding three.",
            [(1, "hit", "RU-BEL", None)],
        ),
        (
            "120 drones were shot down, while the missiles hit targets in the "
            "Dnipropetrovsk region.",
            [(120, "destroyed", None, None)],
        ),
        (
            "Air defence forces have shooted down 31 drons over the Kursk region.",
            [(31, "destroyed", "RU-KRS", None)],
        ),
        (
            "Since January, Russian air defences have destroyed more than 3,600 Ukrainian drones.",
            [],
        ),
        (
            "Hits were recorded at eight locations, and wreckage fell at 33 more.",
            [],
        ),
        (
            "Debris from a downed drone damaged a house in the Glushkovsky district.",
            [],
        ),
        (
            "Of the four Kinzhal missiles, two were shot down.",
            [(4, "launched", None, None), (2, "destroyed", None, 0)],
        ),
        (
            # the outcome at the end of a long subject; "launched at" describes
            "All 12 missiles, five attack drones and two reconnaissance drones launched at "
            "the country overnight were shot down, the air force said.",
            [
                (12, "destroyed", None, None),
                (5, "destroyed", None, None),
                (2, "destroyed", None, None),
            ],
        ),
        (
            # only the "each" reading makes 11 + 5 + 5 add up to 21
            "The ministry said 21 drones were destroyed overnight, 11 over the Belgorod region "
            "and five more over Crimea and the Black Sea.",
            [
                (21, "destroyed", None, None),
                (11, "destroyed", "RU-BEL", 0),
                (5, "destroyed", "UA-43", 0),
                (5, "destroyed", "SEA-BLACK", 0),
            ],
        ),
        (
            "Drones were downed over the Kursk, Bryansk and Oryol regions overnight, the "
            "ministry said. In total, 26 UAVs were destroyed. Of these, 14 were over Kursk, "
            "eight over Bryansk and four over Oryol.",
            [
                (26, "destroyed", None, None),
                (14, "destroyed", "RU-KRS", 0),
                (8, "destroyed", "RU-BRY", 0),
                (4, "destroyed", "RU-ORL", 0),
            ],
        ),
        (
            # a mayor's drones heading for his city were not downed over it
            "Moscow Mayor Sergei Sobyanin said air defences shot down two more drones flying "
            "towards the capital.",
            [(2, "destroyed", None, None)],
        ),
        (
            "Kyiv mayor Vitali Klitschko said air defence destroyed 15 drones over the capital "
            "overnight.",
            [(15, "destroyed", "UA-30", None)],
        ),
        (
            # the title is outside the claimant's name; his region is named once
            "Governor Alexander Bogomaz of the Bryansk region said two drones were destroyed "
            "overnight.",
            [(2, "destroyed", "RU-BRY", None)],
        ),
        (
            "In the Bryansk region, Governor Alexander Bogomaz said, air defences destroyed "
            "two drones.",
            [(2, "destroyed", "RU-BRY", None)],
        ),
        (
            # a later "in total" sums up the updates before it: the day is counted once
            "Governor Vyacheslav Gladkov said air defences shot down five drones over the "
            "Belgorod region in the morning. Later, three more were downed over the region. "
            "In total, 12 drones were destroyed over the Belgorod region, he said.",
            [
                (5, "destroyed", "RU-BEL", 2),
                (3, "destroyed", "RU-BEL", 2),
                (12, "destroyed", "RU-BEL", None),
            ],
        ),
        (
            # 118 cannot be of the four missiles: it is of the drones its number fits in
            "Ukraine's Air Force: 143 drones and 4 missiles launched overnight, 118 shot "
            "down\n\nKYIV - Russia launched 143 drones and four missiles at Ukraine overnight, "
            "the air force said. Air defense shot down 118 drones.",
            [
                (143, "launched", None, None),
                (4, "launched", None, None),
                (118, "destroyed", None, 0),
            ],
        ),
        ("Two missiles hit Odesa.", [(2, "hit", "UA-51", None)]),
        (
            # places before a count that says "each"; the next places are the next count's
            "Air defences destroyed 20 drones: over Kursk and Voronezh six each, 4 over "
            "Belgorod, and over the Tula and Oryol regions two each.",
            [
                (20, "destroyed", None, None),
                (6, "destroyed", "RU-KRS", 0),
                (6, "destroyed", "RU-VOR", 0),
                (4, "destroyed", "RU-BEL", 0),
                (2, "destroyed", "RU-TUL", 0),
                (2, "destroyed", "RU-ORL", 0),
            ],
        ),
        (
            "Russian air defences destroyed 57 Ukrainian drones overnight, the Defence Ministry "
            "said: 30 over the Bryansk region and 27 over the Kursk region.\n\nEarlier, Moscow "
            "Mayor Sergei Sobyanin said air defences had shot down three drones flying towards "
            "Moscow.",
            [
                (57, "destroyed", None, None),
                (30, "destroyed", "RU-BRY", 0),
                (27, "destroyed", "RU-KRS", 0),
                (3, "destroyed", None, None),
            ],
        ),
        ("Ordinary apartment blocks were damaged, and one of them lost a whole entrance.", []),
        (
            "Still, 19 drones hit 12 places, and debris came down in four more.",
            [(19, "hit", None, None)],
        ),
        ("One person was killed and three were wounded, the interior ministry said.", []),
        (
            "The forces lost track of 16 of the 40 drones launched by Russia.",
            [(16, "suppressed", None, 1), (40, "launched", None, None)],
        ),
    ],
)
def test_linking_rules(nlp, text: str, expected: list[tuple]) -> None:
    assert _summary(_events(nlp, text)) == expected


def test_unpairable_list_gives_no_per_place_events(nlp) -> None:
    text = (
        "Air defences destroyed 40 drones overnight. Other drones were downed over the Kursk, "
        "Oryol, Tula, Lipetsk and Voronezh regions, with nine, four and two respectively."
    )
    events = _events(nlp, text)
    listed = [e for e in events if e.count.value in (9, 4, 2)]
    assert len(listed) == 3
    assert all(e.place is None and e.confidence <= 0.5 for e in listed)


def test_subset_heading_to_a_city(nlp) -> None:
    events = _events(
        nlp,
        "Air defences destroyed 15 drones over the Moscow region, "
        "including six flying towards Moscow.",
    )
    assert _summary(events) == [(15, "destroyed", "RU-MOS", None), (6, "destroyed", None, 0)]
    assert events[1].heading_to is not None and events[1].heading_to.code == "RU-MOW"


def test_launch_sites_are_not_places(nlp) -> None:
    events = _events(
        nlp,
        "The enemy attacked with 48 Shahed drones launched from the Kursk region and "
        "Primorsko-Akhtarsk; 40 were shot down over the Sumy region.",
    )
    assert _summary(events)[0] == (48, "launched", None, None)
    assert _summary(events)[1] == (40, "destroyed", "UA-59", 0)


def test_moscow_time_and_kyiv_time(nlp) -> None:
    russian = _events(
        nlp, "The Russian defence ministry said 12 drones were destroyed between 20:00 and 23:00."
    )
    ukrainian = _events(
        nlp, "Ukraine's air force said 12 drones were destroyed between 20:00 and 23:00."
    )
    assert russian[0].period.start.utcoffset().total_seconds() == 3 * 3600  # type: ignore[union-attr]
    assert ukrainian[0].period.start.utcoffset().total_seconds() == 3 * 3600  # type: ignore[union-attr]
    winter = _events(
        nlp,
        "Ukraine's air force said 12 drones were destroyed between 20:00 and 23:00.",
        "2025-01-10T09:00:00+02:00",
    )
    assert winter[0].period.start.utcoffset().total_seconds() == 2 * 3600  # type: ignore[union-attr]


def test_a_city_resolves_to_its_region_and_keeps_its_name(nlp) -> None:
    events = _events(nlp, "Governor Alexander Drozdenko said a drone was shot down near Kirishi.")
    assert len(events) == 1
    place = events[0].place
    assert place is not None and (place.code, place.name, place.kind.value) == (
        "RU-LEN",
        "Kirishi",
        "city",
    )
    assert events[0].claimant is not None and events[0].claimant.name == "Alexander Drozdenko"


def test_a_respectively_list_belongs_to_the_count_that_named_it_with_or_without_a_date(
    nlp,
) -> None:
    text = (
        "Over the past 24 hours, air defence systems shot down 112 fixed-wing drones, the "
        "Russian Ministry of Defence said.\n\nBetween 20:00 and 23:30 Moscow time, more than 30 "
        "UAVs were intercepted over the Belgorod, Kursk and Voronezh regions, with 15, 10 and 5 "
        "respectively."
    )
    for published in (None, "2025-11-04"):
        assert _summary(_events(nlp, text, published)) == [
            (112, "destroyed", None, None),
            (30, "destroyed", None, None),
            (15, "destroyed", "RU-BEL", 1),
            (10, "destroyed", "RU-KRS", 1),
            (5, "destroyed", "RU-VOR", 1),
        ]


def test_the_capital_is_the_capital_of_the_side_reporting(nlp) -> None:
    moscow = _events(nlp, "Sobyanin said two drones flying towards the capital were shot down.")
    kyiv = _events(
        nlp, "Ukraine's air force said 12 drones flying towards the capital were shot down."
    )
    assert [e.heading_to.code for e in moscow if e.heading_to] == ["RU-MOW"]
    assert [e.heading_to.code for e in kyiv if e.heading_to] == ["UA-30"]


def test_the_forces_that_acted_are_not_who_claims(nlp) -> None:
    (event,) = _events(
        nlp,
        "Moscow Mayor Sergei Sobyanin wrote that the Defence Ministry's air defences had "
        "shot down two drones flying towards the city.",
    )
    assert event.claimant is not None and event.claimant.name == "Sergei Sobyanin"


def test_a_run_on_sentence_is_cut_at_a_comma(nlp) -> None:
    """A 400-region comma list or a page with no full stops would make every
    within-sentence search grow with the square of its length; the segmenter
    cuts such a run at a comma after `max_sentence_tokens` tokens."""
    regions = ["Belgorod", "Kursk", "Bryansk", "Voronezh", "Oryol"]
    items = ", ".join(f"{i % 3 + 1} over the {regions[i % 5]} region" for i in range(400))
    doc = nlp("Air defences destroyed 900 drones overnight, " + items + ".")
    limit = nlp.get_pipe("skytally_sentences").max_sentence_tokens
    lengths = [len(sent) for sent in doc.sents]
    assert len(lengths) > 10 and max(lengths) <= 2 * limit
    cut_after = [doc[sent.end - 1].text for sent in list(doc.sents)[:-1]]
    assert set(cut_after) == {","}
    events = doc._.events
    assert events[0].count.value == 900
    # the first piece of the list reads as breakdowns of the total
    assert all(e.part_of == 0 and e.place is not None for e in events[1:10])


@pytest.mark.parametrize("shape", ["comma list", "no punctuation", "dense claims, no punctuation"])
def test_time_per_character_does_not_grow_with_the_input(nlp, shape: str) -> None:
    """Each pathological shape at two sizes, four times apart: the time per
    character may wobble, but a quadratic stage would make it four times worse."""
    import random
    import time

    regions = ["Belgorod", "Kursk", "Bryansk", "Voronezh", "Oryol", "Tula", "Kaluga"]

    def text(size: int) -> str:
        if shape == "comma list":
            items = (f"{i % 40 + 1} over the {regions[i % 7]} region" for i in range(size))
            return "Air defences destroyed 500 drones overnight, " + ", ".join(items) + "."
        if shape == "dense claims, no punctuation":
            unit = "45 drones over Kursk shot down 12 missiles over the Belgorod region destroyed "
            return unit * (size // 8)
        rnd = random.Random(size)
        words = ["drones", "45", "over", "Kursk", "shot", "down", "region", "12", "the"]
        return " ".join(rnd.choice(words) for _ in range(size * 4))

    def per_char(size: int) -> float:
        sample = text(size)
        started = time.perf_counter()
        skytally.extract(sample, published="2025-01-01", nlp=nlp)
        return (time.perf_counter() - started) / len(sample)

    per_char(100)  # warm-up
    small, large = per_char(250), per_char(1000)
    assert large < 2.5 * small, f"{shape}: {large / small:.1f}x the time per character"


def test_struck_with_is_a_launch_and_its_target_a_heading(nlp) -> None:
    (event,) = _events(nlp, "Russia struck Kharkiv with 12 drones overnight.")
    assert (event.outcome.value, event.place, event.heading_to.code) == ("launched", None, "UA-63")


def test_the_city_of_a_region_keeps_its_kind(nlp) -> None:
    total, part = _events(
        nlp,
        "Air defences destroyed 11 UAVs over the Voronezh region overnight. Six of them were "
        "shot down over the city of Voronezh, Governor Alexander Gusev said.",
    )
    assert (total.place.kind.value, part.place.kind.value) == ("region", "city")
    assert part.place.code == "RU-VOR" and part.part_of == 0


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("In the village of Sereda, electronic warfare brought down a drone.", "suppressed"),
        ("Air defences and EW units destroyed 30 drones.", "destroyed"),
        (
            "Air defence and electronic warfare means neutralised 90 Ukrainian UAVs.",
            "destroyed",
        ),
    ],
)
def test_a_drone_electronic_warfare_alone_brought_down_is_suppressed(nlp, text, outcome) -> None:
    (event,) = _events(nlp, text)
    assert event.outcome.value == outcome


def test_components_keep_no_state_of_a_document(nlp) -> None:
    """Per-document state lives on the Doc: after a run, no component holds
    anything that was not there before it."""
    before = {name: dict(vars(component)) for name, component in nlp.pipeline}
    nlp("Overnight, 40 drones were shot down: 25 over the Kursk region and 15 over Bryansk.")
    after = {name: dict(vars(component)) for name, component in nlp.pipeline}
    assert {name: set(a) for name, a in after.items()} == {
        name: set(b) for name, b in before.items()
    }
