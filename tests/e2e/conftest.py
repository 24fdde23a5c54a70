"""The running assistant for the end-to-end tests (started by tools/stack.py), with a handoff receiver."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
import yaml

from channels.rest import conversation_id
from tools.stack import HOST, ROOT, Stack, running_stack

RESPONSES: dict[str, list[dict[str, Any]]] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
    "responses"]


def start(response: str, language: str) -> str:
    """The fixed start of a response's family variation in `language` (no other condition, or no audience)."""
    for variation in RESPONSES[response]:
        conditions = {c["name"]: c["value"] for c in variation.get("condition", [])}
        if conditions.get("language", "es") == language and conditions.get("audience") is None \
                and set(conditions) <= {"language", "audience"}:
            return str(variation["text"]).split("\n")[0].split("{")[0].strip()
    raise AssertionError((response, language))


class CaptureServer:
    """A stand-in for an outside system (the human team's handoff receiver, a messaging platform's
    API): records every POST it gets, with its path and body, and answers 202."""

    def __init__(self) -> None:
        calls: list[dict[str, Any]] = []
        self.calls = calls

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                kind = self.headers.get("Content-Type", "")
                body: Any = json.loads(raw) if "json" in kind else parse_qs(raw.decode())
                calls.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = HTTPServer((HOST, 0), Handler)
        self.base = f"http://{HOST}:{self.server.server_address[1]}"
        self.url = f"{self.base}/handoff"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def received(self) -> list[Any]:
        """Bodies POSTed to /handoff."""
        return [c["body"] for c in self.calls if c["path"] == "/handoff"]

    def __enter__(self) -> CaptureServer:
        self.thread.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.server.shutdown()


# Secrets of the messaging channels in the tests (the platforms' APIs are the capture server).
CHANNEL_ENV = {
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "twilio-test-token",
    "TWILIO_WHATSAPP_NUMBER": "whatsapp:+10000000000",
    "TELEGRAM_BOT_TOKEN": "123:telegram-test-token",
    "TELEGRAM_SECRET_TOKEN": "telegram-test-secret",
    "MESSENGER_PAGE_ACCESS_TOKEN": "messenger-test-access-token",
    "MESSENGER_APP_SECRET": "messenger-test-app-secret",
    "MESSENGER_VERIFY_TOKEN": "messenger-test-verify-token",
    # Lower than Twilio's 1,600 so that a real answer (the Commission's members) must be split.
    "TWILIO_MAX_CHARS": "600",
}


@pytest.fixture(scope="session")
def platform() -> Iterator[CaptureServer]:
    with CaptureServer() as server:
        yield server


@pytest.fixture(scope="session")
def handoff_receiver(platform: CaptureServer) -> CaptureServer:
    return platform


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, platform: CaptureServer) -> Iterator[Stack]:
    stack = Stack.on_test_ports(tmp_path_factory.mktemp("e2e"))
    env = {
        "HANDOFF_WEBHOOK_URL": platform.url,
        "TWILIO_API_BASE": platform.base,
        "TELEGRAM_API_BASE": platform.base,
        "MESSENGER_API_BASE": platform.base,
        # Twilio signs the public URL it was given; here that is the local webhook.
        "TWILIO_WEBHOOK_URL": f"{stack.rasa_url}/webhooks/whatsapp/webhook",
        **CHANNEL_ENV,
    }
    with running_stack(stack, env=env):
        yield stack


@pytest.fixture(scope="session")
def rasa_url(stack: Stack) -> str:
    return stack.rasa_url


class Conversation:
    """One person talking to the REST channel. `sender` is what the client sends; `conversation_id` is
    what Rasa stores it under (REST senders have a namespace of their own: channels/rest.py)."""

    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex}"
        self.conversation_id = conversation_id(self.sender)

    def say(self, text: str) -> list[dict[str, Any]]:
        response = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        return list(response.json())

    def say_text(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture
def conversation(rasa_url: str) -> Conversation:
    return Conversation(rasa_url)
