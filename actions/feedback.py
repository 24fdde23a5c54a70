"""👍/👎 after an answer, kept as anonymous counts per topic (no sender, no text, no time)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from common.counts import FEEDBACK_RATINGS, CountStore, CountTable
from common.settings import load_settings

logger = logging.getLogger(__name__)

FEEDBACK_TABLE = CountTable("feedback", ("topic", "rating"))


def feedback_store(path: Path) -> CountStore:
    """The 👍/👎 counts per (topic, rating) in the SQLite file `path` (FEEDBACK_DB)."""
    return CountStore(path, FEEDBACK_TABLE, timeout_s=5)


class ActionRecordFeedback(Action):
    """Adds one to the count of the current topic and rating."""

    def name(self) -> str:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rating = FEEDBACK_RATINGS.get((tracker.latest_message.get("intent") or {}).get("name") or "")
        if rating:
            try:
                feedback_store(load_settings().feedback_db).add([(str(tracker.get_slot("topic") or "general"), rating)])
            except sqlite3.Error as error:
                logger.warning("Feedback not recorded: %s", error)
        return []
