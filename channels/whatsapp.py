"""WhatsApp through Twilio: verified with X-Twilio-Signature; no buttons, so numbered options."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import aiohttp
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.messaging import MessagingInput, MessagingOutput, post


def twilio_signature(auth_token: str, url: str, params: dict[str, list[str]]) -> str:
    """Twilio's request signature: base64 HMAC-SHA1 of the URL followed by the sorted POST params."""
    payload = url + "".join(key + value for key in sorted(params) for value in params[key])
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class WhatsAppOutput(MessagingOutput):
    supports_buttons = False
    limit_setting = "twilio_max_chars"

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    async def deliver(self, text: str, buttons: list[dict[str, Any]] | None) -> None:
        settings = self.channel.settings
        await post(
            f"{settings.twilio_api_base}/2010-04-01/Accounts/{settings.twilio_account_sid}/Messages.json",
            data={"From": settings.twilio_whatsapp_number, "To": self.address, "Body": text},
            auth=aiohttp.BasicAuth(settings.twilio_account_sid, settings.twilio_auth_token),
        )


class WhatsAppInput(MessagingInput):
    """POST /webhooks/whatsapp/webhook, the Twilio "A message comes in" webhook."""

    secret_setting = "twilio_auth_token"
    output_class = WhatsAppOutput

    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def verify(self, request: Request) -> bool:
        token, url = self.settings.twilio_auth_token, self.settings.twilio_webhook_url
        given = request.headers.get("X-Twilio-Signature", "")
        if not (token and url and given):
            return False
        params = {key: list(values) for key, values in (request.form or {}).items()}
        return hmac.compare_digest(twilio_signature(token, url, params), given)

    def messages(self, request: Request) -> list[tuple[str, str]]:
        return [(str(request.form.get("From")), str(request.form.get("Body") or ""))]

    def acknowledge(self) -> HTTPResponse:
        return response.text("<Response/>", content_type="text/xml")
