"""action_detect_language: explicit requests win, detection follows, abstention keeps the language."""

from __future__ import annotations

from actions.language import ActionDetectLanguage
from tests.conftest import entity, make_tracker, run_action


def test_explicit_request_wins_over_detection() -> None:
    tracker = make_tracker(
        "in spanish please", "switch_language", [entity("language", "es")],
        slots={"language": "en"}, detected_language={"code": "en", "confidence": 1.0, "method": "langid"},
    )
    assert run_action(ActionDetectLanguage(), tracker)[1]["language"] == "es"


def test_detected_language_is_followed() -> None:
    tracker = make_tracker("how do i ask for asylum", "need_asylum", detected_language={"code": "en"})
    assert run_action(ActionDetectLanguage(), tracker)[1]["language"] == "en"


def test_abstention_keeps_the_current_language() -> None:
    tracker = make_tracker("ok", "affirm", slots={"language": "en"})
    assert run_action(ActionDetectLanguage(), tracker)[1] == {}


def test_an_unmapped_language_name_is_ignored() -> None:
    tracker = make_tracker("hablame en ingles", "switch_language", [entity("language", "ingles")])
    assert run_action(ActionDetectLanguage(), tracker)[1] == {}


def test_web_chat_choice_is_used_when_detection_abstains() -> None:
    tracker = make_tracker("COMAR", "ask_institution", metadata={"language": "en"})
    assert run_action(ActionDetectLanguage(), tracker)[1]["language"] == "en"


def test_detection_wins_over_the_web_chat_choice() -> None:
    tracker = make_tracker(
        "como pido refugio", "need_asylum", slots={"language": "en"},
        metadata={"language": "en"}, detected_language={"code": "es"},
    )
    assert run_action(ActionDetectLanguage(), tracker)[1]["language"] == "es"


def test_malformed_web_chat_choice_is_ignored() -> None:
    tracker = make_tracker("COMAR", "ask_institution", metadata={"language": "<script>"})
    assert run_action(ActionDetectLanguage(), tracker)[1] == {}


def test_a_web_chat_choice_with_a_trailing_line_break_is_ignored() -> None:
    """`$` would also match before a final line break: "en\n" is not a language code."""
    tracker = make_tracker("COMAR", "ask_institution", metadata={"language": "en\n"})
    assert run_action(ActionDetectLanguage(), tracker)[1] == {}


def test_a_new_language_brings_the_human_lines_in_that_language() -> None:
    tracker = make_tracker("how do i ask for asylum", "need_asylum", detected_language={"code": "en"})
    slots = run_action(ActionDetectLanguage(), tracker)[1]
    assert "▸ CNDH" in slots["main_contacts"] and "Complaints" in slots["main_contacts"]
