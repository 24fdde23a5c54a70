"""What the messaging channels (WhatsApp via Twilio, Telegram, Messenger) share.

* Every incoming webhook is verified by the subclass; an unverified request gets 403 and never reaches
  the assistant. Signatures, secrets and tokens are compared as bytes (`channels.inbound.same_secret`),
  so a malformed or non-ASCII one is refused with 403, never a 500 (whose log line would carry the URL).
* Bodies are parsed here, not by Sanic: JSON with `parse_json_body` (too deep, not UTF-8 or not JSON is a
  400), forms with the subclass (see channels/whatsapp.py).
* Every text goes through `channels.inbound.prepare_text` (after a numbered-option reply is resolved), so
  no lone surrogate, invisible character or personal data reaches NLU, the tracker store or the logs.
  A webhook whose platform id is not a usable id (`clean_sender`) is refused with 400.
* A replayed message (same platform message id) is acknowledged but not answered twice (`Seen`).
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
from typing import Any, NamedTuple

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.inbound import as_bytes, clean_sender, normalize, parse_json, prepare_text
from common.settings import load_settings
from privacy.logging_filter import install_redaction

logger = logging.getLogger(__name__)

OUTGOING_TIMEOUT_S = 10
MAX_REMEMBERED_MENUS = 10_000
MAX_REMEMBERED_IDS = 50_000
MAX_JSON_BODY_BYTES = 65_536  # SANIC_REQUEST_MAX_SIZE refuses larger bodies before they get here
MAX_OPTION_DIGITS = 3
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


def parse_json_body(body: bytes) -> Any:
    """The JSON document in a webhook body; ValueError if it is not UTF-8 JSON, too large or too deeply
    nested (`json.loads` raises RecursionError then). Not Sanic's `request.json`: without ujson it lets
    RecursionError through, and it raises InvalidUsage, which `receive` would not answer with 400."""
    if len(body) > MAX_JSON_BODY_BYTES:
        raise ValueError("body too large")
    return parse_json(body)


def platform_id(value: Any) -> str:
    """A platform's id (a chat id, a page-scoped id) as a string; ValueError if it is neither a string
    nor an integer."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("not an id")
    return str(value)


def text_of(value: Any) -> str:
    """A message's text or a button's payload: a string (absent is empty); TypeError otherwise."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("text is not a string")
    return value


def pseudonym(secret: str, channel: str, platform_id: str) -> str:
    """A stable conversation id that does not reveal the platform id (e.g. a phone number).

    Never raises, whatever `platform_id` holds (lone surrogates are hashed as their UTF-8-like bytes).
    """
    digest = hmac.new(as_bytes(secret), as_bytes(f"{channel}:{platform_id}"), hashlib.sha256).hexdigest()
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
        # ASCII digits only: "²".isdigit() is true but int("²") raises, as does int() of 5,000 digits.
        usable = choice.isascii() and choice.isdigit() and len(choice) <= MAX_OPTION_DIGITS
        if usable and 1 <= int(choice) <= len(options):
            return options[int(choice) - 1]
        return text


class Seen:
    """The platform message ids this process has already passed to the assistant, so that a replayed
    webhook (the same Twilio MessageSid, Telegram update_id or Messenger mid, sent again by an attacker
    who recorded it or by a platform retrying) is acknowledged but not answered twice.

    Bounded like `Menus`: at most `limit` ids, the oldest forgotten first. In memory and per process: with
    several Rasa replicas each replica remembers its own ids. The proxy pins a client address to one
    replica (deploy/nginx/nginx.conf), so a replay from the same address reaches the replica that
    remembers it; a platform's retry from another of its addresses may reach another replica.
    """

    def __init__(self, limit: int = MAX_REMEMBERED_IDS) -> None:
        self.limit = limit
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, message_id: str) -> bool:
        """True (and `message_id` is remembered) unless it was seen before."""
        if message_id in self._ids:
            self._ids.move_to_end(message_id)
            return False
        self._ids[message_id] = None
        while len(self._ids) > self.limit:
            self._ids.popitem(last=False)
        return True

    def forget(self, message_id: str) -> None:
        """Forget a message that could not be handled, so that the platform's retry is handled."""
        self._ids.pop(message_id, None)


class Incoming(NamedTuple):
    """One user message of a webhook call."""

    address: str  # the platform's id of the person (a WhatsApp address, a chat id, a page-scoped id)
    text: str  # as received; the channel resolves numbered options and then applies prepare_text
    message_id: str | None  # the platform's id of this message, for replay detection (None: unknown)


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
        self.seen = Seen()

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        install_redaction()
        return cls()

    def verify(self, request: Request) -> bool:
        """Whether the request comes from the platform. Must never raise (a 500 logs the URL)."""
        raise NotImplementedError

    def messages(self, request: Request) -> list[Incoming]:
        """Each user message in the (verified) webhook call; ValueError, KeyError, TypeError or
        AttributeError if the body is not what the platform sends (answered 400)."""
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
            return await self.receive(request, on_new_message)

        self.extra_routes(webhook)
        return webhook

    async def receive(
        self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
        """POST /webhook: verify, parse, drop replays, clean each text and pass it to the assistant."""
        if not self.verify(request):
            logger.warning("%s webhook with a missing or wrong signature: refused", self.name())
            return response.json({"error": "forbidden"}, status=403)
        try:
            incoming = self.messages(request)
        except (ValueError, KeyError, TypeError, AttributeError):
            return response.json({"error": "unexpected payload"}, status=400)
        if any(clean_sender(message.address) is None for message in incoming):
            logger.warning("%s webhook with an unusable platform id: refused", self.name())
            return response.json({"error": "unexpected payload"}, status=400)
        for message in incoming:
            if message.message_id is not None and not self.seen.first_time(message.message_id):
                logger.info("%s message already handled (a replay): acknowledged, not answered", self.name())
                continue
            sender_id = pseudonym(self.secret_for_ids, self.name(), message.address)
            # The numbered option first ("２" or "2​" is option 2), then the one cleaning every channel
            # shares; button payloads ("/ask_contacts{...}") come through prepare_text unchanged.
            text = prepare_text(self.menus.resolve(sender_id, normalize(message.text)))
            if not text:  # a media-only message, or nothing left once cleaned
                continue
            output = self.output(message.address, sender_id)
            try:
                await on_new_message(UserMessage(text, output, sender_id, input_channel=self.name()))
            except Exception as error:  # logged without the text or a traceback that could quote it
                if message.message_id is not None:
                    self.seen.forget(message.message_id)
                logger.error("%s message could not be handled: %s", self.name(), type(error).__name__)
                return response.json({"error": "internal error"}, status=500)
        return self.acknowledge()

    def acknowledge(self) -> HTTPResponse:
        return response.json({"status": "ok"})
