"""A fallback that helps: when the NLU is unsure, offer the most likely topics ("Did you mean...?").

In the spirit of Rasa's two-stage fallback. After `nlu_fallback`, `action_suggest_topics` reads the
latest message's `intent_ranking` and keeps up to `MAX_SUGGESTIONS` topic intents scoring at least
`MIN_CONFIDENCE`. It fills the slots of `utter_suggest_topics` (data/rules/fallback.yml): one button per
topic, titled from `directory/suggestion_titles.yml`, with payload `/<intent>` (and the institution or
place the message named), so a click gets the topic's normal answer; the response adds a last
"something else" button (`/help`, the general menu). With no candidate, `suggestions` is `none` and the
rule gives the general `utter_fallback` menu. `tools/measure_fallback.py` measures how often the right
topic is offered.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import language_of
from actions.directory import localized

logger = logging.getLogger(__name__)

TITLES_FILE = Path(__file__).resolve().parent.parent / "directory" / "suggestion_titles.yml"
MAX_SUGGESTIONS = 3
# A topic scoring below this is not worth a button (tools/measure_fallback.py, docs/testing.md, "The fallback").
MIN_CONFIDENCE = 0.1
# Entities a click carries over from the unclear message (so "/ask_contacts" keeps its institution).
CARRIED_ENTITIES = ("institution", "place")


@dataclass(frozen=True)
class SuggestionTitles:
    """Button titles per topic intent and language, and the intents never offered."""

    titles: dict[str, dict[str, str]]
    not_topics: frozenset[str]
    # Titles of the other buttons under an answer (contacts, offices, details), by kind and language.
    buttons: dict[str, dict[str, str]] = field(default_factory=dict)

    def title(self, intent: str, language: str) -> str | None:
        texts = self.titles.get(intent)
        return localized(texts, language) if texts else None


@lru_cache(maxsize=1)
def get_titles(path: Path = TITLES_FILE) -> SuggestionTitles:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return SuggestionTitles(
        titles={str(k): {str(lang): str(t) for lang, t in v.items()} for k, v in data["titles"].items()},
        not_topics=frozenset(str(i) for i in data["not_topics"]),
        buttons={str(k): {str(lang): str(t) for lang, t in v.items()} for k, v in (data.get("buttons") or {}).items()},
    )


def candidates(
    ranking: list[dict[str, Any]],
    titles: SuggestionTitles,
    limit: int = MAX_SUGGESTIONS,
    floor: float = MIN_CONFIDENCE,
) -> list[str]:
    """The topic intents worth offering, most likely first."""
    found: list[str] = []
    for item in sorted(ranking, key=lambda i: -float(i.get("confidence") or 0.0)):
        name = str(item.get("name") or "")
        if float(item.get("confidence") or 0.0) < floor:
            break
        if name in titles.titles and name not in titles.not_topics and name not in found:
            found.append(name)
        if len(found) == limit:
            break
    return found


def payload(intent: str, entities: dict[str, str]) -> str:
    """`/<intent>`, with the carried entities as JSON when there are any."""
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def carried_entities(tracker: Tracker) -> dict[str, str]:
    carried: dict[str, str] = {}
    for item in tracker.latest_message.get("entities") or []:
        name, value = item.get("entity"), item.get("value")
        if name in CARRIED_ENTITIES and value and name not in carried:
            carried[str(name)] = str(value)
    return carried


class ActionSuggestTopics(Action):
    """Fills `suggestions`, `suggestion_count` and `suggestion_<n>` / `suggestion_<n>_payload`."""

    def name(self) -> str:
        return "action_suggest_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        titles = get_titles()
        found = candidates(tracker.latest_message.get("intent_ranking") or [], titles)
        logger.debug("suggested topics: %s", found)
        language = language_of(tracker)
        entities = carried_entities(tracker)
        events: list[EventType] = [
            SlotSet("suggestions", "some" if found else "none"),
            SlotSet("suggestion_count", str(len(found))),
        ]
        for n in range(1, MAX_SUGGESTIONS + 1):
            intent = found[n - 1] if n <= len(found) else None
            events.append(SlotSet(f"suggestion_{n}", titles.title(intent, language) if intent else None))
            events.append(SlotSet(f"suggestion_{n}_payload", payload(intent, entities) if intent else None))
        return events
