"""Cites the source of a procedural fact (deadline, cost, obligations, best interest)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction


class ActionCiteFact(DirectoryAction):
    """Fills `fact_source` for the fact's response; the fact is chosen by the intent.

    The mapping from intent to fact lives in the directory (`facts[].intents`).
    """

    def name(self) -> str:
        return "action_cite_fact"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        fact = self.directory.fact_for_intent(intent)
        if fact is None:
            return {"lookup_result": "fact_unknown", "fact_source": ""}
        return {"lookup_result": "fact", "fact_source": fact.source, "verified_on": fact.verified_on}
