"""Suicidal thoughts and self-harm: their own calm reply, the mental-health line from the directory first."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from actions.directory import get_directory
from actions.self_harm import MENTAL_HEALTH_TOPIC, ActionSelfHarm
from components.danger_patterns import DangerNet, load_spec
from tests.conftest import make_tracker, run_action

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
LANGUAGES = ["es", "en", "fr", "ht"]
VIOLENCE_ADVICE = ["lugar seguro", "safe place", "endroit sûr", "kote ki an sekirite", "otras personas", "other people"]


def test_the_mental_health_line_comes_from_the_directory_with_its_source() -> None:
    institutions = get_directory().for_topic(MENTAL_HEALTH_TOPIC)
    assert institutions and institutions[0].id == "linea_de_la_vida"
    phone = institutions[0].phones[0]
    assert phone.source.startswith("https://") and phone.verified_on


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_action_fills_the_line_in_the_conversation_language(language: str) -> None:
    messages, slots = run_action(ActionSelfHarm(), make_tracker("ya no quiero vivir", "self_harm",
                                                                slots={"language": language}))
    assert messages == []  # the wording is utter_self_harm, next in the rule
    phone = get_directory().for_topic(MENTAL_HEALTH_TOPIC)[0].phones[0]
    assert slots["lookup_result"] == "self_harm"
    assert slots["line_number"] == phone.number
    assert "Línea de la Vida" in slots["line_name"]
    assert slots["verified_on"] == phone.verified_on


def _variations(result: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for variation in DOMAIN["responses"]["utter_self_harm"]:
        conditions = {c["name"]: c["value"] for c in variation.get("condition", [])}
        if conditions.get("lookup_result", "self_harm") == result:
            found[str(conditions.get("language", "es"))] = variation["text"]
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reply_gives_the_line_first_then_911_and_an_offer_to_keep_talking(language: str) -> None:
    text = _variations("self_harm")[language]
    assert text.index("{line_number}") < text.index("{emergency_number}")
    assert "{line_name}" in text
    assert len(text) < 420  # brief
    for advice in VIOLENCE_ADVICE:
        assert advice not in text, advice


@pytest.mark.parametrize("language", LANGUAGES)
def test_with_the_action_server_down_the_reply_still_gives_people_to_call(language: str) -> None:
    text = _variations("unavailable")[language]
    assert "{main_contacts}" in text and "{emergency_number}" in text


def test_a_rule_answers_self_harm_from_any_point_of_a_conversation() -> None:
    rules = yaml.safe_load((ROOT / "data" / "rules" / "self_harm.yml").read_text(encoding="utf-8"))["rules"]
    steps = rules[0]["steps"]
    assert "conversation_start" not in rules[0]
    assert steps[:3] == [{"intent": "self_harm"}, {"action": "action_self_harm"}, {"action": "utter_self_harm"}]


@pytest.mark.parametrize("language", LANGUAGES)
def test_training_data_in_every_language_is_caught_by_the_net(language: str) -> None:
    data = yaml.safe_load((ROOT / "data" / "nlu" / language / "self_harm.yml").read_text(encoding="utf-8"))
    examples = [line[2:] for line in data["nlu"][0]["examples"].splitlines() if line.startswith("- ")]
    assert data["nlu"][0]["intent"] == "self_harm" and len(examples) >= 20
    net = DangerNet(load_spec())
    caught = [e for e in examples if (found := net.find(e)) is not None and found.intent == "self_harm"]
    assert len(caught) >= 0.8 * len(examples), sorted(set(examples) - set(caught))
