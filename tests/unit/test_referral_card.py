"""action_referral_card: a forwardable card in the family's language, from the directory."""

from __future__ import annotations

import re
from typing import Any

import pytest

from actions.directory import get_directory
from actions.referral_card import ActionReferralCard
from tests.conftest import entity, make_tracker, run_action
from tests.unit.test_fallback import rendered


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


# --- no blank field, for every institution and every state, in every language ---------------------------------

BLANKS = re.compile(r"\{\w+\}|\bNone\b|\(\s*\)|:\s*\.|:\s*$|—\s*$", re.MULTILINE)
LANGUAGES = ["es", "en", "fr", "ht"]


def rendered_card(slots: dict[str, Any]) -> str:
    """The card as Rasa renders it with the slots the action set (the real domain's templates)."""
    message = rendered({"language": "es", **slots}, "utter_referral_card")
    return str(message["text"])


def assert_no_blank(text: str, where: str) -> None:
    blank = BLANKS.search(text)
    assert blank is None, f"{where}: blank field {blank.group(0)!r} in\n{text}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("institution", [i.id for i in get_directory().institutions])
def test_every_institution_card_is_complete(institution: str, language: str) -> None:
    tracker = make_tracker("una ficha", "ask_referral_card", [entity("institution", institution)],
                           slots={"language": language})
    _, slots = run_action(ActionReferralCard(), tracker)
    assert slots["lookup_result"] in ("card", "card_no_contacts")
    if slots["lookup_result"] == "card":
        assert slots["contact_lines"].strip() and slots["sources"].strip() and slots["verified_on"]
    assert_no_blank(rendered_card(slots), f"{institution}/{language}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("state", sorted(get_directory().states))
@pytest.mark.parametrize("institution", ["sndif_pfpnna", "cndh"])
def test_every_state_card_is_complete(institution: str, state: str, language: str) -> None:
    tracker = make_tracker("una ficha para la familia", "ask_referral_card", [entity("institution", institution)],
                           slots={"language": language, "place": state})
    _, slots = run_action(ActionReferralCard(), tracker)
    body = get_directory().states[state].body(
        "child_protection" if institution == "sndif_pfpnna" else "human_rights_commission"
    )
    for phone in body.phones:
        assert phone.number in slots["contact_lines"]
    assert_no_blank(rendered_card(slots), f"{institution}/{state}/{language}")
