"""The analytics consumer counts what happened, never what was written or by whom."""

from __future__ import annotations

import json
from pathlib import Path

from analytics.consumer import handle
from analytics.counts import day_of, event_store, keys_for

TIMESTAMP = 1_764_000_000.0  # 2025-11-24 UTC


def user(intent: str, text: str = "hola") -> dict:
    return {"event": "user", "timestamp": TIMESTAMP, "sender_id": "abc123", "text": text,
            "parse_data": {"intent": {"name": intent}, "text": text}}


def test_each_kind_of_event_adds_to_its_count() -> None:
    assert keys_for({"event": "session_started"}) == [("conversations", "started")]
    assert keys_for(user("need_asylum")) == [("messages", "user")]
    assert keys_for(user("feedback_good")) == [("messages", "user"), ("feedback", "good")]
    assert keys_for(user("feedback_bad")) == [("messages", "user"), ("feedback", "bad")]
    assert keys_for({"event": "slot", "name": "topic", "value": "asylum"}) == [("topic", "asylum")]
    assert keys_for({"event": "slot", "name": "language", "value": "en"}) == [("language", "en")]
    assert keys_for({"event": "action", "name": "utter_fallback"}) == [("fallback", "total")]
    assert keys_for({"event": "action", "name": "action_handoff_forward"}) == [("handoff", "asked")]
    assert keys_for({"event": "slot", "name": "handoff_available", "value": True}) == [("handoff", "forwarded")]


def test_other_slots_and_events_are_not_counted() -> None:
    assert keys_for({"event": "slot", "name": "place", "value": "tapachula"}) == []
    assert keys_for({"event": "slot", "name": "handoff_available", "value": False}) == []
    assert keys_for({"event": "bot", "text": "hola"}) == []
    assert keys_for({"event": "action", "name": "utter_greet"}) == []
    # A "topic" that is not a short code is not a topic.
    assert keys_for({"event": "slot", "name": "topic", "value": "x" * 200}) == []


def test_events_are_counted_per_utc_day() -> None:
    assert day_of({"timestamp": TIMESTAMP}) == "2025-11-24"
    assert len(day_of({})) == 10


def test_the_store_keeps_counts_and_nothing_written_by_the_person(tmp_path: Path) -> None:
    store = event_store(tmp_path / "analytics.sqlite")
    secret = "me llamo Juana Perez y mi pasaporte es G1234567"
    for event in [user("need_asylum", secret), user("feedback_good", secret),
                  {"event": "slot", "name": "topic", "value": "asylum", "timestamp": TIMESTAMP},
                  {"event": "slot", "name": "topic", "value": "asylum", "timestamp": TIMESTAMP}]:
        handle(store, json.dumps(event).encode())
    assert store.totals("metric", "value") == [("feedback", "good", 1), ("messages", "user", 2), ("topic", "asylum", 2)]
    raw = (tmp_path / "analytics.sqlite").read_bytes()
    for fragment in (b"Juana", b"G1234567", b"abc123"):
        assert fragment not in raw


def test_a_message_that_is_not_an_event_is_skipped(tmp_path: Path) -> None:
    store = event_store(tmp_path / "analytics.sqlite")
    assert handle(store, b"\xff not json") == 0
    assert handle(store, b"[1, 2]") == 0
    assert store.totals("metric", "value") == []
