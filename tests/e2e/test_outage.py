"""A database outage on the production profile, on this machine's real PostgreSQL and RabbitMQ: the
database refuses connections (ALTER DATABASE ... ALLOW_CONNECTIONS false) while people keep writing.

Rasa's fail-safe wrapper used to fall back to an in-memory store that published raw personal data to the
broker, and "borra mis datos" answered that the conversation was deleted while its events were still in
the database after recovery. Skipped, with the reason printed, where the services are not listening.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Iterator

import aio_pika
import pytest
import sqlalchemy as sa

from tests.cluster import ADMIN_URL, Cluster, running_cluster, say, text_of
from tools.stack import HOST

SECRETS = ("5512345678", "GOAM850101MCSRRR09", "ana.perez", "example.org")
PERSONAL = "mi tel 5512345678 y CURP GOAM850101MCSRRR09, correo ana.perez@example.org, quiero pedir asilo"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("outage"), [15305], 15355) as running:
        yield running


@contextlib.contextmanager
def database_refusing_connections(cluster: Cluster) -> Iterator[None]:
    database = cluster.env["POSTGRES_DB"]
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")

    def allow(allowed: bool) -> None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}'))
            if not allowed:
                connection.execute(sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": database})

    allow(False)
    try:
        yield
    finally:
        allow(True)
        admin.dispose()


async def _drain(queue_name: str) -> list[dict]:
    connection = await aio_pika.connect_robust(f"amqp://guest:guest@{HOST}:5672/")
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, passive=True)
        found = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            found.append(json.loads(message.body))
        return found


def test_an_outage_publishes_no_personal_data_and_fakes_no_deletion(cluster: Cluster) -> None:
    url = cluster.urls[0]
    sender = f"outage-{uuid.uuid4().hex}"
    assert "COMAR" in text_of(say(url, sender, "hola, como pido asilo"))
    with database_refusing_connections(cluster):
        assert text_of(say(url, sender, PERSONAL)), "no answer during the outage"
        assert "¿Quieres que borre" in text_of(say(url, sender, "borra mis datos"))  # the thread is kept
        reply = text_of(say(url, sender, "/affirm"))
        assert "No pude borrar" in reply and "borré" not in reply, reply
    stored = cluster.stored_user_texts(sender)
    assert "hola, como pido asilo" in stored  # not deleted: the reply said so

    # Once the database is back the conversation goes on from what was stored; the turns of the outage,
    # which ended in a request to delete, are not written; and deletion works.
    say(url, sender, "gracias")
    assert cluster.stored_user_texts(sender) == ["hola, como pido asilo", "gracias"]
    assert "¿Quieres que borre" in text_of(say(url, sender, "borra mis datos"))
    assert "borré esta conversación" in text_of(say(url, sender, "/affirm"))
    assert cluster.stored_events(sender) == []

    published = [e for e in asyncio.run(_drain(cluster.queue)) if e.get("sender_id", "").endswith(sender)]
    assert any(e.get("event") == "user" and "[telefono]" in e.get("text", "") for e in published), published
    text = json.dumps(published)
    assert not any(secret in text for secret in SECRETS), [s for s in SECRETS if s in text]
    assert "text_tokens" not in text
