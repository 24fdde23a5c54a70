"""Definitions and rumours: where to check what circulates on the routes.

`action_official_sites` fills `official_sites` with the official websites of the institutions the directory
lists for the `rumors` topic (COMAR, INM, UNHCR's help site), and `fact_source` with the source of the
scam warning, for `utter_ask_rumor`. The definitions themselves are answered with `action_cite_fact`.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker

from actions.base import DirectoryAction, cite
from actions.directory import Sourced

logger = logging.getLogger(__name__)

RUMOR_TOPIC = "rumors"


class ActionOfficialSites(DirectoryAction):
    """The official websites to check a rumour against, one line per institution, from the directory."""

    def name(self) -> str:
        return "action_official_sites"

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        lines: list[str] = []
        items: list[Sourced] = []
        for institution in self.directory.for_topic(RUMOR_TOPIC):
            if institution.website:
                lines.append(f"🌐 {institution.acronym}: {institution.website.url}")
                items.append(institution.website)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        fact = self.directory.fact_for_intent(intent)
        if not lines:
            logger.warning("no official website for topic %s in the directory", RUMOR_TOPIC)
        return {
            "lookup_result": "official_sites",
            "official_sites": "\n".join(lines),
            "fact_source": fact.source if fact else "",
            **cite(items),
        }
