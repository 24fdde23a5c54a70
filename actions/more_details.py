"""The details behind a short answer ("más detalles", "more details", "plus de détails", "plis detay").

Family answers stay short (the answer and one next step, issue 15); the documents, deadlines, legal basis and
exceptions live in a sibling response `<answer>_details`, reached by the "📄 More details" quick reply or by
typing it ("mas detalles"; the intent's examples are kept narrow so that "explain the process" or "more or
less" stay with their own intents). This action sends the details of the previous turn's answer; when that
answer has none, it says so (`utter_more_details_none`) instead of guessing which older answer was meant.
The buttons of the answer (actions/next_steps.py), without "More details", come with the last details.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import language_of
from actions.next_steps import DETAILS_SUFFIX, for_turn
from actions.turns import turns

logger = logging.getLogger(__name__)

NONE_RESPONSE = "utter_more_details_none"


def previous_answers(events: list[dict[str, Any]]) -> list[str]:
    """The responses the bot sent in the previous turn (the answer the person is asking more about)."""
    every = turns(events)
    return every[-2].uttered() if len(every) >= 2 else []


def details_of(uttered: list[str], responses: dict[str, Any]) -> list[str]:
    """The `_details` responses of the answers in `uttered`, in the order they were sent."""
    found: list[str] = []
    for answer in uttered:
        details = answer + DETAILS_SUFFIX
        if details in responses and details not in found:
            found.append(details)
    return found


class ActionMoreDetails(Action):
    """Sends `<answer>_details` for the previous turn's answer, or `utter_more_details_none`."""

    def name(self) -> str:
        return "action_more_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        previous = previous_answers(tracker.events)
        details = details_of(previous, domain.get("responses") or {})
        logger.debug("more details: %s", details or "none")
        if not details:
            dispatcher.utter_message(response=NONE_RESPONSE)
            return []
        steps = for_turn(previous, language_of(tracker))
        for response in details[:-1]:
            dispatcher.utter_message(response=response)
        # the answer's buttons (without "More details") under the last details
        dispatcher.utter_message(response=details[-1], buttons=steps[1] if steps else [])
        return []
