"""action_after_answer: the privacy notice once, the not-legal-advice line once, after procedures only."""

from __future__ import annotations

from actions.after_answer import ActionAfterAnswer
from tests.conftest import make_tracker, run_action


def responses(messages: list[dict]) -> list[str]:
    return [m["response"] for m in messages]


def test_first_answer_brings_the_privacy_notice_and_a_procedure_the_legal_line() -> None:
    messages, slots = run_action(ActionAfterAnswer(), make_tracker("asilo", "need_asylum"))
    assert responses(messages) == ["utter_privacy_notice", "utter_legal_notice"]
    assert slots == {"privacy_notice_shown": True, "legal_notice_shown": True}


def test_a_greeting_brings_only_the_privacy_notice() -> None:
    messages, _ = run_action(ActionAfterAnswer(), make_tracker("hola", "greet"))
    assert responses(messages) == ["utter_privacy_notice"]


def test_each_notice_is_said_once() -> None:
    shown = {"privacy_notice_shown": True, "legal_notice_shown": True}
    messages, slots = run_action(ActionAfterAnswer(), make_tracker("plazo", "ask_asylum_deadline", slots=shown))
    assert messages == [] and slots == {}


def test_asking_about_privacy_counts_as_having_seen_the_notice() -> None:
    messages, slots = run_action(ActionAfterAnswer(), make_tracker("guardan lo que escribo?", "ask_privacy"))
    assert messages == [] and slots == {"privacy_notice_shown": True}
