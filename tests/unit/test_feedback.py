"""Feedback: anonymous counts per topic, printed by `make report`."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.feedback import ActionRecordFeedback, feedback_store
from tests.conftest import make_tracker, run_action


def test_ratings_are_counted_per_topic_without_who_or_what(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FEEDBACK_DB", str(tmp_path / "feedback.sqlite"))
    run_action(ActionRecordFeedback(), make_tracker("👍", "feedback_good", slots={"topic": "asylum"}))
    run_action(ActionRecordFeedback(), make_tracker("👍", "feedback_good", slots={"topic": "asylum"}))
    run_action(ActionRecordFeedback(), make_tracker("👎", "feedback_bad"))
    assert feedback_store(tmp_path / "feedback.sqlite").totals() == [("asylum", "good", 2), ("general", "bad", 1)]


def test_make_report_prints_the_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tools import report

    monkeypatch.setenv("FEEDBACK_DB", str(tmp_path / "feedback.sqlite"))
    feedback_store(tmp_path / "feedback.sqlite").add([("child_protection", "good")])
    assert report.main() == 0
    assert "child_protection" in capsys.readouterr().out
