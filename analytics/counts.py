"""What one Rasa event adds to the anonymous counts, and the table they are kept in (common/counts.py).

Only these facts are counted, per UTC day: conversations started, user messages, topics asked about, the
language the conversation moved to, fallbacks (the assistant did not understand), handoffs asked for and
forwarded, and 👍/👎. Message text, sender ids, slot values other than the topic and language, and exact
times are never read into the store.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from common.counts import FEEDBACK_RATINGS, CountStore, CountTable

FALLBACK_ACTION = "utter_fallback"
HANDOFF_ACTION = "action_handoff_forward"
COUNTED_SLOTS = {"topic", "language"}
MAX_VALUE_CHARS = 40  # slot values counted are short codes; anything longer is not a code

EVENT_TABLE = CountTable("counts", ("day", "metric", "value"))

Key = tuple[str, str]  # (metric, value)


def keys_for(event: dict[str, Any]) -> list[Key]:
    """The (metric, value) pairs one event adds one to."""
    kind = event.get("event")
    if kind == "session_started":
        return [("conversations", "started")]
    if kind == "user":
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        keys: list[Key] = [("messages", "user")]
        if intent in FEEDBACK_RATINGS:
            keys.append(("feedback", FEEDBACK_RATINGS[intent]))
        return keys
    if kind == "action":
        name = event.get("name")
        if name == FALLBACK_ACTION:
            return [("fallback", "total")]
        if name == HANDOFF_ACTION:
            return [("handoff", "asked")]
        return []
    if kind == "slot":
        name, value = event.get("name"), event.get("value")
        if name == "handoff_available" and value is True:
            return [("handoff", "forwarded")]
        if name in COUNTED_SLOTS and isinstance(value, str) and 0 < len(value) <= MAX_VALUE_CHARS:
            return [(str(name), value)]
    return []


def day_of(event: dict[str, Any]) -> str:
    """The UTC day of an event (today if it has no usable timestamp)."""
    timestamp = event.get("timestamp")
    moment = (
        datetime.fromtimestamp(float(timestamp), tz=timezone.utc)
        if isinstance(timestamp, int | float)
        else datetime.now(tz=timezone.utc)
    )
    return moment.date().isoformat()


def event_store(path: Path) -> CountStore:
    """The event counts per (day, metric, value) in the SQLite file `path` (ANALYTICS_DB)."""
    return CountStore(path, EVENT_TABLE)

