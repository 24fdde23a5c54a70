"""Rasa's REST channel with the checks a public endpoint needs, at the same URL
(POST /webhooks/rest/webhook {"sender": "...", "message": "...", "metadata": {...}}).

Before anything reaches NLU: JSON only, a sender id of at most 128 printable characters, a message of
at most 1,000 characters once control characters are removed, and never an empty one. Anything else
gets a clear 4xx with a short English error. The request size is capped by Sanic's
REQUEST_MAX_SIZE (SANIC_REQUEST_MAX_SIZE, set by tools/serve.sh), which answers 413.
Message text is never logged.
"""

from __future__ import annotations

import json
import logging
import re
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import MAX_MESSAGE_CHARS
from privacy.logging_filter import install_redaction

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
SENDER = re.compile(r"^[^\x00-\x1f\x7f]{1,128}$")  # MAX_SENDER_CHARS printable characters


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def clean_text(text: str) -> str:
    """Remove control and bidirectional-override characters; keep line breaks and tabs."""
    return CONTROL.sub("", text).strip()


class SafeRestInput(RestInput):
    """REST input channel that validates requests before they reach the assistant."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SafeRestInput:
        install_redaction()
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safe_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if "application/json" not in (request.content_type or ""):
                return _error(415, "send JSON (Content-Type: application/json)")
            try:
                payload = json.loads(request.body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                return _error(400, "the body is not valid UTF-8 JSON")
            if not isinstance(payload, dict):
                return _error(400, "the body must be a JSON object")
            sender = payload.get("sender")
            if not isinstance(sender, str) or not SENDER.match(sender) or not sender.strip():
                return _error(400, f"'sender' must be a string of 1 to {MAX_SENDER_CHARS} printable characters")
            text = payload.get("message")
            if not isinstance(text, str):
                return _error(400, "'message' must be a string")
            text = clean_text(text)
            if not text:
                return _error(400, "'message' is empty")
            if len(text) > MAX_MESSAGE_CHARS:
                return _error(413, f"'message' is longer than {MAX_MESSAGE_CHARS} characters")
            metadata = payload.get("metadata")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=self.name(),
                        metadata=metadata if isinstance(metadata, dict) else None,
                    )
                )
            except CancelledError:
                logger.error("REST message timed out")
            except Exception:
                logger.exception("REST message failed")
            return response.json(collector.messages)

        return webhook
