"""NLU tokenizer: the words of a message as cheap phones type them, read in one normalised form.

Rasa's WhitespaceTokenizer, plus a normalised *lemma* on each token of the message text. The
CountVectorsFeaturizers read the lemma, not the text (`use_lemma`, on by default: rasa
`count_vectors_featurizer.py`, `_get_message_tokens_by_attribute`, for the word and the char_wb
analysers alike), so "AYUDAAAA", "ayúda" and "ayuda" become the same features. The normal form is:

* lower case, accents stripped (Unicode NFKD without combining marks: "está" -> "esta"; the
  `strip_accents` option turns this off);
* a letter typed three or more times in a row once ("ayudaaaa" -> "ayuda", "pleeease" -> "please");
  digits are left alone ("1000");
* an SMS abbreviation from `nlu_normalisation/abbreviations.yml` written out ("xq" -> "porque",
  "stp" -> "s il te plait"). Only abbreviations that mean the same in every language of the
  assistant are listed there: this tokenizer runs before the LanguageDetector.

The token text, its offsets and the message text are unchanged: the RegexFeaturizer, the entity
extractor, the LexicalSyntacticFeaturizer and the EmergencyGuard read those.

The abbreviations are read at training time and stored in the model (`fingerprint_addon` hashes the
file, so editing it retrains this component and everything after it).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.danger_patterns import file_fingerprint

logger = logging.getLogger(__name__)

ABBREVIATIONS_FILE = "abbreviations.json"
DEFAULT_ABBREVIATIONS = "nlu_normalisation/abbreviations.yml"

# A letter (not a digit or underscore) repeated three or more times.
_REPEATED_LETTER = re.compile(r"([^\W\d_])\1{2,}")


def normalise_word(word: str, strip_accents: bool = True) -> str:
    """`word` in lower case, without accents, with letters typed 3+ times in a row once.

    With `strip_accents` False the accents stay (the word is only composed, NFC).
    """
    decomposed = unicodedata.normalize("NFKD", word.lower())
    if strip_accents:
        plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    else:
        plain = unicodedata.normalize("NFC", decomposed)
    return _REPEATED_LETTER.sub(r"\1", plain)


def normalise_phrase(phrase: str) -> str:
    """Each space-separated word of `phrase` normalised, joined by single spaces."""
    return " ".join(normalise_word(word) for word in phrase.split())


def load_abbreviations(path: str | Path) -> dict[str, str]:
    """The `shared` abbreviations of the YAML file, keys and values normalised.

    Raises ValueError when the file is not a mapping of single words to non-empty phrases.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    shared = data.get("shared") if isinstance(data, dict) else None
    if not isinstance(shared, dict):
        raise ValueError(f"{path}: expected a 'shared' mapping of abbreviation: expansion")
    abbreviations: dict[str, str] = {}
    for key, value in shared.items():
        abbreviation, expansion = normalise_phrase(str(key)), normalise_phrase(str(value))
        if not abbreviation or " " in abbreviation or not expansion:
            raise ValueError(f"{path}: {key!r} must be one word with a non-empty expansion")
        abbreviations[abbreviation] = expansion
    return abbreviations


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class NormalizingTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer whose tokens of the message text carry a normalised lemma."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **WhitespaceTokenizer.get_default_config(),
            "abbreviations_file": DEFAULT_ABBREVIATIONS,
            # Strip accents from the lemma ("está" -> "esta"); the abbreviations are matched without them.
            "strip_accents": True,
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The abbreviations file's content is part of the fingerprint: editing it retrains."""
        path = Path({**cls.get_default_config(), **config}["abbreviations_file"])
        return file_fingerprint(path) if path.is_file() else None

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        abbreviations: dict[str, str] | None = None,
    ) -> None:
        super().__init__({**self.get_default_config(), **config})
        self._model_storage = model_storage
        self._resource = resource
        self._abbreviations: dict[str, str] = abbreviations or {}

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> NormalizingTokenizer:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> NormalizingTokenizer:
        abbreviations: dict[str, str] = {}
        try:
            with model_storage.read_from(resource) as directory:
                abbreviations = json.loads((directory / ABBREVIATIONS_FILE).read_text(encoding="utf-8"))
        except ValueError:
            logger.warning("No abbreviations in the model: %s only normalises case, accents and repeats.", cls.__name__)
        return cls(config, model_storage, resource, abbreviations)

    def train(self, training_data: TrainingData) -> Resource:
        """Store the abbreviations file in the model (the training data itself teaches nothing here)."""
        self._abbreviations = load_abbreviations(self._config["abbreviations_file"])
        if self._model_storage is None or self._resource is None:
            raise ValueError("NormalizingTokenizer.train needs a model storage and a resource")
        with self._model_storage.write_to(self._resource) as directory:
            (directory / ABBREVIATIONS_FILE).write_text(
                json.dumps(self._abbreviations, sort_keys=True, ensure_ascii=False), encoding="utf-8",
            )
        logger.info("NormalizingTokenizer: %d abbreviations", len(self._abbreviations))
        return self._resource

    def normalise(self, word: str) -> str:
        """The form the featurizers read for `word`: normalised, abbreviation written out."""
        normal = normalise_word(word, self._config["strip_accents"])
        return self._abbreviations.get(normalise_word(normal), normal)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        if attribute == TEXT:
            for token in tokens:
                token.lemma = self.normalise(token.text) or token.text
        return tokens
