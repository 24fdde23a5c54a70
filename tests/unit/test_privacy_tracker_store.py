"""The tracker store: nothing personal stored, deletion on request, retention purge, no exit on bad
input, the thread kept while the database is down."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from privacy.event_broker import RedactingPikaEventBroker
from privacy.tracker_store import PrivateSQLTrackerStore, redact_user_event
from tests.conftest import ROOT, run_sync
from tools import purge


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
    tracker_store._last_purge = time.monotonic()  # no automatic purge in this test
    old = time.time() - 40 * 86_400
    run_sync(tracker_store.save(conversation("old", "hola", timestamp=old)))
    run_sync(tracker_store.save(conversation("new", "hola")))
    assert tracker_store.purge_older_than(30) == 1
    assert run_sync(tracker_store.retrieve("old")) is None
    assert run_sync(tracker_store.retrieve("new")) is not None


def test_conversations_past_retention_go_without_make_purge(tmp_path: Path) -> None:
    """The privacy notice promises RETENTION_DAYS: the store purges by itself (at most once an hour)."""
    tracker_store = store(tmp_path)
    run_sync(tracker_store.save(conversation("old", "hola", timestamp=time.time() - 40 * 86_400)))
    assert run_sync(tracker_store.retrieve("old")) is None
    run_sync(tracker_store.save(conversation("new", "hola")))
    assert run_sync(tracker_store.retrieve("new")) is not None


def test_an_unencodable_sender_is_an_error_of_that_message_not_the_end_of_the_process(tmp_path: Path) -> None:
    """Rasa's session_scope turned any ValueError into sys.exit: one request stopped the service."""
    tracker_store = store(tmp_path)
    with pytest.raises(ValueError):
        run_sync(tracker_store.save(conversation("\ud800", "hola")))
    run_sync(tracker_store.save(conversation("next", "hola")))
    assert run_sync(tracker_store.retrieve("next")) is not None


@contextlib.contextmanager
def database_down(tracker_store: PrivateSQLTrackerStore) -> Iterator[None]:
    def refuse() -> None:
        raise sa.exc.OperationalError("connect", {}, Exception("connection refused"))

    working = tracker_store.sessionmaker
    tracker_store.sessionmaker = refuse
    try:
        yield
    finally:
        tracker_store.sessionmaker = working


def test_while_the_database_is_down_a_conversation_keeps_its_thread_and_is_written_after(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    run_sync(tracker_store.save(conversation("a", "hola")))
    during = conversation("a", "hola", "borra mis datos")
    with database_down(tracker_store):
        before = run_sync(tracker_store.retrieve("a"))  # the first message of the outage keeps the thread
        assert [e.text for e in before.events if isinstance(e, UserUttered)] == ["hola"]
        run_sync(tracker_store.save(during))  # no exception: kept in memory
        kept = run_sync(tracker_store.retrieve("a"))
        assert kept is not None and [e.text for e in kept.events if isinstance(e, UserUttered)] == [
            "hola", "borra mis datos"]
        with pytest.raises(sa.exc.OperationalError):
            run_sync(tracker_store.retrieve("never-seen"))
    run_sync(tracker_store.save(kept))
    stored = run_sync(tracker_store.retrieve("a"))
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["hola", "borra mis datos"]


class RecordingBroker:
    """An event broker that keeps what it was given."""

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, event: dict) -> None:
        self.published.append(event)


def test_during_an_outage_new_events_are_published_once_and_redacted(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    broker = RecordingBroker()
    tracker_store.event_broker = broker
    run_sync(tracker_store.save(conversation("a", "hola")))
    broker.published.clear()
    with database_down(tracker_store):
        run_sync(tracker_store.save(conversation("a", "hola", "mi tel 5512345678")))
    user_texts = [e["text"] for e in broker.published if e["event"] == "user"]
    assert user_texts == ["mi tel [telefono]"]
    assert "5512345678" not in json.dumps(broker.published)


def test_a_deletion_that_fails_keeps_nothing_in_memory_and_does_not_raise(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    run_sync(tracker_store.save(conversation("a", "hola")))
    tracker = conversation("a", "hola", "borra mis datos")
    tracker.update(ActionExecuted("action_delete_my_data"))
    with database_down(tracker_store):
        run_sync(tracker_store.save(conversation("a", "hola", "y ahora")))
        run_sync(tracker_store.save(tracker))
        with pytest.raises(sa.exc.OperationalError):
            run_sync(tracker_store.retrieve("a"))
    assert run_sync(tracker_store.retrieve("a")) is not None  # not deleted: the action said it failed


def test_token_offsets_are_not_stored_and_metadata_is_trimmed() -> None:
    event = {
        "event": "user", "text": "mi tel 5512345678",
        "parse_data": {"text": "mi tel 5512345678", "text_tokens": [[0, 2], [3, 6], [7, 17]],
                       "metadata": {"language": "es", "phone": "5512345678"}},
        "metadata": {"language": "es", "phone": "5512345678"},
    }
    redacted = redact_user_event(event)
    assert "5512345678" not in json.dumps(redacted)
    assert "text_tokens" not in redacted["parse_data"]
    assert redacted["metadata"] == {"language": "es"}
    assert redact_user_event({"event": "bot", "text": "5512345678"})["text"] == "5512345678"  # bot text kept


def test_the_event_broker_publishes_user_events_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    published: list[dict] = []
    monkeypatch.setattr("rasa.core.brokers.pika.PikaEventBroker.publish",
                        lambda self, event, headers=None: published.append(event))
    broker = RedactingPikaEventBroker.__new__(RedactingPikaEventBroker)  # no connection needed
    broker.publish({"event": "user", "sender_id": "x", "text": "correo ana.perez@example.org",
                    "parse_data": {"text": "correo ana.perez@example.org", "text_tokens": [[0, 6]]}})
    assert "ana.perez" not in json.dumps(published) and "text_tokens" not in json.dumps(published)


def test_a_relative_sqlite_path_is_the_projects_whatever_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tools/purge.py` run from elsewhere created an empty database and left the real one untouched."""
    real = tmp_path / "rasa.db"
    writer = store(tmp_path)
    writer._last_purge = time.monotonic()  # keep the old conversation for tools/purge.py to find
    run_sync(writer.save(conversation("old", "hola", timestamp=time.time() - 40 * 86_400)))
    endpoints = tmp_path / "endpoints.yml"
    relative = os.path.relpath(real, ROOT)
    endpoints.write_text(
        f"tracker_store:\n  type: privacy.tracker_store.PrivateSQLTrackerStore\n  dialect: sqlite\n  db: {relative}\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with sqlite3.connect(real) as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    assert purge.main(["--endpoints", str(endpoints), "--days", "30"]) == 0
    with sqlite3.connect(real) as connection:
        assert connection.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert not list(elsewhere.rglob("*.db"))


def test_retention_is_counted_in_days_to_the_second(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    tracker_store._last_purge = time.monotonic()
    now = 2_000_000_000.0
    run_sync(tracker_store.save(conversation("just-past", "hola", timestamp=now - 86_400 - 0.5)))
    run_sync(tracker_store.save(conversation("just-within", "hola", timestamp=now - 86_400 + 0.5)))
    assert tracker_store.purge_older_than(1, now=now) == 1
    assert run_sync(tracker_store.retrieve("just-past")) is None
    assert run_sync(tracker_store.retrieve("just-within")) is not None


@pytest.mark.parametrize(("elapsed", "purged"), [(3_599.0, False), (3_600.0, True)])
def test_the_automatic_purge_runs_at_most_once_an_hour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, elapsed: float, purged: bool
) -> None:
    tracker_store = store(tmp_path)
    tracker_store._last_purge = 1_000.0
    monkeypatch.setattr(time, "monotonic", lambda: 1_000.0 + elapsed)
    runs: list[float] = []

    def purge(days: float) -> int:
        runs.append(days)
        return 0

    monkeypatch.setattr(tracker_store, "purge_older_than", purge)
    run_sync(tracker_store.save(conversation("a", "hola")))
    assert runs == ([30.0] if purged else [])
    assert tracker_store._last_purge == (1_000.0 + elapsed if purged else 1_000.0)


def test_the_purge_logs_what_it_deleted_or_why_it_failed_and_nothing_else(caplog: pytest.LogCaptureFixture) -> None:
    import asyncio

    from privacy.tracker_store import _log_purge

    def done(result: int | None = None, error: Exception | None = None) -> asyncio.Future[int]:
        future: asyncio.Future[int] = asyncio.Future(loop=asyncio.new_event_loop())
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result or 0)
        return future

    with caplog.at_level(logging.INFO, logger="privacy.tracker_store"):
        _log_purge(done(3))
        _log_purge(done(0))
        _log_purge(done(error=sa.exc.OperationalError("purge", {}, Exception("5512345678"))))
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "Retention purge: deleted 3 conversation(s)"),
        ("ERROR", "Retention purge failed: OperationalError"),
    ]


def test_at_most_two_thousand_conversations_are_kept_in_memory_the_oldest_forgotten_first(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    trackers = [DialogueStateTracker.from_events(f"s{i}", []) for i in range(2_001)]
    for tracker in trackers[:2_000]:
        tracker_store._keep(tracker)
    tracker_store._keep(trackers[0])  # saved again: now the most recent
    tracker_store._keep(trackers[2_000])
    assert len(tracker_store._kept) == 2_000
    assert "s1" not in tracker_store._kept and "s0" in tracker_store._kept
    assert list(tracker_store._kept)[-2:] == ["s0", "s2000"]


def test_each_pooled_connection_is_tested_before_use(tmp_path: Path) -> None:
    """A database restart costs a reconnect, not a failed message."""
    assert store(tmp_path).engine.pool._pre_ping is True


def test_a_deletion_on_request_is_logged_with_its_count_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    tracker_store = store(tmp_path)
    tracker_store._last_purge = time.monotonic()
    run_sync(tracker_store.save(conversation("a", "mi tel 5512345678")))
    tracker = conversation("a", "borra mis datos")
    tracker.update(ActionExecuted("action_delete_my_data"))
    with caplog.at_level(logging.INFO, logger="privacy.tracker_store"):
        run_sync(tracker_store.save(tracker))
    assert caplog.messages == ["Deleted a conversation on request (4 events)"]


def test_a_redacted_user_event_keeps_what_nlu_found_and_its_own_text_everywhere() -> None:
    event = {
        "event": "user", "text": "mi tel 5512345678", "timestamp": 1.0, "input_channel": "socketio",
        "parse_data": {"text": "mi tel 5512345678", "intent": {"name": "greet", "confidence": 0.9},
                       "entities": [{"entity": "place", "value": "Chiapas"}], "text_tokens": [[0, 2]],
                       "metadata": {"language": 5}},
        "metadata": ["not", "a", "dict"],
    }
    assert redact_user_event(event) == {
        "event": "user", "text": "mi tel [telefono]", "timestamp": 1.0, "input_channel": "socketio",
        "parse_data": {"text": "mi tel [telefono]", "intent": {"name": "greet", "confidence": 0.9},
                       "entities": [{"entity": "place", "value": "Chiapas"}], "metadata": {}},
        "metadata": {},
    }
    assert event["text"] == "mi tel 5512345678"  # the event itself is not changed


def test_a_user_event_without_text_or_parse_data_is_stored_empty() -> None:
    assert redact_user_event({"event": "user", "text": None}) == {
        "event": "user", "text": "", "parse_data": {"text": "", "metadata": {}}, "metadata": {}}


def test_a_conversation_exactly_at_the_retention_limit_is_kept(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    tracker_store._last_purge = time.monotonic()
    now = 2_000_000_000.0
    run_sync(tracker_store.save(conversation("at-the-limit", "hola", timestamp=now - 86_400)))
    assert tracker_store.purge_older_than(1, now=now) == 0


def test_the_metadata_stored_with_a_message_and_a_session_keeps_the_language_only() -> None:
    from privacy.tracker_store import redact_event

    event = {"event": "user", "text": "hola", "parse_data": {"metadata": {"language": "es", "phone": "5512345678"}}}
    assert redact_user_event(event)["parse_data"]["metadata"] == {"language": "es"}
    started = redact_event(SlotSet("session_started_metadata", {"language": "ht", "phone": "5512345678"},
                                   timestamp=7.0))
    assert (started.key, started.value, started.timestamp) == ("session_started_metadata", {"language": "ht"}, 7.0)
    other = SlotSet("phone", "5512345678")
    assert redact_event(other) is other  # slots hold no free text: the actions fill them


@pytest.mark.parametrize(
    ("kwargs", "db"),
    [
        ({"dialect": "sqlite", "db": "rasa.db"}, str(ROOT / "rasa.db")),
        ({"db": "var/rasa.db"}, str(ROOT / "var" / "rasa.db")),  # sqlite is the default dialect
        ({"dialect": "sqlite", "db": "/tmp/elsewhere.db"}, "/tmp/elsewhere.db"),
        ({"dialect": "postgresql", "db": "rasa"}, "rasa"),  # a database name, not a path
        ({"dialect": "sqlite"}, None),
    ],
)
def test_only_a_relative_sqlite_file_is_made_the_projects(
    monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, str], db: str | None
) -> None:
    seen: dict[str, object] = {}

    def rasas_init(self: object, *args: object, **given: object) -> None:
        seen.update(given)
        raise RuntimeError("stop before connecting")

    monkeypatch.setattr("rasa.core.tracker_store.SQLTrackerStore.__init__", rasas_init)
    with pytest.raises(RuntimeError, match="stop before connecting"):
        PrivateSQLTrackerStore(domain=None, **kwargs)
    assert seen.get("db") == db and seen.get("dialect") == kwargs.get("dialect")


def test_rasas_schema_check_runs_in_every_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """POSTGRESQL_SCHEMA is checked on the session's own database (nothing to check on SQLite)."""
    monkeypatch.setenv("POSTGRESQL_SCHEMA", "rasa")
    tracker_store = store(tmp_path)
    run_sync(tracker_store.save(conversation("a", "hola")))
    assert run_sync(tracker_store.retrieve("a")) is not None


def test_database_errors_are_logged_by_kind_never_with_the_conversation(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    tracker_store = store(tmp_path)
    tracker_store._last_purge = time.monotonic()
    tracker = conversation("a", "mi tel 5512345678")
    tracker.update(ActionExecuted("action_delete_my_data"))
    with caplog.at_level(logging.ERROR, logger="privacy.tracker_store"), database_down(tracker_store):
        run_sync(tracker_store.save(conversation("a", "mi tel 5512345678")))
        run_sync(tracker_store.save(tracker))
    assert caplog.messages == [
        "Could not save a conversation (OperationalError): kept in memory until the database is back",
        "A conversation could not be deleted on request: OperationalError",
    ]
