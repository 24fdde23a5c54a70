"""👍/👎 after an answer, kept as anonymous counts per topic (no sender, no text, no time)."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from common.settings import load_settings

logger = logging.getLogger(__name__)

RATINGS = {"feedback_good": "good", "feedback_bad": "bad"}
SCHEMA = "CREATE TABLE IF NOT EXISTS feedback (topic TEXT, rating TEXT, count INTEGER, PRIMARY KEY (topic, rating))"


class FeedbackStore:
    """Counts per (topic, rating) in a small SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=5)
        connection.execute(SCHEMA)
        return connection

    def add(self, topic: str, rating: str) -> None:
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT INTO feedback VALUES (?, ?, 1) ON CONFLICT (topic, rating) DO UPDATE SET count = count + 1",
                (topic, rating),
            )

    def counts(self) -> list[tuple[str, str, int]]:
        with closing(self._connect()) as connection:
            return list(connection.execute("SELECT topic, rating, count FROM feedback ORDER BY topic, rating"))


class ActionRecordFeedback(Action):
    """Adds one to the count of the current topic and rating."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rating = RATINGS.get((tracker.latest_message.get("intent") or {}).get("name") or "")
        if rating:
            try:
                FeedbackStore(load_settings().feedback_db).add(str(tracker.get_slot("topic") or "general"), rating)
            except sqlite3.Error as error:
                logger.warning("Feedback not recorded: %s", error)
        return []
