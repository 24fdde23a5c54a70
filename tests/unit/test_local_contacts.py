"""action_local_contacts: the state's own contact for a child alone, a complaint or humanitarian help.

The behaviour is pinned on a small made-up directory (so it does not change when the data does); the real
state files are checked in tests/unit/test_state_directory.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from actions import base, local_contacts
from actions.directory import Directory, get_directory, parse_state
from actions.local_contacts import ActionLocalContacts
from tests.conftest import entity, make_tracker, run_action

SOURCED = {"source": "https://dif.example.gob.mx/contacto", "source_date": "2025-03", "verified_on": "2026-12-06",
           "confidence": "high"}
LABEL = {"es": "Procuraduría: denuncias", "en": "Child Protection Office: reports", "fr": "Procuraduría : signalements",
         "ht": "Procuraduría: denonsyasyon"}


def body(name: str, phones: list[str], website: bool = False) -> dict[str, Any]:
    return {
        "name": name,
        "phones": [{"number": n, "label": LABEL, **SOURCED} for n in phones],
        "address": None,
        "hours": None,
        "website": {"url": "https://cedh.example.org", **SOURCED} if website else None,
        "not_found": None if phones else "Searched the state DIF site and local news; no number published.",
    }


def shelter(ident: str, city: str, phones: list[str]) -> dict[str, Any]:
    return {
        "id": ident, "name": f"Casa {ident}", "city": city, "kind": "shelter", "offers": ["shelter", "food"],
        "serves": ["families", "children"], "phones": [{"number": n, "label": LABEL, **SOURCED} for n in phones],
        "address": None, "website": None, **SOURCED,
    }


STATES = {
    "Chiapas": parse_state({
        "state": "Chiapas",
        "child_protection": body("Procuraduría de Protección de Chiapas", ["961 111 1111"]),
        "human_rights_commission": body("CEDH Chiapas", [], website=True),
        "shelters": [shelter("uno", "Palenque", []), shelter("dos", "Tapachula", ["962 222 2222"])],
    }),
    "Sonora": parse_state({
        "state": "Sonora",
        "child_protection": body("Procuraduría de Protección de Sonora", []),
        "human_rights_commission": body("CEDH Sonora", []),
        "shelters": [],
    }),
}


@pytest.fixture(autouse=True)
def made_up_states(monkeypatch: pytest.MonkeyPatch) -> Directory:
    directory = replace(get_directory(), states=STATES)
    monkeypatch.setattr(base, "get_directory", lambda: directory)
    return directory


def run(text: str, intent: str, **slots: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    return run_action(ActionLocalContacts(), make_tracker(text, intent, slots=slots))


def test_a_child_alone_in_tapachula_gets_the_chiapas_line_at_once() -> None:
    messages, slots = run("estoy solo en tapachula tengo 14 años", "child_alone")
    assert [m["response"] for m in messages] == ["utter_local_found"]
    assert "961 111 1111" in messages[0]["local_lines"]
    assert messages[0]["place_name"] == "Tapachula, Chiapas"
    assert messages[0]["sources"] == "dif.example.gob.mx (2025-03)"
    assert slots == {"local_result": "found"}


def test_who_do_i_call_after_a_child_alone_uses_the_remembered_place() -> None:
    messages, _ = run("a quien llamo", "ask_contacts", topic="child_protection", place="Tapachula")
    assert messages[0]["response"] == "utter_local_found" and "961 111 1111" in messages[0]["local_lines"]


def test_no_published_number_says_so_and_never_borrows_another_states() -> None:
    messages, slots = run("mi hijo esta solo en hermosillo", "child_alone")
    assert [m["response"] for m in messages] == ["utter_local_none_child_protection"]
    assert messages[0]["state_name"] == "Sonora"
    assert "local_lines" not in messages[0]
    assert slots == {"local_result": "none"}


def test_a_state_without_a_file_gets_the_honest_answer_too() -> None:
    messages, _ = run("estoy sola en merida", "child_alone")
    assert [m["response"] for m in messages] == ["utter_local_none_child_protection"]
    assert messages[0]["state_name"] == "Yucatán"


def test_no_place_yet_offers_a_local_contact() -> None:
    messages, slots = run("mi sobrino de 14 esta solo", "need_child_protection", topic="child_protection")
    assert [m["response"] for m in messages] == ["utter_local_need_place"]
    assert slots == {"local_result": "need_place"}


def test_a_child_alone_is_asked_nothing_not_even_where() -> None:
    messages, slots = run("estoy solo no tengo a nadie", "child_alone")
    assert messages == [] and slots == {"local_result": None}
    later, _ = run("a quien llamo", "ask_contacts", topic="child_protection")  # asked: the offer comes
    assert [m["response"] for m in later] == ["utter_local_need_place"]


def test_a_complaint_gets_the_state_commission_website_when_it_has_no_phone() -> None:
    messages, slots = run("la policia municipal me robo en tapachula", "need_complaint", topic="human_rights_complaint")
    assert [m["response"] for m in messages] == ["utter_local_site_human_rights_commission"]
    assert "https://cedh.example.org" in messages[0]["local_lines"] and "📞" not in messages[0]["local_lines"]
    assert slots == {"local_result": "site"}


def test_shelters_in_the_persons_city_come_first() -> None:
    messages, _ = run("hay albergue en tapachula", "need_humanitarian_help", topic="humanitarian_aid")
    assert messages[0]["response"] == "utter_local_shelters"
    lines = messages[0]["local_lines"]
    assert lines.index("Casa dos · Tapachula") < lines.index("Casa uno · Palenque")
    assert "962 222 2222" in lines
    assert "albergue, comida · familias, niñas y niños" in lines


def test_shelter_details_are_in_the_conversation_language() -> None:
    messages, _ = run("is there a shelter in tapachula", "need_humanitarian_help", topic="humanitarian_aid",
                      language="en")
    assert "shelter, food · families, children" in messages[0]["local_lines"]


def test_no_shelter_on_file_is_said_plainly() -> None:
    messages, _ = run("albergue en hermosillo", "need_humanitarian_help", topic="humanitarian_aid")
    assert [m["response"] for m in messages] == ["utter_local_none_shelters"]


@pytest.mark.parametrize(
    ("intent", "topic"),
    [("need_asylum", "asylum"), ("need_discrimination", "discrimination"), ("ask_contacts", "immigration_status")],
)
def test_topics_without_a_local_contact_send_nothing(intent: str, topic: str) -> None:
    messages, slots = run("en tapachula", intent, topic=topic)
    assert messages == [] and slots == {"local_result": None}


def test_naming_an_institution_follows_its_topic() -> None:
    """"el telefono de la CNDH" after an asylum answer is about a complaint: the state commission too."""
    tracker = make_tracker("y el telefono de la cndh", "ask_contacts", [entity("institution", "cndh")],
                           slots={"topic": "asylum", "place": "Tapachula"})
    messages, _ = run_action(ActionLocalContacts(), tracker)
    assert messages[0]["response"] == "utter_local_site_human_rights_commission"


def test_every_offer_and_group_label_exists_in_the_four_languages() -> None:
    known = local_contacts.labels()
    for group in ("offers", "serves"):
        for key, texts in known[group].items():
            assert set(texts) == {"es", "en", "fr", "ht"}, (group, key)
