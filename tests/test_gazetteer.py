"""The place gazetteer: coverage of ISO codes, phrasings reports use, and file validation."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pycountry
import pytest

from skytally.errors import DataError
from skytally.gazetteer import Gazetteer, PlaceEntry, normalize

ISO_CODES = sorted(
    sub.code for country in ("RU", "UA") for sub in pycountry.subdivisions.get(country_code=country)
)
EXTRA_CODES = {"RU", "UA", "SEA-BLACK", "SEA-AZOV", "SEA-CASPIAN", "SEA-BALTIC"}
GENERIC = {"the capital", "the region", "the peninsula", "the border", "the city", "region"}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def _raw_entries() -> list[dict[str, object]]:
    path = Path(__file__).parents[1] / "src" / "skytally" / "data" / "places.json"
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------- coverage


def test_there_are_83_russian_and_27_ukrainian_codes() -> None:
    # Guards the reachability test below against a pycountry that lists nothing.
    assert len([c for c in ISO_CODES if c.startswith("RU-")]) == 83
    assert len([c for c in ISO_CODES if c.startswith("UA-")]) == 27


@pytest.mark.parametrize("code", ISO_CODES)
def test_every_subdivision_is_reachable(gaz: Gazetteer, code: str) -> None:
    entry = gaz.by_code(code)
    assert entry is not None and entry.code == code
    assert any(e.code == code for _, e in gaz.aliases())
    assert entry.kind in {"region", "city"}


def test_every_code_exists(gaz: Gazetteer) -> None:
    known = set(ISO_CODES) | EXTRA_CODES
    assert {e.code for e in gaz.entries()} <= known


def test_sizes(gaz: Gazetteer) -> None:
    kinds = Counter(e.kind for e in gaz.entries())
    assert kinds["country"] == 2
    assert kinds["sea"] == 4
    assert kinds["region"] >= 83 + 27 - 4  # federal cities are kind "city"
    assert kinds["city"] >= 150
    assert kinds["district"] >= 40


# ---------------------------------------------------------------------------- phrasings

CASES: list[tuple[str, str | None, str | None]] = [
    # (surface, code, kind); code None means "not a place we know"
    ("Belgorod region", "RU-BEL", "region"),
    ("Belgorod Oblast", "RU-BEL", "region"),
    ("Belgorodskaya oblast", "RU-BEL", "region"),
    ("Belgorodskaya oblast'", "RU-BEL", "region"),
    ("the Belgorod region", "RU-BEL", "region"),
    ("BELGOROD REGION", "RU-BEL", "region"),
    ("Belgorod region's", "RU-BEL", "region"),
    ("Belgorod", "RU-BEL", "region"),
    ("city of Belgorod", "RU-BEL", "region"),
    ("Moscow", "RU-MOW", "city"),
    ("the city of Moscow", "RU-MOW", "city"),
    ("Moscow region", "RU-MOS", "region"),
    ("Moscow Oblast", "RU-MOS", "region"),
    ("the Moscow region", "RU-MOS", "region"),
    ("Podmoskovye", "RU-MOS", "region"),
    ("St. Petersburg", "RU-SPE", "city"),
    ("St Petersburg", "RU-SPE", "city"),
    ("Saint-Petersburg", "RU-SPE", "city"),
    ("Leningrad region", "RU-LEN", "region"),
    ("Kirishi", "RU-LEN", "city"),
    ("Kirishsky district", "RU-LEN", "district"),
    ("the Kirishsky district", "RU-LEN", "district"),
    ("Kirishskiy raion", "RU-LEN", "district"),
    ("Kirishi district", "RU-LEN", "district"),
    ("Kirishi municipal district", "RU-LEN", "district"),
    ("Nizhny Novgorod", "RU-NIZ", "region"),
    ("Nizhniy Novgorod region", "RU-NIZ", "region"),
    ("Nizhegorodskaya Oblast", "RU-NIZ", "region"),
    ("Novgorod", "RU-NGR", "region"),
    ("Veliky Novgorod", "RU-NGR", "city"),
    ("Samara region", "RU-SAM", "region"),
    ("Samarskaya oblast", "RU-SAM", "region"),
    ("Samara Province", "RU-SAM", "region"),
    ("Tolyatti", "RU-SAM", "city"),
    ("Togliatti", "RU-SAM", "city"),
    ("the Republic of Tatarstan", "RU-TA", "region"),
    ("Tatarstan", "RU-TA", "region"),
    ("Yelabuga", "RU-TA", "city"),
    ("Krasnodar Territory", "RU-KDA", "region"),
    ("Krasnodar Krai", "RU-KDA", "region"),
    ("Kuban", "RU-KDA", "region"),
    ("Tuapsinsky district", "RU-KDA", "district"),
    ("Slavyansk-na-Kubani", "RU-KDA", "city"),
    ("Kursk area", "RU-KRS", "region"),
    ("Kurskaya", "RU-KRS", "region"),
    ("Sudzhansky district", "RU-KRS", "district"),
    ("Kamensk Shakhtinsky", "RU-ROS", "city"),
    ("Kamensk-Shakhtinskiy", "RU-ROS", "city"),
    ("Rostov-on-Don", "RU-ROS", "city"),
    ("Rostov", "RU-ROS", "region"),
    ("Bryansk", "RU-BRY", "region"),
    ("Briansk region", "RU-BRY", "region"),
    ("Klintsy", "RU-BRY", "city"),
    ("Oryol", "RU-ORL", "region"),
    ("Orel region", "RU-ORL", "region"),
    ("Orlovskaya oblast", "RU-ORL", "region"),
    ("Bashkiria", "RU-BA", "region"),
    ("Republic of Bashkortostan", "RU-BA", "region"),
    ("Chuvash Republic", "RU-CU", "region"),
    ("Chuvashia", "RU-CU", "region"),
    ("Cheboksary", "RU-CU", "city"),
    ("Udmurtia", "RU-UD", "region"),
    ("Mari El", "RU-ME", "region"),
    ("North Ossetia-Alania", "RU-SE", "region"),
    ("North Ossetia–Alania", "RU-SE", "region"),
    ("Kabardino-Balkaria", "RU-KB", "region"),
    ("Karachay-Cherkessia", "RU-KC", "region"),
    ("Chechnya", "RU-CE", "region"),
    ("Perm Krai", "RU-PER", "region"),
    ("Khanty-Mansi Autonomous Okrug", "RU-KHM", "region"),
    ("Yamalo-Nenets", "RU-YAN", "region"),
    ("Stavropol Territory", "RU-STA", "region"),
    ("Engels", "RU-SAR", "city"),
    ("Odintsovo district", "RU-MOS", "district"),
    ("Odintsovsky", "RU-MOS", "district"),
    ("Kstovsky district", "RU-NIZ", "district"),
    ("Kiev", "UA-30", "city"),
    ("Kyiv", "UA-30", "city"),
    ("Kyiv region", "UA-32", "region"),
    ("Kiev Oblast", "UA-32", "region"),
    ("Kyivska oblast", "UA-32", "region"),
    ("Darnytskyi district", "UA-30", "district"),
    ("Crimea", "UA-43", "region"),
    ("Republic of Crimea", "UA-43", "region"),
    ("the Crimean peninsula", "UA-43", "region"),
    ("Sevastopol", "UA-40", "city"),
    ("Kerch", "UA-43", "city"),
    ("Kharkiv", "UA-63", "region"),
    ("Kharkov region", "UA-63", "region"),
    ("Odessa", "UA-51", "region"),
    ("Odesa Oblast", "UA-51", "region"),
    ("Zaporozhye region", "UA-23", "region"),
    ("Zaporizhia", "UA-23", "region"),
    ("Dnepropetrovsk region", "UA-12", "region"),
    ("Dnipro", "UA-12", "city"),
    ("Nikolaev", "UA-48", "region"),
    ("Chernigov region", "UA-74", "region"),
    ("Lugansk People's Republic", "UA-09", "region"),
    ("Luhansk People’s Republic", "UA-09", "region"),
    ("LPR", "UA-09", "region"),
    ("DNR", "UA-14", "region"),
    ("Donetsk People's Republic", "UA-14", "region"),
    ("Khmelnitsky region", "UA-68", "region"),
    ("Starokostiantyniv", "UA-68", "city"),
    ("Transcarpathia", "UA-21", "region"),
    ("Kropyvnytskyi region", "UA-35", "region"),
    ("Kropyvnytskyi", "UA-35", "city"),
    ("Bilhorod-Dnistrovskyi district", "UA-51", "district"),
    ("Bilhorod-Dnistrovskyi raion", "UA-51", "district"),
    ("Kremenchuk district", "UA-53", "district"),
    ("Kremenchuk", "UA-53", "city"),
    ("Kryvyi Rih", "UA-12", "city"),
    ("Russia", "RU", "country"),
    ("the Russian Federation", "RU", "country"),
    ("Ukraine", "UA", "country"),
    ("Black Sea", "SEA-BLACK", "sea"),
    ("the Black Sea", "SEA-BLACK", "sea"),
    ("Sea of Azov", "SEA-AZOV", "sea"),
    ("Azov Sea", "SEA-AZOV", "sea"),
    ("Caspian Sea", "SEA-CASPIAN", "sea"),
    ("Baltic Sea", "SEA-BALTIC", "sea"),
    ("Sochi area", "RU-KDA", "city"),
    ("Kazan region", "RU-TA", "region"),
    ("Taganrog district", "RU-ROS", "city"),
    ("Samara district", "RU-SAM", "region"),
    ("the Black Sea region", "SEA-BLACK", "sea"),
    ("Yamal autonomous district", "RU-YAN", "region"),
    ("Belarus Oblast", None, None),
    ("Belarus district", None, None),
    ("Narnia", None, None),
    ("the capital", None, None),
    ("the region", None, None),
    ("the peninsula", None, None),
    ("the border", None, None),
    ("Oblast", None, None),
    ("", None, None),
    ("Vladimir", None, None),
]


@pytest.mark.parametrize(("surface", "code", "kind"), CASES)
def test_lookup(gaz: Gazetteer, surface: str, code: str | None, kind: str | None) -> None:
    entry = gaz.lookup(surface)
    if code is None:
        assert entry is None
    else:
        assert entry is not None, surface
        assert (entry.code, entry.kind) == (code, kind)


def test_lookup_keeps_the_place_own_name(gaz: Gazetteer) -> None:
    assert gaz.lookup("the Kirishsky district") == PlaceEntry(
        "RU-LEN", "Kirishsky district", "district"
    )
    assert gaz.lookup("Belgorodskaya oblast") == PlaceEntry("RU-BEL", "Belgorod Oblast", "region")


@pytest.mark.parametrize(
    "surface",
    ["Nizhny Novgorod", "Nizhni Novgorod", "Nizhniy Novgorod", "Nizhny Novgorod Oblast",
     "the Nizhny Novgorod region", "NIZHNY NOVGOROD"],
)  # fmt: skip
def test_nizhny_novgorod_is_never_novgorod(gaz: Gazetteer, surface: str) -> None:
    entry = gaz.lookup(surface)
    assert entry is not None and entry.code == "RU-NIZ"


def test_by_code(gaz: Gazetteer) -> None:
    assert gaz.by_code("RU-LEN") == PlaceEntry("RU-LEN", "Leningrad Oblast", "region")
    assert gaz.by_code("RU-MOW") == PlaceEntry("RU-MOW", "Moscow", "city")
    assert gaz.by_code("UA-30") == PlaceEntry("UA-30", "Kyiv", "city")
    assert gaz.by_code("SEA-BLACK") == PlaceEntry("SEA-BLACK", "Black Sea", "sea")
    assert gaz.by_code("RU") == PlaceEntry("RU", "Russia", "country")
    assert gaz.by_code("XX-YY") is None


def test_default_is_loaded_once() -> None:
    assert Gazetteer.default() is Gazetteer.default()


# ---------------------------------------------------------------------------- the data


def test_aliases_are_unique_across_entries() -> None:
    owner: dict[str, str] = {}
    for entry in _raw_entries():
        for alias in entry["aliases"]:  # type: ignore[union-attr]
            key = normalize(alias)  # type: ignore[arg-type]
            assert owner.setdefault(key, str(entry["name"])) == entry["name"], alias


def test_every_entry_lists_its_name_and_no_generic_alias() -> None:
    for entry in _raw_entries():
        aliases = entry["aliases"]
        assert isinstance(aliases, list)
        assert entry["name"] in aliases
        assert not {a.casefold() for a in aliases} & GENERIC
        assert all(a == a.strip() and not a.casefold().startswith("the ") for a in aliases)


def test_every_alias_form_resolves_to_its_entry(gaz: Gazetteer) -> None:
    forms = gaz.aliases()
    assert len(forms) > 1000
    wrong = [(form, entry) for form, entry in forms if gaz.lookup(form) != entry]
    assert wrong == []


def test_aliases_feed_a_phrase_matcher(gaz: Gazetteer) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import PhraseMatcher
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    forms = gaz.aliases()
    for i, (form, _) in enumerate(forms):
        matcher.add(str(i), [nlp.make_doc(form)])
    doc = nlp(
        "Drones were downed over the Nizhny Novgorod region, the Kirishsky raion, "
        "Kamensk Shakhtinsky and the Luhansk People’s Republic."
    )
    spans = filter_spans(doc[s:e] for _, s, e in matcher(doc))
    found = [(span.text, gaz.lookup(span.text)) for span in spans]
    assert [(text, e.code if e else None) for text, e in found] == [
        ("Nizhny Novgorod region", "RU-NIZ"),
        ("Kirishsky raion", "RU-LEN"),
        ("Kamensk Shakhtinsky", "RU-ROS"),
        ("Luhansk People’s Republic", "UA-09"),
    ]


# ---------------------------------------------------------------------------- from_path


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "places.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD = {"code": "RU-BEL", "name": "Belgorod Oblast", "kind": "region", "aliases": ["Belgorod"]}


def test_from_path_loads_a_small_file(tmp_path: Path) -> None:
    gaz = Gazetteer.from_path(_write(tmp_path, [GOOD]))
    assert gaz.lookup("Belgorod region") == PlaceEntry("RU-BEL", "Belgorod Oblast", "region")
    assert gaz.lookup("Kursk") is None


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"places": []}, "expected a list"),
        ([GOOD, "Kursk"], "entry 1: expected an object"),
        ([GOOD, {"code": "RU-KRS", "name": "Kursk Oblast", "kind": "region"}], "entry 1: missing"),
        ([{**GOOD, "kind": "province"}], "entry 0: kind must be one of"),
        ([{**GOOD, "aliases": []}], "entry 0: aliases must be a non-empty list"),
        ([{**GOOD, "aliases": ["Belgorod", 7]}], "entry 0: aliases must be non-empty strings"),
        ([{**GOOD, "code": 5}], "entry 0: code must be"),
        ([{**GOOD, "name": ""}], "entry 0: name must be"),
        ([{**GOOD, "extra": 1}], "entry 0: unknown field(s): extra"),
        ([{**GOOD, "aliases": ["-"]}], "entry 0 (Belgorod Oblast): alias '-' is empty"),
        (
            [GOOD, {"code": "RU-KRS", "name": "Kursk Oblast", "kind": "region",
                    "aliases": ["Kursk", "BELGOROD"]}],
            "entry 1 (Kursk Oblast): alias 'BELGOROD' is already used by entry 0 (Belgorod Oblast)",
        ),
    ],
)  # fmt: skip
def test_from_path_rejects_malformed_data(tmp_path: Path, data: object, needle: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(ValueError, match=r"places\.json") as info:
        Gazetteer.from_path(path)
    assert isinstance(info.value, DataError)
    assert str(path) in str(info.value)
    assert needle in str(info.value)


def test_from_path_rejects_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "places.json"
    path.write_text('[{"code": "RU-BEL",', encoding="utf-8")
    with pytest.raises(ValueError, match="invalid JSON") as info:
        Gazetteer.from_path(path)
    assert str(path) in str(info.value)


def test_from_path_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "places.json"
    path.write_bytes(b'["\xff"]')
    with pytest.raises(ValueError, match="not valid UTF-8"):
        Gazetteer.from_path(path)


def test_from_path_reports_every_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, [{**GOOD, "kind": "x"}, {**GOOD, "name": ""}])
    with pytest.raises(DataError, match=r"and 1 more") as info:
        Gazetteer.from_path(path)
    assert len(info.value.problems) == 2


# ---------------------------------------------------------------------------- saved with a pipeline


def test_a_custom_gazetteer_is_saved_with_the_pipeline(tmp_path: Path) -> None:
    """One setting names the file for both components that read places; the saved
    pipeline keeps a copy, so it still knows the place once the file is gone."""
    import spacy

    import skytally
    from skytally.errors import InputError

    places = [*_raw_entries(), {"code": "XX-TST", "name": "Testland", "kind": "region",
                                "aliases": ["Testland region", "Testland"]}]  # fmt: skip
    custom = tmp_path / "places.json"
    custom.write_text(json.dumps(places), encoding="utf-8")
    settings = {"gazetteer_path": str(custom)}
    nlp = skytally.build_pipeline({"skytally_entities": settings, "skytally_normalizer": settings})
    text = "Air defences destroyed 7 drones over the Testland region overnight."
    found = [(e.count.value, e.place.code) for e in skytally.extract(text, nlp=nlp)]
    assert found == [(7, "XX-TST")]
    nlp.to_disk(tmp_path / "model")
    custom.unlink()
    reloaded = spacy.load(tmp_path / "model")
    assert [(e.count.value, e.place.code) for e in skytally.extract(text, nlp=reloaded)] == found
    # the same config without the saved copy names the missing file
    broken = skytally.build_pipeline({"skytally_normalizer": settings})
    with pytest.raises(InputError, match=r"\[E054\] skytally_normalizer: its gazetteer_path"):
        broken(text)
