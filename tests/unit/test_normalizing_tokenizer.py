"""The NormalizingTokenizer: normalised lemmas for the featurizers, text and offsets untouched."""

from __future__ import annotations

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
