"""'Borra mis datos': marks the conversation for deletion.

The deletion itself happens in the tracker store (privacy.tracker_store), which removes every stored
event of the conversation when it sees this action, so nothing of this turn is kept either.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher


class ActionDeleteMyData(Action):
    """The marker action; see privacy.tracker_store.DELETE_ACTION."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return []
