"""The REST channel's text cleaning (the HTTP checks are in tests/e2e/test_bad_input.py)."""

from __future__ import annotations

from channels.rest import clean_text


def test_control_and_bidi_characters_are_removed_but_line_breaks_kept() -> None:
    assert clean_text("\x00hola\u202e\u200b\nmundo\x07 ") == "hola\nmundo"
