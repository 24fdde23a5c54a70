"""Channel-aware rendering: splitting under a limit, numbered options, and "2" picking option 2."""

from __future__ import annotations

import pytest

from channels.messaging import Menus, numbered_options, pseudonym, split_message

PARAGRAPHS = "\n\n".join(f"Párrafo {i}. " + "Una frase corta. " * 20 for i in range(12))


@pytest.mark.parametrize("limit", [1600, 4096, 2000, 300])
def test_long_text_is_split_under_the_limit_without_losing_words(limit: int) -> None:
    pieces = split_message(PARAGRAPHS, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(PARAGRAPHS.split())


def test_splits_fall_on_paragraphs_when_they_fit() -> None:
    pieces = split_message("uno\n\ndos\n\ntres", 8)
    assert pieces == ["uno\n\ndos", "tres"]


def test_a_single_endless_word_is_cut_hard() -> None:
    assert split_message("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_short_text_is_one_piece() -> None:
    assert split_message("hola", 1600) == ["hola"]


def test_numbered_options_and_choosing_by_number() -> None:
    buttons = [
        {"title": "📞 Contactos", "payload": "/ask_contacts"},
        {"title": "📍 Oficinas", "payload": "/ask_offices"},
    ]
    assert numbered_options("¿Qué necesitas?", buttons) == "¿Qué necesitas?\n\n1. 📞 Contactos\n2. 📍 Oficinas"
    menus = Menus()
    menus.remember("a", [b["payload"] for b in buttons])
    assert menus.resolve("a", "2") == "/ask_offices"
    assert menus.resolve("a", " 1.") == "/ask_contacts"
    assert menus.resolve("a", "3") == "3"
    assert menus.resolve("b", "1") == "1"
    assert menus.resolve("a", "tengo 2 hijos") == "tengo 2 hijos"


def test_conversation_ids_do_not_reveal_phone_numbers() -> None:
    sender = pseudonym("secret", "whatsapp", "whatsapp:+5215512345678")
    assert sender.startswith("whatsapp-") and "5512345678" not in sender
    assert sender == pseudonym("secret", "whatsapp", "whatsapp:+5215512345678")
    assert sender != pseudonym("other", "whatsapp", "whatsapp:+5215512345678")
