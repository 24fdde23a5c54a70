"""Emergencies: the directory's lines, and the keyword safety net in the NLU pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.emergency import ActionEmergency
from components.emergency_guard import EmergencyGuard
from tests.conftest import make_tracker, run_action

ROOT = Path(__file__).resolve().parents[2]


def test_emergency_lines_come_from_the_directory() -> None:
    _, slots = run_action(ActionEmergency(), make_tracker("nos quieren matar", "emergency", slots={"language": "en"}))
    lines = slots["contact_lines"]
    assert "📞 911 — Emergencies, free, nationwide" in lines
    assert "800 911 2000" in lines and "800 5533 000" in lines
    assert "🌐" not in lines  # phones only: nothing to read while in danger


@pytest.fixture(scope="module")
def guard(tmp_path_factory: pytest.TempPathFactory) -> EmergencyGuard:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("guard")
    config = {**EmergencyGuard.get_default_config(), "keywords_file": str(ROOT / "safety" / "emergency_keywords.yml")}
    EmergencyGuard(config, storage, resource).train(TrainingData())
    return EmergencyGuard.load(config, storage, resource, execution_context=None)


def test_every_listed_phrase_triggers_the_guard(guard: EmergencyGuard) -> None:
    phrases = yaml.safe_load((ROOT / "safety" / "emergency_keywords.yml").read_text(encoding="utf-8"))
    for language, listed in phrases.items():
        for phrase in listed:
            assert guard.is_emergency(f"ayuda {phrase} por favor"), (language, phrase)


@pytest.mark.parametrize(
    "text",
    ["ME ESTÁN GOLPEANDO", "nos tienen secuestrados en una casa", "my son is not breathing", "i want to kill myself"],
)
def test_a_misclassified_emergency_is_corrected(guard: EmergencyGuard, text: str) -> None:
    message = Message.build(text=text)
    message.set("intent", {"name": "need_crime_victim", "confidence": 0.6}, add_to_output=True)
    guard.process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "emergency"


@pytest.mark.parametrize(
    "text",
    ["me robaron el mes pasado, quiero apoyo", "que hace la comar", "como denuncio un secuestro que vi hace un año"],
)
def test_ordinary_questions_are_left_alone(guard: EmergencyGuard, text: str) -> None:
    message = Message.build(text=text)
    message.set("intent", {"name": "need_crime_victim", "confidence": 0.6}, add_to_output=True)
    guard.process([message])
    assert message.get("intent")["name"] == "need_crime_victim"


def test_a_threat_in_the_home_country_is_not_forced_into_an_emergency(guard: EmergencyGuard) -> None:
    """Asylum stories say "me quieren matar" about home; the classifier decides those."""
    assert not guard.is_emergency("en mi pais me quieren matar, como pido asilo")
