"""The buttons under an answer: who to contact, where their offices are, what to ask next, more details, 👍/👎.

Which answer gets which buttons is data (`directory/next_steps.yml`); which institution handles a topic lives only
in the directory's `topics` map; button titles are in `directory/suggestion_titles.yml`. `action_after_answer`
sends them after each answer, with the response `utter_next_steps` ("What would you like to do next?"), and
`action_more_details` sends them again after the details (without the details button).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from actions.directory import Directory, get_directory, localized
from actions.fallback import SuggestionTitles, get_titles
from common.counts import FEEDBACK_RATINGS

logger = logging.getLogger(__name__)

NEXT_STEPS_FILE = Path(__file__).resolve().parent.parent / "directory" / "next_steps.yml"
RESPONSE = "utter_next_steps"
CHOOSE_RESPONSE = "utter_choose_institution"  # "Choose an institution:", above the buttons of a `choose` entry
DETAILS_SUFFIX = "_details"
RATING_TITLES = {"good": "👍", "bad": "👎"}  # the 👍/👎 buttons send the intents that `FEEDBACK_RATINGS` counts
FEEDBACK = tuple({"title": RATING_TITLES[rating], "payload": f"/{intent}"}
                 for intent, rating in FEEDBACK_RATINGS.items())
ENTRY_KEYS = frozenset({"topic", "contacts", "offices", "next", "choose", "when", "feedback"})


class NextStepsError(ValueError):
    """`directory/next_steps.yml` names a key this module does not know."""


@dataclass(frozen=True)
class Choice:
    """"Which institution?": one button per topic's main institution, each asking `intent` about it."""

    intent: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class NextSteps:
    """The buttons of one answer (see directory/next_steps.yml)."""

    topic: str | None = None
    contacts: int = 1
    offices: bool = False
    next: tuple[str, ...] = ()
    choose: Choice | None = None
    when: str | None = None
    feedback: bool = True

    @property
    def response(self) -> str:
        """The words above the buttons."""
        return CHOOSE_RESPONSE if self.choose else RESPONSE


def parse(data: dict[str, Any]) -> dict[str, NextSteps]:
    answers: dict[str, NextSteps] = {}
    for response, raw in (data.get("answers") or {}).items():
        unknown = set(raw) - ENTRY_KEYS
        if unknown:
            raise NextStepsError(f"next_steps.yml: {response}: unknown keys {sorted(unknown)}")
        choose = raw.get("choose")
        answers[str(response)] = NextSteps(
            topic=raw.get("topic"),
            contacts=int(raw.get("contacts", 1)),
            offices=bool(raw.get("offices", False)),
            next=tuple(raw.get("next") or ()),
            choose=Choice(intent=choose["intent"], topics=tuple(choose["topics"])) if choose else None,
            when=raw.get("when"),
            feedback=bool(raw.get("feedback", True)),
        )
    return answers


@lru_cache(maxsize=1)
def get_next_steps(path: Path = NEXT_STEPS_FILE) -> dict[str, NextSteps]:
    return parse(yaml.safe_load(path.read_text(encoding="utf-8")))


def answer_of_turn(uttered: list[str], answers: dict[str, NextSteps], lookup_result: str | None) -> str | None:
    """The last response of the turn that has buttons (and whose `when` matches `lookup_result`)."""
    for response in reversed(uttered):
        steps = answers.get(response)
        if steps and (steps.when is None or steps.when == lookup_result):
            return response
    return None


def for_turn(
    uttered: list[str], language: str, lookup_result: str | None = None, responses: dict[str, Any] | None = None
) -> tuple[NextSteps, list[dict[str, str]]] | None:
    """The entry and the buttons for the answer among `uttered` (a turn's responses); with `responses` (the
    domain's), "More details" is offered when the answer has them. None when the turn's answer has no entry."""
    answers = get_next_steps()
    answer = answer_of_turn(uttered, answers, lookup_result)
    if answer is None:
        return None
    details = responses is not None and answer + DETAILS_SUFFIX in responses
    steps = answers[answer]
    return steps, buttons(steps, get_directory(), get_titles(), language, details)


def _button(title: str, intent: str, institution: str | None = None) -> dict[str, str]:
    entities = json.dumps({"institution": institution}, separators=(",", ":")) if institution else ""
    return {"title": title, "payload": f"/{intent}{entities}"}


def buttons(
    steps: NextSteps,
    directory: Directory,
    titles: SuggestionTitles,
    language: str,
    details: bool = False,
) -> list[dict[str, str]]:
    """The buttons for `steps` in `language`, in the order people need them: contacts, offices, the
    follow-up questions, "which institution?", more details, 👍/👎."""
    label = titles.buttons
    found: list[dict[str, str]] = []
    institutions = directory.for_topic(steps.topic)
    for institution in institutions[: steps.contacts]:
        title = localized(label["contacts"], language).replace("{institution}", institution.short_name(language))
        found.append(_button(title, "ask_contacts", institution.id))
    if steps.offices and institutions and institutions[0].offices:
        main = institutions[0]
        title = localized(label["offices"], language).replace("{institution}", main.short_name(language))
        found.append(_button(title, "ask_offices", main.id))
    for intent in steps.next:
        found.append(_button(titles.title(intent, language) or intent, intent))
    if steps.choose:
        chosen: list[str] = []
        for topic in steps.choose.topics:
            main_institution = next(iter(directory.for_topic(topic)), None)
            if main_institution and main_institution.id not in chosen:
                chosen.append(main_institution.id)
                found.append(_button(main_institution.short_name(language), steps.choose.intent, main_institution.id))
    if details:
        found.append({"title": localized(label["details"], language), "payload": "/ask_more_details"})
    if steps.feedback:
        found.extend(dict(b) for b in FEEDBACK)
    return found
