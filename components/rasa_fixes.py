"""Fixes to Rasa 3.6.21 itself, installed when a Rasa process loads the model (the `RasaFixes` step at the
end of the NLU pipeline in config.yml); the step does nothing to messages.

Cached validation of action-server replies. Rasa checks every reply of the action server against its
response schema with `jsonschema.validate`, which first re-checks that (large) schema against the JSON
Schema meta-schema: about 19 ms of CPU per call, and a message makes two or three calls, so this was most
of Rasa's CPU time per message (found with `make bench` and cProfile; tools/bench/README.md). Here the
validator is built once and reused; the rest is `jsonschema.validate`'s own code (the most relevant error,
`best_match`, with Rasa's message appended), so a bad reply fails with the error Rasa would raise.

The patch replaces a private method of Rasa 3.6.21 (`RemoteAction._validate_action_result`): on any other Rasa
version `install()` refuses to load, so an upgrade fails loudly instead of silently changing behaviour. Check
the method on the new version, then update `WRITTEN_FOR`.
"""

from __future__ import annotations

import logging
from typing import Any

import rasa
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

WRITTEN_FOR = "3.6.21"  # the Rasa release whose RemoteAction._validate_action_result this replaces
_validator: Validator | None = None


class UnsupportedRasaVersionError(RuntimeError):
    """The running Rasa is not the release these fixes were written for."""


def _reply_validator() -> Validator:
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        cls = validator_for(schema)
        cls.check_schema(schema)  # once, instead of on every reply
        _validator = cls(schema)
    return _validator


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` with the validator built once."""
    try:
        error = best_match(_reply_validator().iter_errors(result))  # what jsonschema.validate raises
        if error is not None:
            raise error
        return True
    except ValidationError as error:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error


def install(version: str | None = None) -> None:
    """Install the fixes (idempotent); refuse on a Rasa release other than `WRITTEN_FOR`."""
    running = version or rasa.__version__
    if running != WRITTEN_FOR:
        raise UnsupportedRasaVersionError(
            f"components/rasa_fixes.py patches Rasa {WRITTEN_FOR}'s RemoteAction._validate_action_result; this is "
            f"Rasa {running}. Check that method on the new release, then update WRITTEN_FOR (or remove the fix)."
        )
    if RemoteAction._validate_action_result is not _validate_action_result:
        RemoteAction._validate_action_result = _validate_action_result
        logger.debug("Action-server replies are validated with a cached validator")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RasaFixes(GraphComponent):
    """Installs the fixes above when the model is loaded or created; leaves messages unchanged."""

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> RasaFixes:
        install()
        return cls()

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> RasaFixes:
        install()
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        return messages
