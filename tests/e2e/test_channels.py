"""WhatsApp (Twilio), Telegram and Messenger against the running server: real-shaped, signed webhooks;
replies captured at a local server standing in for each platform's API."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
import uuid
from collections.abc import Callable
from itertools import count
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from multidict import MultiDict
from twilio.request_validator import RequestValidator

from tests.e2e.conftest import CHANNEL_ENV, CaptureServer
from tools.stack import Stack

PHONE = "whatsapp:+5215512345678"
NON_ASCII = "é".encode()  # a header value Sanic cannot decode as ASCII (it becomes "\udcc3\udca9")
UPDATE_IDS = count(1000)  # every Telegram update of these tests has its own update_id (a repeated one is a replay)


def wait_for(platform: CaptureServer, path_part: str, count: int, timeout_s: float = 20) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [c for c in platform.calls if path_part in c["path"]]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return [c for c in platform.calls if path_part in c["path"]]


# ---- WhatsApp through Twilio -------------------------------------------------------------------

def twilio_form(body: str, sender: str = PHONE, sid: str | None = None, **extra: str) -> list[tuple[str, str]]:
    form = {"From": sender, "To": CHANNEL_ENV["TWILIO_WHATSAPP_NUMBER"], "Body": body, "NumMedia": "0",
            "MessageSid": sid or f"SM{uuid.uuid4().hex}", "AccountSid": CHANNEL_ENV["TWILIO_ACCOUNT_SID"], **extra}
    return list(form.items())


def twilio_send(stack: Stack, pairs: list[tuple[str, str]], signature: str | bytes | None = None) -> requests.Response:
    """POST the form as Twilio does: signed with Twilio's own algorithm over every parameter."""
    url = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    if signature is None:
        signature = RequestValidator(CHANNEL_ENV["TWILIO_AUTH_TOKEN"]).compute_signature(url, MultiDict(pairs))
    headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
    return requests.post(url, data=urlencode(pairs).encode(), headers=headers, timeout=60)


def twilio_post(stack: Stack, body: str, sign: bool = True, sender: str = PHONE) -> requests.Response:
    pairs = twilio_form(body, sender)
    if sign:
        return twilio_send(stack, pairs)
    return requests.post(f"{stack.rasa_url}/webhooks/whatsapp/webhook", data=pairs, timeout=60)


def whatsapp_bodies(platform: CaptureServer, since: int) -> list[str]:
    calls = [c for c in platform.calls if "/Messages.json" in c["path"]][since:]
    return [c["body"]["Body"][0] for c in calls]


def test_whatsapp_signed_message_is_answered_with_numbered_options(stack: Stack, platform: CaptureServer) -> None:
    before = len(wait_for(platform, "/Messages.json", 0, 0))
    response = twilio_post(stack, "ayuda")
    assert response.status_code == 200
    bodies = whatsapp_bodies(platform, before)
    assert bodies and any("\n1. " in b and "\n2. " in b for b in bodies), bodies
    calls = [c for c in platform.calls if "/Messages.json" in c["path"]]
    assert calls[-1]["body"]["To"] == [PHONE]
    assert calls[-1]["path"] == f"/2010-04-01/Accounts/{CHANNEL_ENV['TWILIO_ACCOUNT_SID']}/Messages.json"
    # "1" picks the first option of the menu (asking for asylum)
    before = len(whatsapp_bodies(platform, 0))
    assert twilio_post(stack, "1").status_code == 200
    assert any("COMAR" in b for b in whatsapp_bodies(platform, before))


def test_whatsapp_long_answers_are_split_under_the_limit(stack: Stack, platform: CaptureServer) -> None:
    limit = int(CHANNEL_ENV["TWILIO_MAX_CHARS"])
    before = len(whatsapp_bodies(platform, 0))
    twilio_post(stack, "que instituciones forman parte de la comision", sender="whatsapp:+5215500000001")
    bodies = whatsapp_bodies(platform, before)
    members = [b for b in bodies if "Gobierno federal" in b or "Agencias de la ONU" in b or "Sociedad civil" in b]
    assert len(members) >= 2, bodies  # the members' answer (about 1,600 characters) came in pieces
    assert all(len(b) <= limit for b in bodies)
    joined = "\n".join(bodies)
    for name in ("Gobierno federal", "UNICEF", "Sociedad civil", "No atiende casos individuales"):
        assert name in joined


@pytest.mark.parametrize("sign", ["none", "wrong"])
def test_whatsapp_unsigned_or_wrongly_signed_gets_403_and_no_reply(
    stack: Stack, platform: CaptureServer, sign: str
) -> None:
    before = len(platform.calls)
    url = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    headers = {"X-Twilio-Signature": "d3Jvbmc="} if sign == "wrong" else {}
    response = requests.post(url, data={"From": PHONE, "Body": "hola"}, headers=headers, timeout=30)
    assert response.status_code == 403
    time.sleep(0.5)
    assert len(platform.calls) == before


def test_no_phone_number_is_stored_as_a_conversation_id(stack: Stack) -> None:
    twilio_post(stack, "hola")
    with sqlite3.connect(stack.tracker_db) as connection:
        senders = [row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")]
    assert senders and not any("5512345678" in s for s in senders)
    assert any(s.startswith("whatsapp-") for s in senders)


# ---- Telegram ------------------------------------------------------------------------------------

def telegram_update(text: str, chat_id: int = 424242, update_id: int | None = None) -> dict[str, Any]:
    update_id = next(UPDATE_IDS) if update_id is None else update_id
    return {"update_id": update_id, "message": {"message_id": 1, "date": 0, "text": text,
                                         "chat": {"id": chat_id, "type": "private"},
                                         "from": {"id": chat_id, "is_bot": False, "first_name": "A"}}}


def test_telegram_verified_update_is_answered_with_buttons(stack: Stack, platform: CaptureServer) -> None:
    before = len(wait_for(platform, "/sendMessage", 0, 0))
    response = requests.post(
        f"{stack.rasa_url}/webhooks/telegram/webhook", json=telegram_update("como pido asilo"),
        headers={"X-Telegram-Bot-Api-Secret-Token": CHANNEL_ENV["TELEGRAM_SECRET_TOKEN"]}, timeout=60,
    )
    assert response.status_code == 200
    calls = wait_for(platform, "/sendMessage", before + 1)[before:]
    assert calls[0]["path"] == f"/bot{CHANNEL_ENV['TELEGRAM_BOT_TOKEN']}/sendMessage"
    assert calls[0]["body"]["chat_id"] == "424242"
    assert "COMAR" in calls[0]["body"]["text"]
    # the buttons come in the last message of the turn, under the answer and the notices
    deadline = time.monotonic() + 20
    while not (with_keyboard := [c for c in wait_for(platform, "/sendMessage", 0)[before:]
                                 if "reply_markup" in c["body"]]) and time.monotonic() < deadline:
        time.sleep(0.2)
    keyboard = with_keyboard[0]["body"]["reply_markup"]["inline_keyboard"]
    assert any(row[0]["callback_data"] == '/ask_contacts{"institution":"comar"}' for row in keyboard)


def test_telegram_without_the_secret_header_gets_403(stack: Stack, platform: CaptureServer) -> None:
    before = len(platform.calls)
    response = requests.post(
        f"{stack.rasa_url}/webhooks/telegram/webhook", json=telegram_update("hola"),
        headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}, timeout=30,
    )
    assert response.status_code == 403
    assert requests.post(f"{stack.rasa_url}/webhooks/telegram/webhook", json=telegram_update("hola"),
                         timeout=30).status_code == 403
    time.sleep(0.5)
    assert len(platform.calls) == before


# ---- Messenger -----------------------------------------------------------------------------------

def messenger_event(text: str, psid: str = "6543210", mid: str | None = None) -> bytes:
    message = {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text}
    return json.dumps({"object": "page", "entry": [{"id": "1", "time": 0, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": 0, "message": message}
    ]}]}).encode()


def hub_signature(body: bytes, secret: str = CHANNEL_ENV["MESSENGER_APP_SECRET"]) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_messenger_signed_event_is_answered_with_quick_replies(stack: Stack, platform: CaptureServer) -> None:
    before = len(wait_for(platform, "/me/messages", 0, 0))
    body = messenger_event("how do i apply for asylum")
    response = requests.post(f"{stack.rasa_url}/webhooks/messenger/webhook", data=body, timeout=60,
                             headers={"Content-Type": "application/json", "X-Hub-Signature-256": hub_signature(body)})
    assert response.status_code == 200
    calls = wait_for(platform, "/me/messages", before + 1)[before:]
    first = calls[0]["body"]
    assert first["recipient"] == {"id": "6543210"} and "COMAR" in first["message"]["text"]
    assert all(len(q["title"]) <= 20 for q in first["message"].get("quick_replies", []))


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "sha1=abc"])
def test_messenger_unsigned_or_wrongly_signed_gets_403(stack: Stack, platform: CaptureServer, signature: str) -> None:
    before = len(platform.calls)
    body = messenger_event("hola")
    headers = {"Content-Type": "application/json", **({"X-Hub-Signature-256": signature} if signature else {})}
    assert requests.post(f"{stack.rasa_url}/webhooks/messenger/webhook", data=body, headers=headers,
                         timeout=30).status_code == 403
    time.sleep(0.5)
    assert len(platform.calls) == before


def test_messenger_subscription_check(stack: Stack) -> None:
    url = f"{stack.rasa_url}/webhooks/messenger/webhook"
    ok = {"hub.mode": "subscribe", "hub.verify_token": CHANNEL_ENV["MESSENGER_VERIFY_TOKEN"], "hub.challenge": "42"}
    assert requests.get(url, params=ok, timeout=10).text == "42"
    assert requests.get(url, params={**ok, "hub.verify_token": "wrong"}, timeout=10).status_code == 403


def test_nothing_called_a_platform_at_start_up(platform: CaptureServer) -> None:
    assert not any("setWebhook" in c["path"] or "getMe" in c["path"] for c in platform.calls)


# ---- Hostile and unusual requests (the security review's findings) ---------------------------------

def telegram_post(stack: Stack, body: bytes | dict[str, Any],
                  secret: str | bytes = CHANNEL_ENV["TELEGRAM_SECRET_TOKEN"]) -> requests.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(f"{stack.rasa_url}/webhooks/telegram/webhook", data=raw, timeout=60,
                         headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret})


def messenger_post(stack: Stack, body: bytes, signature: str | bytes | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature or hub_signature(body)}
    return requests.post(f"{stack.rasa_url}/webhooks/messenger/webhook", data=body, headers=headers, timeout=60)


def replies_to(platform: CaptureServer, address: str) -> list[dict[str, Any]]:
    """The calls to a platform's API that answer `address` (a WhatsApp address, chat id or PSID)."""
    found = []
    for call in platform.calls:
        body = call["body"]
        if isinstance(body, dict) and address in (body.get("chat_id"), (body.get("To") or [None])[0],
                                                   (body.get("recipient") or {}).get("id")):
            found.append(call)
    return found


def still_serving(stack: Stack, platform: CaptureServer, chat_id: int) -> None:
    """A normal message is still answered (the server did not stop)."""
    assert telegram_post(stack, telegram_update("como pido asilo", chat_id=chat_id)).status_code == 200
    assert any("COMAR" in c["body"]["text"] for c in replies_to(platform, str(chat_id)))


def rasa_log(stack: Stack) -> str:
    return (stack.workdir / "rasa.log").read_text(encoding="utf-8", errors="replace")


def test_whatsapp_media_only_message_is_acknowledged_and_not_answered(stack: Stack, platform: CaptureServer) -> None:
    sender = "whatsapp:+5215500000002"
    pairs = twilio_form("", sender, NumMedia="1", MediaContentType0="image/jpeg",
                        MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/{CHANNEL_ENV['TWILIO_ACCOUNT_SID']}/Media/1")
    response = twilio_send(stack, pairs)
    assert response.status_code == 200 and response.text == "<Response/>"
    time.sleep(1)
    assert replies_to(platform, sender) == []


def test_whatsapp_repeated_keys_are_verified_with_twilios_algorithm(stack: Stack, platform: CaptureServer) -> None:
    sender = "whatsapp:+5215500000003"
    pairs = [*twilio_form("como pido asilo", sender, NumMedia="2"),
             ("MediaUrl0", "https://example.org/zeta"), ("MediaUrl0", "https://example.org/alpha")]
    assert twilio_send(stack, pairs).status_code == 200
    assert any("COMAR" in c["body"]["Body"][0] for c in replies_to(platform, sender))


@pytest.mark.parametrize("channel", ["whatsapp", "telegram", "messenger"])
def test_non_ascii_signature_or_secret_gets_403(stack: Stack, platform: CaptureServer, channel: str) -> None:
    before = len(platform.calls)
    if channel == "whatsapp":
        response = twilio_send(stack, twilio_form("hola"), NON_ASCII * 14)
    elif channel == "telegram":
        secret = CHANNEL_ENV["TELEGRAM_SECRET_TOKEN"].encode() + NON_ASCII
        response = telegram_post(stack, telegram_update("hola"), secret)
    else:
        response = messenger_post(stack, messenger_event("hola"), b"sha256=" + NON_ASCII * 32)
    assert response.status_code == 403
    time.sleep(0.5)
    assert len(platform.calls) == before
    assert requests.get(f"{stack.rasa_url}/webhooks/{channel}/", timeout=10).status_code == 200


def test_messenger_subscription_with_non_ascii_token_gets_403_and_no_token_is_logged(stack: Stack) -> None:
    url = f"{stack.rasa_url}/webhooks/messenger/webhook"
    token = CHANNEL_ENV["MESSENGER_VERIFY_TOKEN"]
    for given in (f"{token}-é", "é", "%ED%A0%80", "%FF"):
        query = f"hub.mode=subscribe&hub.challenge=42&hub.verify_token={given}"
        response = requests.get(f"{url}?{query}", timeout=10)
        assert response.status_code == 403, given
    assert requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "7"},
                        timeout=10).text == "7"
    log = rasa_log(stack)
    assert token not in log and "hub.verify_token" not in log
    assert "Exception occurred while handling uri" not in log


@pytest.mark.parametrize("channel", ["telegram", "messenger"])
def test_lone_surrogate_in_text_is_cleaned_or_refused_and_the_server_keeps_answering(
    stack: Stack, platform: CaptureServer, channel: str
) -> None:
    for text in ("\ud800", "como pido asilo \udfff"):  # JSON "\ud800": valid JSON, text no store can encode
        if channel == "telegram":
            body = json.dumps(telegram_update(text, chat_id=515151)).encode()
            response = telegram_post(stack, body)
        else:
            body = messenger_event(text, psid="515152")
            response = messenger_post(stack, body)
        assert b"\\ud800" in body or b"\\udfff" in body
        assert response.status_code in (200, 400), response.text
    still_serving(stack, platform, 515153)
    with sqlite3.connect(stack.tracker_db) as connection:
        connection.text_factory = bytes
        stored = b"".join(row[0] for row in connection.execute("SELECT data FROM events") if row[0])
    assert b"\\ud800" not in stored and b"\\udfff" not in stored and b"\xed\xa0\x80" not in stored


DEEP = b"[" * 1_000 + b"]" * 1_000  # within ujson's depth limit (Sanic's request.json parses it), too deep for repr()


def nested_bodies(channel: str) -> list[bytes]:
    """20,000 levels of "[", a body that is not an object, and a text that is a 1,000-level list."""
    if channel == "telegram":
        deep_text = b'{"update_id": %d, "message": {"chat": {"id": 616162}, "text": %s}}' % (next(UPDATE_IDS), DEEP)
    else:
        deep_text = (b'{"object": "page", "entry": [{"id": "1", "messaging": [{"sender": {"id": "616163"}, '
                     b'"message": {"mid": "m_deep", "text": %s}}]}]}' % DEEP)
    return [b"[" * 20_000, b"[1]", deep_text]


@pytest.mark.parametrize("channel", ["telegram", "messenger"])
def test_deeply_nested_json_gets_400(stack: Stack, platform: CaptureServer, channel: str) -> None:
    for body in nested_bodies(channel):
        response = telegram_post(stack, body) if channel == "telegram" else messenger_post(stack, body)
        assert response.status_code == 400, body[:60]
    still_serving(stack, platform, 616161)


def answered_once(platform: CaptureServer, recipient: str, send: Callable[[], requests.Response]) -> requests.Response:
    """Send the same webhook call twice: the first is answered, the replay is acknowledged (200) and not
    answered again. Returns the replay's response."""
    assert send().status_code == 200
    answered = len(replies_to(platform, recipient))
    assert answered >= 1
    replay = send()
    assert replay.status_code == 200
    time.sleep(1)
    assert len(replies_to(platform, recipient)) == answered
    return replay


def test_replayed_telegram_update_is_answered_once(stack: Stack, platform: CaptureServer) -> None:
    update = telegram_update("como pido asilo", chat_id=717171)
    answered_once(platform, "717171", lambda: telegram_post(stack, update))


def test_replayed_twilio_message_sid_is_answered_once(stack: Stack, platform: CaptureServer) -> None:
    sender = "whatsapp:+5215500000005"
    pairs = twilio_form("como pido asilo", sender)
    assert answered_once(platform, sender, lambda: twilio_send(stack, pairs)).text == "<Response/>"


def test_replayed_messenger_mid_is_answered_once(stack: Stack, platform: CaptureServer) -> None:
    body = messenger_event("how do i apply for asylum", psid="818181", mid="m_replayed")
    answered_once(platform, "818181", lambda: messenger_post(stack, body))
