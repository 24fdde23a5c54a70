"""NLU safety net: a message that the danger net recognises gets the danger intent first.

The classifier learns emergencies from examples, but a misclassified emergency must still get the
emergency answer first. This component runs after the classifiers (and the FallbackClassifier): when
the danger net (`components/danger_patterns.py`, patterns in `safety/emergency_patterns.yml`) finds a
present danger, the intent becomes `emergency` (or `self_harm` for suicidal thoughts) with confidence 1.0.

The patterns are read at training time and stored in the model, like any other training data;
`fingerprint_addon` hashes the patterns file, so editing it retrains this component.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.danger_patterns import DangerNet, file_fingerprint, load_spec

logger = logging.getLogger(__name__)

PATTERNS_FILE = "danger_patterns.json"
OUTPUT_KEY = "emergency_keyword"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmergencyGuard(GraphComponent):
    """Overrides the intent with `emergency` or `self_harm` when the danger net sees a present danger."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "patterns_file": "safety/emergency_patterns.yml", "intent": "emergency", "self_harm_intent": "self_harm",
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The patterns file's content is part of the fingerprint: editing it retrains this component."""
        path = Path({**cls.get_default_config(), **config}["patterns_file"])
        return file_fingerprint(path) if path.is_file() else None

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        spec: dict[str, Any] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._spec = spec or {}
        self._net: DangerNet | None = None

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmergencyGuard:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> EmergencyGuard:
        spec: dict[str, Any] = {}
        try:
            with model_storage.read_from(resource) as directory:
                spec = json.loads((directory / PATTERNS_FILE).read_text(encoding="utf-8"))
        except ValueError:
            logger.warning("No danger patterns in the model: the emergency safety net is off.")
        return cls(config, model_storage, resource, spec)

    def train(self, training_data: TrainingData) -> Resource:
        self._spec = load_spec(self._config["patterns_file"])
        self._net = None
        with self._model_storage.write_to(self._resource) as directory:
            (directory / PATTERNS_FILE).write_text(json.dumps(self._spec), encoding="utf-8")
        return self._resource

    @property
    def net(self) -> DangerNet:
        if self._net is None:
            self._net = DangerNet(self._spec, intents={"self_harm": self._config["self_harm_intent"]})
        return self._net

    def danger_intent(self, text: str) -> str | None:
        """`emergency`, `self_harm` or None for this text."""
        danger = self.net.find(text)
        if danger is None:
            return None
        return self._config["intent"] if danger.intent == "emergency" else danger.intent

    def is_emergency(self, text: str) -> bool:
        return self.danger_intent(text) is not None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            intent = self.danger_intent(text) if text else None
            if intent is None:
                continue
            current = message.get(INTENT) or {}
            if current.get("name") == intent:
                continue
            override = {"name": intent, "confidence": 1.0}
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != override["name"]]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
            message.set(OUTPUT_KEY, True, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
