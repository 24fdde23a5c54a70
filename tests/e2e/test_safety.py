"""Safety and privacy on the running stack: emergencies first, a child alone, handoff, data kept."""

from __future__ import annotations

import sqlite3
import time

import pytest
import requests

from tests.e2e.conftest import CaptureServer, Conversation
from tools.stack import API_TOKEN, Stack

EMERGENCIES = [
    ("es", "ayuda nos tienen secuestrados en una casa y nos quieren matar", "911"),
    ("es", "mi hijo no respira que hago", "911"),
    ("en", "help they are beating my wife right now", "911"),
    ("en", "i dont want to live anymore, i want to kill myself", "800 911 2000"),
]


@pytest.mark.parametrize(("language", "message", "number"), EMERGENCIES)
def test_an_emergency_at_the_start_gets_the_emergency_lines_first(
    conversation: Conversation, language: str, message: str, number: str
) -> None:
    messages = conversation.say(message)
    assert "🚨" in messages[0]["text"], messages  # first thing said
    emergency_part = "\n".join(m["text"] for m in messages if "🔒" not in m.get("text", ""))
    assert number in emergency_part, messages


@pytest.mark.parametrize(
    ("message", "violence_advice"),
    [("ya no kiero vivir, todo me sale mal", "lugar seguro"), ("honestly i want to end it all tonight", "safe place")],
)
def test_suicidal_thoughts_get_the_mental_health_line_first_not_the_violence_text(
    conversation: Conversation, message: str, violence_advice: str
) -> None:
    reply = conversation.say_text(message)
    assert "800 911 2000" in reply and "🚨" in reply, reply
    assert reply.index("800 911 2000") < reply.index("🚨")  # the line first, then 911 if life is in danger now
    assert violence_advice not in reply


@pytest.mark.parametrize(
    ("first", "emergency"),
    [
        ("como pido asilo", "nos estan siguiendo unos hombres armados y nos quieren matar"),
        ("what does the cndh do", "they kidnapped my son an hour ago"),
    ],
)
def test_an_emergency_in_the_middle_of_another_topic_comes_first(
    conversation: Conversation, first: str, emergency: str
) -> None:
    conversation.say(first)
    messages = conversation.say(emergency)
    assert "🚨" in messages[0]["text"], messages


@pytest.mark.parametrize(
    ("message", "expected"),
    [("tengo 15 años y estoy solo, mi mama se quedo en honduras", "DIF"), ("i am 14 and alone here", "DIF")],
)
def test_a_child_alone_gets_calm_words_and_no_questions(
    conversation: Conversation, message: str, expected: str
) -> None:
    reply = conversation.say_text(message)
    assert expected in reply
    assert "?" not in reply.split("🔒")[0]  # the answer asks nothing (name, age, papers, location)


def test_handoff_forwards_pauses_and_resumes(
    stack: Stack, conversation: Conversation, handoff_receiver: CaptureServer
) -> None:
    conversation.say("mi numero es 55 1234 5678, necesito asilo")
    reply = conversation.say_text("quiero hablar con una persona de verdad")
    assert "asistente automático" in reply and "persona del equipo" in reply
    forwarded = [r for r in handoff_receiver.received if r["sender_id"] == conversation.conversation_id]
    assert forwarded and "1234 5678" not in str(forwarded[0])
    assert conversation.say("hola?") == []  # paused: a person has the conversation
    resumed = requests.post(
        f"{stack.rasa_url}/conversations/{conversation.conversation_id}/tracker/events",
        params={"token": API_TOKEN}, json={"event": "resume"}, timeout=10,
    )
    assert resumed.status_code == 200
    assert conversation.say("hola")


def test_the_http_api_needs_the_token(stack: Stack, conversation: Conversation) -> None:
    conversation.say("hola")
    url = f"{stack.rasa_url}/conversations/{conversation.conversation_id}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401


def stored(stack: Stack, sender: str) -> str:
    with sqlite3.connect(stack.tracker_db) as connection:
        return "\n".join(row[0] for row in connection.execute("SELECT data FROM events WHERE sender_id = ?", (sender,)))


def test_phone_numbers_and_documents_are_not_stored(stack: Stack, conversation: Conversation) -> None:
    conversation.say(
        "hola, mi whatsapp es +52 962 123 4567 y mi correo es ana.perez@example.org, curp GOAM850101MCSRRR09"
    )
    data = stored(stack, conversation.conversation_id)
    assert data, "the conversation was not stored"
    for secret in ("123 4567", "ana.perez@example.org", "GOAM850101MCSRRR09"):
        assert secret not in data


def test_delete_my_data_erases_the_conversation(stack: Stack, conversation: Conversation) -> None:
    conversation.say("como pido asilo")
    assert stored(stack, conversation.conversation_id)
    assert "¿Quieres que borre" in conversation.say_text("borra mis datos por favor")
    assert stored(stack, conversation.conversation_id)  # asked first, nothing deleted yet
    reply = conversation.say_text("si")
    assert "borré" in reply
    time.sleep(0.5)
    assert stored(stack, conversation.conversation_id) == ""


def test_no_message_text_in_the_logs_at_info(stack: Stack, conversation: Conversation) -> None:
    secret = "zanahoria morada 4417"
    conversation.say(f"hola {secret}")
    for log in stack.workdir.glob("*.log"):
        assert "zanahoria" not in log.read_text(encoding="utf-8", errors="replace"), log.name


def test_every_procedure_answer_says_it_is_free_and_offers_feedback(conversation: Conversation) -> None:
    messages = conversation.say("como pido asilo")
    assert "Nadie puede cobrarte" in messages[0]["text"]
    payloads = [b["payload"] for b in messages[-1].get("buttons", [])]  # under the answer and the notices
    assert "/feedback_good" in payloads and "/feedback_bad" in payloads
    assert conversation.say_text("/feedback_good")
