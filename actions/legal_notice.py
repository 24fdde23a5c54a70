"""Says once per conversation that the answers are guidance, not legal advice."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher


class ActionLegalNotice(Action):
    """Utters `utter_legal_notice` the first time a procedural answer is given, then stays quiet."""

    def name(self) -> str:
        return "action_legal_notice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("legal_notice_shown"):
            return []
        dispatcher.utter_message(response="utter_legal_notice")
        return [SlotSet("legal_notice_shown", True)]
