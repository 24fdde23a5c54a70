"""Facebook Messenger: verified with X-Hub-Signature-256 (HMAC-SHA256 of the body); quick replies.

A malformed, non-ASCII or wrong signature, and a wrong `hub.verify_token` on the subscription check, get
403 (never a 500, whose log line would carry the URL and so the token). The body is parsed with
`parse_json_body` (400 if broken or too deeply nested); an event whose `mid` was already handled is
acknowledged without answering it again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from sanic.response import HTTPResponse

from channels.inbound import as_bytes, same_secret
from channels.messaging import (
    Incoming,
    MessagingInput,
    MessagingOutput,
    parse_json_body,
    platform_id,
    post,
    text_of,
)

logger = logging.getLogger(__name__)

QUICK_REPLY_TITLE_MAX = 20
QUICK_REPLIES_MAX = 13
SIGNATURE = re.compile(r"sha256=[0-9a-f]{64}", re.ASCII | re.IGNORECASE)


def hub_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(as_bytes(app_secret), body, hashlib.sha256).hexdigest()


class MessengerOutput(MessagingOutput):
    supports_buttons = True
    limit_setting = "messenger_max_chars"

    @classmethod
    def name(cls) -> str:
        return "messenger"

    async def deliver(self, text: str, buttons: list[dict[str, Any]] | None) -> None:
        message: dict[str, Any] = {"text": text}
        if buttons:
            message["quick_replies"] = [
                {"content_type": "text", "title": str(b["title"])[:QUICK_REPLY_TITLE_MAX], "payload": b["payload"]}
                for b in buttons[:QUICK_REPLIES_MAX]
            ]
        settings = self.channel.settings
        await post(
            f"{settings.messenger_api_base}/me/messages",
            params={"access_token": settings.messenger_page_access_token},
            json={"recipient": {"id": self.address}, "messaging_type": "RESPONSE", "message": message},
        )


class MessengerInput(MessagingInput):
    """POST /webhooks/messenger/webhook (events) and GET (Meta's subscription check)."""

    secret_setting = "messenger_app_secret"
    output_class = MessengerOutput

    @classmethod
    def name(cls) -> str:
        return "messenger"

    def verify(self, request: Request) -> bool:
        secret = self.settings.messenger_app_secret
        given = request.headers.get("X-Hub-Signature-256", "")
        if not (secret and SIGNATURE.fullmatch(given)):
            return False
        return same_secret(hub_signature(secret, request.body), given.lower())

    def messages(self, request: Request) -> list[Incoming]:
        payload = parse_json_body(request.body)
        if not isinstance(payload, dict):
            raise ValueError("a webhook call is a JSON object")
        found = []
        for entry in payload.get("entry") or []:
            for event in entry.get("messaging") or []:
                message = event.get("message") or {}
                postback = event.get("postback") or {}
                if message.get("is_echo"):
                    continue
                text = text_of((message.get("quick_reply") or {}).get("payload")) or text_of(message.get("text"))
                text = text or text_of(postback.get("payload"))
                if not text:
                    continue
                mid = text_of(message.get("mid") or postback.get("mid"))
                found.append(Incoming(platform_id(event["sender"]["id"]), text, f"mid:{mid}" if mid else None))
        return found

    def extra_routes(self, blueprint: Blueprint) -> None:
        @blueprint.route("/webhook", methods=["GET"])
        async def subscribe(request: Request) -> HTTPResponse:
            return self.subscribe(request)

    def subscribe(self, request: Request) -> HTTPResponse:
        """GET /webhook: Meta's subscription check. The challenge is echoed only for the right token."""
        try:
            args = request.get_args(keep_blank_values=True)
        except UnicodeDecodeError:  # a query string that is not UTF-8 cannot hold the token
            args = RequestParameters()
        given = args.get("hub.verify_token") or ""
        if args.get("hub.mode") == "subscribe" and same_secret(self.settings.messenger_verify_token, given):
            return response.text(args.get("hub.challenge") or "")
        logger.warning("Messenger subscription check with a missing or wrong verify token: refused")
        return response.json({"error": "forbidden"}, status=403)
