"""The running assistant for the end-to-end tests (see tests/servers.py), with a handoff receiver."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import requests

from tests.servers import HOST, Stack, running_stack


class HandoffReceiver:
    """A stand-in for the human team's system: records the conversations it is sent."""

    def __init__(self) -> None:
        received: list[dict[str, Any]] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = HTTPServer((HOST, 0), Handler)
        self.url = f"http://{HOST}:{self.server.server_address[1]}/handoff"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HandoffReceiver:
        self.thread.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def handoff_receiver() -> Iterator[HandoffReceiver]:
    with HandoffReceiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, handoff_receiver: HandoffReceiver) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("e2e"), env={"HANDOFF_WEBHOOK_URL": handoff_receiver.url}) as running:
        yield running


@pytest.fixture(scope="session")
def rasa_url(stack: Stack) -> str:
    return stack.rasa_url


class Conversation:
    """One person talking to the REST channel."""

    def __init__(self, rasa_url: str) -> None:
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = f"e2e-{uuid.uuid4().hex}"

    def say(self, text: str) -> list[dict[str, Any]]:
        response = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        response.raise_for_status()
        return list(response.json())

    def say_text(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture
def conversation(rasa_url: str) -> Conversation:
    return Conversation(rasa_url)
