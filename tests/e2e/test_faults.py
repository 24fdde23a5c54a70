"""Faults on the production profile, on the real services of this machine: a Rasa server killed, the
action server stopped, PostgreSQL restarted, and a burst of concurrent conversations.

"Acknowledged" means the REST channel answered 200: such a message must be in the stored conversation,
in order, whatever fails afterwards. Skipped, with the reason printed, where PostgreSQL, Redis or
RabbitMQ is not listening on loopback; the PostgreSQL restart also needs `pg_ctlcluster` and root.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
import requests

from tests.cluster import Cluster, running_cluster, say, text_of
from tests.services import unavailable

# A dead server's ticket lock on a conversation expires after this many seconds (Rasa's default is 60).
LOCK_LIFETIME_S = 10


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running_cluster(
        tmp_path_factory.mktemp("faults"), [15205, 15206], 15255, {"TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_S)}
    ) as running:
        yield running


def new_sender() -> str:
    return f"fault-{uuid.uuid4().hex}"


def test_killing_a_server_mid_conversation_loses_nothing_acknowledged(cluster: Cluster) -> None:
    sender = new_sender()
    acknowledged = []
    for text in ["hola", "como pido asilo", "que hace la comar"]:
        say(cluster.urls[0], sender, text)
        acknowledged.append(text)

    # A message in flight when the server dies: it may or may not have been stored, but was not acknowledged.
    in_flight = threading.Thread(target=_send_ignoring_errors, args=(cluster.urls[0], sender))
    in_flight.start()
    time.sleep(0.05)
    cluster.stop("rasa0", signal.SIGKILL)
    in_flight.join()

    # The other server carries on (once the dead server's lock on this conversation has expired).
    for text in ["y de la cndh", "gracias"]:
        assert text_of(say(cluster.urls[1], sender, text, timeout=LOCK_LIFETIME_S * 6)), text
        acknowledged.append(text)

    stored = [t for t in cluster.stored_user_texts(sender) if t != "dame el telefono de la comar"]
    assert stored == acknowledged
    cluster.start("rasa0")
    assert text_of(say(cluster.urls[0], sender, "hola otra vez"))


def _send_ignoring_errors(url: str, sender: str) -> None:
    with contextlib.suppress(requests.RequestException):
        say(url, sender, "dame el telefono de la comar", 30)


def test_with_the_action_server_down_the_reply_says_so_with_the_emergency_number(cluster: Cluster) -> None:
    spanish, english = new_sender(), new_sender()
    say(cluster.urls[0], spanish, "hola")
    say(cluster.urls[0], english, "hello, i need help")
    cluster.stop("actions")
    try:
        reply = text_of(say(cluster.urls[0], spanish, "dame el telefono de la comar"))
        assert "no está disponible" in reply, reply
        assert "911" in reply, reply  # the national emergency number
        assert "CNDH" in reply and "800 715 2000" in reply, reply  # lines answered by people
        assert "COMAR" not in reply, reply  # no stale or half-filled lookup

        danger = text_of(say(cluster.urls[1], spanish, "nos estan persiguiendo unos hombres armados, ayuda"))
        assert "911" in danger and "089" in danger, danger

        # The language is detected by the action server: without it, the conversation keeps its language.
        offices = text_of(say(cluster.urls[1], english, "what offices does comar have in tapachula"))
        assert "temporarily unavailable" in offices and "911" in offices, offices
        assert "Complaints" in offices, offices  # the lines answered by people, in English
    finally:
        cluster.start("actions")
    after = text_of(say(cluster.urls[0], spanish, "dame el telefono de la comar"))
    assert "COMAR" in after or "Comisión Mexicana" in after, after
    assert "no está disponible" not in after, after


def _postgres_cluster() -> tuple[str, str] | None:
    if shutil.which("pg_ctlcluster") is None or os.geteuid() != 0 or not Path("/etc/postgresql").is_dir():
        return None
    for version in sorted(os.listdir("/etc/postgresql")):
        if (Path("/etc/postgresql") / version / "main").is_dir():
            return version, "main"
    return None


def test_restarting_postgresql_mid_conversation_loses_nothing_acknowledged(cluster: Cluster) -> None:
    found = _postgres_cluster()
    if found is None:
        unavailable("POSTGRESQL RESTART NOT TESTED: needs pg_ctlcluster, /etc/postgresql and root")
    sender = new_sender()
    acknowledged = []
    for text in ["hola", "como pido asilo"]:
        say(cluster.urls[0], sender, text)
        acknowledged.append(text)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *found, "restart"], check=True, timeout=120)
    for number, text in enumerate(["que hace la comar", "dame su telefono", "gracias"]):
        assert text_of(say(cluster.urls[number % 2], sender, text)), text
        acknowledged.append(text)
    assert cluster.stored_user_texts(sender) == acknowledged


CONVERSATIONS = 50
MESSAGES = 20
SCRIPT = ["hola", "como pido asilo", "cuanto tiempo tengo", "que hace la comar", "dame su telefono",
          "oficinas de la comar en tapachula", "me pueden deportar", "mi hijo viaja solo", "gracias",
          "que es la comision"]


async def _conversation(session: aiohttp.ClientSession, urls: list[str], sender: str) -> list[str]:
    errors = []
    for number in range(MESSAGES):
        text = f"{SCRIPT[number % len(SCRIPT)]} {number}"
        url = urls[number % len(urls)]
        try:
            async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as r:
                if r.status != 200 or not await r.json():
                    errors.append(f"{sender} #{number}: HTTP {r.status}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            errors.append(f"{sender} #{number}: {type(error).__name__}")
    return errors


async def _burst(urls: list[str], senders: list[str]) -> list[str]:
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        results = await asyncio.gather(*(_conversation(session, urls, s) for s in senders))
    return [error for errors in results for error in errors]


def test_fifty_concurrent_conversations_of_twenty_messages_all_stored(cluster: Cluster) -> None:
    senders = [new_sender() for _ in range(CONVERSATIONS)]
    errors = asyncio.run(_burst(cluster.urls, senders))
    assert errors == []
    for sender in senders:
        stored = cluster.stored_user_texts(sender)
        assert stored == [f"{SCRIPT[n % len(SCRIPT)]} {n}" for n in range(MESSAGES)], sender
