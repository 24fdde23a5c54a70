"""SQL tracker store that never stores personal data and forgets a conversation on request.

Configured in endpoints.yml (`type: privacy.tracker_store.PrivateSQLTrackerStore`); works with
SQLite (the embedded default) and PostgreSQL alike.

* Channels redact a message before anything else sees it (channels.inbound); here, as a second layer,
  user texts are redacted again (privacy.redaction), the token offsets are dropped and message metadata
  is cut down to the keys in ALLOWED_METADATA before events are stored or streamed to an event broker.
* When a conversation contains `action_delete_my_data` (confirmed "borra mis datos"), every stored
  event of that sender is deleted and nothing of that turn is kept. The action itself deletes first
  and tells the person whether it worked (privacy.deletion); this is the backstop.
* Conversations whose last event is older than RETENTION_DAYS are deleted at most once an hour, in the
  background of a save (and by `make purge`), so the privacy notice's promise holds without a cron job.
* A database error never stops the process: Rasa 3.6's `session_scope` turns any ValueError (an
  unencodable sender id, for one) into `sys.exit`; here it is an ordinary error of that one message.
* While the database is down, a conversation keeps its thread: the last saved state of the most recent
  conversations (redacted, at most MAX_KEPT) is kept in memory and served by `retrieve` when the
  database fails; a save that fails updates it, and the next save that works writes the missing events.
  Rasa's own fallback (FailSafeTrackerStore) would start every message of the outage as a new
  conversation (so a "yes" to "delete everything?" would be lost) and publish every event again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Generator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, ensure_schema_exists
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from common.settings import load_settings, project_path
from privacy.redaction import redact

logger = logging.getLogger(__name__)

DELETE_ACTION = "action_delete_my_data"
ALLOWED_METADATA = ("language",)
SECONDS_PER_DAY = 86_400
PURGE_INTERVAL_S = 3_600
MAX_KEPT = 2_000


def _safe_metadata(metadata: Any) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        return {}
    return {k: metadata[k] for k in ALLOWED_METADATA if isinstance(metadata.get(k), str)}


def redact_user_event(data: dict[str, Any]) -> dict[str, Any]:
    """A user event (as a dict) as it may be stored or published: text redacted, token offsets dropped
    (they show the shape of what was redacted), metadata trimmed. Other events are returned as they are."""
    if data.get("event") != "user":
        return data
    data = dict(data)
    data["text"] = redact(data.get("text") or "")
    parse_data = dict(data.get("parse_data") or {})
    parse_data["text"] = data["text"]
    parse_data.pop("text_tokens", None)
    parse_data["metadata"] = _safe_metadata(parse_data.get("metadata"))
    data["parse_data"] = parse_data
    data["metadata"] = _safe_metadata(data.get("metadata"))
    return data


def redact_event(event: Event) -> Event:
    """The event as it may be stored: user text redacted, metadata trimmed."""
    if isinstance(event, UserUttered):
        return Event.from_parameters(redact_user_event(event.as_dict()))
    if isinstance(event, SlotSet) and event.key == "session_started_metadata":
        return SlotSet(event.key, _safe_metadata(event.value), timestamp=event.timestamp)
    return event


def asked_for_deletion(tracker: DialogueStateTracker) -> bool:
    return any(isinstance(e, ActionExecuted) and e.action_name == DELETE_ACTION for e in tracker.events)


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with redaction, deletion on request and retention."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # A relative SQLite path is relative to the project, not to the current directory (so that
        # `tools/purge.py` run from elsewhere finds the same database as the running assistant).
        if kwargs.get("dialect", "sqlite") == "sqlite" and kwargs.get("db"):
            kwargs["db"] = str(project_path(kwargs["db"]))
        super().__init__(*args, **kwargs)
        # Test each pooled connection before use, so a database restart costs a reconnect, not a failed
        # message (Rasa's engine has no pre-ping).
        rasa_engine: sa.engine.Engine = self.engine  # type: ignore[has-type]
        url = rasa_engine.url
        rasa_engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.retention_days = load_settings().retention_days
        self._last_purge = 0.0
        self._kept: OrderedDict[str, DialogueStateTracker] = OrderedDict()  # last saved, most recent last

    @contextlib.contextmanager
    def session_scope(self) -> Generator[sa.orm.Session, None, None]:
        """Rasa's session scope without its `sys.exit` on any ValueError: the error stays with the message."""
        session = self.sessionmaker()
        try:
            ensure_schema_exists(session)
            yield session
        finally:
            session.close()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The stored conversation; while the database is down, its last saved state kept in memory."""
        try:
            return await super().retrieve(sender_id)
        except sa.exc.SQLAlchemyError:
            kept = self._kept.get(sender_id)
            if kept is None:
                raise
            return self._copy(kept, kept.events)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if asked_for_deletion(tracker):
            self._kept.pop(tracker.sender_id, None)
            try:
                deleted = self.delete(tracker.sender_id)
            except sa.exc.SQLAlchemyError as error:  # the action has told the person it failed
                logger.error("A conversation could not be deleted on request: %s", type(error).__name__)
                return
            logger.info("Deleted a conversation on request (%d events)", deleted)
            return
        redacted = self._copy(tracker, [redact_event(e) for e in tracker.events])
        try:
            # Streams the events that are new since the last save (compared with `retrieve`, so the copy
            # kept in memory is updated only afterwards), then writes them.
            await super().save(redacted)
        except sa.exc.SQLAlchemyError as error:
            logger.error("Could not save a conversation (%s): kept in memory until the database is back",
                         type(error).__name__)
            return
        finally:
            self._keep(redacted)
        self._purge_now_and_then()

    def _keep(self, tracker: DialogueStateTracker) -> None:
        self._kept[tracker.sender_id] = tracker
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > MAX_KEPT:
            self._kept.popitem(last=False)

    def _copy(self, tracker: DialogueStateTracker, events: list[Event]) -> DialogueStateTracker:
        return DialogueStateTracker.from_events(
            tracker.sender_id,
            events,
            slots=self.domain.slots if self.domain else None,
            max_event_history=tracker._max_event_history,
        )

    def delete(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; return how many."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return int(deleted)

    def purge_older_than(self, days: float, now: float | None = None) -> int:
        """Delete conversations whose newest event is older than `days`; return how many."""
        cutoff = (now or time.time()) - days * SECONDS_PER_DAY
        with self.session_scope() as session:
            newest = sa.func.max(self.SQLEvent.timestamp)
            senders = session.query(self.SQLEvent.sender_id).group_by(self.SQLEvent.sender_id)
            stale = [row[0] for row in senders.having(newest < cutoff)]
            for sender_id in stale:
                session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return len(stale)

    def _purge_now_and_then(self) -> None:
        """Start a retention purge in a worker thread if the last one is older than PURGE_INTERVAL_S."""
        now = time.monotonic()
        if self._last_purge and now - self._last_purge < PURGE_INTERVAL_S:
            return
        self._last_purge = now
        task = asyncio.get_running_loop().run_in_executor(None, self.purge_older_than, self.retention_days)
        task.add_done_callback(_log_purge)


def _log_purge(task: asyncio.Future[int]) -> None:
    if task.exception() is not None:
        logger.error("Retention purge failed: %s", type(task.exception()).__name__)
    elif task.result():
        logger.info("Retention purge: deleted %d conversation(s)", task.result())
