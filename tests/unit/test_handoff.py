"""Handoff: human channels from the directory; forward and pause only when a receiver accepted it."""

from __future__ import annotations

from unittest import mock

import pytest

from actions import handoff
from actions.handoff import ActionHandoffForward, ActionHandoffPause, transcript
from tests.conftest import make_tracker, run_action


def test_without_a_receiver_the_human_lines_are_given_and_nothing_is_forwarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOFF_WEBHOOK_URL", raising=False)
    _, slots = run_action(ActionHandoffForward(), make_tracker("quiero hablar con una persona", "human_handoff"))
    assert slots["handoff_available"] is False
    assert "▸ CNDH" in slots["contact_lines"] and "800 715 2000" in slots["contact_lines"]


def test_with_a_receiver_that_accepts_the_conversation_is_forwarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDOFF_WEBHOOK_URL", "http://127.0.0.1:9/handoff")
    forward = mock.AsyncMock(return_value=True)
    monkeypatch.setattr(handoff, "forward", forward)
    _, slots = run_action(ActionHandoffForward(), make_tracker("talk to a human", "human_handoff"))
    assert slots["handoff_available"] is True
    payload = forward.call_args.args[2]
    assert payload["sender_id"] == "test-user" and "transcript" in payload


def test_pause_only_after_a_successful_forward() -> None:
    assert run_action(ActionHandoffPause(), make_tracker(slots={"handoff_available": False}))[1] == {}
    events_slots = run_action(ActionHandoffPause(), make_tracker(slots={"handoff_available": True}))[1]
    assert events_slots == {"handoff_available": False}


def test_the_transcript_is_redacted() -> None:
    tracker = make_tracker()
    tracker.events = [{"event": "user", "text": "mi tel es 55 1234 5678", "timestamp": 1.0}]
    assert transcript(tracker) == [{"from": "user", "text": "mi tel es [telefono]", "timestamp": 1.0}]
