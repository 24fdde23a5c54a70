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
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from actions.settings import load_settings
from channels import MAX_MESSAGE_CHARS
from privacy.logging_filter import install_redaction

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


def new_session_id() -> str:
    return uuid.uuid4().hex


class WebChatInput(SocketIOInput):
    """socket.io input channel with an Origin allow-list and server-bound session ids."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def __init__(self, *args: Any, allowed_origins: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_origins = list(allowed_origins) or list(load_settings().webchat_allowed_origins)
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
            text = data.get("message")
            if not isinstance(text, str) or not text.strip():
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = UserMessage(
                text[:MAX_MESSAGE_CHARS],
                SocketIOOutput(sio, self.bot_message_evt),
                session_id,
                input_channel=self.name(),
                metadata=metadata if isinstance(metadata, dict) else {},
            )
            await on_new_message(message)

        return blueprint


async def _maybe_await(result: Any) -> None:
    """python-socketio < 5.10 returns None from enter_room/leave_room; later versions a coroutine."""
    if inspect.isawaitable(result):
        await result
