"""NLU component: which of the assistant's languages is this message written in?

Two sources of evidence, both offline:

* py3langid (its model ships inside the package) for messages of three or more words;
* a word list learned at training time from the assistant's own NLU examples, whose language
  each file under data/nlu/<lang>/ declares in its intents' metadata. Words used in more than
  one language ("ok", "comar", "tapachula") are left out. This makes one- and two-word
  messages such as "hola", "help" or "asilo" reliable.

When neither source is sure, the component abstains and the conversation keeps its language.
The result is added to the parse data as `detected_language`, e.g.
`{"code": "es", "confidence": 0.99, "method": "langid"}`; the `language` slot is filled from it
by the `action_detect_language` slot mapping.

Adding a language is configuration and data: list its code under `languages` in config.yml and
add its NLU examples (with `metadata: {language: <code>}` on each intent).
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from common.text import tokens

logger = logging.getLogger(__name__)

OUTPUT_KEY = "detected_language"
LEXICON_FILE = "lexicon.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class LanguageDetector(GraphComponent):
    """Detects the language of each message, or abstains."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # ISO 639-1 codes of the languages the assistant speaks (py3langid codes).
            "languages": ["es", "en"],
            # Minimum py3langid probability (normalised over `languages`) to trust it.
            "langid_threshold": 0.9,
            # Words needed before py3langid is asked first.
            "min_langid_words": 3,
            # A training word must be used in this share of its examples in one language.
            "lexicon_purity": 0.9,
            # Minimum py3langid probability for a training example to teach its words.
            "teacher_threshold": 0.95,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        lexicon: dict[str, str] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._lexicon: dict[str, str] = lexicon or {}
        self._identifier: LanguageIdentifier | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageDetector:
        lexicon: dict[str, str] = {}
        try:
            with model_storage.read_from(resource) as directory:
                lexicon = json.loads((directory / LEXICON_FILE).read_text(encoding="utf-8"))
        except ValueError:
            logger.warning("No trained word list found for %s; using py3langid only.", cls.__name__)
        return cls(config, model_storage, resource, lexicon)

    @property
    def identifier(self) -> LanguageIdentifier:
        """py3langid restricted to the assistant's languages (built on first use)."""
        if self._identifier is None:
            identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
            identifier.set_languages(list(self._config["languages"]))
            self._identifier = identifier
        return self._identifier

    def train(self, training_data: TrainingData) -> Resource:
        """Learn which words belong to which language from the training examples.

        An example's language is the `language` in its intent's metadata (each file under
        data/nlu/<lang>/ declares it); examples without it are labelled by py3langid when it is sure.
        Words used in several languages ("ok", "comar", "tapachula") are left out.
        """
        counts: dict[str, Counter] = defaultdict(Counter)
        for example in training_data.training_examples:
            text = example.get(TEXT)
            label = self._teacher_label(example) if text else None
            if label:
                for word in set(tokens(text)):
                    counts[word][label] += 1
        self._lexicon = self._pure_words(counts)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / LEXICON_FILE).write_text(json.dumps(self._lexicon, sort_keys=True), encoding="utf-8")
        logger.info("Language word list: %d words", len(self._lexicon))
        return self._resource

    def _teacher_label(self, example: Message) -> str | None:
        """Language of a training example, when known or sure enough to learn from it."""
        metadata = example.get(METADATA) or {}
        declared = (metadata.get(METADATA_INTENT) or {}).get("language")
        if declared in self._config["languages"]:
            return str(declared)
        text = example.get(TEXT)
        if len(tokens(text)) >= self._config["min_langid_words"]:
            code, probability = self.identifier.classify(text)
            if probability >= self._config["teacher_threshold"]:
                return str(code)
        return None

    def _pure_words(self, counts: dict[str, Counter]) -> dict[str, str]:
        lexicon = {}
        for word, by_language in counts.items():
            code, hits = by_language.most_common(1)[0]
            pure = hits / sum(by_language.values()) >= self._config["lexicon_purity"]
            if pure and len(word) > 1 and not word.isdigit():
                lexicon[word] = code
        return lexicon

    def detect(self, text: str) -> dict[str, Any] | None:
        """Language of `text` as {code, confidence, method}, or None to abstain.

        The word list learned from the assistant's own examples speaks first when two or more of
        its words agree; otherwise py3langid decides for longer messages; a single known word
        decides a short one.
        """
        words = tokens(text)
        if not words:
            return None
        votes = Counter(self._lexicon[w] for w in words if w in self._lexicon)
        total = sum(votes.values())
        lexicon_code, hits = votes.most_common(1)[0] if votes else (None, 0)
        if total >= 2 and hits / total >= 0.75:
            return {"code": lexicon_code, "confidence": round(hits / total, 3), "method": "lexicon"}
        code, probability = self.identifier.classify(text)
        if len(words) >= self._config["min_langid_words"] and probability >= self._config["langid_threshold"]:
            return {"code": str(code), "confidence": round(float(probability), 3), "method": "langid"}
        if total and hits * 2 > total:
            return {"code": lexicon_code, "confidence": round(hits / total, 3), "method": "lexicon"}
        if not votes and probability >= self._config["langid_threshold"]:
            return {"code": str(code), "confidence": round(float(probability), 3), "method": "langid"}
        return None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(OUTPUT_KEY, self.detect(text), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
