"""The production profile on the real services of this machine: two Rasa servers sharing PostgreSQL
(tracker store) and Redis (lock store), events published to RabbitMQ and counted by the analytics
consumer.

Skipped, with the reason printed, where PostgreSQL, Redis or RabbitMQ is not listening on loopback.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator

import aio_pika
import pytest

from analytics.counts import event_store
from channels.rest import conversation_id
from tests.cluster import Cluster, running_cluster, say
from tools.stack import HOST, ROOT


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("production"), [15105, 15106], 15155) as running:
        yield running


def test_a_conversation_alternating_between_two_servers_is_stored_complete_and_in_order(cluster: Cluster) -> None:
    sender = f"prod-{uuid.uuid4().hex}"
    texts = ["hola", "como pido asilo", "y cuanto tiempo tengo", "que hace la comar", "dame su telefono", "gracias"]
    for number, text in enumerate(texts):
        assert say(cluster.urls[number % 2], sender, text), text
    assert cluster.stored_user_texts(sender) == texts
    timestamps = [data["timestamp"] for _, data in cluster.stored_events(sender)]
    assert timestamps == sorted(timestamps)


async def _published_while(cluster: Cluster, send: object) -> list[dict]:
    """Every event published while `send()` runs, read from a queue of our own on Rasa's exchange."""
    connection = await aio_pika.connect_robust(f"amqp://guest:guest@{HOST}:5672/")
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(cluster.env["RABBITMQ_EXCHANGE"], aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(exchange, "")
        await asyncio.to_thread(send)  # type: ignore[arg-type]
        await asyncio.sleep(1)
        found = []
        while (message := await queue.get(no_ack=True, fail=False)) is not None:
            found.append(json.loads(message.body))
        return found


def test_events_reach_rabbitmq_without_personal_data(cluster: Cluster) -> None:
    sender = f"prod-{uuid.uuid4().hex}"
    published = asyncio.run(_published_while(
        cluster, lambda: say(cluster.urls[0], sender, "mi telefono es 55 1234 5678 y quiero pedir asilo")
    ))
    events = [e for e in published if e.get("sender_id") == conversation_id(sender)]
    assert any(e.get("event") == "user" for e in events), events
    assert "1234 5678" not in json.dumps(events)


def test_the_analytics_consumer_counts_topics_feedback_and_handoffs_without_text(cluster: Cluster) -> None:
    sender = f"prod-{uuid.uuid4().hex}"
    for text in ["quiero pedir asilo, me llamo Rosa Quintanilla", "/feedback_good", "how do i ask for asylum",
                 "quiero hablar con una persona"]:
        say(cluster.urls[1], sender, text)
    subprocess.run([sys.executable, "-m", "analytics.consumer", "--until-idle", "3"], cwd=ROOT, env=cluster.env,
                   check=True, timeout=120)
    database = cluster.workdir / "analytics.sqlite"
    totals = {(metric, value): count for metric, value, count in event_store(database).totals("metric", "value")}
    assert totals[("conversations", "started")] >= 1
    assert totals[("messages", "user")] >= 4
    assert totals[("topic", "asylum")] >= 1
    assert totals[("feedback", "good")] >= 1
    assert totals[("language", "en")] >= 1
    assert totals[("handoff", "asked")] >= 1
    raw = database.read_bytes()
    assert b"Rosa" not in raw and b"Quintanilla" not in raw and sender.encode() not in raw
