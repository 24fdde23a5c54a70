"""Runs after every answer: the privacy notice once, and the not-legal-advice line once.

* The privacy notice (what is kept, for how long, how to delete it) comes with the first answer of a
  conversation, in the language of that answer.
* The legal-advice line comes with the first answer about a procedure (a `need_*` topic or a fact).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.directory import get_directory

PRIVACY_INTENT = "ask_privacy"


def is_procedural(intent: str | None) -> bool:
    """Answers about a procedure: the need_* topics and the facts with a source."""
    return bool(intent) and (str(intent).startswith("need_") or get_directory().fact_for_intent(intent) is not None)


class ActionAfterAnswer(Action):
    """Utters `utter_privacy_notice` and `utter_legal_notice` the first time each is due."""

    def name(self) -> str:
        return "action_after_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        events: list[EventType] = []
        if not tracker.get_slot("privacy_notice_shown"):
            if intent != PRIVACY_INTENT:  # that answer was the notice itself
                dispatcher.utter_message(response="utter_privacy_notice")
            events.append(SlotSet("privacy_notice_shown", True))
        if is_procedural(intent) and not tracker.get_slot("legal_notice_shown"):
            dispatcher.utter_message(response="utter_legal_notice")
            events.append(SlotSet("legal_notice_shown", True))
        return events
