"""WhatsApp (Twilio), Telegram and Messenger against the running server: real-shaped, signed webhooks;
replies captured at a local server standing in for each platform's API."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
from typing import Any

import pytest
import requests

from channels.whatsapp import twilio_signature
from tests.e2e.conftest import CHANNEL_ENV, CaptureServer
from tests.servers import Stack

PHONE = "whatsapp:+5215512345678"


def wait_for(platform: CaptureServer, path_part: str, count: int, timeout_s: float = 20) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [c for c in platform.calls if path_part in c["path"]]
        if len(found) >= count:
            return found
        time.sleep(0.2)
    return [c for c in platform.calls if path_part in c["path"]]


# ---- WhatsApp through Twilio -------------------------------------------------------------------

def twilio_post(stack: Stack, body: str, sign: bool = True, sender: str = PHONE) -> requests.Response:
    url = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    form = {"From": sender, "To": CHANNEL_ENV["TWILIO_WHATSAPP_NUMBER"], "Body": body, "NumMedia": "0",
            "MessageSid": "SM" + "0" * 32, "AccountSid": CHANNEL_ENV["TWILIO_ACCOUNT_SID"]}
    headers = {}
    if sign:
        headers["X-Twilio-Signature"] = twilio_signature(
            CHANNEL_ENV["TWILIO_AUTH_TOKEN"], url, {k: [v] for k, v in form.items()}
        )
    return requests.post(url, data=form, headers=headers, timeout=60)


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

def telegram_update(text: str, chat_id: int = 424242) -> dict[str, Any]:
    return {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": text,
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
    keyboard = calls[0]["body"]["reply_markup"]["inline_keyboard"]
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

def messenger_event(text: str, psid: str = "6543210") -> bytes:
    return json.dumps({"object": "page", "entry": [{"id": "1", "time": 0, "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "1"}, "timestamp": 0, "message": {"mid": "m1", "text": text}}
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
