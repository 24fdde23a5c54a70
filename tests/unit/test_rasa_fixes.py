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


def test_it_refuses_to_load_on_another_rasa_release() -> None:
    with pytest.raises(rasa_fixes.UnsupportedRasaVersionError, match=r"Rasa 3\.7\.0") as refused:
        rasa_fixes.install(version="3.7.0")
    assert str(refused.value) == (
        "components/rasa_fixes.py patches Rasa 3.6.21's RemoteAction._validate_action_result; this is Rasa 3.7.0. "
        "Check that method on the new release, then update WRITTEN_FOR (or remove the fix).")
    rasa_fixes.install(version=rasa_fixes.WRITTEN_FOR)  # the release it was written for


def test_the_error_is_the_one_jsonschema_validate_raises(action: RemoteAction) -> None:
    import jsonschema

    bad = {"events": [{"event": 3}], "responses": "no"}
    with pytest.raises(ValidationError) as expected:
        jsonschema.validate(bad, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError) as patched:
        action._validate_action_result(bad)
    assert patched.value.message.startswith(expected.value.message)
    assert list(patched.value.path) == list(expected.value.path)


def test_through_rasa_s_call_site_the_schema_is_checked_once_for_many_replies(
    action: RemoteAction, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RemoteAction.run (Rasa's own code) validates each reply of the action server. Without the patch Rasa
    re-checks the schema against the meta-schema on every reply; with it, once."""
    import asyncio

    from jsonschema.validators import validator_for
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    schema_class = validator_for(RemoteAction.action_response_format_spec())
    checks: list[Any] = []
    real_check = schema_class.check_schema.__func__

    def counting_check(cls: Any, schema: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        checks.append(schema)
        real_check(cls, schema, *args, **kwargs)

    monkeypatch.setattr(schema_class, "check_schema", classmethod(counting_check))

    async def reply(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return VALID

    monkeypatch.setattr(action.action_endpoint, "request", reply)
    tracker = DialogueStateTracker("user", slots=[])
    for _ in range(5):
        events = asyncio.run(action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker,
                                        Domain.empty()))
        assert [e.as_dict()["event"] for e in events] == ["slot"]
    assert len(checks) == 1


@pytest.mark.parametrize("way", ["create", "load"])
def test_the_pipeline_step_installs_the_fix_and_leaves_messages_alone(
    monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    from rasa.shared.nlu.training_data.message import Message

    def rasas_own(self: RemoteAction, result: dict[str, Any]) -> bool:  # stands for Rasa's method
        return True

    monkeypatch.setattr(RemoteAction, "_validate_action_result", rasas_own)
    step = getattr(rasa_fixes.RasaFixes, way)({}, None, None, None)
    assert RemoteAction._validate_action_result is rasa_fixes._validate_action_result
    messages = [Message(data={"text": "hola"})]
    assert step.process(messages) is messages and messages[0].data == {"text": "hola"}


def test_the_pipeline_finds_the_step_by_its_config_name_and_it_needs_no_training() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry("components.rasa_fixes.RasaFixes")
    assert registered.clazz is rasa_fixes.RasaFixes
    assert registered.types == {DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER}
    assert registered.is_trainable is False


def test_the_whole_message_rasa_adds_to_a_refused_reply(action: RemoteAction) -> None:
    from rasa.shared.constants import DOCS_BASE_URL

    with pytest.raises(ValidationError) as refused:
        action._validate_action_result({"events": "not a list"})
    assert refused.value.message.endswith(
        ". Failed to validate Action server response from API, make sure your response from the Action endpoint "
        f"is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")


def test_a_new_process_builds_the_validator_on_its_first_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    fresh = importlib.reload(rasa_fixes)  # the module as a new process imports it
    assert fresh._reply_validator().is_valid(VALID)
    assert fresh._reply_validator() is fresh._reply_validator()


def test_installing_says_so_in_the_debug_log(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def rasas_own(self: RemoteAction, result: dict[str, Any]) -> bool:
        return True

    monkeypatch.setattr(RemoteAction, "_validate_action_result", rasas_own)
    with caplog.at_level("DEBUG", logger="components.rasa_fixes"):
        rasa_fixes.install()
        rasa_fixes.install()  # already installed: nothing to say
    assert caplog.messages == ["Action-server replies are validated with a cached validator"]
