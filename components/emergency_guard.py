"""NLU safety net: a message with an immediate-danger phrase is classified as `emergency`.

The classifier learns emergencies from examples, but a misclassified emergency must still get the
emergency answer first. This component runs after the classifiers (and the FallbackClassifier): when
the text contains a phrase from `safety/emergency_keywords.yml` (any language, matched as whole words
on lower-cased text without accents), the intent becomes `emergency` with confidence 1.0.

The phrase list is read at training time and stored in the model, like any other training data.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.text import fold

logger = logging.getLogger(__name__)

PHRASES_FILE = "phrases.json"
OUTPUT_KEY = "emergency_keyword"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class EmergencyGuard(GraphComponent):
    """Overrides the intent with `emergency` when an immediate-danger phrase is present."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"keywords_file": "safety/emergency_keywords.yml", "intent": "emergency"}

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        phrases: list[str] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._phrases = phrases or []
        self._pattern: re.Pattern[str] | None = None

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
        phrases: list[str] = []
        try:
            with model_storage.read_from(resource) as directory:
                phrases = json.loads((directory / PHRASES_FILE).read_text(encoding="utf-8"))
        except ValueError:
            logger.warning("No emergency phrases in the model: the keyword safety net is off.")
        return cls(config, model_storage, resource, phrases)

    def train(self, training_data: TrainingData) -> Resource:
        by_language = yaml.safe_load(Path(self._config["keywords_file"]).read_text(encoding="utf-8")) or {}
        self._phrases = sorted({fold(p) for phrases in by_language.values() for p in phrases if fold(p)})
        with self._model_storage.write_to(self._resource) as directory:
            (directory / PHRASES_FILE).write_text(json.dumps(self._phrases), encoding="utf-8")
        return self._resource

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if self._pattern is None and self._phrases:
            longest_first = sorted(self._phrases, key=len, reverse=True)
            self._pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, longest_first)) + r")\b")
        return self._pattern

    def is_emergency(self, text: str) -> bool:
        return bool(self.pattern and self.pattern.search(fold(text)))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or not self.is_emergency(text):
                continue
            current = message.get(INTENT) or {}
            if current.get("name") == self._config["intent"]:
                continue
            override = {"name": self._config["intent"], "confidence": 1.0}
            ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != override["name"]]
            message.set(INTENT, override, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
            message.set(OUTPUT_KEY, True, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
