"""Saying it again, on the running server: the previous answer comes back, in the person's language, with
its buttons; before any answer the assistant asks for the question instead."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Conversation, start


@pytest.mark.parametrize(("language", "question", "again"), [
    ("es", "quiero pedir asilo en mexico", "me lo repites por favor"),
    ("en", "how do i ask for asylum in mexico", "can you repeat that please"),
    ("fr", "comment demander l'asile au mexique", "tu peux répéter stp"),
    ("ht", "kijan pou m mande azil nan meksik", "repete sa souple"),
])
def test_the_last_answer_comes_back_with_its_buttons(
        conversation: Conversation, language: str, question: str, again: str) -> None:
    first = conversation.say(question)
    answer = next(m for m in first if start("utter_need_asylum", language) in m.get("text", ""))
    under = first[-1]  # the buttons under the answer (utter_next_steps), after the notices
    repeated = conversation.say(again)
    assert start("utter_repeat_intro", language) in repeated[0]["text"], repeated
    assert [m.get("text") for m in repeated[1:]] == [answer["text"], under["text"]], repeated
    assert repeated[-1].get("buttons") == under.get("buttons") and under.get("buttons")


def test_before_any_answer_it_asks_for_the_question(conversation: Conversation) -> None:
    messages = conversation.say("me lo puedes repetir")
    assert start("utter_repeat_nothing", "es") in messages[0]["text"], messages
