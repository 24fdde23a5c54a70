"""action_legal_notice: the not-legal-advice line, once per conversation."""

from __future__ import annotations

from actions.legal_notice import ActionLegalNotice
from tests.conftest import make_tracker, run_action


def test_first_time_it_is_said_and_remembered() -> None:
    messages, slots = run_action(ActionLegalNotice(), make_tracker("asilo", "need_asylum"))
    assert [m["response"] for m in messages] == ["utter_legal_notice"]
    assert slots == {"legal_notice_shown": True}


def test_afterwards_it_stays_quiet() -> None:
    messages, slots = run_action(
        ActionLegalNotice(), make_tracker("asilo", "need_asylum", slots={"legal_notice_shown": True})
    )
    assert messages == []
    assert slots == {}
