"""Keeps the `language` slot in step with the person writing."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.contacts import main_contacts

logger = logging.getLogger(__name__)

SWITCH_INTENT = "switch_language"
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}\Z")  # entity synonyms map "english" to "en"


class ActionDetectLanguage(Action):
    """Slot mapping for `language`, run after every user message.

    An explicit request ("english please") wins; then the NLU component's detection
    (`detected_language` in the parse data); then the language chosen in the web chat, sent as
    message metadata (so "COMAR" typed with the English toggle on is answered in English);
    otherwise the slot keeps its value.
    """

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        requested = next(iter(tracker.get_latest_entity_values("language")), None)
        if intent == SWITCH_INTENT and requested and LANGUAGE_CODE.match(str(requested)):
            return _switch_to(str(requested))
        detected = message.get("detected_language") or {}
        chosen = (message.get("metadata") or {}).get("language")
        code = detected.get("code") or (chosen if isinstance(chosen, str) and LANGUAGE_CODE.match(chosen) else None)
        if code and code != tracker.get_slot("language"):
            logger.debug("language %s -> %s", tracker.get_slot("language"), code)
            return _switch_to(code)
        return []


def _switch_to(language: str) -> list[EventType]:
    """The new language, and the slots written in the old one that a reply may need without a lookup."""
    return [SlotSet("language", language), SlotSet("main_contacts", main_contacts(language))]
