"""The LanguageDetector NLU component, trained on the real NLU data."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.language_detector import OUTPUT_KEY, LanguageDetector

ROOT = Path(__file__).resolve().parents[2]
# The detector's languages, as config.yml lists them.
LANGUAGES = next(
    c["languages"] for c in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    if c["name"].endswith("LanguageDetector")
)


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> LanguageDetector:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("language_detector")
    config = {**LanguageDetector.get_default_config(), "languages": LANGUAGES}
    trained = LanguageDetector(config, storage, resource)
    trained.train(load_data(str(ROOT / "data" / "nlu")))
    # Load it back the way Rasa does, so persistence is tested too.
    return LanguageDetector.load(config, storage, resource, execution_context=None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("hola", "es"), ("buenas", "es"), ("gracias", "es"), ("asilo", "es"), ("ayuda", "es"), ("ayudq", "es"),
        ("help", "en"), ("thanks", "en"), ("hello", "en"), ("asylum", "en"), ("hi there", "en"),
        ("como pido refugio", "es"), ("mi hijo esta solo en la frontera", "es"),
        ("how do i ask for asylum", "en"), ("my son is alone at the border", "en"),
        ("telefono de la comar", "es"), ("comar phone number", "en"),
        ("bonjour", "fr"), ("merci", "fr"), ("je veux demander l'asile", "fr"),
        ("mon fils est seul a la frontiere", "fr"), ("quel est le numero de telephone de la comar", "fr"),
        ("bonjou", "ht"), ("mesi", "ht"), ("mwen bezwen ed", "ht"), ("kijan pou m mande azil", "ht"),
        ("pitit mwen poukont li nan fwontye a", "ht"), ("nimewo telefon comar", "ht"),
    ],
)
def test_short_and_long_messages(detector: LanguageDetector, text: str, code: str) -> None:
    result = detector.detect(text)
    assert result is not None, text
    assert result["code"] == code, (text, result)


@pytest.mark.parametrize("text", ["ok", "COMAR", "Tapachula", "CDMX", "👍", "", "   ", "no", "non", "si"])
def test_abstains_when_a_word_says_nothing_about_the_language(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_adds_the_result_to_the_parse_data(detector: LanguageDetector) -> None:
    message = Message.build(text="necesito ayuda con mis papeles")
    detector.process([message])
    assert message.get(OUTPUT_KEY)["code"] == "es"
    assert OUTPUT_KEY in message.as_dict(only_output_properties=True)
    # the key action_detect_language reads from the parse data (actions/language.py)
    assert message.as_dict(only_output_properties=True)["detected_language"]["code"] == "es"


def test_it_knows_the_four_languages() -> None:
    assert LANGUAGES == ["es", "en", "fr", "ht"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_held_out_messages_are_almost_never_put_in_the_wrong_language(detector: LanguageDetector, code: str) -> None:
    """On the held-out NLU set: at most 2% wrong, at most 10% abstentions (which keep the language)."""
    texts = [m.get("text") for m in load_data(str(ROOT / "tests" / "nlu" / f"{code}.yml")).training_examples]
    results = [detector.detect(t) for t in texts]
    wrong = [t for t, r in zip(texts, results, strict=True) if r and r["code"] != code]
    abstained = [t for t, r in zip(texts, results, strict=True) if r is None]
    assert len(wrong) <= 0.02 * len(texts), wrong
    assert len(abstained) <= 0.10 * len(texts), abstained


@pytest.mark.parametrize("folder", sorted(p.name for p in (ROOT / "data" / "nlu").iterdir() if p.is_dir()))
def test_every_intent_declares_the_language_of_its_folder(folder: str) -> None:
    import yaml

    for path in (ROOT / "data" / "nlu" / folder).glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" in block:
                assert block.get("metadata", {}).get("language") == folder, (path.name, block["intent"])


# ---- the rules, on a made-up word list (py3langid restricted to Spanish and English) ----------------------


def made(lexicon: dict[str, str], **config: Any) -> LanguageDetector:
    return LanguageDetector({"languages": ["es", "en"], **config}, cast(Any, None), cast(Any, None), lexicon)


# English words the made-up word list calls Spanish, so that the word list and py3langid disagree.
LIAR = {"the": "es", "house": "es", "is": "es", "big": "en", "asylum": "es"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two or more words of the list that agree (at least 3 in 4) speak before py3langid
        ("the house", {"code": "es", "confidence": 1.0, "method": "lexicon"}),
        ("the house is very big", {"code": "es", "confidence": 0.75, "method": "lexicon"}),
        # less agreement: py3langid decides a message of three words or more
        ("the big house", {"code": "en", "confidence": 1.0, "method": "langid"}),
        ("i need asylum", {"code": "en", "confidence": 1.0, "method": "langid"}),  # one word of the list only
    ],
)
def test_the_word_list_speaks_first_when_two_of_its_words_agree(text: str, expected: dict[str, Any]) -> None:
    assert made(LIAR).detect(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hola", {"code": "es", "confidence": 1.0, "method": "lexicon"}),  # one known word decides a short message
        ("hola ayuda help", {"code": "es", "confidence": 0.667, "method": "lexicon"}),  # a majority decides
        ("hola help", None),  # a tie abstains
        ("ok", None),  # no word of the list, and py3langid is not trusted: abstains
        ("", None),
        ("?!", None),
    ],
)
def test_without_a_sure_py3langid_a_majority_of_known_words_decides(text: str, expected: dict | None) -> None:
    detector = made({"hola": "es", "ayuda": "es", "help": "en"}, langid_threshold=1.01)
    assert detector.detect(text) == expected


def test_a_short_message_without_known_words_is_py3langids_when_it_is_sure() -> None:
    detector = made({})
    assert detector.detect("thank you") == {"code": "en", "confidence": 0.991, "method": "langid"}
    assert detector.detect("need help") is None  # py3langid not sure enough (0.66)
    assert made({}, langid_threshold=0.6).detect("need help") == {"code": "en", "confidence": 0.661, "method": "langid"}


def test_min_langid_words_is_how_long_a_message_must_be_for_py3langid_to_outvote_the_word_list() -> None:
    assert made(LIAR, min_langid_words=3).detect("i need asylum")["method"] == "langid"  # type: ignore[index]
    assert made(LIAR, min_langid_words=4).detect("i need asylum") == {"code": "es", "confidence": 1.0,
                                                                       "method": "lexicon"}


def test_only_the_configured_languages_are_ever_answered() -> None:
    detector = made({})
    assert detector.identifier is detector.identifier  # built once
    assert detector.detect("je veux demander l asile s il vous plait")["code"] == "en"  # type: ignore[index]


def example(text: str, language: str | None = None) -> Message:
    return Message(data={"text": text, **({"metadata": {"intent": {"language": language}}} if language else {})})


def test_training_keeps_the_words_that_belong_to_one_language(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    detector = LanguageDetector({"languages": ["es", "en"]}, LocalModelStorage(tmp_path), Resource("lexicon"))
    examples = [example(f"hola mi amigo ok {911 + i} y", "es") for i in range(9)] + [
        example("hola ok", "en"), example("ok thanks", "en"), example("my friend y", "en"),
        example("ayuda por favor", "fr"),  # a language the detector does not speak: py3langid labels it
        example("muchas gracias"),  # no declared language, too short for py3langid to teach
        example("where can i ask for asylum please"),  # no declared language, py3langid sure: learnt
    ]
    with caplog.at_level("INFO", logger="components.language_detector"):
        detector.train(TrainingData(examples))
    assert caplog.messages == ["Language word list: 15 words"]
    # "hola": 9 of 10 examples in Spanish (the purity threshold, 0.9) is enough; "ok" (9 of 11) is not;
    # one letter ("y") and numbers ("911") are never words of a language.
    expected = {"hola": "es", "mi": "es", "amigo": "es", "thanks": "en", "my": "en", "friend": "en",
                "where": "en", "can": "en", "ask": "en", "for": "en", "asylum": "en", "please": "en",
                "ayuda": "es", "por": "es", "favor": "es"}
    assert detector._lexicon == expected
    loaded = LanguageDetector.load({"languages": ["es", "en"]}, LocalModelStorage(tmp_path), Resource("lexicon"),
                                   execution_context=cast(Any, None))
    assert loaded._lexicon == expected


def test_a_model_without_a_word_list_uses_py3langid_only_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="components.language_detector"):
        loaded = LanguageDetector.load({}, LocalModelStorage(tmp_path), Resource("none"),
                                       execution_context=cast(Any, None))
    assert caplog.messages == ["No trained word list found for LanguageDetector; using py3langid only."]
    assert loaded._lexicon == {} and loaded.detect("where can i ask for asylum please")["method"] == "langid"  # type: ignore[index]


def test_only_messages_with_text_get_a_detected_language_and_training_data_is_unchanged() -> None:
    detector = made({"hola": "es"})
    empty, greeting = Message(data={"intent": "greet"}), Message(data={"text": "hola"})
    detector.process([empty, greeting])
    assert empty.get(OUTPUT_KEY) is None and OUTPUT_KEY not in empty.as_dict(only_output_properties=True)
    assert greeting.as_dict(only_output_properties=True)[OUTPUT_KEY]["code"] == "es"
    data = TrainingData()
    assert detector.process_training_data(data) is data


def test_the_pipeline_finds_the_detector_by_its_config_name_and_trains_it() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry("components.language_detector.LanguageDetector")
    assert registered.clazz is LanguageDetector
    assert registered.types == {DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER}
    assert registered.is_trainable is True
    created = LanguageDetector.create({}, cast(Any, None), cast(Any, None), execution_context=cast(Any, None))
    assert created._config == LanguageDetector.get_default_config()
    assert LanguageDetector.get_default_config() == {"languages": ["es", "en"], "langid_threshold": 0.9,
                                                     "min_langid_words": 3, "lexicon_purity": 0.9,
                                                     "teacher_threshold": 0.95}


def test_models_trained_before_keep_their_word_list_the_file_name_in_the_model_is_fixed(tmp_path: Path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("lexicon")
    LanguageDetector({"languages": ["es", "en"]}, storage, resource).train(TrainingData([example("hola amigo", "es")]))
    with storage.read_from(resource) as directory:
        assert [p.name for p in directory.iterdir()] == ["lexicon.json"]
