"""Follow-ups keep the thread of the conversation, on the running server (REST channel)."""

from __future__ import annotations

from tests.e2e.conftest import Conversation


def test_asylum_then_how_long_gives_comars_official_term(conversation: Conversation) -> None:
    conversation.say("hola, quiero pedir asilo en mexico")
    reply = conversation.say_text("y eso cuanto se tarda?")
    assert "45 días hábiles" in reply and "gob.mx/comar" in reply, reply
    assert "Es gratis" in reply


def test_a_child_alone_then_who_do_i_call_gives_child_protection_not_the_bot_answer(
    conversation: Conversation,
) -> None:
    conversation.say("im 14 and i came alone, my mom stayed in honduras")
    reply = conversation.say_text("ok who should i call")
    assert "DIF / PFPNNA" in reply, reply
    assert "automated assistant" not in reply


def test_a_complaint_then_a_place_alone_gives_the_cndh_contacts_there(conversation: Conversation) -> None:
    conversation.say("yon ajan migrasyon pran lajan m, m vle fè yon plent")
    reply = conversation.say_text("nou nan Tijuana")
    assert "CNDH" in reply and "800 715 2000" in reply and "Tijuana" in reply, reply


def test_discrimination_then_where_do_i_complain_gives_conapred(conversation: Conversation) -> None:
    conversation.say("on a refusé de me louer une chambre parce que je suis haitien")
    reply = conversation.say_text("et je porte plainte ou?")
    assert "CONAPRED" in reply, reply


def test_asylum_then_for_my_children_then_how_much(conversation: Conversation) -> None:
    conversation.say("quiero pedir asilo, vengo de honduras")
    children = conversation.say_text("y pa mis hijos?")
    assert "Procuraduría de Protección" in children and "COMAR" in children, children
    cost = conversation.say_text("y cuanto me va a costar?")
    assert "gratis" in cost, cost


def test_an_unknown_fact_is_answered_honestly_with_the_official_website(conversation: Conversation) -> None:
    conversation.say("they refused to rent me a room because im haitian")
    reply = conversation.say_text("and how long does it take?")
    assert "no verified information" in reply and "https://www.conapred.org.mx" in reply, reply


def test_voluntary_return_then_who_do_i_call_gives_oim_not_the_bot_answer(conversation: Conversation) -> None:
    conversation.say("i want to go back to my country with my kids")
    reply = conversation.say_text("ok so who do i call")
    assert "OIM" in reply or "IOM" in reply, reply
    assert "automated assistant" not in reply


def test_asylum_then_how_long_then_how_much_keeps_the_thread(conversation: Conversation) -> None:
    conversation.say("m vle mande azil")
    conversation.say("konbyen tan sa pran?")
    reply = conversation.say_text("e konbyen li koute?")
    assert "gratis" in reply, reply
