"""What one Rasa event adds to the anonymous counts, and where the counts are kept.

Only these facts are counted, per UTC day: conversations started, user messages, topics asked about, the
language the conversation moved to, fallbacks (the assistant did not understand), handoffs asked for and
forwarded, and 👍/👎. Message text, sender ids, slot values other than the topic and language, and exact
times are never read into the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

FEEDBACK_INTENTS = {"feedback_good": "good", "feedback_bad": "bad"}
FALLBACK_ACTION = "utter_fallback"
HANDOFF_ACTION = "action_handoff_forward"
COUNTED_SLOTS = {"topic", "language"}
MAX_VALUE_CHARS = 40  # slot values counted are short codes; anything longer is not a code

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counts (day TEXT, metric TEXT, value TEXT, count INTEGER, "
    "PRIMARY KEY (day, metric, value))"
)

Key = tuple[str, str]  # (metric, value)


def keys_for(event: dict[str, Any]) -> list[Key]:
    """The (metric, value) pairs one event adds one to."""
    kind = event.get("event")
    if kind == "session_started":
        return [("conversations", "started")]
    if kind == "user":
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        keys: list[Key] = [("messages", "user")]
        if intent in FEEDBACK_INTENTS:
            keys.append(("feedback", FEEDBACK_INTENTS[intent]))
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


class CountStore:
    """Counts per (day, metric, value) in a small SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute(SCHEMA)
        return connection

    def add(self, day: str, keys: Iterable[Key]) -> None:
        """Add one to each key, in one transaction."""
        rows = [(day, metric, value) for metric, value in keys]
        if not rows:
            return
        with closing(self._connect()) as connection, connection:
            connection.executemany(
                "INSERT INTO counts VALUES (?, ?, ?, 1) "
                "ON CONFLICT (day, metric, value) DO UPDATE SET count = count + 1",
                rows,
            )

    def totals(self) -> list[tuple[str, str, int]]:
        """(metric, value, count) summed over all days."""
        with closing(self._connect()) as connection:
            return list(
                connection.execute(
                    "SELECT metric, value, SUM(count) FROM counts GROUP BY metric, value ORDER BY metric, value"
                )
            )
