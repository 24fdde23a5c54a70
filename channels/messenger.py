"""Facebook Messenger: verified with X-Hub-Signature-256 (HMAC-SHA256 of the body); quick replies."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.messaging import MessagingInput, MessagingOutput, post

QUICK_REPLY_TITLE_MAX = 20
QUICK_REPLIES_MAX = 13


def hub_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


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
        return bool(secret and given) and hmac.compare_digest(hub_signature(secret, request.body), given)

    def messages(self, request: Request) -> list[tuple[str, str]]:
        found = []
        for entry in (request.json or {}).get("entry", []):
            for event in entry.get("messaging", []):
                message = event.get("message") or {}
                if message.get("is_echo"):
                    continue
                text = (message.get("quick_reply") or {}).get("payload") or message.get("text")
                text = text or (event.get("postback") or {}).get("payload")
                if text:
                    found.append((str(event["sender"]["id"]), str(text)))
        return found

    def extra_routes(self, blueprint: Blueprint) -> None:
        @blueprint.route("/webhook", methods=["GET"])
        async def subscribe(request: Request) -> HTTPResponse:
            token = self.settings.messenger_verify_token
            given = request.args.get("hub.verify_token", "")
            if request.args.get("hub.mode") == "subscribe" and token and hmac.compare_digest(token, given):
                return response.text(request.args.get("hub.challenge", ""))
            return response.json({"error": "forbidden"}, status=403)
