"""components/rasa_fixes.py: action-server replies are checked as strictly as before, with the schema
checked once instead of on every reply."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from components import rasa_fixes

VALID = {"events": [{"event": "slot", "name": "topic", "value": "asylum"}], "responses": []}


@pytest.fixture
def action(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(rasa_fixes, "_validator", None)
    rasa_fixes.install()
    return RemoteAction("action_institution_contacts", EndpointConfig("http://127.0.0.1:5055/webhook"))


def test_a_valid_reply_passes(action: RemoteAction) -> None:
    assert action._validate_action_result(VALID) is True


def test_an_invalid_reply_is_refused_with_rasa_s_message(action: RemoteAction) -> None:
    with pytest.raises(ValidationError) as refused:
        action._validate_action_result({"events": "not a list"})
    assert "Failed to validate Action server response from API" in refused.value.message


def test_the_schema_itself_is_checked_once_not_on_every_reply(
    action: RemoteAction, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[Any] = []
    real_validator_for = rasa_fixes.validator_for

    def counting_validator_for(schema: dict) -> Any:
        cls = real_validator_for(schema)

        class Counting(cls):  # type: ignore[valid-type,misc]
            @classmethod
            def check_schema(cls, schema: dict, *args: Any, **kwargs: Any) -> None:
                checks.append(schema)
                super().check_schema(schema, *args, **kwargs)

        return Counting

    monkeypatch.setattr(rasa_fixes, "validator_for", counting_validator_for)
    for _ in range(20):
        action._validate_action_result(VALID)
    assert len(checks) == 1


def test_installing_twice_changes_nothing(action: RemoteAction) -> None:
    installed = RemoteAction._validate_action_result
    rasa_fixes.install()
    assert RemoteAction._validate_action_result is installed
