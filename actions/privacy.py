"""'Borra mis datos', confirmed: deletes the conversation and says whether that worked.

The deletion runs here (privacy.deletion) before any reply, so the person is only told "deleted" when
no event of the conversation is left in the tracker store; when the database does not answer they are
told it failed and to try again. `lookup_result` selects the reply (`deleted` or `failed`; `unavailable`
when this server is down, set by Rasa). In the web chat, the widget is also told to erase the copy of the
conversation kept on the phone. The tracker store deletes once more when it saves the turn
(privacy.tracker_store), and keeps nothing of it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from common.settings import load_settings
from privacy.deletion import DeletionError, delete_conversation

logger = logging.getLogger(__name__)

WEB_CHAT_CHANNEL = "socketio"
CLEAR_TRANSCRIPT = {"clear_transcript": True}  # read by web/src/widget.js


class ActionDeleteMyData(Action):
    """Deletes the conversation from the tracker store (see privacy.tracker_store.DELETE_ACTION)."""

    def name(self) -> str:
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            deleted = await asyncio.to_thread(delete_conversation, tracker.sender_id, load_settings().endpoints_file)
        except DeletionError as error:
            logger.error("A conversation could not be deleted on request: %s", error)
            return [SlotSet("lookup_result", "failed")]
        logger.info("Deleted a conversation on request (%d events)", deleted)
        if tracker.get_latest_input_channel() == WEB_CHAT_CHANNEL:
            dispatcher.utter_message(json_message=CLEAR_TRANSCRIPT)
        return [SlotSet("lookup_result", "deleted")]
