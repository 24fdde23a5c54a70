"""The LanguageDetector NLU component, trained on the real NLU data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

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
