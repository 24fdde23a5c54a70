"""Shared test helpers: build a tracker and run an action the way the action server does."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_tracker(
    text: str = "",
    intent: str = "",
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    **parse_data: Any,
) -> Tracker:
    """A tracker whose latest message is `text`, classified as `intent`."""
    return Tracker(
        sender_id="test-user",
        slots={"language": "es", **(slots or {})},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": entities or [],
            **parse_data,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


def run_sync(coroutine: Any) -> Any:
    """Run a coroutine to completion in a thread of its own, so it works while another event loop
    runs in this thread (Playwright's sync API keeps one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def run_action(action: Action, tracker: Tracker) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run `action`; return (messages sent, slot values set)."""
    dispatcher = CollectingDispatcher()
    events = run_sync(action.run(dispatcher, tracker, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return dispatcher.messages, slots


@pytest.fixture
def root() -> Path:
    return ROOT
