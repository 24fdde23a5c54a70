"""RabbitMQ event broker that publishes no personal data, whatever path an event takes.

Rasa publishes events from the tracker store, but also from its fail-safe in-memory store when the
database is down (rasa.core.tracker_store.FailSafeTrackerStore), which bypasses
privacy.tracker_store. Channels already redact every message (channels.inbound); this broker redacts
each user event once more right before it is published, so no route can carry a phone number, e-mail,
document number or the shape of a redacted one (token offsets) to the queue.

Configured in endpoints.production.yml (`type: privacy.event_broker.RedactingPikaEventBroker`).
"""

from __future__ import annotations

from typing import Any

from rasa.core.brokers.pika import PikaEventBroker

from privacy.tracker_store import redact_user_event


class RedactingPikaEventBroker(PikaEventBroker):
    """Rasa's PikaEventBroker with user events redacted before they are published."""

    def publish(self, event: dict[str, Any], headers: dict[str, Any] | None = None) -> None:
        super().publish(redact_user_event(event), headers)
