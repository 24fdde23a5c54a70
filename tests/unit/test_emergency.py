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
    config = {**EmergencyGuard.get_default_config(), "patterns_file": str(ROOT / "safety" / "emergency_patterns.yml")}
    EmergencyGuard(config, storage, resource).train(TrainingData())
    return EmergencyGuard.load(config, storage, resource, execution_context=None)


def test_every_urgent_message_of_the_dev_set_triggers_the_guard(guard: EmergencyGuard) -> None:
    dev = yaml.safe_load((ROOT / "safety" / "emergency_dev.yml").read_text(encoding="utf-8"))
    for language, block in dev.items():
        for item in block["urgent"]:
            expected = "self_harm" if item["category"] == "self_harm" else "emergency"
            assert guard.danger_intent(item["text"]) == expected, (language, item)


@pytest.mark.parametrize(
    "text",
    ["ME ESTÁN GOLPEANDO", "nos tienen secuestrados en una casa", "my son is not breathing",
     "secuestraron a mi cuñado"],
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


@pytest.mark.parametrize(
    "text", ["i want to kill myself", "ya no kiero vivir", "je veux en finir", "m pa vle viv ankò"]
)
def test_suicidal_thoughts_become_self_harm_whatever_was_predicted(guard: EmergencyGuard, text: str) -> None:
    for predicted in ("emergency", "ask_asylum_deadline", "nlu_fallback"):
        message = Message.build(text=text)
        message.set("intent", {"name": predicted, "confidence": 0.6}, add_to_output=True)
        guard.process([message])
        assert message.get("intent") == {"name": "self_harm", "confidence": 1.0}, predicted


def test_editing_the_patterns_changes_the_fingerprint(tmp_path: Path) -> None:
    """Rasa's training cache keys EmergencyGuard on `fingerprint_addon`: an edited pattern file retrains it."""
    from rasa.engine.training import fingerprinting

    patterns = tmp_path / "patterns.yml"
    patterns.write_text((ROOT / "safety" / "emergency_patterns.yml").read_text(encoding="utf-8"), encoding="utf-8")
    config = {**EmergencyGuard.get_default_config(), "patterns_file": str(patterns)}

    def key() -> str:
        return fingerprinting.calculate_fingerprint_key(EmergencyGuard, config, {})

    before, addon_before = key(), EmergencyGuard.fingerprint_addon(config)
    assert key() == before  # stable while nothing changes
    patterns.write_text(patterns.read_text(encoding="utf-8") + "\n# one more comment\n", encoding="utf-8")
    assert EmergencyGuard.fingerprint_addon(config) != addon_before
    assert key() != before
