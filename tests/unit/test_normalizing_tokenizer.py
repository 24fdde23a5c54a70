"""The NormalizingTokenizer: normalised lemmas for the featurizers, text and offsets untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.normalizing_tokenizer import (
    DEFAULT_ABBREVIATIONS,
    NormalizingTokenizer,
    load_abbreviations,
    normalise_word,
)

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {**NormalizingTokenizer.get_default_config(), "abbreviations_file": str(ROOT / DEFAULT_ABBREVIATIONS)}


@pytest.fixture(scope="module")
def tokenizer(tmp_path_factory: pytest.TempPathFactory) -> NormalizingTokenizer:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    resource = Resource("normalizing_tokenizer")
    NormalizingTokenizer(CONFIG, storage, resource).train(TrainingData())
    # Loaded back the way Rasa does: the abbreviations come from the model, not the file.
    return NormalizingTokenizer.load(CONFIG, storage, resource, execution_context=None)


def lemmas(tokenizer: NormalizingTokenizer, text: str) -> list[str]:
    return [token.lemma for token in tokenizer.tokenize(Message(data={TEXT: text}), TEXT)]


@pytest.mark.parametrize(
    ("word", "normal"),
    [
        ("AYUDA", "ayuda"), ("ayúdenme", "ayudenme"), ("Está", "esta"), ("niño", "nino"), ("PLAÎT", "plait"),
        ("ayudaaaa", "ayuda"), ("pleeease", "please"), ("holaaa", "hola"), ("AYUDAAAA", "ayuda"),
        ("llegar", "llegar"), ("carro", "carro"), ("leer", "leer"),  # doubled letters stay
        ("1000", "1000"), ("5551112222", "5551112222"),  # digits are not letters
        ("mèsi", "mesi"),
    ],
)
def test_normal_form(word: str, normal: str) -> None:
    assert normalise_word(word) == normal


def test_accents_can_be_kept() -> None:
    assert normalise_word("OÙÙÙ", strip_accents=False) == "où"
    kept = NormalizingTokenizer({**CONFIG, "strip_accents": False}, abbreviations={"paske": "paske", "q": "que"})
    assert [t.lemma for t in kept.tokenize(Message(data={TEXT: "Où Q paskè"}), TEXT)] == ["où", "que", "paske"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("xq no me contestan", ["porque", "no", "me", "contestan"]),
        ("Q hago x favor", ["que", "hago", "por", "favor"]),
        ("yo TMB quiero asilo", ["yo", "tambien", "quiero", "asilo"]),
        ("can u help me pls", ["can", "you", "help", "me", "please"]),
        ("aide moi stp", ["aide", "moi", "s il te plait"]),
        ("jsp quoi faire", ["je ne sais pas", "quoi", "faire"]),
        ("m bezwen ed pask m pa gen papye", ["m", "bezwen", "ed", "paske", "m", "pa", "gen", "papye"]),
        # Ambiguous across the languages, so left as typed: Creole "pa" and "k", French "d'".
        ("m pa konnen sa k pase", ["m", "pa", "konnen", "sa", "k", "pase"]),
        ("demande d'asile", ["demande", "d", "asile"]),
        ("AYUDAAAA por favor", ["ayuda", "por", "favor"]),
    ],
)
def test_lemmas(tokenizer: NormalizingTokenizer, text: str, expected: list[str]) -> None:
    assert lemmas(tokenizer, text) == expected


@pytest.mark.parametrize(
    "text",
    ["xq NO me contestan!!", "AYUDAAAA x favor, está mi hijo", "aide moi stp, j'ai peur", "u there? pls", "👋 holaaa"],
)
def test_text_and_offsets_are_those_of_the_whitespace_tokenizer(tokenizer: NormalizingTokenizer, text: str) -> None:
    plain = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    ours = tokenizer.tokenize(Message(data={TEXT: text}), TEXT)
    theirs = plain.tokenize(Message(data={TEXT: text}), TEXT)
    assert [(t.text, t.start, t.end) for t in ours] == [(t.text, t.start, t.end) for t in theirs]
    assert all(text[t.start:t.end] == t.text for t in ours)


def test_process_leaves_the_message_text_alone(tokenizer: NormalizingTokenizer) -> None:
    message = Message(data={TEXT: "AYUDAAA xq me quieren deportar"})
    tokenizer.process([message])
    assert message.get(TEXT) == "AYUDAAA xq me quieren deportar"
    assert [t.text for t in message.get(TOKENS_NAMES[TEXT])] == ["AYUDAAA", "xq", "me", "quieren", "deportar"]


def test_intent_names_are_not_normalised(tokenizer: NormalizingTokenizer) -> None:
    example = Message(data={TEXT: "hola", INTENT: "greet"})
    tokenizer.process_training_data(TrainingData([example]))
    assert [t.lemma for t in example.get(TOKENS_NAMES[INTENT])] == ["greet"]


def test_the_abbreviations_file_is_valid_and_unambiguous() -> None:
    abbreviations = load_abbreviations(ROOT / DEFAULT_ABBREVIATIONS)
    assert abbreviations["xq"] == "porque" and abbreviations["pls"] == "please"
    # Words of another language here: see the file's header.
    assert not {"pa", "k", "ke", "d", "pq", "pk", "tel", "toy"} & set(abbreviations)


def test_a_bad_abbreviations_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "abbreviations.yml"
    bad.write_text("shared:\n  por favor: porfa\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_abbreviations(bad)


def test_editing_the_abbreviations_changes_the_fingerprint(tmp_path: Path) -> None:
    """Rasa's training cache keys the tokenizer on `fingerprint_addon`: an edited file retrains it."""
    from rasa.engine.training import fingerprinting

    path = tmp_path / "abbreviations.yml"
    path.write_text((ROOT / DEFAULT_ABBREVIATIONS).read_text(encoding="utf-8"), encoding="utf-8")
    config = {**CONFIG, "abbreviations_file": str(path)}

    def key() -> str:
        return fingerprinting.calculate_fingerprint_key(NormalizingTokenizer, config, {})

    before = key()
    assert key() == before
    path.write_text(path.read_text(encoding="utf-8") + "  nvm: never mind\n", encoding="utf-8")
    assert key() != before


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "expected a 'shared' mapping of abbreviation: expansion"),
        ("- xq\n- porque\n", "expected a 'shared' mapping of abbreviation: expansion"),
        ("es:\n  xq: porque\n", "expected a 'shared' mapping of abbreviation: expansion"),
        ("shared:\n  - xq\n", "expected a 'shared' mapping of abbreviation: expansion"),
        ("shared:\n  xq: ''\n", "'xq' must be one word with a non-empty expansion"),
        ("shared:\n  '': porque\n", "'' must be one word with a non-empty expansion"),
        ("shared:\n  '!!': '?'\n", None),  # punctuation is a word like any other
    ],
)
def test_an_abbreviations_file_must_map_single_words_to_phrases(
    tmp_path: Path, content: str, problem: str | None
) -> None:
    path = tmp_path / "abbreviations.yml"
    path.write_text(content, encoding="utf-8")
    if problem is None:
        assert load_abbreviations(path) == {"!!": "?"}
        return
    with pytest.raises(ValueError, match=f"^{re.escape(f'{path}: {problem}')}$"):
        load_abbreviations(path)


def test_abbreviations_and_their_expansions_are_read_in_normal_form(tmp_path: Path) -> None:
    path = tmp_path / "abbreviations.yml"
    path.write_text("shared:\n  XQQQ: 'Por   QUÉ'\n  Tmb: también\n", encoding="utf-8")
    assert load_abbreviations(path) == {"xq": "por que", "tmb": "tambien"}


def test_a_token_with_no_normal_form_keeps_its_text_as_lemma() -> None:
    tokenizer = NormalizingTokenizer(CONFIG)
    tokens = tokenizer.tokenize(Message(data={TEXT: "hola \u0301"}), TEXT)
    assert [t.lemma for t in tokens] == ["hola", "\u0301"]


def test_a_model_without_abbreviations_still_normalises_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="components.normalizing_tokenizer"):
        storage = LocalModelStorage(tmp_path)
        loaded = NormalizingTokenizer.load(CONFIG, storage, Resource("none"), execution_context=None)
    assert caplog.messages == [
        "No abbreviations in the model: NormalizingTokenizer only normalises case, accents and repeats."]
    assert lemmas(loaded, "XQ Está") == ["xq", "esta"]


def test_training_needs_somewhere_to_store_the_abbreviations() -> None:
    with pytest.raises(ValueError, match=r"^NormalizingTokenizer\.train needs a model storage and a resource$"):
        NormalizingTokenizer(CONFIG).train(TrainingData())
    with pytest.raises(ValueError, match=r"^NormalizingTokenizer\.train needs a model storage and a resource$"):
        NormalizingTokenizer(CONFIG, LocalModelStorage(ROOT)).train(TrainingData())


def test_training_stores_the_abbreviations_and_uses_them_at_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    created = NormalizingTokenizer.create(CONFIG, LocalModelStorage(tmp_path), Resource("t"), execution_context=None)
    assert lemmas(created, "xq") == ["xq"]
    with caplog.at_level("INFO", logger="components.normalizing_tokenizer"):
        created.train(TrainingData())
    assert lemmas(created, "xq") == ["porque"]
    count = len(load_abbreviations(ROOT / DEFAULT_ABBREVIATIONS))
    assert caplog.messages == [f"NormalizingTokenizer: {count} abbreviations"]


def test_the_fingerprint_is_the_default_files_and_none_without_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components.danger_patterns import file_fingerprint

    monkeypatch.chdir(ROOT)
    assert NormalizingTokenizer.fingerprint_addon({}) == file_fingerprint(ROOT / DEFAULT_ABBREVIATIONS)
    assert NormalizingTokenizer.fingerprint_addon({"abbreviations_file": str(tmp_path / "missing.yml")}) is None


def test_the_pipeline_finds_the_tokenizer_by_its_config_name_and_trains_it() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    registered = DefaultV1Recipe._from_registry("components.normalizing_tokenizer.NormalizingTokenizer")
    assert registered.clazz is NormalizingTokenizer
    assert registered.types == {DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER}
    assert registered.is_trainable is True
    assert NormalizingTokenizer.get_default_config()["strip_accents"] is True


def test_models_trained_before_keep_their_abbreviations_the_file_name_in_the_model_is_fixed(tmp_path: Path) -> None:
    storage, resource = LocalModelStorage(tmp_path), Resource("t")
    NormalizingTokenizer(CONFIG, storage, resource).train(TrainingData())
    with storage.read_from(resource) as directory:
        assert [p.name for p in directory.iterdir()] == ["abbreviations.json"]
