"""What the messaging channels (WhatsApp via Twilio, Telegram, Messenger) share.

* Every incoming webhook is verified by the subclass; an unverified request gets 403 and never reaches
  the assistant.
* Sender ids are pseudonymous: a keyed hash of the platform's id (a phone number on WhatsApp), so no
  phone number is stored as a conversation id. The real address is only held by the output channel
  while it answers that one request.
* Rendering follows the channel: where there are no buttons, quick replies become numbered options and
  a reply of "2" picks option 2; long messages are split at paragraph, line or sentence boundaries
  under the channel's limit.
* Outgoing calls go to a configurable base URL with aiohttp, so they never block the event loop.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from actions.settings import load_settings
from channels import MAX_MESSAGE_CHARS
from privacy.logging_filter import install_redaction

logger = logging.getLogger(__name__)

OUTGOING_TIMEOUT_S = 10
MAX_REMEMBERED_MENUS = 10_000
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def split_message(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraphs, then lines, then sentences, then words."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    for separator in ("\n\n", "\n", None, " "):
        parts = _SENTENCE_END.split(text) if separator is None else text.split(separator)
        joiner = " " if separator is None else separator
        if len(parts) > 1:
            pieces: list[str] = []
            current = ""
            for part in parts:
                candidate = f"{current}{joiner}{part}" if current else part
                if len(candidate) <= limit:
                    current = candidate
                    continue
                if current:
                    pieces.append(current)
                current = part
            if current:
                pieces.append(current)
            return [p for piece in pieces for p in split_message(piece, limit)]
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def numbered_options(text: str, buttons: list[dict[str, Any]]) -> str:
    """The message with its quick replies as a numbered list ("1. 📞 Contactos de COMAR")."""
    lines = [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, start=1)]
    return f"{text}\n\n" + "\n".join(lines) if lines else text


def pseudonym(secret: str, channel: str, platform_id: str) -> str:
    """A stable conversation id that does not reveal the platform id (e.g. a phone number)."""
    digest = hmac.new(secret.encode(), f"{channel}:{platform_id}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}-{digest[:32]}"


class Menus:
    """The numbered options last sent to each conversation, so that "2" can be resolved."""

    def __init__(self) -> None:
        self._menus: OrderedDict[str, list[str]] = OrderedDict()

    def remember(self, sender_id: str, payloads: list[str]) -> None:
        self._menus[sender_id] = payloads
        self._menus.move_to_end(sender_id)
        while len(self._menus) > MAX_REMEMBERED_MENUS:
            self._menus.popitem(last=False)

    def resolve(self, sender_id: str, text: str) -> str:
        """The payload of option `text` if it is the number of a remembered option, else `text`."""
        options = self._menus.get(sender_id, [])
        choice = text.strip().rstrip(".)")
        if choice.isdigit() and 1 <= int(choice) <= len(options):
            return options[int(choice) - 1]
        return text


class MessagingOutput(OutputChannel):
    """Sends replies to one platform address; subclasses implement `deliver`."""

    supports_buttons = False
    limit_setting = ""  # the Settings field with this channel's longest message

    def __init__(self, address: str, sender_id: str, channel: MessagingInput) -> None:
        self.address = address
        self.sender_id = sender_id
        self.channel = channel
        self.menus = channel.menus
        self.limit: int = getattr(channel.settings, self.limit_setting)

    async def deliver(self, text: str, buttons: list[dict[str, Any]] | None) -> None:
        raise NotImplementedError

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for piece in split_message(text, self.limit):
            await self.deliver(piece, None)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        if not self.supports_buttons:
            self.menus.remember(self.sender_id, [str(b.get("payload", "")) for b in buttons])
            await self.send_text_message(recipient_id, numbered_options(text, buttons))
            return
        pieces = split_message(text, self.limit)
        for piece in pieces[:-1]:
            await self.deliver(piece, None)
        await self.deliver(pieces[-1] if pieces else "…", buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.send_text_message(recipient_id, image)


async def post(url: str, **kwargs: Any) -> int:
    """POST without blocking the event loop; returns the HTTP status (0 if unreachable)."""
    try:
        timeout = aiohttp.ClientTimeout(total=OUTGOING_TIMEOUT_S)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.post(url, **kwargs) as reply:
            if reply.status >= 300:
                logger.warning("Platform answered %d to an outgoing message", reply.status)
            return reply.status
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("Outgoing message failed: %s", type(error).__name__)
        return 0


class MessagingInput(InputChannel):
    """A verified webhook. Subclasses implement `verify` and `messages` and name their `output_class`."""

    secret_setting = ""  # the Settings field with the channel's own secret (keys the pseudonyms by default)
    output_class: type[MessagingOutput]  # sends the replies back through the platform's API

    def __init__(self) -> None:
        self.settings = load_settings()
        self.secret_for_ids = self.settings.sender_id_secret or getattr(self.settings, self.secret_setting)
        self.menus = Menus()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        install_redaction()
        return cls()

    def verify(self, request: Request) -> bool:
        raise NotImplementedError

    def messages(self, request: Request) -> list[tuple[str, str]]:
        """(platform address, text) for each user message in the webhook call."""
        raise NotImplementedError

    def output(self, address: str, sender_id: str) -> MessagingOutput:
        return self.output_class(address, sender_id, self)

    def extra_routes(self, blueprint: Blueprint) -> None:
        """Routes besides POST /webhook (e.g. Messenger's subscription check)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.verify(request):
                logger.warning("%s webhook with a missing or wrong signature: refused", self.name())
                return response.json({"error": "forbidden"}, status=403)
            try:
                incoming = self.messages(request)
            except (ValueError, KeyError, TypeError):
                return response.json({"error": "unexpected payload"}, status=400)
            for address, text in incoming:
                sender_id = pseudonym(self.secret_for_ids, self.name(), address)
                text = self.menus.resolve(sender_id, text.strip())[:MAX_MESSAGE_CHARS]
                if not text:
                    continue
                output = self.output(address, sender_id)
                await on_new_message(UserMessage(text, output, sender_id, input_channel=self.name()))
            return self.acknowledge()

        self.extra_routes(webhook)
        return webhook

    def acknowledge(self) -> HTTPResponse:
        return response.json({"status": "ok"})
