"""Saying the last answer again: the previous turn's answer, not the notices, and never an old one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.repeat import ActionRepeatAnswer, ActionRepeatCheck, last_answer
from tests.conftest import make_tracker, run_action
from tools.variations import split

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
LANGUAGES = ["es", "en", "fr", "ht"]


def user(text: str, intent: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 1.0}}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def bot(response: str | None, text: str, buttons: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"event": "bot", "text": text, "data": {"buttons": buttons or []},
            "metadata": {"utter_action": response} if response else {}}


CARD_BUTTONS = [{"title": "📞 COMAR", "payload": "/ask_contacts"}]
ASYLUM_TURN = [
    user("quiero pedir asilo", "need_asylum"),
    action("utter_need_asylum"), bot("utter_need_asylum", "Para pedir asilo..."),
    action("action_after_answer"), bot("utter_privacy_notice", "Aviso..."), bot("utter_legal_notice", "No es asesoria"),
]
CONTACTS_TURN = [
    user("a quien llamo", "ask_contacts"),
    action("action_institution_contacts"), action("utter_contacts"),
    bot("utter_contacts", "COMAR: 55 ...", CARD_BUTTONS),
]


def tracker_with(events: list[dict[str, Any]], language: str = "es") -> Any:
    tracker = make_tracker("repitelo", "ask_repeat", slots={"language": language})
    tracker.events = [*events, user("repitelo", "ask_repeat")]
    return tracker


def test_a_rule_response_is_sent_again_by_name_without_the_notices() -> None:
    assert last_answer(tracker_with(ASYLUM_TURN).events) == [{"response": "utter_need_asylum"}]


CARD_TURN = [
    user("ficha para la familia", "ask_referral_card"),
    action("action_referral_card"), bot(None, "Ficha: COMAR 55 ...", CARD_BUTTONS),
]


def test_a_response_filled_from_slots_is_sent_again_by_name() -> None:
    messages, _ = run_action(ActionRepeatAnswer(), tracker_with(ASYLUM_TURN + CONTACTS_TURN))
    assert [m["response"] for m in messages] == ["utter_contacts"]


def test_a_message_an_action_wrote_is_sent_again_as_the_person_saw_it() -> None:
    messages, _ = run_action(ActionRepeatAnswer(), tracker_with(ASYLUM_TURN + CARD_TURN))
    assert [(m["text"], m["buttons"]) for m in messages] == [("Ficha: COMAR 55 ...", CARD_BUTTONS)]


def test_only_the_previous_answer_is_repeated_not_an_older_one() -> None:
    answer = last_answer(tracker_with(ASYLUM_TURN + CONTACTS_TURN).events)
    assert {"response": "utter_need_asylum"} not in answer and len(answer) == 1


def test_asking_twice_repeats_the_same_answer_again() -> None:
    first_repeat = [user("otra vez", "ask_repeat"), action("action_repeat_check"), action("utter_repeat_intro"),
                    bot("utter_repeat_intro", "Claro, te lo repito"), action("action_repeat_answer"),
                    bot(None, "Para pedir asilo...")]
    assert last_answer(tracker_with(ASYLUM_TURN + first_repeat).events) == [{"response": "utter_need_asylum"}]


@pytest.mark.parametrize(("events", "found"), [(ASYLUM_TURN, "some"), ([], "none"),
                                               ([user("hola", "greet"), action("action_listen")], "none")])
def test_the_check_tells_the_rules_whether_there_is_something_to_repeat(
        events: list[dict[str, Any]], found: str) -> None:
    messages, slots = run_action(ActionRepeatCheck(), tracker_with(events))
    assert messages == [] and slots == {"repeat_found": found}


@pytest.mark.parametrize("response", ["utter_repeat_intro", "utter_repeat_nothing"])
def test_the_repeat_wording_exists_in_every_language(response: str) -> None:
    languages = {split(v)[0] for v in DOMAIN["responses"][response]}
    assert languages == set(LANGUAGES)
