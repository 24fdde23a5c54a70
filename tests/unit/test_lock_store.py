"""The Redis lock store of the production profile: a message queued behind a crashed server's ticket is
served once that ticket expires (in Rasa 3.6's own store it hangs: its own ticket expires too).

Uses this machine's Redis (database 15); skipped, with the reason printed, where Redis is not listening.
"""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest
from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from storage.lock_store import RenewingRedisLockStore
from tests.services import unavailable

LIFETIME_S = 1.0


@pytest.fixture(autouse=True)
def redis_running(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            unavailable("LOCK STORE NOT TESTED: Redis not listening on 127.0.0.1:6379")
    monkeypatch.setattr(rasa_lock_store, "LOCK_LIFETIME", LIFETIME_S)


async def _next_message_after_a_crash(store: RedisLockStore) -> bool:
    """A dead server's ticket, then a live message for the same conversation: is it served in time?"""
    conversation = f"test-{uuid.uuid4().hex}"
    store.issue_ticket(conversation, LIFETIME_S)  # the server that held it was killed: never finished

    async def next_message() -> None:
        async with store.lock(conversation, lock_lifetime=LIFETIME_S, wait_time_in_seconds=0.1):
            pass

    try:
        await asyncio.wait_for(next_message(), timeout=LIFETIME_S * 5)
        return True
    except asyncio.TimeoutError:
        return False
    finally:
        store.delete_lock(conversation)


def test_a_message_waiting_behind_a_dead_server_is_served_when_its_ticket_expires() -> None:
    store = RenewingRedisLockStore(host="127.0.0.1", port=6379, db=15, key_prefix="unittest")
    assert asyncio.run(_next_message_after_a_crash(store))


def test_rasa_s_own_redis_lock_store_hangs_in_that_case() -> None:
    """Why storage/lock_store.py exists; if a Rasa upgrade fixes this, the subclass can go."""
    store = RedisLockStore(host="127.0.0.1", port=6379, db=15, key_prefix="unittest")
    assert not asyncio.run(_next_message_after_a_crash(store))


def test_it_is_configured_like_rasa_s_redis_store() -> None:
    config = EndpointConfig(url="127.0.0.1", type="storage.lock_store.RenewingRedisLockStore",
                            port=6379, db=15, key_prefix="unittest")
    store = rasa_lock_store.LockStore.create(config)
    assert isinstance(store, RenewingRedisLockStore)
    assert store.key_prefix == "unittest:lock:"
