"""The word lists of `src/skytally/data/*.json` and the components that read them."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest
from spacy.language import Language

import skytally
from skytally import lexicon, numbers, weapons
from skytally.pipeline import assembler, entity_ruler, linker, normalizer
from skytally.schema import Outcome, WeaponCategory
from skytally.wordlists import word_lists

EXPECTED_KEYS = {
    "lexicon": {
        "outcome_phrases", "isolated_outcomes", "known_officials", "title_modifiers", "titles",
        "administration_cities", "russian_hints", "ukrainian_hints", "role_names",
        "regional_titles", "capital_of",
    },
    "weapons": {
        "kind_words", "everyday_kinds", "named_drones", "named_naval_drones", "named_missiles",
        "named_bombs", "named_aircraft", "named_modifiers_only", "generic_heads",
        "generic_head_first", "named_head_first_extra", "not_weapon_nouns", "invariant_plurals",
        "naval_markers", "unmanned_words", "category_patterns",
    },
    "linking_words": {
        "locative", "launch_site", "heading", "place_filler", "bound_words", "reporting_verbs",
        "night_words", "reporting_nouns", "auxiliary", "subset_cues", "each_words",
        "owned_agents", "hit_verbs", "history_words", "force_words", "running_total_cues",
        "another_words", "negations", "months", "generic_places", "adverbs",
        "place_clause_breaks", "list_joiners", "passive_auxiliary", "clause_markers",
        "part_words", "coordinators", "new_mention_words",
    },
    "entity_words": {
        "designators", "designator_modifiers", "not_a_place_after", "function_words",
        "not_a_region_stem", "follow_words", "another_words", "determiner_breaks",
        "casualty_words", "bridge_stop", "site_words", "debris_words",
    },
    "number_words": {"id_words", "designators"},
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED_KEYS))
def test_data_file_loads_with_doc_and_nonempty_lists(name: str) -> None:
    raw = json.loads((files("skytally") / "data" / f"{name}.json").read_text("utf-8"))
    assert isinstance(raw["_doc"], str) and raw["_doc"].strip()
    lists = word_lists(name)
    assert set(lists) == EXPECTED_KEYS[name]
    for key, value in lists.items():
        assert isinstance(value, list | dict) and value, key
        entries = value if isinstance(value, list) else list(value.values())
        assert all(entry for entry in entries), key
        if isinstance(value, list) and all(isinstance(entry, str) for entry in value):
            assert len(set(value)) == len(value), f"{name}.{key} repeats an entry"


def test_word_lists_are_read_once() -> None:
    assert word_lists("linking_words") is word_lists("linking_words")


def test_components_use_the_loaded_lists() -> None:
    words = word_lists("linking_words")
    assert frozenset(words["reporting_verbs"]) == linker.REPORTING_VERBS
    assert tuple(tuple(cue) for cue in words["subset_cues"]) == linker.SUBSET_CUES
    assert words["generic_places"] == linker.GENERIC_PLACES
    assert frozenset(words["new_mention_words"]) == assembler.NEW_MENTION_WORDS
    assert frozenset(word_lists("entity_words")["casualty_words"]) == entity_ruler.CASUALTY_WORDS
    assert frozenset(word_lists("number_words")["id_words"]) == numbers._ID_WORDS
    lexicon_lists = word_lists("lexicon")
    assert tuple(lexicon_lists["known_officials"]) == lexicon.KNOWN_OFFICIALS
    assert frozenset(lexicon_lists["regional_titles"]) == normalizer.REGIONAL_TITLES
    assert lexicon_lists["capital_of"] == normalizer.CAPITAL_OF
    assert word_lists("weapons")["kind_words"] == weapons._KIND_WORDS


def test_outcome_phrases_keep_their_order_in_the_pattern() -> None:
    phrases = word_lists("lexicon")["outcome_phrases"]
    assert set(phrases) <= {outcome.value for outcome in Outcome}
    groups = list(lexicon.OUTCOME_PATTERN.groupindex)
    expected = [f"{o}_{i}" for o, alternatives in phrases.items() for i in range(len(alternatives))]
    assert groups == expected


def test_phrases_from_the_lists_are_recognised() -> None:
    assert "shot\\s+down" in word_lists("lexicon")["outcome_phrases"]["destroyed"]
    assert lexicon.outcome_of_phrase("shot down") is Outcome.DESTROYED
    for official in word_lists("lexicon")["known_officials"]:
        assert lexicon.CLAIMANT_PATTERN.fullmatch(official), official
    for city in word_lists("lexicon")["administration_cities"]:
        mention = f"the {city} City Military Administration"
        assert lexicon.CLAIMANT_PATTERN.fullmatch(mention), mention
    assert "kamikaze" in word_lists("weapons")["kind_words"]
    assert [(m.start, m.end) for m in weapons.find_weapons("five kamikaze drones")] == [(5, 20)]
    assert weapons.categorize("Lancet") is WeaponCategory.DRONE


@pytest.fixture(scope="module")
def rules() -> Language:
    return skytally.load("rules")


def test_the_pipeline_reads_the_lists(rules: Language) -> None:
    official = word_lists("lexicon")["known_officials"][1]  # Gladkov
    weapon_kind = "kamikaze"
    text = (
        f"Air defence shot down five {weapon_kind} drones over the Belgorod region overnight, "
        f"{official} said."
    )
    (event,) = skytally.extract(text, "2025-03-10", nlp=rules)
    assert event.outcome is Outcome.DESTROYED
    assert event.weapon is not None and event.weapon.text == f"{weapon_kind} drones"
    assert event.claimant is not None and event.claimant.text == official
