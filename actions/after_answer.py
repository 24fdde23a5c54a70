"""Runs after every answer: the privacy notice once, the not-legal-advice line once, then the answer's buttons.

* The privacy notice (what is kept, for how long, how to delete it) comes with the first answer of a
  conversation, in the language of that answer.
* The legal-advice line comes with the first answer about a procedure (a `need_*` topic or a fact).
* The buttons of this turn's answer (actions/next_steps.py, directory/next_steps.yml) come last, with
  `utter_next_steps`, so that they sit under everything else. The action is declared with
  `send_domain: true` to see which answers have details.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import language_of
from actions.directory import get_directory
from actions.next_steps import for_turn
from actions.turns import turns

PRIVACY_INTENT = "ask_privacy"


def is_procedural(intent: str | None) -> bool:
    """Answers about a procedure: the need_* topics and the facts with a source."""
    return bool(intent) and (str(intent).startswith("need_") or get_directory().fact_for_intent(intent) is not None)


class ActionAfterAnswer(Action):
    """Utters `utter_privacy_notice` and `utter_legal_notice` the first time each is due, then the buttons of
    this turn's answer with `utter_next_steps`."""

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
        send_next_steps(dispatcher, tracker, domain)
        return events


def send_next_steps(dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> None:
    """The buttons of this turn's answer, if it has any, under `utter_next_steps` (or the choice's words)."""
    current = turns(tracker.events)
    uttered = current[-1].uttered() if current else []
    found = for_turn(uttered, language_of(tracker), tracker.get_slot("lookup_result"), domain.get("responses") or {})
    if found and found[1]:
        dispatcher.utter_message(response=found[0].response, buttons=found[1])
