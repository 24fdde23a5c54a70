"""The danger net (components/danger_patterns.py) on its own: categories, slots, "not now" cues."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from components.danger_patterns import DangerNet, load_spec
from tools.measure_danger_net import MAX_FALSE_ALARMS, measure

ROOT = Path(__file__).resolve().parents[2]
DEV = yaml.safe_load((ROOT / "safety" / "emergency_dev.yml").read_text(encoding="utf-8"))
CATEGORIES = {"kidnap", "ransom", "threat_kill", "held", "followed_shot", "armed", "sexual_violence",
              "trafficking", "missing_child", "medical", "help_danger", "self_harm"}


@pytest.fixture(scope="module")
def net() -> DangerNet:
    return DangerNet(load_spec())


def test_every_language_has_every_category_and_enough_dev_cases() -> None:
    spec = load_spec()
    assert set(spec) == {"es", "en", "fr", "ht"} == set(DEV)
    for language, block in spec.items():
        assert set(block["categories"]) == CATEGORIES, language
        assert block["not_now"] and block["present"], language
        urgent, calm = DEV[language]["urgent"], DEV[language]["calm"]
        assert len(urgent) >= 25 and len(calm) >= 15, language
        assert {item["category"] for item in urgent} == CATEGORIES, language


@pytest.mark.parametrize("language", sorted(DEV))
def test_recall_is_total_and_false_alarms_stay_under_ten_percent(net: DangerNet, language: str) -> None:
    score = measure(net, {language: DEV[language]})[language]
    assert score.recall == 1.0, score.missed
    assert score.false_alarm_rate <= MAX_FALSE_ALARMS, score.alarms


def test_the_dev_set_is_not_taken_from_the_frozen_realistic_set() -> None:
    from actions.text import fold

    realistic = "\n".join(fold(p.read_text(encoding="utf-8")) for p in (ROOT / "tests" / "realistic").glob("*.yml"))
    for block in DEV.values():
        for text in [item["text"] for item in block["urgent"]] + block["calm"]:
            assert fold(text) not in realistic, text


@pytest.mark.parametrize(
    "relative",
    ["hijo", "esposo", "marido", "hermano", "prima", "sobrino", "mama", "papa", "compañero", "amigo", "cuñada"],
)
def test_kidnapping_of_any_relative_is_caught(net: DangerNet, relative: str) -> None:
    for text in (f"secuestraron a mi {relative}", f"se llevaron a mi {relative}", f"mi {relative} esta secuestrado",
                 f"levantaron a mi {relative} en la central"):
        found = net.find(text)
        assert found is not None and found.category == "kidnap", text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("NOS ESTÁN SIGUIENDO", "followed_shot"),
        ("nos vienen siguiendo", "followed_shot"),
        ("piden 5 mil dolares o lo matan", "ransom"),
        ("they have my brother and want money or they kill him", "kidnap"),
        ("ils ont kidnappé mon frère", "kidnap"),
        ("yo kidnape frè m", "kidnap"),
        ("help, we are in danger", "help_danger"),
        ("aidez nous, on est en danger", "help_danger"),
        ("mi bebe tiene mucha fiebre y no despierta", "medical"),
        ("i want to end it all", "self_harm"),
        ("kiero morirme", "self_harm"),
        ("m pa vle viv ankò", "self_harm"),
    ],
)
def test_wording_person_and_spelling_do_not_matter(net: DangerNet, text: str, category: str) -> None:
    found = net.find(text)
    assert found is not None and found.category == category, (text, found)


@pytest.mark.parametrize(
    "text",
    [
        "me secuestraron el mes pasado, ya estoy bien, quiero denunciar",
        "hace dos años secuestraron a mi hermano en honduras",
        "en mi pais me quieren matar, como pido asilo",
        "chez nous les gangs voulaient nous tuer",
        "au pays ils ont enlevé mon frère",
        "yo te kidnape frè m lane pase",
        "how do i report a kidnapping",
        "que es el secuestro virtual",
        "my child is in a shelter",
    ],
)
def test_past_or_distant_crimes_and_abstract_questions_do_not_fire(net: DangerNet, text: str) -> None:
    assert net.find(text) is None, text


def test_a_present_cue_wins_over_a_past_one(net: DangerNet) -> None:
    assert net.find("hace un año me amenazaron y ahorita estan afuera, me quieren matar") is not None


def test_a_medical_emergency_now_is_caught_even_after_a_past_cue(net: DangerNet) -> None:
    assert net.find("en mi pais no habia doctores y ahorita mi bebe no respira") is not None


def test_an_unknown_slot_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown slot"):
        DangerNet({"es": {"categories": {"kidnap": {"patterns": ["{NOPE} a mi hijo"]}}}})
