"""action_referral_card: a forwardable card in the family's language, from the directory."""

from __future__ import annotations

from actions.referral_card import ActionReferralCard
from tests.conftest import entity, make_tracker, run_action


def test_card_in_the_familys_language_not_the_workers() -> None:
    tracker = make_tracker(
        "una ficha de la comar en ingles para la familia", "ask_referral_card",
        [entity("institution", "comar"), entity("language", "en")], slots={"language": "es"},
    )
    _, slots = run_action(ActionReferralCard(), tracker)
    assert slots["lookup_result"] == "card" and slots["card_language"] == "en"
    assert slots["institution_name"] == "Mexican Commission for Refugee Assistance (COMAR)"
    assert slots["card_ask_for"].startswith("to apply for recognition of refugee status")
    assert "https://www.gob.mx/comar" in slots["contact_lines"]
    assert slots["verified_on"] == "2026-11-29"


def test_card_defaults_to_the_conversation_language_and_the_topic() -> None:
    tracker = make_tracker(
        "dame una ficha para la familia", "ask_referral_card", slots={"topic": "human_rights_complaint"}
    )
    _, slots = run_action(ActionReferralCard(), tracker)
    assert slots["card_language"] == "es" and slots["institution"] == "cndh"
    assert "800 715 2000" in slots["contact_lines"]


def test_no_institution_asks_which() -> None:
    _, slots = run_action(ActionReferralCard(), make_tracker("dame una ficha", "ask_referral_card"))
    assert slots == {"lookup_result": "card_unknown", "card_language": "es"}
