"""Definitions and rumours: sources and official sites come from the directory, answers fit a phone screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.asylum_facts import ActionCiteFact
from actions.definitions import ActionOfficialSites
from actions.directory import get_directory
from tests.conftest import make_tracker, run_action
from tools.variations import split

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
DEFINITIONS = {  # intent -> the institution its answer names and offers contacts of
    "ask_what_is_asylum": "comar",
    "ask_complementary_protection": "comar",
    "ask_constancia": "comar",
    "ask_tvrh": "inm",
    "ask_curp": "comar",
    "ask_who_is_victim": "ceav",
    "ask_naturalization": "sre",
    "ask_comar_vs_inm": "comar",
    "ask_rumor": "comar",
}
LANGUAGES = ["es", "en", "fr", "ht"]
SLOT_FILLS = re.compile(r"{(fact_source|official_sites|main_contacts)}")


def language_of(variation: dict) -> str:
    return split(variation)[0]


@pytest.mark.parametrize("intent", sorted(DEFINITIONS))
def test_every_definition_has_a_sourced_fact_in_the_directory(intent: str) -> None:
    fact = get_directory().fact_for_intent(intent)
    assert fact is not None and fact.source.startswith("https://") and fact.verified_on, intent
    assert fact.confidence in {"high", "medium"}


@pytest.mark.parametrize("intent", sorted(set(DEFINITIONS) - {"ask_rumor"}))
def test_the_definition_cites_its_source(intent: str) -> None:
    _, slots = run_action(ActionCiteFact(), make_tracker("...", intent))
    assert slots["lookup_result"] == "fact"
    assert slots["fact_source"] == get_directory().fact_for_intent(intent).source  # type: ignore[union-attr]


@pytest.mark.parametrize("intent", sorted(DEFINITIONS))
def test_short_answer_in_four_languages_that_offers_the_institution(intent: str) -> None:
    variations = DOMAIN["responses"][f"utter_{intent}"]
    assert {language_of(v) for v in variations} == set(LANGUAGES)
    for variation in variations:
        text = SLOT_FILLS.sub("", variation["text"])
        assert len(text) <= 600, (intent, language_of(variation), len(text))
        if "buttons" in variation:
            payloads = " ".join(b["payload"] for b in variation["buttons"])
            assert f'"institution":"{DEFINITIONS[intent]}"' in payloads, (intent, language_of(variation))


def test_the_naturalisation_answer_points_to_an_official_sre_link() -> None:
    sre = get_directory().get("sre")
    assert sre is not None
    assert any(link.url.startswith("https://www.dof.gob.mx/") and link.confidence == "high" for link in sre.links)
    assert get_directory().for_topic("naturalization") == [sre]


def test_a_rumour_gets_the_official_sites_from_the_directory_and_the_scam_warning_source() -> None:
    _, slots = run_action(ActionOfficialSites(), make_tracker("dicen que abren la frontera", "ask_rumor"))
    assert slots["lookup_result"] == "official_sites"
    for institution in get_directory().for_topic("rumors"):
        assert institution.website is not None
        assert f"{institution.acronym}: {institution.website.url}" in slots["official_sites"]
    assert "help.unhcr.org" in slots["fact_source"]
    assert slots["verified_on"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rumour_answer_says_it_is_free_and_to_pay_no_intermediary(language: str) -> None:
    found = [
        v for v in DOMAIN["responses"]["utter_ask_rumor"]
        if language_of(v) == language and "{official_sites}" in v["text"]
    ]
    assert len(found) == 1
    text = found[0]["text"]
    assert "COMAR" in text and "{anonymous_report_number}" in text and "{fact_source}" in text


def test_definition_intents_set_the_topic_for_follow_ups() -> None:
    mapped = {m["intent"]: m["value"] for m in DOMAIN["slots"]["topic"]["mappings"] if "intent" in m}
    topics = get_directory().topics
    for intent in DEFINITIONS:
        assert mapped.get(intent) in topics, intent
