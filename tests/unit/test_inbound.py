"""channels.inbound: the one place where every channel makes a person's input safe to store."""

from __future__ import annotations

import pytest

from channels import MAX_MESSAGE_CHARS
from channels.inbound import clean_metadata, clean_sender, normalize, prepare_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hola \ud800 asilo", "hola  asilo"),  # a lone surrogate: no database can encode it
        ("\udfffcomo pido asilo", "como pido asilo"),
        ("55\u200b12\u200d34\u206656\u202e78", "5512345678"),  # zero-width and bidi controls
        ("\ufeffhola\u00ad", "hola"),  # byte-order mark, soft hyphen
        ("\uff15\uff15 \uff11\uff12\uff13\uff14", "55 1234"),  # full-width digits (NFKC)
        ("pedi\u0301 asilo", "pedí asilo"),  # combining accent composed
        ("\x00\x07hola\r\nmundo\t!", "hola\nmundo\t!"),  # controls out, line break and tab kept
        ("  hola  ", "hola"),
    ],
)
def test_normalize_keeps_what_a_person_meant(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_the_result_can_always_be_encoded() -> None:
    every_odd_character = "".join(chr(c) for c in range(0xD7F0, 0xE010)) + "".join(chr(c) for c in range(0, 0x20))
    normalize(every_odd_character).encode("utf-8")  # raises on a surrogate


def test_prepare_text_redacts_after_normalising() -> None:
    """Zero-width characters inside a phone number or an e-mail no longer hide them from redaction."""
    text = prepare_text("mi tel 55\u200b1234\u200b5678 y correo ana\u200b.perez@example\u200b.org")
    assert "5678" not in text and "ana" not in text and "example" not in text, text


def test_prepare_text_caps_the_length() -> None:
    assert len(prepare_text("a" * (MAX_MESSAGE_CHARS + 500))) == MAX_MESSAGE_CHARS


def test_button_payloads_pass_unchanged() -> None:
    assert prepare_text('/ask_contacts{"institution": "COMAR"}') == '/ask_contacts{"institution": "COMAR"}'
    assert prepare_text("/affirm") == "/affirm"


@pytest.mark.parametrize("sender", ["\ud800", "", "   ", "a\x00b", "a\u202eb", "s" * 129, 123, None, ["a"]])
def test_unusable_conversation_ids_are_refused(sender: object) -> None:
    assert clean_sender(sender) is None


@pytest.mark.parametrize("sender", ["maria-1", "caseworker@ngo", "ñandú 7", "s" * 128])
def test_usable_conversation_ids_pass(sender: str) -> None:
    assert clean_sender(sender) == sender


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"language": "en"}, {"language": "en"}),
        ({"language": "ht", "phone": "5512345678", "name": "Ana"}, {"language": "ht"}),
        ({"language": "\ud800"}, {}),
        ({"language": "english please"}, {}),
        ({"language": ["en"]}, {}),
        ("x", {}),
        (None, {}),
    ],
)
def test_only_the_chosen_language_survives_from_the_metadata(metadata: object, expected: dict) -> None:
    assert clean_metadata(metadata) == expected
