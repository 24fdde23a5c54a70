"""Suicidal thoughts and self-harm: calm words, the mental-health line first, 911 if life is in danger now.

The line is the directory's first institution with a phone for the `mental_health` topic (Línea de la
Vida), never a number written here. The wording is `utter_self_harm` in domain.yml, which follows this
action in the rule; it never says "go somewhere with other people" (that is for violence).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.directory import localized

MENTAL_HEALTH_TOPIC = "mental_health"


class ActionSelfHarm(DirectoryAction):
    """Fills `line_name` and `line_number` with the directory's mental-health line for `utter_self_harm`."""

    def name(self) -> str:
        return "action_self_harm"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        for institution in self.directory.for_topic(MENTAL_HEALTH_TOPIC):
            if institution.phones:
                phone = institution.phones[0]
                return {
                    "lookup_result": "self_harm",
                    "line_name": localized(institution.names, language),
                    "line_number": phone.number,
                    **cite([phone]),
                }
        raise LookupError(f"no institution with a phone for the {MENTAL_HEALTH_TOPIC!r} topic in the directory")
