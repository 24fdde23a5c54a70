"""The tracker store: nothing personal stored, deletion on request, retention purge."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.tracker_store import PrivateSQLTrackerStore
from tests.conftest import run_sync


def store(tmp_path: Path) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(domain=None, dialect="sqlite", db=str(tmp_path / "rasa.db"))


def stored_text(tmp_path: Path) -> str:
    with sqlite3.connect(tmp_path / "rasa.db") as connection:
        return json.dumps([row for row in connection.execute("SELECT sender_id, data FROM events")])


def conversation(sender: str, *texts: str, timestamp: float | None = None) -> DialogueStateTracker:
    events = [SessionStarted(timestamp=timestamp), ActionExecuted("action_listen", timestamp=timestamp)]
    for text in texts:
        events.append(
            UserUttered(
                text, {"name": "greet", "confidence": 1.0}, metadata={"language": "es", "phone": "5512345678"},
                timestamp=timestamp,
            )
        )
        events.append(BotUttered("hola", timestamp=timestamp))
    return DialogueStateTracker.from_events(sender, events)


def test_phone_numbers_and_emails_never_reach_the_database(tmp_path: Path) -> None:
    run_sync(store(tmp_path).save(conversation("a", "mi numero es 55 1234 5678 y mi correo ana@example.org")))
    text = stored_text(tmp_path)
    assert "1234 5678" not in text and "ana@example.org" not in text and "5512345678" not in text
    assert "[telefono]" in text and "[correo]" in text


def test_delete_my_data_removes_the_whole_conversation(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    run_sync(tracker_store.save(conversation("a", "hola")))
    run_sync(tracker_store.save(conversation("b", "hola")))
    tracker = conversation("a", "hola", "borra mis datos")
    tracker.update(ActionExecuted("action_delete_my_data"))
    run_sync(tracker_store.save(tracker))
    assert run_sync(tracker_store.retrieve("a")) is None
    assert run_sync(tracker_store.retrieve("b")) is not None


def test_purge_removes_only_conversations_past_retention(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    old = time.time() - 40 * 86_400
    run_sync(tracker_store.save(conversation("old", "hola", timestamp=old)))
    run_sync(tracker_store.save(conversation("new", "hola")))
    assert tracker_store.purge_older_than(30) == 1
    assert run_sync(tracker_store.retrieve("old")) is None
    assert run_sync(tracker_store.retrieve("new")) is not None
