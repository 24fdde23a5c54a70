"""NGO-worker mode and the referral card, on the running server."""

from __future__ import annotations

from tests.e2e.conftest import Conversation


def test_a_caseworker_gets_the_formal_route_and_legal_basis(conversation: Conversation, rasa_url: str) -> None:
    conversation.say("trabajo en una OSC que acompaña a familias solicitantes de refugio")
    reply = conversation.say_text("cuanto tiempo tiene una familia para pedir refugio?")
    assert "art. 18" in reply and "📄 Más detalles" not in reply, reply  # button titles are not in the text
    details = conversation.say_text("/ask_more_details")
    assert "Fundamento" in details and "LSRPCAP art. 18" in details, details
    family = Conversation(rasa_url).say_text("cuanto tiempo tengo para pedir refugio?")
    assert "Fundamento" not in family and "art. 18" not in family, family


def test_a_referral_card_in_the_familys_language(conversation: Conversation) -> None:
    conversation.say("soy trabajadora social de un albergue")
    reply = conversation.say_text("dame una ficha de la COMAR en ingles para la familia")
    assert "📋 Mexican Commission for Refugee Assistance (COMAR)" in reply, reply
    assert "What to ask for" in reply and "It is free" in reply and "Sources (with their dates)" in reply
