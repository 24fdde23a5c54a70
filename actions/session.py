"""Starts each conversation session with the emergency numbers and the lines answered by people (from the
directory) and the retention period (from the settings) in slots.

Responses say "{emergency_number}" instead of writing a number, so every phone number the
assistant shows comes from the referral directory.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import language_of
from actions.contacts import main_contacts
from actions.directory import get_directory
from common.settings import load_settings

# Slots that describe the person's conversation and survive a new session.
CARRIED_OVER = ("language",)


class ActionSessionStart(Action):
    """Rasa's session start, plus the directory's emergency lines as slots."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        for slot in CARRIED_OVER:
            if tracker.get_slot(slot) is not None:
                events.append(SlotSet(slot, tracker.get_slot(slot)))
        for slot, number in get_directory().emergency_lines.items():
            events.append(SlotSet(slot, number))
        events.append(SlotSet("main_contacts", main_contacts(language_of(tracker))))
        events.append(SlotSet("retention_days", f"{load_settings().retention_days:g}"))
        events.append(ActionExecuted("action_listen"))
        return events
