"""action_institution_info: what an institution does, and whether it sits on the Commission."""

from __future__ import annotations

from actions.institution_info import ActionInstitutionInfo
from tests.conftest import entity, make_tracker, run_action


def test_a_member_named_by_entity_in_spanish() -> None:
    messages, slots = run_action(
        ActionInstitutionInfo(), make_tracker("que hace la comar", "ask_institution", [entity("institution", "comar")])
    )
    assert messages == []  # utter_institution_info renders the slots
    assert slots["lookup_result"] == "member"
    assert slots["institution"] == "comar"
    assert slots["institution_name"] == "Comisión Mexicana de Ayuda a Refugiados"
    assert "refugiado" in slots["institution_role"]
    assert slots["member_group"] == "Gobierno federal"


def test_english_texts_in_english() -> None:
    _, slots = run_action(
        ActionInstitutionInfo(),
        make_tracker("is unicef part of it", "ask_institution", [entity("institution", "unicef")], {"language": "en"}),
    )
    assert slots["lookup_result"] == "member"
    assert slots["member_group"] == "UN agencies"
    assert "children" in slots["institution_role"]


def test_a_misspelt_name_without_entity_is_still_found() -> None:
    _, slots = run_action(ActionInstitutionInfo(), make_tracker("para q sirve la conaprez", "ask_institution"))
    assert slots["institution"] == "conapred"


def test_a_support_line_is_not_a_member() -> None:
    _, slots = run_action(
        ActionInstitutionInfo(),
        make_tracker("que es la linea de la vida", "ask_institution", [entity("institution", "linea_de_la_vida")]),
    )
    assert slots["lookup_result"] == "not_member"


def test_no_institution_asks_which_one() -> None:
    _, slots = run_action(ActionInstitutionInfo(), make_tracker("que hace esa institucion", "ask_institution"))
    assert slots == {"lookup_result": "unknown"}
