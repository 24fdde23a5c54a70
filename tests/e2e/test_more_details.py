"""The details behind a short answer, on the running server: the "📄 More details" button and a typed "more
details" both bring the details of the answer just given, in the person's language; with nothing before, the
assistant says it has no more details instead of guessing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Conversation, start


@pytest.mark.parametrize(("language", "question", "more"), [
    ("es", "quiero pedir asilo en mexico", "mas detalles porfa"),
    ("en", "how do i ask for asylum in mexico", "more details please"),
    ("fr", "comment demander l'asile au mexique", "je veux plus de détails"),
    ("ht", "kijan pou m mande azil nan meksik", "ban m plis detay souple"),
])
def test_typed_more_brings_the_details_of_the_answer(
        conversation: Conversation, language: str, question: str, more: str) -> None:
    first = conversation.say(question)
    answer = next(m for m in first if start("utter_need_asylum", language) in m.get("text", ""))
    titles = [b["title"] for b in first[-1].get("buttons", [])]  # under the answer, after the notices
    assert answer is not first[-1]
    assert any(t.startswith("📄") for t in titles), titles
    details = conversation.say(more)
    assert start("utter_need_asylum_details", language) in details[0]["text"], details


def test_the_button_brings_the_details_of_a_short_answer(conversation: Conversation) -> None:
    conversation.say("me puedes decir que pasa si detienen a mi hijo en una estacion migratoria")
    details = conversation.say("/ask_more_details")
    assert start("utter_need_child_detained_details", "es") in details[0]["text"], details


def test_with_nothing_before_it_says_there_are_no_more_details(conversation: Conversation) -> None:
    messages = conversation.say("more details please")
    assert start("utter_more_details_none", "en") in messages[0]["text"], messages
