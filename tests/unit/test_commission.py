"""action_commission_members: the members, grouped, from the directory."""

from __future__ import annotations

from actions.commission import ActionCommissionMembers
from tests.conftest import make_tracker, run_action


def test_members_grouped_in_spanish() -> None:
    tracker = make_tracker("quienes forman la comision", "ask_commission_members")
    _, slots = run_action(ActionCommissionMembers(), tracker)
    lines = slots["member_lines"]
    assert lines.startswith("Gobierno federal\n• Secretaría de Gobernación")
    assert "Población y Migración) (SEGOB)\n" in lines
    for group in ("Organismos autónomos", "Congreso de la Unión", "Agencias de la ONU", "Sociedad civil"):
        assert group in lines
    assert "• Fondo de las Naciones Unidas para la Infancia (UNICEF)" in lines
    assert "Línea de la Vida" not in lines  # support lines are not members


def test_members_in_english() -> None:
    _, slots = run_action(
        ActionCommissionMembers(), make_tracker("who is in it", "ask_commission_members", slots={"language": "en"})
    )
    assert "UN agencies\n• UN Refugee Agency (UNHCR)" in slots["member_lines"]
