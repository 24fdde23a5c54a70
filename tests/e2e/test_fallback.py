"""The fallback that helps, on the running server: an unclear message gets the likely topics as buttons in
the person's language, and a click on one gets that topic's normal answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import Conversation

ROOT = Path(__file__).resolve().parents[2]
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]

# Genuinely unclear messages (the classifier is below its threshold for each), with a topic the person
# could mean that the model ranks among the first three. Which messages are unclear depends on the training
# data: when one becomes clear (or its likely topics change), pick another that the model still finds unclear.
UNCLEAR = [
    ("es", "oiga y lo del tramite ese de refugio", "need_asylum"),
    ("en", "the papers thing how it goes", "need_immigration_status"),
    ("fr", "pour rester au mexique la, c est comment", "need_asylum"),
    ("ht", "pou papye a kijan sa ye", "need_immigration_status"),
]


def first_line(response: str, language: str) -> str:
    """The fixed start of a response's first line in `language` (the family variation)."""
    for variation in RESPONSES[response]:
        conditions = {c["name"]: c["value"] for c in variation.get("condition", [])}
        if conditions.get("language", "es") == language and conditions.get("audience") is None \
                and not conditions.keys() - {"language", "audience", "suggestion_count"}:
            return str(variation["text"]).split("\n")[0].split("{")[0].strip()
    raise AssertionError((response, language))


def suggestions(messages: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """The buttons of the "Did you mean...?" message (there must be exactly one)."""
    question = first_line("utter_suggest_topics", language)
    found = [m for m in messages if question in m.get("text", "")]
    assert len(found) == 1, messages
    return list(found[0]["buttons"])


@pytest.mark.parametrize(("language", "message", "intent"), UNCLEAR)
def test_an_unclear_message_gets_likely_topics_and_a_click_gets_the_answer(
    conversation: Conversation, language: str, message: str, intent: str
) -> None:
    buttons = suggestions(conversation.say(message), language)
    assert 2 <= len(buttons) <= 4, buttons  # one to three topics, then "something else"
    assert buttons[-1]["payload"] == "/help", buttons
    chosen = [b for b in buttons if b["payload"] == f"/{intent}"]
    assert chosen, buttons
    reply = conversation.say_text(chosen[0]["payload"])
    assert first_line(f"utter_{intent}", language) in reply, reply


def test_something_else_opens_the_general_menu(conversation: Conversation) -> None:
    language, message, _ = UNCLEAR[0]
    buttons = suggestions(conversation.say(message), language)
    assert buttons[-1]["title"] == "Otra cosa"
    messages = conversation.say(buttons[-1]["payload"])
    assert first_line("utter_help", language) in messages[0]["text"], messages
    assert len(messages[0]["buttons"]) >= 5


def test_with_no_likely_topic_the_general_menu_comes_at_once(conversation: Conversation) -> None:
    messages = conversation.say("enben e sa")
    assert first_line("utter_fallback", "ht") in messages[0]["text"], messages
    assert "/need_asylum" in [b["payload"] for b in messages[0]["buttons"]]
