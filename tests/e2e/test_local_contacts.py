"""Someone local to call, on the running server: a number for the person's own state in two turns, in the four
languages; the honest "no published number" where a state has none; shelters by name in a route city."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Conversation


@pytest.mark.parametrize(
    ("first", "then", "number"),
    [
        ("mi hijo de 15 cruzo solo y esta en un albergue en monterrey", "a quien llamo?", "075"),
        ("my daughter is 15 and she is alone in cuernavaca", "who do i call", "800 831 8884"),
        ("mon fils de 15 ans est seul a leon guanajuato", "j'appelle qui ?", "473 151 6903"),
        ("pitit fi m gen 15 an, li poukont li nan cdmx", "kiyes pou m rele?", "55 2793 1424"),
    ],
    ids=["es-nuevo-leon", "en-morelos", "fr-guanajuato", "ht-cdmx"],
)
def test_a_parent_gets_their_states_number_in_two_turns(
    conversation: Conversation, first: str, then: str, number: str
) -> None:
    conversation.say(first)
    reply = conversation.say_text(then)
    assert f"📞 {number}" in reply, reply


def test_a_child_alone_where_no_number_is_published_hears_so_and_gets_911_and_089(
    conversation: Conversation,
) -> None:
    reply = conversation.say_text("tengo 14 años y estoy solo en tapachula")
    assert "No encontré un teléfono publicado de la Procuraduría de Protección de Chiapas" in reply, reply
    assert "911" in reply and "089" in reply
    assert "📞" not in reply.split("Chiapas", 1)[1], reply  # no other state's number after it


def test_a_child_alone_without_a_place_is_offered_a_local_contact_only_when_asking_who_to_call(
    conversation: Conversation,
) -> None:
    first = conversation.say_text("i am 16 and i am alone, i dont have anybody")
    assert "city or state" not in first, first  # the answer to a child alone asks nothing
    call = conversation.say_text("who can i call")
    assert "If you tell me the city or state you are in" in call, call
    place = conversation.say_text("monterrey")
    assert "📞 075" in place, place


def test_a_shelter_question_in_a_route_city_names_real_shelters(conversation: Conversation) -> None:
    reply = conversation.say_text("hay albergue para migrantes en tenosique?")
    assert "La 72" in reply and "934 342 1111" in reply, reply


def test_a_complaint_against_local_police_gives_the_state_commission(conversation: Conversation) -> None:
    reply = conversation.say_text("la policia municipal de ciudad juarez me quito mi dinero, quiero poner una queja")
    assert "656 251 9750" in reply, reply
