"""Rasa's REST channel with the checks an endpoint needs, at the same URL
(POST /webhooks/rest/webhook {"sender": "...", "message": "...", "metadata": {...}}).

REST is for local testing and server-to-server integrations, not for the public: the `sender` is
whatever the client sends. So:

* REST conversations live in their own namespace: the stored conversation id is `rest-<sender>`, which
  can never be a web chat id (32 hex digits) or a messaging-channel id (`whatsapp-...`): a REST call
  cannot read, continue or delete anyone else's conversation.
* With REST_CHANNEL_TOKEN set, every call needs `Authorization: Bearer <token>` (403 otherwise). The
  container deployment does not route /webhooks/rest/ to the public at all (deploy/nginx/nginx.conf).

Before anything reaches NLU: JSON only (nested at most a few levels), a sender id of at most 128
printable characters, a message of at most 1,000 characters once normalised (channels.inbound), and
never an empty one. Anything else gets a clear 4xx with a short English error. The request size is
capped by Sanic's REQUEST_MAX_SIZE (SANIC_REQUEST_MAX_SIZE, set by tools/serve.py), which answers 413.
Message text is never logged.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import MAX_MESSAGE_CHARS
from channels.inbound import (
    MAX_SENDER_CHARS,
    clean_metadata,
    clean_sender,
    normalize,
    parse_json,
    prepare_text,
    same_secret,
)
from common.settings import load_settings
from privacy.logging_filter import install_redaction

logger = logging.getLogger(__name__)

NAMESPACE = "rest-"


def _error(status: int, message: str) -> HTTPResponse:
    return response.json({"error": message}, status=status)


def conversation_id(sender: str) -> str:
    """The stored conversation id of a REST sender: in a namespace no other channel uses."""
    return NAMESPACE + sender


def token_matches(expected: str, authorization: str) -> bool:
    """True when no token is configured, or the Authorization header carries it (any bytes compared safely)."""
    if not expected:
        return True
    return same_secret(expected, authorization.removeprefix("Bearer ").strip())


class SafeRestInput(RestInput):
    """REST input channel that validates requests before they reach the assistant."""

    def __init__(self, token: str = "") -> None:
        self.token = token

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> SafeRestInput:
        install_redaction()
        return cls(load_settings().rest_channel_token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safe_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not token_matches(self.token, request.headers.get("Authorization", "")):
                return _error(403, "forbidden")
            if "application/json" not in (request.content_type or ""):
                return _error(415, "send JSON (Content-Type: application/json)")
            try:
                payload = parse_json(request.body)
            except ValueError:
                return _error(400, "the body is not valid UTF-8 JSON")
            if not isinstance(payload, dict):
                return _error(400, "the body must be a JSON object")
            sender = clean_sender(payload.get("sender"))
            if sender is None:
                return _error(400, f"'sender' must be a string of 1 to {MAX_SENDER_CHARS} printable characters")
            text = payload.get("message")
            if not isinstance(text, str):
                return _error(400, "'message' must be a string")
            if len(normalize(text)) > MAX_MESSAGE_CHARS:
                return _error(413, f"'message' is longer than {MAX_MESSAGE_CHARS} characters")
            text = prepare_text(text)
            if not text:
                return _error(400, "'message' is empty")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        conversation_id(sender),
                        input_channel=self.name(),
                        metadata=clean_metadata(payload.get("metadata")),
                    )
                )
            except CancelledError:
                logger.error("REST message timed out")
            except Exception:
                logger.exception("REST message failed")
            return response.json(collector.messages)

        return webhook
