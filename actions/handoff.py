"""Handoff to a person: say plainly this is an automated assistant, give the human channels from the
directory, and, where HANDOFF_WEBHOOK_URL is configured, forward the conversation and pause the bot
until the human side resumes it (Rasa HTTP API: POST /conversations/<id>/tracker/events {"event": "resume"}).
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import DirectoryAction, cite, language_of
from actions.contacts import HUMAN_TOPIC, topic_phone_lines
from common.settings import load_settings
from privacy.redaction import redact

logger = logging.getLogger(__name__)

MAX_TRANSCRIPT = 50


def transcript(tracker: Tracker) -> list[dict[str, Any]]:
    """The conversation so far, as the person and the bot wrote it, with personal data redacted."""
    lines = []
    for event in tracker.events:
        if event.get("event") in ("user", "bot") and event.get("text"):
            text = redact(str(event["text"]))
            lines.append({"from": event["event"], "text": text, "timestamp": event.get("timestamp")})
    return lines[-MAX_TRANSCRIPT:]


async def forward(url: str, timeout_s: float, payload: dict[str, Any]) -> bool:
    """POST the conversation to the handoff receiver; True if it accepted it (2xx)."""
    try:
        timeout = aiohttp.ClientTimeout(total=timeout_s)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.post(url, json=payload) as response:
            return 200 <= response.status < 300
    except (aiohttp.ClientError, TimeoutError) as error:
        logger.warning("Handoff receiver unreachable: %s", type(error).__name__)
        return False


class ActionHandoffForward(DirectoryAction):
    """Fills `contact_lines` with the human channels and `handoff_available`; forwards if configured."""

    def name(self) -> str:
        return "action_handoff_forward"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        institutions = self.directory.for_topic(HUMAN_TOPIC)
        lines, items = topic_phone_lines(institutions, language, self.place(tracker), headers=True)
        return {"lookup_result": "handoff", "contact_lines": "\n".join(lines), **cite(items)}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        settings = load_settings()
        available = False
        if settings.handoff_webhook_url:
            payload = {
                "sender_id": tracker.sender_id,
                "language": language_of(tracker),
                "topic": tracker.get_slot("topic"),
                "transcript": transcript(tracker),
            }
            available = await forward(settings.handoff_webhook_url, settings.handoff_timeout_s, payload)
        return [*events, SlotSet("handoff_available", available)]


class ActionHandoffPause(Action):
    """Pauses the bot after the handoff message, when a person has the conversation."""

    def name(self) -> str:
        return "action_handoff_pause"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("handoff_available"):
            return [SlotSet("handoff_available", False), ConversationPaused()]
        return []
