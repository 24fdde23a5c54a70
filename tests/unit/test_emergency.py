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


def test_the_override_is_in_the_parse_output_and_the_ranking_names_each_intent_once(guard: EmergencyGuard) -> None:
    message = Message.build(text="secuestraron a mi cuñado")
    message.set("intent", {"name": "need_crime_victim", "confidence": 0.6}, add_to_output=True)
    message.set("intent_ranking", [{"name": "need_crime_victim", "confidence": 0.6},
                                   {"name": "emergency", "confidence": 0.3}], add_to_output=True)
    guard.process([message])
    output = message.as_dict(only_output_properties=True)
    assert output["intent"] == {"name": "emergency", "confidence": 1.0}
    assert output["intent_ranking"] == [{"name": "emergency", "confidence": 1.0},
                                        {"name": "need_crime_victim", "confidence": 0.6}]
    assert output["emergency_keyword"] is True


def test_an_emergency_the_classifier_already_found_is_left_as_it_is(guard: EmergencyGuard) -> None:
    message = Message.build(text="secuestraron a mi cuñado")
    message.set("intent", {"name": "emergency", "confidence": 0.9}, add_to_output=True)
    guard.process([message])
    assert message.get("intent") == {"name": "emergency", "confidence": 0.9}
    assert message.get("emergency_keyword") is None


def test_in_a_batch_every_message_is_checked_after_a_calm_one_or_one_already_right(guard: EmergencyGuard) -> None:
    """Rasa passes several messages at once (training data, `rasa test`): a message the guard leaves alone must not
    stop it from correcting the ones after it."""
    calm = Message.build(text="hola")
    found = Message.build(text="nos quieren matar ahorita")
    found.set("intent", {"name": "emergency", "confidence": 0.9}, add_to_output=True)
    missed = Message.build(text="secuestraron a mi cuñado")
    missed.set("intent", {"name": "need_crime_victim", "confidence": 0.6}, add_to_output=True)
    guard.process([calm, found, missed])
    assert calm.get("intent") is None
    assert found.get("intent") == {"name": "emergency", "confidence": 0.9}
    assert missed.get("intent") == {"name": "emergency", "confidence": 1.0}


def test_a_message_without_text_or_danger_is_left_as_it_is(guard: EmergencyGuard) -> None:
    empty, calm = Message(data={"intent": {"name": "greet"}}), Message.build(text="hola")
    guard.process([empty, calm])
    assert empty.get("intent") == {"name": "greet"} and calm.get("intent") is None
    assert guard.danger_intent("hola") is None and guard.is_emergency("nos quieren matar ahorita")


def test_the_intents_it_sets_can_be_renamed_in_the_config(tmp_path: Path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("guard")
    config = {"patterns_file": str(ROOT / "safety" / "emergency_patterns.yml"), "intent": "sos",
              "self_harm_intent": "despair"}
    renamed = EmergencyGuard(config, storage, resource)
    renamed.train(TrainingData())
    assert renamed.danger_intent("nos quieren matar ahorita") == "sos"
    assert renamed.danger_intent("i want to kill myself") == "despair"


def test_training_replaces_a_net_built_before(tmp_path: Path) -> None:
    config = {"patterns_file": str(ROOT / "safety" / "emergency_patterns.yml")}
    guard = EmergencyGuard(config, LocalModelStorage(tmp_path), Resource("guard"))
    assert not guard.is_emergency("nos quieren matar ahorita")  # nothing trained yet: no pattern
    guard.train(TrainingData())
    assert guard.is_emergency("nos quieren matar ahorita")


def test_a_model_without_patterns_loads_with_the_net_off_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="components.emergency_guard"):
        guard = EmergencyGuard.load({}, LocalModelStorage(tmp_path), Resource("never-trained"), execution_context=None)
    assert caplog.messages == ["No danger patterns in the model: the emergency safety net is off."]
    assert guard.danger_intent("nos quieren matar ahorita") is None


def test_the_fingerprint_is_the_default_patterns_files_and_none_without_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components.danger_patterns import file_fingerprint

    monkeypatch.chdir(ROOT)
    assert EmergencyGuard.fingerprint_addon({}) == file_fingerprint(ROOT / "safety" / "emergency_patterns.yml")
    assert EmergencyGuard.fingerprint_addon({"patterns_file": str(tmp_path / "missing.yml")}) is None


def test_the_pipeline_finds_the_guard_by_its_config_name_and_trains_it() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry("components.emergency_guard.EmergencyGuard")
    assert registered.clazz is EmergencyGuard
    assert registered.types == {DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER}
    assert registered.is_trainable is True
    data = TrainingData()
    created = EmergencyGuard.create({}, LocalModelStorage(ROOT), Resource("x"), execution_context=None)
    assert created.process_training_data(data) is data


def test_models_trained_before_keep_their_patterns_the_file_name_in_the_model_is_fixed(tmp_path: Path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("guard")
    EmergencyGuard({"patterns_file": str(ROOT / "safety" / "emergency_patterns.yml")}, storage, resource).train(
        TrainingData())
    with storage.read_from(resource) as directory:
        assert [p.name for p in directory.iterdir()] == ["danger_patterns.json"]
