"""The web chat channel's message rate per connection."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, cast

import pytest
from rasa.core.channels.channel import UserMessage

from channels.webchat import SESSION_ID, RateLimiter, WebChatInput, WebChatOutput


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_steady_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=5, per_minute=20, clock=clock)
    assert [limiter.allow("a") for _ in range(7)] == [True] * 5 + [False] * 2
    clock.now += 3  # 20 a minute: one message every 3 seconds
    assert limiter.allow("a") and not limiter.allow("a")


def test_a_thousand_messages_at_once_mostly_dropped() -> None:
    limiter = RateLimiter(burst=5, per_minute=20, clock=Clock())
    assert sum(limiter.allow("flood") for _ in range(1000)) == 5


def test_each_connection_has_its_own_bucket_and_is_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=1, per_minute=1, clock=clock)
    assert limiter.allow("a") and limiter.allow("b")
    assert not limiter.allow("a")
    limiter.forget("a")
    assert limiter.allow("a")


def test_a_person_typing_is_never_limited() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=5, per_minute=20, clock=clock)
    for _ in range(100):
        clock.now += 4  # a message every 4 seconds is fast typing
        assert limiter.allow("person")


# ---- the socket.io handlers, called as python-socketio calls them ------------------------------------------

SID = "a" * 32


class Recorder:
    """Stands in for the socket.io server's emit/enter_room/leave_room and Rasa's on_new_message."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.messages: list[UserMessage] = []

    async def on_new_message(self, message: UserMessage) -> None:
        self.messages.append(message)


def webchat(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> tuple[WebChatInput, Recorder, dict[str, Any]]:
    recorder = Recorder()
    channel = WebChatInput.from_credentials(None) if not kwargs else WebChatInput(**kwargs)
    channel.blueprint(recorder.on_new_message)

    async def emit(event: str, data: Any, room: str, namespace: str | None = None) -> None:
        recorder.calls.append(("emit", event, data, room))

    monkeypatch.setattr(channel.sio, "emit", emit)
    monkeypatch.setattr(channel.sio, "enter_room", lambda sid, room, namespace=None: recorder.calls.append(
        ("enter", sid, room)))

    async def leave_room(sid: str, room: str, namespace: str | None = None) -> None:  # a coroutine in 5.10+
        recorder.calls.append(("leave", sid, room))

    monkeypatch.setattr(channel.sio, "leave_room", leave_room)
    return channel, recorder, channel.sio.handlers["/"]


def test_the_web_chat_channel_as_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "https://asistente.example.org")
    channel, _, handlers = webchat(monkeypatch)
    assert WebChatInput.name() == "socketio"
    assert (channel.user_message_evt, channel.bot_message_evt, channel.namespace, channel.socketio_path,
            channel.metadata_key, channel.session_persistence) == (
        "user_uttered", "bot_uttered", None, "/socket.io", "metadata", True)
    assert channel.allowed_origins == ["https://asistente.example.org"]
    assert channel.sio.eio.cors_allowed_origins == ["https://asistente.example.org"]  # the Origin check is on
    assert (channel.rate_limiter.burst, channel.rate_limiter.per_second) == (5, 20 / 60)
    assert set(handlers) == {"disconnect", "session_request", "user_uttered"}
    assert WebChatInput(allowed_origins=("https://a.example",)).allowed_origins == ["https://a.example"]


@pytest.mark.parametrize("requested", [None, "", "../other", "A" * 32, "a" * 31, "a" * 33, "a" * 32 + "\n", 5])
def test_a_session_id_the_server_did_not_issue_is_replaced(monkeypatch: pytest.MonkeyPatch, requested: Any) -> None:
    _, recorder, handlers = webchat(monkeypatch)
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": requested}))
    [enter, confirm] = recorder.calls
    issued = confirm[2]
    assert SESSION_ID.match(issued) and issued != requested
    assert enter == ("enter", "socket-1", issued) and confirm == ("emit", "session_confirm", issued, "socket-1")


def test_a_well_formed_session_id_is_resumed_and_a_new_one_leaves_the_old_room(monkeypatch: pytest.MonkeyPatch) -> None:
    _, recorder, handlers = webchat(monkeypatch)
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": SID}))
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": SID}))  # the same again: stays
    asyncio.run(handlers["session_request"]("socket-1", "not a dict"))
    new = recorder.calls[-1][2]
    assert recorder.calls == [
        ("enter", "socket-1", SID), ("emit", "session_confirm", SID, "socket-1"),
        ("enter", "socket-1", SID), ("emit", "session_confirm", SID, "socket-1"),
        ("leave", "socket-1", SID), ("enter", "socket-1", new), ("emit", "session_confirm", new, "socket-1"),
    ]


def test_a_message_is_redacted_filed_under_its_sockets_session_and_keeps_only_the_language(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    _, recorder, handlers = webchat(monkeypatch)
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": SID}))
    asyncio.run(handlers["user_uttered"]("socket-1", {"message": "mi tel 5512345678", "session_id": "b" * 32,
                                                       "metadata": {"language": "en", "phone": "5512345678"}}))
    asyncio.run(handlers["user_uttered"]("socket-1", {"message": "hola", "metadata": '{"language": "fr"}'}))
    asyncio.run(handlers["user_uttered"]("socket-1", {"message": "hola", "metadata": "[" * 5000}))
    assert [(m.text, m.sender_id, m.input_channel, m.metadata) for m in recorder.messages] == [
        ("mi tel [telefono]", SID, "socketio", {"language": "en"}),
        ("hola", SID, "socketio", {"language": "fr"}),
        ("hola", SID, "socketio", {}),
    ]
    assert isinstance(recorder.messages[0].output_channel, WebChatOutput)
    assert recorder.messages[0].output_channel.bot_message_evt == "bot_uttered"


@pytest.mark.parametrize("data", [{"message": ""}, {"message": "\u200b"}, {"message": 5}, {}])
def test_an_empty_message_reaches_nobody(monkeypatch: pytest.MonkeyPatch, data: dict) -> None:
    _, recorder, handlers = webchat(monkeypatch)
    asyncio.run(handlers["session_request"]("socket-1", {}))
    asyncio.run(handlers["user_uttered"]("socket-1", data))
    assert recorder.messages == []


def test_a_message_before_a_session_or_not_an_object_is_ignored_and_logged_without_its_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _, recorder, handlers = webchat(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="channels.webchat"):
        asyncio.run(handlers["user_uttered"]("socket-1", {"message": "hola 5512345678"}))
        asyncio.run(handlers["session_request"]("socket-1", {}))
        asyncio.run(handlers["user_uttered"]("socket-1", "hola 5512345678"))
    assert recorder.messages == []
    assert caplog.messages == ["socket.io message before session_request: ignored"] * 2


def test_a_flood_is_dropped_and_the_client_told_and_a_disconnect_forgets_the_socket(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("WEBCHAT_BURST", "2")
    _, recorder, handlers = webchat(monkeypatch)
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": SID}))
    with caplog.at_level(logging.WARNING, logger="channels.webchat"):
        for _ in range(3):
            asyncio.run(handlers["user_uttered"]("socket-1", {"message": "hola"}))
    assert len(recorder.messages) == 2
    assert recorder.calls[-1] == ("emit", "rate_limited", {}, "socket-1")
    assert caplog.messages == ["socket.io connection over its message rate: message dropped"]
    asyncio.run(handlers["disconnect"]("socket-1"))
    asyncio.run(handlers["user_uttered"]("socket-1", {"message": "hola"}))  # no session any more
    assert len(recorder.messages) == 2
    asyncio.run(handlers["session_request"]("socket-1", {"session_id": SID}))
    asyncio.run(handlers["user_uttered"]("socket-1", {"message": "hola"}))  # a full bucket again
    assert len(recorder.messages) == 3


def test_custom_json_is_emitted_as_the_bot_messages_data() -> None:
    emitted: list[tuple[Any, ...]] = []

    class Server:
        async def emit(self, event: str, data: Any, room: str) -> None:
            emitted.append((event, data, room))

    asyncio.run(WebChatOutput(Server(), "bot_uttered").send_custom_json(SID, {"clear_transcript": True}))
    assert emitted == [("bot_uttered", {"clear_transcript": True}, SID)]


def test_the_health_check_answers_ok(monkeypatch: pytest.MonkeyPatch) -> None:
    channel = WebChatInput()
    blueprint = channel.blueprint(Recorder().on_new_message)
    [health] = [route.handler for route in blueprint._future_routes if route.uri == "/"
                and tuple(route.methods or ()) == ("GET",)]
    answer = asyncio.run(cast(Any, health)(None))
    assert (answer.status, json.loads(answer.body)) == (200, {"status": "ok"})


def test_the_event_names_namespace_path_and_metadata_key_come_from_credentials_yml(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = WebChatInput.from_credentials({"user_message_evt": "said", "bot_message_evt": "answered",
                                             "namespace": "/chat", "socketio_path": "/ws", "metadata_key": "meta"})
    assert (channel.user_message_evt, channel.bot_message_evt, channel.namespace, channel.socketio_path,
            channel.metadata_key) == ("said", "answered", "/chat", "/ws", "meta")
    recorder = Recorder()
    channel.blueprint(recorder.on_new_message)
    assert set(channel.sio.handlers) == {"/chat"}
    assert set(channel.sio.handlers["/chat"]) == {"disconnect", "session_request", "said"}
