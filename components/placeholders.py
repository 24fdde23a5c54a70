"""NLU: the placeholders redaction leaves ([telefono], [correo], ...) carry no intent.

Channels redact a message before NLU sees it (channels.inbound), so "quiero pedir asilo, mi telefono es
55 1234 5678" reached the classifier as "... mi telefono es [telefono]", and the second "telefono" made
it a request for an institution's phone numbers. First in the pipeline, this component takes the
placeholders (privacy.redaction.PLACEHOLDERS) out of the text the NLU components read; the stored
message keeps them. A message that is nothing but placeholders is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from privacy.redaction import PLACEHOLDERS

_PLACEHOLDER = re.compile("|".join(map(re.escape, PLACEHOLDERS)))
_SPACES = re.compile(r"[ \t]{2,}")


def without_placeholders(text: str) -> str:
    """`text` without redaction placeholders; `text` itself if nothing else is left."""
    stripped = _SPACES.sub(" ", _PLACEHOLDER.sub(" ", text)).strip()
    return stripped if stripped.strip(" ,.;:") else text


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class PlaceholderRemover(GraphComponent):
    """Removes redaction placeholders from a message's text before tokenisation."""

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> PlaceholderRemover:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and text:
                message.set(TEXT, without_placeholders(text))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
