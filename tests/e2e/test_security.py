"""What an attacker would try first, on the running stack: input no database can store, one REST call
touching someone else's web chat, deletion by accident, and a flood from one connection."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
from typing import Any

import requests
import socketio
from websockets.legacy.client import connect as websocket_connect

from tests.e2e.conftest import Conversation
from tools.stack import HOST, Stack

CONFIRMATION = "¿Quieres que borre toda esta conversación?"


def web_origin() -> str:
    return f"http://{HOST}:{os.environ.get('E2E_WEB_PORT', '18080')}"


def stored_count(stack: Stack, conversation_id: str) -> int:
    with sqlite3.connect(stack.tracker_db) as connection:
        return int(connection.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (conversation_id,)).fetchone()[0])


def stored_data(stack: Stack, conversation_id: str) -> str:
    with sqlite3.connect(stack.tracker_db) as connection:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ?", (conversation_id,))
        return "\n".join(row[0] for row in rows)


class WebChat:
    """One browser's socket.io connection, driven from a test."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient()
        self.replies: list[dict[str, Any]] = []
        self.rate_limited = 0
        self.session_id = ""

    async def open(self, rasa_url: str, requested: Any = None, transport: str = "polling") -> None:
        confirmed: asyncio.Future = asyncio.get_running_loop().create_future()

        def on_confirm(session_id: str) -> None:
            if not confirmed.done():
                confirmed.set_result(session_id)

        def on_limited(_: Any) -> None:
            self.rate_limited += 1

        self.client.on("session_confirm", on_confirm)
        self.client.on("bot_uttered", self.replies.append)
        self.client.on("rate_limited", on_limited)
        await self.client.connect(rasa_url, headers={"Origin": web_origin()}, transports=[transport])
        await self.client.emit("session_request", {"session_id": requested})
        self.session_id = await asyncio.wait_for(confirmed, 20)

    async def say(self, message: Any, metadata: Any = None, wait_for: int = 1) -> list[dict[str, Any]]:
        before = len(self.replies)
        await self.client.emit("user_uttered", {"message": message, "metadata": metadata or {"language": "es"}})
        for _ in range(150):
            if len(self.replies) >= before + wait_for:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(0.5)  # the rest of the turn's replies
        return self.replies[before:]

    async def close(self) -> None:
        await self.client.eio.disconnect(abort=True)


def test_input_no_database_can_store_never_stops_the_service(stack: Stack, rasa_url: str) -> None:
    """A lone UTF-16 surrogate as REST sender used to make Rasa exit (and tools/serve.py stop everything)."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    headers = {"Content-Type": "application/json"}
    assert requests.post(url, data=b'{"sender": "\\ud800", "message": "hola"}', headers=headers,
                         timeout=60).status_code == 400
    assert requests.post(url, data=b'{"sender": "s1", "message": "\\ud800\\udfff hola"}', headers=headers,
                         timeout=60).status_code == 200

    async def web_chat() -> list[dict[str, Any]]:
        chat = WebChat()
        await chat.open(rasa_url, requested="\ud800")  # a surrogate as the session id
        try:
            replies = await chat.say("hola \ud800 quiero pedir asilo", metadata={"language": "\udfff"})
            return replies
        finally:
            await chat.close()

    assert asyncio.run(web_chat()), "the web chat got no answer"
    assert "COMAR" in Conversation(rasa_url).say_text("como pido asilo")


def test_a_rest_call_cannot_touch_a_web_chat_conversation(stack: Stack, rasa_url: str) -> None:
    async def web_chat() -> str:
        chat = WebChat()
        await chat.open(rasa_url)
        try:
            await chat.say("hola, necesito pedir asilo")
            return chat.session_id
        finally:
            await chat.close()

    session_id = asyncio.run(web_chat())
    before = stored_count(stack, session_id)
    assert before > 0
    intruder = Conversation(rasa_url)
    intruder.sender = session_id  # claims the web chat's conversation id
    intruder.say("borra mis datos")
    intruder.say("si")
    assert stored_count(stack, session_id) == before
    assert "pedir asilo" in stored_data(stack, session_id)


def test_an_unrelated_mention_of_deleting_deletes_nothing(stack: Stack, conversation: Conversation) -> None:
    conversation.say("hola")
    for text in ["la COMAR borró mis datos del sistema", "borraron mi cita"]:
        reply = conversation.say_text(text)
        assert CONFIRMATION not in reply, text
        assert "borré" not in reply, text
    assert stored_count(stack, conversation.conversation_id) > 0


def test_a_real_request_is_confirmed_once_then_deleted(stack: Stack, conversation: Conversation) -> None:
    conversation.say("mi correo es ana.perez@example.org, quiero pedir asilo")
    asked = conversation.say("borra mis datos por favor")
    assert CONFIRMATION in asked[0]["text"]
    assert [b["payload"] for b in asked[0]["buttons"]] == ["/affirm", "/deny"]
    assert stored_count(stack, conversation.conversation_id) > 0  # nothing deleted before the yes
    assert "borré esta conversación" in conversation.say_text("/affirm")
    assert stored_count(stack, conversation.conversation_id) == 0


def test_saying_no_keeps_everything(stack: Stack, conversation: Conversation) -> None:
    conversation.say("quiero pedir asilo")
    conversation.say("borra mis datos")
    assert "no borré nada" in conversation.say_text("no")
    assert stored_count(stack, conversation.conversation_id) > 0


def test_the_web_chat_is_told_to_erase_its_copy_after_a_deletion(stack: Stack, rasa_url: str) -> None:
    async def web_chat() -> tuple[str, list[dict[str, Any]]]:
        chat = WebChat()
        await chat.open(rasa_url)
        try:
            await chat.say("quiero pedir asilo")
            await chat.say("borra mis datos")
            return chat.session_id, await chat.say("/affirm", wait_for=2)
        finally:
            await chat.close()

    session_id, replies = asyncio.run(web_chat())
    assert {"clear_transcript": True} in replies, replies
    assert any("borré esta conversación" in str(r.get("text")) for r in replies), replies
    assert stored_count(stack, session_id) == 0


async def _receive(socket: Any) -> str:
    packet = await socket.recv()
    return packet if isinstance(packet, str) else packet.decode()


async def _flood_over_one_websocket(rasa_url: str, count: int) -> tuple[str, int]:
    """Speak engine.io/socket.io over a raw websocket (the python-socketio client's websocket transport needs
    a newer aiohttp than Rasa allows): open a session, send `count` messages at once, count `rate_limited`."""
    url = rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    limited = 0
    async with websocket_connect(url, extra_headers={"Origin": web_origin()}) as socket:
        assert (await _receive(socket)).startswith("0")  # engine.io open
        await socket.send("40")  # socket.io connect
        assert (await _receive(socket)).startswith("40")
        await socket.send('42["session_request",{"session_id":null}]')
        session_id = ""
        while not session_id:
            packet = await _receive(socket)
            if packet.startswith('42["session_confirm"'):
                session_id = json.loads(packet[2:])[1]
        for number in range(count):
            await socket.send(json.dumps(["user_uttered", {"message": f"hola {number}"}]).join(["42", ""]))
        with contextlib.suppress(asyncio.TimeoutError):
            while True:
                packet = await asyncio.wait_for(_receive(socket), 5)
                if packet == "2":
                    await socket.send("3")  # engine.io ping
                limited += packet.startswith('42["rate_limited"')
    return str(session_id), limited


def test_one_connection_cannot_flood_the_assistant(stack: Stack, rasa_url: str) -> None:
    """One websocket used to send 1,000 messages in 0.02 s, each one answered."""
    session_id, limited = asyncio.run(_flood_over_one_websocket(rasa_url, 200))
    assert limited >= 150, limited
    user_messages = stored_data(stack, session_id).count('"event": "user"')
    assert 1 <= user_messages <= 10, user_messages
    assert "COMAR" in Conversation(rasa_url).say_text("como pido asilo")  # everyone else is still served
