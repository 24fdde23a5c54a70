"""action_find_offices: offices by state or city, misspellings, and what to do where there is none."""

from __future__ import annotations

from actions.offices import ActionFindOffices
from tests.conftest import entity, make_tracker, run_action


def offices(text: str, entities=None, slots=None):
    return run_action(ActionFindOffices(), make_tracker(text, "ask_offices", entities, slots))[1]


def test_comar_in_tapachula_even_misspelt() -> None:
    slots = offices("donde esta la comar en tapachla", [entity("institution", "comar")])
    assert slots["lookup_result"] == "offices_found"
    assert slots["place_name"] == "Tapachula, Chiapas"
    assert slots["office_lines"].startswith("📍 COMAR · Tapachula, Chiapas\nCentro Multiservicios")
    assert "Palenque" in slots["office_lines"]  # other offices in the same state follow


def test_cdmx_alias_lists_every_institution_there() -> None:
    slots = offices("oficinas en cdmx", [entity("place", "cdmx")])
    assert slots["lookup_result"] == "offices_found"
    assert slots["place_name"] == "Ciudad de México"
    for acronym in ("COMAR", "INM", "CNDH", "CONAPRED", "CEAV"):
        assert f"📍 {acronym} ·" in slots["office_lines"]


def test_state_without_an_office_of_the_institution_lists_its_other_offices() -> None:
    slots = offices("hay comar en zacatecas", [entity("institution", "comar"), entity("place", "Zacatecas")])
    assert slots["lookup_result"] == "offices_elsewhere"
    assert slots["place_name"] == "Zacatecas"
    assert "Tapachula" in slots["office_lines"]


def test_state_without_any_office() -> None:
    slots = offices("oficinas en zacatecas", [entity("place", "zacatecas")])
    assert slots["lookup_result"] == "offices_none_here"
    assert "office_lines" not in slots


def test_institution_without_place_lists_all_its_offices() -> None:
    slots = offices("where are the cndh offices", [entity("institution", "cndh")], {"language": "en"})
    assert slots["lookup_result"] == "offices_all"
    assert "Periférico Sur 3469" in slots["office_lines"]


def test_hours_in_the_persons_language() -> None:
    slots = offices("comar office in mexico city", [entity("institution", "comar")], {"language": "en"})
    assert "🕒 Mon-Fri 09:00-18:00" in slots["office_lines"]


def test_institution_with_no_office_listed() -> None:
    slots = offices("oficina de unicef", [entity("institution", "unicef")])
    assert slots["lookup_result"] == "offices_none_listed"


def test_nothing_known_asks_where() -> None:
    assert offices("donde queda la oficina")["lookup_result"] == "offices_need_place"


def test_remembered_place_is_used() -> None:
    slots = offices("y la comar?", [entity("institution", "comar")], {"place": "Monterrey"})
    assert slots["lookup_result"] == "offices_found"
    assert "Monterrey" in slots["office_lines"]
