"""Rasa's socket.io channel, made safe for a public web chat.

Rasa 3.6.21's `SocketIOInput`:
* passes `cors_allowed_origins=[]` to python-socketio, which turns the Origin check off: any site
  could connect. Here only the origins in WEBCHAT_ALLOWED_ORIGINS may connect.
* trusts the `session_id` that the client sends, both to join a conversation's room and with each
  message: a client that knows or guesses another id reads and writes that conversation. Here the
  server issues ids (128 random bits); a client may only resume an id of that exact form, and each
  message is filed under the id bound to its own socket, whatever the message claims.
* does not await `enter_room`, which became a coroutine in python-socketio 5.10 (RasaHQ/rasa#13027).
  Here it is awaited when needed, so the channel works with either version.
* passes any text and metadata on. Here the text goes through channels.inbound (normalised, personal
  data redacted) and only the chosen language survives from the metadata.
* lets one connection send as fast as it likes. Here each connection may send WEBCHAT_BURST messages at
  once and then WEBCHAT_MESSAGES_PER_MINUTE; a message over the limit is dropped and the client is told
  (`rate_limited`), so a person typing is never limited and a script cannot flood the assistant.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.inbound import clean_metadata, prepare_text
from common.settings import load_settings
from privacy.logging_filter import install_redaction

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}\Z")  # \Z: "$" would let a trailing line break through


def new_session_id() -> str:
    return uuid.uuid4().hex


class WebChatOutput(SocketIOOutput):
    """Rasa's socket.io output, with custom JSON (e.g. {"clear_transcript": true} after a deletion)
    emitted as the bot message's data. Rasa 3.6's passes the JSON's keys as keyword arguments to
    `emit`, which fails for anything but {"data": ..., "room": ...}."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self.sio.emit(self.bot_message_evt, json_message, room=recipient_id)


class RateLimiter:
    """A token bucket per connection: `burst` messages at once, then `per_minute` messages a minute."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_minute / 60
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, time of last update)

    def allow(self, key: str) -> bool:
        """Take a token for one message from `key`; False when its bucket is empty."""
        now = self.clock()
        tokens, then = self._buckets.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.per_second)
        allowed = tokens >= 1
        self._buckets[key] = (tokens - 1 if allowed else tokens, now)
        return allowed

    def forget(self, key: str) -> None:
        self._buckets.pop(key, None)


class WebChatInput(SocketIOInput):
    """socket.io input channel with an Origin allow-list and server-bound session ids."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def __init__(self, *args: Any, allowed_origins: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = load_settings()
        self.allowed_origins = list(allowed_origins) or list(settings.webchat_allowed_origins)
        self.rate_limiter = RateLimiter(settings.webchat_burst, settings.webchat_messages_per_minute)
        self._sessions: dict[str, str] = {}  # socket id -> conversation id

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebChatInput:
        install_redaction()
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,  # session persistence: a page reload resumes the conversation
            credentials.get("socketio_path", "/socket.io"),
            metadata_key=credentials.get("metadata_key", "metadata"),
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.allowed_origins)
        blueprint = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: str) -> None:
            self._sessions.pop(sid, None)
            self.rate_limiter.forget(sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.match(requested) else new_session_id()
            previous = self._sessions.get(sid)
            if previous and previous != session_id:
                await _maybe_await(sio.leave_room(sid, previous, namespace=namespace))
            self._sessions[sid] = session_id
            await _maybe_await(sio.enter_room(sid, session_id, namespace=namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            session_id = self._sessions.get(sid)
            if session_id is None or not isinstance(data, dict):
                logger.warning("socket.io message before session_request: ignored")
                return
            if not self.rate_limiter.allow(sid):
                logger.warning("socket.io connection over its message rate: message dropped")
                await sio.emit("rate_limited", {}, room=sid, namespace=namespace)
                return
            raw = data.get("message")
            text = prepare_text(raw) if isinstance(raw, str) else ""
            if not text:
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except (ValueError, RecursionError):
                    metadata = {}
            message = UserMessage(
                text,
                WebChatOutput(sio, self.bot_message_evt),
                session_id,
                input_channel=self.name(),
                metadata=clean_metadata(metadata),
            )
            await on_new_message(message)

        return blueprint


async def _maybe_await(result: Any) -> None:
    """python-socketio < 5.10 returns None from enter_room/leave_room; later versions a coroutine."""
    if inspect.isawaitable(result):
        await result
