"""channels.inbound: the one place where every channel makes a person's input safe to store."""

from __future__ import annotations

import json

import pytest

from channels import MAX_MESSAGE_CHARS
from channels.inbound import as_bytes, clean_metadata, clean_sender, normalize, parse_json, prepare_text, same_secret


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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hola\rmundo", "hola\nmundo"),  # an old-style carriage return is a line break
        ("hola\r\n\r\nmundo", "hola\n\nmundo"),
        ("hola\ue000 asilo\U000f0000", "hola asilo"),  # private-use characters (Co)
        ("hola\u0378 asilo\U000e0080", "hola asilo"),  # unassigned code points (Cn)
        ("\u2066\u2069\u200e", ""),  # nothing but invisible characters is nothing
    ],
)
def test_normalize_turns_every_line_break_into_one_and_drops_unassigned_and_private_characters(
    raw: str, expected: str
) -> None:
    assert normalize(raw) == expected


def test_a_conversation_id_with_a_private_or_unassigned_character_is_refused() -> None:
    assert clean_sender("maria\ue000") is None
    assert clean_sender("maria\u0378") is None
    assert clean_sender("maria\tgomez") == "maria\tgomez"  # a tab is kept, as in messages


@pytest.mark.parametrize("language", ["es", "hat", "e", "espa", "ES", "en\n", " en"])
def test_a_language_code_is_two_or_three_lower_case_letters_and_nothing_else(language: str) -> None:
    expected = {"language": language} if language in ("es", "hat") else {}
    assert clean_metadata({"language": language}) == expected


def test_the_same_secret_matches_even_when_it_is_not_ascii_or_not_utf8() -> None:
    assert same_secret("contraseña", "contraseña") is True
    assert same_secret("\ud800x", "\ud800x") is True  # a header value Sanic could not decode
    assert same_secret("\ud800x", "\ud801x") is False
    assert as_bytes("ñ\ud800") == b"\xc3\xb1\xed\xa0\x80"


@pytest.mark.parametrize("body", [b'{"text": "hola"}', '{"text": "pedí asilo"}'.encode(), b"[1, 2]"])
def test_a_json_body_is_read_as_utf8(body: bytes) -> None:
    assert parse_json(body) == json.loads(body.decode("utf-8"))


@pytest.mark.parametrize("body", [b"\xff{}", b"{", b"", "{\"text\": \"hola\"}".encode("utf-16")])
def test_a_body_that_is_not_utf8_json_is_a_value_error(body: bytes) -> None:
    with pytest.raises(ValueError):
        parse_json(body)


def test_a_body_nested_too_deeply_is_a_value_error_that_says_so() -> None:
    with pytest.raises(ValueError, match=r"^JSON nested too deeply$"):
        parse_json(b"[" * 100_000 + b"]" * 100_000)


def test_prepare_text_leaves_no_space_around_the_redacted_text() -> None:
    assert prepare_text("\u200b  mi tel 5512345678 \u200b\n") == "mi tel [telefono]"
