"""Rasa's Redis lock store with one fix: a message waiting for its turn keeps its own ticket alive.

Rasa serialises the messages of one conversation with a ticket lock kept in Redis; every ticket expires
after TICKET_LOCK_LIFETIME seconds (60 by default) so that a server that dies while holding one cannot
block the conversation for ever. In Rasa 3.6 the ticket of a message *waiting* behind a dead server's
ticket expires at about the same moment as the dead one: the queue ends up empty, Rasa then considers
the waiting message never served, and it hangs until the HTTP timeout (found by
tests/e2e/test_faults.py::test_killing_a_server_mid_conversation_loses_nothing_acknowledged). Here every
retry renews the waiting ticket, atomically (Redis WATCH), so only a dead server's ticket runs out.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import redis
from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)


class RenewingRedisLockStore(RedisLockStore):
    """`type: storage.lock_store.RenewingRedisLockStore` in endpoints.production.yml (same settings as
    Rasa's `type: redis`)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    async def _acquire_lock(self, conversation_id: str, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.renew(conversation_id, ticket)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def renew(self, conversation_id: str, ticket: int) -> None:
        """Push back the expiry of `ticket` and drop expired tickets, without losing a concurrent write."""
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    if not raw:
                        return
                    lock = TicketLock.from_dict(_json(raw))
                    for waiting in lock.tickets:
                        if waiting.number == ticket:
                            waiting.expires = time.time() + rasa_lock_store.LOCK_LIFETIME
                    lock.remove_expired_tickets()
                    pipe.multi()
                    pipe.set(key, lock.dumps())
                    pipe.execute()
                    return
                except redis.WatchError:
                    logger.debug("Lock changed while renewing a ticket; retrying")


def _json(raw: bytes | str) -> dict[str, Any]:
    data = json.loads(raw)
    return data if isinstance(data, dict) else {}
