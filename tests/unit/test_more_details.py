"""The details behind a short answer: those of the previous turn's answer, never an older one's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.more_details import ActionMoreDetails, details_of
from tests.conftest import make_tracker, run_sync

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = DOMAIN["responses"]
WITH_DETAILS = sorted(n[: -len("_details")] for n in RESPONSES if n.endswith("_details"))
DETAILS_TITLE = {"es": "📄 Más detalles", "en": "📄 More details", "fr": "📄 Plus de détails", "ht": "📄 Plis detay"}


def user(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 1.0}}}


def bot(response: str, text: str = "...") -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {}, "metadata": {"utter_action": response}}


def sent(events: list[dict[str, Any]]) -> list[str | None]:
    tracker = make_tracker("mas detalles", "ask_more_details")
    tracker.events = [*events, user("mas detalles", "ask_more_details")]
    dispatcher = CollectingDispatcher()
    assert run_sync(ActionMoreDetails().run(dispatcher, tracker, DOMAIN)) == []
    return [m.get("response") for m in dispatcher.messages]


def test_some_long_answers_have_details() -> None:
    assert WITH_DETAILS, "no response has a _details sibling"


@pytest.mark.parametrize("answer", WITH_DETAILS)
def test_the_details_of_the_previous_answer_are_sent(answer: str) -> None:
    turn = [user("pregunta", "x"), {"event": "action", "name": answer}, bot(answer),
            {"event": "action", "name": "action_after_answer"}, bot("utter_legal_notice")]
    assert sent(turn) == [answer + "_details"]


def test_an_answer_without_details_says_there_are_none() -> None:
    assert sent([user("hola", "greet"), bot("utter_greet")]) == ["utter_more_details_none"]


def test_an_older_answers_details_are_not_sent() -> None:
    older = WITH_DETAILS[0]
    events = [user("pregunta", "x"), bot(older), user("gracias", "thank"), bot("utter_thank")]
    assert sent(events) == ["utter_more_details_none"]


def test_details_asked_before_any_answer() -> None:
    assert sent([]) == ["utter_more_details_none"]
    assert details_of([], RESPONSES) == []


@pytest.mark.parametrize("answer", WITH_DETAILS)
def test_every_variation_offers_the_details_button_and_the_details_match_it(answer: str) -> None:
    def conditions(variation: dict[str, Any]) -> list[tuple[str, Any]]:
        return sorted((c["name"], str(c["value"])) for c in variation.get("condition", []))

    assert sorted(map(conditions, RESPONSES[answer])) == sorted(map(conditions, RESPONSES[answer + "_details"]))
    for variation in RESPONSES[answer]:
        language = dict(conditions(variation)).get("language", "es")
        buttons = {b["title"]: b["payload"] for b in variation.get("buttons", [])}
        assert buttons.get(DETAILS_TITLE[language]) == "/ask_more_details", (answer, language)
    for variation in RESPONSES[answer + "_details"]:
        assert not re.search(r"feedback_|ask_more_details", str(variation.get("buttons", []))), answer


def test_the_action_server_receives_the_domain_it_reads() -> None:
    """endpoints.yml enables Rasa's selective domain: without `send_domain` the action would see no responses
    and answer "no more details" to everyone."""
    declared = [a for a in DOMAIN["actions"] if isinstance(a, dict) and "action_more_details" in a]
    assert declared == [{"action_more_details": {"send_domain": True}}]
