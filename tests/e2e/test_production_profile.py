"""The production profile on the real services of this machine: two Rasa servers sharing PostgreSQL
(tracker store) and Redis (lock store), events published to RabbitMQ.

Skipped, with the reason printed, where PostgreSQL, Redis or RabbitMQ is not listening on loopback.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import aio_pika
import pytest
import requests
import sqlalchemy as sa

from tests.servers import HOST, MODEL, ROOT, wait_until_up

SERVICES = {"PostgreSQL": 5432, "Redis": 6379, "RabbitMQ": 5672}


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


class Cluster:
    def __init__(self, urls: list[str], database_url: str, queue: str) -> None:
        self.urls = urls
        self.database_url = database_url
        self.queue = queue


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    missing = [name for name, port in SERVICES.items() if not listening(port)]
    if missing:
        pytest.skip(f"PRODUCTION PROFILE NOT TESTED: {', '.join(missing)} not listening on {HOST}")
    workdir = tmp_path_factory.mktemp("production")
    database = f"rasa_e2e_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(f"postgresql://postgres@{HOST}:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    queue = f"rasa_e2e_{uuid.uuid4().hex[:8]}"
    action_port, rasa_ports = 15155, [15105, 15106]
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "INFO",
        "ACTION_HOST": HOST, "ACTION_PORT": str(action_port), "ACTION_SERVER_TOKEN": "",
        "ACTION_SERVER_URL": f"http://{HOST}:{action_port}/webhook",
        "POSTGRES_HOST": HOST, "POSTGRES_PORT": "5432", "POSTGRES_DB": database,
        "POSTGRES_USER": "postgres", "POSTGRES_PASSWORD": "",
        "REDIS_HOST": HOST, "REDIS_PORT": "6379", "REDIS_DB": "15", "REDIS_KEY_PREFIX": queue,
        "RABBITMQ_HOST": HOST, "RABBITMQ_PORT": "5672", "RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "guest",
        "RABBITMQ_QUEUE": queue, "FEEDBACK_DB": str(workdir / "feedback.sqlite"),
    }
    bin_dir = Path(sys.executable).parent
    commands = [[str(bin_dir / "python"), "-m", "actions.server"]] + [
        [str(bin_dir / "rasa"), "run", "--model", str(MODEL), "--interface", HOST, "--port", str(port),
         "--endpoints", str(ROOT / "endpoints.production.yml"), "--credentials", str(ROOT / "credentials.yml")]
        for port in rasa_ports
    ]
    logs = [workdir / f"process{i}.log" for i in range(len(commands))]
    processes = [subprocess.Popen(c, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
                 for c, log in zip(commands, logs, strict=True)]
    try:
        wait_until_up(f"http://{HOST}:{action_port}/health", processes, logs)
        urls = [f"http://{HOST}:{port}" for port in rasa_ports]
        for url in urls:
            wait_until_up(f"{url}/", processes, logs)
        yield Cluster(urls, f"postgresql://postgres@{HOST}:5432/{database}", queue)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def say(url: str, sender: str, text: str) -> list[dict]:
    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    reply.raise_for_status()
    return list(reply.json())


def test_a_conversation_alternating_between_two_servers_is_stored_complete_and_in_order(cluster: Cluster) -> None:
    sender = f"prod-{uuid.uuid4().hex}"
    texts = ["hola", "como pido asilo", "y cuanto tiempo tengo", "que hace la comar", "dame su telefono", "gracias"]
    for number, text in enumerate(texts):
        assert say(cluster.urls[number % 2], sender, text), text
    engine = sa.create_engine(cluster.database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT type_name, data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
        ).fetchall()
    user_texts = [json.loads(data)["text"] for kind, data in rows if kind == "user"]
    assert user_texts == texts
    timestamps = [json.loads(data)["timestamp"] for _, data in rows]
    assert timestamps == sorted(timestamps)


async def _drain(queue_name: str) -> list[dict]:
    connection = await aio_pika.connect_robust(f"amqp://guest:guest@{HOST}:5672/")
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        found = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            found.append(json.loads(message.body))
        return found


def test_events_reach_rabbitmq_without_personal_data(cluster: Cluster) -> None:
    sender = f"prod-{uuid.uuid4().hex}"
    say(cluster.urls[0], sender, "mi telefono es 55 1234 5678 y quiero pedir asilo")
    events = [e for e in asyncio.run(_drain(cluster.queue)) if e.get("sender_id") == sender]
    assert any(e.get("event") == "user" for e in events), events
    assert "1234 5678" not in json.dumps(events)
