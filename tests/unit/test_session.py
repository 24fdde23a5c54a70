"""action_session_start: emergency numbers come from the directory; the language carries over."""

from __future__ import annotations

from actions.session import ActionSessionStart
from tests.conftest import make_tracker, run_action


def test_session_start_sets_emergency_lines_and_keeps_language() -> None:
    tracker = make_tracker(slots={"language": "en"})
    _, slots = run_action(ActionSessionStart(), tracker)
    main_contacts = slots.pop("main_contacts")
    assert slots == {
        "language": "en", "emergency_number": "911", "anonymous_report_number": "089", "retention_days": "30"
    }
    # The lines answered by people, in the conversation's language, for replies made without a lookup.
    assert main_contacts.startswith("▸ CNDH\n📞 800 715 2000")
    assert "24 h" in main_contacts
