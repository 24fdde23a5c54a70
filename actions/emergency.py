"""Emergency: the lines to call now, from the directory, before anything else."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.contacts import topic_phone_lines

EMERGENCY_TOPIC = "emergency"


class ActionEmergency(DirectoryAction):
    """Fills `contact_lines` with the directory's emergency lines for `utter_emergency`."""

    def name(self) -> str:
        return "action_emergency"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        institutions = self.directory.for_topic(EMERGENCY_TOPIC)
        lines, items = topic_phone_lines(institutions, language, self.place(tracker), headers=False)
        return {"lookup_result": "emergency", "contact_lines": "\n".join(lines), **cite(items)}
