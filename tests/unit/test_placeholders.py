"""NLU reads messages without the placeholders redaction leaves (components/placeholders.py)."""

from __future__ import annotations

import re

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.placeholders import PlaceholderRemover, without_placeholders
from privacy.redaction import PLACEHOLDERS, redact
from tests.unit.test_redaction import PERSONAL

BRACKETED = re.compile(r"\[[^\]\s]+\]")


def test_every_placeholder_redaction_writes_is_known() -> None:
    """A new placeholder in privacy/redaction.py must be added to PLACEHOLDERS, or NLU would read it."""
    written = {token for case in PERSONAL for token in BRACKETED.findall(redact(case["text"]))}
    assert written, "the corpus produced no placeholder"
    assert written <= set(PLACEHOLDERS), written - set(PLACEHOLDERS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quiero pedir asilo, mi telefono es [telefono]", "quiero pedir asilo, mi telefono es"),
        ("me llamo [nombre] y mi correo es [correo], como pido asilo", "me llamo y mi correo es , como pido asilo"),
        ("[telefono]", "[telefono]"),  # nothing else: kept, so NLU still has a text
        ("[nombre], [telefono]", "[nombre], [telefono]"),
        ("donde queda la COMAR [en Tapachula]", "donde queda la COMAR [en Tapachula]"),  # not a placeholder
    ],
)
def test_placeholders_are_taken_out(text: str, expected: str) -> None:
    assert without_placeholders(text) == expected


def test_the_component_changes_the_text_nlu_reads() -> None:
    message = Message(data={TEXT: "como pido asilo? mi numero es [telefono]"})
    PlaceholderRemover().process([message])
    assert message.get(TEXT) == "como pido asilo? mi numero es"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[telefono]  [correo]   asilo", "asilo"),  # runs of spaces left by several placeholders become one
        ("  asilo [telefono]\t\t[correo] ya ", "asilo ya"),
        ("[telefono] X", "X"),  # one letter left is still something to read
        ("[telefono] ...", "[telefono] ..."),  # punctuation alone is nothing to read
        ("[nombre]: [telefono]; [correo].", "[nombre]: [telefono]; [correo]."),
    ],
)
def test_what_is_left_reads_as_one_sentence_or_the_message_is_kept_whole(text: str, expected: str) -> None:
    assert without_placeholders(text) == expected


def test_every_placeholder_is_taken_out_and_nothing_that_only_looks_like_one() -> None:
    for placeholder in PLACEHOLDERS:
        assert without_placeholders(f"asilo {placeholder} comar") == "asilo comar", placeholder
    for other in ("[curp]", "[TELEFONO]", "telefono", "[ nombre ]", "[fecha"):
        assert without_placeholders(f"asilo {other}") == f"asilo {other}", other


def test_training_examples_are_read_the_same_way_as_messages() -> None:
    data = TrainingData([Message(data={TEXT: "mi correo es [correo], como pido asilo"}), Message(data={TEXT: ""}),
                         Message(data={"intent": "greet"})])
    assert PlaceholderRemover().process_training_data(data) is data
    assert [m.get(TEXT) for m in data.training_examples] == ["mi correo es , como pido asilo", "", None]


def test_the_pipeline_finds_the_component_by_its_config_name_and_it_needs_no_training() -> None:
    registered = DefaultV1Recipe._from_registry("components.placeholders.PlaceholderRemover")
    assert registered.clazz is PlaceholderRemover
    assert registered.types == {DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER}
    assert registered.is_trainable is False
    assert isinstance(PlaceholderRemover.create({}, None, None, None), PlaceholderRemover)
