"""The socket.io channel behind the web chat: allowed origins only, server-bound session ids."""

from __future__ import annotations

import asyncio
import os
import re
from typing import Any

import pytest
import requests
import socketio

from tools.stack import HOST


def web_origin() -> str:
    return f"http://{HOST}:{os.environ.get('E2E_WEB_PORT', '18080')}"


def polling_handshake(rasa_url: str, origin: str) -> int:
    response = requests.get(
        f"{rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"}, headers={"Origin": origin}, timeout=10
    )
    return response.status_code


def test_a_page_from_another_site_cannot_connect(rasa_url: str) -> None:
    assert polling_handshake(rasa_url, "http://evil.example") == 400
    assert polling_handshake(rasa_url, web_origin()) == 200


async def _session(rasa_url: str, requested: str | None, message: str | None = None) -> dict[str, Any]:
    client = socketio.AsyncClient()
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    replies: list[dict[str, Any]] = []

    def on_confirm(session_id: str) -> None:
        if not confirmed.done():
            confirmed.set_result(session_id)

    client.on("session_confirm", on_confirm)
    client.on("bot_uttered", replies.append)
    await client.connect(rasa_url, headers={"Origin": web_origin()}, transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": requested})
        session_id = await asyncio.wait_for(confirmed, 20)
        if message:
            await client.emit("user_uttered", {"message": message, "session_id": "someone-else"})
            for _ in range(100):
                if replies:
                    break
                await asyncio.sleep(0.2)
        return {"session_id": session_id, "replies": replies}
    finally:
        # abort: do not wait for the long-poll request in flight (up to the 25 s ping interval)
        await client.eio.disconnect(abort=True)


@pytest.mark.parametrize("requested", [None, "1", "whatsapp:+5215512345678", "../etc", "A" * 32])
def test_unsafe_or_missing_session_ids_are_replaced_by_a_server_issued_one(rasa_url: str, requested: Any) -> None:
    session_id = asyncio.run(_session(rasa_url, requested))["session_id"]
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)
    assert session_id != requested


def test_a_well_formed_id_resumes_its_conversation_and_messages_use_the_bound_id(rasa_url: str) -> None:
    first = asyncio.run(_session(rasa_url, None))["session_id"]
    resumed = asyncio.run(_session(rasa_url, first, message="hola"))
    assert resumed["session_id"] == first
    # The message claimed another session id; with Rasa's stock channel the reply would go to that
    # room, which this client never joined. It arrives here because the id bound to the socket wins.
    assert resumed["replies"], "no reply arrived on the bound session"
