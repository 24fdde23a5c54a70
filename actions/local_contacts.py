"""Someone local to call: the state's child-protection office, its human-rights commission, or shelters.

Runs after the answers whose topic needs a local contact (a child alone, child protection, a child detained,
a complaint against an authority, humanitarian help) and after "who do I call?" and "where?". With the
person's place known (named now or earlier in the conversation) it gives that state's entry from
`directory/states/<state>.yml`; a state with no published number gets the honest "no published number" and
the next step, never a number from another state; with no place yet, it asks for one.

The action chooses one response and fills its variables (wording in domain.yml):
  `utter_local_found`          the state body's phones (and website);
  `utter_local_shelters`       shelters and free legal help, those in the person's city first;
  `utter_local_site_<kind>`    no published phone, but a website or address;
  `utter_local_none_<kind>`    nothing published: the next best step (municipal DIF, 911, 089...);
  `utter_local_need_place`     no place yet: offer a local contact if they say their city or state (never to a
                               child who has just said they are alone: that answer asks nothing).
Topics without a local contact get no message at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import DirectoryAction, cite, language_of
from actions.contacts import phone_line
from actions.directory import Directory, LocalBody, Shelter, Sourced, localized
from actions.follow_up import current_topic
from actions.places import Place
from common.settings import load_settings

logger = logging.getLogger(__name__)

# Topic -> which local contact it needs.
LOCAL_KINDS = {
    "child_protection": "child_protection",
    "child_detention": "child_protection",
    "human_rights_complaint": "human_rights_commission",
    "humanitarian_aid": "shelters",
}
# Intents that do not set the `topic` slot themselves but need a local contact.
INTENT_TOPICS = {"child_alone": "child_protection", "ask_for_children": "child_protection"}
# A child who writes that they are alone is asked nothing (not even where they are): the answer says what to do.
# Their state's line comes when they name a place, or offer it after "who do I call?".
ASKS_NOTHING = {"child_alone"}
MAX_SHELTERS = 3  # a phone screen: the answer stays short (issue 15)


@dataclass(frozen=True)
class LocalAnswer:
    """Which response to send, with its variables and the items it cites."""

    response: str
    result: str
    values: dict[str, str] = field(default_factory=dict)
    items: list[Sourced] = field(default_factory=list)


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, dict[str, str]]]:
    """Labels of what shelters offer and whom they serve (`directory/local_labels.yml`)."""
    path: Path = load_settings().directory_file.parent / "local_labels.yml"
    with path.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(handle)
    return data


def body_lines(body: LocalBody, language: str, with_phones: bool = True) -> list[str]:
    """The body's name, its phones and website; its address and hours only when there is no phone to show
    (the call is the next step, and the answer must fit a phone screen)."""
    lines = [f"▸ {body.name}"]
    if with_phones:
        lines += [phone_line(p, language) for p in body.phones]
    if not (with_phones and body.phones):
        if body.address:
            lines.append(f"📍 {body.address.text}")
        if body.hours:
            lines.append(f"🕒 {localized(body.hours.texts, language)}")
    if body.website:
        lines.append(f"🌐 {body.website.url}")
    return lines


def shelter_lines(shelter: Shelter, language: str) -> list[str]:
    """A shelter: name and city, what it offers and to whom (as its source says), then its contacts."""
    lines = [f"🏠 {shelter.name} · {shelter.city}"]
    known = labels()
    offers = [localized(known["offers"][o], language) for o in shelter.offers]
    serves = [localized(known["serves"][s], language) for s in shelter.serves]
    details = " · ".join(part for part in (", ".join(offers), ", ".join(serves)) if part)
    if details:
        lines.append(details)
    lines += [phone_line(p, language) for p in shelter.phones]
    if shelter.address:
        lines.append(f"📍 {shelter.address.text}")
    if shelter.website:
        lines.append(f"🌐 {shelter.website.url}")
    return lines


def local_answer(directory: Directory, topic: str | None, place: Place | None, language: str) -> LocalAnswer | None:
    """The local contact a topic needs in a place; None when the topic needs none."""
    kind = LOCAL_KINDS.get(topic or "")
    if kind is None:
        return None
    if place is None:
        return LocalAnswer("utter_local_need_place", "need_place")
    values = {"place_name": place.display, "state_name": place.state}
    if kind == "shelters":
        state = directory.local(place.state)
        return _shelters(state.shelters if state else (), place, language, values)
    body = local_body(directory, topic, place)
    if body is None:
        return LocalAnswer(f"utter_local_none_{kind}", "none", values)
    values["body_name"] = body.name
    if body.phones:
        lines = "\n".join(body_lines(body, language))
        return LocalAnswer("utter_local_found", "found", {**values, "local_lines": lines}, body.sourced_items())
    if body.address or body.website:
        lines = "\n".join(body_lines(body, language, with_phones=False))
        return LocalAnswer(f"utter_local_site_{kind}", "site", {**values, "local_lines": lines}, body.sourced_items())
    return LocalAnswer(f"utter_local_none_{kind}", "none", values)


def local_body(directory: Directory, topic: str | None, place: Place | None) -> LocalBody | None:
    """The state body a topic needs in a place (child protection or human-rights commission), if listed."""
    kind = LOCAL_KINDS.get(topic or "")
    state = directory.local(place.state) if place else None
    if state is None or kind not in ("child_protection", "human_rights_commission"):
        return None
    return state.body(kind)


def _shelters(shelters: tuple[Shelter, ...], place: Place, language: str, values: dict[str, str]) -> LocalAnswer:
    """Shelters of the state, those in the person's city first, then those with a phone."""
    ordered = sorted(shelters, key=lambda s: (s.city != place.city, not s.phones, s.city, s.name))[:MAX_SHELTERS]
    if not ordered:
        return LocalAnswer("utter_local_none_shelters", "none", values)
    blocks = ["\n".join(shelter_lines(s, language)) for s in ordered]
    items = [item for s in ordered for item in s.sourced_items()]
    return LocalAnswer("utter_local_shelters", "found", {**values, "local_lines": "\n\n".join(blocks)}, items)


class ActionLocalContacts(DirectoryAction):
    """Sends the local contact for the conversation's topic and place (see the module docstring).

    Sets `local_result`: `found`, `site`, `none`, `need_place`, or None when the topic needs no local contact.
    """

    def name(self) -> str:
        return "action_local_contacts"

    def answer(self, tracker: Tracker, language: str) -> LocalAnswer | None:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        topic = INTENT_TOPICS.get(intent) or current_topic(tracker, self.directory, self.institution_in_thread(tracker))
        place = self.place(tracker)
        if place is None and intent in ASKS_NOTHING:
            return None
        return local_answer(self.directory, topic, place, language)

    def lookup(self, tracker: Tracker, language: str) -> dict[str, Any]:
        answer = self.answer(tracker, language)
        return {"local_result": answer.result if answer else None}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answer = self.answer(tracker, language_of(tracker))
        if answer is None:
            return [SlotSet("local_result", None)]
        values = {**answer.values, **cite(answer.items)} if answer.items else answer.values
        logger.debug("%s -> %s", self.name(), answer.response)
        dispatcher.utter_message(response=answer.response, **values)
        return [SlotSet("local_result", answer.result)]
