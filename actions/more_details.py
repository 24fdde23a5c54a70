"""The details behind a short answer ("más detalles", "more details", "plus de détails", "plis detay").

Family answers stay short (the answer and one next step, issue 15); the documents, deadlines, legal basis and
exceptions live in a sibling response `<answer>_details`, reached by the "📄 More details" quick reply or by
typing it ("mas detalles"; the intent's examples are kept narrow so that "explain the process" or "more or
less" stay with their own intents). This action sends the details of the previous turn's answer; when that
answer has none, it says so (`utter_more_details_none`) instead of guessing which older answer was meant.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

logger = logging.getLogger(__name__)

DETAILS_SUFFIX = "_details"
NONE_RESPONSE = "utter_more_details_none"


def previous_turn(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events between the last two user messages (the answer the person is asking more about)."""
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return []
    return events[users[-2] + 1:users[-1]]


def details_of(events: list[dict[str, Any]], responses: dict[str, Any]) -> list[str]:
    """The `_details` responses of the answers sent in the previous turn, in the order they were sent."""
    found: list[str] = []
    for event in previous_turn(events):
        if event.get("event") != "bot":
            continue
        answer = (event.get("metadata") or {}).get("utter_action") or ""
        details = answer + DETAILS_SUFFIX
        if answer and details in responses and details not in found:
            found.append(details)
    return found


class ActionMoreDetails(Action):
    """Sends `<answer>_details` for the previous turn's answer, or `utter_more_details_none`."""

    def name(self) -> str:
        return "action_more_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        details = details_of(tracker.events, domain.get("responses") or {})
        logger.debug("more details: %s", details or "none")
        for response in details or [NONE_RESPONSE]:
            dispatcher.utter_message(response=response)
        return []
