"""WhatsApp through Twilio: verified with X-Twilio-Signature; no buttons, so numbered options.

The signature is checked with Twilio's own `RequestValidator` over the parameters parsed from the RAW
body (`twilio_params`): Sanic's `request.form` drops empty values (a media-only message has `Body=`)
and keeps repeated keys in an order Twilio's algorithm does not use, so a genuine request would fail.
A media-only message is verified and acknowledged, but not passed to the assistant (there is no text).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from multidict import MultiDict
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator

from channels.messaging import Incoming, MessagingInput, MessagingOutput, post

# What a signature header can be (base64); anything else (non-ASCII, too long) is refused unchecked.
SIGNATURE = re.compile(r"[A-Za-z0-9+/=]{1,256}", re.ASCII)


def twilio_params(body: bytes) -> MultiDict[str]:
    """The POST parameters of a Twilio webhook body, every value kept: empty ones (`Body=`) and repeated
    keys, in the multi-valued form `RequestValidator` understands. Never raises: bytes that are not UTF-8
    (raw or percent-encoded) become U+FFFD, so no lone surrogate comes out of here."""
    text = body.decode("utf-8", errors="replace")
    pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="replace")
    return MultiDict(pairs)


def twilio_signature(auth_token: str, url: str, params: MultiDict[str] | dict[str, str]) -> str:
    """Twilio's request signature (the tests sign their requests with it)."""
    return str(RequestValidator(auth_token).compute_signature(url, params))


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
        if not (token and url and SIGNATURE.fullmatch(given)):
            return False
        try:
            return bool(RequestValidator(token).validate(url, twilio_params(request.body), given))
        except (UnicodeError, ValueError):  # a token or URL that cannot be encoded (RequestValidator is strict)
            return False

    def messages(self, request: Request) -> list[Incoming]:
        params = twilio_params(request.body)
        address = params.get("From", "")
        sid = params.get("MessageSid") or None
        return [Incoming(address, params.get("Body", ""), f"MessageSid:{sid}" if sid else None)]

    def acknowledge(self) -> HTTPResponse:
        return response.text("<Response/>", content_type="text/xml")
