"""Emergency: the lines to call now, from the directory, before anything else."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.contacts import contact_lines
from actions.directory import Sourced

EMERGENCY_TOPIC = "emergency"


class ActionEmergency(DirectoryAction):
    """Fills `contact_lines` with the directory's emergency lines for `utter_emergency`."""

    def name(self) -> str:
        return "action_emergency"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        lines: list[str] = []
        items: list[Sourced] = []
        place = self.place(tracker)
        for institution in self.directory.for_topic(EMERGENCY_TOPIC):
            found_lines, found_items = contact_lines(institution, language, place, phones_only=True)
            lines.extend(found_lines)
            items.extend(found_items)
        return {"lookup_result": "emergency", "contact_lines": "\n".join(lines), **cite(items)}
