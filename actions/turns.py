"""The conversation cut into turns: each user message with the events that followed it.

One helper for the actions that look back at what was said: "more details" (the previous turn's answer),
"say that again" (the last turn that was not itself a request to repeat) and the buttons under an answer
(this turn's answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Turn:
    """A user message (`user`, its event) and the events after it, up to the next user message."""

    user: dict[str, Any]
    events: list[dict[str, Any]]

    @property
    def intent(self) -> str | None:
        return ((self.user.get("parse_data") or {}).get("intent") or {}).get("name")

    def uttered(self) -> list[str]:
        """The responses the bot sent in this turn (rules' and actions' alike), in order."""
        return [
            str((e.get("metadata") or {}).get("utter_action"))
            for e in self.events
            if e.get("event") == "bot" and (e.get("metadata") or {}).get("utter_action")
        ]


def turns(events: list[dict[str, Any]]) -> list[Turn]:
    """Every turn of the conversation, oldest first; the last one is the turn being answered now."""
    starts = [i for i, e in enumerate(events) if e.get("event") == "user"]
    ends = [*starts[1:], len(events)] if starts else []
    return [Turn(user=events[s], events=events[s + 1:e]) for s, e in zip(starts, ends, strict=True)]
