"""Shared behaviour of the directory-backed actions."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.directory import Directory, Institution, Sourced, get_directory
from actions.places import Gazetteer, Place, get_gazetteer
from common.settings import load_settings

logger = logging.getLogger(__name__)


def language_of(tracker: Tracker) -> str:
    """The conversation's language (the `language` slot), or the configured default."""
    return str(tracker.get_slot("language") or load_settings().default_language)


def source_site(url: str) -> str:
    """The site a source URL is on, as answers show it ("www.gob.mx/comar/..." -> "gob.mx")."""
    return urlparse(url).netloc.removeprefix("www.").rstrip(".")


def cite(items: list[Sourced]) -> dict[str, str]:
    """`sources` (site and date of each distinct source) and `verified_on` (the oldest check)."""
    seen: dict[str, str] = {}
    for item in items:
        site = source_site(item.source)
        seen.setdefault(site, f"{site} ({item.source_date})" if item.source_date else site)
    return {
        "sources": " · ".join(seen.values()),
        "verified_on": min((i.verified_on for i in items), default=""),
    }


class DirectoryAction(Action, ABC):
    """An action that looks something up in the referral directory.

    Subclasses implement `lookup`, which returns the slot values that the rule's next
    response renders (wording stays in domain.yml; `lookup_result` selects the variation).
    """

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        """Slot values for the response that follows this action."""

    @property
    def directory(self) -> Directory:
        return get_directory()

    @property
    def gazetteer(self) -> Gazetteer:
        return get_gazetteer()

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        values = self.lookup(tracker, language_of(tracker))
        logger.debug("%s -> %s", self.name(), values.get("lookup_result"))
        return [SlotSet(slot, value) for slot, value in values.items()]

    def institution(self, tracker: Tracker) -> Institution | None:
        """The institution this turn is about: named now (even misspelt), else remembered."""
        return _mentioned(tracker, "institution", self.directory.resolve, self.directory.find_in_text)

    def institution_in_thread(self, tracker: Tracker) -> Institution | None:
        """The institution a follow-up is about: named now, else the remembered one unless the conversation
        moved on to a topic since (then None, and the caller uses the topic's institutions)."""
        named = _named(tracker, "institution", self.directory.resolve, self.directory.find_in_text)
        if named or topic_is_newer(tracker):
            return named
        return self.directory.resolve(tracker.get_slot("institution"))

    def place(self, tracker: Tracker) -> Place | None:
        """The place this turn is about: named now (even misspelt), else remembered."""
        return _mentioned(tracker, "place", self.gazetteer.resolve, self.gazetteer.find_in_text)


T = TypeVar("T")


def _mentioned(
    tracker: Tracker,
    slot: str,
    resolve: Callable[[str | None], T | None],
    find_in_text: Callable[[str], T | None],
) -> T | None:
    """First of: an extracted entity that resolves, a name found in the text, the remembered slot."""
    return _named(tracker, slot, resolve, find_in_text) or resolve(tracker.get_slot(slot))


def _named(
    tracker: Tracker,
    slot: str,
    resolve: Callable[[str | None], T | None],
    find_in_text: Callable[[str], T | None],
) -> T | None:
    """Named in the latest message: an extracted entity that resolves, else a name found in the text."""
    for value in _entity_values(tracker, slot):
        found = resolve(value)
        if found:
            return found
    return find_in_text(tracker.latest_message.get("text") or "")


def topic_is_newer(tracker: Tracker) -> bool:
    """Whether the `topic` slot was set after the `institution` slot (the conversation moved on)."""
    if not tracker.get_slot("topic"):
        return False
    for event in reversed(tracker.events or []):
        if event.get("event") == "slot" and event.get("name") in ("topic", "institution"):
            return bool(event.get("name") == "topic")
    return not tracker.get_slot("institution")


def _entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [str(v) for v in tracker.get_latest_entity_values(entity) if v]
