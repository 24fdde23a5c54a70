"""The details behind a short answer: those of the previous turn's answer, never an older one's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.after_answer import ActionAfterAnswer
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
    for language, title in DETAILS_TITLE.items():
        under = next_steps_after(answer, language)
        assert {"title": title, "payload": "/ask_more_details"} in under, (answer, language)
    for variation in RESPONSES[answer + "_details"]:
        assert "buttons" not in variation, answer  # the action sends the answer's buttons with the details


def next_steps_after(answer: str, language: str) -> list[dict[str, str]]:
    """The buttons action_after_answer sends after `answer` in `language`."""
    tracker = make_tracker("...", answer.removeprefix("utter_"), slots={"language": language})
    tracker.events = [user("...", answer.removeprefix("utter_")), bot(answer)]
    dispatcher = CollectingDispatcher()
    run_sync(ActionAfterAnswer().run(dispatcher, tracker, DOMAIN))
    return [b for m in dispatcher.messages if m.get("response") == "utter_next_steps" for b in m.get("buttons", [])]


def test_the_details_come_with_the_answers_buttons_but_not_the_details_button() -> None:
    tracker = make_tracker("mas detalles", "ask_more_details")
    tracker.events = [user("asilo", "need_asylum"), bot("utter_need_asylum"), user("mas detalles", "ask_more_details")]
    dispatcher = CollectingDispatcher()
    run_sync(ActionMoreDetails().run(dispatcher, tracker, DOMAIN))
    [message] = dispatcher.messages
    payloads = [b["payload"] for b in message["buttons"]]
    assert message["response"] == "utter_need_asylum_details"
    assert '/ask_contacts{"institution":"comar"}' in payloads and "/ask_more_details" not in payloads


def test_the_action_server_receives_the_domain_it_reads() -> None:
    """endpoints.yml enables Rasa's selective domain: without `send_domain` the action would see no responses
    and answer "no more details" to everyone."""
    declared = [a for a in DOMAIN["actions"] if isinstance(a, dict)]
    assert {"action_more_details": {"send_domain": True}} in declared
    assert {"action_after_answer": {"send_domain": True}} in declared  # offers "More details" only where there are
