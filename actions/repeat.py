"""Say the last answer again ("no entendi, me lo repites?", "say that again", "redis-moi", "repete").

People on a small screen, reading in a second language or in a hurry, ask for the answer again. Two
actions, so the rules can branch on what is there to repeat:

* `action_repeat_check` finds the answer of the previous turn and sets `repeat_found` (some / none);
* `action_repeat_answer` sends it again: a response that a rule uttered as it stands is sent again by
  name (its variables come from slots, which have not changed); a message an action filled is sent
  again exactly as the person saw it. Notices (privacy, legal) and the intro are not repeated.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.turns import turns

logger = logging.getLogger(__name__)

REPEAT_INTENT = "ask_repeat"
# Sent once per conversation or about the repeat itself: never part of "the answer".
NOT_THE_ANSWER = frozenset({"utter_privacy_notice", "utter_legal_notice", "utter_repeat_intro",
                            "utter_repeat_nothing", "utter_feedback_good", "utter_feedback_bad"})


def last_answer(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The bot messages that answered the last user message before the current one that was not itself a
    request to repeat, each as {"response": name} (a rule's response, sent again by name) or
    {"text": ..., "buttons": [...]} (a message an action filled, sent again as it was)."""
    for turn in reversed(turns(events)[:-1]):
        if turn.intent != REPEAT_INTENT:
            return answer_between(turn.events)
    return []


def answer_between(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages of one turn worth repeating (see `last_answer`)."""
    messages: list[dict[str, Any]] = []
    last_action = None
    for event in events:
        if event.get("event") == "action":
            last_action = event.get("name")
        elif event.get("event") == "bot":
            response = (event.get("metadata") or {}).get("utter_action")
            if response in NOT_THE_ANSWER:
                continue
            if response and response == last_action:
                messages.append({"response": response})
            elif event.get("text"):
                buttons = (event.get("data") or {}).get("buttons") or []
                messages.append({"text": event["text"], "buttons": buttons})
    return messages


class ActionRepeatCheck(Action):
    """Sets `repeat_found`: `some` when the previous turn has an answer to repeat, else `none`."""

    def name(self) -> str:
        return "action_repeat_check"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        found = "some" if last_answer(tracker.events) else "none"
        logger.debug("repeat: %s", found)
        return [SlotSet("repeat_found", found)]


class ActionRepeatAnswer(Action):
    """Sends the previous turn's answer again (after `utter_repeat_intro`)."""

    def name(self) -> str:
        return "action_repeat_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        for message in last_answer(tracker.events):
            if "response" in message:
                dispatcher.utter_message(response=message["response"])
            else:
                dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
        return []
