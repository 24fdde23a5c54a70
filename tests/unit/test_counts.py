"""The one counting store (common/counts.py), behind the feedback counts and the analytics event counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from actions.feedback import feedback_store
from analytics.counts import event_store
from common.counts import CountStore, CountTable

TABLE = CountTable("counts", ("day", "metric", "value"))


def test_each_key_is_counted_and_totals_sum_over_the_other_columns(tmp_path: Path) -> None:
    store = CountStore(tmp_path / "sub" / "counts.sqlite", TABLE)
    store.add([("2025-11-24", "topic", "asylum"), ("2025-11-24", "topic", "asylum")])
    store.add([("2025-11-25", "topic", "asylum"), ("2025-11-25", "language", "en")])
    store.add([])
    assert store.totals() == [
        ("2025-11-24", "topic", "asylum", 2), ("2025-11-25", "language", "en", 1), ("2025-11-25", "topic", "asylum", 1),
    ]
    assert store.totals("metric", "value") == [("language", "en", 1), ("topic", "asylum", 3)]
    assert store.totals("day") == [("2025-11-24", 2), ("2025-11-25", 2)]


def test_keys_of_the_wrong_size_and_unknown_columns_are_refused(tmp_path: Path) -> None:
    store = CountStore(tmp_path / "counts.sqlite", TABLE)
    with pytest.raises(ValueError, match="3 parts"):
        store.add([("topic", "asylum")])
    with pytest.raises(ValueError, match="no column"):
        store.totals("sender")
    assert store.totals() == []


@pytest.mark.parametrize("name, columns", [("counts; DROP TABLE x", ("a",)), ("t", ("count",)), ("t", ()),
                                           ("t", ("Topic",))])
def test_only_plain_names_go_into_the_sql(name: str, columns: tuple[str, ...]) -> None:
    with pytest.raises(ValueError):
        CountTable(name, columns)


def test_the_files_keep_the_tables_they_always_had(tmp_path: Path) -> None:
    """Files written before the stores were one are read and added to as they are."""
    feedback, events = tmp_path / "feedback.sqlite", tmp_path / "analytics.sqlite"
    with sqlite3.connect(feedback) as connection:
        connection.execute(
            "CREATE TABLE feedback (topic TEXT, rating TEXT, count INTEGER, PRIMARY KEY (topic, rating))"
        )
        connection.execute("INSERT INTO feedback VALUES ('asylum', 'good', 4)")
    with sqlite3.connect(events) as connection:
        connection.execute("CREATE TABLE counts (day TEXT, metric TEXT, value TEXT, count INTEGER, "
                           "PRIMARY KEY (day, metric, value))")
        connection.execute("INSERT INTO counts VALUES ('2025-11-24', 'fallback', 'total', 7)")
    feedback_store(feedback).add([("asylum", "good")])
    event_store(events).add([("2025-11-24", "fallback", "total")])
    assert feedback_store(feedback).totals() == [("asylum", "good", 5)]
    assert event_store(events).totals("metric", "value") == [("fallback", "total", 8)]
