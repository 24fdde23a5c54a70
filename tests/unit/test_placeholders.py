"""NLU reads messages without the placeholders redaction leaves (components/placeholders.py)."""

from __future__ import annotations

import re

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

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
