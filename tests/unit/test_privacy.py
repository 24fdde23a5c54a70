"""'Borra mis datos', confirmed: the action deletes first and the reply says what really happened."""

from __future__ import annotations

import socket
import textwrap
import time
from pathlib import Path

import pytest
from rasa_sdk import Tracker

from actions.privacy import CLEAR_TRANSCRIPT, ActionDeleteMyData
from privacy.deletion import DeletionError, database_url, delete_conversation
from tests.conftest import ROOT, make_tracker, run_action, run_sync
from tests.unit.test_privacy_tracker_store import conversation, store


def sqlite_endpoints(tmp_path: Path) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(
        "tracker_store:\n  type: privacy.tracker_store.PrivateSQLTrackerStore\n"
        f"  dialect: sqlite\n  db: {tmp_path / 'rasa.db'}\n"
    )
    return path


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_endpoints(tmp_path: Path) -> Path:
    path = tmp_path / "endpoints.production.yml"
    path.write_text(
        "tracker_store:\n  type: privacy.tracker_store.PrivateSQLTrackerStore\n  dialect: postgresql\n"
        "  url: ${TEST_PG_HOST}\n  port: ${TEST_PG_PORT}\n  db: rasa\n  username: rasa\n"
        "  password: ${TEST_PG_PASSWORD}\n"
    )
    return path


def test_deletes_every_event_of_one_conversation_only(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    tracker_store._last_purge = time.monotonic()
    run_sync(tracker_store.save(conversation("a", "hola", "como pido asilo")))
    run_sync(tracker_store.save(conversation("b", "hola")))
    assert delete_conversation("a", sqlite_endpoints(tmp_path)) > 0
    assert run_sync(tracker_store.retrieve("a")) is None
    assert run_sync(tracker_store.retrieve("b")) is not None


def test_nothing_stored_yet_is_nothing_to_delete(tmp_path: Path) -> None:
    assert delete_conversation("a", sqlite_endpoints(tmp_path)) == 0


def test_the_url_is_read_from_the_endpoints_file_with_its_environment_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_PG_HOST", "db.internal")
    monkeypatch.setenv("TEST_PG_PORT", "5433")
    monkeypatch.setenv("TEST_PG_PASSWORD", "p@ss")
    url = database_url(postgres_endpoints(tmp_path))
    assert (url.drivername, url.host, url.port, url.database, url.username, url.password) == (
        "postgresql", "db.internal", 5433, "rasa", "rasa", "p@ss")


def test_an_unreachable_database_is_a_failure_not_a_confirmation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_PG_HOST", "127.0.0.1")
    monkeypatch.setenv("TEST_PG_PORT", str(closed_port()))
    with pytest.raises(DeletionError):
        delete_conversation("a", postgres_endpoints(tmp_path))


def test_another_kind_of_tracker_store_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "endpoints.yml"
    path.write_text("tracker_store:\n  type: redis\n")
    with pytest.raises(DeletionError):
        delete_conversation("a", path)


def tracker_on(channel: str) -> Tracker:
    tracker = make_tracker("si", "affirm")
    tracker.events = [{"event": "user", "text": "si", "input_channel": channel}]
    tracker.sender_id = "a"
    return tracker


def test_the_action_says_deleted_and_tells_the_web_chat_to_forget_its_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracker_store = store(tmp_path)
    run_sync(tracker_store.save(conversation("a", "hola")))
    monkeypatch.setenv("ENDPOINTS_FILE", str(sqlite_endpoints(tmp_path)))
    messages, slots = run_action(ActionDeleteMyData(), tracker_on("socketio"))
    assert slots == {"lookup_result": "deleted"}
    assert [m["custom"] for m in messages] == [CLEAR_TRANSCRIPT]
    assert run_sync(tracker_store.retrieve("a")) is None


def test_other_channels_get_no_web_chat_instruction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENDPOINTS_FILE", str(sqlite_endpoints(tmp_path)))
    messages, slots = run_action(ActionDeleteMyData(), tracker_on("whatsapp"))
    assert slots == {"lookup_result": "deleted"} and messages == []


def test_the_action_says_failed_when_the_database_does_not_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_PG_HOST", "127.0.0.1")
    monkeypatch.setenv("TEST_PG_PORT", str(closed_port()))
    monkeypatch.setenv("ENDPOINTS_FILE", str(postgres_endpoints(tmp_path)))
    messages, slots = run_action(ActionDeleteMyData(), tracker_on("socketio"))
    assert slots == {"lookup_result": "failed"}
    assert messages == []  # the phone keeps its copy: nothing was deleted


def endpoints(tmp_path: Path, tracker_store: str) -> Path:
    path = tmp_path / "endpoints.yml"
    lines = textwrap.dedent(tracker_store).strip().splitlines()
    path.write_text("tracker_store:\n" + "".join(f"  {line}\n" for line in lines))
    return path


def test_a_sqlite_store_without_dialect_or_file_is_the_projects_rasa_db(tmp_path: Path) -> None:
    url = database_url(endpoints(tmp_path, "type: privacy.tracker_store.PrivateSQLTrackerStore"))
    assert (url.drivername, url.database) == ("sqlite", str(ROOT / "rasa.db"))


def test_unset_variables_and_empty_values_are_left_out_of_the_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEST_PG_UNSET", raising=False)
    url = database_url(endpoints(tmp_path, """
        type: privacy.tracker_store.PrivateSQLTrackerStore
        dialect: postgresql
        url: db
        port: ${TEST_PG_UNSET}
        username: ${TEST_PG_UNSET}
        password: ""
        """))
    assert (url.host, url.port, url.username, url.password, url.database) == ("db", None, None, None, None)


def test_a_port_written_as_a_number_is_read(tmp_path: Path) -> None:
    url = database_url(endpoints(tmp_path, """
        type: privacy.tracker_store.PrivateSQLTrackerStore
        dialect: postgresql
        port: 5432
        db: rasa
        """))
    assert (url.port, url.database) == (5432, "rasa")


@pytest.mark.parametrize("content", ["", "tracker_store:\n", "tracker_store:\n  dialect: sqlite\n"])
def test_no_private_tracker_store_in_the_file_is_a_failure(tmp_path: Path, content: str) -> None:
    path = tmp_path / "endpoints.yml"
    path.write_text(content)
    with pytest.raises(DeletionError, match=r"^endpoints\.yml: the tracker store is not PrivateSQLTrackerStore$"):
        database_url(path)


@pytest.mark.parametrize(("dialect", "argument"), [("sqlite", "timeout"), ("postgresql", "connect_timeout")])
def test_an_unreachable_database_is_given_up_on_after_five_seconds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialect: str, argument: str
) -> None:
    """The person is waiting for the reply: the driver's connection timeout is set, not left to its default."""
    import sqlalchemy as sa

    seen: dict = {}

    def create_engine(url: object, **kwargs: object) -> None:
        seen.update(kwargs)
        raise sa.exc.ArgumentError("stop here")

    monkeypatch.setattr(sa, "create_engine", create_engine)
    monkeypatch.setenv("TEST_PG_HOST", "127.0.0.1")
    monkeypatch.setenv("TEST_PG_PORT", "5432")
    path = sqlite_endpoints(tmp_path) if dialect == "sqlite" else postgres_endpoints(tmp_path)
    with pytest.raises(DeletionError, match=r"^ArgumentError$"):
        delete_conversation("a", path)
    assert seen["connect_args"] == {argument: 5}
    assert seen["poolclass"] is sa.pool.NullPool


def test_a_conversation_that_was_never_stored_deletes_nothing_among_others(tmp_path: Path) -> None:
    tracker_store = store(tmp_path)
    tracker_store._last_purge = time.monotonic()
    run_sync(tracker_store.save(conversation("b", "hola")))
    assert delete_conversation("a", sqlite_endpoints(tmp_path)) == 0
    assert run_sync(tracker_store.retrieve("b")) is not None


def test_events_still_there_after_the_deletion_are_a_failure_not_a_confirmation(tmp_path: Path) -> None:
    """The deletion is checked, not assumed: here the database silently ignores it (a trigger)."""
    import sqlite3

    tracker_store = store(tmp_path)
    tracker_store._last_purge = time.monotonic()
    run_sync(tracker_store.save(conversation("a", "hola")))
    with sqlite3.connect(tmp_path / "rasa.db") as connection:
        stored = connection.execute("SELECT count(*) FROM events WHERE sender_id = 'a'").fetchone()[0]
        connection.execute("CREATE TRIGGER keep BEFORE DELETE ON events BEGIN SELECT RAISE(IGNORE); END")
    with pytest.raises(DeletionError, match=rf"^{stored} events left$"):
        delete_conversation("a", sqlite_endpoints(tmp_path))
