"""Consume Rasa's events from RabbitMQ and keep anonymous counts (`python -m analytics.consumer`).

Rasa (production profile) publishes every event to a fanout exchange and declares RABBITMQ_QUEUE bound to
it; this process reads that queue. A message is acknowledged only after its counts are committed, so a
crash can count an event twice but never loses one. `--until-idle N` stops after N quiet seconds (for
batch runs and tests).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

from analytics.counts import day_of, event_store, keys_for
from common.counts import CountStore
from common.settings import Settings, load_settings

logger = logging.getLogger(__name__)


def handle(store: CountStore, body: bytes) -> int:
    """Count one broker message; returns how many counts it added (0 for unusable messages)."""
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        logger.warning("Skipped a message that is not JSON (%d bytes)", len(body))
        return 0
    if not isinstance(event, dict):
        return 0
    keys = keys_for(event)
    day = day_of(event)
    store.add((day, metric, value) for metric, value in keys)
    return len(keys)


async def consume(settings: Settings, until_idle: float | None = None) -> int:
    """Run until stopped (or until `until_idle` seconds pass without a message); returns messages handled."""
    store = event_store(settings.analytics_db)
    handled = 0
    last_message = asyncio.get_running_loop().time()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)

    connection = await aio_pika.connect_robust(settings.rabbitmq_url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=100)
        exchange = await channel.declare_exchange(settings.rabbitmq_exchange, aio_pika.ExchangeType.FANOUT)
        queue = await channel.declare_queue(settings.rabbitmq_queue, durable=True)
        await queue.bind(exchange, "")

        async def on_message(message: AbstractIncomingMessage) -> None:
            nonlocal handled, last_message
            async with message.process(requeue=True):
                handle(store, message.body)
            handled += 1
            last_message = asyncio.get_running_loop().time()

        await queue.consume(on_message)
        logger.info("Counting events from queue %s into %s", settings.rabbitmq_queue, settings.analytics_db)
        while not stop.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=0.5)
            if until_idle is not None and asyncio.get_running_loop().time() - last_message > until_idle:
                break
    logger.info("Stopped after %d messages", handled)
    return handled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--until-idle", type=float, default=None, help="stop after this many quiet seconds")
    args = parser.parse_args()
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    asyncio.run(consume(settings, args.until_idle))


if __name__ == "__main__":
    main()
