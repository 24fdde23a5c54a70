"""SQL tracker store that never stores personal data and forgets a conversation on request.

Configured in endpoints.yml (`type: privacy.tracker_store.PrivateSQLTrackerStore`); works with
SQLite (the embedded default) and PostgreSQL alike.

* Before events are stored or streamed to an event broker, user texts are redacted
  (privacy.redaction) and message metadata is cut down to the keys in ALLOWED_METADATA.
* When a conversation contains `action_delete_my_data` ("borra mis datos"), every stored event of
  that sender is deleted and nothing of that turn is kept.
* `purge_older_than(days)` deletes conversations whose last event is older than the retention
  period (`make purge`, RETENTION_DAYS).
"""

from __future__ import annotations

import logging
import time
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.redaction import redact

logger = logging.getLogger(__name__)

DELETE_ACTION = "action_delete_my_data"
ALLOWED_METADATA = ("language",)
SECONDS_PER_DAY = 86_400


def _safe_metadata(metadata: Any) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        return {}
    return {k: metadata[k] for k in ALLOWED_METADATA if isinstance(metadata.get(k), str)}


def redact_event(event: Event) -> Event:
    """The event as it may be stored: user text redacted, metadata trimmed."""
    if isinstance(event, UserUttered):
        data = event.as_dict()
        data["text"] = redact(data.get("text") or "")
        parse_data = dict(data.get("parse_data") or {})
        parse_data["text"] = data["text"]
        parse_data["metadata"] = _safe_metadata(parse_data.get("metadata"))
        data["parse_data"] = parse_data
        data["metadata"] = _safe_metadata(data.get("metadata"))
        return Event.from_parameters(data)
    if isinstance(event, SlotSet) and event.key == "session_started_metadata":
        return SlotSet(event.key, _safe_metadata(event.value), timestamp=event.timestamp)
    return event


def asked_for_deletion(tracker: DialogueStateTracker) -> bool:
    return any(isinstance(e, ActionExecuted) and e.action_name == DELETE_ACTION for e in tracker.events)


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore with redaction, deletion on request and retention."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Test each pooled connection before use, so a database restart costs a reconnect, not a failed
        # message (Rasa's engine has no pre-ping).
        rasa_engine: sa.engine.Engine = self.engine  # type: ignore[has-type]
        url = rasa_engine.url
        rasa_engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        if asked_for_deletion(tracker):
            deleted = self.delete(tracker.sender_id)
            logger.info("Deleted a conversation on request (%d events)", deleted)
            return
        redacted = DialogueStateTracker.from_events(
            tracker.sender_id,
            [redact_event(e) for e in tracker.events],
            slots=self.domain.slots if self.domain else None,
            max_event_history=tracker._max_event_history,
        )
        await super().save(redacted)

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
