"""Bad input to the REST webhook: each kind gets a clear 4xx or a polite reply; the server keeps
serving everyone, and no other conversation loses anything."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
import requests

from tests.e2e.conftest import Conversation
from tools.stack import Stack

OK = "reply"  # 200 with at least one bot message
JSON = {"Content-Type": "application/json"}
COUNT = "SELECT count(*) FROM events WHERE sender_id = ?"
NESTED = b'{"sender": "x", "message": "hola", "metadata": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"


def body(message: Any = "hola", sender: Any = "bad-input-user", **extra: Any) -> bytes:
    return json.dumps({"sender": sender, "message": message, **extra}).encode()


# (kind, raw body, headers, expected status or OK)
CASES: list[tuple[str, bytes, dict[str, str], Any]] = [
    ("empty message", body(""), JSON, 400),
    ("whitespace-only message", body("  \n\t  "), JSON, 400),
    ("20,000-character message", body("a" * 20_000), JSON, 413),
    ("1,001-character message", body("b" * 1_001), JSON, 413),
    ("1,000-character message", body(("necesito ayuda " * 80)[:1000]), JSON, OK),
    ("emoji only", body("😀🙏😭"), JSON, OK),
    ("mixed scripts", body("hola привет 你好 مرحبا"), JSON, OK),
    ("right-to-left text", body("مرحبا أحتاج مساعدة"), JSON, OK),
    ("bidi override characters", body("\u202eolleh\u202c hola"), JSON, OK),
    ("control characters around text", body("\x00\x01hola\x07"), JSON, OK),
    ("control characters only", body("\x00\x01\x02"), JSON, 400),
    ("zero-width characters only", body("\u200b\u200b\u200d"), JSON, 400),
    ("combining accents", body("pedi\u0301 asilo"), JSON, OK),
    ("hundreds of line breaks", body("\n" * 500 + "hola"), JSON, OK),
    ("invalid UTF-8", b'{"sender": "x", "message": "\xff\xfe\xfd"}', JSON, 400),
    ("HTML tags", body("<b>hola</b><i>asilo</i>"), JSON, OK),
    ("script tag", body("<script>alert(1)</script>"), JSON, OK),
    ("SQL-looking string", body("'; DROP TABLE events; --"), JSON, OK),
    ("template expression", body("{{7*7}}"), JSON, OK),
    ("format placeholder", body("{name} {0} %s"), JSON, OK),
    ("log4j-looking string", body("${jndi:ldap://example.invalid/a}"), JSON, OK),
    ("path traversal", body("../../../../etc/passwd"), JSON, OK),
    ("invalid JSON", b'{"sender": "x", "message": ', JSON, 400),
    ("JSON array", b"[1, 2, 3]", JSON, 400),
    ("JSON string", b'"hola"', JSON, 400),
    ("wrong content type", body(), {"Content-Type": "text/plain"}, 415),
    ("form encoded", b"sender=x&message=hola", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ("huge JSON body", body("x", padding="p" * 200_000), JSON, 413),
    ("missing sender", json.dumps({"message": "hola"}).encode(), JSON, 400),
    ("empty sender", body(sender=""), JSON, 400),
    ("sender with control characters", body(sender="a\x00b"), JSON, 400),
    ("very long sender", body(sender="s" * 129), JSON, 400),
    ("sender not a string", body(sender=123), JSON, 400),
    ("message not a string", body(42), JSON, 400),
    ("message null", body(None), JSON, 400),
    ("message an object", body({"text": "hola"}), JSON, 400),
    ("metadata not an object", body(metadata="x"), JSON, OK),
    # A lone UTF-16 surrogate cannot be stored by any database: it used to make Rasa exit.
    ("lone surrogate as the sender", b'{"sender": "\\ud800", "message": "hola"}', JSON, 400),
    ("lone surrogate in the message", b'{"sender": "x", "message": "hola \\udfff asilo"}', JSON, OK),
    ("lone surrogate in the metadata", b'{"sender": "x", "message": "hola", "metadata": {"language": "\\ud800"}}',
     JSON, OK),
    ("20,000 levels of nesting", NESTED, JSON, 400),
]


@pytest.mark.parametrize(("kind", "raw", "headers", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_answer(rasa_url: str, kind: str, raw: bytes, headers: dict, expected: Any) -> None:
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", data=raw, headers=headers, timeout=60)
    if expected == OK:
        assert response.status_code == 200, (kind, response.text)
        replies = response.json()
        assert replies and all(r.get("text") or r.get("buttons") for r in replies), (kind, replies)
        text = " ".join(r.get("text") or "" for r in replies)
        assert "49" not in text and "<script>" not in text and "{name}" not in text, (kind, text)
    else:
        assert response.status_code == expected, (kind, response.status_code, response.text)
        answer = response.json()
        assert answer.get("error") or answer.get("message"), kind  # ours, or Sanic's own 413


def test_get_on_the_webhook_is_refused(rasa_url: str) -> None:
    assert requests.get(f"{rasa_url}/webhooks/rest/webhook", timeout=10).status_code == 405


def test_the_server_keeps_serving_and_other_conversations_are_intact(stack: Stack, rasa_url: str) -> None:
    before = Conversation(rasa_url)
    assert "COMAR" in before.say_text("como pido asilo")
    with sqlite3.connect(stack.tracker_db) as connection:
        count = connection.execute(COUNT, (before.conversation_id,)).fetchone()[0]
    for _, raw, headers, _ in CASES:
        requests.post(f"{rasa_url}/webhooks/rest/webhook", data=raw, headers=headers, timeout=60)
    assert "COMAR" in Conversation(rasa_url).say_text("quiero pedir refugio")
    with sqlite3.connect(stack.tracker_db) as connection:
        after = connection.execute(COUNT, (before.conversation_id,)).fetchone()[0]
    assert after == count
    assert before.say_text("y cuanto tiempo tengo para pedirlo?")
