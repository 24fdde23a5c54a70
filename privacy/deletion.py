"""Delete one conversation from the tracker store, for the action server ("borra mis datos").

The action server runs the deletion itself, before the assistant says anything, so the reply can say
what really happened: deleted, or not deleted because the database did not answer (then nothing is
confirmed and the person is told to try again). The tracker store (privacy.tracker_store) deletes once
more when it saves that turn, and stores nothing of it.

The database is the one in the endpoints file Rasa runs with (ENDPOINTS_FILE, set by tools/serve.py):
`${VAR}` references are read from the environment, as Rasa does. Only SQLAlchemy is used here, not Rasa
(the action server's image has rasa-sdk, not Rasa).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from common.settings import project_path

logger = logging.getLogger(__name__)

EVENTS_TABLE = "events"  # rasa.core.tracker_store.SQLTrackerStore.SQLEvent.__tablename__
CONNECT_TIMEOUT_S = 5
_ENV_REFERENCE = re.compile(r"\$\{([^}]+)\}")


class DeletionError(Exception):
    """The conversation could not be deleted (database unreachable, or not a SQL tracker store)."""


def _expand(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return _ENV_REFERENCE.sub(lambda match: os.environ.get(match.group(1), ""), value)


def database_url(endpoints_file: Path) -> sa.engine.URL:
    """The SQLAlchemy URL of the tracker store in `endpoints_file` (as Rasa's SQLTrackerStore builds it)."""
    config = yaml.safe_load(endpoints_file.read_text(encoding="utf-8")) or {}
    store = {key: _expand(value) for key, value in (config.get("tracker_store") or {}).items()}
    if not str(store.get("type", "")).endswith("PrivateSQLTrackerStore"):
        raise DeletionError(f"{endpoints_file.name}: the tracker store is not PrivateSQLTrackerStore")
    dialect = store.get("dialect") or "sqlite"
    if dialect == "sqlite":
        return sa.engine.URL.create("sqlite", database=str(project_path(store.get("db") or "rasa.db")))
    port = store.get("port")
    return sa.engine.URL.create(
        dialect,
        username=store.get("username") or None,
        password=store.get("password") or None,
        host=store.get("url") or None,
        port=int(port) if port not in (None, "") else None,
        database=store.get("db") or None,
    )


def delete_conversation(sender_id: str, endpoints_file: Path) -> int:
    """Delete every stored event of `sender_id` and check that none is left; return how many were deleted."""
    try:
        url = database_url(endpoints_file)
        timeout = "timeout" if url.drivername == "sqlite" else "connect_timeout"
        connect_args = {timeout: CONNECT_TIMEOUT_S}
        engine = sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
    except (OSError, ValueError, yaml.YAMLError, sa.exc.SQLAlchemyError) as error:
        raise DeletionError(type(error).__name__) from error
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table(EVENTS_TABLE):
                return 0  # nothing was ever stored
            deleted = connection.execute(
                sa.text(f"DELETE FROM {EVENTS_TABLE} WHERE sender_id = :sender"), {"sender": sender_id}
            ).rowcount
        with engine.connect() as connection:
            left = connection.execute(
                sa.text(f"SELECT count(*) FROM {EVENTS_TABLE} WHERE sender_id = :sender"), {"sender": sender_id}
            ).scalar()
    except sa.exc.SQLAlchemyError as error:
        raise DeletionError(type(error).__name__) from error
    finally:
        engine.dispose()
    if left:
        raise DeletionError(f"{left} events left")
    return int(deleted or 0)
