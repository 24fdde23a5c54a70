"""The REST channel's own rules: its namespace, its token and its JSON parsing (the HTTP checks are in
tests/e2e/test_bad_input.py and tests/e2e/test_security.py)."""

from __future__ import annotations

import re

import pytest

from channels.inbound import parse_json
from channels.rest import conversation_id, token_matches
from channels.webchat import SESSION_ID


@pytest.mark.parametrize("sender", ["maria-1", "0123456789abcdef0123456789abcdef", "whatsapp-" + "a" * 32])
def test_a_rest_sender_can_never_name_another_channels_conversation(sender: str) -> None:
    stored = conversation_id(sender)
    assert stored.startswith("rest-")
    assert not SESSION_ID.match(stored)  # web chat ids are exactly 32 hex digits
    assert not re.match(r"^(whatsapp|telegram|messenger)-", stored)


def test_without_a_configured_token_every_call_passes() -> None:
    assert token_matches("", "")
    assert token_matches("", "Bearer anything")


@pytest.mark.parametrize("header", ["", "Bearer wrong", "Bearer s3cret-but-longer", "s3cre", "Bearer ñ\ud800"])
def test_a_configured_token_refuses_anything_else_without_raising(header: str) -> None:
    assert not token_matches("s3cret", header)


def test_a_configured_token_accepts_itself() -> None:
    assert token_matches("s3cret", "Bearer s3cret")


def test_deeply_nested_json_is_refused_not_crashed() -> None:
    with pytest.raises(ValueError):
        parse_json(b"[" * 20_000 + b"]" * 20_000)
    with pytest.raises(ValueError):
        parse_json(b'{"message": "\xff"}')
    assert parse_json(b'{"message": "hola"}') == {"message": "hola"}
