"""Anonymous counts in a small SQLite file: one row per key (a few short codes), with how many times it was
added. The one counting store: the action server keeps 👍/👎 per topic in it (actions/feedback.py), the
analytics consumer its event counts per day (analytics/counts.py), and `make report` prints both.

Only keys and counts are stored, never who or when beyond what a key itself holds.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_IDENTIFIER = re.compile(r"[a-z_]+")
# The 👍/👎 intents and the rating each one counts as (the feedback action and the analytics consumer).
FEEDBACK_RATINGS = {"feedback_good": "good", "feedback_bad": "bad"}


@dataclass(frozen=True)
class CountTable:
    """A table of counts: its name and the columns of its key (the primary key, in this order)."""

    name: str
    columns: tuple[str, ...]

    def __post_init__(self) -> None:
        # The names are written into the SQL: only plain lower-case identifiers, and never "count".
        for identifier in (self.name, *self.columns):
            if not _IDENTIFIER.fullmatch(identifier) or identifier == "count":
                raise ValueError(f"not a table or column name for counts: {identifier!r}")
        if not self.columns:
            raise ValueError(f"{self.name}: a count table needs at least one key column")

    @property
    def schema(self) -> str:
        keys = ", ".join(self.columns)
        columns = ", ".join(f"{column} TEXT" for column in self.columns)
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({columns}, count INTEGER, PRIMARY KEY ({keys}))"


class CountStore:
    """Counts per key of `table` in the SQLite file `path` (created, with its folder, on first use)."""

    def __init__(self, path: Path, table: CountTable, timeout_s: float = 10.0) -> None:
        self.path = path
        self.table = table
        self.timeout_s = timeout_s

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.timeout_s)
        connection.execute(self.table.schema)
        return connection

    def add(self, keys: Iterable[tuple[str, ...]]) -> None:
        """Add one to the count of each key, in one transaction."""
        rows = [tuple(key) for key in keys]
        if not rows:
            return
        for key in rows:
            if len(key) != len(self.table.columns):
                raise ValueError(f"{self.table.name}: a key has {len(self.table.columns)} parts, not {key!r}")
        columns = ", ".join(self.table.columns)
        placeholders = ", ".join("?" for _ in self.table.columns)
        with closing(self._connect()) as connection, connection:
            connection.executemany(
                f"INSERT INTO {self.table.name} VALUES ({placeholders}, 1) "
                f"ON CONFLICT ({columns}) DO UPDATE SET count = count + 1",
                rows,
            )

    def totals(self, *columns: str) -> list[tuple[Any, ...]]:
        """(value of each of `columns`..., count) summed over the other key columns, ordered by `columns`;
        every key column when none is named."""
        chosen = columns or self.table.columns
        unknown = [column for column in chosen if column not in self.table.columns]
        if unknown:
            raise ValueError(f"{self.table.name} has no column {unknown[0]!r}")
        names = ", ".join(chosen)
        with closing(self._connect()) as connection:
            return list(
                connection.execute(
                    f"SELECT {names}, SUM(count) FROM {self.table.name} GROUP BY {names} ORDER BY {names}"
                )
            )
